/* The académie's list of its schools (lsu batch --schools): a CSV of UAI,
 * name and commune, which names each school at the head of its bilans and
 * in the académie summary, since an école export names none.
 *
 * The file: a header row with the columns UAI ; Nom ; Commune (found by
 * label, in any order; also « Nom de l'école », « Libellé », « Ville »),
 * cells separated by ';' or ',', in UTF-8 (with or without BOM) or
 * Windows-1252, read with the ONDE extraction's CSV layer.  A bad row
 * refuses the whole list, each problem located by its line.
 *
 * These functions never print. */
#ifndef LSU_SCHOOLS_H
#define LSU_SCHOOLS_H

#include "base/util.h"

#include <stddef.h>

/* One school of the list (owned texts). */
typedef struct {
    char *uai; /* upper case, its check letter verified */
    char *nom, *commune;
    long line;
} lsu_school_entry;

/* The list, sorted by UAI. */
typedef struct {
    lsu_school_entry *items;
    size_t count;
    const char *encoding; /* "UTF-8", "Windows-1252" (static) */
} lsu_school_list;

/* Reads the list at path.  Returns 0, or -1 with one French line per
 * problem appended to `why` ("FICHIER:LIGNE: message\n"), *out then
 * empty. */
int lsu_school_list_read(const char *path, lsu_school_list *out, lsu_buf *why);

/* The school of `uai` (any case) in the list, or NULL. */
const lsu_school_entry *lsu_school_list_find(const lsu_school_list *l, const char *uai);

void lsu_school_list_free(lsu_school_list *l);

#endif
