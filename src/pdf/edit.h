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
    const char *ine;                 /* only this pupil (NULL: all) */
    const char *classe;              /* only this class label (NULL: all) */
    const char *niveau;              /* only this level, CP…CM2 (NULL: all) */
    const lsu_render_school *school; /* the head of every bilan (NULL: « École » and the UAI) */
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

/* The file names of the classes of one edition: the zips, the class PDFs
 * and their order in a zip follow a class by its identity, its ONDE id
 * (id-be; its XML id when it has none), not by its label, and two classes
 * whose labels give one safe name ("CP A", "CP/A") are told apart: CP_A,
 * CP_A-2, in the classes' order (sort key of the label, then id), whatever
 * order they are added in.  lsu_edit_add makes them from every bilan of
 * its document, whatever the selection; the store from every current
 * bilan (lsu_edit_set_class_names). */
typedef struct lsu_class_names lsu_class_names;
/* An empty table; NULL when memory ran out. */
lsu_class_names *lsu_class_names_new(void);
/* Notes a class of a bilan (the same class may come many times; its least
 * label names it).  0, or -1 when memory ran out or the table is finished. */
int lsu_class_names_add(lsu_class_names *t, const char *id_be, const char *xml_id, const char *label);
/* Gives every class its name; 0, or -1 when memory ran out. */
int lsu_class_names_finish(lsu_class_names *t);
/* The name of a class of the finished table (borrowed), NULL when the
 * table does not hold it. */
const char *lsu_class_names_get(const lsu_class_names *t, const char *id_be, const char *xml_id);
void lsu_class_names_free(lsu_class_names *t);

/* The same over several documents, for the store: its zips are built class
 * by class, each class's document made, added and freed in turn, so that
 * memory holds one class whatever the zip holds.  The documents must bring
 * each zip's bilans together and its classes in the order lsu_edit writes
 * them (by the name lsu_class_names gives the class): a zip is written once, the
 * open one closed when a bilan of another zip comes.  mtime dates the
 * zips (lsu_edit_date over all their bilans). */
typedef struct lsu_edit_session lsu_edit_session;
/* NULL with *error set when memory ran out. */
lsu_edit_session *lsu_edit_begin(lsu_renderer *renderer, const lsu_edit_options *opt, const char *dir, const char *stem,
                                 time_t mtime, char **error);
/* Adds f's selected bilans (statuses from lsu_report_build); 0, or -1 with
 * *error set, and then lsu_edit_end discards the open zip. */
int lsu_edit_add(lsu_edit_session *s, lsu_file *f, char **error);
/* Names the classes of every later document from `names` (finished,
 * borrowed: it must outlive s) instead of from each document's bilans. */
void lsu_edit_set_class_names(lsu_edit_session *s, const lsu_class_names *names);
/* Closes the open zip, gives the counts of the whole session and frees s;
 * 0, or -1 (*error set unless lsu_edit_add already set it). */
int lsu_edit_end(lsu_edit_session *s, lsu_edit_counts *counts, char **error);

#endif
