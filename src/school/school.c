/* The rules needing the school's settings, the bilans kept in the store,
 * locks and history (see school.h). */
#include "school/school.h"
#include "base/text.h"
#include "import/nomenclature.h"
#include "school/periods.h"

#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* ---- tree helpers (normalised form) ---- */

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

/* The store key of a normalised bilan: "P:2024:2/3" or "C:2:2024". */
static void bilan_key(xmlNodePtr b, char *out, size_t size)
{
    if (strcmp((const char *)b->name, "bilan-cycle") == 0)
        snprintf(out, size, "C:%s:%s", lsu_attr_or_empty(b, "cycle"), lsu_attr_or_empty(b, "millesime"));
    else
        snprintf(out, size, "P:%s:%s/%s", lsu_attr_or_empty(b, "millesime"), lsu_attr_or_empty(b, "indice"),
                 lsu_attr_or_empty(b, "nb-periodes"));
}

/* "Trimestre 1 2024-2025" or "Fin de cycle 2 2024-2025" into out. */
static void bilan_period_label(xmlNodePtr b, char *out, size_t size)
{
    if (strcmp((const char *)b->name, "bilan-cycle") == 0)
        snprintf(out, size, "Fin de cycle %s %s", lsu_attr_or_empty(b, "cycle"), lsu_attr_or_empty(b, "annee"));
    else
        snprintf(out, size, "%s %s", lsu_attr_or_empty(b, "libelle"), lsu_attr_or_empty(b, "annee"));
}

/* ---- the « ? »: what a bilan lacks to be locked ---- */

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

/* ---- import: the rules needing the settings ---- */

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
                                            "coalesce(p.name, ''), coalesce(p.millesime, 0) FROM classes c "
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

/* "01/09/2024" from "2024-09-01" into out (the input when malformed). */
static void fr_date(const char *iso, char out[11])
{
    long d;
    if (lsu_parse_date(iso, &d) == 0)
        lsu_format_date_fr(d, out);
    else
        snprintf(out, 11, "%s", iso);
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
    fr_date(debut, d1), fr_date(fin, f1), fr_date(lsu_attr_or_empty(b, "date-debut"), d2),
        fr_date(lsu_attr_or_empty(b, "date-fin"), f2);
    lsu_buf_printf(why, "la période %ld/%ld de la classe %s (« %s ») va du %s au %s ; celle du bilan du %s au %s",
                   indice, nb, cs->libelle, cs->periodicity_name, d1, f1, d2, f2);
    return 1;
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
        lsu_store_prepare(st, "SELECT locked_at FROM bilans WHERE ine = ? AND bkey = ? AND replaced_at IS NULL "
                              "AND locked_at IS NOT NULL");
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
            bilan_period_label(b, period, sizeof period);
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
            bilan_key(b, key, sizeof key);
            sqlite3_reset(locked);
            sqlite3_bind_text(locked, 1, ine, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(locked, 2, key, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(locked) == SQLITE_ROW)
                lsu_diag_add(&f->diags, DIAG_PAR008, line, &subj,
                             "Le bilan de l'élève %s pour la période %s est verrouillé depuis le %.10s : il n'est pas "
                             "remplacé (déverrouillez-le avec lsu unlock pour le réimporter).",
                             bilan->eleve ? bilan->eleve : "?", period, lsu_store_text(locked, 0));
        }
    }
done:
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

/* Copy of a normalised bilan with its labels and without what depends on
 * the file's layout (source lines, index), serialised.  Caller frees; NULL
 * when memory ran out. */
static char *bilan_xml(xmlNodePtr b, xmlHashTablePtr element_labels)
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

/* Makes `xml` the current version of bilan (ine, key): the previous
 * current one, when different, is marked replaced.  Returns 0, or -1. */
static int store_version(lsu_store *st, xmlNodePtr b, const char *xml, long long event, const char *now,
                         store_counts *n)
{
    char key[64], period[160];
    bilan_key(b, key, sizeof key);
    bilan_period_label(b, period, sizeof period);
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
        same = strcmp(lsu_store_text(s, 1), xml) == 0;
        locked = sqlite3_column_int(s, 2);
    }
    sqlite3_finalize(s);
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
    if (current) {
        s = lsu_store_prepare(st, "UPDATE bilans SET replaced_at = ? WHERE id = ?");
        if (!s)
            return -1;
        sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, current);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return lsu_store_fail(st, "remplacement du bilan");
        n->replaced++;
    } else {
        n->created++;
    }
    int cycle = strcmp((const char *)b->name, "bilan-cycle") == 0;
    s = lsu_store_prepare(st, "INSERT INTO bilans(ine, bkey, kind, nom, prenom, classe, id_be, niveau, periode, xml, "
                              "event_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s)
        return -1;
    const char *texts[] = {ine,
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
                bilan_key(b, key, sizeof key);
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
            char *xml = bilan_xml(b, element_labels);
            rc = xml ? store_version(st, b, xml, event, now, &n) : -1;
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
                       event, summary ? summary : "?");
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

/* ---- lock, unlock ---- */

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

/* ---- history ---- */

/* "07/07/2016 à 15:47:01" from an ISO 8601 UTC stamp into out. */
static void fr_stamp(const char *iso, char *out, size_t size)
{
    if (strlen(iso) >= 19)
        snprintf(out, size, "%.2s/%.2s/%.4s à %.8s", iso + 8, iso + 5, iso, iso + 11);
    else
        snprintf(out, size, "%s", iso);
}

/* See school.h. */
int lsu_school_history(lsu_store *st, const char *ine, lsu_buf *text)
{
    /* versions and their log, in order of time then id, per bilan */
    sqlite3_stmt *s = lsu_store_prepare(
        st, "SELECT b.bkey, b.periode, b.classe, b.nom, b.prenom, 'version', b.created_at, e.kind, e.id, "
            "coalesce(e.source, ''), b.id, b.replaced_at IS NULL, b.locked_at IS NOT NULL, b.id * 2 AS ord "
            "FROM bilans b JOIN events e ON e.id = b.event_id WHERE b.ine = ?1 "
            "UNION ALL SELECT b.bkey, b.periode, b.classe, b.nom, b.prenom, l.action, l.at, e.kind, e.id, "
            "coalesce(e.source, ''), b.id, 0, 0, l.id * 2 + 1 FROM bilan_log l JOIN bilans b ON b.id = l.bilan_id "
            "JOIN events e ON e.id = l.event_id WHERE b.ine = ?1 ORDER BY 1, 9, 14");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, ine, -1, SQLITE_STATIC);
    int versions = 0, step;
    char last_key[64] = "";
    long long version_of_bilan = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *key = lsu_store_text(s, 0), *action = lsu_store_text(s, 5);
        if (strcmp(key, last_key) != 0) {
            snprintf(last_key, sizeof last_key, "%s", key);
            lsu_buf_printf(text, "%s%s %s (%s), %s, %s\n", versions ? "\n" : "", lsu_store_text(s, 3),
                           lsu_store_text(s, 4), ine, lsu_store_text(s, 2), lsu_store_text(s, 1));
            version_of_bilan = 0;
        }
        char when[40];
        fr_stamp(lsu_store_text(s, 6), when, sizeof when);
        const char *kind = lsu_store_text(s, 7);
        long long event = sqlite3_column_int64(s, 8);
        if (strcmp(action, "version") == 0) {
            versions++;
            version_of_bilan++;
            int current = sqlite3_column_int(s, 11);
            if (strcmp(kind, "sync") == 0)
                lsu_buf_printf(text, "  version %lld  %s  synchronisation n° %lld (%s)%s\n", version_of_bilan, when,
                               event, lsu_store_text(s, 9), current ? "  [version en cours]" : "");
            else
                lsu_buf_printf(text, "  version %lld  %s  import n° %lld (%s)%s\n", version_of_bilan, when, event,
                               lsu_store_text(s, 9), current ? "  [version en cours]" : "");
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
    if (step != SQLITE_DONE)
        return lsu_store_fail(st, "lecture de l'historique impossible");
    return versions;
}

/* ---- synchronisation ---- */

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

/* Rewrites the administrative data of the current unlocked bilans whose
 * pupil ONDE now names or places differently: one new version each.
 * Counts per class into `updated` / `locked` (by class id, ONDE order). */
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
        if (sqlite3_column_int(s, 7)) {
            if (k < o->class_count)
                locked[k]++;
            continue; /* a locked bilan is never touched */
        }
        const char *xml = lsu_store_text(s, 1);
        xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8", XML_PARSE_NONET);
        xmlNodePtr b = d ? xmlDocGetRootElement(d) : NULL;
        if (!b) {
            xmlFreeDoc(d);
            continue;
        }
        xmlSetProp(b, BAD_CAST "nom", BAD_CAST lsu_store_text(s, 2));
        xmlSetProp(b, BAD_CAST "prenom", BAD_CAST lsu_store_text(s, 3));
        xmlSetProp(b, BAD_CAST "classe", BAD_CAST lsu_store_text(s, 4));
        xmlSetProp(b, BAD_CAST "id-be", BAD_CAST lsu_store_text(s, 5));
        xmlSetProp(b, BAD_CAST "niveau", BAD_CAST lsu_store_text(s, 6));
        char *nxml = bilan_xml(b, NULL);
        long long id = sqlite3_column_int64(s, 0);
        if (!nxml)
            rc = -1;
        else {
            const char *v[] = {now};
            rc = exec_texts(st, "UPDATE bilans SET replaced_at = ?1 WHERE id = ?2", v, 1, id, -1);
        }
        if (rc == 0) {
            const char *v[] = {nxml,
                               lsu_store_text(s, 2),
                               lsu_store_text(s, 3),
                               lsu_store_text(s, 4),
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
