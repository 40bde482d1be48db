/* Stage render: printable PDF bilans with libharu, from the normalised form
 * (docs/NORMALISED.md), laid out as the official LSU model (FORMAT.md §7).
 *
 * A renderer is made once per run (options, font files); each call makes
 * one PDF in memory holding one or more bilans (one pupil's bilan, or a
 * whole class's), so that nothing is written twice.  It never prints and
 * never writes files: characters that no font can show are recorded as
 * diagnostics (PDF001) on the bilan concerned. */
#ifndef LSU_RENDER_H
#define LSU_RENDER_H

#include "diag.h"

#include <libxml/tree.h>
#include <stddef.h>
#include <time.h>

typedef struct {
    int watermark;    /* « Document de travail » across every page */
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

/* One bilan to render, with the subject diagnostics are attributed to. */
typedef struct {
    xmlNodePtr bilan; /* bilan-periodique or bilan-cycle of the normalised tree */
    lsu_subject subject;
} lsu_render_item;

/* Renders `count` bilans, in order, into one PDF in memory (*pdf, malloc'd,
 * *len bytes; *pages pages).  Returns 0, or -1 (libharu error, memory) with
 * INT001 recorded in diags. */
int lsu_render_pdf(lsu_renderer *r, const lsu_render_item *items, size_t count, lsu_diag_list *diags,
                   unsigned char **pdf, size_t *len, int *pages);

#endif
