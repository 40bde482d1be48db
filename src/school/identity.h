/* The school's identity: its name, address and commune, printed at the
 * head of every bilan, and its directeur, named in the bilans born in the
 * store and in the exports to LSU.  An école export of the 1d format
 * carries none of it but the directeur of each bilan; the school supplies
 * it (lsu school) or the académie's list of schools does (lsu batch).
 * One row of the store's `school` table (schema 3).
 *
 * These functions never print; -1 means st->error says why. */
#ifndef LSU_IDENTITY_H
#define LSU_IDENTITY_H

#include "school/store.h"

/* Every text owned, "" when the school has not given it. */
typedef struct {
    char *nom, *adresse, *code_postal, *commune;
    char *directeur_civilite; /* "M", "MME" or "" */
    char *directeur_nom, *directeur_prenom;
} lsu_school_identity;

/* Reads the school's identity into *id (all "" when never set).  Returns
 * 0, or -1 (st->error set; *id is then empty and needs no free). */
int lsu_school_identity_read(lsu_store *st, lsu_school_identity *id);
void lsu_school_identity_free(lsu_school_identity *id);

/* 1 when the identity names a directeur (civilité, nom and prénom), which
 * a bilan needs to be born in the store or exported to LSU. */
int lsu_school_identity_has_directeur(const lsu_school_identity *id);

/* A change of the identity (lsu school): NULL leaves a field as it is, ""
 * clears it.  directeur: "MME NOM Prénom" or "M NOM Prénom" (the civilité
 * also as M., Monsieur, Mme, Madame; the nom in capitals, then the
 * prénom).  Bounds, in code points: nom 150, adresse 200, commune 100,
 * the directeur's nom and prénom 100 each (LSU's NomPrenom); the code
 * postal is 5 digits. */
typedef struct {
    const char *nom, *adresse, *code_postal, *commune, *directeur;
} lsu_school_identity_change;

/* Checks the change without a store: 0, or -1 with the French reason in
 * *why (owned). */
int lsu_school_identity_check(const lsu_school_identity_change *ch, char **why);

/* Writes the given fields of the school's identity, in one transaction
 * with a "settings" event whose summary says what changed (old → new).
 * Returns the number of fields that changed (0: none, nothing written),
 * -1 on a store failure (st->error), or -2 when the change is refused
 * (*why: the French reason, owned).  *what (owned, may be NULL): the
 * changed fields' names, "nom, commune". */
long long lsu_school_identity_write(lsu_store *st, const lsu_school_identity_change *ch, char **what, char **why);

/* The civilité as printed: "M." for M, "Mme" for MME, "" else. */
const char *lsu_school_civilite_label(const char *civilite);

#endif
