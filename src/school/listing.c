/* The Bilans list read from the store: classes, and the current bilans
 * of a class with their lock and « ? » (listing.h). */
#include "school/listing.h"
#include "school/school.h"
#include "school/school_int.h"

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

/* Orders rows as the Bilans list shows them: bilans périodiques first,
 * then by store key, name, first name, INE. */
static int cmp_listed(const void *pa, const void *pb)
{
    const school_stored_bilan *a = pa, *b = pb;
    int c = a->cycle - b->cycle;
    if (!c)
        c = strcmp(a->bkey, b->bkey);
    if (!c)
        c = strcmp(a->nom, b->nom);
    if (!c)
        c = strcmp(a->prenom, b->prenom);
    return c ? c : strcmp(a->ine, b->ine);
}

/* See listing.h. */
int lsu_school_bilan_rows(lsu_store *st, const char *classe, lsu_bilan_row **out, size_t *n)
{
    *out = NULL, *n = 0;
    school_bilan_filter f = {.classe = classe, .xml = 1};
    school_stored_bilan *b;
    size_t nb;
    if (school_current_bilans(st, &f, &b, &nb) != 0)
        return -1;
    if (nb)
        qsort(b, nb, sizeof *b, cmp_listed);
    lsu_bilan_row *rows = nb ? calloc(nb, sizeof *rows) : NULL;
    int rc = nb && !rows ? lsu_store_fail(st, "mémoire insuffisante") : 0;
    for (size_t i = 0; rows && rc == 0 && i < nb; i++) {
        lsu_bilan_row *r = &rows[(*n)++];
        /* the row takes the texts it shows */
        r->ine = b[i].ine, r->nom = b[i].nom, r->prenom = b[i].prenom, r->bkey = b[i].bkey;
        r->periode = b[i].periode, r->locked_at = b[i].locked_at;
        b[i].ine = b[i].nom = b[i].prenom = b[i].bkey = b[i].periode = b[i].locked_at = NULL;
        if (!(r->missing = missing_of(b[i].xml ? b[i].xml : "")))
            rc = lsu_store_fail(st, "mémoire insuffisante");
    }
    school_stored_bilans_free(b, nb);
    *out = rows;
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
