/* The codes of the école format and their labels (FORMAT.md §3 and the LSU
 * nomenclature): domains and sub-domains with their cycles, parcours,
 * modalités d'accompagnement, socle components.  One table, read by the
 * normalisation (labels) and by the checks (parents, cycles). */
#ifndef LSU_NOMENCLATURE_H
#define LSU_NOMENCLATURE_H

#include <stddef.h>

typedef struct {
    const char *code;
    const char *label;
    const char *parent; /* NULL for a domain */
    unsigned cycles;    /* bit 2: cycle 2, bit 3: cycle 3 */
    int legacy;         /* a sub-domain of the programmes before 2017: read, no longer entered */
} lsu_domain;

#define LSU_CYCLE_BIT(c) (1u << (c))

/* The domain or sub-domain with this code, or NULL. */
const lsu_domain *lsu_domain_find(const char *code);
/* The i-th domain or sub-domain in the order of the printed bilan (each
 * domain followed by its sub-domains), NULL past the last. */
const lsu_domain *lsu_domain_at(size_t i);

/* The label of a code of a kind: "domaine", "parcours", "modalite",
 * "socle"; "" when the code is unknown. */
const char *lsu_code_label(const char *kind, const char *code);

/* 1 when `uai` has the form of a UAI (seven digits and a letter), else 0. */
int lsu_uai_valid(const char *uai);
/* The check letter of a UAI's seven digits (0290347 gives V), 0 when the
 * first seven characters are not digits. */
char lsu_uai_key(const char *uai);

/* Levels named in a class label ("CE2-CM1 B" gives CE2 and CM1) as a bit
 * set: 1 CP, 2 CE1, 4 CE2, 8 CM1, 16 CM2. */
unsigned lsu_class_levels(const char *label);
/* The single level of a label ("CE1"), or "" when none or several. */
const char *lsu_class_level(const char *label);
/* "2" or "3" when every level of the label is in that cycle, else "". */
const char *lsu_class_cycle(const char *label);

/* Is `ine` a plausible national pupil id: 11 digits or upper-case letters,
 * not one character repeated (fictitious "00000000000")? */
int lsu_ine_valid(const char *ine);

#endif
