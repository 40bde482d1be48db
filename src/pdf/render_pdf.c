/* Render family (see render_int.h): a PDF put together from drawn bilans.
 *
 * Owns, for one call of lsu_render_assemble, the libharu document (its
 * Helvetica fonts written as kept by render_base_metrics, its DejaVu subsets, its
 * dates, its pages holding the drawn bilans' streams as they are) and the
 * PDF bytes it saves. */
#include "base/util.h"
#include "lsu.h"
#include "pdf/render_int.h"

#include <hpdf.h>
/* libharu makes the documents (catalogue, pages, base fonts, dates, cross
 * reference); the page content streams and the embedded DejaVu subsets are
 * made in the other files of the family and handed to it as objects and
 * stream bytes, through its object API (installed headers of libharu 2.3
 * and 2.4, Debian's libhpdf-dev).  Its public API (hpdf.h) has no call for
 * either, which is why these three headers stay (issue 10):
 * - a page's content can only be drawn operator by operator
 *   (HPDF_Page_ShowText…), once per document and compressed by libharu; lsu
 *   draws each bilan once, deflates it once and puts the same bytes in the
 *   pupil's and the class PDF (page->attr->stream: hpdf_pages.h), and names
 *   the page's fonts itself (the Resources dictionary: hpdf_objects.h);
 * - a TrueType font can only be loaded whole (HPDF_LoadTTFontFromFile with a
 *   UTF-8 encoder: a 65 536-entry map and most of the font per document,
 *   182 KB for one Vietnamese name); lsu writes a CIDFontType2 subset with
 *   its ToUnicode map as dictionaries and streams (HPDF_Dict_New,
 *   HPDF_DictStream_New, HPDF_Xref_Add on pdf->mmgr and pdf->xref:
 *   hpdf_objects.h, hpdf_doc.h);
 * - the Helvetica font dictionaries are made once per run and their bytes
 *   reused by every document (HPDF_Dict_Write).
 * Leaving libharu for another library would not remove this (cairo, say,
 * subsets and compresses fonts and pages itself, per document); writing the
 * PDF objects by hand would.  The pdf suite checks every PDF lsu writes with
 * qpdf --check, so a libharu whose internals moved would fail it. */
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------------
 * The document: fonts made once for it, then the drawn pages. */

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
        render_report_internal(diags, NULL, 0, 0, 0, "aucun bilan à éditer");
        return -1;
    }
    hpdf_error err = {0, 0};
    HPDF_Doc pdf = HPDF_New(render_on_hpdf_error, &err);
    if (!pdf) {
        render_report_internal(diags, NULL, 0, 0, 1, "création du document");
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
                fonts[f] = render_subset_font(r, pdf, f - F_TTF_REG, uses, n);
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
            attr->contents->write_fn = render_write_flate_filter;
            total++;
        }
    }
    int rc = err.code || failed || why ? -1 : save(pdf, &err, out, len, &failed);
    if (rc != 0)
        render_report_internal(diags, NULL, err.code, err.detail, failed, why);
    else
        *pages = total;
    HPDF_Free(pdf);
    return rc;
}
