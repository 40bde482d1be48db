/* Render family (see render_int.h): the DejaVu subsets of a document.
 *
 * Owns the making of a subset (the glyphs a document shows and their
 * components, written as a TrueType file), its ToUnicode map, and its
 * Type 0 font objects in the libharu document (render_subset_font). */
#include "base/util.h"
#include "pdf/render_int.h"

#include <hpdf.h>
/* The embedded DejaVu subsets are made here and handed to libharu as
 * objects and stream bytes, through its object API (installed headers of
 * libharu 2.3 and 2.4). */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
 * hmtx, loca, maxp, post, prep), glyph numbers unchanged.  The subset ends
 * at the highest glyph used (maxp's numGlyphs and hhea's numberOfHMetrics
 * cut down to it); the glyphs below it not used are left empty, their
 * metrics zero.  0, or -1 on memory or a damaged font. */
static int write_subset(const ttf_face *t, const unsigned char *used, lsu_buf *out)
{
    size_t glyf_len = 0;
    uint32_t count = 1; /* glyphs in the subset: the highest used + 1 */
    for (uint32_t g = 0; g < t->glyphs; g++) {
        size_t off, len;
        if (!(used[g >> 3] & (1u << (g & 7))))
            continue;
        if (glyph_range(t, g, &off, &len) != 0)
            return -1;
        glyf_len += (len + 3) & ~(size_t)3;
        count = g + 1;
    }
    /* long metrics for the first `hmetrics` glyphs, then left side bearings
     * alone (the glyphs after the last long metric share its advance) */
    uint32_t hmetrics = count < t->hmetrics ? count : t->hmetrics;
    size_t hmtx_len = 4 * (size_t)hmetrics + 2 * (size_t)(count - hmetrics);
    int short_loca = glyf_len <= 0x1FFFC;
    size_t loca_len = (short_loca ? 2 : 4) * ((size_t)count + 1);
    unsigned char *glyf = malloc(glyf_len + 1), *loca = malloc(loca_len), *hmtx = calloc(1, hmtx_len);
    unsigned char *hhea = malloc(t->hhea_len), *maxp = malloc(t->maxp_len);
    unsigned char head[54], post[32];
    int rc = -1;
    if (!glyf || !loca || !hmtx || !hhea || !maxp)
        goto done;
    size_t pos = 0;
    for (uint32_t g = 0; g <= count; g++) {
        if (short_loca)
            put16(loca + 2 * (size_t)g, (uint32_t)(pos / 2));
        else
            put32(loca + 4 * (size_t)g, (uint32_t)pos);
        size_t off = 0, len = 0;
        if (g == count || !(used[g >> 3] & (1u << (g & 7))) || glyph_range(t, g, &off, &len) != 0 ||
            pos + len > glyf_len)
            continue; /* (checked when sizing glyf) */
        memcpy(glyf + pos, t->glyf + off, len);
        size_t padded = (len + 3) & ~(size_t)3;
        memset(glyf + pos + len, 0, padded - len);
        pos += padded;
        /* the metrics of the glyph (and the last long metric, whose advance
         * the glyphs after it share); past the font's last long metric,
         * hmetrics is the font's own, so the offsets are the font's */
        if (g < hmetrics) {
            memcpy(hmtx + 4 * (size_t)g, t->hmtx + 4 * (size_t)g, 4);
        } else {
            size_t last = 4 * ((size_t)hmetrics - 1), lsb = 4 * (size_t)hmetrics + 2 * (size_t)(g - hmetrics);
            memcpy(hmtx + last, t->hmtx + last, 4);
            memcpy(hmtx + lsb, t->hmtx + lsb, 2);
        }
    }
    memcpy(hhea, t->hhea, t->hhea_len);
    put16(hhea + 34, hmetrics); /* numberOfHMetrics */
    memcpy(maxp, t->maxp, t->maxp_len);
    put16(maxp + 4, count); /* numGlyphs */
    memcpy(head, t->head, 54);
    put32(head + 8, 0); /* checkSumAdjustment, set once the file is whole */
    put16(head + 50, short_loca ? 0 : 1);
    size_t post_len = 0;
    const unsigned char *post_src = render_ttf_table(t->data, t->size, "post", &post_len);
    memset(post, 0, sizeof post);
    if (post_src && post_len >= 32)
        memcpy(post, post_src, 32);
    put32(post, 0x00030000); /* version 3: no glyph names */
    sub_table tables[11];
    size_t n = 0;
    static const char *const copied[] = {"OS/2", "cvt ", "fpgm"};
    for (size_t i = 0; i < 3; i++) {
        size_t len = 0;
        const unsigned char *p = render_ttf_table(t->data, t->size, copied[i], &len);
        if (p)
            tables[n++] = (sub_table){"", p, len}, memcpy(tables[n - 1].tag, copied[i], 5);
    }
    tables[n++] = (sub_table){"glyf", glyf, glyf_len};
    tables[n++] = (sub_table){"head", head, 54};
    tables[n++] = (sub_table){"hhea", hhea, t->hhea_len};
    tables[n++] = (sub_table){"hmtx", hmtx, hmtx_len};
    tables[n++] = (sub_table){"loca", loca, loca_len};
    tables[n++] = (sub_table){"maxp", maxp, t->maxp_len};
    tables[n++] = (sub_table){"post", post, 32};
    {
        size_t len = 0;
        const unsigned char *p = render_ttf_table(t->data, t->size, "prep", &len);
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
    free(hhea);
    free(maxp);
    return rc;
}

/* Writes "/Filter /FlateDecode" into a stream dictionary whose bytes were
 * compressed here (libharu itself only writes the filter of the streams it
 * compresses). */
HPDF_STATUS render_write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
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
    s->write_fn = render_write_flate_filter;
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
HPDF_Dict render_subset_font(lsu_renderer *r, HPDF_Doc pdf, int f, const glyph_use *uses, size_t n)
{
    const ttf_face *t = &r->face[f];
    unsigned char *used = calloc((t->glyphs + 8) / 8, 1);
    lsu_buf raw = {0}, z = {0}, map = {0}, zmap = {0};
    HPDF_Dict font = NULL;
    if (!used || glyph_closure(t, uses, n, used) != 0 || write_subset(t, used, &raw) != 0 ||
        render_deflate_into(r, FONT_LEVEL, raw.data, raw.len, &z) != 0)
        goto done;
    tounicode(uses, n, &map);
    if (map.failed || render_deflate_into(r, FONT_LEVEL, map.data, map.len, &zmap) != 0)
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
