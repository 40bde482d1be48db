/* What the files of the school family (src/school/ import_rules.c,
 * bilans.c, sync.c, settings.c, history.c, versions.c) share and nothing
 * else uses: the normalised bilan's store key, its period label, its saved
 * form and what two saved forms hold alike or not; the growing arrays of
 * the listings; the one reader of the current bilans.  Private to the family; the public
 * API is school.h. */
#ifndef LSU_SCHOOL_INT_H
#define LSU_SCHOOL_INT_H

#include "school/school.h"

#include <libxml/tree.h>
#include <stddef.h>

/* The store key of a normalised bilan: "P:2024:2/3" or "C:2:2024". */
void school_bilan_key(xmlNodePtr b, char *out, size_t size);

/* "Trimestre 1 2024-2025" or "Fin de cycle 2 2024-2025" into out. */
void school_bilan_period_label(xmlNodePtr b, char *out, size_t size);

/* Writes normalised bilan b (serialised as xml) as the current version of
 * its pupil and period, made by event at now; the version `current` (its
 * row id, 0 when none) is marked replaced first.  In the caller's
 * transaction, for the import and the teachers' entry alike.  0, or -1
 * (st->error set). */
int school_bilan_write_version(lsu_store *st, xmlNodePtr b, long long current, const char *xml, long long event,
                               const char *now);

/* Copy of a normalised bilan with its labels and without what depends on
 * the file's layout (source lines, index), serialised.  Caller frees; NULL
 * when memory ran out.  `element_labels` as lsu_element_labels (NULL for
 * a bilan read from the store). */
char *school_bilan_xml(xmlNodePtr b, xmlHashTablePtr element_labels);

/* Do saved forms a and b hold the same content (versions.c: the letter
 * case of names and class labels, the file's internal ids and the
 * export's date-verrou are not content)?  1 when they do, else 0. */
int school_bilan_same(const char *a, const char *b);

/* What changed from saved form `before` to `after`, as " ; "-separated
 * French items (« appréciation de Français modifiée », « positionnement de
 * Mathématiques — Nombres et calcul : 2 → 3 », « nom : DUPONT → Dupont »),
 * the first few of them and how many others, appended to out.  Returns
 * the number of changes (0: the forms differ in nothing shown). */
size_t school_bilan_changes(const char *before, const char *after, lsu_buf *out);

/* Makes room for one more item of `size` bytes in *items (n used, *cap
 * allocated, both updated here); 0, or -1 when memory ran out. */
int school_grow(void **items, size_t n, size_t *cap, size_t size);

/* One current bilan of the store, as school_current_bilans reads it
 * (texts owned). */
typedef struct {
    long long id;
    int cycle; /* a bilan de fin de cycle (kind 'cycle') */
    char *ine, *nom, *prenom, *classe, *id_be, *niveau;
    char *periode;   /* Trimestre 1 2024-2025, Fin de cycle 2 2024-2025 */
    char *bkey;      /* P:2024:1/3, C:2:2024 */
    char *locked_at; /* ISO 8601 UTC of its lock; NULL when not locked */
    char *xml;       /* its stored form when asked (school_bilan_filter.xml); else NULL */
} school_stored_bilan;

/* Which current bilans school_current_bilans reads. */
typedef struct {
    const char *const *ines; /* these pupils' only (nines of them); 0: every pupil */
    size_t nines;
    const char *classe; /* this class's only (its label); NULL: every class */
    int classe_id;      /* classe may also be the class's ONDE id */
    const char *niveau; /* this level's only; NULL: every level */
    int xml;            /* read each one's stored form too */
} school_bilan_filter;

/* The one reader of the current bilans for the listings and the editions
 * (export.c, store_edit.c, listing.c): those of st passing f into *out of
 * *n, ordered by class label, ONDE id, name, first name, INE, store key,
 * id.  0, or -1 (st->error set; nothing is left in *out). */
int school_current_bilans(lsu_store *st, const school_bilan_filter *f, school_stored_bilan **out, size_t *n);
/* Frees the texts of one stored bilan (the struct itself is the caller's). */
void school_stored_bilan_clear(school_stored_bilan *b);
/* Frees n stored bilans and the array. */
void school_stored_bilans_free(school_stored_bilan *b, size_t n);

#endif
