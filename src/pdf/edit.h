/* Stage edit: which bilans get a PDF, and where the PDFs go.
 *
 * Only bilans that were imported (not rejected) and are locked (they carry
 * a date-verrou) are edited, as in LSU; a rejected bilan that the selection
 * names gets a PDF002 note instead.  Each selected bilan becomes one PDF
 * (NOM_Prénom_INE_T1.pdf), each class and period one printable PDF of all
 * its pupils, and they are packed into one zip per class, per level or for
 * the whole school, with a manifest. */
#ifndef LSU_EDIT_H
#define LSU_EDIT_H

#include "lsu.h"
#include "pdf/render.h"
#include "report/report.h"

typedef enum { EDIT_BY_CLASS = 0, EDIT_BY_LEVEL, EDIT_BY_SCHOOL } lsu_edit_by;

typedef struct {
    lsu_edit_by by;
    const char *ine;    /* only this pupil (NULL: all) */
    const char *classe; /* only this class label (NULL: all) */
    const char *niveau; /* only this level, CP…CM2 (NULL: all) */
} lsu_edit_options;

typedef struct {
    size_t bilans;   /* bilans edited */
    size_t excluded; /* selected bilans left out because rejected */
    size_t pdfs;     /* PDF files written into zips */
    size_t zips;
    size_t bytes; /* total size of the PDFs */
} lsu_edit_counts;

/* The date stamped in PDFs and zips, never the clock: SOURCE_DATE_EPOCH
 * when set, else the day of the latest lock date (date-verrou) of the
 * file's bilans, else 1980-01-01. */
time_t lsu_edit_date(const lsu_file *f);
/* The same from lock dates gathered elsewhere (the store): start from
 * latest = -1, note each ISO 8601 stamp (NULL is skipped), then ask. */
void lsu_edit_latest_day(long *latest, const char *stamp);
time_t lsu_edit_date_for(long latest);

/* Renders the selected bilans of f (statuses from r) and writes the zips
 * under dir/stem/.  Diagnostics (PDF001, PDF002, INT001) go to f's list.
 * Returns 0, or -1 when something could not be written (*error set, owned
 * by the caller); zips already closed stay, nothing half-written does. */
int lsu_edit(lsu_file *f, const lsu_report *r, lsu_renderer *renderer, const lsu_edit_options *opt, const char *dir,
             const char *stem, lsu_edit_counts *counts, char **error);

/* The same over several documents, for the store: its zips are built class
 * by class, each class's document made, added and freed in turn, so that
 * memory holds one class whatever the zip holds.  The documents must bring
 * each zip's bilans together and its classes in the order lsu_edit writes
 * them (by the safe form of the class label): a zip is written once, the
 * open one closed when a bilan of another zip comes.  mtime dates the
 * zips (lsu_edit_date over all their bilans). */
typedef struct lsu_edit_session lsu_edit_session;
/* NULL with *error set when memory ran out. */
lsu_edit_session *lsu_edit_begin(lsu_renderer *renderer, const lsu_edit_options *opt, const char *dir, const char *stem,
                                 time_t mtime, char **error);
/* Adds f's selected bilans (statuses from lsu_report_build); 0, or -1 with
 * *error set, and then lsu_edit_end discards the open zip. */
int lsu_edit_add(lsu_edit_session *s, lsu_file *f, char **error);
/* Closes the open zip, gives the counts of the whole session and frees s;
 * 0, or -1 (*error set unless lsu_edit_add already set it). */
int lsu_edit_end(lsu_edit_session *s, lsu_edit_counts *counts, char **error);

#endif
