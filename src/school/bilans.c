/* The bilans kept in the store: their key, period label and saved form
 * (shared by the family, school_int.h), and what `lsu import` stores of a
 * file once its report is made: every accepted bilan whose content changed
 * as a new version, the import event with its report (see school.h). */
#include "import/nomenclature.h"
#include "school/school_int.h"

#include <libxml/xmlsave.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* See school_int.h. */
void school_bilan_key(xmlNodePtr b, char *out, size_t size)
{
    if (strcmp((const char *)b->name, "bilan-cycle") == 0)
        snprintf(out, size, "C:%s:%s", lsu_attr_or_empty(b, "cycle"), lsu_attr_or_empty(b, "millesime"));
    else
        snprintf(out, size, "P:%s:%s/%s", lsu_attr_or_empty(b, "millesime"), lsu_attr_or_empty(b, "indice"),
                 lsu_attr_or_empty(b, "nb-periodes"));
}

/* See school_int.h. */
void school_bilan_period_label(xmlNodePtr b, char *out, size_t size)
{
    if (strcmp((const char *)b->name, "bilan-cycle") == 0)
        snprintf(out, size, "Fin de cycle %s %s", lsu_attr_or_empty(b, "cycle"), lsu_attr_or_empty(b, "annee"));
    else
        snprintf(out, size, "%s %s", lsu_attr_or_empty(b, "libelle"), lsu_attr_or_empty(b, "annee"));
}

/* Sets name=value on n just after its attribute `after`, or last when n
 * has none; -1 when memory ran out. */
static int insert_prop_after(xmlNodePtr n, const char *after, const char *name, const char *value)
{
    xmlAttrPtr prev = xmlHasProp(n, BAD_CAST after);
    xmlAttrPtr a = xmlNewProp(n, BAD_CAST name, BAD_CAST value); /* appended last */
    if (!a)
        return -1;
    if (prev && prev->next != a) {
        a->prev->next = NULL;
        a->prev = prev;
        a->next = prev->next;
        prev->next->prev = a;
        prev->next = a;
    }
    return 0;
}

/* Puts the labels back into a copy of a normalised bilan: a saved bilan
 * carries them (docs/NORMALISED.md), as it always has, so that it prints
 * alone and an unchanged bilan saves the same bytes.  `element_labels` as
 * lsu_element_labels (NULL for a bilan read from the store). */
static int add_labels(xmlNodePtr copy, xmlHashTablePtr element_labels)
{
    for (xmlNodePtr n = copy; n; n = lsu_walk_next(copy, n, 1)) {
        if (n->type != XML_ELEMENT_NODE || xmlHasProp(n, BAD_CAST "libelle"))
            continue;
        const char *name = (const char *)n->name;
        if ((strcmp(name, "acquis") == 0 || strcmp(name, "sous-domaine") == 0) &&
            insert_prop_after(n, "code", "libelle", lsu_domain_libelle(n)) < 0)
            return -1;
        if (strcmp(name, "element-programme") == 0 &&
            !xmlNewProp(n, BAD_CAST "libelle", BAD_CAST lsu_element_libelle(n, element_labels)))
            return -1;
    }
    return 0;
}

/* See school_int.h. */
char *school_bilan_xml(xmlNodePtr b, xmlHashTablePtr element_labels)
{
    xmlNodePtr copy = xmlCopyNode(b, 1);
    if (!copy)
        return NULL;
    xmlUnsetProp(copy, BAD_CAST "index");
    for (xmlNodePtr n = copy; n; n = lsu_walk_next(copy, n, 1))
        xmlUnsetProp(n, BAD_CAST "ligne");
    xmlBufferPtr buf = add_labels(copy, element_labels) == 0 ? xmlBufferCreate() : NULL;
    char *out = NULL;
    if (buf && xmlNodeDump(buf, NULL, copy, 0, 0) >= 0)
        out = strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    xmlFreeNode(copy);
    return out;
}

/* Counts of what one import did to the store. */
typedef struct {
    size_t created, replaced, unchanged, kept_locked;
} store_counts;

/* Makes `xml` the current version of bilan (ine, key) when its content
 * differs from the current one's (school_bilan_same), which is then marked
 * replaced; the same content is « inchangé » and writes nothing.  A locked
 * current version stays: the refusal of a different content is logged,
 * the same content is « inchangé » (not counted when `rejected`, the bilan
 * being refused for another reason).  Returns 0, or -1. */
static int store_version(lsu_store *st, xmlNodePtr b, const char *xml, int rejected, long long event, const char *now,
                         store_counts *n)
{
    char key[64], period[160];
    school_bilan_key(b, key, sizeof key);
    school_bilan_period_label(b, period, sizeof period);
    const char *ine = lsu_attr_or_empty(b, "ine");
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT id, xml, locked_at IS NOT NULL FROM bilans WHERE ine = ? AND bkey = ? AND replaced_at IS NULL");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, ine, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    long long current = 0;
    int same = 0, locked = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        current = sqlite3_column_int64(s, 0);
        same = school_bilan_same(lsu_store_text(s, 1), xml);
        locked = sqlite3_column_int(s, 2);
    }
    sqlite3_finalize(s);
    if (locked && same) {
        n->unchanged += !rejected;
        return 0;
    }
    if (locked) {
        /* the hook rejected the bilan (PAR008); its refusal is in the history */
        n->kept_locked++;
        s = lsu_store_prepare(st, "INSERT INTO bilan_log(bilan_id, event_id, action, at) VALUES (?, ?, 'refus', ?)");
        if (!s)
            return -1;
        sqlite3_bind_int64(s, 1, current);
        sqlite3_bind_int64(s, 2, event);
        sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? 0 : lsu_store_fail(st, "journal du bilan");
    }
    if (same) {
        n->unchanged++;
        return 0;
    }
    if (current)
        n->replaced++;
    else
        n->created++;
    return school_bilan_write_version(st, b, current, xml, event, now);
}

/* See school_int.h. */
int school_bilan_write_version(lsu_store *st, xmlNodePtr b, long long current, const char *xml, long long event,
                               const char *now)
{
    if (current) {
        sqlite3_stmt *s = lsu_store_prepare(st, "UPDATE bilans SET replaced_at = ? WHERE id = ?");
        if (!s)
            return -1;
        sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, current);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return lsu_store_fail(st, "remplacement du bilan");
    }
    char key[64], period[160];
    school_bilan_key(b, key, sizeof key);
    school_bilan_period_label(b, period, sizeof period);
    int cycle = strcmp((const char *)b->name, "bilan-cycle") == 0;
    sqlite3_stmt *s = lsu_store_prepare(st, "INSERT INTO bilans(ine, bkey, kind, nom, prenom, classe, id_be, niveau, "
                                            "periode, xml, event_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                            "?, ?)");
    if (!s)
        return -1;
    const char *texts[] = {lsu_attr_or_empty(b, "ine"),
                           key,
                           cycle ? "cycle" : "periodique",
                           lsu_attr_or_empty(b, "nom"),
                           lsu_attr_or_empty(b, "prenom"),
                           lsu_attr_or_empty(b, "classe"),
                           lsu_attr_or_empty(b, "id-be"),
                           lsu_attr_or_empty(b, "niveau"),
                           period,
                           xml};
    for (int i = 0; i < 10; i++)
        sqlite3_bind_text(s, i + 1, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 11, event);
    sqlite3_bind_text(s, 12, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : lsu_store_fail(st, "enregistrement du bilan");
}

/* LSU_FAULT=kill-import: the process is killed inside the import's
 * transaction, after the bilans are written and before the commit, so
 * that tests can check that the store is left as it was. */
static void fault_kill_import(void)
{
    const char *fault = getenv("LSU_FAULT");
    if (fault && strcmp(fault, "kill-import") == 0)
        raise(SIGKILL);
}

/* See school.h. */
int lsu_import_finish(lsu_import_ctx *c, lsu_file *f, const char *report_text, const char *report_json, int exit_status,
                      lsu_buf *text)
{
    lsu_store *st = &c->store;
    if (!c->store_open || !st->in_tx || c->failed)
        return 0;
    char now[21];
    lsu_store_now(now);
    store_counts n = {0};
    long long event = lsu_store_event(st, "import", f->name, NULL);
    xmlNodePtr root = xmlDocGetRootElement(f->norm);
    xmlHashTablePtr element_labels = NULL;
    int rc = event < 0 || lsu_element_labels(f->norm, &element_labels) != 0 ? -1 : 0;
    for (xmlNodePtr list = root ? root->children : NULL; list && rc == 0; list = list->next) {
        if (list->type != XML_ELEMENT_NODE)
            continue;
        int cycle = strcmp((const char *)list->name, "bilans-cycle") == 0;
        if (!cycle && strcmp((const char *)list->name, "bilans-periodiques") != 0)
            continue;
        for (xmlNodePtr b = list->children; b && rc == 0; b = b->next) {
            if (b->type != XML_ELEMENT_NODE)
                continue;
            lsu_bilan *bilan = lsu_index_bilan(&f->index, cycle ? BILAN_CYCLE : BILAN_PERIODIQUE,
                                               strtol(lsu_attr_or_empty(b, "index"), NULL, 10));
            if (!bilan || !lsu_attr_or_empty(b, "ine")[0])
                continue;
            if (bilan->status == STATUS_REJETE) {
                /* only a locked bilan leaves a trace: its refused re-import */
                char key[64];
                school_bilan_key(b, key, sizeof key);
                sqlite3_stmt *s = lsu_store_prepare(st, "SELECT 1 FROM bilans WHERE ine = ? AND bkey = ? AND "
                                                        "replaced_at IS NULL AND locked_at IS NOT NULL");
                int is_locked = 0;
                if (s) {
                    sqlite3_bind_text(s, 1, lsu_attr_or_empty(b, "ine"), -1, SQLITE_STATIC);
                    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
                    is_locked = sqlite3_step(s) == SQLITE_ROW;
                }
                sqlite3_finalize(s);
                if (!is_locked)
                    continue;
            }
            char *xml = school_bilan_xml(b, element_labels);
            rc = xml ? store_version(st, b, xml, bilan->status == STATUS_REJETE, event, now, &n) : -1;
            free(xml);
        }
    }
    if (element_labels)
        xmlHashFree(element_labels, NULL);
    char *summary = lsu_asprintf("%zu nouveau%s, %zu remplacé%s, %zu inchangé%s, %zu verrouillé%s conservé%s",
                                 n.created, n.created > 1 ? "x" : "", n.replaced, n.replaced > 1 ? "s" : "",
                                 n.unchanged, n.unchanged > 1 ? "s" : "", n.kept_locked, n.kept_locked > 1 ? "s" : "",
                                 n.kept_locked > 1 ? "s" : "");
    if (rc == 0) {
        sqlite3_stmt *s = lsu_store_prepare(
            st, "UPDATE events SET summary = ?, exit_status = ?, report_text = ?, report_json = ? WHERE id = ?");
        if (s) {
            sqlite3_bind_text(s, 1, summary, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 2, exit_status);
            sqlite3_bind_text(s, 3, report_text, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 4, report_json, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 5, event);
        }
        rc = s && sqlite3_step(s) == SQLITE_DONE ? 0 : lsu_store_fail(st, "enregistrement du rapport");
        sqlite3_finalize(s);
    }
    /* its number among the school's imports (1, 2, 3…), as lsu reports
     * lists them: not the event's row id, which syncs and locks also take */
    long long number = rc == 0 ? lsu_store_int(st, "SELECT count(*) FROM events WHERE kind = 'import'", 0) : 0;
    if (rc == 0) {
        fault_kill_import();
        rc = lsu_store_commit(st);
    }
    if (rc != 0) {
        lsu_store_rollback(st);
        lsu_buf_printf(text, "lsu: %s : base de l'école %s : %s ; rien n'est enregistré\n", f->path, st->uai,
                       st->error ? st->error : "?");
    } else {
        lsu_buf_printf(text, "%s: base de l'école %s : import n° %lld enregistré (bilans : %s)\n", f->path, st->uai,
                       number, summary ? summary : "?");
    }
    free(summary);
    return rc;
}

/* See school.h. */
void lsu_import_ctx_free(lsu_import_ctx *c)
{
    if (c->store_open)
        lsu_store_close(&c->store);
    c->store_open = 0;
}

/* See school_int.h. */
void school_stored_bilan_clear(school_stored_bilan *b)
{
    free(b->ine), free(b->nom), free(b->prenom), free(b->classe), free(b->id_be), free(b->niveau);
    free(b->periode), free(b->bkey), free(b->locked_at), free(b->xml);
    memset(b, 0, sizeof *b);
}

/* See school_int.h. */
void school_stored_bilans_free(school_stored_bilan *b, size_t n)
{
    for (size_t i = 0; b && i < n; i++)
        school_stored_bilan_clear(&b[i]);
    free(b);
}

/* Does the pupil filter of f pass `ine`? */
static int ine_selected(const school_bilan_filter *f, const char *ine)
{
    for (size_t i = 0; i < f->nines; i++)
        if (strcmp(f->ines[i], ine) == 0)
            return 1;
    return f->nines == 0;
}

/* See school_int.h. */
int school_current_bilans(lsu_store *st, const school_bilan_filter *f, school_stored_bilan **out, size_t *n)
{
    *out = NULL, *n = 0;
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT id, kind, ine, nom, prenom, classe, id_be, niveau, periode, bkey, locked_at, "
            "CASE WHEN ?5 THEN xml END FROM bilans WHERE replaced_at IS NULL AND (?1 IS NULL OR ine = ?1) AND "
            "(?2 IS NULL OR classe = ?2 OR (?3 AND id_be = ?2)) AND (?4 IS NULL OR niveau = ?4) "
            "ORDER BY classe, id_be, nom, prenom, ine, bkey, id");
    if (!s)
        return -1;
    if (f->nines == 1) /* one pupil: the index on ine */
        sqlite3_bind_text(s, 1, f->ines[0], -1, SQLITE_STATIC);
    if (f->classe)
        sqlite3_bind_text(s, 2, f->classe, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, f->classe_id != 0);
    if (f->niveau)
        sqlite3_bind_text(s, 4, f->niveau, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, f->xml != 0);
    school_stored_bilan *b = NULL;
    size_t cap = 0;
    int step = SQLITE_DONE, ok = 1;
    while (ok && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (!ine_selected(f, lsu_store_text(s, 2)))
            continue;
        if (school_grow((void **)&b, *n, &cap, sizeof *b) != 0) {
            ok = 0;
            break;
        }
        school_stored_bilan *x = &b[(*n)++];
        memset(x, 0, sizeof *x);
        x->id = sqlite3_column_int64(s, 0);
        x->cycle = strcmp(lsu_store_text(s, 1), "cycle") == 0;
        char **to[] = {&x->ine,    &x->nom,     &x->prenom, &x->classe,    &x->id_be,
                       &x->niveau, &x->periode, &x->bkey,   &x->locked_at, &x->xml};
        for (int i = 0; ok && i < (int)(sizeof to / sizeof *to); i++)
            ok = lsu_store_dup(s, i + 2, to[i]) == 0;
        /* the NOT NULL columns are never NULL: "" at worst */
        for (int i = 0; ok && i < 8; i++)
            ok = *to[i] || (*to[i] = strdup("")) != NULL;
    }
    if (ok && step != SQLITE_DONE)
        ok = lsu_store_fail(st, "lecture des bilans impossible") == 0;
    else if (!ok) {
        free(st->error);
        st->error = lsu_asprintf("mémoire insuffisante");
    }
    sqlite3_finalize(s);
    if (!ok) {
        school_stored_bilans_free(b, *n);
        *out = NULL, *n = 0;
        return -1;
    }
    *out = b;
    return 0;
}
