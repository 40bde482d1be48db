/* `lsu import`'s rules that need the school's store (the PAR codes): the
 * class's import mode and periodicity, the pupil against ONDE, the
 * teachers, the locked bilans (refused when the file changes them); and
 * the hook that opens the store for them (see school.h). */
#include "base/text.h"
#include "import/nomenclature.h"
#include "school/periods.h"
#include "school/school_int.h"

#include <stdlib.h>
#include <string.h>

/* Civilité as the file writes it (M, MME) from the teachers' CSV's form. */
static const char *civilite_code(const char *c)
{
    return (strcmp(c, "M.") == 0 || strcmp(c, "M") == 0) ? "M" : "MME";
}

/* "CIV|NOM" with the name's sort key (case and accents ignored): how LSU
 * matches teachers (civilité and nom only).  Caller frees. */
static char *teacher_key(const char *civilite, const char *nom)
{
    lsu_buf b = {0};
    lsu_buf_puts(&b, civilite_code(civilite));
    lsu_buf_puts(&b, "|");
    lsu_sort_key(nom, &b);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* Loads the known teachers' keys into a hash (value unused); NULL when none. */
static xmlHashTablePtr load_teachers(lsu_store *st)
{
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT civilite, nom FROM teachers");
    xmlHashTablePtr h = NULL;
    while (s && sqlite3_step(s) == SQLITE_ROW) {
        if (!h)
            h = xmlHashCreate(32);
        char *k = teacher_key(lsu_store_text(s, 0), lsu_store_text(s, 1));
        if (h && k)
            xmlHashAddEntry(h, BAD_CAST k, (void *)1);
        free(k);
    }
    sqlite3_finalize(s);
    return h;
}

/* The school settings of one class, read once per class and file. */
typedef struct {
    int found;
    char libelle[128];
    char mode[16];
    long long periodicity; /* 0: none */
    char periodicity_name[128];
    int millesime;
    size_t nperiods;
    char debut[LSU_MAX_PERIODS][11], fin[LSU_MAX_PERIODS][11];
    int first_reported; /* Classe non trouvée already reported */
} class_settings;

/* Reads the settings of class id_be into cs. */
static void read_class(lsu_store *st, const char *id_be, class_settings *cs)
{
    memset(cs, 0, sizeof *cs);
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT c.libelle, coalesce(c.import_mode, ''), coalesce(p.id, 0), "
                                            "coalesce(p.name, ''), coalesce(p.millesime, 0) FROM class_settings c "
                                            "LEFT JOIN periodicities p ON p.id = c.periodicity_id WHERE c.id_be = ?");
    if (!s)
        return;
    sqlite3_bind_text(s, 1, id_be, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        cs->found = 1;
        snprintf(cs->libelle, sizeof cs->libelle, "%s", lsu_store_text(s, 0));
        snprintf(cs->mode, sizeof cs->mode, "%s", lsu_store_text(s, 1));
        cs->periodicity = sqlite3_column_int64(s, 2);
        snprintf(cs->periodicity_name, sizeof cs->periodicity_name, "%s", lsu_store_text(s, 3));
        cs->millesime = sqlite3_column_int(s, 4);
    }
    sqlite3_finalize(s);
    if (!cs->periodicity)
        return;
    s = lsu_store_prepare(st, "SELECT date_debut, date_fin FROM periods WHERE periodicity_id = ? ORDER BY indice");
    if (!s)
        return;
    sqlite3_bind_int64(s, 1, cs->periodicity);
    while (sqlite3_step(s) == SQLITE_ROW && cs->nperiods < LSU_MAX_PERIODS) {
        snprintf(cs->debut[cs->nperiods], 11, "%s", lsu_store_text(s, 0));
        snprintf(cs->fin[cs->nperiods], 11, "%s", lsu_store_text(s, 1));
        cs->nperiods++;
    }
    sqlite3_finalize(s);
}

/* Dates périodes incohérentes: the bilan's period against the class's
 * periodicity; appends why to `why` and returns 1 when they differ. */
static int period_mismatch(xmlNodePtr b, const class_settings *cs, lsu_buf *why)
{
    long indice = strtol(lsu_attr_or_empty(b, "indice"), NULL, 10),
         nb = strtol(lsu_attr_or_empty(b, "nb-periodes"), NULL, 10);
    char d1[11], f1[11];
    if (nb != (long)cs->nperiods || strtol(lsu_attr_or_empty(b, "millesime"), NULL, 10) != cs->millesime) {
        lsu_buf_printf(why,
                       "la classe %s est paramétrée en « %s » (%zu période%s, année %d-%d) ; le bilan porte la "
                       "période %s/%s de l'année %s",
                       cs->libelle, cs->periodicity_name, cs->nperiods, cs->nperiods > 1 ? "s" : "", cs->millesime,
                       cs->millesime + 1, lsu_attr_or_empty(b, "indice"), lsu_attr_or_empty(b, "nb-periodes"),
                       lsu_attr_or_empty(b, "annee"));
        return 1;
    }
    if (indice < 1 || indice > nb)
        return 0; /* REG014 already rejects it */
    const char *debut = cs->debut[indice - 1], *fin = cs->fin[indice - 1];
    if (strcmp(debut, lsu_attr_or_empty(b, "date-debut")) == 0 && strcmp(fin, lsu_attr_or_empty(b, "date-fin")) == 0)
        return 0;
    char d2[11], f2[11];
    lsu_date_fr_from_iso(debut, d1), lsu_date_fr_from_iso(fin, f1),
        lsu_date_fr_from_iso(lsu_attr_or_empty(b, "date-debut"), d2),
        lsu_date_fr_from_iso(lsu_attr_or_empty(b, "date-fin"), f2);
    lsu_buf_printf(why, "la période %ld/%ld de la classe %s (« %s ») va du %s au %s ; celle du bilan du %s au %s",
                   indice, nb, cs->libelle, cs->periodicity_name, d1, f1, d2, f2);
    return 1;
}

/* Does bilan b of the file hold the content of saved form `stored`
 * (school_bilan_same)?  A re-import of a locked bilan that changes
 * nothing is not refused.  Sets *rc to -1 when memory ran out. */
static int same_as_stored(xmlNodePtr b, xmlHashTablePtr element_labels, const char *stored, int *rc)
{
    char *xml = school_bilan_xml(b, element_labels);
    if (!xml)
        *rc = -1;
    int same = xml && school_bilan_same(stored, xml);
    free(xml);
    return same;
}

/* Runs the settings rules on every bilan of the normalised tree. */
static int check_settings(lsu_import_ctx *c, lsu_file *f)
{
    lsu_store *st = &c->store;
    xmlNodePtr root = xmlDocGetRootElement(f->norm);
    xmlHashTablePtr classes = xmlHashCreate(16), pupils_seen = xmlHashCreate(64);
    xmlHashTablePtr teachers = load_teachers(st);
    sqlite3_stmt *pupil = lsu_store_prepare(st, "SELECT p.classe_id_be, coalesce(c.libelle, '') FROM pupils p LEFT "
                                                "JOIN classes c ON c.id_be = p.classe_id_be WHERE p.ine = ?");
    sqlite3_stmt *locked =
        lsu_store_prepare(st, "SELECT locked_at, xml FROM bilans WHERE ine = ? AND bkey = ? AND replaced_at IS "
                              "NULL AND locked_at IS NOT NULL");
    xmlHashTablePtr element_labels = NULL;
    int labels_read = 0;
    int rc = 0;
    if (!classes || !pupils_seen || !pupil || !locked) {
        rc = -1;
        goto done;
    }
    for (xmlNodePtr list = root ? root->children : NULL; list; list = list->next) {
        if (list->type != XML_ELEMENT_NODE)
            continue;
        int cycle = strcmp((const char *)list->name, "bilans-cycle") == 0;
        if (!cycle && strcmp((const char *)list->name, "bilans-periodiques") != 0)
            continue;
        for (xmlNodePtr b = list->children; b; b = b->next) {
            if (b->type != XML_ELEMENT_NODE)
                continue;
            lsu_bilan *bilan = lsu_index_bilan(&f->index, cycle ? BILAN_CYCLE : BILAN_PERIODIQUE,
                                               strtol(lsu_attr_or_empty(b, "index"), NULL, 10));
            if (!bilan)
                continue;
            lsu_subject subj;
            lsu_subject_for_bilan(bilan, &subj);
            long line = strtol(lsu_attr_or_empty(b, "ligne"), NULL, 10);
            const char *id_be = lsu_attr_or_empty(b, "id-be"), *label = lsu_attr_or_empty(b, "classe");
            char period[160];
            school_bilan_period_label(b, period, sizeof period);
            class_settings *cs = xmlHashLookup(classes, BAD_CAST id_be);
            if (!cs) {
                cs = malloc(sizeof *cs);
                if (!cs || xmlHashAddEntry(classes, BAD_CAST id_be, cs) != 0) {
                    free(cs);
                    rc = -1;
                    goto done;
                }
                read_class(st, id_be, cs);
            }
            if (!cs->found) {
                /* Classe non trouvée, once per class; each bilan of the
                 * class is then rejected by the cascade "Périodes non
                 * paramétrées", reported as such. */
                if (!cs->first_reported) {
                    cs->first_reported = 1;
                    lsu_diag_add(&f->diags, DIAG_PAR002, line, &subj,
                                 "La classe %s (identifiant ONDE %s) n'existe pas dans la base élèves de l'école : "
                                 "aucun de ses bilans n'est importé.",
                                 label, id_be);
                } else {
                    lsu_diag_add(&f->diags, DIAG_PAR003, line, &subj,
                                 "Périodes non paramétrées : conséquence de « Classe non trouvée » (PAR002) pour la "
                                 "classe %s ; le bilan de l'élève %s pour la période %s ne sera pas importé.",
                                 label, bilan->eleve ? bilan->eleve : "?", period);
                }
                continue;
            }
            if (strcmp(cs->mode, "logiciel") != 0) {
                if (cs->mode[0])
                    lsu_diag_add(&f->diags, DIAG_PAR001, line, &subj,
                                 "La classe %s est paramétrée en saisie manuelle. Le bilan de l'élève %s (%s) pour la "
                                 "période %s ne sera pas importé.",
                                 cs->libelle, bilan->eleve ? bilan->eleve : "?", cs->libelle, period);
                else
                    lsu_diag_add(&f->diags, DIAG_PAR001, line, &subj,
                                 "Aucun mode d'import n'est paramétré pour la classe %s (saisie manuelle ou import "
                                 "logiciel). Le bilan de l'élève %s pour la période %s ne sera pas importé.",
                                 cs->libelle, bilan->eleve ? bilan->eleve : "?", period);
            }
            if (!cycle && !cs->periodicity) {
                lsu_diag_add(
                    &f->diags, DIAG_PAR003, line, &subj,
                    "Aucune période n'est paramétrée pour la classe %s. Le bilan de l'élève %s pour la période "
                    "%s ne sera pas importé.",
                    cs->libelle, bilan->eleve ? bilan->eleve : "?", period);
            } else if (!cycle) {
                lsu_buf why = {0};
                if (period_mismatch(b, cs, &why))
                    lsu_diag_add(&f->diags, DIAG_PAR004, line, &subj, "Dates périodes incohérentes : %s.",
                                 why.data ? why.data : "");
                lsu_buf_free(&why);
            }
            /* the pupil against ONDE, once per pupil */
            const char *ine = lsu_attr_or_empty(b, "ine");
            if (ine[0] && !xmlHashLookup(pupils_seen, BAD_CAST ine)) {
                xmlHashAddEntry(pupils_seen, BAD_CAST ine, (void *)1);
                sqlite3_reset(pupil);
                sqlite3_bind_text(pupil, 1, ine, -1, SQLITE_TRANSIENT);
                if (sqlite3_step(pupil) != SQLITE_ROW) {
                    lsu_subject ps = subj;
                    ps.scope = SCOPE_ELEVE;
                    ps.eleve_id = bilan->eleve_id;
                    ps.periode = NULL;
                    lsu_diag_add(
                        &f->diags, DIAG_PAR006, line, &ps,
                        "L'INE %s de l'élève %s est inconnu de la base élèves de l'école : aucun de ses bilans "
                        "n'est importé.",
                        ine, bilan->eleve ? bilan->eleve : "?");
                } else if (strcmp(lsu_store_text(pupil, 0), id_be) != 0) {
                    lsu_diag_add(&f->diags, DIAG_PAR007, line, &subj,
                                 "Le fichier place l'élève %s dans la classe %s (%s) ; la base élèves le place dans la "
                                 "classe %s (%s).",
                                 bilan->eleve ? bilan->eleve : "?", label, id_be,
                                 lsu_store_text(pupil, 1)[0] ? lsu_store_text(pupil, 1) : "?",
                                 lsu_store_text(pupil, 0));
                }
            }
            if (teachers) {
                for (xmlNodePtr e = lsu_child(lsu_child(b, "enseignants"), "enseignant"); e; e = lsu_next_same(e)) {
                    char *k = teacher_key(lsu_attr_or_empty(e, "civilite"), lsu_attr_or_empty(e, "nom"));
                    if (k && !xmlHashLookup(teachers, BAD_CAST k))
                        lsu_diag_add(&f->diags, DIAG_PAR005, line, &subj,
                                     "Enseignant inconnu : %s %s %s n'est pas dans la liste des enseignants de "
                                     "l'école (comparaison sur la civilité et le nom).",
                                     strcmp(lsu_attr_or_empty(e, "civilite"), "M") == 0 ? "M." : "Mme",
                                     lsu_attr_or_empty(e, "nom"), lsu_attr_or_empty(e, "prenom"));
                    free(k);
                }
            }
            char key[64];
            school_bilan_key(b, key, sizeof key);
            sqlite3_reset(locked);
            sqlite3_bind_text(locked, 1, ine, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(locked, 2, key, -1, SQLITE_TRANSIENT);
            int is_locked = sqlite3_step(locked) == SQLITE_ROW;
            if (is_locked && !labels_read) {
                labels_read = 1;
                if (lsu_element_labels(f->norm, &element_labels) != 0) {
                    rc = -1;
                    goto done;
                }
            }
            if (is_locked && !same_as_stored(b, element_labels, lsu_store_text(locked, 1), &rc)) {
                /* the lock's day in French (« 30/06/2025 »), not its ISO stamp */
                char day[11], iso[11];
                snprintf(iso, sizeof iso, "%.10s", lsu_store_text(locked, 0));
                lsu_date_fr_from_iso(iso, day);
                lsu_diag_add(&f->diags, DIAG_PAR008, line, &subj,
                             "Le bilan de l'élève %s pour la période %s est verrouillé depuis le %s : il n'est pas "
                             "remplacé (déverrouillez le bilan pour le réimporter).",
                             bilan->eleve ? bilan->eleve : "?", period, day);
            }
            if (rc != 0)
                goto done;
        }
    }
done:
    if (element_labels)
        xmlHashFree(element_labels, NULL);
    sqlite3_finalize(pupil);
    sqlite3_finalize(locked);
    if (classes)
        xmlHashFree(classes, xmlHashDefaultDeallocator);
    if (pupils_seen)
        xmlHashFree(pupils_seen, NULL);
    /* every rule of lsu_unchecked_rules is now checked but the teachers',
     * which needs the teachers' list (lsu sync --teachers) */
    f->rules_checked = LSU_RULE_IMPORT_MODE | LSU_RULE_CLASS | LSU_RULE_PERIODS | LSU_RULE_PERIOD_DATES | LSU_RULE_INE |
                       (teachers ? LSU_RULE_TEACHERS : 0u);
    if (teachers)
        xmlHashFree(teachers, NULL);
    if (rc != 0)
        lsu_store_fail(st, "lecture du paramétrage impossible");
    return rc;
}

/* See school.h. */
int lsu_import_hook(lsu_file *f, void *ctx)
{
    lsu_import_ctx *c = ctx;
    lsu_subject file_subj = {.scope = SCOPE_FILE};
    c->failed = 0;
    if (!f->norm || f->file_rejected || !f->uai)
        return 0; /* nothing to check or to store */
    const char *uai = c->uai ? c->uai : f->uai;
    if (c->uai && strcmp(c->uai, f->uai) != 0) {
        lsu_diag_add(&f->diags, DIAG_PAR009, 0, &file_subj,
                     "Le fichier est celui de l'établissement %s ; l'import est demandé pour l'établissement %s.",
                     f->uai, c->uai);
        f->file_rejected = 1;
        return 0;
    }
    if (!lsu_uai_valid(uai)) {
        lsu_diag_add(&f->diags, DIAG_STO001, 0, &file_subj,
                     "L'identifiant d'établissement « %s » n'est pas un UAI (7 chiffres et une lettre) : aucune base "
                     "ne peut lui être associée.",
                     uai);
        f->file_rejected = 1;
        return 0;
    }
    if (c->store_open && strcmp(c->store.uai, uai) != 0) {
        lsu_store_close(&c->store);
        c->store_open = 0;
    }
    if (!c->store_open) {
        int status = lsu_store_open(&c->store, c->data_dir, uai, 1);
        c->store.author = c->author;
        if (status != STORE_OK) {
            lsu_diag_add(&f->diags, status == STORE_TOO_NEW ? DIAG_STO002 : DIAG_STO001, 0, &file_subj,
                         "Base de l'école %s : %s.", uai, c->store.error ? c->store.error : "?");
            lsu_store_close(&c->store);
            f->file_rejected = 1; /* nothing can be checked nor stored */
            return 0;
        }
        c->store_open = 1;
    }
    if (lsu_store_begin(&c->store) != 0 || check_settings(c, f) != 0) {
        lsu_diag_add(&f->diags, DIAG_INT001, 0, &file_subj, "Base de l'école %s : %s.", uai,
                     c->store.error ? c->store.error : "?");
        lsu_store_rollback(&c->store);
        c->failed = 1;
        return -1;
    }
    return 0;
}
