/* The teachers' entry, read: the state of a scope (what a stale change is
 * checked against), the view a grid or a template shows, and the « ? »
 * of a class and period (see entry.h). */
#include "base/hash.h"
#include "school/entry_int.h"

#include <stdlib.h>
#include <string.h>

/* Who made event `id`: its author, else what it was (« import
 * (ecole.xml) »), into *author; its time into *at.  0, or -1. */
static int event_author(lsu_store *st, long long id, char **author, char **at)
{
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT coalesce(author, ''), kind, coalesce(source, ''), at FROM events "
                                            "WHERE id = ?");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int failed = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *who = lsu_store_text(s, 0), *kind = lsu_store_text(s, 1), *source = lsu_store_text(s, 2);
        static const char *const kinds[][2] = {{"import", "import"},        {"sync", "synchronisation"},
                                               {"lock", "verrouillage"},    {"unlock", "déverrouillage"},
                                               {"settings", "paramétrage"}, {"saisie", "saisie"}};
        const char *what = kind;
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
            if (strcmp(kind, kinds[i][0]) == 0)
                what = kinds[i][1];
        if (author)
            *author = who[0] ? strdup(who) : source[0] ? lsu_asprintf("%s (%s)", what, source) : strdup(what);
        if (at)
            *at = strdup(lsu_store_text(s, 3));
        failed = (author && !*author) || (at && !*at);
    }
    sqlite3_finalize(s);
    return failed ? lsu_store_fail(st, "mémoire insuffisante") : 0;
}

/* See entry.h. */
int lsu_entry_state(lsu_store *st, const lsu_entry_scope *sc, char token[65], char **author, char **at)
{
    if (author)
        *author = NULL;
    if (at)
        *at = NULL;
    token[0] = '\0';
    /* the roster with its current bilans (and their locks), the class's
     * éléments and projets; then the last event among them */
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT 'b', p.ine, coalesce(b.id, 0), coalesce(b.xml, ''), coalesce(b.locked_at, ''), "
            "max(coalesce(b.event_id, 0), coalesce((SELECT max(l.event_id) FROM bilan_log l WHERE l.bilan_id = b.id), "
            "0)) FROM pupils p LEFT JOIN bilans b ON b.ine = p.ine AND b.bkey = ?2 AND b.replaced_at IS NULL "
            "WHERE p.classe_id_be = ?1 AND p.ine <> '' "
            "UNION ALL SELECT 'e', domain, position, libelle, '', coalesce(event_id, 0) FROM class_elements "
            "WHERE id_be = ?1 AND bkey = ?2 "
            "UNION ALL SELECT 'p', code, 0, projet, '', coalesce(event_id, 0) FROM class_parcours "
            "WHERE id_be = ?1 AND bkey = ?2 ORDER BY 1, 2, 3");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, sc->id_be, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sc->bkey, -1, SQLITE_STATIC);
    lsu_buf all = {0};
    lsu_buf_printf(&all, "%s\x1e%s\x1e", sc->id_be, sc->bkey);
    long long last = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int i = 0; i < 5; i++) {
            lsu_buf_puts(&all, lsu_store_text(s, i));
            lsu_buf_add(&all, "\x1f", 1);
        }
        lsu_buf_add(&all, "\x1e", 1);
        if (sqlite3_column_int64(s, 5) > last)
            last = sqlite3_column_int64(s, 5);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE || all.failed) {
        lsu_buf_free(&all);
        return lsu_store_fail(st, "lecture de l'état de la classe impossible");
    }
    lsu_sha256_hex((const unsigned char *)all.data, all.len, token);
    lsu_buf_free(&all);
    if ((author || at) && last > 0 && event_author(st, last, author, at) != 0)
        return -1;
    return 0;
}

/* See entry.h. */
void lsu_entry_view_free(lsu_entry_view *v)
{
    for (size_t i = 0; v->pupils && i < v->npupils; i++) {
        free(v->pupils[i].ine), free(v->pupils[i].nom), free(v->pupils[i].prenom);
        free(v->pupils[i].locked_at);
    }
    free(v->pupils);
    entry_elements_free(v->elements, v->nelements);
    for (int i = 0; i < 3; i++)
        free(v->parcours[i]);
    xmlFreeDoc(v->doc);
    memset(v, 0, sizeof *v);
}

/* See entry.h. */
int lsu_entry_view_read(lsu_store *st, const lsu_entry_scope *sc, lsu_entry_view *v)
{
    memset(v, 0, sizeof *v);
    entry_pupil *roster = NULL;
    size_t n = 0;
    if (entry_roster_read(st, sc, &roster, &n) != 0)
        return -1;
    int rc = entry_class_read(st, sc, &v->elements, &v->nelements, v->parcours);
    if (rc == 0)
        rc = lsu_entry_state(st, sc, v->state, NULL, NULL);
    v->doc = rc == 0 ? xmlNewDoc(BAD_CAST "1.0") : NULL;
    xmlNodePtr root = v->doc ? xmlNewDocNode(v->doc, NULL, BAD_CAST "bilans-periodiques", NULL) : NULL;
    if (root)
        xmlDocSetRootElement(v->doc, root);
    v->pupils = root ? calloc(n ? n : 1, sizeof *v->pupils) : NULL;
    if (rc == 0 && !v->pupils) {
        lsu_store_fail(st, "mémoire insuffisante");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && v->pupils && i < n; i++) {
        lsu_entry_pupil *p = &v->pupils[v->npupils++];
        /* the roster's texts move into the view */
        p->ine = roster[i].ine, p->nom = roster[i].nom, p->prenom = roster[i].prenom;
        p->locked_at = roster[i].locked_at;
        roster[i].ine = roster[i].nom = roster[i].prenom = roster[i].locked_at = NULL;
        if (!roster[i].xml)
            continue;
        xmlDocPtr d;
        xmlNodePtr b = entry_bilan_parse(roster[i].xml, &d);
        p->bilan = b ? xmlDocCopyNode(b, v->doc, 1) : NULL;
        xmlFreeDoc(d);
        if (!p->bilan || !xmlAddChild(root, p->bilan))
            rc = lsu_store_fail(st, "bilan enregistré illisible");
    }
    entry_roster_free(roster, n);
    if (rc != 0)
        lsu_entry_view_free(v);
    return rc;
}

/* See entry.h. */
long lsu_entry_missing(lsu_store *st, const lsu_entry_scope *sc, lsu_buf *table)
{
    entry_pupil *roster = NULL;
    size_t n = 0;
    if (entry_roster_read(st, sc, &roster, &n) != 0)
        return -1;
    long incomplete = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const entry_pupil *p = &roster[i];
        lsu_buf_printf(table, "%s %s : ", p->nom, p->prenom);
        if (!p->xml) {
            incomplete++;
            lsu_buf_puts(table, "aucun bilan\n");
            continue;
        }
        if (p->locked_at) {
            char iso[11], day[11];
            snprintf(iso, sizeof iso, "%.10s", p->locked_at);
            lsu_date_fr_from_iso(iso, day);
            lsu_buf_printf(table, "verrouillé le %s\n", day);
            continue;
        }
        xmlDocPtr d;
        xmlNodePtr b = entry_bilan_parse(p->xml, &d);
        if (!b) {
            rc = lsu_store_fail(st, "bilan enregistré illisible");
            break;
        }
        lsu_buf missing = {0};
        int k = lsu_bilan_missing(b, &missing);
        xmlFreeDoc(d);
        incomplete += k > 0;
        lsu_buf_printf(table, "%s\n", k > 0 && missing.data ? missing.data : "complet");
        lsu_buf_free(&missing);
    }
    entry_roster_free(roster, n);
    if (rc == 0 && table->failed)
        rc = lsu_store_fail(st, "mémoire insuffisante");
    return rc == 0 ? incomplete : -1;
}
