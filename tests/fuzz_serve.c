/* libFuzzer target: what lsu serve parses of a request before any screen
 * sees it (make fuzz-serve): an urlencoded form body, the path cut into
 * segments, a --listen address, a client's file name for display, and a
 * multipart body's parts as the server keeps them (upload.c, the parts
 * cut here as libmicrohttpd's post processor hands them over, in chunks).
 * Whatever the bytes, each parser returns, keeps only valid UTF-8 text,
 * and frees everything; a path it accepts has no "..", no empty segment
 * and no control character; the files kept are at most SERVE_UPLOAD_MAX,
 * 0600, hold what was sent, together within the cap unless too_large,
 * and are gone once cleared. */
#include "fuzz_util.h"
#include "serve/serve_int.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_CAP 512 /* the files' cap: seeds reach it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The quoted value of `attr="` in header h[0..n) into out, or NULL. */
static const char *header_value(const char *h, size_t n, const char *attr, char *out, size_t size)
{
    size_t a = strlen(attr);
    for (size_t i = 0; i + a <= n; i++)
        if (memcmp(h + i, attr, a) == 0 && (i == 0 || h[i - 1] == ' ' || h[i - 1] == ';')) {
            size_t k = 0;
            for (i += a; i < n && h[i] != '"' && k + 1 < size; i++)
                out[k++] = h[i];
            out[k] = 0;
            return out;
        }
    return NULL;
}

/* The first occurrence of needle[0..nn) in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *needle, size_t nn)
{
    for (size_t i = 0; nn && i + nn <= n; i++)
        if (memcmp(s + i, needle, nn) == 0)
            return s + i;
    return NULL;
}

/* One part (its headers, then its value) to m, its value in chunks of
 * `chunk` bytes at their offsets; 0, or -1 when m refuses the body. */
static int feed_part(serve_multipart *m, const char *p, size_t n, size_t chunk)
{
    const char *end = find(p, n, "\r\n\r\n", 4);
    if (!end)
        return 0;
    char name[64], file[256];
    const char *key = header_value(p, (size_t)(end - p), "name=\"", name, sizeof name);
    const char *filename = header_value(p, (size_t)(end - p), "filename=\"", file, sizeof file);
    if (!key)
        return 0;
    const char *v = end + 4;
    size_t len = n - (size_t)(v - p), off = 0;
    do {
        size_t k = len - off < chunk ? len - off : chunk;
        if (serve_multipart_data(m, key, filename, v + off, off, k) != 0)
            return -1;
        off += k;
    } while (off < len);
    return 0;
}

static char upload_dir[256]; /* the scratch folder of the parts' files, made once */

/* Removes the scratch folder (empty: each input's files are removed). */
static void remove_upload_dir(void)
{
    rmdir(upload_dir);
}

/* The bytes as a multipart body ("--BOUNDARY\r\n" first): its parts
 * through upload.c under a small cap, then what it kept checked. */
static void multipart(const char *data, size_t size)
{
    char *dir = upload_dir;
    const char *eol = find(data, size, "\r\n", 2);
    if (size < 4 || data[0] != '-' || data[1] != '-' || !eol || eol - data > 72 ||
        (!dir[0] && (fuzz_tempdir(upload_dir, sizeof upload_dir) != 0 || atexit(remove_upload_dir) != 0)))
        return;
    char delim[80] = "\r\n";
    size_t dn = 2 + (size_t)(eol - data);
    memcpy(delim + 2, data, dn - 2);
    serve_form form = {0};
    serve_uploads up;
    serve_multipart m;
    serve_multipart_init(&m, dir, FUZZ_CAP, &form, &up);
    size_t chunk = 1 + (size % 61); /* chunks of every size, one per input */
    const char *p = eol + 2, *last = data + size;
    int bad = 0;
    while (p < last && !bad) {
        const char *next = find(p, (size_t)(last - p), delim, dn);
        size_t n = next ? (size_t)(next - p) : (size_t)(last - p);
        bad = feed_part(&m, p, n, chunk) != 0;
        p = next ? next + dn : last;
        if (p + 2 <= last && p[0] == '-' && p[1] == '-')
            break; /* the closing delimiter */
        if (p + 2 <= last && p[0] == '\r' && p[1] == '\n')
            p += 2;
    }
    serve_multipart_end(&m);
    if (up.n > SERVE_UPLOAD_MAX || (!up.too_large && up.total > FUZZ_CAP))
        abort();
    char *paths[SERVE_UPLOAD_MAX] = {0};
    for (size_t i = 0; i < up.n; i++) {
        struct stat sb;
        if (!up.v[i].path || stat(up.v[i].path, &sb) != 0 || (sb.st_mode & 0777) != 0600 ||
            (!up.too_large && !bad && sb.st_size != up.v[i].size) || !up.v[i].name[0] || strchr(up.v[i].name, '/') ||
            !serve_text_ok(up.v[i].name, strlen(up.v[i].name)) || (serve_upload_get(&up, up.v[i].field) != &up.v[i]))
            abort();
        paths[i] = lsu_strdup_or_null(up.v[i].path);
    }
    for (size_t i = 0; i < form.n; i++)
        if (!serve_text_ok(form.fields[i].value, strlen(form.fields[i].value)))
            abort();
    size_t kept = up.n;
    serve_uploads_clear(&up);
    serve_form_clear(&form);
    for (size_t i = 0; i < kept; i++) {
        struct stat sb;
        if (paths[i] && stat(paths[i], &sb) == 0)
            abort(); /* a file left behind */
        free(paths[i]);
    }
}

/* One input through every parser. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    serve_form form;
    if (serve_form_parse(&form, (const char *)data, size) == 0) {
        for (size_t i = 0; i < form.n; i++)
            if (!serve_text_ok(form.fields[i].name, strlen(form.fields[i].name)) ||
                !serve_text_ok(form.fields[i].value, strlen(form.fields[i].value)))
                abort();
        (void)serve_form_get(&form, "csrf");
        serve_form_clear(&form);
    }
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0; /* a C string: the bytes up to the first NUL, as libmicrohttpd hands them */
    serve_path p;
    if (serve_path_parse(&p, s) == 0) {
        for (size_t i = 0; i < p.n; i++)
            if (!p.seg[i][0] || strcmp(p.seg[i], "..") == 0 || strcmp(p.seg[i], ".") == 0 || strchr(p.seg[i], '/') ||
                !serve_text_ok(p.seg[i], strlen(p.seg[i])))
                abort();
        serve_path_clear(&p);
    }
    char host[64], name[128];
    unsigned port;
    int ipv6;
    if (serve_parse_listen(s, host, &port, &ipv6) == 0 && port > 65535)
        abort();
    serve_display_name(s, name, sizeof name);
    if (!name[0] || strchr(name, '/') || !serve_text_ok(name, strlen(name)))
        abort();
    free(s);
    multipart((const char *)data, size);
    return 0;
}
