/* The school's settings (Paramétrage de l'import, Paramétrage des
 * périodes): the import mode of the classes and their periodicities, set
 * and read back for the listings (see school.h). */
#include "school/school_int.h"

#include <stdlib.h>
#include <string.h>

/* The classes' statements' test of the selection: ?2 the school, ?3 a
 * label or ONDE id, ?4 a level (bind_selection). */
#define SELECTED "coalesce(?2 OR libelle = ?3 OR id_be = ?3 OR niveau = ?4, 0)"

/* Binds sel to the parameters of SELECTED in s. */
static void bind_selection(sqlite3_stmt *s, const lsu_selection *sel)
{
    sqlite3_bind_int(s, 2, sel->school);
    sqlite3_bind_text(s, 3, sel->classe, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, sel->niveau, -1, SQLITE_STATIC);
}

/* Sets column 0 (import_mode) or 1 (periodicity_id) to `text`, else to `id`,
 * for the selection, in the caller's transaction: a class takes it as its
 * own; a level or the school stores it as their default (table defaults,
 * which new classes take too) and their classes drop their own (the
 * school's replaces the levels' too).  The number of classes selected, or
 * -1 on a store failure. */
static long long set_setting(lsu_store *st, int column, const lsu_selection *sel, const char *text, long long id)
{
#define SETTING_SQL(col)                                                                                               \
    {                                                                                                                  \
        "UPDATE classes SET " col " = ?1 WHERE " SELECTED, "UPDATE classes SET " col " = NULL WHERE " SELECTED,        \
            "INSERT INTO defaults(niveau, " col                                                                        \
            ") VALUES (coalesce(?4, ''), ?1) ON CONFLICT(niveau) DO UPDATE SET " col " = ?1",                          \
            "UPDATE defaults SET " col " = NULL WHERE niveau <> ''"                                                    \
    }
    static const char *const sqls[2][4] = {SETTING_SQL("import_mode"), SETTING_SQL("periodicity_id")};
#undef SETTING_SQL
    int is_default = sel->school || sel->niveau;
    const char *const *sql = sqls[column] + is_default;
    long long changed = -1;
    for (int i = 0; i < (is_default ? (sel->school ? 3 : 2) : 1); i++) {
        sqlite3_stmt *s = lsu_store_prepare(st, sql[i]);
        if (!s)
            return -1;
        if (text)
            sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(s, 1, id);
        bind_selection(s, sel);
        int done = sqlite3_step(s) == SQLITE_DONE;
        if (done && i == 0)
            changed = sqlite3_changes(st->db);
        sqlite3_finalize(s);
        if (!done)
            return lsu_store_fail(st, "enregistrement du paramétrage");
        if (changed == 0 && !sel->school)
            break; /* the selection names no class: nothing stored; the
                    * school's default is a setting of the school, kept
                    * for the classes a later sync brings */
    }
    return changed;
}

/* The summary of a settings event: `what`, then what was set for whom
 * (« paramétrage de l'import : import logiciel pour l'école »); owned,
 * NULL when memory ran out. */
static char *settings_summary(const char *what, const char *value, const lsu_selection *sel)
{
    return lsu_asprintf("%s : %s pour %s%s", what, value,
                        sel->school   ? "l'école"
                        : sel->niveau ? "le niveau "
                        : sel->classe ? "la classe "
                                      : "?",
                        sel->school   ? ""
                        : sel->niveau ? sel->niveau
                        : sel->classe ? sel->classe
                                      : "");
}

/* See school.h. */
long long lsu_school_set_import_mode(lsu_store *st, const char *mode, const lsu_selection *sel)
{
    long long changed = -1;
    char *summary = settings_summary("paramétrage de l'import",
                                     strcmp(mode, "logiciel") == 0 ? "import logiciel" : "saisie manuelle", sel);
    if (summary && lsu_store_begin(st) == 0 && lsu_store_event(st, "settings", NULL, summary) > 0)
        changed = set_setting(st, 0, sel, mode, 0);
    free(summary);
    if ((changed > 0 || (changed == 0 && sel->school)) && lsu_store_commit(st) == 0)
        return changed;
    lsu_store_rollback(st);
    return changed == 0 && !sel->school ? -2 : -1;
}

/* See school.h. */
int lsu_school_default_import_mode(lsu_store *st, char **mode)
{
    *mode = NULL;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT import_mode FROM defaults WHERE niveau = ''");
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    int ok = rc == SQLITE_DONE || (rc == SQLITE_ROW && lsu_store_dup(s, 0, mode) == 0);
    sqlite3_finalize(s);
    return ok ? 0 : lsu_store_fail(st, "lecture du paramétrage de l'école");
}

/* See school_int.h. */
int school_grow(void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, c * size);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

/* See school.h. */
int lsu_school_import_modes(lsu_store *st, lsu_class_mode **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT libelle, id_be, coalesce(import_mode, ''), import_mode_from, "
                                            "coalesce(niveau, ''), (SELECT name FROM periodicities WHERE id = "
                                            "periodicity_id), periodicity_from FROM class_settings ORDER BY libelle, "
                                            "id_be");
    size_t cap = 0;
    int rc = s ? 0 : -1, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        lsu_class_mode m = {0};
        if (lsu_store_dup(s, 0, &m.libelle) != 0 || lsu_store_dup(s, 1, &m.id_be) != 0 ||
            lsu_store_dup(s, 2, &m.mode) != 0 || !m.mode || lsu_store_dup(s, 3, &m.from) != 0 ||
            lsu_store_dup(s, 4, &m.niveau) != 0 || !m.niveau || lsu_store_dup(s, 5, &m.periodicity) != 0 ||
            lsu_store_dup(s, 6, &m.periodicity_from) != 0 || school_grow((void **)out, *n, &cap, sizeof **out) != 0) {
            free(m.libelle), free(m.id_be), free(m.mode), free(m.from);
            free(m.niveau), free(m.periodicity), free(m.periodicity_from);
            rc = -1;
        } else
            (*out)[(*n)++] = m;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(s);
    return rc;
}

/* See school.h. */
void lsu_school_import_modes_free(lsu_class_mode *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(m[i].libelle), free(m[i].id_be), free(m[i].mode), free(m[i].from), free(m[i].niveau),
            free(m[i].periodicity), free(m[i].periodicity_from);
    free(m);
}

/* The stored periodicity `name`: *id (0 when there is none), *year,
 * *stored its number of periods and *same whether they are r->p[0..n)
 * exactly, in r->year.  0, or -1 on a store failure. */
static int find_periodicity(lsu_store *st, const lsu_periodicity_request *r, long long *id, int *year, size_t *stored,
                            int *same)
{
    *id = 0, *year = 0, *stored = 0, *same = 0;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT id, millesime FROM periodicities WHERE name = ?");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, r->name, -1, SQLITE_STATIC);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0), *year = sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    if (step != SQLITE_ROW)
        return step == SQLITE_DONE ? 0 : -1;
    s = lsu_store_prepare(st, "SELECT libelle, date_debut, date_fin FROM periods WHERE periodicity_id = ? "
                              "ORDER BY indice");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, *id);
    int alike = *year == r->year;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        size_t i = (*stored)++;
        const char *l = (const char *)sqlite3_column_text(s, 0), *d = (const char *)sqlite3_column_text(s, 1),
                   *f = (const char *)sqlite3_column_text(s, 2);
        alike = alike && i < r->n && l && d && f && strcmp(l, r->p[i].libelle) == 0 && strcmp(d, r->p[i].debut) == 0 &&
                strcmp(f, r->p[i].fin) == 0;
    }
    sqlite3_finalize(s);
    *same = alike && *stored == r->n;
    return step == SQLITE_DONE ? 0 : -1;
}

/* The classes on periodicity id (every one when `all`, else those the
 * selection does not name), sorted: their number into done->nclasses and
 * their labels into done->classes (NULL when none).  0, or -1. */
static int classes_on(lsu_store *st, long long id, int all, const lsu_selection *sel, lsu_periodicity_done *done)
{
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT count(*), group_concat(libelle, ', ') FROM (SELECT libelle FROM "
                                            "class_settings WHERE periodicity_id = ?1 AND (?5 OR NOT " SELECTED
                                            ") ORDER BY libelle)");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    bind_selection(s, sel);
    sqlite3_bind_int(s, 5, all);
    free(done->classes);
    done->classes = NULL;
    int rc = sqlite3_step(s) == SQLITE_ROW && lsu_store_dup(s, 1, &done->classes) == 0 ? 0 : -1;
    done->nclasses = rc == 0 ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc;
}

/* Creates periodicity r->name or replaces its periods by r->p; in the
 * caller's transaction.  Its id, or -1 on failure. */
static long long write_periodicity(lsu_store *st, const lsu_periodicity_request *r)
{
    sqlite3_stmt *s = lsu_store_prepare(st, "INSERT INTO periodicities(name, kind, millesime) VALUES (?1, ?2, ?3) "
                                            "ON CONFLICT(name) DO UPDATE SET kind = ?2, millesime = ?3 RETURNING id");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, r->year);
    long long id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    if (id < 0)
        return lsu_store_fail(st, "enregistrement de la périodicité");
    s = lsu_store_prepare(st, "DELETE FROM periods WHERE periodicity_id = ?");
    int ok = s != NULL;
    if (s) {
        sqlite3_bind_int64(s, 1, id);
        ok = sqlite3_step(s) == SQLITE_DONE;
    }
    sqlite3_finalize(s);
    s = ok ? lsu_store_prepare(st, "INSERT INTO periods(periodicity_id, indice, libelle, date_debut, date_fin) "
                                   "VALUES (?, ?, ?, ?, ?)")
           : NULL;
    for (size_t i = 0; s && ok && i < r->n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, (int)i + 1);
        sqlite3_bind_text(s, 3, r->p[i].libelle, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, r->p[i].debut, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, r->p[i].fin, -1, SQLITE_STATIC);
        ok = sqlite3_step(s) == SQLITE_DONE;
    }
    sqlite3_finalize(s);
    return ok ? id : lsu_store_fail(st, "enregistrement des périodes");
}

/* Writes the periodicity of r when it must be (see
 * lsu_periodicity_request) and attaches the selected classes; in the
 * caller's transaction.  As lsu_school_set_periodicity. */
static int save_periodicity(lsu_store *st, const lsu_periodicity_request *r, const lsu_selection *sel,
                            lsu_periodicity_done *done)
{
    long long id;
    int year, same;
    size_t stored;
    if (find_periodicity(st, r, &id, &year, &stored, &same) != 0)
        return lsu_store_fail(st, "lecture de la périodicité");
    int write = id == 0 || stored == 0 || (r->keep == 0 && !same) || (r->keep == 2 && year != r->year);
    /* dates written over others change them for the classes already there */
    int refused = 0;
    if (write && id && stored) {
        /* those the selection does not name refuse it, unless change_others */
        if (classes_on(st, id, 0, sel, done) != 0)
            return lsu_store_fail(st, "lecture des classes de la périodicité");
        refused = !r->change_others && done->nclasses > 0;
        if (!refused && classes_on(st, id, 1, sel, done) != 0)
            return lsu_store_fail(st, "lecture des classes de la périodicité");
    }
    if (write && !refused && (id = write_periodicity(st, r)) < 0)
        return -1;
    done->written = write && !refused;
    done->millesime = done->written ? r->year : year;
    long long changed = 0;
    if (sel->school || sel->classe || sel->niveau) {
        changed = set_setting(st, 1, sel, NULL, id);
        if (changed < 0)
            return -1;
        if (changed == 0 && !sel->school)
            return -2;
    }
    done->attached = changed;
    return refused ? -3 : 0;
}

/* See school.h. */
int lsu_school_set_periodicity(lsu_store *st, const lsu_periodicity_request *r, const lsu_selection *sel,
                               lsu_periodicity_done *done)
{
    memset(done, 0, sizeof *done);
    int rc = -1;
    char *summary = settings_summary("paramétrage des périodes", r->name, sel);
    if (summary && lsu_store_begin(st) == 0 && lsu_store_event(st, "settings", NULL, summary) > 0)
        rc = save_periodicity(st, r, sel, done);
    free(summary);
    if (rc == 0 && lsu_store_commit(st) == 0)
        return 0;
    lsu_store_rollback(st);
    if (rc != -3) {
        free(done->classes);
        done->classes = NULL, done->nclasses = 0;
    }
    return rc == -2 || rc == -3 ? rc : -1;
}

/* See school.h. */
void lsu_periodicity_done_free(lsu_periodicity_done *done)
{
    free(done->classes);
    done->classes = NULL;
}

/* Frees what a periodicity owns. */
static void periodicity_free(lsu_periodicity *pe)
{
    for (size_t j = 0; j < pe->nperiods; j++)
        free(pe->periods[j].libelle), free(pe->periods[j].debut), free(pe->periods[j].fin);
    free(pe->periods);
    free(pe->name), free(pe->classes);
}

/* Reads the periods of periodicity `id` into pe with statement q (reset
 * here).  0; 1 when the read failed (pe holds the periods read before);
 * -1 when memory ran out. */
static int read_periods(sqlite3_stmt *q, long long id, lsu_periodicity *pe)
{
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        lsu_stored_period d = {0};
        if (lsu_store_dup(q, 0, &d.libelle) != 0 || lsu_store_dup(q, 1, &d.debut) != 0 ||
            lsu_store_dup(q, 2, &d.fin) != 0 || school_grow((void **)&pe->periods, pe->nperiods, &cap, sizeof d) != 0) {
            free(d.libelle), free(d.debut), free(d.fin);
            return -1;
        }
        pe->periods[pe->nperiods++] = d;
    }
    return step == SQLITE_DONE ? 0 : 1;
}

/* See school.h. */
int lsu_school_periodicities(lsu_store *st, lsu_periodicities *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT group_concat(libelle, ', ') FROM (SELECT libelle FROM "
                                            "class_settings WHERE periodicity_id IS NULL ORDER BY libelle)");
    int rc = s && sqlite3_step(s) == SQLITE_ROW && lsu_store_dup(s, 0, &out->unset) == 0 ? 0 : -1;
    sqlite3_finalize(s);
    s = lsu_store_prepare(st,
                          "SELECT id, name, millesime, (SELECT group_concat(l, ', ') FROM (SELECT libelle || ' (' || "
                          "periodicity_from || ')' AS l FROM class_settings WHERE periodicity_id = p.id ORDER BY "
                          "libelle)), EXISTS(SELECT 1 FROM defaults WHERE niveau = '' AND periodicity_id = p.id) FROM "
                          "periodicities p ORDER BY kind = 'personnalisee', name");
    sqlite3_stmt *q = lsu_store_prepare(st, "SELECT libelle, date_debut, date_fin FROM periods WHERE "
                                            "periodicity_id = ? ORDER BY indice");
    size_t cap = 0;
    int step = SQLITE_DONE, oom = 0;
    if (!s || !q)
        rc = -1;
    /* a periodicity whose periods cannot all be read is kept with those read */
    while (s && q && !oom && (step = sqlite3_step(s)) == SQLITE_ROW) {
        lsu_periodicity pe = {.millesime = sqlite3_column_int(s, 2), .school_default = sqlite3_column_int(s, 4)};
        int read = -1;
        oom = lsu_store_dup(s, 1, &pe.name) != 0 || lsu_store_dup(s, 3, &pe.classes) != 0 ||
              (read = read_periods(q, sqlite3_column_int64(s, 0), &pe)) < 0 ||
              school_grow((void **)&out->list, out->n, &cap, sizeof pe) != 0;
        if (oom)
            periodicity_free(&pe);
        else
            out->list[out->n++] = pe;
        if (read != 0)
            rc = -1;
    }
    if (step != SQLITE_DONE)
        rc = -1;
    sqlite3_finalize(s);
    sqlite3_finalize(q);
    return rc;
}

/* See school.h. */
void lsu_school_periodicities_free(lsu_periodicities *p)
{
    for (size_t i = 0; i < p->n; i++)
        periodicity_free(&p->list[i]);
    free(p->list);
    free(p->unset);
    memset(p, 0, sizeof *p);
}

/* See school.h: the école's scale, fixed (arrêté du 31-12-2015). */
const lsu_scale_level lsu_school_scale[LSU_SCALE_LEVELS] = {
    {1, "NA", "Non atteints"},
    {2, "PA", "Partiellement atteints"},
    {3, "A", "Atteints"},
    {4, "D", "Dépassés"},
};
