/* lsu sync: the ONDE extraction (and the teachers) loaded into the store,
 * and the administrative data of the unlocked bilans brought up to date
 * (see school.h). */
#include "base/text.h"
#include "school/school_int.h"

#include <libxml/parser.h>
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
 * ONDE's values for what changed.  Counts per class into `updated` /
 * `locked` (by class id, ONDE order). */
static int sync_bilans(lsu_store *st, const lsu_onde *o, long long event, size_t *updated, size_t *locked)
{
    char now[21];
    lsu_store_now(now);
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT b.id, b.xml, p.nom, p.prenom, c.libelle, c.id_be, c.niveau, b.locked_at IS NOT NULL "
            "FROM bilans b JOIN pupils p ON p.ine = b.ine JOIN classes c ON c.id_be = p.classe_id_be "
            "WHERE b.replaced_at IS NULL AND (b.nom <> p.nom OR b.prenom <> p.prenom OR b.id_be <> p.classe_id_be "
            "OR b.classe <> c.libelle) ORDER BY b.id");
    if (!s)
        return -1;
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

/* See school.h. */
int lsu_school_sync(lsu_store *st, const lsu_onde *o, const lsu_teachers *t, const char *source, lsu_buf *text)
{
    size_t *updated = calloc(o->class_count + 1, sizeof *updated);
    size_t *locked = calloc(o->class_count + 1, sizeof *locked);
    if (!updated || !locked || lsu_store_begin(st) != 0) {
        free(updated), free(locked);
        return -1;
    }
    long long event = lsu_store_event(st, "sync", source, NULL);
    int rc = event < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < o->class_count; i++) {
        const lsu_onde_class *k = &o->classes[i];
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
        /* the extraction is the school's roster: a pupil absent from it has
         * left (the bilans stay, with their history) */
        sqlite3_stmt *s = lsu_store_prepare(st, "DELETE FROM pupils WHERE sync_id IS NOT ?");
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
    if (rc == 0)
        rc = sync_bilans(st, o, event, updated, locked);
    lsu_buf report = {0};
    if (rc == 0) {
        lsu_buf_puts(&report, "Synchronisation lancée pour : ");
        for (size_t i = 0; i < o->class_count; i++)
            lsu_buf_printf(&report, "%s%s", i ? ", " : "", o->classes[i].libelle);
        lsu_buf_puts(&report, o->class_count ? "\n" : "aucune classe\n");
        sqlite3_stmt *s = lsu_store_prepare(st, "SELECT periodicity_id IS NULL FROM classes WHERE id_be = ?");
        for (size_t i = 0; s && i < o->class_count; i++) {
            const lsu_onde_class *k = &o->classes[i];
            sqlite3_reset(s);
            sqlite3_bind_text(s, 1, k->id_be, -1, SQLITE_STATIC);
            if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0))
                lsu_buf_printf(&report, "%s : Aucune période n'est paramétrée pour la division %s.\n", k->libelle,
                               k->libelle);
            lsu_buf_printf(&report,
                           "%s : La synchronisation s'est déroulée avec succès (%zu élève%s, %zu bilan%s mis à jour, "
                           "%zu bilan%s verrouillé%s non modifié%s).\n",
                           k->libelle, k->pupils, k->pupils > 1 ? "s" : "", updated[i], updated[i] > 1 ? "s" : "",
                           locked[i], locked[i] > 1 ? "s" : "", locked[i] > 1 ? "s" : "", locked[i] > 1 ? "s" : "");
        }
        sqlite3_finalize(s);
        if (without_ine)
            lsu_buf_printf(&report,
                           "%zu élève%s sans INE dans l'extraction : ses bilans ne pourront pas être importés.\n",
                           without_ine, without_ine > 1 ? "s" : "");
        if (left)
            lsu_buf_printf(&report,
                           "%lld élève%s de la base ne figure%s plus dans l'extraction : retiré%s de la base "
                           "élèves (ses bilans restent).\n",
                           left, left > 1 ? "s" : "", left > 1 ? "nt" : "", left > 1 ? "s" : "");
        if (t)
            lsu_buf_printf(&report, "%zu enseignant%s chargé%s.\n", t->teacher_count, t->teacher_count > 1 ? "s" : "",
                           t->teacher_count > 1 ? "s" : "");
        const char *v[] = {report.data ? report.data : ""};
        rc = exec_texts(st, "UPDATE events SET summary = ?1 WHERE id = ?2", v, 1, event, -1);
    }
    if (rc == 0)
        rc = lsu_store_commit(st);
    else
        lsu_store_rollback(st);
    if (rc == 0 && report.data)
        lsu_buf_puts(text, report.data);
    lsu_buf_free(&report);
    free(updated), free(locked);
    return rc;
}
