/* The Bilans list read from the store: classes, and the current bilans
 * of a class with their lock and « ? » (listing.h). */
#include "school/listing.h"
#include "school/school.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* See listing.h. */
int lsu_school_class_labels(lsu_store *st, char ***out, size_t *n)
{
    *out = NULL, *n = 0;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT libelle FROM classes UNION SELECT classe FROM bilans WHERE "
                                            "replaced_at IS NULL ORDER BY 1");
    if (!s)
        return -1;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        char **more = realloc(*out, (*n + 1) * sizeof *more);
        if (!more || !(more[*n] = lsu_strdup_or_null(lsu_store_text(s, 0)))) {
            if (more)
                *out = more;
            rc = lsu_store_fail(st, "mémoire insuffisante");
            break;
        }
        *out = more;
        (*n)++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = lsu_store_fail(st, "lecture des classes impossible");
    sqlite3_finalize(s);
    return rc;
}

/* See listing.h. */
void lsu_class_labels_free(char **labels, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
}

/* What the stored bilan xml lacks, as lsu_bilan_missing's items ("" when
 * complete); NULL when memory ran out. */
static char *missing_of(const char *xml)
{
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8", XML_PARSE_NONET);
    lsu_buf m = {0};
    int k = d ? lsu_bilan_missing(xmlDocGetRootElement(d), &m) : -1;
    xmlFreeDoc(d);
    char *out = lsu_strdup_or_null(k < 0 ? "le bilan est illisible" : m.data ? m.data : "");
    lsu_buf_free(&m);
    return out;
}

/* See listing.h. */
int lsu_school_bilan_rows(lsu_store *st, const char *classe, lsu_bilan_row **out, size_t *n)
{
    *out = NULL, *n = 0;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT ine, nom, prenom, bkey, periode, locked_at, xml FROM bilans "
                                            "WHERE replaced_at IS NULL AND classe = ? ORDER BY kind DESC, bkey, nom, "
                                            "prenom, ine");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, classe, -1, SQLITE_STATIC);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        lsu_bilan_row *more = realloc(*out, (*n + 1) * sizeof *more);
        if (!more) {
            rc = lsu_store_fail(st, "mémoire insuffisante");
            break;
        }
        *out = more;
        lsu_bilan_row *r = &more[(*n)++];
        memset(r, 0, sizeof *r);
        int ok = lsu_store_dup(s, 0, &r->ine) == 0 && lsu_store_dup(s, 1, &r->nom) == 0 &&
                 lsu_store_dup(s, 2, &r->prenom) == 0 && lsu_store_dup(s, 3, &r->bkey) == 0 &&
                 lsu_store_dup(s, 4, &r->periode) == 0 && lsu_store_dup(s, 5, &r->locked_at) == 0 &&
                 (r->missing = missing_of(lsu_store_text(s, 6))) != NULL;
        if (!ok)
            rc = lsu_store_fail(st, "mémoire insuffisante");
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = lsu_store_fail(st, "lecture des bilans impossible");
    sqlite3_finalize(s);
    return rc;
}

/* See listing.h. */
void lsu_bilan_rows_free(lsu_bilan_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lsu_bilan_row *r = &rows[i];
        free(r->ine), free(r->nom), free(r->prenom), free(r->bkey), free(r->periode), free(r->locked_at);
        free(r->missing);
    }
    free(rows);
}
