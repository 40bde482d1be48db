/* The parsers of what a request carries: urlencoded form bodies, the
 * path's segments, the listen address and a client's file name (see
 * serve_int.h).  Pure functions on bytes: tests/fuzz_serve.c drives them. */
#include "serve/serve_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* See serve_int.h. */
int serve_text_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lsu_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f)
            return 0;
        i += k;
    }
    return 1;
}

/* The value of hex digit c, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) ('+' a space, %XX a byte) into a new string; NULL when
 * malformed, not text, or memory ran out. */
static char *decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; out && i < n; i++) {
        if (s[i] == '+') {
            out[k++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hex_value(s[i + 1]) : -1, lo = i + 2 < n ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    if (out) {
        out[k] = 0;
        if (!serve_text_ok(out, k)) {
            free(out);
            return NULL;
        }
    }
    return out;
}

/* See serve_int.h. */
int serve_form_parse(serve_form *form, const char *body, size_t len)
{
    memset(form, 0, sizeof *form);
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(body + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - body) : len;
        if (end > i) {
            const char *eq = memchr(body + i, '=', end - i);
            size_t name_end = eq ? (size_t)(eq - body) : end;
            if (form->n >= SERVE_FORM_MAX_FIELDS)
                goto bad;
            serve_field *f = realloc(form->fields, (form->n + 1) * sizeof *f);
            if (!f)
                goto bad;
            form->fields = f;
            f += form->n;
            f->name = decode(body + i, name_end - i);
            f->value = eq ? decode(eq + 1, end - name_end - 1) : decode("", 0);
            form->n++;
            if (!f->name || !f->value)
                goto bad;
        }
        i = end + 1;
    }
    return 0;
bad:
    serve_form_clear(form);
    return -1;
}

/* See serve_int.h. */
const char *serve_form_get(const serve_form *form, const char *name)
{
    for (size_t i = 0; i < form->n; i++)
        if (strcmp(form->fields[i].name, name) == 0)
            return form->fields[i].value;
    return NULL;
}

/* See serve_int.h. */
void serve_form_clear(serve_form *form)
{
    for (size_t i = 0; i < form->n; i++) {
        free(form->fields[i].name);
        free(form->fields[i].value);
    }
    free(form->fields);
    memset(form, 0, sizeof *form);
}

/* See serve_int.h. */
int serve_path_parse(serve_path *p, const char *path)
{
    memset(p, 0, sizeof *p);
    if (path[0] != '/')
        return -1;
    const char *s = path + 1;
    while (*s) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n == 0 && !(slash && slash[1] == 0))
            goto bad;
        if (n == 0)
            break;
        if (n > 200 || p->n >= SERVE_PATH_MAX_SEGMENTS || (n == 1 && s[0] == '.') ||
            (n == 2 && s[0] == '.' && s[1] == '.') || !serve_text_ok(s, n) || memchr(s, '\n', n) ||
            memchr(s, '\r', n) || memchr(s, '\t', n))
            goto bad;
        if (!(p->seg[p->n] = malloc(n + 1)))
            goto bad;
        memcpy(p->seg[p->n], s, n);
        p->seg[p->n++][n] = 0;
        s += n + (slash != NULL);
    }
    return 0;
bad:
    serve_path_clear(p);
    return -1;
}

/* See serve_int.h. */
void serve_path_clear(serve_path *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->seg[i]);
    memset(p, 0, sizeof *p);
}

/* The port of s (1 to 5 digits, at most 65535) into *port; 0 or -1. */
static int parse_port(const char *s, unsigned *port)
{
    size_t n = strlen(s);
    if (n == 0 || n > 5 || strspn(s, "0123456789") != n)
        return -1;
    unsigned long v = strtoul(s, NULL, 10);
    if (v > 65535)
        return -1;
    *port = (unsigned)v;
    return 0;
}

/* See serve_int.h. */
int serve_parse_listen(const char *s, char host[64], unsigned *port, int *ipv6)
{
    const char *colon = strrchr(s, ':');
    size_t hn;
    *ipv6 = 0;
    if (!colon) {
        snprintf(host, 64, "%s", "127.0.0.1");
        return parse_port(s, port);
    }
    if (s[0] == '[') {
        if (colon == s || colon[-1] != ']')
            return -1;
        hn = (size_t)(colon - s) - 2;
        if (hn == 0 || hn >= 64)
            return -1;
        memcpy(host, s + 1, hn);
        *ipv6 = 1;
    } else {
        hn = (size_t)(colon - s);
        if (hn == 0 || hn >= 64)
            return -1;
        memcpy(host, s, hn);
    }
    host[hn] = 0;
    unsigned char addr[16];
    if (inet_pton(*ipv6 ? AF_INET6 : AF_INET, host, addr) != 1)
        return -1;
    return parse_port(colon + 1, port);
}

/* See serve_int.h. */
void serve_display_name(const char *client, char *out, size_t size)
{
    const char *base = client;
    for (const char *c = client; *c; c++)
        if (*c == '/' || *c == '\\')
            base = c + 1;
    size_t k = 0, n = strlen(base), cap = size - 1 < 120 ? size - 1 : 120;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = lsu_utf8_decode((const unsigned char *)base + i, n - i, &cp);
        if (len == 0) {
            i++;
            continue;
        }
        if (cp >= 0x20 && cp != 0x7f && k + len <= cap) {
            memcpy(out + k, base + i, len);
            k += len;
        }
        i += len;
    }
    out[k] = 0;
    if (k == 0)
        snprintf(out, size, "%s", "fichier");
}

/* See serve_int.h. */
int serve_form_add(serve_form *f, const char *name, const char *value, size_t len)
{
    if (f->n >= SERVE_FORM_MAX_FIELDS || !serve_text_ok(name, strlen(name)) || !serve_text_ok(value, len))
        return -1;
    serve_field *nf = realloc(f->fields, (f->n + 1) * sizeof *nf);
    if (!nf)
        return -1;
    f->fields = nf;
    nf[f->n].name = lsu_strdup_or_null(name);
    nf[f->n].value = malloc(len + 1);
    if (!nf[f->n].name || !nf[f->n].value) {
        free(nf[f->n].name);
        free(nf[f->n].value);
        return -1;
    }
    memcpy(nf[f->n].value, value, len);
    nf[f->n++].value[len] = 0;
    return 0;
}
