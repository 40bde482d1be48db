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
 * the document shows (see render_subset_font).  Unusual blanks (U+202F, U+2009…)
 * are drawn as their CP1252 equivalents and invisible format characters
 * (U+200B, U+FEFF, soft hyphen) are left out, so that they alone never force
 * the embedding.
 *
 * The stage is a family of files sharing the private header render_int.h:
 * render_font.c (font metrics), render_text.c (text preparation, wrapping),
 * render_ctx.c (the per-bilan context, the display list), render_layout.c
 * and render_acquis.c (the layout), render_stream.c (page content streams),
 * render_subset.c (DejaVu subsets) and render_pdf.c (lsu_render_assemble).
 * This file holds the rest of the public API: the renderer's making and
 * freeing, the drawing of a bilan (lsu_render_bilan), the drawn bilans and
 * lsu_render_pdf. */
#include "pdf/render.h"
#include "base/util.h"
#include "pdf/render_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

/* ---------------------------------------------------------------------------
 * The renderer: made once per run. */

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
    if (r->opt.test_print)
        r->opt.watermark = 1; /* an unlocked bilan is never printed without it */
    if (render_find_fonts(r) != 0) {
        *error = lsu_asprintf("police DejaVu Sans introuvable (DejaVuSans.ttf et DejaVuSans-Bold.ttf, paquet "
                              "fonts-dejavu-core ; ou dossier donné par LSU_FONT_DIR)");
        lsu_renderer_free(r);
        return NULL;
    }
    if (render_ttf_load(r, 0, error) != 0 || render_ttf_load(r, 1, error) != 0 || render_base_metrics(r, error) != 0) {
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
    render_renderer_ctx_free(r);
    if (r->z_ready)
        deflateEnd(&r->z);
    free(r);
}

/* ---------------------------------------------------------------------------
 * Drawn bilans: laid out and drawn once, put into any number of PDFs. */

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

/* Lays a bilan out and draws its pages once (see render.h). */
lsu_drawn *lsu_render_bilan(lsu_renderer *r, const lsu_render_item *item, lsu_diag_list *diags)
{
    render_ctx *c = r ? render_renderer_ctx(r) : NULL;
    lsu_drawn *d = c ? calloc(1, sizeof *d) : NULL;
    if (!d) {
        render_report_internal(diags, item, 0, 0, 1, "préparation du bilan");
        return NULL;
    }
    c->diags = diags;
    c->failed = 0;
    c->why = NULL;
    int ok = render_layout_bilan(c, item) == 0;
    /* one copy per guardian (with the address), or one copy; the pages
     * after the first are the same in every copy */
    size_t copies = r->opt.per_guardian && c->naddresses ? c->naddresses : 1;
    int pad = r->opt.duplex && c->npages % 2 == 1;
    size_t per_copy = c->npages + (size_t)pad;
    for (size_t k = 0; ok && k < copies; k++) {
        const block *address = r->opt.per_guardian && c->naddresses ? &c->addresses[k] : NULL;
        for (size_t p = 0; ok && p < per_copy; p++)
            ok = render_add_drawn_page(c, d, p, p == 0 ? address : NULL, k > 0 && p > 0 ? (long)p : -1) == 0;
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
        render_report_internal(diags, item, 0, 0, c->failed || d->data.failed, c->why);
        lsu_drawn_free(d);
        return NULL;
    }
    return d;
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
        render_report_internal(diags, NULL, 0, 0, 0, "aucun bilan à éditer");
        return -1;
    }
    lsu_drawn **drawn = calloc(count, sizeof(lsu_drawn *));
    if (!drawn) {
        render_report_internal(diags, NULL, 0, 0, 1, "préparation des bilans");
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

/* See render.h. */
const lsu_render_options *lsu_renderer_options(const lsu_renderer *r)
{
    return &r->opt;
}
