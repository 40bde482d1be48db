/* lsu sync: the ONDE extraction (and the teachers) loaded into the store,
 * and the administrative data of the unlocked bilans brought up to date
 * (see school.h). */
#include "base/text.h"
#include "school/school_int.h"

#include <libxml/parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Binds texts to parameters 1..n, then the integers a and b (when not
 * negative) to n + 1 and n + 2, and steps once; 0 when done. */
static int exec_texts(lsu_store *st, const char *sql, const char *const *v, int n, long long a, long long b)
{
    sqlite3_stmt *s = lsu_store_prepare(st, sql);
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
    if (a >= 0)
        sqlite3_bind_int64(s, n + 1, a);
    if (b >= 0)
        sqlite3_bind_int64(s, n + 2, b);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : lsu_store_fail(st, "synchronisation impossible");
}

/* Sets attribute `name` of b to ONDE's `value` when they differ: in
 * letter case only, when `fold` (names and labels, see versions.c), else
 * at all.  Returns 1 when set, 0 when not, -1 when memory ran out. */
static int set_admin(xmlNodePtr b, const char *name, const char *value, int fold)
{
    const char *old = lsu_attr_or_empty(b, name);
    if (strcmp(old, value) == 0)
        return 0;
    if (fold) {
        lsu_buf fa = {0}, fb = {0};
        lsu_fold_case(old, &fa), lsu_fold_case(value, &fb);
        int failed = fa.failed || fb.failed, same = !failed && strcmp(fa.data, fb.data) == 0;
        lsu_buf_free(&fa), lsu_buf_free(&fb);
        if (failed)
            return -1;
        if (same)
            return 0;
    }
    return xmlSetProp(b, BAD_CAST name, BAD_CAST value) ? 1 : -1;
}

/* Rewrites the administrative data of the current unlocked bilans whose
 * pupil ONDE now names or places differently (a name or label that
 * differs in letter case only is the same): one new version each, with
 * ONDE's values for what changed.  Only the pupils this sync wrote
 * (event).  Counts per class into `updated` / `locked` (by class id, ONDE
 * order), and appends a line per bilan to `list` when not NULL. */
static int sync_bilans(lsu_store *st, const lsu_onde *o, long long event, size_t *updated, size_t *locked,
                       lsu_buf *list)
{
    char now[21];
    lsu_store_now(now);
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT b.id, b.xml, p.nom, p.prenom, c.libelle, c.id_be, c.niveau, b.locked_at IS NOT NULL, b.periode "
            "FROM bilans b JOIN pupils p ON p.ine = b.ine JOIN classes c ON c.id_be = p.classe_id_be "
            "WHERE b.replaced_at IS NULL AND (b.nom <> p.nom OR b.prenom <> p.prenom OR b.id_be <> p.classe_id_be "
            "OR b.classe <> c.libelle) AND p.sync_id = ?1 ORDER BY b.id");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, event);
    int rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        size_t k = 0;
        while (k < o->class_count && strcmp(o->classes[k].id_be, lsu_store_text(s, 5)) != 0)
            k++;
        const char *xml = lsu_store_text(s, 1);
        xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8", XML_PARSE_NONET);
        xmlNodePtr b = d ? xmlDocGetRootElement(d) : NULL;
        if (!b) {
            xmlFreeDoc(d);
            continue;
        }
        int set[] = {set_admin(b, "nom", lsu_store_text(s, 2), 1), set_admin(b, "prenom", lsu_store_text(s, 3), 1),
                     set_admin(b, "classe", lsu_store_text(s, 4), 1), set_admin(b, "id-be", lsu_store_text(s, 5), 0)};
        if (set[0] < 0 || set[1] < 0 || set[2] < 0 || set[3] < 0) {
            xmlFreeDoc(d);
            rc = -1;
            break;
        }
        if (!set[0] && !set[1] && !set[2] && !set[3]) {
            xmlFreeDoc(d);
            continue; /* the same pupil and class, in other letters: no new version */
        }
        if (list)
            lsu_buf_printf(list, "  bilan %s : %s %s (%s), %s\n",
                           sqlite3_column_int(s, 7) ? "verrouillé, non modifié" : "mis à jour", lsu_store_text(s, 2),
                           lsu_store_text(s, 3), lsu_store_text(s, 4), lsu_store_text(s, 8));
        if (sqlite3_column_int(s, 7)) {
            xmlFreeDoc(d);
            if (k < o->class_count)
                locked[k]++;
            continue; /* a locked bilan is never touched */
        }
        xmlSetProp(b, BAD_CAST "niveau", BAD_CAST lsu_store_text(s, 6));
        char *nxml = school_bilan_xml(b, NULL);
        long long id = sqlite3_column_int64(s, 0);
        if (!nxml)
            rc = -1;
        else {
            const char *v[] = {now};
            rc = exec_texts(st, "UPDATE bilans SET replaced_at = ?1 WHERE id = ?2", v, 1, id, -1);
        }
        if (rc == 0) {
            const char *v[] = {nxml,
                               lsu_attr_or_empty(b, "nom"),
                               lsu_attr_or_empty(b, "prenom"),
                               lsu_attr_or_empty(b, "classe"),
                               lsu_store_text(s, 5),
                               lsu_store_text(s, 6),
                               now};
            rc = exec_texts(st,
                            "INSERT INTO bilans(ine, bkey, kind, nom, prenom, classe, id_be, niveau, periode, xml, "
                            "event_id, created_at) SELECT ine, bkey, kind, ?2, ?3, ?4, ?5, ?6, periode, ?1, ?8, ?7 "
                            "FROM bilans WHERE id = ?9",
                            v, 7, event, id);
        }
        free(nxml);
        xmlFreeDoc(d);
        if (k < o->class_count)
            updated[k]++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = lsu_store_fail(st, "lecture des bilans impossible");
    sqlite3_finalize(s);
    return rc;
}

/* Is id among the n ids? */
static int among(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

/* The ONDE ids of the classes opt names (label or id, in the extraction,
 * else in the store) into temp.sync_sel and *ids (owned).  0, 1 when one
 * is unknown (said in text), -1 on failure. */
static int select_classes(lsu_store *st, const lsu_onde *o, const lsu_sync_options *opt, char ***ids, lsu_buf *text)
{
    *ids = calloc(opt->class_count + 1, sizeof **ids);
    if (!*ids || lsu_store_exec(st, "CREATE TEMP TABLE sync_sel(id TEXT PRIMARY KEY)") != 0)
        return -1;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT id_be FROM classes WHERE libelle = ?1 OR id_be = ?1 LIMIT 1");
    if (!s)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < opt->class_count; i++) {
        const char *name = opt->classes[i], *id = NULL;
        for (size_t k = 0; !id && k < o->class_count; k++)
            if ((o->classes[k].libelle && strcmp(o->classes[k].libelle, name) == 0) ||
                (o->classes[k].id_be && strcmp(o->classes[k].id_be, name) == 0))
                id = o->classes[k].id_be;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        if (!id && sqlite3_step(s) == SQLITE_ROW)
            id = lsu_store_text(s, 0);
        if (!id) {
            lsu_buf_printf(text,
                           "Synchronisation refusée : la classe « %s » n'est ni dans l'extraction ni dans la base "
                           "élèves.\n",
                           name);
            rc = 1;
        } else if (!((*ids)[i] = strdup(id))) {
            rc = -1;
        } else {
            const char *v[] = {id};
            rc = exec_texts(st, "INSERT OR IGNORE INTO temp.sync_sel(id) VALUES (?1)", v, 1, -1, -1);
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/* Appends, per row of sql (one text column), `prefix`, the text and
 * `sep` to out (when not NULL); the number of rows, or -1. */
static long long list_rows(lsu_store *st, const char *sql, const char *prefix, const char *sep, lsu_buf *out)
{
    sqlite3_stmt *s = lsu_store_prepare(st, sql);
    if (!s)
        return -1;
    long long n = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (out)
            lsu_buf_printf(out, "%s%s%s", prefix, lsu_store_text(s, 0), sep);
        n++;
    }
    sqlite3_finalize(s);
    return step == SQLITE_DONE ? n : lsu_store_fail(st, "lecture de la base élèves impossible");
}

/* The classes that had pupils before the sync (temp.sync_pupils) and
 * have none; a pupil's name and class for a line. */
#define EMPTIED_SQL                                                                                                    \
    "c.libelle || ' (' || (SELECT count(*) || CASE count(*) WHEN 1 THEN ' élève)' ELSE ' élèves)' END FROM "       \
    "temp.sync_pupils b WHERE b.classe_id_be = c.id_be) "                                                              \
    "FROM classes c WHERE c.id_be IN (SELECT classe_id_be FROM temp.sync_pupils) AND c.id_be NOT IN (SELECT "          \
    "classe_id_be FROM pupils)"
#define NAME_SQL(P, C) P ".nom || ' ' || " P ".prenom || ' (' || IFNULL(" C ".libelle, " P ".classe_id_be)"

/* What the sync written in the transaction changed, against the
 * snapshots temp.sync_pupils and temp.sync_classes: the listing of a dry
 * run into `list` (when not NULL), and the refusal into `refusal` when it
 * removes more than half of the pupils or every pupil of a class that has
 * bilans.  n[0..2]: the pupils added, removed, moved.  1 when refused,
 * 0 when not, -1 on failure. */
static int sync_changes(lsu_store *st, lsu_buf *list, lsu_buf *refusal, long long *n)
{
    long long added = 0, moved = 0, removed, before, emptied;
    if (list) {
        if (list_rows(st,
                      "SELECT libelle FROM classes WHERE id_be NOT IN (SELECT id_be FROM temp.sync_classes) ORDER BY "
                      "libelle",
                      "  classe ajoutée : ", "\n", list) < 0 ||
            list_rows(st, "SELECT " EMPTIED_SQL " ORDER BY c.libelle", "  classe retirée (plus aucun élève) : ", "\n",
                      list) < 0)
            return -1;
        added = list_rows(st,
                          "SELECT " NAME_SQL("p", "c") " || ')' FROM pupils p LEFT JOIN classes c ON c.id_be = "
                                                       "p.classe_id_be WHERE p.ine NOT IN (SELECT ine FROM "
                                                       "temp.sync_pupils) ORDER BY c.libelle, p.nom, p.prenom",
                          "  élève ajouté : ", "\n", list);
        moved = list_rows(st,
                          "SELECT " NAME_SQL("b", "cb") " || ' → ' || IFNULL(c.libelle, p.classe_id_be) || ')' FROM "
                                                        "pupils p JOIN temp.sync_pupils b ON b.ine = p.ine LEFT JOIN "
                                                        "classes cb ON cb.id_be = b.classe_id_be LEFT JOIN classes c "
                                                        "ON c.id_be = p.classe_id_be WHERE b.classe_id_be <> "
                                                        "p.classe_id_be ORDER BY cb.libelle, b.nom, b.prenom",
                          "  élève changeant de classe : ", "\n", list);
    }
    removed = list_rows(st,
                        "SELECT " NAME_SQL("b", "c") " || ')' FROM temp.sync_pupils b LEFT JOIN classes c ON c.id_be "
                                                     "= b.classe_id_be WHERE b.ine NOT IN (SELECT ine FROM pupils) "
                                                     "ORDER BY c.libelle, b.nom, b.prenom",
                        "  élève retiré : ", "\n", list);
    before = list_rows(st, "SELECT ine FROM temp.sync_pupils", "", "", NULL);
    lsu_buf classes = {0};
    emptied = list_rows(st,
                        "SELECT " EMPTIED_SQL " AND EXISTS (SELECT 1 FROM bilans WHERE id_be = c.id_be AND "
                        "replaced_at IS NULL) ORDER BY c.libelle",
                        ", ", "", &classes);
    if (added < 0 || moved < 0 || removed < 0 || before < 0 || emptied < 0 || classes.failed) {
        lsu_buf_free(&classes);
        return -1;
    }
    n[0] = added, n[1] = removed, n[2] = moved;
    int most = 2 * removed > before, refused = most || emptied > 0;
    if (most)
        lsu_buf_printf(refusal,
                       "elle retirerait %lld des %lld élèves de la base élèves "
                       "(l'extraction ne porte-t-elle que sur quelques classes ?).\n",
                       removed, before);
    else if (refused)
        lsu_buf_printf(refusal, "elle retirerait %lld élève%s de la base élèves.\n", removed, removed > 1 ? "s" : "");
    if (emptied > 0)
        lsu_buf_printf(refusal, "Classes qui n'auraient plus aucun élève alors qu'elles ont des bilans : %s.\n",
                       classes.data + 2);
    lsu_buf_free(&classes);
    return refused;
}

/* Appends one line of the sync's report to report ("CLASSE : message", or
 * the message alone when classe is NULL) and to lines (statut: "succes",
 * "alerte", "info"); lines->failed when memory ran out. */
static void report_line(lsu_buf *report, lsu_sync_lines *lines, const char *classe, const char *statut, const char *fmt,
                        ...) __attribute__((format(printf, 5, 6)));
static void report_line(lsu_buf *report, lsu_sync_lines *lines, const char *classe, const char *statut, const char *fmt,
                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = lsu_vasprintf(fmt, ap);
    va_end(ap);
    if (!msg) {
        lines->failed = 1;
        return;
    }
    lsu_buf_printf(report, "%s%s%s\n", classe ? classe : "", classe ? " : " : "", msg);
    lsu_sync_line *v = realloc(lines->v, (lines->n + 1) * sizeof *v);
    if (!v) {
        free(msg);
        lines->failed = 1;
        return;
    }
    lines->v = v;
    v[lines->n] = (lsu_sync_line){.classe = classe ? strdup(classe) : NULL, .statut = statut, .message = msg};
    if (classe && !v[lines->n].classe)
        lines->failed = 1;
    lines->n++;
}

/* See school.h. */
void lsu_sync_lines_free(lsu_sync_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].classe), free(l->v[i].message);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* See school.h. */
int lsu_school_sync(lsu_store *st, const lsu_onde *o, const lsu_teachers *t, const lsu_sync_options *opt,
                    const char *source, lsu_buf *text)
{
    static const lsu_sync_options whole = {0};
    if (!opt)
        opt = &whole;
    size_t *updated = calloc(o->class_count + 1, sizeof *updated);
    size_t *locked = calloc(o->class_count + 1, sizeof *locked);
    unsigned char *take = calloc(o->class_count + 1, 1), *take_pupil = calloc(o->pupil_count + 1, 1);
    char **ids = NULL;
    if (!updated || !locked || !take || !take_pupil || lsu_store_begin(st) != 0) {
        free(updated), free(locked), free(take), free(take_pupil);
        return -1;
    }
    long long event = lsu_store_event(st, "sync", source, NULL);
    int rc = event < 0 ? -1 : 0;
    if (rc == 0)
        rc = lsu_store_exec(st, "CREATE TEMP TABLE sync_pupils AS SELECT ine, nom, prenom, classe_id_be FROM pupils; "
                                "CREATE TEMP TABLE sync_classes AS SELECT id_be FROM classes");
    if (rc == 0 && opt->class_count)
        rc = select_classes(st, o, opt, &ids, text);
    /* the pupils synchronised: every one, or those of the classes chosen by
     * ONDE or by the store (a pupil moved out of one stays known); and the
     * classes they are in */
    sqlite3_stmt *in_sel = rc == 0 && opt->class_count
                               ? lsu_store_prepare(st, "SELECT 1 FROM pupils WHERE ine = ?1 AND classe_id_be IN "
                                                       "(SELECT id FROM temp.sync_sel)")
                               : NULL;
    if (rc == 0 && opt->class_count && !in_sel)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < o->pupil_count; i++) {
        const lsu_onde_pupil *p = &o->pupils[i];
        take_pupil[i] = !opt->class_count || among(ids, opt->class_count, p->classe_id_be);
        if (!take_pupil[i] && p->ine && p->ine[0]) {
            sqlite3_reset(in_sel);
            sqlite3_bind_text(in_sel, 1, p->ine, -1, SQLITE_STATIC);
            take_pupil[i] = sqlite3_step(in_sel) == SQLITE_ROW;
        }
        for (size_t k = 0; take_pupil[i] && k < o->class_count; k++)
            if (strcmp(o->classes[k].id_be, p->classe_id_be) == 0)
                take[k] = 1;
    }
    sqlite3_finalize(in_sel);
    for (size_t i = 0; rc == 0 && i < o->class_count; i++) {
        const lsu_onde_class *k = &o->classes[i];
        if (opt->class_count && !take[i] && !among(ids, opt->class_count, k->id_be))
            continue;
        take[i] = 1;
        char cycle[4];
        snprintf(cycle, sizeof cycle, "%d", k->cycle);
        const char *v[] = {k->id_be, k->libelle, k->niveau ? k->niveau : "", cycle};
        rc = exec_texts(st,
                        "INSERT INTO classes(id_be, libelle, niveau, cycle, sync_id) VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT(id_be) DO UPDATE SET libelle = ?2, niveau = ?3, cycle = ?4, sync_id = ?5",
                        v, 4, event, -1);
    }
    size_t without_ine = 0;
    for (size_t i = 0; rc == 0 && i < o->pupil_count; i++) {
        const lsu_onde_pupil *p = &o->pupils[i];
        if (!take_pupil[i])
            continue;
        if (!p->ine || !p->ine[0]) {
            without_ine++; /* no key to find its bilans by */
            continue;
        }
        char cycle[4], sexe[2] = {p->sexe, 0};
        snprintf(cycle, sizeof cycle, "%d", p->cycle);
        const char *v[] = {p->ine,
                           p->nom,
                           p->nom_usage ? p->nom_usage : "",
                           p->prenom,
                           p->date_naissance ? p->date_naissance : "",
                           sexe,
                           p->niveau ? p->niveau : "",
                           cycle,
                           p->classe_id_be};
        rc =
            exec_texts(st,
                       "INSERT INTO pupils(ine, nom, nom_usage, prenom, date_naissance, sexe, niveau, cycle, "
                       "classe_id_be, sync_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(ine) DO "
                       "UPDATE SET nom = ?2, nom_usage = ?3, prenom = ?4, date_naissance = ?5, sexe = ?6, niveau = ?7, "
                       "cycle = ?8, classe_id_be = ?9, sync_id = ?10",
                       v, 9, event, -1);
    }
    long long left = 0;
    if (rc == 0) {
        /* the extraction is the roster of the school (or of the classes
         * chosen): a pupil absent from it has left (the bilans stay, with
         * their history) */
        sqlite3_stmt *s = lsu_store_prepare(st, opt->class_count ? "DELETE FROM pupils WHERE sync_id IS NOT ?1 AND "
                                                                   "classe_id_be IN (SELECT id FROM temp.sync_sel)"
                                                                 : "DELETE FROM pupils WHERE sync_id IS NOT ?1");
        if (s) {
            sqlite3_bind_int64(s, 1, event);
            rc = sqlite3_step(s) == SQLITE_DONE ? 0 : lsu_store_fail(st, "synchronisation impossible");
            left = sqlite3_changes(st->db);
        } else
            rc = -1;
        sqlite3_finalize(s);
    }
    if (rc == 0 && t) {
        rc = lsu_store_exec(st, "DELETE FROM teachers");
        for (size_t i = 0; rc == 0 && i < t->teacher_count; i++) {
            const lsu_teacher *e = &t->teachers[i];
            lsu_buf classes = {0};
            for (size_t j = 0; j < e->class_count; j++) {
                lsu_buf_puts(&classes, j ? "," : "");
                lsu_buf_puts(&classes, e->classes[j]);
            }
            const char *v[] = {e->civilite, e->nom, e->prenom, classes.data ? classes.data : ""};
            rc =
                exec_texts(st,
                           "INSERT INTO teachers(civilite, nom, prenom, classes, event_id) VALUES (?1, ?2, ?3, ?4, ?5) "
                           "ON CONFLICT(civilite, nom, prenom) DO UPDATE SET classes = ?4, event_id = ?5",
                           v, 4, event, -1);
            lsu_buf_free(&classes);
        }
    }
    lsu_buf list = {0}, refusal = {0};
    lsu_buf bilans = {0};
    if (rc == 0)
        rc = sync_bilans(st, o, event, updated, locked, opt->dry_run ? &bilans : NULL);
    /* refused: the guard stands (no --force); keep: the sync committed */
    int refused = 0;
    long long changed[3] = {0};
    if (rc == 0 && (refused = sync_changes(st, opt->dry_run ? &list : NULL, &refusal, changed)) < 0)
        rc = -1;
    if (rc == 0 && opt->dry_run) {
        size_t b = 0;
        for (size_t i = 0; i < o->class_count; i++)
            b += updated[i];
        lsu_buf_puts(&list, bilans.data ? bilans.data : "");
        lsu_buf_printf(&list,
                       "  total : %lld élève%s ajouté%s, %lld retiré%s, %lld changeant de classe ; %zu bilan%s mis "
                       "à jour\n",
                       changed[0], changed[0] > 1 ? "s" : "", changed[0] > 1 ? "s" : "", changed[1],
                       changed[1] > 1 ? "s" : "", changed[2], b, b > 1 ? "s" : "");
    }
    lsu_buf_free(&bilans);
    refused = rc == 0 && refused && !opt->force;
    int keep = rc == 0 && !refused && !opt->dry_run;
    lsu_buf report = {0};
    lsu_sync_lines lines = {0};
    if (rc == 0) {
        lsu_buf_puts(&report, "Synchronisation lancée pour : ");
        for (size_t i = 0, n = 0; i < o->class_count; i++)
            if (take[i])
                lsu_buf_printf(&report, "%s%s", n++ ? ", " : "", o->classes[i].libelle);
        lsu_buf_puts(&report, o->class_count ? "\n" : "aucune classe\n");
        /* the effective settings; a new class takes the defaults */
        sqlite3_stmt *s = lsu_store_prepare(
            st, "SELECT periodicity_id IS NULL, import_mode IS NULL, id_be NOT IN (SELECT id_be FROM "
                "temp.sync_classes), import_mode, import_mode_from, (SELECT name FROM periodicities WHERE id = "
                "periodicity_id), periodicity_from FROM class_settings WHERE id_be = ?");
        for (size_t i = 0; s && i < o->class_count; i++) {
            const lsu_onde_class *k = &o->classes[i];
            if (!take[i])
                continue;
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, k->id_be, -1, SQLITE_STATIC);
            int row = sqlite3_step(s) == SQLITE_ROW;
            if (row && sqlite3_column_int(s, 2) && (!sqlite3_column_int(s, 0) || !sqlite3_column_int(s, 1))) {
                lsu_buf msg = {0};
                lsu_buf_puts(&msg, "nouvelle classe, paramétrage par défaut appliqué :");
                if (!sqlite3_column_int(s, 1))
                    lsu_buf_printf(&msg, " %s (%s)%s",
                                   strcmp(lsu_store_text(s, 3), "logiciel") == 0 ? "import logiciel"
                                                                                 : "saisie manuelle",
                                   lsu_store_text(s, 4), sqlite3_column_int(s, 0) ? "" : ",");
                if (!sqlite3_column_int(s, 0))
                    lsu_buf_printf(&msg, " périodicité « %s » (%s)", lsu_store_text(s, 5), lsu_store_text(s, 6));
                lsu_buf_puts(&msg, ".");
                report_line(&report, &lines, k->libelle, "info", "%s", msg.data ? msg.data : "");
                lsu_buf_free(&msg);
            }
            if (row && sqlite3_column_int(s, 0))
                report_line(&report, &lines, k->libelle, "alerte",
                            "Aucune période n'est paramétrée pour la division %s.", k->libelle);
            if (row && sqlite3_column_int(s, 1))
                report_line(&report, &lines, k->libelle, "alerte",
                            "Aucun mode d'import n'est paramétré pour la division %s.", k->libelle);
            report_line(&report, &lines, k->libelle, "succes",
                        "La synchronisation s'est déroulée avec succès (%zu élève%s, %zu bilan%s mis à jour, "
                        "%zu bilan%s verrouillé%s non modifié%s).",
                        k->pupils, k->pupils > 1 ? "s" : "", updated[i], updated[i] > 1 ? "s" : "", locked[i],
                        locked[i] > 1 ? "s" : "", locked[i] > 1 ? "s" : "", locked[i] > 1 ? "s" : "");
        }
        sqlite3_finalize(s);
        if (without_ine)
            report_line(&report, &lines, NULL, "alerte",
                        "%zu élève%s sans INE dans l'extraction : ses bilans ne pourront pas être importés.",
                        without_ine, without_ine > 1 ? "s" : "");
        if (left)
            report_line(&report, &lines, NULL, "info",
                        "%lld élève%s de la base ne figure%s plus dans l'extraction : retiré%s de la base "
                        "élèves (ses bilans restent).",
                        left, left > 1 ? "s" : "", left > 1 ? "nt" : "", left > 1 ? "s" : "");
        if (t)
            report_line(&report, &lines, NULL, "succes", "%zu enseignant%s chargé%s.", t->teacher_count,
                        t->teacher_count > 1 ? "s" : "", t->teacher_count > 1 ? "s" : "");
        const char *v[] = {report.data ? report.data : ""};
        rc = lines.failed ? -1 : exec_texts(st, "UPDATE events SET summary = ?1 WHERE id = ?2", v, 1, event, -1);
    }
    if (rc == 0 && keep)
        rc = lsu_store_exec(st, "DROP TABLE temp.sync_pupils; DROP TABLE temp.sync_classes; "
                                "DROP TABLE IF EXISTS temp.sync_sel");
    if (rc == 0 && keep)
        rc = lsu_store_commit(st);
    else
        lsu_store_rollback(st); /* a failure, a refusal or a dry run: nothing written */
    if (rc == 0 && opt->dry_run) {
        lsu_buf_puts(text, "Simulation : rien n'est enregistré ; la synchronisation de ");
        for (size_t i = 0, n = 0; i < o->class_count; i++)
            if (take[i])
                lsu_buf_printf(text, "%s%s", n++ ? ", " : "", o->classes[i].libelle);
        lsu_buf_printf(text, "%s ferait :\n%s", o->class_count ? "" : "aucune classe", list.data ? list.data : "");
    }
    if (rc == 0 && refused)
        lsu_buf_printf(text, "%s%s",
                       opt->dry_run ? "Sans --force, la synchronisation serait refusée : "
                                    : "Synchronisation refusée : ",
                       refusal.data);
    else if (rc == 0 && keep && report.data)
        lsu_buf_puts(text, report.data);
    if (rc == 0 && keep && opt->lines)
        *opt->lines = lines;
    else
        lsu_sync_lines_free(&lines);
    lsu_buf_free(&report), lsu_buf_free(&list), lsu_buf_free(&refusal);
    for (size_t i = 0; ids && i < opt->class_count; i++)
        free(ids[i]);
    free(ids), free(updated), free(locked), free(take), free(take_pupil);
    return rc < 0 ? -1 : rc > 0 ? 2 : refused && !opt->dry_run ? 1 : 0;
}
