/* The school's identity: reading it from the store (see identity.h). */
#include "school/identity.h"

#include <stdlib.h>
#include <string.h>

/* See identity.h. */
void lsu_school_identity_free(lsu_school_identity *id)
{
    char **f[] = {&id->nom,           &id->adresse,         &id->code_postal, &id->commune, &id->directeur_civilite,
                  &id->directeur_nom, &id->directeur_prenom};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
}

/* See identity.h. */
int lsu_school_identity_read(lsu_store *st, lsu_school_identity *id)
{
    memset(id, 0, sizeof *id);
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT nom, adresse, code_postal, commune, directeur_civilite,"
                                            " directeur_nom, directeur_prenom FROM school WHERE id = 1");
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    char **f[] = {&id->nom,           &id->adresse,         &id->code_postal, &id->commune, &id->directeur_civilite,
                  &id->directeur_nom, &id->directeur_prenom};
    int failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    for (int i = 0; i < (int)(sizeof f / sizeof *f) && !failed; i++) {
        *f[i] = strdup(rc == SQLITE_ROW ? lsu_store_text(s, i) : "");
        failed = !*f[i];
    }
    sqlite3_finalize(s);
    if (failed) {
        lsu_school_identity_free(id);
        return lsu_store_fail(st, "lecture de l'identité de l'école");
    }
    return 0;
}

/* See identity.h. */
int lsu_school_identity_has_directeur(const lsu_school_identity *id)
{
    return id->directeur_civilite && *id->directeur_civilite && id->directeur_nom && *id->directeur_nom &&
           id->directeur_prenom && *id->directeur_prenom;
}
