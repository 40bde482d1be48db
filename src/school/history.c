/* What the store tells of its past: every version of a pupil's bilans
 * with its origin and what it changed, the imports of the school and their reports (see
 * school.h). */
#include "school/school_int.h"

#include <stdlib.h>
#include <string.h>

/* "07/07/2016 à 15:47:01" from an ISO 8601 UTC stamp into out. */
static void fr_stamp(const char *iso, char *out, size_t size)
{
    if (strlen(iso) >= 19)
        snprintf(out, size, "%.2s/%.2s/%.4s à %.8s", iso + 8, iso + 5, iso, iso + 11);
    else
        snprintf(out, size, "%s", iso);
}

/* An event's number among the school's events of its kind (import n° 1, 2,
 * 3…), not its row id, which every sync and lock also takes. */
#define EVENT_NUMBER "(SELECT count(*) FROM events e2 WHERE e2.kind = e.kind AND e2.id <= e.id)"

/* See school.h. */
int lsu_school_history(lsu_store *st, const char *ine, lsu_buf *text)
{
    /* versions and their log, in order of time then id, per bilan */
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT b.bkey, b.periode, b.classe, b.nom, b.prenom, 'version', b.created_at, e.kind, e.id, "
            "coalesce(e.source, ''), b.id, b.replaced_at IS NULL, b.locked_at IS NOT NULL, b.id * 2 AS ord, "
            "b.xml, " EVENT_NUMBER ", coalesce(e.author, '') FROM bilans b JOIN events e ON e.id = b.event_id "
            "WHERE b.ine = ?1 "
            "UNION ALL SELECT b.bkey, b.periode, b.classe, b.nom, b.prenom, l.action, l.at, e.kind, e.id, "
            "coalesce(e.source, ''), b.id, 0, 0, l.id * 2 + 1, NULL, " EVENT_NUMBER
            ", '' FROM bilan_log l JOIN bilans b ON b.id = "
            "l.bilan_id JOIN events e ON e.id = l.event_id WHERE b.ine = ?1 ORDER BY 1, 9, 14");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, ine, -1, SQLITE_STATIC);
    int versions = 0, step;
    char last_key[64] = "";
    long long version_of_bilan = 0;
    char *previous = NULL; /* the saved form of the bilan's previous version */
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *key = lsu_store_text(s, 0), *action = lsu_store_text(s, 5);
        if (strcmp(key, last_key) != 0) {
            snprintf(last_key, sizeof last_key, "%s", key);
            lsu_buf_printf(text, "%s%s %s (%s), %s, %s\n", versions ? "\n" : "", lsu_store_text(s, 3),
                           lsu_store_text(s, 4), ine, lsu_store_text(s, 2), lsu_store_text(s, 1));
            version_of_bilan = 0;
            free(previous);
            previous = NULL;
        }
        char when[40];
        fr_stamp(lsu_store_text(s, 6), when, sizeof when);
        const char *kind = lsu_store_text(s, 7);
        long long event = sqlite3_column_int64(s, 15); /* its number among the events of its kind */
        if (strcmp(action, "version") == 0) {
            versions++;
            version_of_bilan++;
            int current = sqlite3_column_int(s, 11);
            if (strcmp(kind, "saisie") == 0) {
                /* the teachers' entry: who, and the file applied when one was */
                const char *author = lsu_store_text(s, 16), *source = lsu_store_text(s, 9);
                lsu_buf_printf(text, "  version %lld  %s  saisie n° %lld (%s%s%s)%s\n", version_of_bilan, when, event,
                               author[0] ? author : "auteur inconnu", source[0] ? ", " : "", source,
                               current ? "  [version en cours]" : "");
            } else if (strcmp(kind, "sync") == 0)
                lsu_buf_printf(text, "  version %lld  %s  synchronisation n° %lld (%s)%s\n", version_of_bilan, when,
                               event, lsu_store_text(s, 9), current ? "  [version en cours]" : "");
            else
                lsu_buf_printf(text, "  version %lld  %s  import n° %lld (%s)%s\n", version_of_bilan, when, event,
                               lsu_store_text(s, 9), current ? "  [version en cours]" : "");
            const char *xml = lsu_store_text(s, 14);
            if (version_of_bilan > 1 && previous) {
                lsu_buf_puts(text, "      ");
                if (school_bilan_changes(previous, xml, text) == 0)
                    lsu_buf_puts(text, "aucun changement du contenu");
                lsu_buf_puts(text, "\n");
            }
            free(previous);
            previous = strdup(xml);
        } else if (strcmp(action, "verrouillage") == 0) {
            lsu_buf_printf(text, "  verrouillé   %s  verrouillage n° %lld\n", when, event);
        } else if (strcmp(action, "deverrouillage") == 0) {
            lsu_buf_printf(text, "  déverrouillé %s  déverrouillage n° %lld\n", when, event);
        } else {
            lsu_buf_printf(text, "  non remplacé %s  import n° %lld (%s) : le bilan était verrouillé\n", when, event,
                           lsu_store_text(s, 9));
        }
    }
    sqlite3_finalize(s);
    free(previous);
    if (step != SQLITE_DONE)
        return lsu_store_fail(st, "lecture de l'historique impossible");
    return versions;
}

/* See school.h. */
int lsu_school_imports(lsu_store *st, lsu_import_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT id, at, source, exit_status, summary FROM events WHERE kind = "
                                            "'import' ORDER BY id");
    size_t cap = 0;
    int rc = s ? 0 : -1, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        /* numbered among the imports (1, 2, 3…), as lsu import says */
        lsu_import_entry e = {.id = (long long)*n + 1, .exit_status = sqlite3_column_int(s, 3)};
        if (lsu_store_dup(s, 1, &e.at) != 0 || lsu_store_dup(s, 2, &e.source) != 0 ||
            lsu_store_dup(s, 4, &e.summary) != 0 || school_grow((void **)out, *n, &cap, sizeof e) != 0) {
            free(e.at), free(e.source), free(e.summary);
            rc = -1;
        } else
            (*out)[(*n)++] = e;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(s);
    return rc;
}

/* See school.h. */
void lsu_school_imports_free(lsu_import_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].at), free(e[i].source), free(e[i].summary);
    free(e);
}

/* See school.h. */
int lsu_school_import_report(lsu_store *st, long long id, int json, char **report)
{
    *report = NULL;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT report_text, report_json FROM events WHERE kind = 'import' "
                                            "ORDER BY id LIMIT 1 OFFSET ?");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, id > 0 ? id - 1 : -1);
    int step = sqlite3_step(s);
    int rc = step == SQLITE_ROW ? (lsu_store_dup(s, json ? 1 : 0, report) == 0 ? 1 : -1) : step == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(s);
    return rc;
}

/* See school.h. */
const char *lsu_event_kind_label(const char *kind)
{
    static const char *const names[][2] = {{"import", "Import"},        {"sync", "Synchronisation"},
                                           {"lock", "Verrouillage"},    {"unlock", "Déverrouillage"},
                                           {"settings", "Paramétrage"}, {"saisie", "Saisie"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(kind, names[i][0]) == 0)
            return names[i][1];
    return kind;
}

/* See school.h. */
int lsu_school_events(lsu_store *st, long long offset, long long limit, lsu_event_entry **out, size_t *n,
                      long long *total)
{
    *out = NULL;
    *n = 0;
    *total = lsu_store_int(st, "SELECT count(*) FROM events", 0);
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT e.id, " EVENT_NUMBER ", e.kind, e.at, e.source, e.summary, "
                                            "e.author FROM events e ORDER BY e.id DESC LIMIT ?1 OFFSET ?2");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, limit);
    sqlite3_bind_int64(s, 2, offset);
    size_t cap = 0;
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        lsu_event_entry e = {.id = sqlite3_column_int64(s, 0), .number = sqlite3_column_int64(s, 1)};
        if (lsu_store_dup(s, 2, &e.kind) != 0 || lsu_store_dup(s, 3, &e.at) != 0 ||
            lsu_store_dup(s, 4, &e.source) != 0 || lsu_store_dup(s, 5, &e.summary) != 0 ||
            lsu_store_dup(s, 6, &e.author) != 0 || !e.kind || !e.at ||
            school_grow((void **)out, *n, &cap, sizeof e) != 0) {
            free(e.kind), free(e.at), free(e.source), free(e.summary), free(e.author);
            rc = -1;
        } else
            (*out)[(*n)++] = e;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = lsu_store_fail(st, "lecture de l'historique impossible");
    sqlite3_finalize(s);
    return rc;
}

/* See school.h. */
void lsu_school_events_free(lsu_event_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].kind), free(e[i].at), free(e[i].source), free(e[i].summary), free(e[i].author);
    free(e);
}
