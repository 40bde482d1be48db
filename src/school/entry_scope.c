/* The teachers' entry, where it goes: a class and a period of its
 * periodicity (lsu_entry_scope_open), the class's roster with its current
 * bilans, its collective entries and the people its bilans sign with (see
 * entry.h and entry_int.h). */
#include "base/text.h"
#include "school/entry_int.h"
#include "school/identity.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const entry_parcours_codes[3] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};

/* See entry_int.h. */
int entry_parcours_index(const char *code)
{
    for (int i = 0; code && i < 3; i++)
        if (strcmp(code, entry_parcours_codes[i]) == 0)
            return i;
    return -1;
}

/* See entry.h. */
void lsu_entry_scope_free(lsu_entry_scope *sc)
{
    free(sc->id_be), free(sc->classe), free(sc->niveau), free(sc->periode);
    free(sc->date_debut), free(sc->date_fin), free(sc->import_mode);
    memset(sc, 0, sizeof *sc);
}

/* Does `arg` name period i (from 1) of n labelled `libelle`: its number,
 * its label or the format's name of it ("Trimestre 1"), letter case
 * aside? */
static int names_period(const char *arg, long i, long n, const char *libelle)
{
    char *end = NULL;
    long k = strtol(arg, &end, 10);
    if (end != arg && *end == '\0')
        return k == i;
    char name[64], si[24], sn[24];
    snprintf(si, sizeof si, "%ld", i);
    snprintf(sn, sizeof sn, "%ld", n);
    lsu_period_name(si, sn, name, sizeof name);
    lsu_buf a = {0}, b = {0}, c = {0};
    lsu_fold_case(arg, &a), lsu_fold_case(libelle, &b), lsu_fold_case(name, &c);
    int yes = a.data && b.data && c.data && (strcmp(a.data, b.data) == 0 || strcmp(a.data, c.data) == 0);
    lsu_buf_free(&a), lsu_buf_free(&b), lsu_buf_free(&c);
    return yes;
}

/* See entry.h. */
int lsu_entry_scope_open(lsu_store *st, const char *classe, const char *period, lsu_entry_scope *sc, lsu_buf *why)
{
    memset(sc, 0, sizeof *sc);
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT c.id_be, c.libelle, c.niveau, c.cycle, coalesce(s.periodicity_id, 0), coalesce(p.name, ''), "
            "coalesce(p.millesime, 0), coalesce(s.import_mode, '') FROM classes c JOIN class_settings s ON s.id_be = "
            "c.id_be LEFT JOIN "
            "periodicities p ON p.id = s.periodicity_id WHERE c.id_be = ?1 OR c.libelle = ?1 "
            "ORDER BY c.id_be = ?1 DESC, c.id_be LIMIT 1");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, classe ? classe : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return lsu_store_fail(st, "lecture des classes impossible");
        lsu_buf_printf(why, "classe inconnue : « %s » (les classes viennent de la base élèves : %s)",
                       classe ? classe : "", lsu_remedy_words(LSU_REMEDY_SYNC));
        lsu_remedy_set(&sc->remedy, LSU_REMEDY_SYNC, st->uai, NULL, NULL);
        return 2;
    }
    long long periodicity = sqlite3_column_int64(s, 4);
    char pname[128];
    snprintf(pname, sizeof pname, "%s", lsu_store_text(s, 5));
    sc->millesime = sqlite3_column_int(s, 6);
    sc->cycle = sqlite3_column_int(s, 3);
    int failed = lsu_store_dup(s, 0, &sc->id_be) | lsu_store_dup(s, 1, &sc->classe) | lsu_store_dup(s, 2, &sc->niveau) |
                 lsu_store_dup(s, 7, &sc->import_mode);
    sqlite3_finalize(s);
    if (failed || !sc->id_be || !sc->classe || !sc->niveau || !sc->import_mode) {
        lsu_entry_scope_free(sc);
        return lsu_store_fail(st, "mémoire insuffisante");
    }
    if (!periodicity) {
        lsu_buf_printf(why, "la classe %s n'a pas de périodicité : %s", sc->classe,
                       lsu_remedy_words(LSU_REMEDY_PERIODS));
        lsu_remedy r;
        lsu_remedy_set(&r, LSU_REMEDY_PERIODS, st->uai, sc->classe, NULL);
        lsu_entry_scope_free(sc);
        sc->remedy = r;
        return 2;
    }
    s = lsu_store_prepare(st, "SELECT indice, libelle, date_debut, date_fin, (SELECT count(*) FROM periods WHERE "
                              "periodicity_id = ?1) FROM periods WHERE periodicity_id = ?1 ORDER BY indice");
    if (!s) {
        lsu_entry_scope_free(sc);
        return -1;
    }
    sqlite3_bind_int64(s, 1, periodicity);
    long i = 0, n = 0;
    int found = 0;
    while (!found && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        i++;
        n = sqlite3_column_int(s, 4);
        if (!names_period(period ? period : "", i, n, lsu_store_text(s, 1)))
            continue;
        found = 1;
        failed = lsu_store_dup(s, 1, &sc->periode) | lsu_store_dup(s, 2, &sc->date_debut) |
                 lsu_store_dup(s, 3, &sc->date_fin);
        sc->indice = (int)i;
        sc->nb = (int)n;
    }
    sqlite3_finalize(s);
    if (!found && rc != SQLITE_DONE) {
        lsu_entry_scope_free(sc);
        return lsu_store_fail(st, "lecture des périodes impossible");
    }
    if (!found) {
        const char *p = period ? period : "";
        char *end = NULL;
        (void)strtol(p, &end, 10);
        int number = end != p && *end == '\0';
        lsu_buf_printf(why, "pas de période %s%s%s pour la classe %s (périodicité « %s » : %ld période%s)",
                       number ? "" : "« ", p, number ? "" : " »", sc->classe, pname, n, n > 1 ? "s" : "");
        lsu_entry_scope_free(sc);
        return 2;
    }
    if (failed || !sc->periode || !sc->date_debut || !sc->date_fin) {
        lsu_entry_scope_free(sc);
        return lsu_store_fail(st, "mémoire insuffisante");
    }
    snprintf(sc->bkey, sizeof sc->bkey, "P:%d:%d/%d", sc->millesime, sc->indice, sc->nb);
    return 0;
}

/* See entry_int.h. */
void entry_roster_free(entry_pupil *p, size_t n)
{
    for (size_t i = 0; p && i < n; i++) {
        free(p[i].ine), free(p[i].nom), free(p[i].prenom);
        free(p[i].xml), free(p[i].locked_at), free(p[i].bilan_classe);
    }
    free(p);
}

/* See entry_int.h. */
int entry_roster_read(lsu_store *st, const lsu_entry_scope *sc, entry_pupil **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT p.ine, p.nom, p.prenom, p.cycle, b.id, b.xml, b.locked_at, b.classe, b.event_id FROM pupils p "
            "LEFT JOIN bilans b ON b.ine = p.ine AND b.bkey = ?2 AND b.replaced_at IS NULL "
            "WHERE p.classe_id_be = ?1 AND p.ine <> '' ORDER BY p.nom, p.prenom, p.ine");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, sc->id_be, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sc->bkey, -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc = SQLITE_DONE, failed = 0;
    while (!failed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (school_grow((void **)out, *n, &cap, sizeof **out) != 0) {
            failed = 1;
            break;
        }
        entry_pupil *p = &(*out)[(*n)++];
        memset(p, 0, sizeof *p);
        failed = lsu_store_dup(s, 0, &p->ine) | lsu_store_dup(s, 1, &p->nom) | lsu_store_dup(s, 2, &p->prenom) |
                 lsu_store_dup(s, 5, &p->xml) | lsu_store_dup(s, 6, &p->locked_at) |
                 lsu_store_dup(s, 7, &p->bilan_classe);
        p->cycle = sqlite3_column_int(s, 3) ? sqlite3_column_int(s, 3) : sc->cycle;
        p->bilan_id = sqlite3_column_int64(s, 4);
        p->bilan_event = sqlite3_column_int64(s, 8);
    }
    sqlite3_finalize(s);
    if (failed || rc != SQLITE_DONE) {
        entry_roster_free(*out, *n);
        *out = NULL;
        *n = 0;
        return lsu_store_fail(st, "lecture des élèves de la classe impossible");
    }
    return 0;
}

/* See entry_int.h. */
void entry_elements_free(lsu_entry_element *e, size_t n)
{
    for (size_t i = 0; e && i < n; i++)
        free(e[i].domain), free(e[i].libelle);
    free(e);
}

/* See entry_int.h. */
int entry_class_read(lsu_store *st, const lsu_entry_scope *sc, lsu_entry_element **out, size_t *n, char *parcours[3])
{
    *out = NULL;
    *n = 0;
    for (int i = 0; i < 3; i++)
        parcours[i] = NULL;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT domain, libelle FROM class_elements WHERE id_be = ? AND bkey = ? "
                                            "ORDER BY domain, position");
    sqlite3_stmt *q = lsu_store_prepare(st, "SELECT code, projet FROM class_parcours WHERE id_be = ? AND bkey = ?");
    if (!s || !q) {
        sqlite3_finalize(s), sqlite3_finalize(q);
        return -1;
    }
    sqlite3_stmt *both[] = {s, q};
    for (int k = 0; k < 2; k++) {
        sqlite3_bind_text(both[k], 1, sc->id_be, -1, SQLITE_STATIC);
        sqlite3_bind_text(both[k], 2, sc->bkey, -1, SQLITE_STATIC);
    }
    size_t cap = 0;
    int rc = SQLITE_DONE, failed = 0;
    while (!failed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (school_grow((void **)out, *n, &cap, sizeof **out) != 0) {
            failed = 1;
            break;
        }
        lsu_entry_element *e = &(*out)[(*n)++];
        memset(e, 0, sizeof *e);
        failed = lsu_store_dup(s, 0, &e->domain) | lsu_store_dup(s, 1, &e->libelle);
    }
    failed |= rc != SQLITE_DONE;
    while (!failed && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int i = entry_parcours_index(lsu_store_text(q, 0));
        if (i >= 0 && !parcours[i])
            failed = lsu_store_dup(q, 1, &parcours[i]);
    }
    failed |= rc != SQLITE_DONE;
    sqlite3_finalize(s), sqlite3_finalize(q);
    if (failed) {
        entry_elements_free(*out, *n);
        *out = NULL;
        *n = 0;
        for (int i = 0; i < 3; i++) {
            free(parcours[i]);
            parcours[i] = NULL;
        }
        return lsu_store_fail(st, "lecture des saisies de la classe impossible");
    }
    return 0;
}

/* See entry_int.h. */
void entry_signers_free(entry_signers *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->civilite[i]), free(s->nom[i]), free(s->prenom[i]);
    free(s->civilite), free(s->nom), free(s->prenom);
    free(s->dir_civilite), free(s->dir_nom), free(s->dir_prenom);
    memset(s, 0, sizeof *s);
}

/* Does the teachers' list of classes `classes` ("CP A,740052") name the
 * class of sc (label, letter case aside, or ONDE id)? */
static int names_class(const char *classes, const lsu_entry_scope *sc)
{
    for (const char *p = classes; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if ((len == strlen(sc->classe) && strncasecmp(p, sc->classe, len) == 0) ||
            (len == strlen(sc->id_be) && strncmp(p, sc->id_be, len) == 0))
            return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

/* See entry_int.h. */
int entry_signers_read(lsu_store *st, const lsu_entry_scope *sc, entry_signers *s)
{
    memset(s, 0, sizeof *s);
    lsu_school_identity id;
    if (lsu_school_identity_read(st, &id) != 0)
        return -1;
    s->has_directeur = lsu_school_identity_has_directeur(&id);
    s->dir_civilite = strdup(id.directeur_civilite);
    s->dir_nom = strdup(id.directeur_nom);
    s->dir_prenom = strdup(id.directeur_prenom);
    lsu_school_identity_free(&id);
    sqlite3_stmt *q = lsu_store_prepare(st, "SELECT civilite, nom, prenom, classes FROM teachers ORDER BY nom, prenom, "
                                            "civilite");
    int failed = !s->dir_civilite || !s->dir_nom || !s->dir_prenom || !q, rc = SQLITE_DONE;
    size_t cap = 0;
    while (!failed && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (!names_class(lsu_store_text(q, 3), sc))
            continue;
        if (s->n == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            char **c = realloc(s->civilite, ncap * sizeof *c);
            if (c)
                s->civilite = c;
            char **no = c ? realloc(s->nom, ncap * sizeof *no) : NULL;
            if (no)
                s->nom = no;
            char **pr = no ? realloc(s->prenom, ncap * sizeof *pr) : NULL;
            if (!pr) {
                failed = 1;
                break;
            }
            s->prenom = pr;
            cap = ncap;
        }
        const char *civ = lsu_store_text(q, 0);
        s->civilite[s->n] = strdup(strcmp(civ, "M.") == 0 || strcmp(civ, "M") == 0 ? "M" : "MME");
        s->nom[s->n] = strdup(lsu_store_text(q, 1));
        s->prenom[s->n] = strdup(lsu_store_text(q, 2));
        failed = !s->civilite[s->n] || !s->nom[s->n] || !s->prenom[s->n];
        s->n++;
    }
    sqlite3_finalize(q);
    if (failed || rc != SQLITE_DONE) {
        entry_signers_free(s);
        return lsu_store_fail(st, "lecture des enseignants impossible");
    }
    return 0;
}
