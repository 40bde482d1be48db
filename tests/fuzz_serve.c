/* libFuzzer target: what lsu serve parses of a request before any screen
 * sees it (make fuzz-serve): an urlencoded form body, the path cut into
 * segments, a --listen address, a client's file name for display.
 * Whatever the bytes, each parser returns, keeps only valid UTF-8 text,
 * and frees everything; a path it accepts has no "..", no empty segment
 * and no control character. */
#include "serve/serve_int.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    return 0;
}
