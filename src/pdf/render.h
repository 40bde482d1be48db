/* Stage render: printable PDF bilans with libharu, from the normalised form
 * (docs/NORMALISED.md), laid out as the official LSU model (FORMAT.md §7).
 *
 * A renderer is made once per run (options, font files).  Each bilan is
 * laid out and drawn once (lsu_render_bilan), into compressed page
 * streams; any number of PDFs in memory are then put together from drawn
 * bilans (lsu_render_assemble): one pupil's bilan, or a whole class's, so
 * that nothing is drawn, measured or compressed twice.  It never prints and
 * never writes files: characters that no font can show are recorded as
 * diagnostics (PDF001) on the bilan concerned. */
#ifndef LSU_RENDER_H
#define LSU_RENDER_H

#include "base/diag.h"

#include <libxml/hash.h>
#include <libxml/tree.h>
#include <stddef.h>
#include <time.h>

typedef struct {
    int watermark;    /* « Document de travail » across every page */
    int test_print;   /* « impression d'essai »: unlocked bilans printed too (lsu_edit, lsu_store_edit),
                       * always under the watermark */
    int duplex;       /* pad each bilan to an even number of pages (recto-verso printing) */
    int per_guardian; /* one copy per responsable, address placed for a window envelope */
    int grayscale;    /* no colour */
    time_t date;      /* the PDF's CreationDate: from SOURCE_DATE_EPOCH or the data, never the clock */
} lsu_render_options;

typedef struct lsu_renderer lsu_renderer;

/* Makes a renderer; NULL with *error set (owned by the caller) when the
 * fonts cannot be found. */
lsu_renderer *lsu_renderer_new(const lsu_render_options *opt, char **error);
void lsu_renderer_free(lsu_renderer *r);
/* The options the renderer was made with (a test print has its watermark
 * set). */
const lsu_render_options *lsu_renderer_options(const lsu_renderer *r);

/* The school as the head of a bilan names it (FORMAT.md §7): from the
 * school's store (lsu school) or the académie's list (lsu batch
 * --schools); the 1d export carries none of it.  Borrowed texts, NULL or
 * "" when unknown; without a nom the head says « École » and the UAI. */
typedef struct {
    const char *nom, *adresse, *code_postal, *commune;
} lsu_render_school;

/* One bilan to render, with the subject diagnostics are attributed to.
 * The pupil's date of birth, when ONDE gave it, is the bilan's
 * date-naissance attribute (yyyy-mm-dd; set by the store's edit). */
typedef struct {
    xmlNodePtr bilan; /* bilan-periodique or bilan-cycle of the normalised tree */
    lsu_subject subject;
    /* the labels of the éléments du programme (lsu_element_labels of
     * the bilan's tree, borrowed), or NULL when the bilan carries them */
    xmlHashTablePtr element_labels;
    const lsu_render_school *school; /* NULL: unknown */
} lsu_render_item;

/* A bilan laid out and drawn once: the compressed content streams of its
 * pages (every copy, blank pages included) and the DejaVu glyphs they
 * show, ready to be put, as they are, into any number of PDFs. */
typedef struct lsu_drawn lsu_drawn;

/* Lays out and draws one bilan; characters no font shows are recorded as
 * PDF001 in diags (when not NULL).  NULL, with INT001 recorded, on failure.
 * The renderer keeps its working memory from one bilan to the next (one
 * renderer serves one thread). */
lsu_drawn *lsu_render_bilan(lsu_renderer *r, const lsu_render_item *item, lsu_diag_list *diags);

/* Pages of a drawn bilan. */
int lsu_drawn_pages(const lsu_drawn *d);

void lsu_drawn_free(lsu_drawn *d);

/* Puts `count` drawn bilans, in order, into one PDF in memory (*pdf,
 * malloc'd, *len bytes; *pages pages): the page streams are copied, not
 * drawn again, and fonts are made once for the document (DejaVu subset to
 * the glyphs the bilans show).  Returns 0, or -1 (libharu error, memory)
 * with INT001 recorded in diags. */
int lsu_render_assemble(lsu_renderer *r, lsu_drawn *const *bilans, size_t count, lsu_diag_list *diags,
                        unsigned char **pdf, size_t *len, int *pages);

/* Renders `count` bilans, in order, into one PDF in memory: draws each
 * (lsu_render_bilan) and puts them together (lsu_render_assemble).
 * Returns 0, or -1 with INT001 recorded in diags. */
int lsu_render_pdf(lsu_renderer *r, const lsu_render_item *items, size_t count, lsu_diag_list *diags,
                   unsigned char **pdf, size_t *len, int *pages);

#endif
