/* The « ? » of the guide (what a bilan lacks to be locked) and the locks:
 * lsu lock / lsu unlock on the current bilans selected (see school.h). */
#include "school/school.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* True when the element has a text with at least one non-blank byte. */
static int has_text(xmlNodePtr n)
{
    if (!n)
        return 0;
    xmlChar *t = xmlNodeGetContent(n);
    int yes = 0;
    for (const xmlChar *p = t; p && *p && !yes; p++)
        yes = *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r';
    xmlFree(t);
    return yes;
}

/* True when an acquis or sous-domaine is positioned with an élément. */
static int positioned_with_element(xmlNodePtr a)
{
    return lsu_attr_or_empty(a, "positionnement")[0] && lsu_child(a, "element-programme") != NULL;
}

/* Appends "; " then s to out (no separator for the first item). */
static void add_item(lsu_buf *out, int *count, const char *s)
{
    if (out->len)
        lsu_buf_puts(out, " ; ");
    lsu_buf_puts(out, s);
    ++*count;
}

/* See school.h. */
int lsu_bilan_missing(xmlNodePtr b, lsu_buf *out)
{
    int missing = 0;
    if (strcmp((const char *)b->name, "bilan-cycle") == 0) {
        lsu_buf doms = {0};
        int positioned = 0;
        for (xmlNodePtr d = lsu_child(lsu_child(b, "socle"), "domaine"); d; d = lsu_next_same(d)) {
            if (lsu_attr_or_empty(d, "positionnement")[0])
                positioned++;
            else {
                lsu_buf_puts(&doms, doms.len ? ", " : "");
                lsu_buf_puts(&doms, lsu_attr_or_empty(d, "libelle")[0] ? lsu_attr_or_empty(d, "libelle")
                                                                       : lsu_attr_or_empty(d, "code"));
            }
        }
        if (positioned < 8) {
            char *s = lsu_asprintf("composantes du socle positionnées : %d sur 8%s%s", positioned,
                                   doms.len ? " (manquent : " : "", doms.len ? doms.data : "");
            if (s && doms.len) {
                char *t = lsu_asprintf("%s)", s);
                free(s);
                s = t;
            }
            add_item(out, &missing, s ? s : "composantes du socle");
            free(s);
        }
        lsu_buf_free(&doms);
        if (!has_text(lsu_child(b, "synthese")))
            add_item(out, &missing, "synthèse des acquis");
        return missing;
    }
    int complete = 0;
    lsu_buf incomplete = {0};
    for (xmlNodePtr a = lsu_child(lsu_child(b, "liste-acquis"), "acquis"); a; a = lsu_next_same(a)) {
        int ok = has_text(lsu_child(a, "appreciation")) || positioned_with_element(a);
        for (xmlNodePtr sd = lsu_child(a, "sous-domaine"); sd && !ok; sd = lsu_next_same(sd))
            ok = positioned_with_element(sd);
        if (ok) {
            complete++;
        } else {
            lsu_buf_puts(&incomplete, incomplete.len ? ", " : "");
            lsu_buf_puts(&incomplete, lsu_domain_name(a));
        }
    }
    if (complete < 3) {
        char *s = lsu_asprintf("domaines complets (éléments du programme, appréciation et positionnement) : %d sur 3 "
                               "exigés%s%s%s",
                               complete, incomplete.len ? " (incomplets : " : "", incomplete.len ? incomplete.data : "",
                               incomplete.len ? ")" : "");
        add_item(out, &missing, s ? s : "domaines complets");
        free(s);
    }
    lsu_buf_free(&incomplete);
    if (!has_text(lsu_child(b, "appreciation-generale")))
        add_item(out, &missing, "appréciation générale sur la progression de l'élève");
    return missing;
}

/* The WHERE clause selecting current bilans (parameters 1..3: ine,
 * classe, niveau; NULL matches all). */
#define SELECTION_SQL                                                                                                  \
    "replaced_at IS NULL AND (?1 IS NULL OR ine = ?1) AND (?2 IS NULL OR classe = ?2) AND (?3 IS NULL OR niveau = ?3)"

/* Binds the selection's three parameters. */
static void bind_selection(sqlite3_stmt *s, const lsu_selection *sel)
{
    const char *v[] = {sel->ine, sel->classe, sel->niveau};
    for (int i = 0; i < 3; i++) {
        if (v[i])
            sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, i + 1);
    }
}

/* See school.h. */
int lsu_school_lock(lsu_store *st, const lsu_selection *sel, int unlock, lsu_buf *text)
{
    if (lsu_store_begin(st) != 0)
        return -1;
    char now[21];
    lsu_store_now(now);
    long long event = lsu_store_event(st, unlock ? "unlock" : "lock", NULL, NULL);
    sqlite3_stmt *s = event < 0 ? NULL
                                : lsu_store_prepare(st, "SELECT id, nom, prenom, ine, classe, periode, xml, locked_at "
                                                        "FROM bilans WHERE " SELECTION_SQL
                                                        " ORDER BY classe, nom, prenom, ine, bkey");
    sqlite3_stmt *upd = lsu_store_prepare(st, unlock ? "UPDATE bilans SET locked_at = NULL WHERE id = ?"
                                                     : "UPDATE bilans SET locked_at = ?2 WHERE id = ?1");
    sqlite3_stmt *log =
        lsu_store_prepare(st, "INSERT INTO bilan_log(bilan_id, event_id, action, at) VALUES (?, ?, ?, ?)");
    if (!s || !upd || !log) {
        sqlite3_finalize(s), sqlite3_finalize(upd), sqlite3_finalize(log);
        lsu_store_rollback(st);
        return -1;
    }
    bind_selection(s, sel);
    size_t done = 0, already = 0, incomplete = 0, seen = 0;
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        seen++;
        long long id = sqlite3_column_int64(s, 0);
        int is_locked = sqlite3_column_type(s, 7) != SQLITE_NULL;
        if (is_locked != unlock) {
            already++;
            continue;
        }
        if (!unlock) {
            const char *xml = lsu_store_text(s, 6);
            xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8", XML_PARSE_NONET);
            lsu_buf missing = {0};
            int n = d ? lsu_bilan_missing(xmlDocGetRootElement(d), &missing) : 1;
            xmlFreeDoc(d);
            if (n > 0) {
                incomplete++;
                lsu_buf_printf(text, "? %s %s (%s), %s, %s : non verrouillé, il manque : %s\n", lsu_store_text(s, 1),
                               lsu_store_text(s, 2), lsu_store_text(s, 3), lsu_store_text(s, 4), lsu_store_text(s, 5),
                               missing.data ? missing.data : "le bilan est illisible");
                lsu_buf_free(&missing);
                continue;
            }
            lsu_buf_free(&missing);
        }
        sqlite3_reset(upd);
        sqlite3_bind_int64(upd, 1, id);
        if (!unlock)
            sqlite3_bind_text(upd, 2, now, -1, SQLITE_STATIC);
        sqlite3_reset(log);
        sqlite3_bind_int64(log, 1, id);
        sqlite3_bind_int64(log, 2, event);
        sqlite3_bind_text(log, 3, unlock ? "deverrouillage" : "verrouillage", -1, SQLITE_STATIC);
        sqlite3_bind_text(log, 4, now, -1, SQLITE_STATIC);
        if (sqlite3_step(upd) != SQLITE_DONE || sqlite3_step(log) != SQLITE_DONE)
            rc = lsu_store_fail(st, "verrouillage impossible");
        done++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = lsu_store_fail(st, "lecture des bilans impossible");
    sqlite3_finalize(s), sqlite3_finalize(upd), sqlite3_finalize(log);
    const char *verb = unlock ? "déverrouillé" : "verrouillé";
    char *summary = lsu_asprintf("%zu bilan%s %s%s, %zu déjà %s%s, %zu incomplet%s non verrouillé%s", done,
                                 done > 1 ? "s" : "", verb, done > 1 ? "s" : "", already, verb, already > 1 ? "s" : "",
                                 incomplete, incomplete > 1 ? "s" : "", incomplete > 1 ? "s" : "");
    if (rc == 0 && summary) {
        sqlite3_stmt *u = lsu_store_prepare(st, "UPDATE events SET summary = ? WHERE id = ?");
        if (u) {
            sqlite3_bind_text(u, 1, summary, -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 2, event);
            if (sqlite3_step(u) != SQLITE_DONE)
                rc = lsu_store_fail(st, "journal");
        }
        sqlite3_finalize(u);
    }
    if (rc == 0)
        rc = lsu_store_commit(st);
    else
        lsu_store_rollback(st);
    if (rc != 0) {
        free(summary);
        return -1;
    }
    if (seen == 0)
        lsu_buf_puts(text, "Aucun bilan ne correspond à la sélection.\n");
    lsu_buf_printf(text, "%s.\n", summary ? summary : "?");
    free(summary);
    return incomplete ? 1 : 0;
}
