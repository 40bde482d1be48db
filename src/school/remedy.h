/* What to do about a refusal, beside its text: the library states the
 * problem and the action in the LSU guide's words (« déverrouillez le
 * bilan », « synchronisez la base élèves »…) and returns the action as a
 * remedy, which each front-end turns into its own words: the command
 * line names its command (src/cli/remedy.c), the server links the screen
 * that does it (src/serve/screens.c).
 *
 * A text that carries a remedy holds lsu_remedy_words(kind) verbatim,
 * once: a front-end may replace those words by its own. */
#ifndef LSU_REMEDY_H
#define LSU_REMEDY_H

typedef enum {
    LSU_REMEDY_NONE = 0,
    LSU_REMEDY_UNLOCK,  /* Bilans › Déverrouiller (classe, ine) */
    LSU_REMEDY_LOCK,    /* Bilans › Verrouiller (classe, ine) */
    LSU_REMEDY_SYNC,    /* Synchronisation élèves (the base élèves) */
    LSU_REMEDY_PERIODS, /* Paramétrage des périodes (classe) */
    LSU_REMEDY_SCHOOL,  /* Paramétrage : the school's director */
    LSU_REMEDY_IMPORT   /* the school has no base yet: synchronisation or import */
} lsu_remedy_kind;

/* A remedy and what it concerns (texts copied; "" when not known). */
typedef struct {
    lsu_remedy_kind kind;
    char uai[16];
    char classe[192]; /* the class's label */
    char ine[16];     /* the pupil's INE */
} lsu_remedy;

/* Sets *r to kind for uai, classe and ine (each may be NULL). */
void lsu_remedy_set(lsu_remedy *r, lsu_remedy_kind kind, const char *uai, const char *classe, const char *ine);

/* The action of kind in the LSU guide's words (« déverrouillez le
 * bilan »), "" for LSU_REMEDY_NONE; static. */
const char *lsu_remedy_words(lsu_remedy_kind kind);

#endif
