/* Éditer from the school's store: the PDF bilans of `lsu edit --uai`.
 *
 * The store's lock is what counts: the current versions of the selected
 * bilans that are locked in the store (lsu lock) are edited, whatever
 * date-verrou their file carried; the others are listed as not edited
 * (STO003, with what they lack when they are incomplete).  For each zip
 * (class, level or school) a normalised document is built from the stored
 * bilans, with the lock date as their date-verrou, and handed to the edit
 * stage of the file-based `lsu edit` (src/edit.c), then freed: memory
 * holds one zip's bilans at a time.
 *
 * These functions never print: they append French text to a buffer the
 * command prints. */
#ifndef LSU_STORE_EDIT_H
#define LSU_STORE_EDIT_H

#include "base/util.h"
#include "pdf/edit.h"
#include "pdf/render.h"
#include "school/school.h"
#include "school/store.h"

typedef struct {
    lsu_edit_by by;            /* one zip per class, level, or for the school */
    lsu_selection sel;         /* ine, classe, niveau (NULL: all) */
    lsu_render_options render; /* its date is set per zip (as lsu_edit_date) */
    /* when set: called with the locked bilans edited so far and their
     * total, once before the first class and after each class; a nonzero
     * return stops the edition there (lsu_store_edit then fails with
     * « édition interrompue », the zip under way discarded by the caller's
     * folder).  lsu serve's progress line. */
    int (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
} lsu_store_edit_options;

typedef struct {
    size_t selected;   /* current bilans matching the selection */
    size_t unlocked;   /* of them, not locked: not edited (STO003) */
    size_t unreadable; /* of them, whose stored form could not be read (INT001) */
    lsu_edit_counts edited;
} lsu_store_edit_counts;

/* Edits the current locked bilans of st matching o->sel into zips under
 * dir/<UAI>/ (the same names and manifests as `lsu edit FILE`), one
 * document built and freed per class, in one read transaction (a consistent
 * view while other processes import).  Appends one line per diagnostic
 * (STO003, PDF001, INT001) to `text`, attributed to the store's file name
 * (0290347V.sqlite).  The head of every bilan names the school as the
 * store knows it (lsu school) and the pupil's date of birth (lsu sync).
 * Returns 0, or -1 when the store could not be read (st->error) or a zip
 * could not be written (*error, owned by the caller); zips already closed
 * stay, nothing half-written does. */
int lsu_store_edit(lsu_store *st, const lsu_store_edit_options *o, const char *dir, lsu_store_edit_counts *counts,
                   lsu_buf *text, char **error);

#endif
