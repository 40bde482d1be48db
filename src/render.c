/* Stage render: printable PDF bilans drawn with libharu (see render.h), laid
 * out as the official LSU model (FORMAT.md §7).
 *
 * Owns: the renderer (a copy of the options, the font files found and the
 * width tables of every font, made once per run) and, for one call of
 * lsu_render_pdf, the libharu document, the layout of the bilan being drawn
 * and the PDF bytes handed to the caller.
 *
 * How a bilan is made: its texts are prepared once (encoded for the font
 * that can show them, unknown characters replaced by [U+XXXX] and reported
 * as PDF001), then laid out into a display list (filled and stroked
 * rectangles, text lines, page numbers, each on a numbered page), which gives
 * the page count; the list is then drawn once per copy (one per legal
 * guardian with per_guardian), so that "Page n/N" is right and nothing is
 * measured twice.  Text is measured with width tables made once per run
 * (Helvetica's from libharu, DejaVu Sans's from the font's own hmtx and cmap
 * tables, with libharu's rounding), so wrapping needs no libharu call.
 *
 * Fonts: a text fully in CP1252 is drawn with the base-14 Helvetica or
 * Helvetica-Bold (nothing embedded); any other text with DejaVu Sans,
 * embedded with the UTF-8 encoder, loaded once per document that needs it.
 * Unusual blanks (U+202F, U+2009…) are drawn as their CP1252 equivalents and
 * invisible format characters (U+200B, U+FEFF, soft hyphen) are left out, so
 * that they alone never force the embedding. */
#include "render.h"
#include "lsu.h"
#include "util.h"

#include <hpdf.h>
#include <hpdf_version.h>
#if HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3
/* libharu 2.3.0 embeds only the first level of the components of a
 * composite glyph: DejaVu's Vietnamese letters (Ễ = E + a composite accent)
 * lose their accents.  The components it misses are marked used in its
 * font definition (struct from its installed headers) before saving. */
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#define LSU_MARK_NESTED_GLYPHS 1
#endif
#include <libxml/tree.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------
 * Page geometry, in PDF points; y is measured from the top of the page while
 * laying out and turned upside down only when drawing. */

#define MM(v) ((float)(v) * (72.0f / 25.4f))

static const float page_w = 595.276f; /* A4 as libharu sets it */
static const float page_h = 841.89f;
#define LEFT MM(10)
#define RIGHT (page_w - MM(10))
#define CONTENT_W (RIGHT - LEFT)
#define BOTTOM (page_h - MM(10))
#define LINE_FACTOR 1.18f /* line height / font size */
#define BASE_FACTOR 0.85f /* baseline below the top of a line / font size */
#define HPAD MM(1.2)      /* left and right padding in cells and boxes */

/* Acquis table columns (mm): domain, éléments, appreciation, 4 × positionnement. */
static const float acq_w[3] = {MM(36), MM(63), MM(65)};
#define POS_W MM(6.5)

/* The table's (font size, vertical padding) settings, tried in turn until the
 * acquis fit the recto; the last one is the readable minimum. */
static const float table_sizes[][2] = {{8.0f, MM(1.0)}, {7.5f, MM(0.8)}, {7.0f, MM(0.6)}, {7.0f, MM(0.45)}};
#define TABLE_SIZES (sizeof table_sizes / sizeof table_sizes[0])

#define HEAD_SIZE 7.5f /* table headers */
#define BODY_SIZE 8.5f /* verso boxes */
#define LEGEND_SIZE 7.0f
#define BAND_H MM(6)
#define ADDRESS_X MM(110)
#define ADDRESS_Y MM(45)
#define ADDRESS_W MM(88)
#define ADDRESS_BOTTOM MM(78) /* the acquis band starts below the envelope window */

/* ---------------------------------------------------------------------------
 * Fonts and colours. */

/* Fonts of a document.  The base-14 Helvetica faces (nothing embedded) come
 * in four single-byte encodings, tried in this order for each text: CP1252
 * (French and Western Europe), CP1254 (the same plus Turkish: Şule, Yılmaz),
 * ISO 8859-16 (French with Polish and Romanian: Łukasz, Ștefan) and CP1250
 * (Central Europe, for a name alone).  Only a text none of them holds
 * (Vietnamese, Greek, Cyrillic…) needs the embedded DejaVu faces, whose
 * creation costs libharu 2.3 about 14 ms and 50 KB per document.  A base
 * font index is encoding * 2 + bold. */
enum {
    F_REG = 0,
    F_BOLD = 1,
    F_BASE_COUNT = 8, /* 4 encodings x regular, bold */
    F_TTF_REG = 8,
    F_TTF_BOLD = 9,
    F_COUNT = 10
};
#define ENCODINGS 4
static const char *const encoding_names[ENCODINGS] = {"CP1252", "CP1254", "ISO8859-16", "CP1250"};

enum {
    COL_BLACK,
    COL_WHITE,
    COL_BAND,
    COL_HEAD,
    COL_POS1,
    COL_POS2,
    COL_POS3,
    COL_POS4,
    COL_CYCLE,
    COL_LEVEL,
    COL_MARK,
    COL_WATERMARK,
    COL_COUNT
};

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

/* ---------------------------------------------------------------------------
 * The renderer: made once per run. */

#define BMP 65536

/* A character whose glyph has nested components: nested_gids[first, first + count). */
typedef struct {
    uint32_t cp, first, count;
} nested_entry;

struct lsu_renderer {
    lsu_render_options opt;
    char *ttf_path[2];                      /* DejaVuSans.ttf, DejaVuSans-Bold.ttf */
    uint16_t base_width[F_BASE_COUNT][256]; /* Helvetica faces by byte of their encoding, 1/1000 em; 0 = no glyph */
    uint16_t high_unicode[ENCODINGS][128];  /* code point of each byte 0x80-0xFF of each encoding (0: none) */
    uint16_t *ttf_width[2];                 /* DejaVu by BMP code point, 1/1000 em as libharu rounds it */
    unsigned char *ttf_has[2];              /* bit set of the BMP code points the font maps to a glyph */
    unsigned char *ttf_nested[2];           /* bit set of the code points listed in nested[] */
    nested_entry *nested[2];                /* by code point */
    size_t nnested[2];
    uint16_t *nested_gids[2]; /* glyphs below the first level of a composite */
};

/* CP1252 bytes 0x80-0x9F and the code points they stand for (0 = unused). */
static const uint16_t cp1252_high[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                         0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                         0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                         0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Returns the CP1252 byte of a code point, or 0 when CP1252 has none. */
static unsigned char cp1252_byte(uint32_t cp)
{
    if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF))
        return (unsigned char)cp;
    if (cp >= 0x152 && cp <= 0x2122)
        for (int i = 0; i < 32; i++)
            if (cp1252_high[i] == cp)
                return (unsigned char)(0x80 + i);
    return 0;
}

/* Decodes one UTF-8 character of s[*i..n) and advances *i; a malformed
 * sequence gives U+FFFD and advances one byte. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
    unsigned c = s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    size_t len;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        (*i)++;
        return 0xFFFD;
    }
    if (*i + len > n) {
        (*i)++;
        return 0xFFFD;
    }
    for (size_t k = 1; k < len; k++) {
        unsigned cc = s[*i + k];
        if ((cc & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += len;
    return cp;
}

/* Writes the UTF-8 form of cp into out; returns its length. */
static size_t utf8_put(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Upper case of a letter for names (Latin, Vietnamese, Greek, Cyrillic);
 * other code points are returned unchanged. */
static uint32_t upper_cp(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0xE0)
        return c;
    if (c <= 0xFE)
        return c == 0xF7 ? c : c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c == 0x131) /* dotless ı: its capital is the plain I (Yılmaz, YILMAZ) */
        return 'I';
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) || (c >= 0x1DE && c <= 0x1EF) ||
        (c >= 0x1F8 && c <= 0x21F) || (c >= 0x222 && c <= 0x233) || (c >= 0x1E00 && c <= 0x1E95) ||
        (c >= 0x1EA0 && c <= 0x1EFF) || (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
        (c >= 0x4D0 && c <= 0x52F))
        return (c & 1) ? c - 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x1CD && c <= 0x1DC))
        return (c & 1) ? c : c - 1;
    if (c == 0x3C2)
        return 0x3A3;
    if ((c >= 0x3B1 && c <= 0x3C9) || (c >= 0x430 && c <= 0x44F))
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

/* Appends s to b in upper case (see upper_cp). */
static void buf_add_upper(lsu_buf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        char out[4];
        size_t k = utf8_put(upper_cp(utf8_next(u, n, &i)), out);
        lsu_buf_add(b, out, k);
    }
}

/* ---------------------------------------------------------------------------
 * Font metrics, read once per run. */

/* Big-endian 16- and 32-bit reads (TrueType tables). */
static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads a whole file (at most 64 MB) into a malloc'd buffer; NULL on
 * failure.  The caller frees. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *data = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            size_t ncap = cap ? cap * 2 : 1 << 20;
            unsigned char *n = ncap <= (64u << 20) ? realloc(data, ncap) : NULL;
            if (!n) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = n, cap = ncap;
        }
        size_t got = fread(data + size, 1, cap - size, f);
        size += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        return NULL;
    }
    *len = size;
    return data;
}

/* Finds a table of a TrueType file; returns its start (and *len) or NULL. */
static const unsigned char *ttf_table(const unsigned char *data, size_t size, const char *tag, size_t *len)
{
    if (size < 12)
        return NULL;
    uint32_t count = be16(data + 4);
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *rec = data + 12 + 16 * (size_t)i;
        if ((size_t)(rec + 16 - data) > size)
            return NULL;
        if (memcmp(rec, tag, 4) == 0) {
            uint32_t off = be32(rec + 8), l = be32(rec + 12);
            if ((uint64_t)off + l > size)
                return NULL;
            *len = l;
            return data + off;
        }
    }
    return NULL;
}

/* The metrics a TrueType file gives: per glyph advance and per BMP code
 * point glyph, filled by ttf_metrics. */
typedef struct {
    const unsigned char *hmtx, *loca, *glyf;
    size_t glyf_len;
    int long_loca;
    uint32_t hmetrics, glyphs, upem;
    uint16_t *width;
    uint16_t *gid; /* glyph of each BMP code point, while loading */
    unsigned char *has;
} ttf_info;

/* Records that BMP code point cp shows glyph gid. */
static void ttf_map(ttf_info *t, uint32_t cp, uint32_t gid)
{
    if (cp >= BMP || gid == 0 || gid >= t->glyphs || (t->has[cp >> 3] & (1u << (cp & 7))))
        return;
    uint32_t adv = be16(t->hmtx + 4 * (size_t)(gid < t->hmetrics ? gid : t->hmetrics - 1));
    t->has[cp >> 3] |= (unsigned char)(1u << (cp & 7));
    t->width[cp] = (uint16_t)(adv * 1000 / t->upem); /* libharu's rounding */
    t->gid[cp] = (uint16_t)gid;
}

/* Reads the cmap subtable at sub (format 4 or 12) into t; 0 or -1. */
static int ttf_cmap(ttf_info *t, const unsigned char *sub, size_t avail)
{
    if (avail < 8)
        return -1;
    uint32_t format = be16(sub);
    if (format == 4) {
        size_t len = be16(sub + 2), segs = be16(sub + 6) / 2;
        if (len > avail || 16 + 8 * segs > len)
            return -1;
        const unsigned char *ends = sub + 14, *starts = ends + 2 * segs + 2, *deltas = starts + 2 * segs,
                            *ranges = deltas + 2 * segs;
        for (size_t s = 0; s < segs; s++) {
            uint32_t start = be16(starts + 2 * s), end = be16(ends + 2 * s);
            uint32_t delta = be16(deltas + 2 * s), range = be16(ranges + 2 * s);
            for (uint32_t cp = start; cp <= end && cp < 0xFFFF; cp++) {
                uint32_t gid;
                if (range == 0) {
                    gid = (cp + delta) & 0xFFFF;
                } else {
                    const unsigned char *g = ranges + 2 * s + range + 2 * (size_t)(cp - start);
                    if (g + 2 > sub + len)
                        break;
                    gid = be16(g);
                    if (gid)
                        gid = (gid + delta) & 0xFFFF;
                }
                ttf_map(t, cp, gid);
            }
        }
        return 0;
    }
    if (format == 12) {
        if (avail < 16)
            return -1;
        uint32_t len = be32(sub + 4), groups = be32(sub + 12);
        if (len > avail || 16 + 12 * (uint64_t)groups > len)
            return -1;
        for (uint32_t g = 0; g < groups; g++) {
            const unsigned char *p = sub + 16 + 12 * (size_t)g;
            uint32_t start = be32(p), end = be32(p + 4), gid = be32(p + 8);
            for (uint32_t cp = start; cp <= end && cp < BMP; cp++)
                ttf_map(t, cp, gid + (cp - start));
        }
        return 0;
    }
    return -1;
}

/* The direct components of glyph gid when it is a composite glyph (at
 * most max); returns their count, 0 for a simple or empty glyph. */
static size_t glyph_parts(const ttf_info *t, uint32_t gid, uint32_t *out, size_t max)
{
    if (!t->loca || !t->glyf || gid >= t->glyphs)
        return 0;
    size_t off = t->long_loca ? be32(t->loca + 4 * (size_t)gid) : 2 * (size_t)be16(t->loca + 2 * (size_t)gid);
    size_t end = t->long_loca ? be32(t->loca + 4 * (size_t)gid + 4) : 2 * (size_t)be16(t->loca + 2 * (size_t)gid + 2);
    if (end > t->glyf_len || end < off + 10 || !(be16(t->glyf + off) & 0x8000))
        return 0; /* empty, or a simple glyph (numberOfContours >= 0) */
    const unsigned char *p = t->glyf + off + 10, *stop = t->glyf + end;
    size_t n = 0;
    while (p + 4 <= stop && n < max) {
        uint32_t flags = be16(p);
        out[n++] = be16(p + 2);
        p += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
        if (!(flags & 0x20))
            break;
    }
    return n;
}

/* Lists, for every character of the font whose glyph is a composite of
 * composites, the glyphs below the first level (see LSU_MARK_NESTED_GLYPHS);
 * 0, or -1 when memory ran out. */
static int ttf_nested(lsu_renderer *r, int which, const ttf_info *t)
{
    size_t cap_e = 0, cap_g = 0, ne = 0, ng = 0;
    nested_entry *entries = NULL;
    uint16_t *gids = NULL;
    r->ttf_nested[which] = calloc(BMP / 8, 1);
    if (!r->ttf_nested[which])
        return -1;
    for (uint32_t cp = 0; cp < BMP; cp++) {
        if (!(t->has[cp >> 3] & (1u << (cp & 7))))
            continue;
        uint32_t stack[64], found[64];
        size_t depth_mark[64], sp = 0, nf = 0;
        /* depth-first over the components, keeping those of depth 2 and more */
        uint32_t first[16];
        size_t n1 = glyph_parts(t, t->gid[cp], first, 16);
        for (size_t k = 0; k < n1; k++)
            stack[sp] = first[k], depth_mark[sp++] = 1;
        while (sp > 0) {
            sp--;
            uint32_t g = stack[sp];
            size_t depth = depth_mark[sp];
            if (depth >= 2 && nf < 64) {
                size_t seen = 0;
                while (seen < nf && found[seen] != g)
                    seen++;
                if (seen == nf)
                    found[nf++] = g;
            }
            if (depth >= 6)
                continue;
            uint32_t parts[16];
            size_t np = glyph_parts(t, g, parts, 16);
            for (size_t k = 0; k < np && sp < 64; k++)
                stack[sp] = parts[k], depth_mark[sp++] = depth + 1;
        }
        if (nf == 0)
            continue;
        if (ne == cap_e) {
            cap_e = cap_e ? 2 * cap_e : 256;
            nested_entry *grown = realloc(entries, cap_e * sizeof *entries);
            if (!grown)
                goto oom;
            entries = grown;
        }
        if (ng + nf > cap_g) {
            cap_g = 2 * (ng + nf) + 1024;
            uint16_t *grown = realloc(gids, cap_g * sizeof *gids);
            if (!grown)
                goto oom;
            gids = grown;
        }
        entries[ne++] = (nested_entry){cp, (uint32_t)ng, (uint32_t)nf};
        for (size_t k = 0; k < nf; k++)
            gids[ng++] = (uint16_t)found[k];
        r->ttf_nested[which][cp >> 3] |= (unsigned char)(1u << (cp & 7));
    }
    r->nested[which] = entries;
    r->nnested[which] = ne;
    r->nested_gids[which] = gids;
    return 0;
oom:
    free(entries);
    free(gids);
    return -1;
}

/* Loads the width and coverage tables of one TrueType font into r (slot
 * `which`); 0, or -1 with *error set (owned by the caller). */
static int ttf_metrics(lsu_renderer *r, int which, char **error)
{
    size_t size = 0;
    unsigned char *data = read_file(r->ttf_path[which], &size);
    if (!data) {
        *error = lsu_asprintf("police illisible : %s", r->ttf_path[which]);
        return -1;
    }
    ttf_info t = {0};
    size_t head_len = 0, hhea_len = 0, maxp_len = 0, hmtx_len = 0, cmap_len = 0, loca_len = 0;
    const unsigned char *head = ttf_table(data, size, "head", &head_len);
    const unsigned char *hhea = ttf_table(data, size, "hhea", &hhea_len);
    const unsigned char *maxp = ttf_table(data, size, "maxp", &maxp_len);
    const unsigned char *cmap = ttf_table(data, size, "cmap", &cmap_len);
    t.hmtx = ttf_table(data, size, "hmtx", &hmtx_len);
    t.loca = ttf_table(data, size, "loca", &loca_len);
    t.glyf = ttf_table(data, size, "glyf", &t.glyf_len);
    int ok =
        head && head_len >= 54 && hhea && hhea_len >= 36 && maxp && maxp_len >= 6 && cmap && cmap_len >= 4 && t.hmtx;
    if (ok) {
        t.upem = be16(head + 18);
        t.hmetrics = be16(hhea + 34);
        t.glyphs = be16(maxp + 4);
        ok = t.upem > 0 && t.hmetrics > 0 && hmtx_len >= 4 * (size_t)t.hmetrics;
        t.long_loca = be16(head + 50) == 1;
        if (!t.loca || loca_len < (t.long_loca ? 4 : 2) * ((size_t)t.glyphs + 1))
            t.loca = t.glyf = NULL; /* no outlines to look into: no nested composites */
    }
    t.width = calloc(BMP, sizeof *t.width);
    t.gid = calloc(BMP, sizeof *t.gid);
    t.has = calloc(BMP / 8, 1);
    if (ok && t.width && t.gid && t.has) {
        /* the Unicode BMP subtable: (3,1) or (0,3) format 4, else a format 12 */
        uint32_t count = be16(cmap + 2);
        int best = -1, best_rank = 0;
        for (size_t i = 0; i < count && 4 + 8 * (i + 1) <= cmap_len; i++) {
            const unsigned char *rec = cmap + 4 + 8 * i;
            uint32_t platform = be16(rec), encoding = be16(rec + 2), off = be32(rec + 4);
            if ((size_t)off + 2 > cmap_len)
                continue;
            uint32_t format = be16(cmap + off);
            int rank = 0;
            if (format == 4 && ((platform == 3 && encoding == 1) || platform == 0))
                rank = 2;
            else if (format == 12 && ((platform == 3 && encoding == 10) || platform == 0))
                rank = 1;
            if (rank > best_rank)
                best = (int)off, best_rank = rank;
        }
        ok = best >= 0 && ttf_cmap(&t, cmap + best, cmap_len - (size_t)best) == 0;
    }
    int nested_failed = ok && t.width && t.gid && t.has && ttf_nested(r, which, &t) != 0;
    free(data);
    free(t.gid);
    if (!ok || !t.width || !t.has || nested_failed) {
        free(t.width);
        free(t.has);
        *error = ok ? lsu_asprintf("mémoire insuffisante")
                    : lsu_asprintf("police TrueType illisible : %s", r->ttf_path[which]);
        return -1;
    }
    r->ttf_width[which] = t.width;
    r->ttf_has[which] = t.has;
    return 0;
}

/* The first libharu error of a document. */
typedef struct {
    HPDF_STATUS code, detail;
} hpdf_error;

/* libharu's error handler: records the first error in the hpdf_error at
 * `data`; libharu goes on, and the caller checks after each page and at
 * save. */
static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    hpdf_error *e = data;
    if (e && !e->code) {
        e->code = code;
        e->detail = detail;
    }
}

/* Fills r->base_width from libharu's Helvetica metrics; 0, or -1 with
 * *error set.  (libharu's own loading of DejaVu is not tried here: it costs
 * 9 ms, our parser has checked the tables it needs, and a failure when a
 * document loads the font is reported as INT001 on that bilan.) */
static int base_metrics(lsu_renderer *r, char **error)
{
    hpdf_error err = {0, 0};
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &err);
    if (!pdf) {
        *error = lsu_asprintf("libharu : document impossible à créer");
        return -1;
    }
    static const char *const names[2] = {"Helvetica", "Helvetica-Bold"};
    for (int e = 0; e < ENCODINGS; e++) {
        HPDF_Encoder enc = HPDF_GetEncoder(pdf, encoding_names[e]);
        for (int c = 0x80; c < 256 && enc; c++) {
            HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)c);
            /* CP1252's own table is the reference for the bytes it leaves undefined */
            if (e == 0)
                u = c < 0xA0 ? cp1252_high[c - 0x80] : (HPDF_UNICODE)c;
            r->high_unicode[e][c - 0x80] = u == 0xFFFD ? 0 : (uint16_t)u;
        }
        for (int b = 0; b < 2; b++) {
            int f = e * 2 + b;
            HPDF_Font font = HPDF_GetFont(pdf, names[b], encoding_names[e]);
            for (int c = 0x20; c < 256 && font; c++) {
                HPDF_BYTE byte = (HPDF_BYTE)c;
                HPDF_TextWidth tw = HPDF_Font_TextWidth(font, &byte, 1);
                int defined = c < 0x7F || (c >= 0x80 && r->high_unicode[e][c - 0x80] != 0);
                r->base_width[f][c] = defined ? (uint16_t)tw.width : 0;
            }
        }
    }
    HPDF_Free(pdf);
    if (err.code) {
        *error = lsu_asprintf("libharu : polices de base indisponibles (erreur 0x%04X)", (unsigned)err.code);
        return -1;
    }
    return 0;
}

/* Folders searched for DejaVu Sans, after $LSU_FONT_DIR. */
static const char *const font_dirs[] = {
    "/usr/share/fonts/truetype/dejavu",   "/usr/share/fonts/dejavu",       "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts", "/usr/local/share/fonts/dejavu", "/usr/local/share/fonts"};

/* Sets r->ttf_path to the first folder holding both DejaVu Sans files; 0 or -1. */
static int find_fonts(lsu_renderer *r)
{
    const char *env = getenv("LSU_FONT_DIR");
    size_t n = sizeof font_dirs / sizeof font_dirs[0];
    for (size_t i = 0; i <= n; i++) {
        const char *dir = i == 0 ? env : font_dirs[i - 1];
        if (!dir || !*dir)
            continue;
        char *reg = lsu_asprintf("%s/DejaVuSans.ttf", dir), *bold = lsu_asprintf("%s/DejaVuSans-Bold.ttf", dir);
        if (reg && bold && access(reg, R_OK) == 0 && access(bold, R_OK) == 0) {
            r->ttf_path[0] = reg, r->ttf_path[1] = bold;
            return 0;
        }
        free(reg);
        free(bold);
    }
    return -1;
}

/* Makes a renderer: copies the options, finds DejaVu Sans and reads the
 * width tables of every font.  Returns it (freed with lsu_renderer_free), or
 * NULL with *error set (owned by the caller). */
lsu_renderer *lsu_renderer_new(const lsu_render_options *opt, char **error)
{
    *error = NULL;
    lsu_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        *error = lsu_asprintf("mémoire insuffisante");
        return NULL;
    }
    if (opt)
        r->opt = *opt;
    if (find_fonts(r) != 0) {
        *error = lsu_asprintf("police DejaVu Sans introuvable (DejaVuSans.ttf et DejaVuSans-Bold.ttf, paquet "
                              "fonts-dejavu-core ; ou dossier donné par LSU_FONT_DIR)");
        lsu_renderer_free(r);
        return NULL;
    }
    if (ttf_metrics(r, 0, error) != 0 || ttf_metrics(r, 1, error) != 0 || base_metrics(r, error) != 0) {
        lsu_renderer_free(r);
        return NULL;
    }
    return r;
}

/* Frees a renderer and everything it owns; NULL is a no-op. */
void lsu_renderer_free(lsu_renderer *r)
{
    if (!r)
        return;
    for (int i = 0; i < 2; i++) {
        free(r->ttf_path[i]);
        free(r->ttf_width[i]);
        free(r->ttf_has[i]);
        free(r->ttf_nested[i]);
        free(r->nested[i]);
        free(r->nested_gids[i]);
    }
    free(r);
}

/* Is code point cp shown by TrueType font `which` (0 regular, 1 bold)? */
static int ttf_has(const lsu_renderer *r, int which, uint32_t cp)
{
    return cp < BMP && (r->ttf_has[which][cp >> 3] & (1u << (cp & 7)));
}

/* The byte of code point cp in base encoding e, or 0 when it has none. */
static unsigned char encoding_byte(const lsu_renderer *r, int e, uint32_t cp)
{
    if (e == 0)
        return cp1252_byte(cp);
    if (cp >= 0x20 && cp < 0x7F)
        return (unsigned char)cp;
    for (int i = 0; cp >= 0x80 && i < 128; i++)
        if (r->high_unicode[e][i] == cp)
            return (unsigned char)(0x80 + i);
    return 0;
}

/* Is cp shown by base font f (an encoding of Helvetica, bold or not)? */
static int base_has(const lsu_renderer *r, int f, uint32_t cp)
{
    unsigned char b = encoding_byte(r, f / 2, cp);
    return b && r->base_width[f][b] != 0;
}

/* ---------------------------------------------------------------------------
 * The per-call context: the document, and the layout of the current bilan. */

/* A text prepared for one font: its bytes (CP1252 for Helvetica, UTF-8 for
 * DejaVu) live in the context's arena. */
typedef struct {
    uint32_t off, len;
    uint8_t font;
} ptext;

/* One line of wrapped text, placed within its block: visual row `row`,
 * `dx` points from the block's left edge, `w` points wide. */
typedef struct {
    uint32_t off, len;
    uint8_t font;
    int row;
    float dx, w;
} tline;

/* A block of wrapped text: tlines [first, first + count), `rows` visual rows. */
typedef struct {
    uint32_t first, count;
    int rows;
    float size;
} block;

enum {
    OP_TEXT,
    OP_FILL,
    OP_STROKE,
    OP_LINE,
    OP_PAGENUM,      /* "Page n/N" right-aligned at x */
    OP_PAGENUM_AFTER /* " – Page n/N" from x on (after the reminder line) */
};

/* One element of the display list (y from the top; a text's y is its baseline). */
typedef struct {
    uint8_t kind, font, color;
    float x, y, w, h, size;
    uint32_t off, len;
} op;

/* A row of the acquis table: a domain or a sub-domain. */
typedef struct {
    int sub;        /* sub-domain (indented label) */
    int pos;        /* 1-4, or 0 */
    int non_evalue; /* « Non évalué » across the positionnement */
    ptext label;
    uint32_t el_first, el_count; /* éléments du programme in ctx->elements */
    block label_b, el_b;
    int rows;
} acq_row;

/* A domain of the acquis table: its rows and its appreciation. */
typedef struct {
    ptext suite; /* "Français (suite)", for a domain continued on the next page */
    ptext appreciation;
    uint32_t row_first, row_count;
    block app_b, suite_b;
} acq_group;

/* One row slice of a table piece: visual rows [r0, r1) of a row (row NULL:
 * the "(suite)" label of a continued domain), `h` points tall. */
typedef struct {
    const acq_row *row;
    int r0, r1;
    float h;
} slice;

typedef struct {
    lsu_renderer *r;
    lsu_diag_list *diags;
    const lsu_render_item *item;
    int failed;      /* memory ran out */
    const char *why; /* what failed, for INT001 */

    /* per bilan, emptied between bilans */
    lsu_buf arena;
    tline *tlines;
    size_t ntlines, cap_tlines;
    op *ops;
    size_t nops, cap_ops;
    uint32_t *page_first; /* first op of each page */
    size_t npages, cap_pages;
    acq_row *rows;
    size_t nrows, cap_rows;
    acq_group *groups;
    size_t ngroups, cap_groups;
    ptext *elements;
    size_t nelements, cap_elements;
    slice *slices; /* pieces of the acquis table being placed */
    size_t cap_slices;
    block *addresses; /* one per legal guardian */
    size_t naddresses, cap_addresses;
    float address_bottom; /* the lowest address block's bottom */
    uint32_t *cps;        /* decoding scratch */
    size_t cap_cps;

    /* layout state */
    float y;        /* cursor, from the top */
    block reminder; /* reminder line of the continuation pages */
    block head[4];  /* acquis table headers */
    float head_h;
    float size, pad, lh; /* acquis table settings */
    ptext legend;

    /* the document */
    HPDF_Doc pdf;
    HPDF_Font fonts[F_COUNT];
    const char *ttf_names[2];      /* as libharu named the loaded DejaVu faces */
    unsigned char *nested_used[2]; /* code points with nested glyphs drawn in this document */
    int utf_ready;
    hpdf_error err;
    char *scratch;
    size_t cap_scratch;
} render_ctx;

/* Makes room for `need` elements of `size` bytes in the array whose
 * pointer is at `slot` (any T **); 0, or -1 with c->failed set. */
static int grow(render_ctx *c, void *slot, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *old;
    memcpy(&old, slot, sizeof old);
    void *n = realloc(old, ncap * size);
    if (!n) {
        c->failed = 1;
        return -1;
    }
    memcpy(slot, &n, sizeof n);
    *cap = ncap;
    return 0;
}

#define GROW(c, arr, n, cap) grow((c), &(arr), &(cap), (n) + 1, sizeof *(arr))

/* Frees everything the context owns but the document. */
static void ctx_free(render_ctx *c)
{
    lsu_buf_free(&c->arena);
    free(c->tlines);
    free(c->ops);
    free(c->page_first);
    free(c->rows);
    free(c->groups);
    free(c->elements);
    free(c->slices);
    free(c->addresses);
    free(c->cps);
    free(c->scratch);
    free(c->nested_used[0]);
    free(c->nested_used[1]);
}

/* Empties the per-bilan storage, keeping its memory for the next bilan. */
static void ctx_reset(render_ctx *c)
{
    c->arena.len = 0;
    c->ntlines = c->nops = c->npages = c->nrows = c->ngroups = c->nelements = c->naddresses = 0;
    c->address_bottom = 0;
}

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
    return f < F_TTF_REG ? base_has(r, f, cp) : ttf_has(r, f - F_TTF_REG, cp);
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
static int prepare(render_ctx *c, const char *s, int bold, long line, const char *where, const char *detail, ptext *out)
{
    const lsu_renderer *r = c->r;
    out->off = (uint32_t)c->arena.len;
    out->len = 0;
    out->font = (uint8_t)(bold ? F_BOLD : F_REG);
    if (!s || !*s)
        return 0;
    size_t n = strlen(s), count = 0, i = 0;
    if (grow(c, &c->cps, &c->cap_cps, n, sizeof *c->cps) != 0)
        return -1;
    size_t miss_base = 0, miss_ttf[2] = {0, 0};
    while (i < n) {
        uint32_t cp = substitute(utf8_next((const unsigned char *)s, n, &i));
        if (cp == UINT32_MAX)
            continue;
        c->cps[count++] = cp;
        miss_base += cp != '\n' && !base_has(r, bold, cp);
    }
    int font = bold ? F_BOLD : F_REG;
    for (int e = 1; miss_base && e < ENCODINGS; e++) { /* another Helvetica encoding that holds it all? */
        size_t miss = 0;
        for (size_t k = 0; k < count && !miss; k++)
            miss += c->cps[k] != '\n' && !base_has(r, e * 2 + bold, c->cps[k]);
        if (!miss) {
            font = e * 2 + bold;
            miss_base = 0;
        }
    }
    if (miss_base) { /* no Helvetica encoding holds it: which DejaVu face shows the most? */
        for (size_t k = 0; k < count; k++) {
            miss_ttf[0] += c->cps[k] != '\n' && !ttf_has(r, 0, c->cps[k]);
            miss_ttf[1] += c->cps[k] != '\n' && !ttf_has(r, 1, c->cps[k]);
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
    for (size_t k = 0; k < count; k++) {
        uint32_t cp = c->cps[k];
        if (cp != '\n' && !font_has(r, font, cp)) {
            char tag[16];
            int len = snprintf(tag, sizeof tag, "[U+%04X]", (unsigned)cp);
            lsu_buf_add(&c->arena, tag, (size_t)len);
            size_t seen = 0;
            while (seen < nmissing && missing[seen] != cp)
                seen++;
            if (seen == nmissing && nmissing < 4)
                missing[nmissing++] = cp;
            else if (seen == nmissing)
                more = 1;
        } else if (font < F_TTF_REG) {
            char b = cp == '\n' ? '\n' : (char)encoding_byte(r, font / 2, cp);
            lsu_buf_add(&c->arena, &b, 1);
        } else {
            char u[4];
            lsu_buf_add(&c->arena, u, utf8_put(cp, u));
            int f = font - F_TTF_REG;
            if (cp < BMP && (r->ttf_nested[f][cp >> 3] & (1u << (cp & 7)))) {
                if (!c->nested_used[f] && !(c->nested_used[f] = calloc(BMP / 8, 1))) {
                    c->failed = 1;
                    return -1;
                }
                c->nested_used[f][cp >> 3] |= (unsigned char)(1u << (cp & 7));
            }
        }
    }
    if (c->arena.failed) {
        c->failed = 1;
        return -1;
    }
    out->len = (uint32_t)(c->arena.len - out->off);
    out->font = (uint8_t)font;
    if (nmissing && where)
        report_missing(c, missing, nmissing, more, line, where, detail);
    return 0;
}

/* Prepares a constant of this file (CP1252 French wording, never reported). */
static ptext constant(render_ctx *c, const char *s, int bold)
{
    ptext t;
    prepare(c, s, bold, 0, NULL, NULL, &t);
    return t;
}

/* DejaVu Sans looks larger than Helvetica at the same size (wider, taller x
 * height): it is drawn a little smaller so that both read alike. */
#define TTF_SCALE 0.93f

/* Size factor of a font (see TTF_SCALE). */
static float font_scale(int font)
{
    return font < F_TTF_REG ? 1.0f : TTF_SCALE;
}

/* Width of one character of a prepared text, in 1/1000 em. */
static unsigned char_width(const lsu_renderer *r, int font, uint32_t cp)
{
    if (font < F_TTF_REG)
        return r->base_width[font][cp & 0xFF];
    return cp < BMP ? r->ttf_width[font - F_TTF_REG][cp] : 0;
}

/* Reads the next character of a prepared text (a byte for Helvetica). */
static uint32_t ptext_next(const unsigned char *s, size_t n, size_t *i, int font)
{
    if (font < F_TTF_REG)
        return s[(*i)++];
    return utf8_next(s, n, i);
}

/* Width of a whole prepared text at `size`, in points. */
static float ptext_width(render_ctx *c, const ptext *t, float size)
{
    const unsigned char *s = (const unsigned char *)c->arena.data + t->off;
    size_t i = 0;
    unsigned long units = 0;
    while (i < t->len)
        units += char_width(c->r, t->font, ptext_next(s, t->len, &i, t->font));
    return (float)units * size * font_scale(t->font) / 1000.0f;
}

/* ---------------------------------------------------------------------------
 * Wrapping. */

enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

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
static int wrap(render_ctx *c, const ptext *t, float size, float width, float first_dx, float hang_dx, int align,
                int row0)
{
    if (t->len == 0)
        return 0;
    const unsigned char *s = (const unsigned char *)c->arena.data + t->off;
    const size_t len = t->len;
    const float scale = size * font_scale(t->font) / 1000.0f;
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
            long cw = (long)char_width(c->r, t->font, cp);
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
static int wrap_lead(render_ctx *c, const ptext *lead, const ptext *text, float size, float width, int hang, int row0)
{
    float lw = ptext_width(c, lead, size);
    add_tline(c, lead->off, lead->len, lead->font, row0, 0, lw);
    int rows = wrap(c, text, size, width, lw, hang ? lw : 0, ALIGN_LEFT, row0);
    return rows > 0 ? rows : 1;
}

/* Opens a block at the current end of the tline list. */
static block block_open(render_ctx *c, float size)
{
    block b = {(uint32_t)c->ntlines, 0, 0, size};
    return b;
}

/* Closes a block opened with block_open, `rows` visual rows tall. */
static void block_close(render_ctx *c, block *b, int rows)
{
    b->count = (uint32_t)(c->ntlines - b->first);
    b->rows = rows;
}

/* A block holding one wrapped text. */
static block block_text(render_ctx *c, const ptext *t, float size, float width, int align)
{
    block b = block_open(c, size);
    block_close(c, &b, wrap(c, t, size, width, 0, 0, align, 0));
    return b;
}

/* ---------------------------------------------------------------------------
 * The display list. */

/* Appends a display-list element on the current (last) page. */
static op *add_op(render_ctx *c, int kind)
{
    if (GROW(c, c->ops, c->nops, c->cap_ops) != 0)
        return NULL;
    op *o = &c->ops[c->nops++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    return o;
}

/* A rectangle filled with a palette colour (x, y: top left). */
static void add_fill(render_ctx *c, float x, float y, float w, float h, int color)
{
    op *o = add_op(c, OP_FILL);
    if (o)
        o->x = x, o->y = y, o->w = w, o->h = h, o->color = (uint8_t)color;
}

/* A stroked rectangle: a cell or box border. */
static void add_rect(render_ctx *c, float x, float y, float w, float h)
{
    op *o = add_op(c, OP_STROKE);
    if (o)
        o->x = x, o->y = y, o->w = w, o->h = h;
}

/* A stroked line from (x, y) to (x + w, y + h). */
static void add_line(render_ctx *c, float x, float y, float w, float h)
{
    op *o = add_op(c, OP_LINE);
    if (o)
        o->x = x, o->y = y, o->w = w, o->h = h;
}

/* A text at baseline (x, y). */
static void add_text(render_ctx *c, uint32_t off, uint32_t len, int font, float size, float x, float y, int color)
{
    if (len == 0)
        return;
    op *o = add_op(c, OP_TEXT);
    if (o)
        o->x = x, o->y = y, o->size = size * font_scale(font), o->off = off, o->len = len, o->font = (uint8_t)font,
        o->color = (uint8_t)color;
}

/* "Page n/N" (kind OP_PAGENUM) or " – Page n/N" (OP_PAGENUM_AFTER) at x,
 * filled in when drawing. */
static void add_page_number(render_ctx *c, int kind, float x, float y, float size)
{
    op *o = add_op(c, kind);
    if (o)
        o->x = x, o->y = y, o->size = size;
}

/* Places the rows [r0, r1) of a block with its left edge at x and the top
 * of row r0 at y. */
static void emit_block(render_ctx *c, const block *b, int r0, int r1, float x, float y, int color)
{
    float lh = b->size * LINE_FACTOR;
    for (uint32_t k = b->first; k < b->first + b->count; k++) {
        const tline *l = &c->tlines[k];
        if (l->row < r0 || l->row >= r1)
            continue;
        add_text(c, l->off, l->len, l->font, b->size, x + l->dx, y + (float)(l->row - r0) * lh + BASE_FACTOR * b->size,
                 color);
    }
}

/* Starts a new page of the current bilan. */
static void new_page(render_ctx *c)
{
    if (GROW(c, c->page_first, c->npages, c->cap_pages) != 0)
        return;
    c->page_first[c->npages++] = (uint32_t)c->nops;
}

/* Where the rule under the reminder line of a continuation page lies. */
static float reminder_rule_y(const render_ctx *c)
{
    int rows = c->reminder.rows ? c->reminder.rows : 1;
    return MM(8) + (float)rows * c->reminder.size * LINE_FACTOR + MM(1);
}

/* Where the content of a continuation page starts. */
static float continuation_top(const render_ctx *c)
{
    return reminder_rule_y(c) + MM(3);
}

/* Starts a continuation page: the reminder line, its page number, a rule;
 * the cursor goes under them. */
static void continuation_page(render_ctx *c)
{
    new_page(c);
    emit_block(c, &c->reminder, 0, c->reminder.rows, LEFT, MM(8), COL_BLACK);
    /* the page number follows the reminder's last line */
    const block *b = &c->reminder;
    float x = LEFT, y = MM(8) + BASE_FACTOR * b->size;
    if (b->count > 0) {
        const tline *last = &c->tlines[b->first + b->count - 1];
        x += last->dx + last->w;
        y += (float)last->row * b->size * LINE_FACTOR;
    }
    add_page_number(c, OP_PAGENUM_AFTER, x, y, b->size);
    add_line(c, LEFT, reminder_rule_y(c), CONTENT_W, 0);
    c->y = continuation_top(c);
}

/* ---------------------------------------------------------------------------
 * What every bilan shares: names, header, title block, bands, boxes. */

/* What the header and title block of a bilan show, in UTF-8. */
typedef struct {
    xmlNodePtr node;
    int cycle_bilan;
    long line;
    const char *cycle, *niveau, *classe, *ine, *uai;
    lsu_buf who;   /* "NOM Prénom" */
    lsu_buf level; /* "Cycle 2 – Classe de CE1" */
    lsu_buf period;
} bilan_info;

/* First element child of n named `name` (any name when NULL). */
static xmlNodePtr child_el(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && (!name || strcmp((const char *)k->name, name) == 0))
            return k;
    return NULL;
}

/* Next element sibling of n with the same name. */
static xmlNodePtr next_el(xmlNodePtr n)
{
    for (xmlNodePtr k = n ? n->next : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, (const char *)n->name) == 0)
            return k;
    return NULL;
}

/* The source line of a normalised element (its `ligne`), else `fallback`. */
static long node_line(xmlNodePtr n, long fallback)
{
    const char *l = lsu_attr(n, "ligne");
    if (!l || !*l)
        return fallback;
    char *end;
    long v = strtol(l, &end, 10);
    return *end == '\0' && v > 0 ? v : fallback;
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
static int prepare_node(render_ctx *c, xmlNodePtr n, int bold, long fallback, const char *where, const char *detail,
                        ptext *out)
{
    xmlChar *owned;
    const char *s = node_text(n, &owned);
    int rc = prepare(c, s, bold, node_line(n, fallback), where, detail, out);
    xmlFree(owned);
    return rc;
}

/* Appends "NOM Prénom" (or what exists of it) to b. */
static void add_name(lsu_buf *b, const char *nom, const char *prenom)
{
    if (nom && *nom)
        buf_add_upper(b, nom);
    if (prenom && *prenom) {
        if (nom && *nom)
            lsu_buf_puts(b, " ");
        lsu_buf_puts(b, prenom);
    }
}

/* Appends "M. NOM Prénom" for a person element (teacher, director). */
static void add_person(lsu_buf *b, xmlNodePtr p)
{
    const char *civ = lsu_attr(p, "civilite");
    if (civ && strcmp(civ, "M") == 0)
        lsu_buf_puts(b, "M. ");
    else if (civ && strcmp(civ, "MME") == 0)
        lsu_buf_puts(b, "Mme ");
    else if (civ && *civ)
        lsu_buf_printf(b, "%s ", civ);
    add_name(b, lsu_attr(p, "nom"), lsu_attr(p, "prenom"));
}

/* Reads what the header and title show; the buffers are freed by info_free. */
static void info_read(bilan_info *b, xmlNodePtr node)
{
    memset(b, 0, sizeof *b);
    b->node = node;
    b->cycle_bilan = strcmp((const char *)node->name, "bilan-cycle") == 0;
    b->line = node_line(node, 0);
    b->cycle = lsu_attr(node, "cycle-classe");
    if ((!b->cycle || !*b->cycle) && b->cycle_bilan)
        b->cycle = lsu_attr(node, "cycle");
    if (b->cycle && !*b->cycle)
        b->cycle = NULL;
    b->niveau = lsu_attr(node, "niveau");
    if (b->niveau && !*b->niveau)
        b->niveau = NULL;
    b->classe = lsu_attr(node, "classe");
    b->ine = lsu_attr(node, "ine");
    xmlNodePtr root = node->doc ? xmlDocGetRootElement(node->doc) : NULL;
    b->uai = root ? lsu_attr(root, "uai") : NULL;
    add_name(&b->who, lsu_attr(node, "nom"), lsu_attr(node, "prenom"));
    if (b->cycle)
        lsu_buf_printf(&b->level, "Cycle %s – ", b->cycle);
    if (b->niveau || (b->classe && *b->classe))
        lsu_buf_printf(&b->level, "Classe de %s", b->niveau ? b->niveau : b->classe);
    const char *annee = lsu_attr(node, "annee");
    if (annee && *annee)
        lsu_buf_printf(&b->period, "%s – ", annee);
    if (b->cycle_bilan) {
        const char *cy = lsu_attr(node, "cycle");
        lsu_buf_printf(&b->period, "Fin de cycle %s", cy && *cy ? cy : "2");
    } else {
        const char *lib = lsu_attr(node, "libelle");
        lsu_buf_puts(&b->period, lib && *lib ? lib : "");
    }
}

/* Frees the buffers of a bilan_info. */
static void info_free(bilan_info *b)
{
    lsu_buf_free(&b->who);
    lsu_buf_free(&b->level);
    lsu_buf_free(&b->period);
}

/* A coloured band with a bold title across the page at the cursor; keeps
 * `keep` points under it on the same page. */
static void band(render_ctx *c, const char *title, float keep)
{
    if (c->y + BAND_H + keep > BOTTOM)
        continuation_page(c);
    ptext t = constant(c, title, 1);
    const float size = 9.5f;
    add_fill(c, LEFT, c->y, CONTENT_W, BAND_H, COL_BAND);
    add_text(c, t.off, t.len, t.font, size, LEFT + MM(2), c->y + BAND_H / 2 + 0.35f * size, COL_BLACK);
    c->y += BAND_H + MM(1.5);
}

/* A bordered box holding a block, `min_h` points tall at least, at x and
 * `w` wide; split at line boundaries over as many pages as it needs. */
static void box(render_ctx *c, const block *b, float x, float w, float min_h)
{
    const float pad = MM(1.5), lh = b->size * LINE_FACTOR;
    int r = 0, total = b->rows;
    for (;;) {
        float avail = BOTTOM - c->y;
        int left = total - r, fit = (int)floorf((avail - 2 * pad) / lh);
        int need = left < 2 ? left : 2; /* never leave a lone line */
        if (fit < need || (left == 0 && avail < min_h)) {
            continuation_page(c);
            continue;
        }
        int m = left < fit ? left : fit;
        float h = (float)m * lh + 2 * pad;
        if (r + m == total && h < min_h)
            h = min_h < avail ? min_h : avail;
        add_rect(c, x, c->y, w, h);
        emit_block(c, b, r, r + m, x + HPAD, c->y + pad, COL_BLACK);
        c->y += h;
        r += m;
        if (r >= total)
            break;
        continuation_page(c);
    }
    c->y += MM(2);
}

/* Side-by-side boxes of equal height (the visas), never split. */
static void visa_boxes(render_ctx *c, const block *b, int n, float min_h)
{
    const float pad = MM(1.5), gap = MM(3);
    float w = (CONTENT_W - gap * (float)(n - 1)) / (float)n, h = min_h;
    for (int i = 0; i < n; i++) {
        float bh = (float)b[i].rows * b[i].size * LINE_FACTOR + 2 * pad;
        if (bh > h)
            h = bh;
    }
    if (c->y + h > BOTTOM)
        continuation_page(c);
    for (int i = 0; i < n; i++) {
        float x = LEFT + (float)i * (w + gap);
        add_rect(c, x, c->y, w, h);
        emit_block(c, &b[i], 0, b[i].rows, x + HPAD, c->y + pad, COL_BLACK);
    }
    c->y += h + MM(2);
}

/* A visa box's content: a bold title, then lines. */
static block visa_block(render_ctx *c, const char *title, const ptext *lines, int n, float w)
{
    block b = block_open(c, BODY_SIZE);
    ptext t = constant(c, title, 1);
    int rows = wrap(c, &t, BODY_SIZE, w, 0, 0, ALIGN_LEFT, 0) + 1; /* a blank row under the title */
    for (int i = 0; i < n; i++)
        rows += wrap(c, &lines[i], BODY_SIZE, w, 0, 0, ALIGN_LEFT, rows);
    block_close(c, &b, rows);
    return b;
}

/* The header of a first page: ministry mark, school, page number, cycle grid. */
static void recto_header(render_ctx *c, const bilan_info *b)
{
    new_page(c);
    /* the ministry mark */
    add_fill(c, LEFT, MM(10), MM(0.8), MM(11.5), COL_MARK);
    static const char *const mark[3] = {"MINISTÈRE", "DE L'ÉDUCATION", "NATIONALE"};
    for (int i = 0; i < 3; i++) {
        ptext t = constant(c, mark[i], 1);
        add_text(c, t.off, t.len, t.font, 8, LEFT + MM(2.5), MM(12.8) + (float)i * MM(3.6), COL_BLACK);
    }
    /* the school: the 1d export names no school, only its UAI */
    ptext school = constant(c, "École", 1);
    add_text(c, school.off, school.len, school.font, 9.5f, MM(62), MM(13.5), COL_BLACK);
    if (b->uai && *b->uai) {
        lsu_buf s = {0};
        lsu_buf_printf(&s, "UAI : %s", b->uai);
        ptext t;
        prepare(c, s.data, 0, b->line, "UAI de l'école", NULL, &t);
        lsu_buf_free(&s);
        block bl = block_text(c, &t, 8.5f, MM(70), ALIGN_LEFT);
        emit_block(c, &bl, 0, bl.rows < 2 ? bl.rows : 2, MM(62), MM(18) - BASE_FACTOR * 8.5f, COL_BLACK);
    }
    add_page_number(c, OP_PAGENUM, RIGHT, MM(12.3), 7.5f);
    /* the cycle grid */
    if (b->cycle && (strcmp(b->cycle, "2") == 0 || strcmp(b->cycle, "3") == 0)) {
        static const char *const levels[2][3] = {{"CP", "CE1", "CE2"}, {"CM1", "CM2", "6e"}};
        const char *const *lv = levels[b->cycle[0] == '3'];
        const float top = MM(14.5), h = MM(6), cw = MM(12), first_w = MM(16);
        float x = RIGHT - first_w - 3 * cw;
        ptext t = constant(c, b->cycle[0] == '3' ? "Cycle 3" : "Cycle 2", 1);
        add_fill(c, x, top, first_w, h, COL_CYCLE);
        add_rect(c, x, top, first_w, h);
        add_text(c, t.off, t.len, t.font, 8, x + (first_w - ptext_width(c, &t, 8)) / 2, top + h / 2 + 2.9f, COL_WHITE);
        x += first_w;
        for (int i = 0; i < 3; i++, x += cw) {
            int current = b->niveau && strcmp(b->niveau, lv[i]) == 0;
            if (current)
                add_fill(c, x, top, cw, h, COL_LEVEL);
            add_rect(c, x, top, cw, h);
            t = constant(c, lv[i], current);
            add_text(c, t.off, t.len, t.font, 8, x + (cw - ptext_width(c, &t, 8)) / 2, top + h / 2 + 2.9f, COL_BLACK);
        }
    }
}

/* One centred paragraph of the title block at the cursor. */
static void title_line(render_ctx *c, const ptext *t, float size, float x, float w)
{
    block b = block_text(c, t, size, w, ALIGN_CENTER);
    emit_block(c, &b, 0, b.rows, x, c->y, COL_BLACK);
    c->y += (float)b.rows * size * LINE_FACTOR;
}

/* The title block (LIVRET SCOLAIRE, cycle and class, year and period, name,
 * INE), centred on the page, or in the left half beside the address
 * window when copies go to each guardian. */
static void title_block(render_ctx *c, const bilan_info *b)
{
    float x = LEFT, w = c->r->opt.per_guardian ? MM(95) : CONTENT_W;
    c->y = MM(25);
    ptext t = constant(c, "LIVRET SCOLAIRE", 1);
    title_line(c, &t, 15, x, w);
    c->y += MM(1);
    prepare(c, b->level.data, 0, b->line, "classe", NULL, &t);
    title_line(c, &t, 10, x, w);
    prepare(c, b->period.data, 0, b->line, "période", NULL, &t);
    title_line(c, &t, 10, x, w);
    c->y += MM(0.8);
    lsu_buf s = {0};
    lsu_buf_puts(&s, b->who.data ? b->who.data : "");
    if (b->classe && *b->classe)
        lsu_buf_printf(&s, " (%s)", b->classe);
    prepare(c, s.data, 1, b->line, "nom de l'élève", NULL, &t);
    lsu_buf_free(&s);
    title_line(c, &t, 11, x, w);
    if (b->ine && *b->ine) {
        lsu_buf i = {0};
        lsu_buf_printf(&i, "INE : %s", b->ine);
        prepare(c, i.data, 0, b->line, "INE", NULL, &t);
        lsu_buf_free(&i);
        c->y += MM(0.8);
        title_line(c, &t, 8.5f, x, w);
    }
    c->y += MM(3);
    if (c->r->opt.per_guardian && c->y < ADDRESS_BOTTOM)
        c->y = ADDRESS_BOTTOM;
    if (c->y < c->address_bottom + MM(3))
        c->y = c->address_bottom + MM(3);
}

/* The reminder line of the continuation pages: "LIVRET SCOLAIRE – Cycle 2 –
 * Classe de CE1 – NOM Prénom" (its page number is added when drawn). */
static void make_reminder(render_ctx *c, const bilan_info *b)
{
    lsu_buf s = {0};
    lsu_buf_puts(&s, "LIVRET SCOLAIRE");
    if (b->level.len)
        lsu_buf_printf(&s, " – %s", b->level.data);
    if (b->who.len)
        lsu_buf_printf(&s, " – %s", b->who.data);
    ptext t;
    prepare(c, s.data, 0, b->line, NULL, NULL, &t); /* already reported with the title */
    lsu_buf_free(&s);
    c->reminder = block_text(c, &t, 7.5f, CONTENT_W - MM(22), ALIGN_LEFT);
}

/* The address blocks of the legal guardians (one per copy), for the window
 * of an envelope: civilité NOM prénom, address lines, code postal commune. */
static void make_addresses(render_ctx *c, xmlNodePtr bilan, long line)
{
    xmlNodePtr list = child_el(bilan, "responsables");
    for (xmlNodePtr p = child_el(list, "responsable"); p; p = next_el(p)) {
        long pline = node_line(p, line);
        const char *civ = lsu_attr(p, "civilite");
        lsu_buf name = {0};
        if (civ && strcmp(civ, "M") == 0)
            lsu_buf_puts(&name, "Monsieur ");
        else if (civ && strcmp(civ, "MME") == 0)
            lsu_buf_puts(&name, "Madame ");
        add_name(&name, lsu_attr(p, "nom"), lsu_attr(p, "prenom"));
        xmlNodePtr a = child_el(p, "adresse");
        const char *fields[4] = {lsu_attr(a, "ligne1"), lsu_attr(a, "ligne2"), lsu_attr(a, "ligne3"),
                                 lsu_attr(a, "ligne4")};
        lsu_buf town = {0};
        const char *cp = lsu_attr(a, "code-postal"), *commune = lsu_attr(a, "commune");
        lsu_buf_printf(&town, "%s%s%s", cp ? cp : "", cp && commune ? " " : "", commune ? commune : "");
        ptext lines[6];
        int n = 0;
        prepare(c, name.data, 0, pline, "responsable légal", NULL, &lines[n++]);
        for (int i = 0; i < 4; i++)
            if (fields[i] && *fields[i])
                prepare(c, fields[i], 0, pline, "adresse du responsable légal", NULL, &lines[n++]);
        if (town.len)
            prepare(c, town.data, 0, pline, "adresse du responsable légal", NULL, &lines[n++]);
        lsu_buf_free(&name);
        lsu_buf_free(&town);
        /* shrink the type if the lines would not fit above the acquis band */
        static const float sizes[3] = {10, 9, 8};
        for (int s = 0; s < 3; s++) {
            size_t mark = c->ntlines;
            block b = block_open(c, sizes[s]);
            int rows = 0;
            for (int i = 0; i < n; i++)
                rows += wrap(c, &lines[i], sizes[s], ADDRESS_W, 0, 0, ALIGN_LEFT, rows);
            block_close(c, &b, rows);
            float bottom = ADDRESS_Y + (float)rows * sizes[s] * LINE_FACTOR;
            if (bottom <= ADDRESS_BOTTOM - MM(2) || s == 2) {
                if (GROW(c, c->addresses, c->naddresses, c->cap_addresses) == 0)
                    c->addresses[c->naddresses++] = b;
                if (bottom > c->address_bottom)
                    c->address_bottom = bottom; /* too long even in 8 pt: the band moves down */
                break;
            }
            c->ntlines = mark;
        }
    }
}

/* ---------------------------------------------------------------------------
 * The acquis table (bilan périodique, recto). */

/* Reads the acquis of a bilan into rows and groups, texts prepared. */
static void acquis_read(render_ctx *c, xmlNodePtr bilan, long line)
{
    xmlNodePtr list = child_el(bilan, "liste-acquis");
    for (xmlNodePtr a = child_el(list, "acquis"); a; a = next_el(a)) {
        if (GROW(c, c->groups, c->ngroups, c->cap_groups) != 0)
            return;
        acq_group *g = &c->groups[c->ngroups++];
        memset(g, 0, sizeof *g);
        long aline = node_line(a, line);
        const char *label = lsu_attr(a, "libelle");
        if (!label || !*label)
            label = lsu_attr(a, "code");
        lsu_buf suite = {0};
        lsu_buf_printf(&suite, "%s (suite)", label ? label : "");
        prepare(c, suite.data, 1, aline, NULL, NULL, &g->suite);
        lsu_buf_free(&suite);
        prepare_node(c, child_el(a, "appreciation"), 0, aline, "appréciation", label, &g->appreciation);
        g->row_first = (uint32_t)c->nrows;
        /* the domain's own row, then its sub-domains */
        for (xmlNodePtr n = a; n; n = n == a ? child_el(a, "sous-domaine") : next_el(n)) {
            if (GROW(c, c->rows, c->nrows, c->cap_rows) != 0)
                return;
            acq_row *row = &c->rows[c->nrows++];
            memset(row, 0, sizeof *row);
            row->sub = n != a;
            long nline = node_line(n, aline);
            const char *lab = lsu_attr(n, "libelle");
            if (!lab || !*lab)
                lab = lsu_attr(n, "code");
            prepare(c, lab, !row->sub, nline, "domaine d'enseignement", NULL, &row->label);
            const char *pos = lsu_attr(n, "positionnement"), *ne = lsu_attr(n, "non-evalue");
            row->non_evalue = ne && strcmp(ne, "oui") == 0;
            if (!row->non_evalue && pos && pos[0] >= '1' && pos[0] <= '4' && pos[1] == '\0')
                row->pos = pos[0] - '0';
            row->el_first = (uint32_t)c->nelements;
            for (xmlNodePtr e = child_el(n, "element-programme"); e; e = next_el(e)) {
                if (GROW(c, c->elements, c->nelements, c->cap_elements) != 0)
                    return;
                prepare(c, lsu_attr(e, "libelle"), 0, nline, "élément du programme", lab, &c->elements[c->nelements++]);
            }
            row->el_count = (uint32_t)(c->nelements - row->el_first);
            g->row_count++;
        }
    }
}

/* Wraps every cell of the table at size s; returns the table's height
 * (groups only, header and legend excluded). */
static float acquis_wrap(render_ctx *c, float s, float pad)
{
    const float lh = s * LINE_FACTOR, indent = MM(3);
    ptext bullet = constant(c, "• ", 0);
    float total = 0;
    for (size_t gi = 0; gi < c->ngroups; gi++) {
        acq_group *g = &c->groups[gi];
        float rows_h = 0;
        for (uint32_t k = 0; k < g->row_count; k++) {
            acq_row *row = &c->rows[g->row_first + k];
            float lw = acq_w[0] - 2 * HPAD - (row->sub ? indent : 0);
            row->label_b = block_open(c, s);
            block_close(c, &row->label_b, wrap(c, &row->label, s, lw, 0, 0, ALIGN_LEFT, 0));
            row->el_b = block_open(c, s);
            int rows = 0;
            for (uint32_t e = 0; e < row->el_count; e++)
                rows += wrap_lead(c, &bullet, &c->elements[row->el_first + e], s, acq_w[1] - 2 * HPAD, 1, rows);
            block_close(c, &row->el_b, rows);
            int r = row->label_b.rows > row->el_b.rows ? row->label_b.rows : row->el_b.rows;
            row->rows = r > 0 ? r : 1;
            rows_h += (float)row->rows * lh + 2 * pad;
        }
        g->app_b = block_text(c, &g->appreciation, s, acq_w[2] - 2 * HPAD, ALIGN_LEFT);
        g->suite_b = block_text(c, &g->suite, s, acq_w[0] - 2 * HPAD, ALIGN_LEFT);
        float app_h = g->app_b.rows ? (float)g->app_b.rows * lh + 2 * pad : 0;
        total += rows_h > app_h ? rows_h : app_h;
    }
    return total;
}

/* Natural height of one group at the current settings. */
static float group_height(const render_ctx *c, const acq_group *g)
{
    float rows_h = 0;
    for (uint32_t k = 0; k < g->row_count; k++)
        rows_h += (float)c->rows[g->row_first + k].rows * c->lh + 2 * c->pad;
    float app_h = g->app_b.rows ? (float)g->app_b.rows * c->lh + 2 * c->pad : 0;
    return rows_h > app_h ? rows_h : app_h;
}

/* Wraps the table's column headers (once per bilan). */
static void acquis_head_make(render_ctx *c)
{
    static const char *const heads[4] = {"Domaines d'enseignement", "Principaux éléments du programme travaillés",
                                         "Acquisitions, progrès et difficultés éventuelles", "Positionnement [*]"};
    const float pad = MM(0.8), lh = HEAD_SIZE * LINE_FACTOR;
    float h = 0;
    for (int i = 0; i < 4; i++) {
        ptext t = constant(c, heads[i], 1);
        float w = (i < 3 ? acq_w[i] : 4 * POS_W) - 2 * MM(0.6);
        c->head[i] = block_text(c, &t, HEAD_SIZE, w, ALIGN_CENTER);
        float need = (float)c->head[i].rows * lh + 2 * pad;
        if (i == 3)
            need += lh + 2 * pad; /* the row of 1 2 3 4 */
        if (need > h)
            h = need;
    }
    c->head_h = h;
}

/* Draws the column headers at the cursor and moves under them. */
static void acquis_head(render_ctx *c)
{
    const float pad = MM(0.8), lh = HEAD_SIZE * LINE_FACTOR, y = c->y, h = c->head_h;
    float x = LEFT;
    for (int i = 0; i < 3; i++) {
        add_fill(c, x, y, acq_w[i], h, COL_HEAD);
        add_rect(c, x, y, acq_w[i], h);
        float th = (float)c->head[i].rows * lh;
        emit_block(c, &c->head[i], 0, c->head[i].rows, x + MM(0.6), y + (h - th) / 2, COL_BLACK);
        x += acq_w[i];
    }
    float digits_h = lh + 2 * pad, top_h = h - digits_h;
    add_fill(c, x, y, 4 * POS_W, top_h, COL_HEAD);
    add_rect(c, x, y, 4 * POS_W, top_h);
    float th = (float)c->head[3].rows * lh;
    emit_block(c, &c->head[3], 0, c->head[3].rows, x + MM(0.6), y + (top_h - th) / 2, COL_BLACK);
    for (int k = 0; k < 4; k++) {
        float px = x + (float)k * POS_W;
        char digit[2] = {(char)('1' + k), 0};
        ptext t = constant(c, digit, 1);
        add_fill(c, px, y + top_h, POS_W, digits_h, COL_POS1 + k);
        add_rect(c, px, y + top_h, POS_W, digits_h);
        add_text(c, t.off, t.len, t.font, HEAD_SIZE, px + (POS_W - ptext_width(c, &t, HEAD_SIZE)) / 2,
                 y + top_h + pad + BASE_FACTOR * HEAD_SIZE, COL_BLACK);
    }
    c->y = y + h;
}

/* The legend under the table (on every page the table occupies). */
static void acquis_legend(render_ctx *c)
{
    block b = block_text(c, &c->legend, LEGEND_SIZE, CONTENT_W, ALIGN_LEFT);
    emit_block(c, &b, 0, b.rows, LEFT, c->y + MM(1), COL_BLACK);
    c->y += MM(1) + (float)b.rows * LEGEND_SIZE * LINE_FACTOR;
}

/* Height the legend takes under the table. */
static float legend_height(void)
{
    return MM(1) + 2 * LEGEND_SIZE * LINE_FACTOR;
}

/* Ends a page of the table and starts the next with the headers again. */
static void acquis_next_page(render_ctx *c)
{
    acquis_legend(c);
    continuation_page(c);
    acquis_head(c);
}

/* Draws one slice of a group at the cursor. */
static void emit_slice(render_ctx *c, const acq_group *g, const slice *s)
{
    const float y = c->y, x1 = LEFT + acq_w[0], x2 = x1 + acq_w[1], xp = x2 + acq_w[2];
    add_rect(c, LEFT, y, acq_w[0], s->h);
    add_rect(c, x1, y, acq_w[1], s->h);
    if (!s->row) {
        emit_block(c, &g->suite_b, 0, g->suite_b.rows, LEFT + HPAD, y + c->pad, COL_BLACK);
        for (int k = 0; k < 4; k++)
            add_rect(c, xp + (float)k * POS_W, y, POS_W, s->h);
        return;
    }
    const acq_row *row = s->row;
    emit_block(c, &row->label_b, s->r0, s->r1, LEFT + HPAD + (row->sub ? MM(3) : 0), y + c->pad, COL_BLACK);
    emit_block(c, &row->el_b, s->r0, s->r1, x1 + HPAD, y + c->pad, COL_BLACK);
    if (row->non_evalue && s->r0 == 0) {
        ptext t = constant(c, "Non évalué", 0);
        float size = c->size - 0.5f;
        add_rect(c, xp, y, 4 * POS_W, s->h);
        add_text(c, t.off, t.len, t.font, size, xp + (4 * POS_W - ptext_width(c, &t, size)) / 2,
                 y + s->h / 2 + 0.35f * size, COL_BLACK);
        return;
    }
    for (int k = 0; k < 4; k++) {
        float px = xp + (float)k * POS_W;
        add_rect(c, px, y, POS_W, s->h);
        if (row->pos == k + 1 && s->r0 == 0) {
            ptext t = constant(c, "X", 1);
            float size = c->size + 1.5f;
            add_text(c, t.off, t.len, t.font, size, px + (POS_W - ptext_width(c, &t, size)) / 2,
                     y + s->h / 2 + 0.36f * size, COL_BLACK);
        }
    }
}

/* Places one domain: whole on this page, else whole on the next page, else
 * (taller than a page) split over pages at row and line boundaries, the
 * domain's label repeated with "(suite)" on the next page. */
static void acquis_group(render_ctx *c, const acq_group *g, float fresh_avail)
{
    const float lh = c->lh, pad = c->pad, bottom = BOTTOM - legend_height();
    float natural = group_height(c, g);
    if (c->y + natural > bottom && (natural <= fresh_avail || bottom - c->y < 4 * lh + 2 * pad))
        acquis_next_page(c);
    uint32_t i = 0;
    int r = 0, a = 0, first = 1;
    const int app_rows = g->app_b.rows;
    while (!c->failed) {
        float avail = bottom - c->y, rows_h = 0;
        size_t n = 0;
        int real = 0;
        if (!first) {
            if (GROW(c, c->slices, n, c->cap_slices) != 0)
                return;
            int suite_rows = g->suite_b.rows > 0 ? g->suite_b.rows : 1;
            c->slices[n++] = (slice){NULL, 0, suite_rows, (float)suite_rows * lh + 2 * pad};
            rows_h = c->slices[0].h;
        }
        while (i < g->row_count) {
            const acq_row *row = &c->rows[g->row_first + i];
            float h = (float)(row->rows - r) * lh + 2 * pad;
            if (GROW(c, c->slices, n, c->cap_slices) != 0)
                return;
            if (rows_h + h <= avail + 0.01f) {
                c->slices[n++] = (slice){row, r, row->rows, h};
                rows_h += h, i++, r = 0, real++;
                continue;
            }
            int m = (int)floorf((avail - rows_h - 2 * pad) / lh);
            if (real == 0 && m >= 1) { /* a row taller than the page: cut it between lines */
                c->slices[n++] = (slice){row, r, r + m, (float)m * lh + 2 * pad};
                rows_h += (float)m * lh + 2 * pad, r += m, real++;
            }
            break;
        }
        /* the appreciation: as many of its lines as the piece can hold */
        float h = rows_h;
        int app_left = app_rows - a;
        if (app_left > 0) {
            float need = (float)app_left * lh + 2 * pad;
            if (need > h)
                h = need < avail ? need : (avail > rows_h ? avail : rows_h);
        }
        int shown = app_left > 0 ? (int)floorf((h - 2 * pad) / lh + 0.001f) : 0;
        shown = shown < 0 ? 0 : shown > app_left ? app_left : shown;
        if (real == 0 && shown == 0) {
            if (avail >= fresh_avail - 0.01f)
                return; /* nothing fits even a fresh page: cannot happen, never loop */
            acquis_next_page(c);
            continue;
        }
        c->slices[n - 1].h += h - rows_h;
        float top = c->y;
        for (size_t k = 0; k < n; k++) {
            emit_slice(c, g, &c->slices[k]);
            c->y += c->slices[k].h;
        }
        float xa = LEFT + acq_w[0] + acq_w[1];
        add_rect(c, xa, top, acq_w[2], h);
        emit_block(c, &g->app_b, a, a + shown, xa + HPAD, top + pad, COL_BLACK);
        c->y = top + h;
        a += shown;
        first = 0;
        if (i >= g->row_count && a >= app_rows)
            return;
        acquis_next_page(c);
    }
}

/* Lays the acquis table out from the cursor: the largest settings that fit
 * it on this page, else the smallest, continued over pages. */
static void acquis_table(render_ctx *c)
{
    acquis_head_make(c);
    c->legend = constant(c,
                         "[*] Positionnement par objectifs d'apprentissage : 1 = Non atteints 2 = Partiellement "
                         "atteints 3 = Atteints 4 = Dépassés",
                         0);
    const float avail = BOTTOM - legend_height() - c->y - c->head_h;
    size_t mark = c->ntlines;
    for (size_t k = 0; k < TABLE_SIZES; k++) {
        c->ntlines = mark;
        c->size = table_sizes[k][0], c->pad = table_sizes[k][1], c->lh = c->size * LINE_FACTOR;
        if (acquis_wrap(c, c->size, c->pad) <= avail)
            break;
    }
    /* the room a group has on a fresh continuation page, under the headers */
    float fresh = BOTTOM - legend_height() - continuation_top(c) - c->head_h;
    acquis_head(c);
    for (size_t gi = 0; gi < c->ngroups && !c->failed; gi++)
        acquis_group(c, &c->groups[gi], fresh);
    acquis_legend(c);
}

/* ---------------------------------------------------------------------------
 * The two kinds of bilan. */

/* Teachers' names and the lock date for the teacher's visa. */
static int teacher_lines(render_ctx *c, const bilan_info *b, ptext *lines, int max)
{
    int n = 0;
    xmlNodePtr list = child_el(b->node, "enseignants");
    for (xmlNodePtr e = child_el(list, "enseignant"); e && n < max - 1; e = next_el(e)) {
        lsu_buf s = {0};
        add_person(&s, e);
        prepare(c, s.data, 0, b->line, "enseignant", NULL, &lines[n++]);
        lsu_buf_free(&s);
    }
    const char *verrou = lsu_attr(b->node, "date-verrou");
    if (verrou && *verrou) {
        long days;
        char date[11];
        lsu_buf s = {0};
        if (lsu_parse_date(verrou, &days) == 0) {
            lsu_format_date_fr(days, date);
            lsu_buf_printf(&s, "le %s", date);
        } else {
            lsu_buf_printf(&s, "le %s", verrou);
        }
        prepare(c, s.data, 0, b->line, "date de verrouillage", NULL, &lines[n++]);
        lsu_buf_free(&s);
    }
    return n;
}

/* Lays out a bilan périodique: recto (header, title, acquis), verso
 * (parcours, modalités, appréciation générale, visas). */
static void layout_periodique(render_ctx *c, const bilan_info *b)
{
    xmlNodePtr node = b->node;
    recto_header(c, b);
    title_block(c, b);
    band(c, "Suivi des acquis scolaires de l'élève", MM(20));
    acquis_read(c, node, b->line);
    acquis_table(c);

    /* verso: on the back of the recto; when the table already ran over,
     * right after it */
    if (c->npages == 1)
        continuation_page(c);
    else
        c->y += MM(4);
    const float w = CONTENT_W - 2 * HPAD;
    band(c, "Parcours éducatifs", MM(15));
    xmlNodePtr parcours = child_el(child_el(node, "liste-parcours"), "parcours");
    if (!parcours) {
        block empty = block_open(c, BODY_SIZE);
        block_close(c, &empty, 1);
        box(c, &empty, LEFT, CONTENT_W, MM(8));
    }
    ptext projet_lead = constant(c, "Projet mis en œuvre : ", 1);
    ptext impl_lead = constant(c, "Implication de l'élève : ", 1);
    for (xmlNodePtr p = parcours; p; p = next_el(p)) {
        long pline = node_line(p, b->line);
        const char *label = lsu_attr(p, "libelle");
        if (!label || !*label)
            label = lsu_attr(p, "code");
        ptext title, projet, impl;
        prepare(c, label, 1, pline, "parcours", NULL, &title);
        prepare_node(c, child_el(p, "projet"), 0, pline, "projet du parcours", label, &projet);
        prepare_node(c, child_el(p, "implication"), 0, pline, "implication de l'élève", label, &impl);
        block bl = block_open(c, BODY_SIZE);
        int rows = wrap(c, &title, BODY_SIZE, w, 0, 0, ALIGN_LEFT, 0);
        if (projet.len)
            rows += wrap_lead(c, &projet_lead, &projet, BODY_SIZE, w, 0, rows);
        if (impl.len)
            rows += wrap_lead(c, &impl_lead, &impl, BODY_SIZE, w, 0, rows);
        block_close(c, &bl, rows);
        box(c, &bl, LEFT, CONTENT_W, 0);
    }

    xmlNodePtr mods = child_el(node, "modalites-accompagnement");
    if (child_el(mods, "modalite-accompagnement")) {
        band(c, "Modalités spécifiques d'accompagnement", MM(12));
        ptext ppre_lead = constant(c, "Information PPRE : ", 1);
        block bl = block_open(c, BODY_SIZE);
        int rows = 0;
        for (xmlNodePtr m = child_el(mods, "modalite-accompagnement"); m; m = next_el(m)) {
            long mline = node_line(m, b->line);
            const char *code = lsu_attr(m, "code"), *label = lsu_attr(m, "libelle");
            lsu_buf s = {0};
            if (label && *label)
                lsu_buf_printf(&s, "%s%s%s%s", label, code ? " (" : "", code ? code : "", code ? ")" : "");
            else
                lsu_buf_puts(&s, code ? code : "");
            ptext t, ppre;
            prepare(c, s.data, 1, mline, "modalité d'accompagnement", NULL, &t);
            lsu_buf_free(&s);
            rows += wrap(c, &t, BODY_SIZE, w, 0, 0, ALIGN_LEFT, rows);
            prepare_node(c, child_el(m, "complement-ppre"), 0, mline, "information PPRE", NULL, &ppre);
            if (ppre.len)
                rows += wrap_lead(c, &ppre_lead, &ppre, BODY_SIZE, w, 0, rows);
        }
        block_close(c, &bl, rows);
        box(c, &bl, LEFT, CONTENT_W, 0);
    }

    band(c, "Bilan de l'acquisition des connaissances et compétences", MM(25));
    {
        ptext sub = constant(c, "Appréciation générale sur la progression de l'élève", 1), text;
        prepare_node(c, child_el(node, "appreciation-generale"), 0, b->line, "appréciation générale", NULL, &text);
        block bl = block_open(c, BODY_SIZE);
        int rows = wrap(c, &sub, BODY_SIZE, w, 0, 0, ALIGN_LEFT, 0);
        rows += wrap(c, &text, BODY_SIZE, w, 0, 0, ALIGN_LEFT, rows);
        block_close(c, &bl, rows);
        box(c, &bl, LEFT, CONTENT_W, MM(35));
    }

    band(c, "Communication avec la famille", MM(30));
    ptext lines[17];
    int n = teacher_lines(c, b, lines, 17);
    float vw = (CONTENT_W - MM(3)) / 2 - 2 * HPAD;
    block visas[2] = {visa_block(c, "Visa de l'enseignant(e)", lines, n, vw),
                      visa_block(c, "Visa des parents / du responsable légal", NULL, 0, vw)};
    visa_boxes(c, visas, 2, MM(30));
}

/* Lays out a bilan de fin de cycle: header, title, socle table, synthèse,
 * visas of the teacher, the director and the guardians. */
static void layout_cycle(render_ctx *c, const bilan_info *b)
{
    xmlNodePtr node = b->node;
    const char *cy = lsu_attr(node, "cycle");
    lsu_buf title = {0};
    lsu_buf_printf(&title, "Maîtrise des composantes du socle en fin de cycle %s", cy && *cy ? cy : "2");
    recto_header(c, b);
    title_block(c, b);
    band(c, title.data, MM(40));
    lsu_buf_free(&title);

    /* the socle table: component | 4 levels of mastery */
    static const char *const levels[4] = {"Maîtrise insuffisante", "Maîtrise fragile", "Maîtrise satisfaisante",
                                          "Très bonne maîtrise"};
    const float lw = CONTENT_W - 4 * MM(20), cw = MM(20), pad = MM(1.8), hpad = MM(0.8);
    const float lh = BODY_SIZE * LINE_FACTOR, hlh = HEAD_SIZE * LINE_FACTOR;
    block heads[4];
    int head_rows = 1;
    for (int k = 0; k < 4; k++) {
        ptext t = constant(c, levels[k], 1);
        heads[k] = block_text(c, &t, HEAD_SIZE, cw - 2 * hpad, ALIGN_CENTER);
        if (heads[k].rows > head_rows)
            head_rows = heads[k].rows;
    }
    float head_h = (float)head_rows * hlh + 2 * MM(1);
    int need_head = 1;
    for (xmlNodePtr d = child_el(child_el(node, "socle"), "domaine"); d; d = next_el(d)) {
        long dline = node_line(d, b->line);
        const char *label = lsu_attr(d, "libelle");
        ptext t;
        prepare(c, label && *label ? label : lsu_attr(d, "code"), 0, dline, "composante du socle", NULL, &t);
        block lb = block_text(c, &t, BODY_SIZE, lw - 2 * HPAD, ALIGN_LEFT);
        float h = (float)(lb.rows ? lb.rows : 1) * lh + 2 * pad;
        if (c->y + (need_head ? head_h : 0) + h > BOTTOM) {
            continuation_page(c);
            need_head = 1;
        }
        if (need_head) {
            add_fill(c, LEFT, c->y, CONTENT_W, head_h, COL_HEAD);
            add_rect(c, LEFT, c->y, lw, head_h);
            for (int k = 0; k < 4; k++) {
                float x = LEFT + lw + (float)k * cw;
                add_rect(c, x, c->y, cw, head_h);
                emit_block(c, &heads[k], 0, heads[k].rows, x + hpad, c->y + (head_h - (float)heads[k].rows * hlh) / 2,
                           COL_BLACK);
            }
            c->y += head_h;
            need_head = 0;
        }
        add_rect(c, LEFT, c->y, lw, h);
        emit_block(c, &lb, 0, lb.rows, LEFT + HPAD, c->y + pad, COL_BLACK);
        const char *pos = lsu_attr(d, "positionnement");
        int p = pos && pos[0] >= '0' && pos[0] <= '4' && pos[1] == '\0' ? pos[0] - '0' : -1;
        float x = LEFT + lw;
        if (p == 0) {
            ptext ds = constant(c, "Dispensé", 0);
            add_rect(c, x, c->y, 4 * cw, h);
            add_text(c, ds.off, ds.len, ds.font, BODY_SIZE, x + (4 * cw - ptext_width(c, &ds, BODY_SIZE)) / 2,
                     c->y + h / 2 + 0.35f * BODY_SIZE, COL_BLACK);
        } else {
            for (int k = 0; k < 4; k++) {
                add_rect(c, x + (float)k * cw, c->y, cw, h);
                if (p == k + 1) {
                    ptext xm = constant(c, "X", 1);
                    add_text(c, xm.off, xm.len, xm.font, 11, x + (float)k * cw + (cw - ptext_width(c, &xm, 11)) / 2,
                             c->y + h / 2 + 0.36f * 11, COL_BLACK);
                }
            }
        }
        c->y += h;
    }
    c->y += MM(4);

    lsu_buf syn_title = {0};
    lsu_buf_printf(&syn_title, "Synthèse des acquis scolaires de l'élève en fin de cycle %s", cy && *cy ? cy : "2");
    band(c, syn_title.data, MM(25));
    lsu_buf_free(&syn_title);
    ptext text;
    prepare_node(c, child_el(node, "synthese"), 0, b->line, "synthèse", NULL, &text);
    block bl = block_text(c, &text, BODY_SIZE, CONTENT_W - 2 * HPAD, ALIGN_LEFT);
    box(c, &bl, LEFT, CONTENT_W, MM(45));

    band(c, "Communication avec la famille", MM(30));
    ptext lines[17];
    int n = teacher_lines(c, b, lines, 17);
    float vw = (CONTENT_W - 2 * MM(3)) / 3 - 2 * HPAD;
    ptext dir[1];
    int nd = 0;
    xmlNodePtr d = child_el(node, "directeur");
    if (d) {
        lsu_buf s = {0};
        add_person(&s, d);
        prepare(c, s.data, 0, b->line, "directeur", NULL, &dir[nd++]);
        lsu_buf_free(&s);
    }
    block visas[3] = {visa_block(c, "Visa de l'enseignant(e)", lines, n, vw),
                      visa_block(c, "Visa du directeur ou de la directrice", dir, nd, vw),
                      visa_block(c, "Visa des parents / du responsable légal", NULL, 0, vw)};
    visa_boxes(c, visas, 3, MM(32));
}

/* Lays one bilan out into the display list; 0, or -1 (memory, or not a
 * bilan element). */
static int layout_bilan(render_ctx *c, const lsu_render_item *item)
{
    ctx_reset(c);
    c->item = item;
    xmlNodePtr node = item->bilan;
    if (!node || node->type != XML_ELEMENT_NODE ||
        (strcmp((const char *)node->name, "bilan-periodique") != 0 &&
         strcmp((const char *)node->name, "bilan-cycle") != 0)) {
        c->why = "élément bilan-periodique ou bilan-cycle attendu";
        return -1;
    }
    bilan_info b;
    info_read(&b, node);
    if (b.who.failed || b.level.failed || b.period.failed)
        c->failed = 1;
    make_reminder(c, &b);
    if (c->r->opt.per_guardian)
        make_addresses(c, node, b.line);
    if (b.cycle_bilan)
        layout_cycle(c, &b);
    else
        layout_periodique(c, &b);
    info_free(&b);
    return c->failed || c->arena.failed ? -1 : 0;
}

/* ---------------------------------------------------------------------------
 * Drawing the display list with libharu. */

/* The document's font for id f, DejaVu loaded on first use (once per
 * document); NULL on a libharu error. */
static HPDF_Font doc_font(render_ctx *c, int f)
{
    if (c->fonts[f])
        return c->fonts[f];
    if (f < F_TTF_REG) { /* another encoding of Helvetica: nothing embedded */
        static const char *const names[2] = {"Helvetica", "Helvetica-Bold"};
        c->fonts[f] = HPDF_GetFont(c->pdf, names[f % 2], encoding_names[f / 2]);
        if (!c->fonts[f])
            c->why = "police Helvetica";
        return c->fonts[f];
    }
    if (!c->utf_ready) {
        HPDF_UseUTFEncodings(c->pdf);
        c->utf_ready = 1;
    }
    const char *name = HPDF_LoadTTFontFromFile(c->pdf, c->r->ttf_path[f - F_TTF_REG], HPDF_TRUE);
    c->ttf_names[f - F_TTF_REG] = name;
    c->fonts[f] = name ? HPDF_GetFont(c->pdf, name, "UTF-8") : NULL;
    if (!c->fonts[f])
        c->why = "chargement de la police DejaVu Sans";
    return c->fonts[f];
}

/* A coordinate rounded to 1/100 point: libharu writes up to five decimals,
 * and shorter numbers make smaller page streams. */
static float rnd(float v)
{
    return roundf(v * 100.0f) / 100.0f;
}

/* Sets the fill colour (greys only in grayscale mode). */
static void set_fill(render_ctx *c, HPDF_Page page, int color)
{
    const float *rgb = palette_rgb[color];
    if (c->r->opt.grayscale)
        HPDF_Page_SetGrayFill(page, palette_gray[color]);
    else if (rgb[0] == rgb[1] && rgb[1] == rgb[2])
        HPDF_Page_SetGrayFill(page, rgb[0]);
    else
        HPDF_Page_SetRGBFill(page, rgb[0], rgb[1], rgb[2]);
}

/* A NUL-terminated copy of len bytes of the arena at off (libharu wants C
 * strings); NULL when memory ran out. */
static const char *arena_str(render_ctx *c, uint32_t off, uint32_t len)
{
    if (grow(c, &c->scratch, &c->cap_scratch, (size_t)len + 1, 1) != 0)
        return NULL;
    memcpy(c->scratch, c->arena.data + off, len);
    c->scratch[len] = '\0';
    return c->scratch;
}

/* « DOCUMENT DE TRAVAIL » in light grey along the page's diagonal, under
 * everything else. */
static void draw_watermark(render_ctx *c, HPDF_Page page)
{
    static const char text[] = "DOCUMENT DE TRAVAIL";
    const float size = 64;
    unsigned long units = 0;
    for (const char *p = text; *p; p++)
        units += c->r->base_width[F_BOLD][(unsigned char)*p];
    float w = (float)units * size / 1000.0f, angle = atan2f(page_h, page_w);
    float cs = cosf(angle), sn = sinf(angle), cap = 0.36f * size;
    float x = page_w / 2 - cs * w / 2 + sn * cap, y = page_h / 2 - sn * w / 2 - cs * cap;
    HPDF_Page_GSave(page);
    set_fill(c, page, COL_WATERMARK);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, c->fonts[F_BOLD], size);
    HPDF_Page_SetTextMatrix(page, cs, sn, -sn, cs, x, y);
    HPDF_Page_ShowText(page, text);
    HPDF_Page_EndText(page);
    HPDF_Page_GRestore(page);
}

/* Draws page p of the laid-out bilan: fills, then strokes, then text (one
 * text object), plus the guardian's address on the first page. */
static void draw_page(render_ctx *c, HPDF_Page page, size_t p, const block *address)
{
    size_t from = c->page_first[p], to = p + 1 < c->npages ? c->page_first[p + 1] : c->nops;
    if (c->r->opt.watermark)
        draw_watermark(c, page);
    /* fills, grouped by colour */
    int color = -1, open = 0;
    for (size_t k = from; k < to; k++) {
        const op *o = &c->ops[k];
        if (o->kind != OP_FILL)
            continue;
        if (o->color != color) {
            if (open)
                HPDF_Page_Fill(page);
            set_fill(c, page, o->color);
            color = o->color;
        }
        HPDF_Page_Rectangle(page, rnd(o->x), rnd(page_h - o->y - o->h), rnd(o->w), rnd(o->h));
        open = 1;
    }
    if (open)
        HPDF_Page_Fill(page);
    if (color != -1)
        HPDF_Page_SetGrayFill(page, 0);
    /* strokes, one path */
    open = 0;
    HPDF_Page_SetLineWidth(page, 0.5f);
    for (size_t k = from; k < to; k++) {
        const op *o = &c->ops[k];
        if (o->kind == OP_STROKE) {
            HPDF_Page_Rectangle(page, rnd(o->x), rnd(page_h - o->y - o->h), rnd(o->w), rnd(o->h));
            open = 1;
        } else if (o->kind == OP_LINE) {
            HPDF_Page_MoveTo(page, rnd(o->x), rnd(page_h - o->y));
            HPDF_Page_LineTo(page, rnd(o->x + o->w), rnd(page_h - o->y - o->h));
            open = 1;
        }
    }
    if (open)
        HPDF_Page_Stroke(page);
    /* text */
    HPDF_Page_BeginText(page);
    int font = -1, text_color = COL_BLACK;
    float size = 0;
    char number[32];
    for (size_t k = from; k < to; k++) {
        const op *o = &c->ops[k];
        const char *s;
        float x = o->x;
        int f = o->font;
        if (o->kind == OP_TEXT) {
            s = arena_str(c, o->off, o->len);
        } else if (o->kind == OP_PAGENUM || o->kind == OP_PAGENUM_AFTER) {
            /* CP1252: 0x96 is the en dash */
            snprintf(number, sizeof number, "%sPage %zu/%zu", o->kind == OP_PAGENUM_AFTER ? " \x96 " : "", p + 1,
                     c->npages);
            if (o->kind == OP_PAGENUM) {
                unsigned long units = 0;
                for (const char *q = number; *q; q++)
                    units += c->r->base_width[F_REG][(unsigned char)*q];
                x -= (float)units * o->size / 1000.0f;
            }
            s = number;
            f = F_REG;
        } else {
            continue;
        }
        if (!s)
            break;
        if (f != font || o->size != size) {
            HPDF_Font hf = doc_font(c, f);
            if (!hf)
                break;
            HPDF_Page_SetFontAndSize(page, hf, o->size);
            font = f, size = o->size;
        }
        if (o->color != text_color) {
            set_fill(c, page, o->color);
            text_color = o->color;
        }
        HPDF_Page_TextOut(page, rnd(x), rnd(page_h - o->y), s);
    }
    if (address) {
        if (text_color != COL_BLACK)
            set_fill(c, page, COL_BLACK);
        float lh = address->size * LINE_FACTOR;
        for (uint32_t k = address->first; k < address->first + address->count; k++) {
            const tline *l = &c->tlines[k];
            const char *s = arena_str(c, l->off, l->len);
            HPDF_Font hf = doc_font(c, l->font);
            if (!s || !hf)
                break;
            HPDF_Page_SetFontAndSize(page, hf, address->size * font_scale(l->font));
            HPDF_Page_TextOut(page, rnd(ADDRESS_X + l->dx),
                              rnd(page_h - (ADDRESS_Y + (float)l->row * lh + BASE_FACTOR * address->size)), s);
        }
    }
    HPDF_Page_EndText(page);
}

/* Adds a new A4 page to the document; NULL on a libharu error. */
static HPDF_Page add_page(render_ctx *c)
{
    HPDF_Page page = HPDF_AddPage(c->pdf);
    if (page)
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    return page;
}

/* Draws every page of the laid-out bilan once (address: the guardian's, or
 * NULL), then a blank page in duplex mode when the count is odd.  Returns
 * the pages added, or -1 on a libharu or memory error. */
static int draw_copy(render_ctx *c, const block *address)
{
    int added = 0;
    for (size_t p = 0; p < c->npages; p++) {
        HPDF_Page page = add_page(c);
        if (!page)
            return -1;
        draw_page(c, page, p, p == 0 ? address : NULL);
        added++;
        if (c->err.code || c->failed)
            return -1;
    }
    if (c->r->opt.duplex && c->npages % 2 == 1) {
        HPDF_Page page = add_page(c);
        if (!page)
            return -1;
        if (c->r->opt.watermark)
            draw_watermark(c, page);
        added++;
        if (c->err.code)
            return -1;
    }
    return added;
}

/* Records INT001 for a failure of this call, on the bilan being drawn
 * (item) or on the file. */
static void report_internal(render_ctx *c, const lsu_render_item *item)
{
    if (!c->diags)
        return;
    lsu_subject file_subject;
    memset(&file_subject, 0, sizeof file_subject);
    file_subject.scope = SCOPE_FILE;
    const lsu_subject *subject = item ? &item->subject : &file_subject;
    long line = item ? node_line(item->bilan, 0) : 0;
    const char *why = c->why ? c->why : item ? "dessin du bilan" : "enregistrement du document";
    if (c->err.code)
        lsu_diag_add(c->diags, DIAG_INT001, line, subject,
                     "Édition du PDF impossible : erreur libharu 0x%04X "
                     "(détail %u), %s",
                     (unsigned)c->err.code, (unsigned)c->err.detail, why);
    else if (c->failed)
        lsu_diag_add(c->diags, DIAG_INT001, line, subject, "Édition du PDF impossible : mémoire insuffisante, %s", why);
    else
        lsu_diag_add(c->diags, DIAG_INT001, line, subject, "Édition du PDF impossible : %s", why);
}

/* Sets the document's dates from the options (never the clock). */
static void set_dates(render_ctx *c)
{
    time_t t = c->r->opt.date;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    d.year = tm.tm_year + 1900, d.month = tm.tm_mon + 1, d.day = tm.tm_mday;
    d.hour = tm.tm_hour, d.minutes = tm.tm_min, d.seconds = tm.tm_sec;
    d.ind = 'Z';
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
}

/* Marks used, in the embedded DejaVu faces, the nested components of the
 * characters drawn (see LSU_MARK_NESTED_GLYPHS). */
static void mark_nested_glyphs(render_ctx *c)
{
#ifdef LSU_MARK_NESTED_GLYPHS
    for (int f = 0; f < 2; f++) {
        if (!c->nested_used[f] || !c->ttf_names[f])
            continue;
        HPDF_FontDef def = HPDF_GetFontDef(c->pdf, c->ttf_names[f]);
        if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
            continue;
        HPDF_TTFontDefAttr attr = def->attr;
        if (!attr->glyph_tbl.flgs)
            continue;
        for (size_t i = 0; i < c->r->nnested[f]; i++) {
            const nested_entry *e = &c->r->nested[f][i];
            if (!(c->nested_used[f][e->cp >> 3] & (1u << (e->cp & 7))))
                continue;
            for (uint32_t k = 0; k < e->count; k++) {
                uint16_t gid = c->r->nested_gids[f][e->first + k];
                if (gid < attr->num_glyphs)
                    attr->glyph_tbl.flgs[gid] = 1;
            }
        }
    }
#else
    (void)c;
#endif
}

/* Saves the document into a malloc'd buffer; 0 or -1. */
static int save(render_ctx *c, unsigned char **pdf, size_t *len)
{
    mark_nested_glyphs(c);
    if (HPDF_SaveToStream(c->pdf) != HPDF_OK || c->err.code)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(c->pdf);
    unsigned char *data = malloc(size ? size : 1);
    if (!data) {
        c->failed = 1;
        return -1;
    }
    HPDF_UINT32 total = 0;
    while (total < size) {
        HPDF_UINT32 n = size - total;
        HPDF_STATUS st = HPDF_ReadFromStream(c->pdf, data + total, &n);
        total += n;
        if (st == HPDF_STREAM_EOF || n == 0)
            break;
        if (st != HPDF_OK)
            break;
    }
    if (total != size) {
        free(data);
        if (!c->err.code)
            c->err.code = HPDF_FILE_IO_ERROR;
        return -1;
    }
    if (c->err.code == HPDF_STREAM_EOF)
        c->err.code = 0; /* reaching the end of the stream is not an error */
    *pdf = data;
    *len = total;
    return 0;
}

/* Renders the bilans into one PDF in memory (see render.h).  Owns the
 * libharu document for the call; on success *pdf is the caller's. */
int lsu_render_pdf(lsu_renderer *r, const lsu_render_item *items, size_t count, lsu_diag_list *diags,
                   unsigned char **pdf, size_t *len, int *pages)
{
    *pdf = NULL;
    *len = 0;
    *pages = 0;
    render_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.diags = diags;
    if (!r || !items || count == 0) {
        c.why = "aucun bilan à éditer";
        report_internal(&c, NULL);
        return -1;
    }
    c.pdf = HPDF_New(on_hpdf_error, &c.err);
    if (!c.pdf) {
        c.failed = 1;
        c.why = "création du document";
        report_internal(&c, NULL);
        return -1;
    }
    HPDF_SetCompressionMode(c.pdf, HPDF_COMP_ALL);
    HPDF_SetInfoAttr(c.pdf, HPDF_INFO_CREATOR, "lsu " LSU_VERSION);
    set_dates(&c);
    c.fonts[F_REG] = HPDF_GetFont(c.pdf, "Helvetica", "CP1252");
    c.fonts[F_BOLD] = HPDF_GetFont(c.pdf, "Helvetica-Bold", "CP1252");
    const lsu_render_item *failed_item = NULL;
    int total = 0;
    for (size_t i = 0; i < count && !failed_item && !c.err.code; i++) {
        const lsu_render_item *item = &items[i];
        if (layout_bilan(&c, item) != 0) {
            failed_item = item;
            break;
        }
        /* one copy per guardian (with the address), or one copy */
        size_t copies = r->opt.per_guardian && c.naddresses ? c.naddresses : 1;
        for (size_t k = 0; k < copies; k++) {
            int added = draw_copy(&c, r->opt.per_guardian && c.naddresses ? &c.addresses[k] : NULL);
            if (added < 0) {
                failed_item = item;
                break;
            }
            total += added;
        }
    }
    int rc = failed_item || c.err.code ? -1 : save(&c, pdf, len);
    if (rc != 0)
        report_internal(&c, failed_item);
    else
        *pages = total;
    HPDF_Free(c.pdf);
    ctx_free(&c);
    return rc;
}
