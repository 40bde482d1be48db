/* The command line's words for the library's remedies (remedy.h). */
#include "cli/remedy.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* See remedy.h. */
char *cli_remedy_command(const lsu_remedy *r)
{
    const char *uai = r->uai[0] ? r->uai : "UAI";
    switch (r->kind) {
    case LSU_REMEDY_UNLOCK: return lsu_asprintf("lsu unlock");
    case LSU_REMEDY_LOCK: return lsu_asprintf("lsu lock");
    case LSU_REMEDY_SYNC: return lsu_asprintf("lsu sync");
    case LSU_REMEDY_PERIODS:
        return lsu_asprintf("lsu periods --uai %s --class \"%s\" trimestres|semestres (ou custom)", uai,
                            r->classe[0] ? r->classe : "CLASSE");
    case LSU_REMEDY_SCHOOL: return lsu_asprintf("lsu school --uai %s --directeur \"MME NOM Prénom\"", uai);
    case LSU_REMEDY_IMPORT: return lsu_asprintf("faites d'abord lsu sync ou lsu import");
    case LSU_REMEDY_NONE: break;
    }
    return NULL;
}

/* See remedy.h. */
char *cli_remedy_text(const char *text, const lsu_remedy *r, int append)
{
    const char *words = lsu_remedy_words(r->kind);
    char *command = *words ? cli_remedy_command(r) : NULL;
    if (!command)
        return r->kind == LSU_REMEDY_NONE || !*words ? lsu_strdup_or_null(text) : NULL;
    lsu_buf out = {0};
    size_t wlen = strlen(words);
    const char *p = text, *hit;
    int found = 0;
    while ((hit = strstr(p, words)) != NULL) {
        lsu_buf_add(&out, p, (size_t)(hit - p));
        lsu_buf_puts(&out, command);
        p = hit + wlen;
        found = 1;
    }
    lsu_buf_puts(&out, p);
    if (!found && append)
        lsu_buf_printf(&out, " (%s)", command);
    free(command);
    if (!out.data)
        lsu_buf_add(&out, "", 0);
    return out.data;
}
