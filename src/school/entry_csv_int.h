/* What the files of the spreadsheet round trip (entry_csv.c, the reader;
 * entry_csv_check.c, the checks against the store; entry_template.c, the
 * writer) share and nothing else uses.  Private to the family; the public
 * API is entry_csv.h. */
#ifndef LSU_ENTRY_CSV_INT_H
#define LSU_ENTRY_CSV_INT_H

#include "school/entry_csv.h"

#include <libxml/tree.h>

/* Records a refused cell of f (who may be NULL or "": no pupil); sets
 * f->oom when memory ran out. */
void entry_csv_refuse(lsu_entry_csv *f, long row, int col, const char *who, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Appends a change (its texts kept by f or borrowed from longer-lived
 * data) with its pupil's name (NULL or "": none); sets f->oom when memory
 * ran out. */
void entry_csv_add(lsu_entry_csv *f, lsu_entry_change ch, const char *who);

/* What pupil's bilan (NULL: none yet) holds now for the cell a change
 * comes from, as the template writes it, into out, and the change's value
 * the same way into wanted (entry_template.c): equal when the cell was
 * left as it was. */
void entry_csv_current(xmlNodePtr bilan, const lsu_entry_change *ch, lsu_buf *out, lsu_buf *wanted);

#endif
