/* The remedies of the library's refusals, in the LSU guide's words
 * (remedy.h). */
#include "school/remedy.h"

#include <stdio.h>
#include <string.h>

/* See remedy.h. */
void lsu_remedy_set(lsu_remedy *r, lsu_remedy_kind kind, const char *uai, const char *classe, const char *ine)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    snprintf(r->uai, sizeof r->uai, "%s", uai ? uai : "");
    snprintf(r->classe, sizeof r->classe, "%s", classe ? classe : "");
    snprintf(r->ine, sizeof r->ine, "%s", ine ? ine : "");
}

/* See remedy.h. */
const char *lsu_remedy_words(lsu_remedy_kind kind)
{
    switch (kind) {
    case LSU_REMEDY_UNLOCK: return "déverrouillez le bilan";
    case LSU_REMEDY_LOCK: return "verrouillez le bilan";
    case LSU_REMEDY_SYNC: return "synchronisez la base élèves";
    case LSU_REMEDY_PERIODS: return "définissez la périodicité de la classe";
    case LSU_REMEDY_SCHOOL: return "renseignez le directeur de l'école";
    case LSU_REMEDY_IMPORT: return "commencez par la synchronisation de la base élèves ou l'import des bilans";
    case LSU_REMEDY_NONE: break;
    }
    return "";
}
