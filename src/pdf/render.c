/* Stage render: printable PDF bilans made with libharu (see render.h), laid
 * out as the official LSU model (FORMAT.md §7).
 *
 * Owns: the renderer (a copy of the options, the DejaVu files mapped, the
 * width tables of every font and the Helvetica font dictionaries, made once
 * per run; a zlib state; the working memory of the bilan being drawn), the
 * drawn bilans handed to the caller, and, for one call of
 * lsu_render_assemble, the libharu document and the PDF bytes.
 *
 * How a bilan is made: its texts are prepared once (encoded for the font
 * that can show them, unknown characters replaced by [U+XXXX] and reported
 * as PDF001), then laid out into a display list (filled and stroked
 * rectangles, text lines, page numbers, each on a numbered page), which gives
 * the page count; the list is then written once per copy (one per legal
 * guardian with per_guardian) as PDF page content streams, compressed once
 * (lsu_render_bilan).  Text is measured with width tables made once per run
 * (Helvetica's from libharu, DejaVu Sans's from the font's own hmtx and cmap
 * tables), so wrapping needs no libharu call.  A PDF is then put together
 * from drawn bilans (lsu_render_assemble): libharu makes the document
 * (catalogue, pages, fonts, dates, cross-reference) and the page streams
 * are copied into it as they are, so that a bilan printed in its pupil's
 * PDF and in its class's PDF is drawn and compressed once.
 *
 * Fonts: a text fully in CP1252 is drawn with the base-14 Helvetica or
 * Helvetica-Bold (nothing embedded), one that another single-byte encoding
 * holds (CP1254, ISO 8859-16, CP1250) with Helvetica in that encoding; any
 * other text with DejaVu Sans, embedded as a subset holding only the glyphs
 * the document shows (see subset_font).  Unusual blanks (U+202F, U+2009…)
 * are drawn as their CP1252 equivalents and invisible format characters
 * (U+200B, U+FEFF, soft hyphen) are left out, so that they alone never force
 * the embedding. */
#include "pdf/render.h"
#include "base/util.h"
#include "lsu.h"

#include <fcntl.h>
#include <hpdf.h>
/* libharu makes the documents (catalogue, pages, base fonts, dates, cross
 * reference); the page content streams and the embedded DejaVu subsets are
 * made here and handed to it as objects and stream bytes, through its
 * object API (installed headers of libharu 2.3 and 2.4). */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

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
 * (Vietnamese, Greek, Cyrillic…) needs the embedded DejaVu faces (a
 * subset costs about 1 ms and 6 KB per face and document).  A base font
 * index is encoding * 2 + bold. */
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
#define BASE_MAP 0x2200 /* every code point of the four base encodings is below */

/* A DejaVu face: the font file (mapped, read only) and what the layout and
 * the subsets need of it. */
typedef struct {
    unsigned char *data; /* the whole file, mmap'd (or malloc'd when mapping fails) */
    size_t size;
    int mapped;
    const unsigned char *glyf, *loca, *hmtx, *head, *hhea, *maxp;
    size_t glyf_len, loca_len, hmtx_len, head_len, hhea_len, maxp_len;
    int long_loca;
    uint32_t glyphs, hmetrics, upem;
    int bbox[4], ascent, descent, cap_height; /* 1/1000 em */
    char name[64];                            /* PostScript name, for BaseFont */
} ttf_face;

struct lsu_renderer {
    lsu_render_options opt;
    char *ttf_path[2];                      /* DejaVuSans.ttf, DejaVuSans-Bold.ttf */
    uint16_t base_width[F_BASE_COUNT][256]; /* Helvetica faces by byte of their encoding, 1/1000 em; 0 = no glyph */
    uint16_t high_unicode[ENCODINGS][128];  /* code point of each byte 0x80-0xFF of each encoding (0: none) */
    unsigned char *base_byte[ENCODINGS];    /* byte of each code point below BASE_MAP in each encoding (0: none) */
    char *base_dict[F_BASE_COUNT];          /* body of each Helvetica font dictionary, as libharu writes it */
    uint16_t *ttf_width[2];                 /* DejaVu by BMP code point, 1/1000 em, truncated (as the /W widths) */
    unsigned char *ttf_has[2];              /* bit set of the BMP code points the font maps to a glyph */
    uint16_t *ttf_gid[2];                   /* glyph of each BMP code point */
    ttf_face face[2];
    z_stream z; /* deflate state, reset for each stream */
    int z_ready, z_level;
    struct render_ctx *ctx; /* the bilan being drawn: its memory is kept for the next one */
};

static void renderer_ctx_free(lsu_renderer *r);

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
        size_t k = lsu_utf8_put(upper_cp(lsu_utf8_next(u, n, &i)), out);
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

/* Maps a whole file read only (at most 64 MB); NULL on failure.  *mapped
 * says whether it was mapped (else read into the heap). */
static unsigned char *load_file(const char *path, size_t *len, int *mapped)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    unsigned char *data = NULL;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size <= (64 << 20)) {
        size_t size = (size_t)st.st_size;
        void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            data = m;
            *mapped = 1;
        } else if ((data = malloc(size)) != NULL) {
            size_t got = 0;
            ssize_t n;
            while (got < size && (n = read(fd, data + got, size - got)) > 0)
                got += (size_t)n;
            if (got != size) {
                free(data);
                data = NULL;
            }
            *mapped = 0;
        }
        *len = size;
    }
    close(fd);
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
 * point glyph, filled by ttf_load. */
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
    t->width[cp] = (uint16_t)(adv * 1000 / t->upem); /* truncated, as the subsets' /W widths */
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

/* Byte range of glyph gid in the glyf table: 0, or -1 when the loca table
 * points outside it. */
static int glyph_range(const ttf_face *t, uint32_t gid, size_t *off, size_t *len)
{
    size_t a = t->long_loca ? be32(t->loca + 4 * (size_t)gid) : 2 * (size_t)be16(t->loca + 2 * (size_t)gid);
    size_t b = t->long_loca ? be32(t->loca + 4 * (size_t)gid + 4) : 2 * (size_t)be16(t->loca + 2 * (size_t)gid + 2);
    if (b < a || b > t->glyf_len)
        return -1;
    *off = a, *len = b - a;
    return 0;
}

/* The direct components of glyph gid when it is a composite glyph (at
 * most max); returns their count, 0 for a simple or empty glyph. */
static size_t glyph_parts(const ttf_face *t, uint32_t gid, uint32_t *out, size_t max)
{
    size_t off, len;
    if (gid >= t->glyphs || glyph_range(t, gid, &off, &len) != 0 || len < 10 || !(be16(t->glyf + off) & 0x8000))
        return 0; /* empty, or a simple glyph (numberOfContours >= 0) */
    const unsigned char *p = t->glyf + off + 10, *stop = t->glyf + off + len;
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

/* Reads the PostScript name (name ID 6) of a face into t->name; keeps
 * `fallback` when the table has none in plain ASCII. */
static void ttf_name(ttf_face *t, const char *fallback)
{
    snprintf(t->name, sizeof t->name, "%s", fallback);
    size_t len = 0;
    const unsigned char *name = ttf_table(t->data, t->size, "name", &len);
    if (!name || len < 6)
        return;
    size_t count = be16(name + 2), strings = be16(name + 4);
    for (size_t i = 0; i < count && 6 + 12 * (i + 1) <= len; i++) {
        const unsigned char *rec = name + 6 + 12 * i;
        uint32_t platform = be16(rec), id = be16(rec + 6), n = be16(rec + 8), off = be16(rec + 10);
        if (id != 6 || strings + off + (size_t)n > len || n == 0)
            continue;
        const unsigned char *str = name + strings + off;
        char out[sizeof t->name];
        size_t k = 0, step = platform == 1 ? 1 : 2;
        for (size_t j = step - 1; j < n && k + 1 < sizeof out; j += step) {
            unsigned char ch = str[j];
            if (ch <= 0x20 || ch >= 0x7F || strchr("()<>[]{}/%#", ch) || (step == 2 && str[j - 1] != 0))
                return; /* not a plain PostScript name: keep the fallback */
            out[k++] = (char)ch;
        }
        out[k] = '\0';
        if (k > 0)
            memcpy(t->name, out, k + 1);
        return;
    }
}

/* Maps one TrueType face and fills its width, coverage and glyph tables
 * (slot `which`); 0, or -1 with *error set (owned by the caller). */
static int ttf_load(lsu_renderer *r, int which, char **error)
{
    ttf_face *f = &r->face[which];
    f->data = load_file(r->ttf_path[which], &f->size, &f->mapped);
    if (!f->data) {
        *error = lsu_asprintf("police illisible : %s", r->ttf_path[which]);
        return -1;
    }
    size_t cmap_len = 0;
    f->head = ttf_table(f->data, f->size, "head", &f->head_len);
    f->hhea = ttf_table(f->data, f->size, "hhea", &f->hhea_len);
    f->maxp = ttf_table(f->data, f->size, "maxp", &f->maxp_len);
    f->hmtx = ttf_table(f->data, f->size, "hmtx", &f->hmtx_len);
    f->loca = ttf_table(f->data, f->size, "loca", &f->loca_len);
    f->glyf = ttf_table(f->data, f->size, "glyf", &f->glyf_len);
    const unsigned char *cmap = ttf_table(f->data, f->size, "cmap", &cmap_len);
    int ok = f->head && f->head_len >= 54 && f->hhea && f->hhea_len >= 36 && f->maxp && f->maxp_len >= 6 && cmap &&
             cmap_len >= 4 && f->hmtx && f->loca && f->glyf;
    if (ok) {
        f->upem = be16(f->head + 18);
        f->hmetrics = be16(f->hhea + 34);
        f->glyphs = be16(f->maxp + 4);
        f->long_loca = be16(f->head + 50) == 1;
        ok = f->upem > 0 && f->hmetrics > 0 && f->hmetrics <= f->glyphs &&
             f->hmtx_len >= 4 * (size_t)f->hmetrics + 2 * (size_t)(f->glyphs - f->hmetrics) &&
             f->loca_len >= (f->long_loca ? 4 : 2) * ((size_t)f->glyphs + 1);
    }
    if (ok) {
        for (int k = 0; k < 4; k++)
            f->bbox[k] = (int)(int16_t)be16(f->head + 36 + 2 * (size_t)k) * 1000 / (int)f->upem;
        f->ascent = (int)(int16_t)be16(f->hhea + 4) * 1000 / (int)f->upem;
        f->descent = (int)(int16_t)be16(f->hhea + 6) * 1000 / (int)f->upem;
        size_t os2_len = 0;
        const unsigned char *os2 = ttf_table(f->data, f->size, "OS/2", &os2_len);
        f->cap_height =
            os2 && os2_len >= 90 && be16(os2) >= 2 ? (int)(int16_t)be16(os2 + 88) * 1000 / (int)f->upem : f->ascent;
        ttf_name(f, which ? "DejaVuSans-Bold" : "DejaVuSans");
    }
    ttf_info t = {0};
    t.hmtx = f->hmtx, t.hmetrics = f->hmetrics, t.glyphs = f->glyphs, t.upem = f->upem;
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
    r->ttf_width[which] = t.width;
    r->ttf_has[which] = t.has;
    r->ttf_gid[which] = t.gid;
    if (!ok || !t.width || !t.has || !t.gid) {
        *error = ok ? lsu_asprintf("mémoire insuffisante")
                    : lsu_asprintf("police TrueType illisible : %s", r->ttf_path[which]);
        return -1;
    }
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

/* Keeps the body of the dictionary libharu writes for base font f (an
 * encoding of Helvetica: /Widths, /Encoding with its /Differences…): every
 * document then writes the same bytes without libharu making the font again
 * (HPDF_GetFont measures the 256 characters on each call).  0 or -1. */
static int base_dict(lsu_renderer *r, HPDF_Doc pdf, HPDF_Font font, int f)
{
    HPDF_Stream s = HPDF_MemStream_New(pdf->mmgr, 4096);
    if (!s)
        return -1;
    int rc = -1;
    if (HPDF_Dict_Write(font, s, NULL) == HPDF_OK && HPDF_Stream_Seek(s, 0, HPDF_SEEK_SET) == HPDF_OK) {
        HPDF_UINT size = HPDF_Stream_Size(s), got = size;
        char *text = malloc((size_t)size + 1);
        if (text && HPDF_Stream_Read(s, (HPDF_BYTE *)text, &got) == HPDF_OK && got == size && size >= 5 &&
            memcmp(text, "<<\012", 3) == 0 && memcmp(text + size - 2, ">>", 2) == 0) {
            /* the body, between "<<\n" and ">>" */
            memmove(text, text + 3, size - 5);
            text[size - 5] = '\0';
            r->base_dict[f] = text;
            rc = 0;
        } else {
            free(text);
        }
    }
    HPDF_Stream_Free(s);
    return rc;
}

/* Fills r->base_width, r->high_unicode, r->base_byte and r->base_dict from
 * libharu's Helvetica metrics, encodings and fonts; 0, or -1 with *error
 * set. */
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
                u = c < 0xA0 ? lsu_cp1252_high[c - 0x80] : (HPDF_UNICODE)c;
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
            if (font && base_dict(r, pdf, font, f) != 0)
                err.code = err.code ? err.code : HPDF_FAILD_TO_ALLOC_MEM;
        }
    }
    HPDF_Free(pdf);
    if (err.code) {
        *error = lsu_asprintf("libharu : polices de base indisponibles (erreur 0x%04X)", (unsigned)err.code);
        return -1;
    }
    /* the reverse maps: code point -> byte, for every encoding */
    for (int e = 0; e < ENCODINGS; e++) {
        if (!(r->base_byte[e] = calloc(BASE_MAP, 1))) {
            *error = lsu_asprintf("mémoire insuffisante");
            return -1;
        }
        for (int c = 0x20; c < 0x7F; c++)
            r->base_byte[e][c] = (unsigned char)c;
        for (int c = 0x80; c < 256; c++) {
            uint32_t u = r->high_unicode[e][c - 0x80];
            if (u >= 0x80 && u < BASE_MAP && !r->base_byte[e][u])
                r->base_byte[e][u] = (unsigned char)c;
        }
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
    if (ttf_load(r, 0, error) != 0 || ttf_load(r, 1, error) != 0 || base_metrics(r, error) != 0) {
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
        free(r->ttf_gid[i]);
        ttf_face *f = &r->face[i];
        if (f->data && f->mapped)
            munmap(f->data, f->size);
        else
            free(f->data);
    }
    for (int e = 0; e < ENCODINGS; e++)
        free(r->base_byte[e]);
    for (int f = 0; f < F_BASE_COUNT; f++)
        free(r->base_dict[f]);
    renderer_ctx_free(r);
    if (r->z_ready)
        deflateEnd(&r->z);
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
    return cp < BASE_MAP ? r->base_byte[e][cp] : 0;
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

/* A DejaVu glyph shown, and the code point it shows. */
typedef struct {
    uint16_t gid;
    uint32_t cp;
} glyph_use;

/* The context of one bilan being laid out and drawn; the renderer keeps
 * one, and its memory, from bilan to bilan. */
typedef struct render_ctx {
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

    /* drawing: one page's content stream, and the DejaVu glyphs the bilan
     * shows (each glyph's first code point, for the ToUnicode map) */
    lsu_buf content;
    uint32_t *glyph_cp[2]; /* by glyph: code point + 1 of its first use, 0 when unused */
    glyph_use *uses[2];
    size_t nuses[2], cap_uses[2];
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

/* Frees everything the context owns (not the context itself). */
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
    lsu_buf_free(&c->content);
    for (int f = 0; f < 2; f++) {
        free(c->glyph_cp[f]);
        free(c->uses[f]);
    }
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
        uint32_t cp = substitute(lsu_utf8_next((const unsigned char *)s, n, &i));
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
            *w++ = cp == '\n' ? '\n' : (char)encoding_byte(r, font / 2, cp);
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
    return lsu_utf8_next(s, n, i);
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
        const char *label = lsu_domain_name(a);
        lsu_buf suite = {0};
        lsu_buf_printf(&suite, "%s (suite)", label);
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
            const char *lab = lsu_domain_name(n);
            prepare(c, lab, !row->sub, nline, "domaine d'enseignement", NULL, &row->label);
            const char *pos = lsu_attr(n, "positionnement"), *ne = lsu_attr(n, "non-evalue");
            row->non_evalue = ne && strcmp(ne, "oui") == 0;
            if (!row->non_evalue && pos && pos[0] >= '1' && pos[0] <= '4' && pos[1] == '\0')
                row->pos = pos[0] - '0';
            row->el_first = (uint32_t)c->nelements;
            for (xmlNodePtr e = child_el(n, "element-programme"); e; e = next_el(e)) {
                if (GROW(c, c->elements, c->nelements, c->cap_elements) != 0)
                    return;
                prepare(c, lsu_element_libelle(e, c->item->element_labels), 0, nline, "élément du programme", lab,
                        &c->elements[c->nelements++]);
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
 * Page content streams: written here from the display list, compressed
 * once, and put as they are into every PDF that shows the bilan (its
 * pupil's and its class's). */

/* Compression of the page streams: on the generated school, zlib's level 6
 * makes the PDFs 4 % smaller than level 1 (7.9 KB against 8.2 KB for a
 * two-page bilan) for 30 % more rendering time; level 9 gains nothing
 * more.  The embedded font subsets, rare, get the default. */
#define PAGE_LEVEL 1
#define FONT_LEVEL 6

/* A page of a drawn bilan: its compressed content stream in the bilan's
 * data, and the fonts it uses (bit f: font id f). */
typedef struct {
    size_t off, len;
    uint16_t fonts;
} drawn_page;

struct lsu_drawn {
    lsu_buf data; /* the pages' compressed streams */
    drawn_page *pages;
    size_t npages, cap_pages;
    glyph_use *uses[2]; /* DejaVu glyphs shown, by face, sorted by glyph */
    size_t nuses[2];
};

/* Appends a literal of known length. */
#define PUT(b, lit) lsu_buf_add((b), (lit), sizeof(lit) - 1)

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
                     address->size * font_scale(l->font), ADDRESS_X + l->dx,
                     ADDRESS_Y + (float)l->row * lh + BASE_FACTOR * address->size);
        }
    }
    PUT(b, "ET\n");
    return ts.fonts;
}

/* Compresses n bytes at `in` at `level` and appends them to out; 0, or -1
 * (out->failed set when memory ran out).  One zlib state serves the whole
 * run: deflateReset is far cheaper than deflateInit for small streams. */
static int deflate_into(lsu_renderer *r, int level, const void *in, size_t n, lsu_buf *out)
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

/* Frees a drawn bilan; NULL is a no-op. */
void lsu_drawn_free(lsu_drawn *d)
{
    if (!d)
        return;
    lsu_buf_free(&d->data);
    free(d->pages);
    free(d->uses[0]);
    free(d->uses[1]);
    free(d);
}

/* The pages of a drawn bilan (every copy, blank pages included). */
int lsu_drawn_pages(const lsu_drawn *d)
{
    return d ? (int)d->npages : 0;
}

/* Records INT001 for a failure, on the bilan being drawn (item) or on the
 * file: a libharu error (code, detail), memory, or `why`. */
static void report_internal(lsu_diag_list *diags, const lsu_render_item *item, HPDF_STATUS code, HPDF_STATUS detail,
                            int failed, const char *why)
{
    if (!diags)
        return;
    lsu_subject file_subject;
    memset(&file_subject, 0, sizeof file_subject);
    file_subject.scope = SCOPE_FILE;
    const lsu_subject *subject = item ? &item->subject : &file_subject;
    long line = item ? node_line(item->bilan, 0) : 0;
    if (!why)
        why = item ? "dessin du bilan" : "enregistrement du document";
    if (code)
        lsu_diag_add(diags, DIAG_INT001, line, subject,
                     "Édition du PDF impossible : erreur libharu 0x%04X "
                     "(détail %u), %s",
                     (unsigned)code, (unsigned)detail, why);
    else if (failed)
        lsu_diag_add(diags, DIAG_INT001, line, subject, "Édition du PDF impossible : mémoire insuffisante, %s", why);
    else
        lsu_diag_add(diags, DIAG_INT001, line, subject, "Édition du PDF impossible : %s", why);
}

/* Orders glyph uses by glyph. */
static int cmp_use(const void *a, const void *b)
{
    const glyph_use *x = a, *y = b;
    return x->gid < y->gid ? -1 : x->gid > y->gid;
}

/* Forgets the glyphs the context recorded (for the next bilan). */
static void forget_glyphs(render_ctx *c)
{
    for (int f = 0; f < 2; f++) {
        for (size_t i = 0; i < c->nuses[f]; i++)
            c->glyph_cp[f][c->uses[f][i].gid] = 0;
        c->nuses[f] = 0;
    }
}

/* Appends page p of the current copy (address: its guardian's, or NULL) to
 * d, compressed; `same` is a page of d with the same content (a later
 * copy's page 2, 3…), reused as it is, or -1.  0 or -1. */
static int add_drawn_page(render_ctx *c, lsu_drawn *d, size_t p, const block *address, long same)
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
    if (deflate_into(c->r, PAGE_LEVEL, c->content.data ? c->content.data : "", c->content.len, &d->data) != 0) {
        c->failed = 1;
        c->why = "compression d'une page";
        return -1;
    }
    d->pages[d->npages++] = (drawn_page){off, d->data.len - off, fonts};
    return 0;
}

/* The renderer's bilan context, made on first use; NULL when memory ran out. */
static render_ctx *renderer_ctx(lsu_renderer *r)
{
    if (!r->ctx && (r->ctx = calloc(1, sizeof *r->ctx)) != NULL)
        r->ctx->r = r;
    return r->ctx;
}

/* Lays a bilan out and draws its pages once (see render.h). */
lsu_drawn *lsu_render_bilan(lsu_renderer *r, const lsu_render_item *item, lsu_diag_list *diags)
{
    render_ctx *c = r ? renderer_ctx(r) : NULL;
    lsu_drawn *d = c ? calloc(1, sizeof *d) : NULL;
    if (!d) {
        report_internal(diags, item, 0, 0, 1, "préparation du bilan");
        return NULL;
    }
    c->diags = diags;
    c->failed = 0;
    c->why = NULL;
    int ok = layout_bilan(c, item) == 0;
    /* one copy per guardian (with the address), or one copy; the pages
     * after the first are the same in every copy */
    size_t copies = r->opt.per_guardian && c->naddresses ? c->naddresses : 1;
    int pad = r->opt.duplex && c->npages % 2 == 1;
    size_t per_copy = c->npages + (size_t)pad;
    for (size_t k = 0; ok && k < copies; k++) {
        const block *address = r->opt.per_guardian && c->naddresses ? &c->addresses[k] : NULL;
        for (size_t p = 0; ok && p < per_copy; p++)
            ok = add_drawn_page(c, d, p, p == 0 ? address : NULL, k > 0 && p > 0 ? (long)p : -1) == 0;
    }
    for (int f = 0; ok && f < 2; f++) {
        if (c->nuses[f] == 0)
            continue;
        d->uses[f] = malloc(c->nuses[f] * sizeof *d->uses[f]);
        if (!d->uses[f]) {
            c->failed = 1;
            ok = 0;
            break;
        }
        memcpy(d->uses[f], c->uses[f], c->nuses[f] * sizeof *d->uses[f]);
        d->nuses[f] = c->nuses[f];
        qsort(d->uses[f], d->nuses[f], sizeof *d->uses[f], cmp_use);
    }
    forget_glyphs(c);
    if (!ok || d->data.failed) {
        report_internal(diags, item, 0, 0, c->failed || d->data.failed, c->why);
        lsu_drawn_free(d);
        return NULL;
    }
    return d;
}

/* ---------------------------------------------------------------------------
 * DejaVu subsets: a TrueType font holding only the glyphs a document shows
 * (with the components of composite glyphs), glyph numbers unchanged, so
 * that the page streams, which name glyphs by number, are the same in every
 * document.  Embedded as a CIDFontType2 under a Type 0 font with the
 * Identity-H encoding and a ToUnicode map for text extraction. */

/* Checksum of a TrueType table (big-endian 32-bit words, zero padded). */
static uint32_t table_sum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += be32(p + i);
    if (i < len) {
        unsigned char last[4] = {0, 0, 0, 0};
        memcpy(last, p + i, len - i);
        sum += be32(last);
    }
    return sum;
}

/* Big-endian stores. */
static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8), p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Marks the glyphs of `uses` and, recursively, their components in the
 * bit set `used` (glyph 0, .notdef, always); 0 or -1 on memory. */
static int glyph_closure(const ttf_face *t, const glyph_use *uses, size_t n, unsigned char *used)
{
    size_t cap = n + 64, sp = 0;
    uint32_t *stack = malloc(cap * sizeof *stack);
    if (!stack)
        return -1;
    used[0] |= 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t g = uses[i].gid;
        if (g < t->glyphs && !(used[g >> 3] & (1u << (g & 7)))) {
            used[g >> 3] |= (unsigned char)(1u << (g & 7));
            stack[sp++] = g;
        }
    }
    while (sp > 0) {
        uint32_t parts[16];
        size_t np = glyph_parts(t, stack[--sp], parts, 16);
        for (size_t k = 0; k < np; k++) {
            uint32_t g = parts[k];
            if (g >= t->glyphs || (used[g >> 3] & (1u << (g & 7))))
                continue;
            used[g >> 3] |= (unsigned char)(1u << (g & 7));
            if (sp == cap) {
                uint32_t *grown = realloc(stack, 2 * cap * sizeof *stack);
                if (!grown) {
                    free(stack);
                    return -1;
                }
                stack = grown, cap *= 2;
            }
            stack[sp++] = g;
        }
    }
    free(stack);
    return 0;
}

/* A table of the subset being written. */
typedef struct {
    char tag[5];
    const unsigned char *data;
    size_t len;
} sub_table;

/* Writes the subset of face t holding the glyphs marked in `used` into out:
 * the tables a PDF's FontFile2 needs (OS/2, cvt, fpgm, glyf, head, hhea,
 * hmtx, loca, maxp, post, prep), glyphs not used left empty, their
 * metrics zero.  0, or -1 on memory or a damaged font. */
static int write_subset(const ttf_face *t, const unsigned char *used, lsu_buf *out)
{
    size_t glyf_len = 0;
    for (uint32_t g = 0; g < t->glyphs; g++) {
        size_t off, len;
        if (!(used[g >> 3] & (1u << (g & 7))))
            continue;
        if (glyph_range(t, g, &off, &len) != 0)
            return -1;
        glyf_len += (len + 3) & ~(size_t)3;
    }
    int short_loca = glyf_len <= 0x1FFFC;
    size_t loca_len = (short_loca ? 2 : 4) * ((size_t)t->glyphs + 1);
    unsigned char *glyf = malloc(glyf_len + 1), *loca = malloc(loca_len), *hmtx = calloc(1, t->hmtx_len + 1);
    unsigned char head[54], post[32];
    int rc = -1;
    if (!glyf || !loca || !hmtx)
        goto done;
    size_t pos = 0;
    for (uint32_t g = 0; g <= t->glyphs; g++) {
        if (short_loca)
            put16(loca + 2 * (size_t)g, (uint32_t)(pos / 2));
        else
            put32(loca + 4 * (size_t)g, (uint32_t)pos);
        size_t off = 0, len = 0;
        if (g == t->glyphs || !(used[g >> 3] & (1u << (g & 7))) || glyph_range(t, g, &off, &len) != 0 ||
            pos + len > glyf_len)
            continue; /* (checked when sizing glyf) */
        memcpy(glyf + pos, t->glyf + off, len);
        size_t padded = (len + 3) & ~(size_t)3;
        memset(glyf + pos + len, 0, padded - len);
        pos += padded;
        /* the metrics of the glyph (and the last long metric, whose advance
         * the glyphs after it share) */
        if (g < t->hmetrics) {
            memcpy(hmtx + 4 * (size_t)g, t->hmtx + 4 * (size_t)g, 4);
        } else {
            size_t last = 4 * ((size_t)t->hmetrics - 1), lsb = 4 * (size_t)t->hmetrics + 2 * (size_t)(g - t->hmetrics);
            memcpy(hmtx + last, t->hmtx + last, 4);
            memcpy(hmtx + lsb, t->hmtx + lsb, 2);
        }
    }
    memcpy(head, t->head, 54);
    put32(head + 8, 0); /* checkSumAdjustment, set once the file is whole */
    put16(head + 50, short_loca ? 0 : 1);
    size_t post_len = 0;
    const unsigned char *post_src = ttf_table(t->data, t->size, "post", &post_len);
    memset(post, 0, sizeof post);
    if (post_src && post_len >= 32)
        memcpy(post, post_src, 32);
    put32(post, 0x00030000); /* version 3: no glyph names */
    sub_table tables[11];
    size_t n = 0;
    static const char *const copied[] = {"OS/2", "cvt ", "fpgm"};
    for (size_t i = 0; i < 3; i++) {
        size_t len = 0;
        const unsigned char *p = ttf_table(t->data, t->size, copied[i], &len);
        if (p)
            tables[n++] = (sub_table){"", p, len}, memcpy(tables[n - 1].tag, copied[i], 5);
    }
    tables[n++] = (sub_table){"glyf", glyf, glyf_len};
    tables[n++] = (sub_table){"head", head, 54};
    tables[n++] = (sub_table){"hhea", t->hhea, t->hhea_len};
    tables[n++] = (sub_table){"hmtx", hmtx, t->hmtx_len};
    tables[n++] = (sub_table){"loca", loca, loca_len};
    tables[n++] = (sub_table){"maxp", t->maxp, t->maxp_len};
    tables[n++] = (sub_table){"post", post, 32};
    {
        size_t len = 0;
        const unsigned char *p = ttf_table(t->data, t->size, "prep", &len);
        if (p)
            tables[n++] = (sub_table){"prep", p, len};
    }
    /* the table directory, tables in tag order (as listed), 4-byte aligned */
    unsigned entry_selector = 0;
    while ((2u << entry_selector) <= n)
        entry_selector++;
    unsigned search_range = 16u << entry_selector;
    unsigned char dir[12 + 16 * 11];
    put32(dir, 0x00010000);
    put16(dir + 4, (uint32_t)n);
    put16(dir + 6, search_range);
    put16(dir + 8, entry_selector);
    put16(dir + 10, (uint32_t)(16 * n - search_range));
    size_t offset = 12 + 16 * n, head_at = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char *rec = dir + 12 + 16 * i;
        memcpy(rec, tables[i].tag, 4);
        put32(rec + 4, table_sum(tables[i].data, tables[i].len));
        put32(rec + 8, (uint32_t)offset);
        put32(rec + 12, (uint32_t)tables[i].len);
        if (memcmp(tables[i].tag, "head", 4) == 0)
            head_at = offset;
        offset += (tables[i].len + 3) & ~(size_t)3;
    }
    size_t start = out->len;
    lsu_buf_add(out, (const char *)dir, 12 + 16 * n);
    for (size_t i = 0; i < n; i++) {
        static const char zeros[4] = {0, 0, 0, 0};
        lsu_buf_add(out, (const char *)tables[i].data, tables[i].len);
        lsu_buf_add(out, zeros, ((tables[i].len + 3) & ~(size_t)3) - tables[i].len);
    }
    if (!out->failed) {
        unsigned char *file = (unsigned char *)out->data + start;
        put32(file + head_at + 8, 0xB1B0AFBAu - table_sum(file, out->len - start));
        rc = 0;
    }
done:
    free(glyf);
    free(loca);
    free(hmtx);
    return rc;
}

/* Writes "/Filter /FlateDecode" into a stream dictionary whose bytes were
 * compressed here (libharu itself only writes the filter of the streams it
 * compresses). */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* A stream object of the document holding `len` bytes already compressed. */
static HPDF_Dict flate_stream(HPDF_Doc pdf, const lsu_buf *z)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s)
        return NULL;
    if (HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)z->data, (HPDF_UINT)z->len) != HPDF_OK)
        return NULL;
    s->write_fn = write_flate_filter;
    return s;
}

/* The ToUnicode map of a subset: each glyph shown to its code point. */
static void tounicode(const glyph_use *uses, size_t n, lsu_buf *b)
{
    lsu_buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        lsu_buf_printf(b, "%zu beginbfchar\n", m);
        for (size_t k = i; k < i + m; k++) {
            uint32_t cp = uses[k].cp;
            if (cp < 0x10000)
                lsu_buf_printf(b, "<%04X> <%04X>\n", (unsigned)uses[k].gid, (unsigned)cp);
            else
                lsu_buf_printf(b, "<%04X> <%04X%04X>\n", (unsigned)uses[k].gid,
                               (unsigned)(0xD800 + ((cp - 0x10000) >> 10)), (unsigned)(0xDC00 + (cp & 0x3FF)));
        }
        lsu_buf_puts(b, "endbfchar\n");
    }
    lsu_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* Makes the Type 0 font of DejaVu face f for a document showing the glyphs
 * `uses` (sorted by glyph, unique); NULL on a libharu or memory error. */
static HPDF_Dict subset_font(lsu_renderer *r, HPDF_Doc pdf, int f, const glyph_use *uses, size_t n)
{
    const ttf_face *t = &r->face[f];
    unsigned char *used = calloc((t->glyphs + 8) / 8, 1);
    lsu_buf raw = {0}, z = {0}, map = {0}, zmap = {0};
    HPDF_Dict font = NULL;
    if (!used || glyph_closure(t, uses, n, used) != 0 || write_subset(t, used, &raw) != 0 ||
        deflate_into(r, FONT_LEVEL, raw.data, raw.len, &z) != 0)
        goto done;
    tounicode(uses, n, &map);
    if (map.failed || deflate_into(r, FONT_LEVEL, map.data, map.len, &zmap) != 0)
        goto done;
    /* the subset tag: six letters from the glyphs it holds */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < (t->glyphs + 8) / 8; i++)
        h = (h ^ used[i]) * 16777619u;
    char name[96];
    char tag[7];
    for (int k = 0; k < 6; k++, h /= 26)
        tag[k] = (char)('A' + h % 26);
    tag[6] = '\0';
    snprintf(name, sizeof name, "%s+%s", tag, t->name);

    /* every object is linked to the document as soon as it is made, so
     * that freeing the document frees it whatever fails */
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Xref xref = pdf->xref;
    HPDF_Dict type0 = HPDF_Dict_New(mm), cid = NULL, desc = NULL, file = NULL, tu = NULL, info = NULL;
    HPDF_Array arr = NULL;
    HPDF_STATUS st = HPDF_Xref_Add(xref, type0);
    if (st == HPDF_OK)
        st = HPDF_Xref_Add(xref, cid = HPDF_Dict_New(mm));
    if (st == HPDF_OK)
        st = HPDF_Xref_Add(xref, desc = HPDF_Dict_New(mm));
    if (st == HPDF_OK && (!(file = flate_stream(pdf, &z)) || !(tu = flate_stream(pdf, &zmap))))
        st = HPDF_FAILD_TO_ALLOC_MEM;
    if (st != HPDF_OK)
        goto done;
    st |= HPDF_Dict_AddName(type0, "Type", "Font");
    st |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(type0, "BaseFont", name);
    st |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    st |= HPDF_Dict_Add(type0, "DescendantFonts", arr = HPDF_Array_New(mm));
    st |= arr ? HPDF_Array_Add(arr, cid) : HPDF_FAILD_TO_ALLOC_MEM;
    st |= HPDF_Dict_Add(type0, "ToUnicode", tu);
    st |= HPDF_Dict_AddName(cid, "Type", "Font");
    st |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", name);
    st |= HPDF_Dict_Add(cid, "CIDSystemInfo", info = HPDF_Dict_New(mm));
    if (info) {
        st |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
        st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
        st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    }
    st |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    /* widths: runs of consecutive glyphs, [first [w w …] first [w …] …] */
    st |= HPDF_Dict_Add(cid, "W", arr = HPDF_Array_New(mm));
    for (size_t i = 0; i < n && arr && st == HPDF_OK;) {
        size_t j = i + 1;
        while (j < n && uses[j].gid == uses[j - 1].gid + 1)
            j++;
        HPDF_Array run = HPDF_Array_New(mm);
        st |= HPDF_Array_AddNumber(arr, uses[i].gid);
        st |= run ? HPDF_Array_Add(arr, run) : HPDF_FAILD_TO_ALLOC_MEM;
        for (size_t k = i; k < j && run; k++) {
            uint32_t g = uses[k].gid, at = g < t->hmetrics ? g : t->hmetrics - 1;
            st |= HPDF_Array_AddNumber(run, (HPDF_INT32)(be16(t->hmtx + 4 * (size_t)at) * 1000 / t->upem));
        }
        i = j;
    }
    st |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", name);
    st |= HPDF_Dict_AddNumber(desc, "Flags", 32);
    st |= HPDF_Dict_Add(desc, "FontBBox", arr = HPDF_Array_New(mm));
    for (int k = 0; k < 4 && arr; k++)
        st |= HPDF_Array_AddNumber(arr, t->bbox[k]);
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", t->ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", t->descent);
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", t->cap_height);
    st |= HPDF_Dict_AddNumber(desc, "StemV", f ? 120 : 80);
    st |= HPDF_Dict_Add(desc, "FontFile2", file);
    st |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)raw.len);
    if (st == HPDF_OK)
        font = type0;
done:
    free(used);
    lsu_buf_free(&raw);
    lsu_buf_free(&z);
    lsu_buf_free(&map);
    lsu_buf_free(&zmap);
    return font;
}

/* Writes the body kept by base_dict (the dictionary's attr). */
static HPDF_STATUS write_base_dict(HPDF_Dict dict, HPDF_Stream stream)
{
    return HPDF_Stream_WriteStr(stream, (const char *)dict->attr);
}

/* A Helvetica font object of the document, written as libharu writes it
 * (see base_dict); NULL on a libharu error. */
static HPDF_Dict base_font(HPDF_Doc pdf, const char *body)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (!d || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;                   /* HPDF_Xref_Add frees d when it fails */
    d->attr = (void *)(uintptr_t)body; /* the renderer's, never freed by libharu (no free_fn) */
    d->write_fn = write_base_dict;
    return d;
}

/* The union of the glyph uses of face f over `count` drawn bilans, sorted
 * by glyph, each glyph once (with its first code point, in bilan order);
 * *n = 0 and NULL when none; -1 on memory. */
static int merge_uses(lsu_drawn *const *bilans, size_t count, int f, glyph_use **out, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += bilans[i]->nuses[f];
    *out = NULL;
    *n = 0;
    if (total == 0)
        return 0;
    glyph_use *all = malloc(total * sizeof *all);
    if (!all)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < bilans[i]->nuses[f] && k < total; j++)
            all[k++] = bilans[i]->uses[f][j];
    total = k;
    if (count > 1) { /* stable: the earliest bilan's code point wins */
        for (size_t i = 1; i < total; i++) {
            glyph_use x = all[i];
            size_t j = i;
            for (; j > 0 && all[j - 1].gid > x.gid; j--)
                all[j] = all[j - 1];
            all[j] = x;
        }
    }
    size_t m = 0;
    for (size_t i = 0; i < total; i++)
        if (m == 0 || all[m - 1].gid != all[i].gid)
            all[m++] = all[i];
    *out = all;
    *n = m;
    return 0;
}

/* Sets a document's dates (never the clock). */
static void set_dates(HPDF_Doc pdf, time_t t)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    d.year = tm.tm_year + 1900, d.month = tm.tm_mon + 1, d.day = tm.tm_mday;
    d.hour = tm.tm_hour, d.minutes = tm.tm_min, d.seconds = tm.tm_sec;
    d.ind = 'Z';
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
}

/* Saves a document into a malloc'd buffer; 0, or -1 (*failed set when
 * memory ran out). */
static int save(HPDF_Doc pdf, hpdf_error *err, unsigned char **out, size_t *len, int *failed)
{
    if (HPDF_SaveToStream(pdf) != HPDF_OK || err->code)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *data = malloc(size ? size : 1);
    if (!data) {
        *failed = 1;
        return -1;
    }
    HPDF_UINT32 total = 0;
    while (total < size) {
        HPDF_UINT32 n = size - total;
        HPDF_STATUS st = HPDF_ReadFromStream(pdf, data + total, &n);
        total += n;
        if (st == HPDF_STREAM_EOF || n == 0 || st != HPDF_OK)
            break;
    }
    if (total != size) {
        free(data);
        if (!err->code)
            err->code = HPDF_FILE_IO_ERROR;
        return -1;
    }
    if (err->code == HPDF_STREAM_EOF)
        err->code = 0; /* reaching the end of the stream is not an error */
    *out = data;
    *len = total;
    return 0;
}

/* Puts drawn bilans into one PDF (see render.h). */
int lsu_render_assemble(lsu_renderer *r, lsu_drawn *const *bilans, size_t count, lsu_diag_list *diags,
                        unsigned char **out, size_t *len, int *pages)
{
    *out = NULL;
    *len = 0;
    *pages = 0;
    if (!r || !bilans || count == 0) {
        report_internal(diags, NULL, 0, 0, 0, "aucun bilan à éditer");
        return -1;
    }
    hpdf_error err = {0, 0};
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &err);
    if (!pdf) {
        report_internal(diags, NULL, 0, 0, 1, "création du document");
        return -1;
    }
    int failed = 0;
    const char *why = NULL;
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "lsu " LSU_VERSION);
    set_dates(pdf, r->opt.date);
    /* the fonts the pages use, made once for the document */
    uint16_t mask = 0;
    for (size_t i = 0; i < count; i++)
        for (size_t p = 0; p < bilans[i]->npages; p++)
            mask |= bilans[i]->pages[p].fonts;
    HPDF_Dict fonts[F_COUNT] = {0};
    for (int f = 0; f < F_COUNT && !err.code && !failed; f++) {
        if (!(mask & (1u << f)))
            continue;
        if (f < F_TTF_REG) { /* an encoding of Helvetica: nothing embedded */
            fonts[f] = base_font(pdf, r->base_dict[f]);
            why = fonts[f] ? why : "police Helvetica";
        } else {
            glyph_use *uses = NULL;
            size_t n = 0;
            if (merge_uses(bilans, count, f - F_TTF_REG, &uses, &n) != 0)
                failed = 1;
            else
                fonts[f] = subset_font(r, pdf, f - F_TTF_REG, uses, n);
            free(uses);
            why = fonts[f] ? why : "police DejaVu Sans";
        }
        if (!fonts[f])
            break;
    }
    int total = 0;
    for (size_t i = 0; i < count && !err.code && !failed && !why; i++) {
        const lsu_drawn *d = bilans[i];
        for (size_t p = 0; p < d->npages && !err.code; p++) {
            const drawn_page *dp = &d->pages[p];
            HPDF_Page page = HPDF_AddPage(pdf);
            if (!page)
                break;
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
            /* the page's fonts, named by font id (F1…F10) as the stream does */
            HPDF_PageAttr attr = page->attr;
            HPDF_Dict res = HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT), names = NULL;
            if (!attr || !attr->stream || !attr->contents || !res ||
                HPDF_Dict_Add(res, "Font", names = HPDF_Dict_New(pdf->mmgr)) != HPDF_OK) {
                why = "page";
                break;
            }
            for (int f = 0; f < F_COUNT; f++) {
                if (!(dp->fonts & (1u << f)))
                    continue;
                char name[8];
                snprintf(name, sizeof name, "F%d", f + 1);
                HPDF_Dict_Add(names, name, fonts[f]);
            }
            /* the stream's bytes, compressed once when the bilan was drawn */
            HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)d->data.data + dp->off, (HPDF_UINT)dp->len);
            attr->contents->write_fn = write_flate_filter;
            total++;
        }
    }
    int rc = err.code || failed || why ? -1 : save(pdf, &err, out, len, &failed);
    if (rc != 0)
        report_internal(diags, NULL, err.code, err.detail, failed, why);
    else
        *pages = total;
    HPDF_Free(pdf);
    return rc;
}

/* Renders the bilans into one PDF in memory (see render.h): each is drawn,
 * then they are put together. */
int lsu_render_pdf(lsu_renderer *r, const lsu_render_item *items, size_t count, lsu_diag_list *diags,
                   unsigned char **pdf, size_t *len, int *pages)
{
    *pdf = NULL;
    *len = 0;
    *pages = 0;
    if (!r || !items || count == 0) {
        report_internal(diags, NULL, 0, 0, 0, "aucun bilan à éditer");
        return -1;
    }
    lsu_drawn **drawn = calloc(count, sizeof(lsu_drawn *));
    if (!drawn) {
        report_internal(diags, NULL, 0, 0, 1, "préparation des bilans");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        if (!(drawn[i] = lsu_render_bilan(r, &items[i], diags)))
            rc = -1;
    if (rc == 0)
        rc = lsu_render_assemble(r, drawn, count, diags, pdf, len, pages);
    for (size_t i = 0; i < count; i++)
        lsu_drawn_free(drawn[i]);
    free(drawn);
    return rc;
}

/* Frees the renderer's bilan context (called by lsu_renderer_free). */
static void renderer_ctx_free(lsu_renderer *r)
{
    if (r->ctx) {
        ctx_free(r->ctx);
        free(r->ctx);
        r->ctx = NULL;
    }
}
