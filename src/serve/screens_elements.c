/* The collective entry screens of lsu serve (LSU guide, « Saisie
 * collective des éléments du programme » and « Saisie collective des
 * parcours éducatifs »): per class and period, the éléments du programme
 * of a domain (the « rappel », each editable, removable, reorderable, « +
 * Ajouter un élément », the « aide à la saisie » of school/aide.h) and the
 * three parcours éducatifs of the class.  Every change goes through
 * lsu_entry_apply, as lsu enter's do, with the state token the page was
 * shown with: a page shown before someone else's change is refused (409)
 * with his name, and what was typed is shown again. */
#include "import/nomenclature.h"
#include "school/aide.h"
#include "school/entry.h"
#include "school/listing.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const unsigned char res_serve_js[];
extern const unsigned long res_serve_js_len;

/* See serve_int.h: GET /saisie.js, the counters' script. */
void serve_screen_entry_js(serve_response *res)
{
    lsu_buf_add(&res->body, (const char *)res_serve_js, res_serve_js_len);
    res->content_type = "text/javascript; charset=utf-8";
    res->status = 200;
}

/* Code points of s (valid UTF-8), after its leading and trailing blanks. */
static size_t code_points(const char *s)
{
    const char *a = s ? s : "", *b;
    while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
        a++;
    for (b = a + strlen(a); b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'); b--)
        ;
    size_t n = 0;
    for (const char *p = a; p < b; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

/* Are a and b the same text, leading and trailing blanks aside? */
static int same_text(const char *a, const char *b)
{
    while (*a == ' ' || *a == '\n' || *a == '\r' || *a == '\t')
        a++;
    while (*b == ' ' || *b == '\n' || *b == '\r' || *b == '\t')
        b++;
    size_t la = strlen(a), lb = strlen(b);
    while (la && strchr(" \n\r\t", a[la - 1]))
        la--;
    while (lb && strchr(" \n\r\t", b[lb - 1]))
        lb--;
    return la == lb && memcmp(a, b, la) == 0;
}

/* s percent-encoded for a URL's path or query (unreserved bytes kept). */
static void url_put(lsu_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            lsu_buf_add(b, (const char *)p, 1);
        else
            lsu_buf_printf(b, "%%%02X", *p);
    }
}

/* The URL of screen `what` (elements, parcours) of a class, period and
 * domain (NULL: none), with `extra` ("enregistre=1") appended (owned). */
static char *screen_url(const char *uai, const char *what, const char *classe, int periode, const char *domain,
                        const char *extra)
{
    lsu_buf b = {0};
    lsu_buf_printf(&b, "/ecole/%s/%s", uai, what);
    if (classe) {
        lsu_buf_puts(&b, "/");
        url_put(&b, classe);
    }
    if (periode > 0)
        lsu_buf_printf(&b, "?periode=%d", periode);
    if (domain) {
        lsu_buf_puts(&b, "&domaine=");
        url_put(&b, domain);
    }
    if (extra)
        lsu_buf_printf(&b, "%s%s", periode > 0 ? "&" : "?", extra);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* What a screen of a class and period works on. */
typedef struct {
    lsu_store st;
    lsu_entry_scope sc;
    lsu_entry_view v;
    int periode; /* the period's number in the class's periodicity */
    char **periods;
    int nperiods;
} entry_ctx;

/* Releases what open_entry opened. */
static void close_entry(entry_ctx *c)
{
    for (int i = 0; i < c->nperiods; i++)
        free(c->periods[i]);
    free(c->periods);
    lsu_entry_view_free(&c->v);
    lsu_entry_scope_free(&c->sc);
    lsu_store_close(&c->st);
}

/* Opens the store, the scope of `classe` and period number `periode` (a
 * text, NULL or bad: 1), the labels of the class's periods and the view.
 * 0, or -1 with an error page in res (c closed). */
static int open_entry(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe,
                      const char *periode, entry_ctx *c)
{
    memset(c, 0, sizeof *c);
    char *end = NULL;
    long want = periode ? strtol(periode, &end, 10) : 1;
    if (!periode || end == periode || *end || want < 1 || want > 99)
        want = 1;
    if (serve_open_store(r, res, g, 0, &c->st) != 0)
        return -1;
    lsu_buf why = {0};
    char num[16];
    snprintf(num, sizeof num, "%ld", want);
    int k = lsu_entry_scope_open(&c->st, classe, num, &c->sc, &why);
    if (k == 2 && want != 1) { /* a period the class does not have: its first */
        lsu_buf_free(&why);
        want = 1;
        k = lsu_entry_scope_open(&c->st, classe, "1", &c->sc, &why);
    }
    c->periode = (int)want;
    if (k == 0) {
        c->nperiods = c->sc.nb > 0 && c->sc.nb < 100 ? c->sc.nb : 0;
        c->periods = calloc((size_t)c->nperiods + 1, sizeof *c->periods);
        for (int i = 0; c->periods && i < c->nperiods && k == 0; i++) {
            lsu_entry_scope o;
            lsu_buf w = {0};
            snprintf(num, sizeof num, "%d", i + 1);
            k = lsu_entry_scope_open(&c->st, classe, num, &o, &w) < 0 ? -1 : 0;
            c->periods[i] = lsu_asprintf("%s %d-%d", o.periode ? o.periode : num, o.millesime, o.millesime + 1);
            lsu_entry_scope_free(&o);
            lsu_buf_free(&w);
        }
        if (k == 0 && (!c->periods || lsu_entry_view_read(&c->st, &c->sc, &c->v) != 0))
            k = -1;
    }
    if (k != 0) {
        if (k == 2)
            serve_error_remedy(r, res, 404, "Classe ou période inconnue", why.data ? why.data : "Classe inconnue.", g,
                               &c->sc.remedy);
        else
            serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        lsu_buf_free(&why);
        close_entry(c);
        return -1;
    }
    lsu_buf_free(&why);
    return 0;
}

/* The page of a screen of a class: title, breadcrumb, the period's (and
 * domain's) selector as a GET form, the import mode's alerte. */
static void entry_page(serve_page *p, serve_request *r, const lsu_grant *g, entry_ctx *c, const char *what,
                       const char *label, const char **domains, size_t ndomains, const char *domain)
{
    char *title = lsu_asprintf("%s de la classe %s", label, c->sc.classe);
    serve_page_new(p, r, title ? title : label);
    free(title);
    serve_attr(p->root, "script", "/saisie.js");
    char *bilans = serve_school_url(g->uai, "bilans"), *list = screen_url(g->uai, what, NULL, 0, NULL, NULL);
    serve_attr(serve_el(p->fil, "lien", "Bilans"), "href", bilans);
    serve_el(p->fil, "lien", "Saisie collective");
    serve_attr(serve_el(p->fil, "lien", label), "href", list);
    serve_el(p->fil, "lien", c->sc.classe);
    free(bilans), free(list);
    char *self = screen_url(g->uai, what, c->sc.classe, 0, NULL, NULL);
    xmlNodePtr f = serve_attr(serve_form_el(p->content, r, self, "get"), "id", "selection");
    free(self);
    xmlNodePtr sel = serve_el(f, "choix", NULL);
    serve_attr(serve_attr(serve_attr(sel, "name", "periode"), "id", "champ-periode"), "label", "Période");
    for (int i = 0; i < c->nperiods; i++) {
        char v[16];
        snprintf(v, sizeof v, "%d", i + 1);
        xmlNodePtr o = serve_attr(serve_el(sel, "option", c->periods[i]), "value", v);
        if (i + 1 == c->periode)
            serve_attr(o, "selected", "1");
    }
    if (ndomains) {
        sel = serve_el(f, "choix", NULL);
        serve_attr(serve_attr(serve_attr(sel, "name", "domaine"), "id", "champ-domaine"), "label",
                   "Domaine d'enseignement");
        for (size_t i = 0; i < ndomains; i++) {
            const lsu_domain *d = lsu_domain_find(domains[i]);
            const char *parent = d && d->parent ? lsu_code_label("domaine", d->parent) : NULL;
            char *text = parent && *parent ? lsu_asprintf("%s : %s", parent, lsu_code_label("domaine", domains[i]))
                                           : lsu_strdup_or_null(lsu_code_label("domaine", domains[i]));
            xmlNodePtr o = serve_attr(serve_el(sel, "option", text), "value", domains[i]);
            free(text);
            if (domain && strcmp(domains[i], domain) == 0)
                serve_attr(o, "selected", "1");
        }
    }
    serve_el(f, "bouton", "Afficher");
    if (c->sc.import_mode && strcmp(c->sc.import_mode, "logiciel") == 0)
        serve_el(p->content, "info",
                 "Cette classe est paramétrée en import d'un logiciel de suivi : le prochain import remplacera "
                 "les bilans non verrouillés de la classe (Paramétrage de l'import : saisie manuelle pour saisir "
                 "ici).");
}

/* « Enregistré. », and the locked bilans the change left as they were
 * (?verrouilles=N of the redirection). */
static void saved_note(xmlNodePtr content, serve_request *r)
{
    const char *v = serve_form_get(&r->query, "verrouilles");
    long n = v ? strtol(v, NULL, 10) : 0;
    char *t = n > 0 ? lsu_asprintf("Enregistré. %ld bilan%s verrouillé%s n'%s pas été modifié%s.", n, n > 1 ? "s" : "",
                                   n > 1 ? "s" : "", n > 1 ? "ont" : "a", n > 1 ? "s" : "")
                    : NULL;
    serve_el(content, "info", t ? t : "Enregistré.");
    free(t);
}

/* "le 12/01/2025 à 10:05" from the store's date-time (owned). */
static char *when_fr(const char *at)
{
    if (!at || strlen(at) < 16)
        return lsu_strdup_or_null("à une date inconnue");
    char day[11], iso[11];
    snprintf(iso, sizeof iso, "%.10s", at);
    lsu_date_fr_from_iso(iso, day);
    return lsu_asprintf("le %s à %.5s (UTC)", day, at + 11);
}

/* The outcome of a POST shown on the page again: refusals, stale state,
 * a bilan that cannot be born. */
static void show_outcome(xmlNodePtr content, const lsu_grant *g, int rc, const lsu_entry_result *res,
                         const char *const *what)
{
    if (rc == 2) {
        char *when = when_fr(res->stale_at);
        char *msg = lsu_asprintf("Rien n'est enregistré : %s a modifié cette classe pour cette période %s, "
                                 "depuis l'affichage de la page. Voici la saisie à jour, avec ce que vous aviez "
                                 "saisi : vérifiez et enregistrez à nouveau.",
                                 res->stale_author ? res->stale_author : "quelqu'un", when ? when : "");
        serve_el(content, "erreur", msg);
        free(msg), free(when);
    } else if (rc == 3) {
        serve_el(content, "erreur", res->why ? res->why : "Le directeur de l'école n'est pas renseigné.");
        serve_remedy(content, g, &res->remedy);
    } else if (rc == 1) {
        serve_el(content, "erreur", "Rien n'est enregistré :");
        xmlNodePtr l = serve_el(content, "liste", NULL);
        serve_attr(l, "id", "refus-liste");
        for (size_t i = 0; i < res->nrefused; i++) {
            char *t = lsu_asprintf("%s%s%s", what && what[res->refused[i].index] ? what[res->refused[i].index] : "",
                                   what && what[res->refused[i].index] ? " : " : "", res->refused[i].why);
            serve_el(serve_el(l, "item", NULL), "fort", t);
            free(t);
        }
        for (size_t i = 0; i < res->nrefused; i++) /* the first refusal's remedy: one link */
            if (res->refused[i].remedy.kind != LSU_REMEDY_NONE) {
                serve_remedy(content, g, &res->refused[i].remedy);
                break;
            }
    }
}

/* A text area of the page: label, name, id, the text, its limit. */
static xmlNodePtr text_area(xmlNodePtr parent, const char *name, const char *label, const char *text, size_t max,
                            const char *hint)
{
    char id[80], count[24], m[24];
    snprintf(id, sizeof id, "champ-%s", name);
    size_t n = code_points(text);
    snprintf(count, sizeof count, "%zu", n);
    snprintf(m, sizeof m, "%zu", max);
    xmlNodePtr z = serve_el(parent, "zone", text ? text : "");
    serve_attr(serve_attr(serve_attr(z, "name", name), "id", id), "label", label);
    serve_attr(serve_attr(serve_attr(z, "max", m), "compte", count), "lignes", max > 300 ? "5" : "3");
    serve_attr(z, "indication", hint);
    if (n > max)
        serve_attr(z, "trop", "1");
    return z;
}

/* The domains of cycle `cycle` that take éléments (either cycle when 0),
 * into out (NULL-terminated list order); their count. */
static size_t class_domains(int cycle, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; lsu_aide_domains[i] && n < max; i++)
        if (cycle ? lsu_aide_domain_ok(lsu_aide_domains[i], cycle)
                  : lsu_aide_domain_ok(lsu_aide_domains[i], 2) || lsu_aide_domain_ok(lsu_aide_domains[i], 3))
            out[n++] = lsu_aide_domains[i];
    return n;
}

/* The text the user typed for the élément labelled `label` (its orig-K
 * field), or NULL. */
static const char *typed_for(const serve_form *typed, const char *label, int *used, size_t nused)
{
    for (size_t k = 1; typed && k <= nused; k++) {
        char name[32];
        snprintf(name, sizeof name, "orig-%zu", k);
        const char *o = serve_form_get(typed, name);
        if (o && strcmp(o, label) == 0) {
            snprintf(name, sizeof name, "el-%zu", k);
            used[k - 1] = 1;
            return serve_form_get(typed, name);
        }
    }
    return NULL;
}

/* The éléments of c for `domain` as the read mode shows them: a list, or
 * « Aucun élément … », and « Modifier » to `screen` in edit mode. */
static void elements_read(xmlNodePtr content, const entry_ctx *c, const char *domain, const char *screen)
{
    xmlNodePtr l = NULL;
    for (size_t i = 0; i < c->v.nelements; i++) {
        if (strcmp(c->v.elements[i].domain, domain) != 0)
            continue;
        if (!l)
            l = serve_attr(serve_el(content, "liste", NULL), "id", "elements-lus");
        serve_el(serve_el(l, "item", NULL), "texte-lu", c->v.elements[i].libelle);
    }
    if (!l)
        serve_el(content, "p", "Aucun élément de programme n'est encore renseigné");
    serve_edit_link(content, screen);
}

/* The éléments screen of c for `domain`: the rappel, the new élément,
 * the aide; `typed` (the POST refused, a draft restored, or NULL) fills
 * the fields again, `draft`'s state token (NULL: the view's) goes with
 * the form.  In read mode (serve_edit_mode), the rappel and « Modifier ». */
static void elements_page(serve_request *r, serve_response *res, const lsu_grant *g, entry_ctx *c, const char *domain,
                          const serve_form *typed, const lsu_draft *draft, int rc, const lsu_entry_result *er,
                          const char *const *what, unsigned status)
{
    const char *domains[32];
    size_t nd = class_domains(c->sc.cycle, domains, 32);
    serve_page p;
    entry_page(&p, r, g, c, "elements", "Éléments du programme", domains, nd, domain);
    if (!typed && serve_form_get(&r->query, "enregistre"))
        saved_note(p.content, r);
    show_outcome(p.content, g, rc, er, what);
    const char *dlabel = lsu_code_label("domaine", domain);
    char *head = lsu_asprintf("Principaux éléments du programme travaillés durant la période pour le domaine "
                              "d'enseignement « %s »",
                              dlabel);
    serve_el(p.content, "h", head);
    free(head);
    char *self = screen_url(g->uai, "elements", c->sc.classe, c->periode, domain, NULL);
    if (!serve_edit_mode(r) && self) {
        elements_read(p.content, c, domain, self);
        free(self);
        serve_page_send(&p, r, res, status);
        return;
    }
    if (draft && self)
        serve_draft_banner(p.content, r, self, draft);
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, self, "post"), "id", "elements");
    if (self)
        serve_draft_form(f, r, self);
    serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "etat"), "value", draft ? draft->state : c->v.state);
    size_t ntyped = 0;
    const char *tn = typed ? serve_form_get(typed, "n") : NULL;
    if (tn)
        ntyped = (size_t)strtoul(tn, NULL, 10);
    if (ntyped > SERVE_FORM_MAX_FIELDS)
        ntyped = SERVE_FORM_MAX_FIELDS;
    int *used = calloc(ntyped + 1, sizeof *used);
    size_t k = 0, total = 0;
    for (size_t i = 0; i < c->v.nelements; i++)
        total += strcmp(c->v.elements[i].domain, domain) == 0;
    for (size_t i = 0; i < c->v.nelements; i++) {
        const lsu_entry_element *e = &c->v.elements[i];
        if (strcmp(e->domain, domain) != 0)
            continue;
        k++;
        char legend[48], name[32], num[16], label[64];
        snprintf(legend, sizeof legend, "Élément %zu", k);
        snprintf(num, sizeof num, "%zu", k);
        xmlNodePtr gr = serve_attr(serve_attr(serve_el(f, "groupe", NULL), "legende", legend), "classe", "element");
        snprintf(name, sizeof name, "orig-%zu", k);
        serve_attr(serve_attr(serve_el(gr, "cache", NULL), "name", name), "value", e->libelle);
        const char *t = used ? typed_for(typed, e->libelle, used, ntyped) : NULL;
        snprintf(name, sizeof name, "el-%zu", k);
        snprintf(label, sizeof label, "Texte de l'élément %zu", k);
        text_area(gr, name, label, t ? t : e->libelle, LSU_ENTRY_ELEMENT_MAX, NULL);
        static const char *const acts[][3] = {{"monter", "↑ Monter", "Monter"},
                                              {"descendre", "↓ Descendre", "Descendre"},
                                              {"supprimer", "Supprimer", "Supprimer"}};
        for (size_t a = 0; a < 3; a++) {
            if ((a == 0 && k == 1) || (a == 1 && k == total))
                continue; /* the first does not go up, the last not down */
            char value[48], title[64];
            snprintf(value, sizeof value, "%s-%zu", acts[a][0], k);
            snprintf(title, sizeof title, "%s l'élément %zu", acts[a][2], k);
            xmlNodePtr b = serve_el(gr, "action", acts[a][1]);
            serve_attr(serve_attr(serve_attr(b, "name", "action"), "value", value), "titre", title);
        }
    }
    if (k == 0)
        serve_el(f, "p", "Aucun élément de programme n'est encore renseigné");
    char count[16];
    snprintf(count, sizeof count, "%zu", k);
    serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "n"), "value", count);
    /* what was typed and has no field any more (the élément was changed meanwhile) */
    for (size_t i = 1; used && i <= ntyped; i++) {
        char name[32];
        snprintf(name, sizeof name, "el-%zu", i);
        const char *t = serve_form_get(typed, name);
        snprintf(name, sizeof name, "orig-%zu", i);
        const char *o = serve_form_get(typed, name);
        if (!used[i - 1] && t && o && !same_text(t, o))
            serve_attr(serve_el(f, "pre", t), "id", "saisie-non-retrouvee");
    }
    free(used);
    text_area(f, "nouveau", "Nouvel élément du programme", typed ? serve_form_get(typed, "nouveau") : NULL,
              LSU_ENTRY_ELEMENT_MAX,
              "Vous pouvez saisir un élément de programme. Vous pouvez également utiliser l'aide à la saisie "
              "proposée ci-dessous...");
    serve_attr(serve_attr(serve_el(f, "action", "+ Ajouter un élément"), "name", "action"), "value", "ajouter");
    xmlNodePtr save =
        serve_attr(serve_attr(serve_el(f, "action", "Enregistrer"), "name", "action"), "value", "enregistrer");
    serve_attr(save, "icone", "disquette");
    if (self)
        serve_cancel_link(f, self);
    free(self);
    /* the aide à la saisie of the class's cycle and level */
    xmlNodePtr d =
        serve_attr(serve_attr(serve_el(f, "depliant", NULL), "resume", "Afficher l'aide à la saisie"), "id", "aide");
    if (serve_form_get(&r->query, "aide") || (typed && serve_form_get(typed, "aide")))
        serve_attr(d, "ouvert", "1"); /* after an addition from the aide, it stays open */
    const lsu_aide_entry *found[400];
    long nf = c->sc.cycle ? lsu_aide_find(c->sc.cycle, c->sc.niveau, domain, c->sc.millesime, found, 400) : 0;
    if (nf > 400)
        nf = 400;
    char *intro = c->sc.niveau && *c->sc.niveau
                      ? lsu_asprintf("Propositions de connaissances et compétences travaillées en « %s » pour le "
                                     "niveau %s :",
                                     dlabel, c->sc.niveau)
                      : lsu_asprintf("Propositions de connaissances et compétences travaillées en « %s » pour le "
                                     "cycle %d :",
                                     dlabel, c->sc.cycle);
    serve_el(d, "p", nf > 0 ? intro : "Aucune proposition pour ce domaine, ce cycle et cette année scolaire.");
    free(intro);
    const char *theme = NULL;
    xmlNodePtr l = NULL;
    for (long i = 0; i < nf; i++) {
        if (!theme || strcmp(theme, found[i]->theme) != 0) {
            theme = found[i]->theme;
            serve_el(serve_el(d, "p", NULL), "fort", theme);
            l = serve_el(d, "liste", NULL);
        }
        xmlNodePtr it = serve_el(l, "item", found[i]->libelle);
        int entered = 0;
        for (size_t e = 0; e < c->v.nelements && !entered; e++)
            entered =
                strcmp(c->v.elements[e].domain, domain) == 0 && same_text(c->v.elements[e].libelle, found[i]->libelle);
        if (entered) { /* LSU refuses the same élément twice */
            serve_el(it, "fort", " (déjà saisi)");
            continue;
        }
        char *title = lsu_asprintf("Ajouter « %s »", found[i]->libelle);
        serve_attr(serve_attr(serve_attr(serve_el(it, "action", "+"), "name", "aide"), "value", found[i]->libelle),
                   "titre", title);
        free(title);
    }
    if (nf > 0)
        serve_el(d, "p", found[0]->source);
    serve_page_send(&p, r, res, status);
}

/* The domain asked (a code that takes éléments in the class's cycle),
 * else the first such: borrowed, NULL when the class has none. */
static const char *pick_domain(const entry_ctx *c, const char *asked)
{
    const char *domains[32];
    size_t nd = class_domains(c->sc.cycle, domains, 32);
    for (size_t i = 0; asked && i < nd; i++)
        if (strcmp(domains[i], asked) == 0)
            return domains[i];
    return nd ? domains[0] : NULL;
}

/* See serve_int.h: GET /ecole/UAI/elements/CLASSE?periode=P&domaine=D. */
void serve_screen_elements(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    entry_ctx c;
    if (open_entry(r, res, g, classe, serve_form_get(&r->query, "periode"), &c) != 0)
        return;
    const char *domain = pick_domain(&c, serve_form_get(&r->query, "domaine"));
    if (!domain)
        serve_error(r, res, 404, "Aucun domaine", "Le cycle de cette classe n'est pas connu (niveau hors école).");
    else {
        char *screen = screen_url(g->uai, "elements", c.sc.classe, c.periode, domain, NULL);
        lsu_draft d;
        serve_form typed;
        int restored = screen && serve_draft_load(r, screen, &d, &typed);
        elements_page(r, res, g, &c, domain, restored ? &typed : NULL, restored ? &d : NULL, 0, NULL, NULL, 200);
        serve_form_clear(&typed);
        lsu_draft_clear(&d);
        free(screen);
    }
    close_entry(&c);
}

/* Applies changes[0..n) to c's scope with the state the page was shown
 * with; 0 applied, else the status of lsu_entry_apply. */
static int apply(serve_request *r, const lsu_grant *g, entry_ctx *c, const lsu_entry_change *ch, size_t n,
                 lsu_entry_result *er, const char *what)
{
    lsu_entry_options o = {.author = r->login, .expect_state = serve_form_get(&r->form, "etat")};
    if (!o.expect_state)
        o.expect_state = "";
    int rc = lsu_entry_apply(&c->st, &c->sc, ch, n, &o, er);
    if (rc == 0) {
        char *a = lsu_asprintf("%s %s (%s)", what, c->sc.classe, c->sc.periode);
        lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, a ? a : what, time(NULL));
        free(a);
    }
    return rc;
}

/* After a refused POST: the view read again (a stale page shows what is
 * stored now). 0 or -1 with an error page. */
static int reread(serve_request *r, serve_response *res, entry_ctx *c)
{
    lsu_entry_view_free(&c->v);
    if (lsu_entry_view_read(&c->st, &c->sc, &c->v) == 0)
        return 0;
    serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
    return -1;
}

/* The redirection after a saved POST: the screen with « Enregistré »;
 * `flags` 1: the aide open, 2: in edit mode. */
static void saved(serve_response *res, const lsu_grant *g, const entry_ctx *c, const char *what, const char *domain,
                  const lsu_entry_result *er, int flags)
{
    char extra[96], locked[40] = "";
    if (er->locked > 0)
        snprintf(locked, sizeof locked, "&verrouilles=%lld", er->locked);
    snprintf(extra, sizeof extra, "enregistre=1%s%s%s", locked, flags & 1 ? "&aide=1" : "",
             flags & 2 ? "&modifier=1" : "");
    char *url = screen_url(g->uai, what, c->sc.classe, c->periode, domain, extra);
    serve_redirect(res, url ? url : "/");
    free(url);
}

/* The action's element number: "monter-3" with prefix "monter-" gives 3,
 * else 0. */
static size_t action_number(const char *action, const char *prefix, size_t n)
{
    size_t lp = strlen(prefix);
    if (!action || strncmp(action, prefix, lp) != 0)
        return 0;
    char *end;
    unsigned long k = strtoul(action + lp, &end, 10);
    return *end || k < 1 || k > n ? 0 : (size_t)k;
}

/* See serve_int.h: POST /ecole/UAI/elements/CLASSE?periode=P&domaine=D:
 * every field of the form (each élément's text, the new one) and the
 * button's action (monter-K, descendre-K, supprimer-K, an aide's text),
 * applied at once. */
void serve_screen_elements_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    entry_ctx c;
    if (open_entry(r, res, g, classe, serve_form_get(&r->query, "periode"), &c) != 0)
        return;
    const char *domain = pick_domain(&c, serve_form_get(&r->query, "domaine"));
    const char *asked = serve_form_get(&r->query, "domaine");
    if (!domain || !asked || strcmp(domain, asked) != 0) {
        serve_error(r, res, 400, "Domaine inconnu", "Ce domaine ne prend pas d'éléments du programme dans ce cycle.");
        close_entry(&c);
        return;
    }
    const char *nv = serve_form_get(&r->form, "n"), *action = serve_form_get(&r->form, "action");
    size_t n = nv ? (size_t)strtoul(nv, NULL, 10) : 0;
    if (n > SERVE_FORM_MAX_FIELDS)
        n = SERVE_FORM_MAX_FIELDS;
    lsu_entry_change *ch = calloc(2 * n + 3, sizeof *ch);
    const char **what = calloc(2 * n + 3, sizeof *what);
    char **labels = calloc(2 * n + 3, sizeof *labels);
    size_t nc = 0, nl = 0;
    size_t del = action_number(action, "supprimer-", n), up = action_number(action, "monter-", n),
           down = action_number(action, "descendre-", n);
    const char *moved = NULL;
    for (size_t k = 1; ch && what && labels && k <= n; k++) {
        char name[32];
        snprintf(name, sizeof name, "orig-%zu", k);
        const char *o = serve_form_get(&r->form, name);
        snprintf(name, sizeof name, "el-%zu", k);
        const char *t = serve_form_get(&r->form, name);
        if (!o)
            continue;
        labels[nl] = lsu_asprintf("Élément %zu", k);
        what[nc] = labels[nl++];
        int removed = k == del || !t || code_points(t) == 0, renamed = !removed && !same_text(t, o);
        if (removed)
            ch[nc++] = (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_REMOVE, .domain = domain, .text = o};
        else if (renamed)
            ch[nc++] = (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_RENAME, .domain = domain, .text = o, .text2 = t};
        if (!removed && (k == up || k == down))
            moved = renamed ? t : o;
    }
    const char *nouveau = serve_form_get(&r->form, "nouveau"), *aide = serve_form_get(&r->form, "aide");
    if (ch && what && nouveau && code_points(nouveau) > 0) {
        what[nc] = "Nouvel élément";
        ch[nc++] = (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .domain = domain, .text = nouveau};
    }
    if (ch && what && aide) {
        what[nc] = "Aide à la saisie";
        ch[nc++] = (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .domain = domain, .text = aide};
    }
    if (ch && what && moved && ((down && down < n) || up > 1)) {
        what[nc] = "Ordre";
        ch[nc++] = (lsu_entry_change){
            .kind = LSU_ENTRY_ELEMENT_MOVE, .domain = domain, .text = moved, .value = (int)(up ? up - 1 : down + 1)};
    }
    lsu_entry_result er;
    memset(&er, 0, sizeof er);
    int rc = !ch || !what || !labels ? -1 : nc == 0 ? 0 : apply(r, g, &c, ch, nc, &er, "saisie des éléments");
    if (rc == 0) {
        char *screen = screen_url(g->uai, "elements", c.sc.classe, c.periode, domain, NULL);
        serve_draft_saved(r, screen);
        free(screen);
        /* Enregistrer goes back to read mode; the form's other buttons stay in edit mode */
        saved(res, g, &c, "elements", domain, &er,
              (aide ? 1 : 0) | (!action || strcmp(action, "enregistrer") != 0 ? 2 : 0));
    } else if (rc < 0)
        serve_error(r, res, 500, "Erreur interne", "La saisie n'a pas pu être enregistrée ; rien n'a changé.");
    else if (reread(r, res, &c) == 0)
        elements_page(r, res, g, &c, domain, &r->form, NULL, rc, &er, what, rc == 2 || rc == 3 ? 409 : 422);
    lsu_entry_result_free(&er);
    for (size_t i = 0; labels && i < nl; i++)
        free(labels[i]);
    free(labels), free(ch), free(what);
    close_entry(&c);
}

/* The guide's labels of the parcours (entry_parcours_codes' order). */
static const char *const parcours_codes[3] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};
static const char *const parcours_hints[3] = {
    "Saisir l'appréciation globale pour le parcours citoyen",
    "Saisir l'appréciation globale pour le parcours d'éducation artistique et culturelle",
    "Saisir l'appréciation globale pour le parcours éducatif de santé"};

/* The parcours screen of c; `typed` fills the fields again. */
static void parcours_page(serve_request *r, serve_response *res, const lsu_grant *g, entry_ctx *c,
                          const serve_form *typed, int rc, const lsu_entry_result *er, const char *const *what,
                          unsigned status)
{
    serve_page p;
    entry_page(&p, r, g, c, "parcours", "Parcours éducatifs", NULL, 0, NULL);
    if (!typed && serve_form_get(&r->query, "enregistre"))
        saved_note(p.content, r);
    show_outcome(p.content, g, rc, er, what);
    serve_el(p.content, "h", "Parcours éducatifs : Projet(s) mis en oeuvre dans l'année");
    serve_attr(serve_el(p.content, "info",
                        "Seules doivent être saisies les informations pertinentes au regard du contexte. Elles ne "
                        "doivent pas comporter d'appréciations subjectives, ni faire apparaître, directement ou "
                        "indirectement, les origines raciales, les opinions politiques, philosophiques ou "
                        "religieuses, les appartenances syndicales, ou les mœurs de la personne concernée."),
               "id", "mention");
    char *self = screen_url(g->uai, "parcours", c->sc.classe, c->periode, NULL, NULL);
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, self, "post"), "id", "parcours");
    free(self);
    serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "etat"), "value", c->v.state);
    for (int i = 0; i < 3; i++) {
        const char *t = typed ? serve_form_get(typed, parcours_codes[i]) : NULL;
        xmlNodePtr gr =
            serve_attr(serve_el(f, "groupe", NULL), "legende", lsu_code_label("parcours", parcours_codes[i]));
        text_area(gr, parcours_codes[i], parcours_hints[i], t ? t : c->v.parcours[i], LSU_ENTRY_PARCOURS_MAX,
                  parcours_hints[i]);
    }
    serve_el(f, "bouton", "Enregistrer");
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h: GET /ecole/UAI/parcours/CLASSE?periode=P. */
void serve_screen_parcours(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    entry_ctx c;
    if (open_entry(r, res, g, classe, serve_form_get(&r->query, "periode"), &c) != 0)
        return;
    parcours_page(r, res, g, &c, NULL, 0, NULL, NULL, 200);
    close_entry(&c);
}

/* See serve_int.h: POST /ecole/UAI/parcours/CLASSE?periode=P: the texts
 * that differ from the stored ones ("" clears). */
void serve_screen_parcours_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    entry_ctx c;
    if (open_entry(r, res, g, classe, serve_form_get(&r->query, "periode"), &c) != 0)
        return;
    lsu_entry_change ch[3];
    const char *what[3];
    size_t nc = 0;
    for (int i = 0; i < 3; i++) {
        const char *t = serve_form_get(&r->form, parcours_codes[i]);
        if (!t || same_text(t, c.v.parcours[i] ? c.v.parcours[i] : ""))
            continue;
        what[nc] = lsu_code_label("parcours", parcours_codes[i]);
        ch[nc++] = (lsu_entry_change){
            .kind = LSU_ENTRY_PARCOURS, .domain = parcours_codes[i], .text = code_points(t) ? t : ""};
    }
    lsu_entry_result er;
    memset(&er, 0, sizeof er);
    int rc = 0;
    if (nc > 0) {
        rc = apply(r, g, &c, ch, nc, &er, "saisie des parcours");
    } else {
        /* nothing differs from the store: still refused when the page was stale */
        char token[65];
        const char *e = serve_form_get(&r->form, "etat");
        rc = lsu_entry_state(&c.st, &c.sc, token, &er.stale_author, &er.stale_at) != 0 ? -1
             : e && strcmp(e, token) == 0                                              ? 0
                                                                                       : 2;
    }
    if (rc == 0)
        saved(res, g, &c, "parcours", NULL, &er, 0);
    else if (rc < 0)
        serve_error(r, res, 500, "Erreur interne", "La saisie n'a pas pu être enregistrée ; rien n'a changé.");
    else if (reread(r, res, &c) == 0)
        parcours_page(r, res, g, &c, &r->form, rc, &er, what, rc == 2 || rc == 3 ? 409 : 422);
    lsu_entry_result_free(&er);
    close_entry(&c);
}

/* See serve_int.h: GET /ecole/UAI/elements and /parcours, the classes
 * (a teacher's own). */
void serve_screen_entry_classes(serve_request *r, serve_response *res, const lsu_grant *g, const char *what)
{
    char **labels;
    size_t n;
    if (serve_class_labels(r, res, g, &labels, &n) != 0)
        return;
    int el = strcmp(what, "elements") == 0;
    serve_page p;
    serve_page_new(&p, r,
                   el ? "Saisie collective des éléments du programme" : "Saisie collective des parcours éducatifs");
    char *bilans = serve_school_url(g->uai, "bilans");
    serve_attr(serve_el(p.fil, "lien", "Bilans"), "href", bilans);
    serve_el(p.fil, "lien", "Saisie collective");
    serve_el(p.fil, "lien", el ? "Éléments du programme" : "Parcours éducatifs");
    free(bilans);
    serve_el(p.content, "p", "Choisissez la classe :");
    xmlNodePtr l = serve_attr(serve_el(p.content, "liste", NULL), "id", "classes");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lsu_grant_has_class(g, labels[i]))
            continue;
        char *url = screen_url(g->uai, what, labels[i], 0, NULL, NULL);
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", labels[i]), "href", url);
        free(url);
        shown++;
    }
    if (shown == 0)
        serve_el(p.content, "info", "Aucune classe : synchronisez ONDE ou importez un export.");
    lsu_class_labels_free(labels, n);
    serve_page_send(&p, r, res, 200);
}
