/* Render family (see render_int.h): font metrics, read once per run.
 *
 * Owns the reading of the DejaVu Sans files (found, mapped, their width,
 * coverage and glyph tables filled: render_ttf_load) and of libharu's Helvetica
 * metrics, encodings and font dictionaries (render_base_metrics), and answers what
 * the rest asks of them: which font shows a code point, and how wide. */
#include "base/util.h"
#include "pdf/render_int.h"

#include <fcntl.h>
#include <hpdf.h>
/* libharu's object API (installed headers of libharu 2.3 and 2.4): the
 * Helvetica font dictionaries libharu writes are kept (base_dict). */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------
 * Font metrics, read once per run. */

/* libharu's names of the base encodings, in font id order (see the font
 * ids in render_int.h). */
static const char *const encoding_names[ENCODINGS] = {"CP1252", "CP1254", "ISO8859-16", "CP1250"};

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
const unsigned char *render_ttf_table(const unsigned char *data, size_t size, const char *tag, size_t *len)
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
 * point glyph, filled by render_ttf_load. */
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

/* Reads the PostScript name (name ID 6) of a face into t->name; keeps
 * `fallback` when the table has none in plain ASCII. */
static void ttf_name(ttf_face *t, const char *fallback)
{
    snprintf(t->name, sizeof t->name, "%s", fallback);
    size_t len = 0;
    const unsigned char *name = render_ttf_table(t->data, t->size, "name", &len);
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
int render_ttf_load(lsu_renderer *r, int which, char **error)
{
    ttf_face *f = &r->face[which];
    f->data = load_file(r->ttf_path[which], &f->size, &f->mapped);
    if (!f->data) {
        *error = lsu_asprintf("police illisible : %s", r->ttf_path[which]);
        return -1;
    }
    size_t cmap_len = 0;
    f->head = render_ttf_table(f->data, f->size, "head", &f->head_len);
    f->hhea = render_ttf_table(f->data, f->size, "hhea", &f->hhea_len);
    f->maxp = render_ttf_table(f->data, f->size, "maxp", &f->maxp_len);
    f->hmtx = render_ttf_table(f->data, f->size, "hmtx", &f->hmtx_len);
    f->loca = render_ttf_table(f->data, f->size, "loca", &f->loca_len);
    f->glyf = render_ttf_table(f->data, f->size, "glyf", &f->glyf_len);
    const unsigned char *cmap = render_ttf_table(f->data, f->size, "cmap", &cmap_len);
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
        const unsigned char *os2 = render_ttf_table(f->data, f->size, "OS/2", &os2_len);
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

/* libharu's error handler: records the first error in the hpdf_error at
 * `data`; libharu goes on, and the caller checks after each page and at
 * save. */
void render_on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
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
int render_base_metrics(lsu_renderer *r, char **error)
{
    hpdf_error err = {0, 0};
    HPDF_Doc pdf = HPDF_New(render_on_hpdf_error, &err);
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
int render_find_fonts(lsu_renderer *r)
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
