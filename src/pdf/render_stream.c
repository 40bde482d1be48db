/* Render family (see render_int.h): page content streams.
 *
 * Owns the writing of a page of the display list as a PDF content stream
 * (colours, paths, text in each font's encoding, the watermark, the
 * guardian's address), the DejaVu glyphs the streams show, and their
 * compression into a drawn bilan (render_add_drawn_page, render_deflate_into). */
#include "base/util.h"
#include "pdf/render_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---------------------------------------------------------------------------
 * Page content streams: written here from the display list, compressed
 * once, and put as they are into every PDF that shows the bilan (its
 * pupil's and its class's). */

/* Appends a literal of known length. */
#define PUT(b, lit) lsu_buf_add((b), (lit), sizeof(lit) - 1)

/* The colours of the palette ids (COL_*), and their greys in grayscale
 * mode. */
static const float palette_rgb[COL_COUNT][3] = {
    {0, 0, 0},
    {1, 1, 1},
    {0.80f, 0.87f, 0.95f},
    {0.91f, 0.94f, 0.98f},
    {0.96f, 0.71f, 0.71f},
    {0.98f, 0.86f, 0.69f},
    {0.81f, 0.91f, 0.72f},
    {0.66f, 0.85f, 0.55f},
    {0.0f, 0.19f, 0.45f},
    {0.70f, 0.82f, 0.95f},
    {0.0f, 0.19f, 0.45f},
    {0.85f, 0.85f, 0.85f},
};
static const float palette_gray[COL_COUNT] = {0, 1, 0.82f, 0.92f, 0.92f, 0.92f, 0.92f, 0.92f, 0.30f, 0.72f, 0, 0.85f};

/* Appends v / 10^decimals as a PDF number, without trailing zeros: 12,
 * 12.5, -0.25. */
static void put_fixed(lsu_buf *b, long v, int decimals)
{
    char tmp[32], *p = tmp + sizeof tmp - 1;
    *p = ' ';
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    int started = 0;
    for (int k = 0; k < decimals; k++) {
        unsigned d = (unsigned)(u % 10);
        u /= 10;
        if (d || started) {
            *--p = (char)('0' + d);
            started = 1;
        }
    }
    if (started)
        *--p = '.';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    lsu_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* A coordinate in hundredths of a point (page streams say no more). */
static long hp(float v)
{
    return lroundf(v * 100.0f);
}

/* Appends a coordinate (hundredths of a point) and a space. */
static void put_hp(lsu_buf *b, long v)
{
    put_fixed(b, v, 2);
}

/* Sets the fill colour (greys only in grayscale mode). */
static void put_fill(render_ctx *c, int color)
{
    const float *rgb = palette_rgb[color];
    if (c->r->opt.grayscale || (rgb[0] == rgb[1] && rgb[1] == rgb[2])) {
        put_hp(&c->content, hp(c->r->opt.grayscale ? palette_gray[color] : rgb[0]));
        PUT(&c->content, "g\n");
    } else {
        for (int k = 0; k < 3; k++)
            put_hp(&c->content, hp(rgb[k]));
        PUT(&c->content, "rg\n");
    }
}

/* A rectangle path element: x, y top left in layout coordinates. */
static void put_rect(lsu_buf *b, float x, float y, float w, float h)
{
    put_hp(b, hp(x));
    put_hp(b, hp(page_h - y - h));
    put_hp(b, hp(w));
    put_hp(b, hp(h));
    PUT(b, "re\n");
}

/* Records that glyph gid of DejaVu face f shows cp (the first code point
 * drawn with a glyph is the one text extraction gives); 0 or -1. */
static int use_glyph(render_ctx *c, int f, uint32_t gid, uint32_t cp)
{
    const ttf_face *face = &c->r->face[f];
    if (gid >= face->glyphs)
        return 0;
    if (!c->glyph_cp[f] && !(c->glyph_cp[f] = calloc(face->glyphs, sizeof *c->glyph_cp[f]))) {
        c->failed = 1;
        return -1;
    }
    if (c->glyph_cp[f][gid])
        return 0;
    if (GROW(c, c->uses[f], c->nuses[f], c->cap_uses[f]) != 0)
        return -1;
    c->glyph_cp[f][gid] = cp + 1;
    c->uses[f][c->nuses[f]++] = (glyph_use){(uint16_t)gid, cp};
    return 0;
}

/* The text state of a page being written: the start of the current text
 * line (hundredths of a point), the font and size set. */
typedef struct {
    long tx, ty;
    int font;
    float size;
    uint16_t fonts; /* fonts used on the page */
} text_state;

/* Shows `len` bytes of prepared text (an encoding's bytes for Helvetica,
 * UTF-8 for DejaVu) in font f at `size`, baseline at (x, y) in layout
 * coordinates: "/Fn size Tf" when it changes, "dx dy Td", then the string:
 * literal for Helvetica, glyph numbers in hex for DejaVu. */
static void put_text(render_ctx *c, text_state *ts, const unsigned char *s, size_t len, int f, float size, float x,
                     float y)
{
    lsu_buf *b = &c->content;
    if (f != ts->font || size != ts->size) {
        char name[8];
        int n = snprintf(name, sizeof name, "/F%d ", f + 1);
        lsu_buf_add(b, name, (size_t)n);
        put_fixed(b, lroundf(size * 1000.0f), 3);
        PUT(b, "Tf\n");
        ts->font = f, ts->size = size;
        ts->fonts |= (uint16_t)(1u << f);
    }
    long px = hp(x), py = hp(page_h - y);
    put_hp(b, px - ts->tx);
    put_hp(b, py - ts->ty);
    PUT(b, "Td\n");
    ts->tx = px, ts->ty = py;
    if (f < F_TTF_REG) {
        /* bytes as they are, but for the three a literal string escapes
         * and the controls (never in prepared text, kept safe) */
        char out[512];
        size_t k = 0;
        out[k++] = '(';
        for (size_t i = 0; i < len; i++) {
            unsigned char ch = s[i];
            if (k + 5 > sizeof out) {
                lsu_buf_add(b, out, k);
                k = 0;
            }
            if (ch == '(' || ch == ')' || ch == '\\') {
                out[k++] = '\\';
                out[k++] = (char)ch;
            } else if (ch < 0x20) {
                k += (size_t)snprintf(out + k, 5, "\\%03o", ch);
            } else {
                out[k++] = (char)ch;
            }
        }
        lsu_buf_add(b, out, k);
        PUT(b, ") Tj\n");
    } else {
        static const char hex[] = "0123456789ABCDEF";
        int face = f - F_TTF_REG;
        const uint16_t *gids = c->r->ttf_gid[face];
        char out[512];
        size_t k = 0, i = 0;
        out[k++] = '<';
        while (i < len) {
            uint32_t cp = lsu_utf8_next(s, len, &i);
            uint32_t gid = cp < BMP ? gids[cp] : 0;
            if (gid && use_glyph(c, face, gid, cp) != 0)
                return;
            if (k + 4 > sizeof out) {
                lsu_buf_add(b, out, k);
                k = 0;
            }
            out[k++] = hex[(gid >> 12) & 15], out[k++] = hex[(gid >> 8) & 15];
            out[k++] = hex[(gid >> 4) & 15], out[k++] = hex[gid & 15];
        }
        lsu_buf_add(b, out, k);
        PUT(b, "> Tj\n");
    }
}

/* « DOCUMENT DE TRAVAIL » in light grey along the page's diagonal, under
 * everything else. */
static void put_watermark(render_ctx *c, text_state *ts)
{
    static const char text[] = "DOCUMENT DE TRAVAIL";
    const float size = 64;
    lsu_buf *b = &c->content;
    unsigned long units = 0;
    for (const char *p = text; *p; p++)
        units += c->r->base_width[F_BOLD][(unsigned char)*p];
    float w = (float)units * size / 1000.0f, angle = atan2f(page_h, page_w);
    float cs = cosf(angle), sn = sinf(angle), cap = 0.36f * size;
    float x = page_w / 2 - cs * w / 2 + sn * cap, y = page_h / 2 - sn * w / 2 - cs * cap;
    PUT(b, "q\n");
    put_fill(c, COL_WATERMARK);
    PUT(b, "BT\n/F2 64 Tf\n");
    long m[4] = {lroundf(cs * 10000), lroundf(sn * 10000), -lroundf(sn * 10000), lroundf(cs * 10000)};
    for (int k = 0; k < 4; k++)
        put_fixed(b, m[k], 4);
    put_hp(b, hp(x));
    put_hp(b, hp(y));
    PUT(b, "Tm\n(DOCUMENT DE TRAVAIL) Tj\nET\nQ\n");
    ts->fonts |= 1u << F_BOLD;
}

/* Writes page p of the laid-out bilan into c->content: fills, then strokes,
 * then text (one text object), plus the guardian's address on the first
 * page; returns the fonts used.  p == npages is the blank page that pads a
 * bilan in duplex mode. */
static uint16_t put_page(render_ctx *c, size_t p, const block *address)
{
    lsu_buf *b = &c->content;
    text_state ts = {0, 0, -1, 0, 0};
    b->len = 0;
    if (c->r->opt.watermark)
        put_watermark(c, &ts);
    if (p >= c->npages)
        return ts.fonts;
    size_t from = c->page_first[p], to = p + 1 < c->npages ? c->page_first[p + 1] : c->nops;
    /* fills, grouped by colour */
    int color = -1, open = 0;
    for (size_t k = from; k < to; k++) {
        const op *o = &c->ops[k];
        if (o->kind != OP_FILL)
            continue;
        if (o->color != color) {
            if (open)
                PUT(b, "f\n");
            put_fill(c, o->color);
            color = o->color;
        }
        put_rect(b, o->x, o->y, o->w, o->h);
        open = 1;
    }
    if (open)
        PUT(b, "f\n");
    if (color != -1)
        PUT(b, "0 g\n");
    /* strokes, one path */
    open = 0;
    PUT(b, "0.5 w\n");
    for (size_t k = from; k < to; k++) {
        const op *o = &c->ops[k];
        if (o->kind == OP_STROKE) {
            put_rect(b, o->x, o->y, o->w, o->h);
            open = 1;
        } else if (o->kind == OP_LINE) {
            put_hp(b, hp(o->x));
            put_hp(b, hp(page_h - o->y));
            PUT(b, "m\n");
            put_hp(b, hp(o->x + o->w));
            put_hp(b, hp(page_h - o->y - o->h));
            PUT(b, "l\n");
            open = 1;
        }
    }
    if (open)
        PUT(b, "S\n");
    /* text */
    PUT(b, "BT\n");
    int text_color = COL_BLACK;
    for (size_t k = from; k < to && !c->failed; k++) {
        const op *o = &c->ops[k];
        if (o->kind == OP_TEXT) {
            if (o->color != text_color) {
                put_fill(c, o->color);
                text_color = o->color;
            }
            put_text(c, &ts, (const unsigned char *)c->arena.data + o->off, o->len, o->font, o->size, o->x, o->y);
        } else if (o->kind == OP_PAGENUM || o->kind == OP_PAGENUM_AFTER) {
            /* CP1252: 0x96 is the en dash */
            char number[48];
            int n = snprintf(number, sizeof number, "%sPage %zu/%zu", o->kind == OP_PAGENUM_AFTER ? " \x96 " : "",
                             p + 1, c->npages);
            float x = o->x;
            if (o->kind == OP_PAGENUM) {
                unsigned long units = 0;
                for (const char *q = number; *q; q++)
                    units += c->r->base_width[F_REG][(unsigned char)*q];
                x -= (float)units * o->size / 1000.0f;
            }
            if (o->color != text_color) {
                put_fill(c, o->color);
                text_color = o->color;
            }
            put_text(c, &ts, (const unsigned char *)number, (size_t)n, F_REG, o->size, x, o->y);
        }
    }
    if (address) {
        if (text_color != COL_BLACK)
            put_fill(c, COL_BLACK);
        float lh = address->size * LINE_FACTOR;
        for (uint32_t k = address->first; k < address->first + address->count; k++) {
            const tline *l = &c->tlines[k];
            put_text(c, &ts, (const unsigned char *)c->arena.data + l->off, l->len, l->font,
                     address->size * render_font_scale(l->font), ADDRESS_X + l->dx,
                     ADDRESS_Y + (float)l->row * lh + BASE_FACTOR * address->size);
        }
    }
    PUT(b, "ET\n");
    return ts.fonts;
}

/* Compresses n bytes at `in` at `level` and appends them to out; 0, or -1
 * (out->failed set when memory ran out).  One zlib state serves the whole
 * run: deflateReset is far cheaper than deflateInit for small streams. */
int render_deflate_into(lsu_renderer *r, int level, const void *in, size_t n, lsu_buf *out)
{
    if (!r->z_ready) {
        memset(&r->z, 0, sizeof r->z);
        if (deflateInit2(&r->z, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return -1;
        r->z_ready = 1;
        r->z_level = level;
    }
    if (deflateReset(&r->z) != Z_OK)
        return -1;
    if (level != r->z_level) {
        if (deflateParams(&r->z, level, Z_DEFAULT_STRATEGY) != Z_OK)
            return -1;
        r->z_level = level;
    }
    size_t bound = deflateBound(&r->z, (uLong)n);
    if (lsu_buf_reserve(out, bound) != 0)
        return -1;
    r->z.next_in = (Bytef *)(uintptr_t)in;
    r->z.avail_in = (uInt)n;
    r->z.next_out = (Bytef *)out->data + out->len;
    r->z.avail_out = (uInt)bound;
    if (deflate(&r->z, Z_FINISH) != Z_STREAM_END)
        return -1;
    out->len += (size_t)r->z.total_out;
    out->data[out->len] = '\0';
    return 0;
}

/* Appends page p of the current copy (address: its guardian's, or NULL) to
 * d, compressed; `same` is a page of d with the same content (a later
 * copy's page 2, 3…), reused as it is, or -1.  0 or -1. */
int render_add_drawn_page(render_ctx *c, lsu_drawn *d, size_t p, const block *address, long same)
{
    if (d->npages == d->cap_pages) {
        size_t cap = d->cap_pages ? 2 * d->cap_pages : 4;
        drawn_page *pages = realloc(d->pages, cap * sizeof *pages);
        if (!pages) {
            c->failed = 1;
            return -1;
        }
        d->pages = pages;
        d->cap_pages = cap;
    }
    if (same >= 0) {
        d->pages[d->npages++] = d->pages[same];
        return 0;
    }
    uint16_t fonts = put_page(c, p, address);
    if (c->failed || c->content.failed)
        return c->failed = 1, -1;
    size_t off = d->data.len;
    if (render_deflate_into(c->r, PAGE_LEVEL, c->content.data ? c->content.data : "", c->content.len, &d->data) != 0) {
        c->failed = 1;
        c->why = "compression d'une page";
        return -1;
    }
    d->pages[d->npages++] = (drawn_page){off, d->data.len - off, fonts};
    return 0;
}
