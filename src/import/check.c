/* Stage check: the rules LSU and the exporters apply beyond the schema
 * (FORMAT.md §4), on the normalised tree.
 *
 * Each rule records a REG* diagnostic on the bilan (or the pupil, or the
 * file) it concerns, with the line of the source element.  The rules that
 * need the school's LSU settings (import mode, ONDE classes, periods,
 * teachers) are not here: the report lists them as not checked. */
#include "import/check.h"
#include "base/text.h"
#include "base/util.h"
#include "import/nomenclature.h"
#include "lsu.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- pure helpers (check.h) ---- */

/* See check.h. */
int lsu_text_is_placeholder(const char *text)
{
    if (!text || !*text)
        return 0;
    size_t letters = 0, chars = 0;
    int only_x = 1;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        chars++;
        /* letters: ASCII, or a lead byte of Latin-1 Supplement letters and
         * Latin Extended (U+00C0..U+024F); punctuation such as … or – is not */
        if (isalnum(*p) || (*p >= 0xC3 && *p <= 0xC9)) {
            letters++;
            if (*p != 'x' && *p != 'X')
                only_x = 0;
        }
        if (letters && (!only_x || chars > 3))
            return 0; /* a real text: stop at its first word */
    }
    if (letters == 0)
        return 1;
    return only_x && chars <= 3;
}

/* ---- tree helpers ---- */

/* The `ligne` attribute of a normalised element. */
static long line_of(xmlNodePtr n)
{
    const char *v = lsu_attr(n, "ligne");
    return v ? strtol(v, NULL, 10) : 0;
}

/* Text content of a normalised text element (borrowed; "" when empty). */
static const char *text_of(xmlNodePtr n)
{
    if (n && n->children && n->children->type == XML_TEXT_NODE && n->children->content)
        return (const char *)n->children->content;
    return "";
}

/* Per-bilan context for the rules. */
typedef struct {
    lsu_file *file;
    xmlNodePtr bilan;
    lsu_subject subj;
} bilan_ctx;

/* Sets up the subject of a normalised bilan from the raw index. */
static void bilan_ctx_init(bilan_ctx *bc, lsu_file *f, xmlNodePtr bilan, lsu_bilan_kind kind)
{
    bc->file = f;
    bc->bilan = bilan;
    lsu_bilan *b = lsu_index_bilan(&f->index, kind, strtol(lsu_attr_or_empty(bilan, "index"), NULL, 10));
    if (b) {
        lsu_subject_for_bilan(b, &bc->subj);
    } else {
        memset(&bc->subj, 0, sizeof bc->subj);
        bc->subj.scope = SCOPE_FILE;
    }
}

/* Placeholder and limit checks shared by every free text. */
static void check_text(bilan_ctx *bc, xmlNodePtr n, const char *what, size_t max)
{
    if (!n)
        return;
    const char *t = text_of(n);
    if (lsu_text_is_placeholder(t))
        lsu_diag_add(&bc->file->diags, DIAG_REG016, line_of(n), &bc->subj,
                     "%s ne contient que « %s » : ce texte sera imprimé tel quel.", what, t);
    else if (max && lsu_utf8_length(t) == max)
        lsu_diag_add(&bc->file->diags, DIAG_REG017, line_of(n), &bc->subj,
                     "%s compte exactement %zu caractères, la limite du format : ce texte a sans doute été coupé.",
                     what, max);
}

/* Number of element-programme children. */
static int element_count(xmlNodePtr n)
{
    int k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "element-programme") == 0)
            k++;
    return k;
}

/* Positionnement / élément consistency of an acquis or sous-domaine;
 * returns 1 when it makes its domain complete (positionnement + élément). */
static int check_positionnement(bilan_ctx *bc, xmlNodePtr n)
{
    const char *pos = lsu_attr(n, "positionnement");
    int nonev = lsu_attr(n, "non-evalue") != NULL;
    int elements = element_count(n);
    const char *label = lsu_domain_name(n);
    if (pos && nonev)
        lsu_diag_add(&bc->file->diags, DIAG_REG021, line_of(n), &bc->subj,
                     "%s : positionnement %s et « non évalué » à la fois.", label, pos);
    if (pos && elements == 0) {
        lsu_diag_add(&bc->file->diags, DIAG_REG007, line_of(n), &bc->subj,
                     "%s : positionnement %s sans élément du programme travaillé ; LSU ignorera ce positionnement.",
                     label, pos);
        return 0;
    }
    if (!pos && !nonev && elements > 0)
        lsu_diag_add(&bc->file->diags, DIAG_REG008, line_of(n), &bc->subj,
                     "%s : %d élément%s du programme sans positionnement ni « non évalué ».", label, elements,
                     elements > 1 ? "s" : "");
    return pos && elements > 0;
}

/* Rules of one acquis; returns 1 when the domain is complete. */
static int check_acquis(bilan_ctx *bc, xmlNodePtr acquis, const char *cycle)
{
    const char *code = lsu_attr_or_empty(acquis, "code");
    const lsu_domain *d = lsu_domain_find(code);
    long line = line_of(acquis);
    if (!d) {
        lsu_diag_add(&bc->file->diags, DIAG_REG004, line, &bc->subj,
                     "Le domaine d'enseignement « %s » n'existe pas à l'école élémentaire.", code);
        return 0;
    }
    if (d->parent) {
        const lsu_domain *p = lsu_domain_find(d->parent);
        lsu_diag_add(&bc->file->diags, DIAG_REG005, line, &bc->subj,
                     "« %s » (%s) est un sous-domaine de %s : il doit être placé dans ce domaine, pas à la place "
                     "d'un domaine.",
                     code, lsu_domain_libelle(acquis), p ? p->code : "?");
        return 0;
    }
    if (cycle[0]) {
        unsigned bit = 1u << (cycle[0] - '0');
        if (!(d->cycles & bit))
            lsu_diag_add(&bc->file->diags, DIAG_REG006, line, &bc->subj,
                         "%s n'est pas un domaine du cycle %s (classe %s).", lsu_domain_libelle(acquis), cycle,
                         lsu_attr_or_empty(bc->bilan, "classe"));
    }
    int complete = 0;
    xmlNodePtr appr = lsu_child(acquis, "appreciation");
    if (appr && text_of(appr)[0])
        complete = 1;
    char what[160];
    snprintf(what, sizeof what, "L'appréciation du domaine « %s »", lsu_domain_libelle(acquis));
    check_text(bc, appr, what, 600);
    xmlNodePtr sd = lsu_child(acquis, "sous-domaine");
    if (!sd)
        complete |= check_positionnement(bc, acquis);
    else if (lsu_attr(acquis, "positionnement"))
        lsu_diag_add(&bc->file->diags, DIAG_REG007, line, &bc->subj,
                     "%s a des sous-domaines : le positionnement %s donné au domaine lui-même sera ignoré.",
                     lsu_domain_libelle(acquis), lsu_attr_or_empty(acquis, "positionnement"));
    for (; sd; sd = lsu_next_same(sd)) {
        const char *scode = lsu_attr_or_empty(sd, "code");
        const lsu_domain *s = lsu_domain_find(scode);
        if (!s || !s->parent || strcmp(s->parent, code) != 0) {
            lsu_diag_add(&bc->file->diags, DIAG_REG005, line_of(sd), &bc->subj,
                         "Le sous-domaine « %s » n'appartient pas au domaine %s (%s).", scode,
                         lsu_domain_libelle(acquis), code);
            continue;
        }
        if (cycle[0] && !(s->cycles & (1u << (cycle[0] - '0'))))
            lsu_diag_add(&bc->file->diags, DIAG_REG006, line_of(sd), &bc->subj,
                         "%s n'est pas enseigné au cycle %s (classe %s).", lsu_domain_libelle(sd), cycle,
                         lsu_attr_or_empty(bc->bilan, "classe"));
        complete |= check_positionnement(bc, sd);
    }
    return complete;
}

/* Dates of a bilan against its period (REG011, REG012, REG013) and the
 * period itself (REG014). Returns 1 when the period is incoherent. */
static void check_dates(bilan_ctx *bc)
{
    xmlNodePtr b = bc->bilan;
    lsu_diag_list *dl = &bc->file->diags;
    long debut, fin, creation, scolarite, verrou;
    int has_debut = lsu_parse_date(lsu_attr_or_empty(b, "date-debut"), &debut) == 0;
    int has_fin = lsu_parse_date(lsu_attr_or_empty(b, "date-fin"), &fin) == 0;
    char d1[11], d2[11], d3[11];
    long line = line_of(b);
    if (has_debut && has_fin) {
        long nb = strtol(lsu_attr_or_empty(b, "nb-periodes"), NULL, 10),
             indice = strtol(lsu_attr_or_empty(b, "indice"), NULL, 10);
        int incoherent = 1;
        if (fin < debut) {
            lsu_format_date_fr(debut, d1);
            lsu_format_date_fr(fin, d2);
            lsu_diag_add(dl, DIAG_REG014, line, &bc->subj,
                         "La période %s se termine (%s) avant de commencer (%s) : « Dates périodes incohérentes ».",
                         lsu_attr_or_empty(b, "libelle"), d2, d1);
        } else if (nb < 1 || indice < 1 || indice > nb) {
            lsu_diag_add(dl, DIAG_REG014, line, &bc->subj,
                         "La période %s a l'indice %ld pour %ld période%s dans l'année.",
                         lsu_attr_or_empty(b, "libelle"), indice, nb, nb > 1 ? "s" : "");
        } else {
            incoherent = 0;
        }
        /* against an incoherent period the bilan's own dates mean nothing */
        if (!incoherent && lsu_parse_date(lsu_attr_or_empty(b, "date-scolarite"), &scolarite) == 0 &&
            (scolarite < debut || scolarite > fin)) {
            lsu_format_date_fr(scolarite, d1);
            lsu_format_date_fr(debut, d2);
            lsu_format_date_fr(fin, d3);
            lsu_diag_add(dl, DIAG_REG011, line, &bc->subj,
                         "La date de scolarité %s n'est pas dans la période %s (du %s au %s).", d1,
                         lsu_attr_or_empty(b, "libelle"), d2, d3);
        }
        if (!incoherent && lsu_parse_date(lsu_attr_or_empty(b, "date-creation"), &creation) == 0 && creation < debut) {
            lsu_format_date_fr(creation, d1);
            lsu_format_date_fr(debut, d2);
            lsu_diag_add(dl, DIAG_REG013, line, &bc->subj,
                         "Le bilan est créé le %s, avant le début de la période %s (%s).", d1,
                         lsu_attr_or_empty(b, "libelle"), d2);
        }
    }
    if (lsu_parse_date(lsu_attr_or_empty(b, "date-creation"), &creation) == 0 &&
        lsu_parse_date(lsu_attr_or_empty(b, "date-verrou"), &verrou) == 0 && verrou < creation) {
        lsu_format_date_fr(verrou, d1);
        lsu_format_date_fr(creation, d2);
        lsu_diag_add(dl, DIAG_REG012, line, &bc->subj, "Le bilan est verrouillé le %s mais créé le %s.", d1, d2);
    }
}

/* Every rule of one bilan périodique; `seen_projets` holds the class
 * projects already checked (by source line). */
static void check_bilan_periodique(lsu_file *f, xmlNodePtr b, xmlHashTablePtr seen_projets)
{
    bilan_ctx bc;
    bilan_ctx_init(&bc, f, b, BILAN_PERIODIQUE);
    const char *cycle = lsu_attr_or_empty(b, "cycle-classe");
    int complete = 0;
    lsu_buf missing = {0};
    xmlNodePtr liste = lsu_child(b, "liste-acquis");
    for (xmlNodePtr a = lsu_child(liste, "acquis"); a; a = lsu_next_same(a)) {
        if (check_acquis(&bc, a, cycle)) {
            complete++;
        } else if (lsu_domain_find(lsu_attr_or_empty(a, "code")) &&
                   !lsu_domain_find(lsu_attr_or_empty(a, "code"))->parent) {
            lsu_buf_puts(&missing, missing.len ? ", " : "");
            lsu_buf_puts(&missing, lsu_domain_libelle(a));
        }
    }
    if (complete < 3 && liste)
        lsu_diag_add(&f->diags, DIAG_REG001, line_of(b), &bc.subj,
                     "%d domaine%s complet%s sur les 3 exigés%s%s%s (un domaine est complet avec une appréciation, "
                     "ou un positionnement et au moins un élément du programme).",
                     complete, complete > 1 ? "s" : "", complete > 1 ? "s" : "", missing.len ? " ; incomplets : " : "",
                     missing.len ? missing.data : "", "");
    lsu_buf_free(&missing);

    xmlNodePtr ag = lsu_child(b, "appreciation-generale");
    if (ag && !text_of(ag)[0])
        lsu_diag_add(&f->diags, DIAG_REG002, line_of(ag), &bc.subj,
                     "L'appréciation générale sur la progression de l'élève est vide.");
    check_text(&bc, ag, "L'appréciation générale", 1500);

    for (xmlNodePtr p = lsu_child(lsu_child(b, "liste-parcours"), "parcours"); p; p = lsu_next_same(p)) {
        xmlNodePtr projet = lsu_child(p, "projet"), impl = lsu_child(p, "implication");
        if (impl && !projet)
            lsu_diag_add(&f->diags, DIAG_REG009, line_of(impl), &bc.subj,
                         "%s : l'implication de l'élève est renseignée mais aucun projet n'est saisi pour la classe "
                         "%s à cette période.",
                         lsu_attr_or_empty(p, "libelle"), lsu_attr_or_empty(b, "classe"));
        char what[160];
        /* the class project is shared by every pupil of the class: check it
         * once, as a class-level remark that does not mark each bilan */
        if (projet && !xmlHashLookup(seen_projets, BAD_CAST lsu_attr_or_empty(projet, "ligne"))) {
            xmlHashAddEntry(seen_projets, BAD_CAST lsu_attr_or_empty(projet, "ligne"), projet);
            bilan_ctx class_ctx = bc;
            memset(&class_ctx.subj, 0, sizeof class_ctx.subj);
            class_ctx.subj.scope = SCOPE_FILE;
            class_ctx.subj.classe = lsu_attr_or_empty(b, "classe");
            class_ctx.subj.periode = bc.subj.periode;
            snprintf(what, sizeof what, "Le projet de classe du %s", lsu_attr_or_empty(p, "libelle"));
            check_text(&class_ctx, projet, what, 600);
        }
        snprintf(what, sizeof what, "L'implication de l'élève dans le %s", lsu_attr_or_empty(p, "libelle"));
        check_text(&bc, impl, what, 600);
    }
    xmlNodePtr mod = lsu_child(b, "modalites-accompagnement");
    if (mod) {
        lsu_buf codes = {0};
        for (xmlNodePtr m = lsu_child(mod, "modalite-accompagnement"); m; m = lsu_next_same(m)) {
            lsu_buf_puts(&codes, codes.len ? ", " : "");
            lsu_buf_puts(&codes, lsu_attr_or_empty(m, "code"));
            check_text(&bc, lsu_child(m, "complement-ppre"), "Le complément PPRE", 600);
        }
        lsu_diag_add(&f->diags, DIAG_REG010, line_of(mod), &bc.subj,
                     "Modalités d'accompagnement ignorées (%s) : LSU les reprend d'ONDE.",
                     codes.data ? codes.data : "");
        lsu_buf_free(&codes);
    }
    check_dates(&bc);
}

/* Every rule of one bilan de fin de cycle. */
static void check_bilan_cycle(lsu_file *f, xmlNodePtr b)
{
    bilan_ctx bc;
    bilan_ctx_init(&bc, f, b, BILAN_CYCLE);
    xmlNodePtr socle = lsu_child(b, "socle");
    int positioned = 0;
    lsu_buf missing = {0};
    for (xmlNodePtr d = lsu_child(socle, "domaine"); d; d = lsu_next_same(d)) {
        if (lsu_attr(d, "positionnement") && lsu_attr_or_empty(d, "positionnement")[0])
            positioned++;
        else {
            lsu_buf_puts(&missing, missing.len ? ", " : "");
            lsu_buf_puts(&missing, lsu_attr_or_empty(d, "code"));
        }
    }
    if (socle && positioned < 8)
        lsu_diag_add(&f->diags, DIAG_REG015, line_of(socle), &bc.subj,
                     "%d composante%s du socle positionnée%s sur 8%s%s.", positioned, positioned > 1 ? "s" : "",
                     positioned > 1 ? "s" : "", missing.len ? " ; manquent : " : "", missing.len ? missing.data : "");
    lsu_buf_free(&missing);
    xmlNodePtr syn = lsu_child(b, "synthese");
    if (syn && !text_of(syn)[0])
        lsu_diag_add(&f->diags, DIAG_REG015, line_of(syn), &bc.subj, "La synthèse du bilan de fin de cycle est vide.");
    check_text(&bc, syn, "La synthèse", 1500);
    const char *niveau = lsu_attr_or_empty(b, "niveau");
    if (niveau[0] && strcmp(niveau, "CE2") != 0 && strcmp(lsu_attr_or_empty(b, "cycle"), "2") == 0)
        lsu_diag_add(&f->diags, DIAG_REG022, line_of(b), &bc.subj,
                     "Bilan de fin de cycle 2 pour un élève de %s (classe %s) : il est attendu en CE2.", niveau,
                     lsu_attr_or_empty(b, "classe"));
    long creation, verrou;
    if (lsu_parse_date(lsu_attr_or_empty(b, "date-creation"), &creation) == 0 &&
        lsu_parse_date(lsu_attr_or_empty(b, "date-verrou"), &verrou) == 0 && verrou < creation) {
        char d1[11], d2[11];
        lsu_format_date_fr(verrou, d1);
        lsu_format_date_fr(creation, d2);
        lsu_diag_add(&f->diags, DIAG_REG012, line_of(b), &bc.subj, "Le bilan est verrouillé le %s mais créé le %s.", d1,
                     d2);
    }
}

/* Pupil-level rules: INE (REG003) and pupils without bilan (REG024). */
static void check_eleves(lsu_file *f, xmlNodePtr root)
{
    xmlHashTablePtr with_bilan = xmlHashCreate(256);
    if (!with_bilan)
        return;
    for (xmlNodePtr list = root->children; list; list = list->next) {
        if (list->type != XML_ELEMENT_NODE ||
            (strcmp(lsu_name(list), "bilans-periodiques") != 0 && strcmp(lsu_name(list), "bilans-cycle") != 0))
            continue;
        for (xmlNodePtr b = list->children; b; b = b->next)
            if (b->type == XML_ELEMENT_NODE && lsu_attr_or_empty(b, "eleve-id")[0])
                xmlHashAddEntry(with_bilan, BAD_CAST lsu_attr_or_empty(b, "eleve-id"), b);
    }
    for (xmlNodePtr e = lsu_child(lsu_child(root, "eleves"), "eleve"); e; e = lsu_next_same(e)) {
        lsu_subject subj = {.scope = SCOPE_ELEVE,
                            .eleve_id = lsu_attr_or_empty(e, "id"),
                            .ine = lsu_attr_or_empty(e, "ine"),
                            .classe = lsu_attr_or_empty(e, "classe")};
        char *name = lsu_attr_or_empty(e, "nom")[0] || lsu_attr_or_empty(e, "prenom")[0]
                         ? lsu_asprintf("%s%s%s", lsu_attr_or_empty(e, "nom"),
                                        lsu_attr_or_empty(e, "nom")[0] && lsu_attr_or_empty(e, "prenom")[0] ? " " : "",
                                        lsu_attr_or_empty(e, "prenom"))
                         : NULL;
        subj.eleve = name;
        if (strlen(lsu_attr_or_empty(e, "ine")) == 11 && !lsu_ine_valid(lsu_attr_or_empty(e, "ine")))
            lsu_diag_add(&f->diags, DIAG_REG003, line_of(e), &subj,
                         "L'INE « %s » n'est pas valable : 11 chiffres ou lettres majuscules, non fictif ; tous les "
                         "bilans de l'élève sont rejetés.",
                         lsu_attr_or_empty(e, "ine"));
        if (!xmlHashLookup(with_bilan, BAD_CAST lsu_attr_or_empty(e, "id"))) {
            subj.scope = SCOPE_FILE;
            lsu_diag_add(&f->diags, DIAG_REG024, line_of(e), &subj, "Aucun bilan pour cet élève dans le fichier.");
        }
        free(name);
    }
    xmlHashFree(with_bilan, NULL);
}

/* Class- and period-level rules: suspicious ONDE ids (REG019), millésimes
 * (REG020), several periodicities in one class (REG023). */
static void check_structures(lsu_file *f, xmlNodePtr root)
{
    for (xmlNodePtr c = lsu_child(lsu_child(root, "classes"), "classe"); c; c = lsu_next_same(c)) {
        const char *idbe = lsu_attr_or_empty(c, "id-be");
        char *end;
        long v = strtol(idbe, &end, 10);
        lsu_subject subj = {.scope = SCOPE_FILE, .classe = lsu_attr_or_empty(c, "libelle")};
        if (idbe[0] && *end == '\0' && v < 100000)
            lsu_diag_add(
                &f->diags, DIAG_REG019, line_of(c), &subj,
                "La classe %s a l'identifiant ONDE %s : un « Identifiant classe » d'ONDE est bien plus grand ; "
                "LSU risque de répondre « Classe non trouvée ».",
                lsu_attr_or_empty(c, "libelle")[0] ? lsu_attr_or_empty(c, "libelle") : lsu_attr_or_empty(c, "id"),
                idbe);
        /* periodicities used by the bilans of this class: one number of
         * periods, and for each index one pair of dates */
        xmlNodePtr first = NULL, by_index[13] = {NULL};
        for (xmlNodePtr b = lsu_child(lsu_child(root, "bilans-periodiques"), "bilan-periodique"); b;
             b = lsu_next_same(b)) {
            if (strcmp(lsu_attr_or_empty(b, "classe-id"), lsu_attr_or_empty(c, "id")) != 0 ||
                !lsu_attr_or_empty(b, "nb-periodes")[0])
                continue;
            long indice = strtol(lsu_attr_or_empty(b, "indice"), NULL, 10);
            if (!first) {
                first = b;
            } else if (strcmp(lsu_attr_or_empty(first, "nb-periodes"), lsu_attr_or_empty(b, "nb-periodes")) != 0) {
                lsu_diag_add(&f->diags, DIAG_REG023, line_of(b), &subj,
                             "La classe %s a des bilans en %s périodes (%s) et d'autres en %s périodes (%s) : une "
                             "seule périodicité par classe.",
                             lsu_attr_or_empty(c, "libelle"), lsu_attr_or_empty(first, "nb-periodes"),
                             lsu_attr_or_empty(first, "libelle"), lsu_attr_or_empty(b, "nb-periodes"),
                             lsu_attr_or_empty(b, "libelle"));
                break;
            }
            if (indice < 1 || indice > 12)
                continue;
            xmlNodePtr same = by_index[indice];
            if (!same) {
                by_index[indice] = b;
            } else if (strcmp(lsu_attr_or_empty(same, "date-debut"), lsu_attr_or_empty(b, "date-debut")) != 0 ||
                       strcmp(lsu_attr_or_empty(same, "date-fin"), lsu_attr_or_empty(b, "date-fin")) != 0) {
                lsu_diag_add(&f->diags, DIAG_REG023, line_of(b), &subj,
                             "La classe %s a deux %s aux dates différentes (périodes %s et %s) : une seule "
                             "périodicité par classe.",
                             lsu_attr_or_empty(c, "libelle"), lsu_attr_or_empty(b, "libelle"),
                             lsu_attr_or_empty(same, "periode-id"), lsu_attr_or_empty(b, "periode-id"));
                break;
            }
        }
    }
    for (xmlNodePtr p = lsu_child(lsu_child(root, "periodes"), "periode"); p; p = lsu_next_same(p)) {
        long debut, min, max;
        char *end;
        long mil = strtol(lsu_attr_or_empty(p, "millesime"), &end, 10);
        if (*end || lsu_parse_date(lsu_attr_or_empty(p, "date-debut"), &debut) != 0)
            continue;
        char lo[24], hi[24];
        snprintf(lo, sizeof lo, "%04ld-08-01", mil % 10000);
        snprintf(hi, sizeof hi, "%04ld-07-31", (mil + 1) % 10000);
        if (lsu_parse_date(lo, &min) == 0 && lsu_parse_date(hi, &max) == 0 && (debut < min || debut > max)) {
            char d[11];
            lsu_format_date_fr(debut, d);
            lsu_diag_add(&f->diags, DIAG_REG020, line_of(p), NULL,
                         "La période %s (%s) a le millésime %s mais commence le %s, hors de l'année scolaire %s.",
                         lsu_attr_or_empty(p, "id"), lsu_attr_or_empty(p, "libelle"), lsu_attr_or_empty(p, "millesime"),
                         d, lsu_attr_or_empty(p, "annee"));
        }
    }
}

/* Applies every rule to f->norm. */
lsu_stage_status lsu_check(lsu_file *f)
{
    xmlNodePtr root = xmlDocGetRootElement(f->norm);
    if (!root)
        return LSU_GO_ON;
    xmlHashTablePtr seen_projets = xmlHashCreate(64);
    if (!seen_projets) {
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante pour appliquer les règles.");
        return LSU_STOP_FILE;
    }
    for (xmlNodePtr b = lsu_child(lsu_child(root, "bilans-periodiques"), "bilan-periodique"); b; b = lsu_next_same(b))
        check_bilan_periodique(f, b, seen_projets);
    xmlHashFree(seen_projets, NULL);
    for (xmlNodePtr b = lsu_child(lsu_child(root, "bilans-cycle"), "bilan-cycle"); b; b = lsu_next_same(b))
        check_bilan_cycle(f, b);
    check_eleves(f, root);
    check_structures(f, root);
    return LSU_GO_ON;
}
