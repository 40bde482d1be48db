/* Texts as LSU compares and prints them: the normalised form of a text
 * (line breaks and blanks), the accent-free sort key of a name and its
 * lower case. */
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

/* Is p at an ASCII blank or a no-break space?  Returns its length or 0. */
static size_t blank_len(const char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

/* Does the text need no change at all?  True for most texts: no CR, no
 * tab, no NBSP, no blank at either end, no blank before a line break, no
 * line break after a line break or a blank.  One pass, no writes. */
int lsu_text_is_clean(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (*p == ' ' || *p == '\n')
        return 0;
    unsigned char prev = 'x';
    for (; *p; p++) {
        unsigned char c = *p;
        if (c == '\r' || c == '\t' || (c == 0xC2 && p[1] == 0xA0))
            return 0;
        if (c == '\n' && (prev == ' ' || prev == '\n'))
            return 0;
        if (c == ' ' && prev == '\n')
            return 0;
        prev = c;
    }
    if (prev == ' ' || prev == '\n')
        return 0;
    *len = (size_t)((const char *)p - s);
    return 1;
}

/* See text.h. */
int lsu_text_normalise(const char *in, lsu_buf *out)
{
    size_t clean_len;
    if (lsu_text_is_clean(in, &clean_len)) {
        lsu_buf_add(out, in, clean_len);
        return 0;
    }
    int flags = 0;
    const char *p = in;
    /* leading blanks and line breaks */
    for (;;) {
        size_t b = blank_len(p);
        if (b) {
            p += b;
            flags |= LSU_TEXT_BLANKS;
        } else if (*p == '\n' || *p == '\r') {
            p++;
            flags |= LSU_TEXT_BLANKS;
        } else {
            break;
        }
    }
    size_t start = out->len;
    size_t pending_blanks = 0; /* blanks seen but not yet written */
    const char *blank_start = NULL;
    int pending_breaks = 0;
    while (*p) {
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r')
                flags |= LSU_TEXT_BREAKS;
            if (*p == '\r' && p[1] == '\n')
                p++;
            p++;
            if (pending_blanks)
                flags |= LSU_TEXT_BLANKS;
            pending_blanks = 0;
            pending_breaks++;
            continue;
        }
        size_t b = blank_len(p);
        if (b) {
            if (!pending_blanks)
                blank_start = p;
            pending_blanks += b;
            p += b;
            continue;
        }
        if (pending_breaks) {
            if (pending_breaks > 1)
                flags |= LSU_TEXT_BREAKS;
            lsu_buf_add(out, "\n", 1);
            pending_breaks = 0;
            if (pending_blanks) /* indentation of the new line: blanks at its start go */
                flags |= LSU_TEXT_BLANKS;
        } else if (pending_blanks) {
            lsu_buf_add(out, blank_start, pending_blanks);
        }
        pending_blanks = 0;
        const char *run = p;
        while (*p && *p != '\r' && *p != '\n' && !blank_len(p))
            p++;
        lsu_buf_add(out, run, (size_t)(p - run));
    }
    if (pending_blanks || pending_breaks)
        flags |= LSU_TEXT_BLANKS;
    if (out->len == start)
        lsu_buf_add(out, "", 0);
    return flags;
}

/* Base letters of U+00C0..U+017F (Latin-1 Supplement, Latin Extended-A);
 * '?' marks a character with no base letter (kept as is). */
static const char latin_base[] = "AAAAAAACEEEEIIIIDNOOOOO?OUUUUYTSaaaaaaaceeeeiiiidnooooo?ouuuuyty"
                                 "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNn"
                                 "OoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* Base letters of U+1E00..U+1EFF (Latin Extended Additional: Vietnamese
 * and other stacked accents, as in Nguyễn or Trần). */
static const char latin_additional_base[] =
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTt"
    "UuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy??????AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOo"
    "UuUuUuUuUuUuUuYyYyYyYy??????";

/* See text.h. */
void lsu_sort_key(const char *in, lsu_buf *out)
{
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p;) {
        unsigned cp = *p;
        size_t n = 1;
        if (cp >= 0xC0 && (p[1] & 0xC0) == 0x80) {
            if (cp < 0xE0) {
                cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
                n = 2;
            } else if (cp < 0xF0 && (p[2] & 0xC0) == 0x80) {
                cp = ((cp & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
                n = 3;
            }
        }
        if (cp < 0x80) {
            char c = (char)(cp >= 'a' && cp <= 'z' ? cp - 32 : cp);
            lsu_buf_add(out, &c, 1);
        } else if (cp == 0x152 || cp == 0x153) {
            lsu_buf_puts(out, "OE");
        } else if (cp == 0xC6 || cp == 0xE6) {
            lsu_buf_puts(out, "AE");
        } else if (cp == 0xDF) {
            lsu_buf_puts(out, "SS");
        } else if ((cp >= 0xC0 && cp <= 0x17F && latin_base[cp - 0xC0] != '?') ||
                   (cp >= 0x1E00 && cp <= 0x1EFF && latin_additional_base[cp - 0x1E00] != '?')) {
            char c = cp <= 0x17F ? latin_base[cp - 0xC0] : latin_additional_base[cp - 0x1E00];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            lsu_buf_add(out, &c, 1);
        } else {
            lsu_buf_add(out, (const char *)p, n);
        }
        p += n;
    }
    lsu_buf_add(out, "", 0);
}

/* The lower case of cp for the scripts of pupils' names (Latin with
 * Latin-1, Extended-A and Extended Additional, Greek, Cyrillic); any
 * other character as it is. */
static uint32_t lower_cp(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 32;
    if (cp == 0x178)
        return 0xFF;
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) || (cp >= 0x1E00 && cp <= 0x1E95) ||
        (cp >= 0x1EA0 && cp <= 0x1EFF))
        return cp % 2 == 0 ? cp + 1 : cp;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp % 2 == 1 ? cp + 1 : cp;
    if ((cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F))
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    return cp;
}

/* See text.h. */
void lsu_fold_case(const char *in, lsu_buf *out)
{
    const unsigned char *s = (const unsigned char *)(in ? in : "");
    size_t n = strlen((const char *)s), i = 0;
    lsu_buf_add(out, "", 0);
    while (i < n) {
        size_t at = i;
        uint32_t cp = lsu_utf8_next(s, n, &i);
        if (cp == 0xFFFD && i == at + 1 && s[at] >= 0x80) {
            lsu_buf_add(out, (const char *)s + at, 1); /* a malformed byte stays as it is */
            continue;
        }
        char u[4];
        lsu_buf_add(out, u, lsu_utf8_put(lower_cp(cp), u));
    }
}
