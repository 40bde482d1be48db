/* Render family (see render_int.h): texts prepared and wrapped.
 *
 * Owns the preparation of a text for drawing (the font that shows it, its
 * bytes in the context's arena, PDF001 for the characters no font shows)
 * and its wrapping into blocks of lines (tlines), measured with the width
 * tables of render_font.c. */
#include "base/util.h"
#include "pdf/render_int.h"

#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Text preparation: one encoding per text, PDF001 for what no font shows. */

/* What a code point becomes before choosing a font: blanks that CP1252
 * lacks become their nearest CP1252 blank, invisible format characters go
 * (returns UINT32_MAX), controls become a space. */
static uint32_t substitute(uint32_t cp)
{
    if (cp == '\n' || (cp >= 0x20 && cp < 0x7F))
        return cp;
    if (cp < 0x20 || cp == 0x7F)
        return ' ';
    if ((cp >= 0x80 && cp < 0xA0) || cp == 0xAD || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF)
        return UINT32_MAX;
    if (cp == 0x202F || cp == 0x2007)
        return 0xA0;
    if ((cp >= 0x2000 && cp <= 0x200A) || cp == 0x205F || cp == 0x3000)
        return ' ';
    if (cp == 0x2010 || cp == 0x2011)
        return '-';
    return cp;
}

/* Is cp shown by font f? */
static int font_has(const lsu_renderer *r, int f, uint32_t cp)
{
    return f < F_TTF_REG ? render_base_has(r, f, cp) : render_ttf_has(r, f - F_TTF_REG, cp);
}

/* Records PDF001 for the characters of a text that no font shows: the
 * first `count` of them are listed, `more` says there were others. */
static void report_missing(render_ctx *c, const uint32_t *missing, size_t count, int more, long line, const char *where,
                           const char *detail)
{
    if (!c->diags)
        return;
    char list[64] = "";
    size_t used = 0;
    for (size_t i = 0; i < count && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%sU+%04X", i ? ", " : "", (unsigned)missing[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    const char *sep = detail && *detail ? ", " : "";
    if (count == 1 && !more)
        lsu_diag_add(c->diags, DIAG_PDF001, line, &c->item->subject,
                     "Caractère %s absent des polices : imprimé « [%s] » (%s%s%s)", list, list, where, sep,
                     detail ? detail : "");
    else
        lsu_diag_add(c->diags, DIAG_PDF001, line, &c->item->subject,
                     "Caractères %s%s absents des polices : imprimés sous la forme [U+XXXX] (%s%s%s)", list,
                     more ? "…" : "", where, sep, detail ? detail : "");
}

/* Prepares a UTF-8 text for drawing in regular or bold type: picks
 * Helvetica when CP1252 holds every character, else the DejaVu face that
 * shows the most (Helvetica again when DejaVu shows no more); encodes it
 * into the arena, characters the chosen font lacks written as [U+XXXX].
 * When `where` is not NULL those characters are reported as PDF001 at
 * `line`, with `where` and `detail` saying which text.  Returns 0, or -1
 * when memory ran out. */
int render_prepare(render_ctx *c, const char *s, int bold, long line, const char *where, const char *detail, ptext *out)
{
    const lsu_renderer *r = c->r;
    out->off = (uint32_t)c->arena.len;
    out->len = 0;
    out->font = (uint8_t)(bold ? F_BOLD : F_REG);
    if (!s || !*s)
        return 0;
    size_t n = strlen(s), count = 0, i = 0;
    if (render_grow(c, &c->cps, &c->cap_cps, n, sizeof *c->cps) != 0)
        return -1;
    size_t miss_base = 0, miss_ttf[2] = {0, 0};
    while (i < n) {
        uint32_t cp = substitute(lsu_utf8_next((const unsigned char *)s, n, &i));
        if (cp == UINT32_MAX)
            continue;
        c->cps[count++] = cp;
        miss_base += cp != '\n' && !render_base_has(r, bold, cp);
    }
    int font = bold ? F_BOLD : F_REG;
    for (int e = 1; miss_base && e < ENCODINGS; e++) { /* another Helvetica encoding that holds it all? */
        size_t miss = 0;
        for (size_t k = 0; k < count && !miss; k++)
            miss += c->cps[k] != '\n' && !render_base_has(r, e * 2 + bold, c->cps[k]);
        if (!miss) {
            font = e * 2 + bold;
            miss_base = 0;
        }
    }
    if (miss_base) { /* no Helvetica encoding holds it: which DejaVu face shows the most? */
        for (size_t k = 0; k < count; k++) {
            miss_ttf[0] += c->cps[k] != '\n' && !render_ttf_has(r, 0, c->cps[k]);
            miss_ttf[1] += c->cps[k] != '\n' && !render_ttf_has(r, 1, c->cps[k]);
        }
        int ttf = F_TTF_REG;
        size_t m = miss_ttf[0];
        if (bold && miss_ttf[1] <= m)
            ttf = F_TTF_BOLD, m = miss_ttf[1];
        if (m < miss_base)
            font = ttf;
    }
    uint32_t missing[4];
    size_t nmissing = 0;
    int more = 0;
    /* room for the longest form of every character ("[U+10FFFF]"), then
     * written in place */
    if (count > SIZE_MAX / 16 || lsu_buf_reserve(&c->arena, 10 * count) != 0) {
        c->failed = 1;
        return -1;
    }
    char *w = c->arena.data + c->arena.len;
    for (size_t k = 0; k < count; k++) {
        uint32_t cp = c->cps[k];
        if (cp != '\n' && !font_has(r, font, cp)) {
            w += snprintf(w, 11, "[U+%04X]", (unsigned)cp);
            size_t seen = 0;
            while (seen < nmissing && missing[seen] != cp)
                seen++;
            if (seen == nmissing && nmissing < 4)
                missing[nmissing++] = cp;
            else if (seen == nmissing)
                more = 1;
        } else if (font < F_TTF_REG) {
            *w++ = cp == '\n' ? '\n' : (char)render_encoding_byte(r, font / 2, cp);
        } else {
            w += lsu_utf8_put(cp, w);
        }
    }
    c->arena.len = (size_t)(w - c->arena.data);
    c->arena.data[c->arena.len] = '\0';
    out->len = (uint32_t)(c->arena.len - out->off);
    out->font = (uint8_t)font;
    if (nmissing && where)
        report_missing(c, missing, nmissing, more, line, where, detail);
    return 0;
}

/* Prepares a constant text of this file (CP1252 French wording, never reported). */
ptext render_constant(render_ctx *c, const char *s, int bold)
{
    ptext t;
    render_prepare(c, s, bold, 0, NULL, NULL, &t);
    return t;
}

/* The text of an element: borrowed when it is one text node, else copied
 * into *owned (the caller frees it with xmlFree).  NULL when n is NULL. */
static const char *node_text(xmlNodePtr n, xmlChar **owned)
{
    *owned = NULL;
    if (!n)
        return NULL;
    if (n->children && !n->children->next && n->children->type == XML_TEXT_NODE)
        return (const char *)n->children->content;
    *owned = xmlNodeGetContent(n);
    return (const char *)*owned;
}

/* Prepares the text of element n (NULL gives an empty text), reported at
 * its own line. */
int render_prepare_node(render_ctx *c, xmlNodePtr n, int bold, long fallback, const char *where, const char *detail,
                        ptext *out)
{
    xmlChar *owned;
    const char *s = node_text(n, &owned);
    int rc = render_prepare(c, s, bold, render_node_line(n, fallback), where, detail, out);
    xmlFree(owned);
    return rc;
}

/* DejaVu Sans looks larger than Helvetica at the same size (wider, taller x
 * height): it is drawn a little smaller so that both read alike. */
#define TTF_SCALE 0.93f

/* Size factor of a font (see TTF_SCALE). */
float render_font_scale(int font)
{
    return font < F_TTF_REG ? 1.0f : TTF_SCALE;
}

/* Reads the next character of a prepared text (a byte for Helvetica). */
static uint32_t ptext_next(const unsigned char *s, size_t n, size_t *i, int font)
{
    if (font < F_TTF_REG)
        return s[(*i)++];
    return lsu_utf8_next(s, n, i);
}

/* Width of a whole prepared text at `size`, in points. */
float render_ptext_width(render_ctx *c, const ptext *t, float size)
{
    const unsigned char *s = (const unsigned char *)c->arena.data + t->off;
    size_t i = 0;
    unsigned long units = 0;
    while (i < t->len)
        units += render_char_width(c->r, t->font, ptext_next(s, t->len, &i, t->font));
    return (float)units * size * render_font_scale(t->font) / 1000.0f;
}

/* ---------------------------------------------------------------------------
 * Wrapping. */

/* Appends one tline. */
static void add_tline(render_ctx *c, uint32_t off, uint32_t len, int font, int row, float dx, float w)
{
    if (GROW(c, c->tlines, c->ntlines, c->cap_tlines) != 0)
        return;
    tline *l = &c->tlines[c->ntlines++];
    l->off = off, l->len = len, l->font = (uint8_t)font;
    l->row = row;
    l->dx = dx, l->w = w;
}

/* Wraps a prepared text at `size` into a block `width` points wide: the first
 * line starts `first_dx` from the left edge, the next ones `hang_dx`; lines
 * break at spaces (the space is dropped), at explicit line breaks, and inside
 * a word longer than a line.  Appends tlines from visual row `row0`; returns
 * the rows used (0 for an empty text). */
int render_wrap(render_ctx *c, const ptext *t, float size, float width, float first_dx, float hang_dx, int align,
                int row0)
{
    if (t->len == 0)
        return 0;
    const unsigned char *s = (const unsigned char *)c->arena.data + t->off;
    const size_t len = t->len;
    const float scale = size * render_font_scale(t->font) / 1000.0f;
    int row = row0;
    size_t pos = 0;
    for (;;) {
        float dx = row == row0 ? first_dx : hang_dx;
        long limit = (long)((width - dx) / scale);
        size_t i = pos, end, next, space = SIZE_MAX;
        long w = 0, end_w = 0, before_space = 0;
        int hard = 0;
        for (;;) {
            if (i >= len) {
                end = next = len, end_w = w;
                break;
            }
            size_t at = i;
            uint32_t cp = ptext_next(s, len, &i, t->font);
            if (cp == '\n') {
                end = at, next = i, end_w = w, hard = 1;
                break;
            }
            long cw = (long)render_char_width(c->r, t->font, cp);
            if (w + cw > limit && at > pos) {
                if (cp == ' ')
                    end = at, next = i, end_w = w; /* the space that overflows is dropped */
                else if (space != SIZE_MAX)
                    end = space, next = space + 1, end_w = before_space; /* back to the last space */
                else
                    end = next = at, end_w = w; /* a word longer than the line: cut it */
                break;
            }
            if (cp == ' ')
                space = at, before_space = w;
            w += cw;
        }
        float lw = (float)end_w * scale;
        float x = align == ALIGN_CENTER ? (width - lw) / 2 : align == ALIGN_RIGHT ? width - lw : dx;
        if (end > pos)
            add_tline(c, t->off + (uint32_t)pos, (uint32_t)(end - pos), t->font, row, x, lw);
        row++;
        if (next >= len)
            break;
        if (!hard)
            while (next < len && s[next] == ' ')
                next++; /* a wrapped line never starts with a blank */
        pos = next;
    }
    return row - row0;
}

/* Wraps a paragraph with a lead (a bullet or a bold « Label : ») drawn on its
 * first line: the text follows the lead, its next lines start at the left
 * edge, or under the text when `hang`.  Returns the rows used. */
int render_wrap_lead(render_ctx *c, const ptext *lead, const ptext *text, float size, float width, int hang, int row0)
{
    float lw = render_ptext_width(c, lead, size);
    add_tline(c, lead->off, lead->len, lead->font, row0, 0, lw);
    int rows = render_wrap(c, text, size, width, lw, hang ? lw : 0, ALIGN_LEFT, row0);
    return rows > 0 ? rows : 1;
}

/* Opens a block at the current end of the tline list. */
block render_block_open(render_ctx *c, float size)
{
    block b = {(uint32_t)c->ntlines, 0, 0, size};
    return b;
}

/* Closes a block opened with render_block_open, `rows` visual rows tall. */
void render_block_close(render_ctx *c, block *b, int rows)
{
    b->count = (uint32_t)(c->ntlines - b->first);
    b->rows = rows;
}

/* A block holding one wrapped text. */
block render_block_text(render_ctx *c, const ptext *t, float size, float width, int align)
{
    block b = render_block_open(c, size);
    render_block_close(c, &b, render_wrap(c, t, size, width, 0, 0, align, 0));
    return b;
}
