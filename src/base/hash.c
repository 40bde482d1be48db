/* SHA-256 in hex (nettle: as fast as libcrypto, with the CPU's SHA
 * instructions, without the 2 MB that OpenSSL 3 touches to set up a
 * digest), for the zips' manifests and the batch's idempotence key. */
#include "base/hash.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>

/* Finishes a SHA-256 into out as lowercase hex. */
static void sha256_finish_hex(struct sha256_ctx *ctx, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t md[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof md, md);
    for (size_t i = 0; i < sizeof md; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 0xF];
    }
    out[64] = '\0';
}

/* See hash.h. */
void lsu_sha256_hex(const unsigned char *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    if (data)
        sha256_update(&ctx, len, data);
    sha256_finish_hex(&ctx, out);
}

/* See hash.h. */
int lsu_sha256_file_hex(const char *path, char out[65])
{
    out[0] = '\0';
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&ctx, n, buf);
    int failed = ferror(fp);
    fclose(fp);
    if (failed)
        return -1;
    sha256_finish_hex(&ctx, out);
    return 0;
}
