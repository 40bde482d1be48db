/* The pupil's bilan screen (« Saisie individuelle et recherche de
 * bilans > Consultation du bilan de l'élève »): the bilan périodique of
 * one pupil and period laid out as the printed one (recto: suivi des
 * acquis per domain with its éléments, appréciation and positionnement;
 * verso: parcours éducatifs, modalités, appréciation générale, visas),
 * with « Bilan précédent », « Bilan suivant » and Éditer; and its
 * individual entry in one form (appréciations per domain, positionnements,
 * the pupil's implication in the parcours, the appréciation générale)
 * applied by lsu_entry_apply with the state token it was shown with, so
 * that an entry made meanwhile is never overwritten unseen.  A locked
 * bilan is shown read-only. */
#include "import/nomenclature.h"
#include "lsu.h"
#include "school/entry.h"
#include "school/school.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const pos_labels[5] = {"Non évalué", "Non atteints", "Partiellement atteints", "Atteints",
                                          "Dépassés"};
static const char *const parcours_codes[3] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};

/* Percent-encodes s (all but unreserved characters) onto b: a path
 * segment of a Location header. */
static void url_segment(lsu_buf *b, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr("-._~", *c))
            lsu_buf_add(b, (const char *)c, 1);
        else
            lsu_buf_printf(b, "%%%02X", *c);
}

/* The URL of pupil ine's bilan of class `classe` for period bkey (owned;
 * `encoded`: every segment percent-encoded, for a redirection). */
static char *bilan_url(const char *uai, const char *classe, const char *ine, const char *bkey, int encoded)
{
    if (!encoded)
        return lsu_asprintf("/ecole/%s/bilans/%s/eleve/%s?periode=%s", uai, classe, ine, bkey);
    lsu_buf b = {0};
    lsu_buf_printf(&b, "/ecole/%s/bilans/", uai);
    url_segment(&b, classe);
    lsu_buf_puts(&b, "/eleve/");
    url_segment(&b, ine);
    lsu_buf_puts(&b, "?periode=");
    url_segment(&b, bkey);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The period's number in a bilans key « P:2024:1/3 » (1), or 0 when s is
 * not one. */
static long bkey_period(const char *s)
{
    if (!s || strncmp(s, "P:", 2) != 0)
        return 0;
    char *end;
    errno = 0;
    long year = strtol(s + 2, &end, 10);
    if (errno || end == s + 2 || *end != ':' || year < 1900 || year > 9999)
        return 0;
    const char *p = end + 1;
    long indice = strtol(p, &end, 10);
    if (errno || end == p || *end != '/' || indice < 1 || indice > 99)
        return 0;
    p = end + 1;
    long nb = strtol(p, &end, 10);
    if (errno || end == p || *end || nb < indice || nb > 99)
        return 0;
    return indice;
}

/* Opens the school's store and the scope of class `classe` for the period
 * `periode` (a bilans key « P:2024:1/3 » as the class list gives it, or a
 * period's number or label; NULL: the first period).  0, or -1 with an
 * error page in res (nothing left open). */
static int open_scope(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe,
                      const char *periode, lsu_store *st, lsu_entry_scope *sc)
{
    if (serve_open_store(r, res, g, 0, st) != 0)
        return -1;
    char number[16] = "1";
    const char *arg = periode && *periode ? periode : number;
    long indice = bkey_period(periode);
    int used = indice > 0;
    if (used) {
        snprintf(number, sizeof number, "%ld", indice);
        arg = number;
    }
    lsu_buf why = {0};
    int k = lsu_entry_scope_open(st, classe, arg, sc, &why);
    if (k == 0 && (!lsu_grant_has_class(g, sc->classe) || (used && strcmp(sc->bkey, periode) != 0))) {
        int other = !lsu_grant_has_class(g, sc->classe);
        lsu_entry_scope_free(sc);
        lsu_store_close(st);
        if (other)
            serve_error(r, res, 403, "Accès refusé", "Cette classe n'est pas l'une des vôtres.");
        else
            serve_error(r, res, 404, "Période introuvable",
                        "Cette période n'est pas celle du paramétrage des périodes de la classe.");
        lsu_buf_free(&why);
        return -1;
    }
    if (k != 0) {
        lsu_store_close(st);
        if (k > 0) {
            char *msg = lsu_asprintf("Ce bilan ne peut pas être ouvert : %s.", why.data ? why.data : "?");
            serve_error_remedy(r, res, 404, "Bilan introuvable", msg ? msg : "Ce bilan ne peut pas être ouvert.", g,
                               &sc->remedy);
            free(msg);
        } else {
            serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        }
        lsu_buf_free(&why);
        return -1;
    }
    lsu_buf_free(&why);
    return 0;
}

/* Is domain d taught in `cycle` (0: either)? */
static int in_cycle(const lsu_domain *d, int cycle)
{
    if (cycle != 2 && cycle != 3)
        return (d->cycles & (LSU_CYCLE_BIT(2) | LSU_CYCLE_BIT(3))) != 0;
    return (d->cycles & LSU_CYCLE_BIT(cycle)) != 0;
}

/* Has domain d current sub-domains in `cycle` (then positionnement and
 * éléments go on them)? */
static int has_subdomains(const lsu_domain *d, int cycle)
{
    const lsu_domain *s;
    for (size_t i = 0; (s = lsu_domain_at(i)) != NULL; i++)
        if (s->parent && !s->legacy && strcmp(s->parent, d->code) == 0 && in_cycle(s, cycle))
            return 1;
    return 0;
}

/* The child of n named `name` whose @code is `code`, or NULL. */
static xmlNodePtr coded_child(xmlNodePtr n, const char *name, const char *code)
{
    for (xmlNodePtr c = lsu_child(n, name); c; c = lsu_next_same(c))
        if (lsu_strcmp_null(lsu_attr(c, "code"), code) == 0)
            return c;
    return NULL;
}

/* The text of n's child `name`, or NULL. */
static const char *child_text(xmlNodePtr n, const char *name)
{
    xmlNodePtr c = lsu_child(n, name);
    return c && c->children && c->children->type == XML_TEXT_NODE ? (const char *)c->children->content : NULL;
}

/* What the page shows in field `name`: what was typed (a form sent back),
 * else what the bilan holds. */
static const char *shown(const serve_form *typed, const char *name, const char *stored)
{
    const char *t = typed ? serve_form_get(typed, name) : NULL;
    return t ? t : stored;
}

/* The page being built. */
typedef struct {
    serve_request *r;
    const serve_form *typed; /* what was sent, when shown again; NULL */
    xmlNodePtr bilan;        /* the pupil's current bilan, NULL when none yet */
    int cycle, locked;
    int fixed; /* no field: locked, or shown in read mode (no « Modifier » clicked) */
} bilan_page;

/* A text area of the entry (or the text itself when the bilan is locked
 * or read_only) under parent: field `name`, labelled, at most max code
 * points. */
static void text_field(bilan_page *bp, xmlNodePtr parent, const char *name, const char *label, const char *stored,
                       size_t max, int hide_label, int read_only)
{
    const char *v = shown(bp->typed, name, stored);
    if (bp->fixed || read_only) {
        serve_el(parent, "texte-lu", v && *v ? v : "—");
        return;
    }
    char id[80], limit[24];
    snprintf(id, sizeof id, "champ-%s", name);
    snprintf(limit, sizeof limit, "%zu", max);
    xmlNodePtr z = serve_attr(serve_attr(serve_el(parent, "zone-bilan", v ? v : ""), "name", name), "id", id);
    serve_attr(serve_attr(z, "label", label), "max", limit);
    if (hide_label)
        serve_attr(z, "etiquette-cachee", "1");
}

/* The positionnement of domain node n (or the field for it) in cell. */
static void position_cell(bilan_page *bp, xmlNodePtr cell, const lsu_domain *d, xmlNodePtr n, int takes)
{
    const char *pos = n ? lsu_attr(n, "positionnement") : NULL, *ne = n ? lsu_attr(n, "non-evalue") : NULL;
    const char *cur = ne && strcmp(ne, "oui") == 0 ? "ne" : pos && pos[0] >= '1' && pos[0] <= '4' ? pos : "";
    if (bp->fixed || !takes) {
        char text[64] = "";
        if (strcmp(cur, "ne") == 0)
            snprintf(text, sizeof text, "%s", pos_labels[0]);
        else if (*cur)
            snprintf(text, sizeof text, "%c – %s", cur[0], pos_labels[cur[0] - '0']);
        if (*text)
            serve_el(cell, "texte-lu", text);
        return;
    }
    char name[64], id[80], *label = lsu_asprintf("Positionnement : %s", d->label);
    snprintf(name, sizeof name, "pos-%s", d->code);
    snprintf(id, sizeof id, "champ-%s", name);
    const char *v = shown(bp->typed, name, cur);
    xmlNodePtr sel = serve_attr(serve_attr(serve_el(cell, "choix", NULL), "name", name), "id", id);
    serve_attr(serve_attr(sel, "label", label), "etiquette-cachee", "1");
    free(label);
    static const char *const values[6] = {"", "1", "2", "3", "4", "ne"};
    for (int i = 0; i < 6; i++) {
        char text[64];
        if (i == 0)
            snprintf(text, sizeof text, "%s", "—");
        else if (i == 5)
            snprintf(text, sizeof text, "%s", pos_labels[0]);
        else
            snprintf(text, sizeof text, "%d – %s", i, pos_labels[i]);
        xmlNodePtr o = serve_attr(serve_el(sel, "option", text), "value", values[i]);
        if (strcmp(v ? v : "", values[i]) == 0)
            serve_attr(o, "selected", "1");
    }
}

/* The éléments du programme of domain node n as a list in cell. */
static void elements_cell(xmlNodePtr cell, xmlNodePtr n)
{
    xmlNodePtr l = NULL;
    for (xmlNodePtr e = lsu_child(n, "element-programme"); e; e = lsu_next_same(e)) {
        if (!l)
            l = serve_el(cell, "liste", NULL);
        serve_el(serve_el(l, "item", NULL), "texte-lu", lsu_attr_or_empty(e, "libelle"));
    }
}

/* One row of the acquis table: domain (or sub-domain) d, its node n. */
static xmlNodePtr acquis_row(xmlNodePtr grid, const lsu_domain *d, xmlNodePtr n)
{
    char id[64];
    snprintf(id, sizeof id, "acquis-%s", d->code);
    xmlNodePtr row = serve_attr(serve_el(grid, "rang", NULL), "id", id);
    xmlNodePtr label = serve_attr(serve_el(row, "cel", d->label), "entete", "1");
    if (d->parent)
        serve_attr(label, "classe", "sous-domaine");
    elements_cell(serve_el(row, "cel", NULL), n);
    return row;
}

/* The recto: « Suivi des acquis scolaires de l'élève ». */
static void recto(bilan_page *bp, xmlNodePtr parent)
{
    xmlNodePtr part = serve_attr(serve_attr(serve_el(parent, "partie", NULL), "id", "recto"), "titre",
                                 "Recto : suivi des acquis scolaires de l'élève");
    xmlNodePtr grid = serve_attr(serve_attr(serve_el(part, "grille", NULL), "id", "acquis"), "legende",
                                 "Suivi des acquis scolaires de l'élève");
    xmlNodePtr h = serve_el(grid, "entetes", NULL);
    const char *cols[] = {"Domaines d'enseignement", "Principaux éléments du programme travaillés",
                          "Acquisitions, progrès et difficultés éventuelles", "Positionnement [*]"};
    for (size_t i = 0; i < 4; i++)
        serve_el(h, "c", cols[i]);
    xmlNodePtr list = lsu_child(bp->bilan, "liste-acquis");
    const lsu_domain *d;
    for (size_t i = 0; (d = lsu_domain_at(i)) != NULL; i++) {
        if (d->parent)
            continue;
        xmlNodePtr a = coded_child(list, "acquis", d->code);
        if (!a && (d->legacy || !in_cycle(d, bp->cycle)))
            continue;
        /* the sub-domains shown: the cycle's, and any the bilan holds */
        const lsu_domain *subs[32];
        xmlNodePtr snodes[32];
        size_t ns = 0;
        const lsu_domain *s;
        for (size_t j = 0; (s = lsu_domain_at(j)) != NULL && ns < 32; j++) {
            if (!s->parent || strcmp(s->parent, d->code) != 0)
                continue;
            xmlNodePtr sn = coded_child(a, "sous-domaine", s->code);
            if (sn || (!s->legacy && in_cycle(s, bp->cycle))) {
                subs[ns] = s;
                snodes[ns++] = sn;
            }
        }
        /* what is entered: the cycle's current domains only (an imported
         * bilan may hold others, shown as they are) */
        int current = !d->legacy && in_cycle(d, bp->cycle), takes = current && !has_subdomains(d, bp->cycle);
        xmlNodePtr row = acquis_row(grid, d, a);
        char rows[16], name[64];
        snprintf(rows, sizeof rows, "%zu", ns + 1);
        snprintf(name, sizeof name, "app-%s", d->code);
        xmlNodePtr app = serve_attr(serve_el(row, "cel", NULL), "lignes", rows);
        char *label = lsu_asprintf("Appréciation : %s", d->label);
        text_field(bp, app, name, label ? label : "Appréciation", child_text(a, "appreciation"),
                   LSU_ENTRY_APPRECIATION_MAX, 1, !current);
        free(label);
        position_cell(bp, serve_el(row, "cel", NULL), d, a, takes);
        for (size_t j = 0; j < ns; j++) {
            xmlNodePtr sr = acquis_row(grid, subs[j], snodes[j]);
            position_cell(bp, serve_el(sr, "cel", NULL), subs[j], snodes[j],
                          current && !subs[j]->legacy && in_cycle(subs[j], bp->cycle));
        }
    }
    serve_el(part, "p",
             "[*] Positionnement par objectifs d'apprentissage : 1 = Non atteints 2 = Partiellement atteints "
             "3 = Atteints 4 = Dépassés");
}

/* « M. NOM Prénom » of a person element onto b. */
static void person(lsu_buf *b, xmlNodePtr p)
{
    const char *civ = lsu_attr(p, "civilite");
    lsu_buf_printf(b, "%s%s %s",
                   civ && strcmp(civ, "M") == 0     ? "M. "
                   : civ && strcmp(civ, "MME") == 0 ? "Mme "
                                                    : "",
                   lsu_attr_or_empty(p, "nom"), lsu_attr_or_empty(p, "prenom"));
}

/* The verso: parcours, modalités, appréciation générale, visas. */
static void verso(bilan_page *bp, xmlNodePtr parent, const lsu_entry_view *v, const char *locked_at)
{
    xmlNodePtr part =
        serve_attr(serve_attr(serve_el(parent, "partie", NULL), "id", "verso"), "titre", "Verso : parcours et bilan");
    serve_el(part, "h", "Parcours éducatifs");
    xmlNodePtr lp = lsu_child(bp->bilan, "liste-parcours");
    for (int k = 0; k < 3; k++) {
        xmlNodePtr pn = coded_child(lp, "parcours", parcours_codes[k]);
        const char *label = lsu_code_label("parcours", parcours_codes[k]);
        xmlNodePtr box = serve_attr(serve_el(part, "bloc", NULL), "id", parcours_codes[k]);
        serve_el(serve_el(box, "p", NULL), "fort", label);
        const char *projet = child_text(pn, "projet");
        if (!projet)
            projet = v->parcours[k];
        char *line =
            lsu_asprintf("Projet mis en œuvre : %s", projet ? projet : "aucun projet de la classe pour cette période");
        serve_el(box, "texte-lu", line);
        free(line);
        char name[64], *lab = lsu_asprintf("Implication de l'élève : %s", label);
        snprintf(name, sizeof name, "impl-%s", parcours_codes[k]);
        if (bp->fixed)
            serve_el(box, "p", "Implication de l'élève :");
        text_field(bp, box, name, lab ? lab : "Implication de l'élève", child_text(pn, "implication"),
                   LSU_ENTRY_PARCOURS_MAX, 0, 0);
        free(lab);
    }
    if (!bp->fixed)
        serve_el(part, "p",
                 "Seules doivent être saisies les informations pertinentes au regard du contexte. Elles ne doivent pas "
                 "comporter d'appréciations subjectives, ni faire apparaître, directement ou indirectement, les "
                 "origines raciales, les opinions politiques, philosophiques ou religieuses, les appartenances "
                 "syndicales, ou les mœurs de la personne concernée.");
    xmlNodePtr mod = lsu_child(bp->bilan, "modalites-accompagnement");
    if (mod) {
        serve_el(part, "h", "Modalités spécifiques d'accompagnement");
        xmlNodePtr l = serve_el(part, "liste", NULL);
        for (xmlNodePtr m = lsu_child(mod, "modalite-accompagnement"); m; m = lsu_next_same(m)) {
            const char *lab = lsu_attr(m, "libelle"), *ppre = child_text(m, "complement-ppre");
            xmlNodePtr it = serve_el(l, "item", lab && *lab ? lab : lsu_attr_or_empty(m, "code"));
            if (ppre) {
                char *t = lsu_asprintf("Information PPRE : %s", ppre);
                serve_el(it, "texte-lu", t);
                free(t);
            }
        }
    }
    serve_el(part, "h", "Bilan de l'acquisition des connaissances et compétences");
    if (bp->fixed)
        serve_el(part, "p", "Appréciation générale sur la progression de l'élève :");
    text_field(bp, part, "generale", "Appréciation générale sur la progression de l'élève",
               child_text(bp->bilan, "appreciation-generale"), LSU_ENTRY_GENERALE_MAX, 0, 0);
    serve_el(part, "h", "Communication avec la famille");
    lsu_buf visa = {0};
    lsu_buf_puts(&visa, "Visa de l'enseignant(e) : ");
    int first = 1;
    for (xmlNodePtr e = lsu_child(lsu_child(bp->bilan, "enseignants"), "enseignant"); e; e = lsu_next_same(e)) {
        if (!first)
            lsu_buf_puts(&visa, ", ");
        person(&visa, e);
        first = 0;
    }
    if (locked_at) {
        char iso[11], day[11];
        snprintf(iso, sizeof iso, "%.10s", locked_at);
        lsu_date_fr_from_iso(iso, day);
        lsu_buf_printf(&visa, ", le %s", day);
    }
    serve_el(part, "p", visa.data ? visa.data : "");
    lsu_buf_free(&visa);
    serve_el(part, "p", "Visa des parents / du responsable légal :");
}

/* The facts above the bilan: pupil, class, period, teachers, status. */
static void facts(bilan_page *bp, xmlNodePtr parent, const lsu_entry_scope *sc, const lsu_entry_pupil *p)
{
    xmlNodePtr dl = serve_el(parent, "dl", NULL);
    char *who = lsu_asprintf("%s %s", p->nom, p->prenom),
         *per = lsu_asprintf("%s %d-%d", sc->periode, sc->millesime, sc->millesime + 1);
    serve_attr(serve_el(dl, "d", who), "nom", "Élève");
    serve_attr(serve_el(dl, "d", p->ine), "nom", "INE");
    serve_attr(serve_el(dl, "d", sc->classe), "nom", "Classe");
    serve_attr(serve_el(dl, "d", per), "nom", "Période");
    free(who), free(per);
    lsu_buf t = {0};
    for (xmlNodePtr e = lsu_child(lsu_child(bp->bilan, "enseignants"), "enseignant"); e; e = lsu_next_same(e)) {
        if (t.len)
            lsu_buf_puts(&t, ", ");
        person(&t, e);
    }
    if (t.len)
        serve_attr(serve_el(dl, "d", t.data), "nom", "Enseignant(e)s");
    lsu_buf_free(&t);
    xmlNodePtr st = serve_attr(serve_el(dl, "d", NULL), "nom", "Statut");
    if (p->locked_at) {
        char iso[11], day[11];
        snprintf(iso, sizeof iso, "%.10s", p->locked_at);
        lsu_date_fr_from_iso(iso, day);
        char *s = lsu_asprintf("🔒 Bilan verrouillé le %s", day);
        serve_el(st, "fort", s);
        free(s);
        return;
    }
    lsu_buf missing = {0};
    if (!bp->bilan) {
        serve_el(st, "texte-lu", "Aucun bilan encore : le premier enregistrement le crée.");
    } else if (lsu_bilan_missing(bp->bilan, &missing) > 0) {
        serve_el(st, "texte-lu", "Incomplet");
        serve_attr(serve_attr(serve_el(st, "details", missing.data ? missing.data : ""), "resume", "?"), "titre",
                   "Ce qui manque pour verrouiller");
    } else {
        serve_el(st, "texte-lu", "Complet, à verrouiller");
    }
    lsu_buf_free(&missing);
}

/* « Enregistrer » (the guide's disquette) and « Annuler » (back to the
 * bilan in read mode) under form f. */
static void save_buttons(xmlNodePtr f, const char *screen)
{
    serve_attr(serve_el(f, "bouton", "Enregistrer"), "icone", "disquette");
    serve_cancel_link(f, screen);
}

/* Builds and sends the bilan page of pupil ine in scope sc (read from st):
 * `typed` the form sent when shown again, or the fields of `draft`
 * restored (both may be NULL; the draft's state token then goes with the
 * form), `notice` an info line, `errors` error lines (may be NULL), `rm`
 * the screen that would mend them (NULL: none); with status.  In read mode
 * (serve_edit_mode) the bilan is shown without a field, with « Modifier »
 * unless it is locked. */
static void send_bilan(serve_request *r, serve_response *res, const lsu_grant *g, lsu_store *st,
                       const lsu_entry_scope *sc, const char *ine, const serve_form *typed, const lsu_draft *draft,
                       const char *notice, const lsu_buf *errors, unsigned status, const lsu_remedy *rm)
{
    lsu_entry_view v;
    if (lsu_entry_view_read(st, sc, &v) != 0) {
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    size_t at = v.npupils;
    for (size_t i = 0; i < v.npupils; i++)
        if (strcmp(v.pupils[i].ine, ine) == 0)
            at = i;
    if (at == v.npupils) {
        lsu_entry_view_free(&v);
        serve_error(r, res, 404, "Élève introuvable", "Cet élève n'est pas dans la classe d'après la base élèves.");
        return;
    }
    const lsu_entry_pupil *p = &v.pupils[at];
    const char *cy = p->bilan ? lsu_attr(p->bilan, "cycle-classe") : NULL;
    bilan_page bp = {.r = r,
                     .typed = typed,
                     .bilan = p->bilan,
                     .cycle = cy && (cy[0] == '2' || cy[0] == '3') ? cy[0] - '0' : sc->cycle,
                     .locked = p->locked_at != NULL};
    bp.fixed = bp.locked || !serve_edit_mode(r);
    char *title = lsu_asprintf("Consultation du bilan de l'élève %s %s", p->nom, p->prenom);
    serve_page pg;
    serve_page_new(&pg, r, title ? title : "Bilan de l'élève");
    free(title);
    char *home = serve_school_url(g->uai, "bilans"), *rest = lsu_asprintf("bilans/%s?periode=%s", sc->classe, sc->bkey);
    char *cls = rest ? serve_school_url(g->uai, rest) : NULL;
    serve_attr(serve_el(pg.fil, "lien", "Bilans"), "href", home);
    serve_attr(serve_el(pg.fil, "lien", sc->classe), "href", cls);
    serve_el(pg.fil, "lien", "Saisie individuelle et recherche de bilans");
    free(home), free(rest), free(cls);
    if (notice)
        serve_el(pg.content, "info", notice);
    for (const char *e = errors && errors->data ? errors->data : NULL; e && *e;) {
        const char *nl = strchr(e, '\n');
        size_t len = nl ? (size_t)(nl - e) : strlen(e);
        char *line = lsu_asprintf("%.*s", (int)len, e);
        serve_el(pg.content, "erreur", line);
        free(line);
        e += len + (nl != NULL);
    }
    if (rm)
        serve_remedy(pg.content, g, rm);
    /* navigation: previous, recto, verso, Éditer, next */
    xmlNodePtr nav = serve_el(pg.content, "p", NULL);
    if (at > 0) {
        char *u = bilan_url(g->uai, sc->classe, v.pupils[at - 1].ine, sc->bkey, 0);
        serve_attr(serve_attr(serve_el(nav, "lien", "← Bilan précédent"), "href", u), "titre", "Bilan précédent");
        free(u);
        serve_el(nav, "sep", NULL);
    }
    serve_attr(serve_el(nav, "lien", "Recto"), "href", "#recto");
    serve_el(nav, "sep", NULL);
    serve_attr(serve_el(nav, "lien", "Verso"), "href", "#verso");
    serve_el(nav, "sep", NULL);
    char *pdf = lsu_asprintf("/ecole/%s/bilans/%s/pdf/%s?periode=%s%s", g->uai, sc->classe, p->ine, sc->bkey,
                             bp.locked ? "" : "&essai=1");
    serve_attr(serve_attr(serve_el(nav, "lien", bp.locked ? "Éditer" : "Impression d'essai"), "href", pdf), "titre",
               bp.locked ? "Editer le bilan de l'élève (PDF, bilan verrouillé)"
                         : "Bilan non verrouillé : PDF sous le filigrane « Document de travail »");
    free(pdf);
    if (at + 1 < v.npupils) {
        char *u = bilan_url(g->uai, sc->classe, v.pupils[at + 1].ine, sc->bkey, 0);
        serve_el(nav, "sep", NULL);
        serve_attr(serve_attr(serve_el(nav, "lien", "Bilan suivant →"), "href", u), "titre", "Bilan suivant");
        free(u);
    }
    /* the other periods of the class, for the same pupil */
    xmlNodePtr per = serve_el(pg.content, "p", "Périodes : ");
    for (int i = 1; i <= sc->nb && i <= 12; i++) {
        char key[64], si[16], sn[16], name[64];
        snprintf(key, sizeof key, "P:%d:%d/%d", sc->millesime, i, sc->nb);
        snprintf(si, sizeof si, "%d", i);
        snprintf(sn, sizeof sn, "%d", sc->nb);
        lsu_period_name(si, sn, name, sizeof name);
        if (i > 1)
            serve_el(per, "sep", NULL);
        if (i == sc->indice) {
            serve_el(per, "fort", name);
            continue;
        }
        char *u = bilan_url(g->uai, sc->classe, p->ine, key, 0);
        serve_attr(serve_el(per, "lien", name), "href", u);
        free(u);
    }
    facts(&bp, pg.content, sc, p);
    xmlNodePtr body = pg.content;
    char *screen = bilan_url(g->uai, sc->classe, p->ine, sc->bkey, 1); /* the drafts' key */
    if (!screen)
        bp.fixed = 1;
    if (bp.locked) {
        serve_attr(serve_el(pg.content, "info",
                            "🔒 Bilan verrouillé : il ne se modifie plus (le directeur peut le "
                            "déverrouiller depuis la liste de la classe)."),
                   "id", "verrouille");
    } else if (bp.fixed && screen) {
        serve_edit_link(pg.content, screen);
    } else if (screen) {
        if (draft)
            serve_draft_banner(pg.content, r, screen, draft);
        char *self = bilan_url(g->uai, sc->classe, p->ine, sc->bkey, 0);
        char *q = self ? strchr(self, '?') : NULL;
        if (q)
            *q = '\0';
        body = serve_attr(serve_form_el(pg.content, r, self, "post"), "id", "saisie");
        free(self);
        serve_draft_form(body, r, screen);
        serve_attr(serve_attr(serve_el(body, "cache", NULL), "name", "etat"), "value", draft ? draft->state : v.state);
        serve_attr(serve_attr(serve_el(body, "cache", NULL), "name", "periode"), "value", sc->bkey);
    }
    recto(&bp, body);
    if (!bp.fixed)
        save_buttons(body, screen);
    verso(&bp, body, &v, p->locked_at);
    if (!bp.fixed)
        save_buttons(body, screen);
    free(screen);
    lsu_entry_view_free(&v);
    serve_page_send(&pg, r, res, status);
}

/* See serve_int.h: GET /ecole/UAI/bilans/CLASSE/eleve/INE?periode=P. */
void serve_screen_bilan(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe, const char *ine)
{
    lsu_store st;
    lsu_entry_scope sc;
    if (open_scope(r, res, g, classe, serve_form_get(&r->query, "periode"), &st, &sc) != 0)
        return;
    const char *ok = serve_form_get(&r->query, "enregistre");
    char *screen = bilan_url(g->uai, sc.classe, ine, sc.bkey, 1);
    lsu_draft d;
    serve_form typed;
    int restored = screen && serve_draft_load(r, screen, &d, &typed);
    send_bilan(r, res, g, &st, &sc, ine, restored ? &typed : NULL, restored ? &d : NULL,
               ok ? (strcmp(ok, "1") == 0 ? "Enregistré." : "Enregistré : aucune modification.") : NULL, NULL, 200,
               NULL);
    serve_form_clear(&typed);
    lsu_draft_clear(&d);
    free(screen);
    lsu_entry_scope_free(&sc);
    lsu_store_close(&st);
}

/* The changes of the entry form into ch[0..*n) (texts borrowed from the
 * form) with, per change, what it is for refusals (labels, owned). */
static size_t form_changes(const serve_form *f, const char *ine, lsu_entry_change *ch, char **labels, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n && n < cap; i++) {
        const char *name = f->fields[i].name, *v = f->fields[i].value;
        lsu_entry_change c = {.ine = ine, .text = v};
        char *label = NULL;
        if (strncmp(name, "app-", 4) == 0) {
            const lsu_domain *d = lsu_domain_find(name + 4);
            c.kind = LSU_ENTRY_APPRECIATION, c.domain = name + 4;
            label = lsu_asprintf("Appréciation de %s", d ? d->label : name + 4);
        } else if (strncmp(name, "pos-", 4) == 0) {
            const lsu_domain *d = lsu_domain_find(name + 4);
            c.kind = LSU_ENTRY_POSITION, c.domain = name + 4, c.text = NULL;
            c.value = !*v ? -1 : strcmp(v, "ne") == 0 ? 0 : v[0] >= '1' && v[0] <= '4' && !v[1] ? v[0] - '0' : 5;
            label = lsu_asprintf("Positionnement de %s", d ? d->label : name + 4);
        } else if (strncmp(name, "impl-", 5) == 0) {
            c.kind = LSU_ENTRY_PARCOURS, c.domain = name + 5;
            label = lsu_asprintf("Implication de l'élève (%s)", lsu_code_label("parcours", name + 5));
        } else if (strcmp(name, "generale") == 0) {
            c.kind = LSU_ENTRY_GENERALE;
            label = lsu_strdup_or_null("Appréciation générale");
        } else {
            continue;
        }
        labels[n] = label;
        ch[n++] = c;
    }
    return n;
}

/* « par ens le 03/12/2026 à 17:02 » of the last change (author, at ISO). */
static void who_when(lsu_buf *b, const char *author, const char *at)
{
    if (author && *author)
        lsu_buf_printf(b, " par %s", author);
    if (at && strlen(at) >= 16) {
        char iso[11], day[11];
        snprintf(iso, sizeof iso, "%.10s", at);
        lsu_date_fr_from_iso(iso, day);
        lsu_buf_printf(b, " le %s à %.5s (UTC)", day, at + 11);
    }
}

/* See serve_int.h: POST /ecole/UAI/bilans/CLASSE/eleve/INE: the entry,
 * applied with the state token the page was shown with. */
void serve_screen_bilan_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe,
                             const char *ine)
{
    const char *state = serve_form_get(&r->form, "etat"), *periode = serve_form_get(&r->form, "periode");
    if (!state || !periode) {
        serve_error(r, res, 400, "Formulaire incomplet",
                    "Ce formulaire ne dit pas quel bilan il modifie : rechargez la page et recommencez.");
        return;
    }
    lsu_store st;
    lsu_entry_scope sc;
    if (open_scope(r, res, g, classe, periode, &st, &sc) != 0)
        return;
    /* a locked bilan is refused before anything (the library would too) */
    lsu_entry_view v;
    int locked = -1;
    if (lsu_entry_view_read(&st, &sc, &v) == 0) {
        for (size_t i = 0; i < v.npupils && locked < 0; i++)
            if (strcmp(v.pupils[i].ine, ine) == 0)
                locked = v.pupils[i].locked_at != NULL;
        lsu_entry_view_free(&v);
    }
    lsu_buf msg = {0};
    if (locked != 0) {
        if (locked > 0)
            lsu_buf_puts(&msg, "Bilan verrouillé : il ne se modifie plus ; rien n'est enregistré. Le directeur peut "
                               "le déverrouiller depuis la liste de la classe.\n");
        send_bilan(r, res, g, &st, &sc, ine, NULL, NULL, NULL, &msg, 409, NULL);
        lsu_buf_free(&msg);
        lsu_entry_scope_free(&sc);
        lsu_store_close(&st);
        return;
    }
    lsu_entry_change ch[SERVE_FORM_MAX_FIELDS];
    char *labels[SERVE_FORM_MAX_FIELDS];
    size_t n = form_changes(&r->form, ine, ch, labels, SERVE_FORM_MAX_FIELDS);
    lsu_entry_options opt = {.author = r->login, .expect_state = state};
    lsu_entry_result out;
    int k = lsu_entry_apply(&st, &sc, ch, n, &opt, &out);
    if (k == 0) {
        int same = !out.diff.len || strcmp(out.diff.data, "Aucune différence.\n") == 0;
        char *what = lsu_asprintf("saisie du bilan %s (%s, %s)%s", ine, sc.classe, sc.bkey, same ? " : inchangé" : "");
        lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, what ? what : "saisie", time(NULL));
        free(what);
        char *url = bilan_url(g->uai, sc.classe, ine, sc.bkey, 1);
        serve_draft_saved(r, url);
        char *loc = url ? lsu_asprintf("%s&enregistre=%d", url, same ? 0 : 1) : NULL;
        serve_redirect(res, loc ? loc : "/");
        free(url), free(loc);
    } else if (k == 1) {
        lsu_buf_printf(&msg, "Rien n'est enregistré : %zu saisie%s refusée%s.\n", out.nrefused,
                       out.nrefused > 1 ? "s" : "", out.nrefused > 1 ? "s" : "");
        for (size_t i = 0; i < out.nrefused; i++)
            lsu_buf_printf(&msg, "%s : %s\n", out.refused[i].index < n ? labels[out.refused[i].index] : "Saisie",
                           out.refused[i].why);
        send_bilan(r, res, g, &st, &sc, ine, &r->form, NULL, NULL, &msg, 422, NULL);
    } else if (k == 2) {
        lsu_buf_printf(&msg, "Une autre saisie a été faite dans la classe %s pour la période %s", sc.classe,
                       sc.periode);
        who_when(&msg, out.stale_author, out.stale_at);
        lsu_buf_puts(&msg, " depuis l'ouverture de cette page : rien n'est enregistré. Vos saisies sont reprises "
                           "ci-dessous sur le bilan à jour ; vérifiez-les et enregistrez de nouveau.\n");
        send_bilan(r, res, g, &st, &sc, ine, &r->form, NULL, NULL, &msg, 409, NULL);
    } else if (k == 3) {
        lsu_buf_printf(&msg, "Rien n'est enregistré : %s\n", out.why ? out.why : "la saisie n'a pas pu être faite.");
        send_bilan(r, res, g, &st, &sc, ine, &r->form, NULL, NULL, &msg, 409, &out.remedy);
    } else {
        serve_error(r, res, 500, "Erreur interne", "La saisie n'a pas pu être enregistrée ; rien n'a changé.");
    }
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    lsu_entry_result_free(&out);
    lsu_buf_free(&msg);
    lsu_entry_scope_free(&sc);
    lsu_store_close(&st);
}
