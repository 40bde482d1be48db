/* Replays fuzz inputs through the libFuzzer targets without libFuzzer
 * (libxml2's fuzz/testFuzzer.c): `fuzz-replay check|onde FILE...` reads
 * each file, hands its bytes to that target's LLVMFuzzerTestOneInput and
 * prints "PASS fuzz <target> <file>" once the input went through.  A crash
 * or a sanitizer report ends the process before that line; tests/run.sh
 * turns the exit status into a FAIL line.  The targets are
 * tests/fuzz_check.c and tests/fuzz_onde.c, compiled with
 * -DLLVMFuzzerTestOneInput=lsu_fuzz_check (lsu_fuzz_onde) so that both
 * link into this one binary.  Exits 0, 1 when a file cannot be read, 2 on
 * bad arguments. */
#include "base/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lsu_fuzz_check(const uint8_t *data, size_t size);
int lsu_fuzz_onde(const uint8_t *data, size_t size);

/* Reads a whole file into a heap block (caller frees; never NULL on
 * success, even for 0 bytes); NULL when it cannot be read. */
static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    lsu_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        lsu_buf_add(&b, chunk, n);
    int bad = ferror(fp) || b.failed;
    fclose(fp);
    if (bad) {
        lsu_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? (unsigned char *)b.data : calloc(1, 1);
}

/* Runs every file through the target named by argv[1]; see the banner. */
int main(int argc, char **argv)
{
    int (*target)(const uint8_t *, size_t) = NULL;
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        target = lsu_fuzz_check;
    else if (argc >= 2 && strcmp(argv[1], "onde") == 0)
        target = lsu_fuzz_onde;
    if (!target) {
        fprintf(stderr, "usage: fuzz-replay check|onde FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        size_t len = 0;
        unsigned char *data = read_all(argv[i], &len);
        if (!data) {
            printf("FAIL fuzz %s %s: cannot be read\n", argv[1], argv[i]);
            status = 1;
            continue;
        }
        /* libFuzzer hands over a block of exactly the input's size: an
         * overread shows under AddressSanitizer */
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact) {
            free(data);
            printf("FAIL fuzz %s %s: out of memory\n", argv[1], argv[i]);
            status = 1;
            continue;
        }
        memcpy(exact, data, len);
        free(data);
        fflush(stdout);
        target(exact, len);
        free(exact);
        printf("PASS fuzz %s %s\n", argv[1], argv[i]);
        fflush(stdout);
    }
    return status;
}
