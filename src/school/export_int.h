/* What the two files of the export to LSU share (export.c: the
 * selection, the files and their writing; export_doc.c: one file's
 * document).  Private to them; the public API is export.h. */
#ifndef LSU_EXPORT_INT_H
#define LSU_EXPORT_INT_H

#include "school/identity.h"

#include <libxml/tree.h>
#include <stddef.h>

/* The document of one export file: bilans[0..n) (stored forms, in the
 * file's order) with verrous[i] (the ISO 8601 stamp of bilan i's lock in
 * the store) as their date-verrou, the school's directeur heading the
 * directeurs, `uai` in the entete.  Caller frees; NULL when memory ran
 * out. */
xmlDocPtr school_export_doc(const char *uai, const lsu_school_identity *school, const xmlNodePtr *bilans,
                            const char *const *verrous, size_t n);

/* Is a stored person (enseignant, directeur) complete for the schema:
 * civilité M or MME, a name and a first name? */
int school_export_person_ok(xmlNodePtr p);

#endif
