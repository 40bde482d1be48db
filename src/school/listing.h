/* The Bilans list of the guide, read from the school's store: per class
 * and period the current bilans, with their pupil, lock and what each
 * lacks to be locked (the « ? »).  For the server's Bilans screen (and
 * any listing); never prints. */
#ifndef LSU_LISTING_H
#define LSU_LISTING_H

#include "school/store.h"

#include <stddef.h>

/* One current bilan of a class (texts owned). */
typedef struct {
    char *ine, *nom, *prenom;
    char *bkey;      /* P:2024:1/3, C:2:2024 */
    char *periode;   /* Trimestre 1 2024-2025 */
    char *locked_at; /* ISO 8601 UTC; NULL when not locked */
    char *missing;   /* lsu_bilan_missing's items; "" when complete */
} lsu_bilan_row;

/* The labels of the school's classes (those of the ONDE roster and those
 * of its bilans), sorted, into *out of *n (lsu_class_labels_free).  0 or
 * -1 (st->error). */
int lsu_school_class_labels(lsu_store *st, char ***out, size_t *n);
void lsu_class_labels_free(char **labels, size_t n);

/* The current bilans of class `classe` (its label), by period then name,
 * into *out of *n (lsu_bilan_rows_free).  0 or -1 (st->error). */
int lsu_school_bilan_rows(lsu_store *st, const char *classe, lsu_bilan_row **out, size_t *n);
void lsu_bilan_rows_free(lsu_bilan_row *rows, size_t n);

#endif
