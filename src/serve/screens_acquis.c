/* « Saisie d'ensemble des acquis scolaires » (Bilans > Saisie collective >
 * Acquis scolaires of the LSU guide): for a class, a period and a domain
 * or sub-domain, one row per pupil and one radio group each, Non atteints
 * · Partiellement atteints · Atteints · Dépassés · Non évalué · Non
 * renseigné, a « Tout mettre à … » button per column, one Enregistrer for
 * the grid.  It calls the teachers' entry (school/entry.h) exactly as
 * lsu enter does: the view read, the changes handed to lsu_entry_apply
 * with the state the grid was shown from, so that a grid saved after
 * another entry is refused (409, who and when) and nothing is
 * overwritten; each refused choice is shown with the library's reason.
 *
 * The form carries, per pupil, the value shown (o-INE, hidden) and the
 * value chosen (p-INE): only the choices that differ from what was shown
 * are changes.  Everything works without JavaScript. */
#include "import/nomenclature.h"
#include "school/entry.h"
#include "school/entry_csv.h"
#include "school/listing.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ACQUIS_MAX_DOMAINS 96

/* The columns of the grid: the value a radio sends, its label. */
static const char *const col_value[] = {"1", "2", "3", "4", "NE", ""};
static const char *const col_label[] = {"Non atteints", "Partiellement atteints", "Atteints", "Dépassés",
                                        "Non évalué",   "Non renseigné"};
#define ACQUIS_NCOLS 6

/* A pupil's row as the grid shows it. */
typedef struct {
    char shown[8];    /* the radio checked */
    char orig[8];     /* the value the grid was shown with (o-INE) */
    const char *note; /* a refusal or a remark (borrowed), NULL when none */
    int chosen;       /* the user's choice, kept after a refusal */
} acquis_row;

/* What one screen works on: the scope, its view, the domain. */
typedef struct {
    lsu_entry_scope sc;
    lsu_entry_view v;
    const char *domain; /* a 'P' column of the class's cycle */
    const char *codes[ACQUIS_MAX_DOMAINS];
    size_t ncodes;
    char **period_labels; /* the class's periods, 1..sc.nb */
    acquis_row *rows;     /* one per v.pupils */
    char token[65];       /* the state token the form carries */
    int open, viewed;
    const lsu_draft *draft; /* a draft restored (edit mode), NULL */
} acquis_ctx;

/* The label of a column's value ("3": « Atteints »), "" when none. */
static const char *value_label(const char *v)
{
    for (size_t i = 0; i < ACQUIS_NCOLS; i++)
        if (strcmp(v, col_value[i]) == 0)
            return col_label[i];
    return v;
}

/* The label of a domain for the choice: « Français : Langage oral ». */
static char *domain_title(const char *code)
{
    const lsu_domain *d = lsu_domain_find(code);
    const lsu_domain *p = d && d->parent ? lsu_domain_find(d->parent) : NULL;
    if (!d)
        return lsu_strdup_or_null(code);
    return p ? lsu_asprintf("%s : %s", p->label, d->label) : lsu_strdup_or_null(d->label);
}

/* The first element child of n named `name` with code `code` (NULL: any). */
static xmlNodePtr child_code(xmlNodePtr n, const char *name, const char *code)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, name) != 0)
            continue;
        xmlChar *v = code ? xmlGetProp(c, BAD_CAST "code") : NULL;
        int same = !code || (v && strcmp((const char *)v, code) == 0);
        xmlFree(v);
        if (same)
            return c;
    }
    return NULL;
}

/* The acquis or sous-domaine of domain `code` in a bilan (NULL: none). */
static xmlNodePtr domain_node(xmlNodePtr bilan, const char *code)
{
    const lsu_domain *d = lsu_domain_find(code);
    xmlNodePtr list = child_code(bilan, "liste-acquis", NULL);
    return d && d->parent ? child_code(child_code(list, "acquis", d->parent), "sous-domaine", code)
                          : child_code(list, "acquis", code);
}

/* A pupil's current positionnement for domain `code` in his bilan (NULL:
 * none yet): "1".."4", "NE" or "" into out. */
static void current_value(xmlNodePtr bilan, const char *code, char out[8])
{
    xmlNodePtr a = domain_node(bilan, code);
    out[0] = 0;
    xmlChar *p = a ? xmlGetProp(a, BAD_CAST "positionnement") : NULL;
    xmlChar *ne = a ? xmlGetProp(a, BAD_CAST "non-evalue") : NULL;
    if (p && *p)
        snprintf(out, 8, "%s", (const char *)p);
    else if (ne && strcmp((const char *)ne, "oui") == 0)
        snprintf(out, 8, "NE");
    xmlFree(p);
    xmlFree(ne);
}

/* A submitted value into a positionnement of lsu_entry_change: 1-4, 0 for
 * NE, -1 for empty; digits are handed on as they are (the entry refuses
 * what is out of range).  0, or -1 when it is no value at all. */
static int parse_value(const char *s, int *value)
{
    if (!*s) {
        *value = -1;
        return 0;
    }
    if ((s[0] == 'N' || s[0] == 'n') && (s[1] == 'E' || s[1] == 'e') && !s[2]) {
        *value = 0;
        return 0;
    }
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 3 || s[n])
        return -1;
    *value = (int)strtol(s, NULL, 10); /* at most 3 digits: no overflow */
    return 0;
}

/* "12/01/2025 à 10:02" from an ISO 8601 time (UTC) into out. */
static void when_fr(const char *iso, char out[40])
{
    char day[11] = "?";
    if (iso && strlen(iso) >= 10)
        lsu_date_fr_from_iso(iso, day);
    if (iso && strlen(iso) >= 16)
        snprintf(out, 40, "%s à %.5s (UTC)", day, iso + 11);
    else
        snprintf(out, 40, "%s", day);
}

/* The URL of the grid of class `classe` (its label percent-encoded but
 * for the unreserved characters), then `query` when not NULL (owned). */
static char *class_url(const char *uai, const char *classe, const char *query)
{
    lsu_buf b = {0};
    lsu_buf_printf(&b, "/ecole/%s/saisie/", uai);
    for (const unsigned char *k = (const unsigned char *)classe; *k; k++) {
        if ((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || strchr("-._~", *k))
            lsu_buf_add(&b, (const char *)k, 1);
        else
            lsu_buf_printf(&b, "%%%02X", *k);
    }
    if (query)
        lsu_buf_puts(&b, query);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The grid's URL for the scope and domain (owned). */
static char *grid_url(const lsu_grant *g, const acquis_ctx *c, const char *extra)
{
    char *rest = class_url(g->uai, c->sc.classe, NULL);
    char *url = rest ? lsu_asprintf("%s?periode=%d&domaine=%s%s", rest, c->sc.indice, c->domain ? c->domain : "",
                                    extra ? extra : "")
                     : NULL;
    free(rest);
    return url;
}

/* Releases what c holds. */
static void ctx_free(acquis_ctx *c)
{
    for (int i = 0; c->period_labels && i < c->sc.nb; i++)
        free(c->period_labels[i]);
    free(c->period_labels);
    free(c->rows);
    if (c->viewed)
        lsu_entry_view_free(&c->v);
    if (c->open)
        lsu_entry_scope_free(&c->sc);
    memset(c, 0, sizeof *c);
}

/* Opens the scope of `classe` for the period and domain asked (the
 * form's, else the URL's; else the first period and domain), reads its
 * view and fills each row with the pupil's current value.  0, or -1 with
 * an error page in res. */
static int ctx_open(serve_request *r, serve_response *res, const lsu_grant *g, lsu_store *st, const char *classe,
                    acquis_ctx *c)
{
    memset(c, 0, sizeof *c);
    const char *period = serve_form_get(&r->form, "periode"), *domain = serve_form_get(&r->form, "domaine");
    if (!period)
        period = serve_form_get(&r->query, "periode");
    if (!domain)
        domain = serve_form_get(&r->query, "domaine");
    lsu_buf why = {0};
    int k = lsu_entry_scope_open(st, classe, period && *period ? period : "1", &c->sc, &why);
    if (k != 0) {
        if (k < 0)
            serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        else
            serve_error_remedy(r, res, 404, "Saisie impossible", why.data ? why.data : "Classe ou période inconnue.", g,
                               &c->sc.remedy);
        lsu_buf_free(&why);
        return -1;
    }
    lsu_buf_free(&why);
    c->open = 1;
    /* the sub-domains (else domains) that take a positionnement in the
     * class's cycle, as the entry offers them */
    const char *codes[ACQUIS_MAX_DOMAINS];
    char kinds[ACQUIS_MAX_DOMAINS];
    size_t n = lsu_entry_csv_columns(NULL, c->sc.cycle, codes, kinds, ACQUIS_MAX_DOMAINS);
    for (size_t i = 0; i < n; i++)
        if (kinds[i] == 'P')
            c->codes[c->ncodes++] = codes[i];
    for (size_t i = 0; domain && i < c->ncodes && !c->domain; i++)
        if (strcmp(c->codes[i], domain) == 0)
            c->domain = c->codes[i];
    if (!c->domain && domain && *domain) {
        serve_error(r, res, 404, "Saisie impossible",
                    "Ce domaine d'enseignement n'est pas l'un de ceux de la classe : choisissez-en un dans la liste.");
        return -1;
    }
    if (!c->domain && c->ncodes)
        c->domain = c->codes[0];
    c->period_labels = calloc((size_t)(c->sc.nb > 0 ? c->sc.nb : 1), sizeof *c->period_labels);
    for (int i = 1; c->period_labels && i <= c->sc.nb; i++) {
        char num[16];
        lsu_entry_scope other;
        lsu_buf w = {0};
        snprintf(num, sizeof num, "%d", i);
        if (lsu_entry_scope_open(st, c->sc.id_be, num, &other, &w) == 0) {
            c->period_labels[i - 1] = lsu_asprintf("%s %d-%d", other.periode, other.millesime, other.millesime + 1);
            lsu_entry_scope_free(&other);
        }
        lsu_buf_free(&w);
    }
    if (lsu_entry_view_read(st, &c->sc, &c->v) != 0) {
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return -1;
    }
    c->viewed = 1;
    c->rows = calloc(c->v.npupils ? c->v.npupils : 1, sizeof *c->rows);
    if (!c->rows || !c->period_labels) {
        serve_error(r, res, 500, "Erreur interne", "Mémoire insuffisante.");
        return -1;
    }
    for (size_t i = 0; i < c->v.npupils; i++) {
        current_value(c->v.pupils[i].bilan, c->domain, c->rows[i].orig);
        memcpy(c->rows[i].shown, c->rows[i].orig, sizeof c->rows[i].shown);
    }
    memcpy(c->token, c->v.state, sizeof c->token);
    return 0;
}

/* The period and domain choice: a GET form of two selects. */
static void choice_form(serve_page *p, serve_request *r, const lsu_grant *g, const acquis_ctx *c)
{
    char *self = class_url(g->uai, c->sc.classe, NULL);
    xmlNodePtr f = serve_attr(serve_form_el(p->content, r, self, "get"), "id", "choix-saisie");
    free(self);
    xmlNodePtr sel = serve_el(f, "choix", NULL);
    serve_attr(serve_attr(serve_attr(sel, "name", "periode"), "id", "champ-periode"), "label", "Période");
    for (int i = 1; i <= c->sc.nb; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d", i);
        xmlNodePtr o =
            serve_attr(serve_el(sel, "option", c->period_labels[i - 1] ? c->period_labels[i - 1] : num), "value", num);
        if (i == c->sc.indice)
            serve_attr(o, "selected", "1");
    }
    sel = serve_el(f, "choix", NULL);
    serve_attr(serve_attr(serve_attr(sel, "name", "domaine"), "id", "champ-domaine"), "label",
               "Domaine d'enseignement");
    for (size_t i = 0; i < c->ncodes; i++) {
        char *t = domain_title(c->codes[i]);
        xmlNodePtr o = serve_attr(serve_el(sel, "option", t), "value", c->codes[i]);
        if (c->domain && strcmp(c->codes[i], c->domain) == 0)
            serve_attr(o, "selected", "1");
        free(t);
    }
    serve_el(f, "bouton", "Afficher");
}

/* « Enseignant(e)s : Mme Dupont Valérie » from the class's bilans (those
 * born in the store carry the class's teachers); nothing when none. */
static void teachers(serve_page *p, const acquis_ctx *c)
{
    xmlNodePtr list = NULL;
    for (size_t i = 0; i < c->v.npupils && !list; i++)
        list = child_code(child_code(c->v.pupils[i].bilan, "enseignants", NULL), "enseignant", NULL);
    lsu_buf b = {0};
    for (xmlNodePtr e = list; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE || strcmp((const char *)e->name, "enseignant") != 0)
            continue;
        xmlChar *civ = xmlGetProp(e, BAD_CAST "civilite"), *nom = xmlGetProp(e, BAD_CAST "nom"),
                *prenom = xmlGetProp(e, BAD_CAST "prenom");
        lsu_buf_printf(&b, "%s%s %s %s",
                       b.len ? ", " : "Enseignant(e)s : ", civ && strcmp((const char *)civ, "MME") == 0 ? "Mme" : "M.",
                       nom ? (const char *)nom : "", prenom ? (const char *)prenom : "");
        xmlFree(civ), xmlFree(nom), xmlFree(prenom);
    }
    if (b.len && !b.failed)
        serve_el(p->content, "p", b.data);
    lsu_buf_free(&b);
}

/* The « rappel »: who changed the class and period last, and when. */
static void rappel(serve_page *p, lsu_store *st, const acquis_ctx *c)
{
    char token[65], *author = NULL, *at = NULL;
    if (lsu_entry_state(st, &c->sc, token, &author, &at) == 0 && author) {
        char when[40], *s;
        when_fr(at, when);
        s = lsu_asprintf("Dernière modification : %s, le %s.", author, when);
        serve_attr(serve_el(p->content, "p", s), "id", "rappel");
        free(s);
    } else {
        serve_attr(serve_el(p->content, "p", "Aucune saisie ni import pour cette classe et cette période."), "id",
                   "rappel");
    }
    free(author), free(at);
}

/* « Enregistrer » (the guide's disquette) and « Annuler » (back to the
 * grid in read mode) under form f. */
static void save_buttons(xmlNodePtr f, const char *screen)
{
    xmlNodePtr b = serve_attr(serve_el(f, "bouton", "Enregistrer"), "name", "action");
    serve_attr(serve_attr(b, "value", "enregistrer"), "icone", "disquette");
    serve_cancel_link(f, screen);
}

/* The page of the grid, with a message (`kind` "info" or "erreur", NULL:
 * none); sent with status. */
static void send_grid(serve_request *r, serve_response *res, const lsu_grant *g, lsu_store *st, acquis_ctx *c,
                      const char *kind, const char *message, unsigned status)
{
    char *title = lsu_asprintf("Saisie d'ensemble des acquis scolaires – %s", c->sc.classe);
    serve_page p;
    serve_page_new(&p, r, title ? title : "Saisie d'ensemble des acquis scolaires");
    serve_attr(p.root, "script", "/saisie.js"); /* the grid's keyboard and column helpers */
    free(title);
    char *bilans = serve_school_url(g->uai, "bilans"), *saisie = serve_school_url(g->uai, "saisie");
    serve_attr(serve_el(p.fil, "lien", "Bilans"), "href", bilans);
    serve_attr(serve_el(p.fil, "lien", "Saisie collective des acquis scolaires"), "href", saisie);
    serve_el(p.fil, "lien", c->sc.classe);
    free(bilans), free(saisie);
    if (message)
        serve_attr(serve_el(p.content, kind, message), "id", "message");
    choice_form(&p, r, g, c);
    if (c->sc.import_mode && strcmp(c->sc.import_mode, "logiciel") == 0)
        serve_el(p.content, "info",
                 "La classe est en import d'un logiciel de suivi : le prochain import remplacera les bilans non "
                 "verrouillés (Paramétrage de l'import : « Saisie manuelle » pour saisir ici).");
    if (!c->domain) {
        serve_el(p.content, "info", "Aucun domaine d'enseignement pour le cycle de cette classe.");
        serve_page_send(&p, r, res, status);
        return;
    }
    char *dt = domain_title(c->domain), *head = NULL, *count = NULL;
    head = lsu_asprintf("%s %s – %s", c->sc.classe,
                        c->period_labels[c->sc.indice - 1] ? c->period_labels[c->sc.indice - 1] : c->sc.periode,
                        dt ? dt : c->domain);
    serve_el(p.content, "h", head);
    teachers(&p, c);
    rappel(&p, st, c);
    size_t nel = 0;
    for (size_t i = 0; i < c->v.nelements; i++)
        nel += strcmp(c->v.elements[i].domain, c->domain) == 0;
    for (size_t i = 0; i < c->v.npupils && !nel; i++)
        nel += child_code(domain_node(c->v.pupils[i].bilan, c->domain), "element-programme", NULL) != NULL;
    if (nel == 0)
        serve_el(p.content, "info",
                 "Aucun élément du programme n'est encore renseigné pour ce domaine pour la classe : un "
                 "positionnement sans élément du programme ne rend pas le domaine complet.");
    count = lsu_asprintf("%zu résultat%s", c->v.npupils, c->v.npupils > 1 ? "s" : "");
    serve_attr(serve_el(p.content, "p", count), "id", "resultats");
    /* read mode: the grid as it is and « Modifier »; edit mode: the form */
    int edit = serve_edit_mode(r);
    char *screen = grid_url(g, c, NULL);
    xmlNodePtr f = p.content;
    if (!edit && screen) {
        serve_edit_link(p.content, screen);
    } else if (screen) {
        if (c->draft)
            serve_draft_banner(p.content, r, screen, c->draft);
        serve_el(p.content, "p", "Cochez les cases et enregistrez.");
        f = serve_attr(serve_form_el(p.content, r, screen, "post"), "id", "saisie-acquis");
        serve_draft_form(f, r, screen);
        char num[16];
        snprintf(num, sizeof num, "%d", c->sc.indice);
        serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "periode"), "value", num);
        serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "domaine"), "value", c->domain);
        serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "etat"), "value", c->token);
        save_buttons(f, screen);
    }
    char *legend = lsu_asprintf("Positionnement – objectifs d'apprentissage : %s", dt ? dt : c->domain);
    xmlNodePtr t = serve_attr(serve_attr(serve_el(f, "grille-acquis", NULL), "id", "grille"), "legende", legend);
    if (!edit)
        serve_attr(t, "lecture", "1");
    free(legend);
    for (size_t i = 0; i < ACQUIS_NCOLS; i++) {
        char *all = lsu_asprintf("Tout mettre à « %s »", col_label[i]);
        serve_attr(serve_attr(serve_el(t, "colonne", col_label[i]), "valeur", col_value[i]), "tout", all);
        free(all);
    }
    for (size_t i = 0; i < c->v.npupils; i++) {
        const lsu_entry_pupil *pu = &c->v.pupils[i];
        acquis_row *row = &c->rows[i];
        char *name = lsu_asprintf("%s %s", pu->nom, pu->prenom);
        xmlNodePtr e = serve_attr(serve_el(t, "eleve", NULL), "ine", pu->ine);
        serve_attr(serve_attr(serve_attr(e, "nom", name), "valeur", row->shown), "origine", row->orig);
        free(name);
        if (pu->locked_at) {
            char d[11];
            lsu_date_fr_from_iso(pu->locked_at, d);
            char *s = lsu_asprintf("🔒 Verrouillé le %s", d);
            serve_attr(e, "verrouille", "1");
            serve_el(e, "statut", s);
            free(s);
        } else if (!pu->bilan) {
            serve_el(e, "statut", "Pas encore de bilan (créé à l'enregistrement)");
        } else {
            serve_el(e, "statut", "Bilan en cours");
        }
        if (row->chosen) {
            char *s = lsu_asprintf("Votre choix : %s (enregistré : %s)", value_label(row->shown),
                                   row->orig[0] ? value_label(row->orig) : "rien");
            serve_attr(serve_el(e, "statut", s), "classe", "choix");
            free(s);
        }
        if (row->note)
            serve_attr(serve_el(e, "statut", row->note), "classe", "erreur");
    }
    if (edit && screen)
        save_buttons(f, screen);
    free(screen);
    free(dt), free(head), free(count);
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h: GET /ecole/UAI/saisie, the classes to enter. */
void serve_screen_acquis_classes(serve_request *r, serve_response *res, const lsu_grant *g)
{
    char **labels;
    size_t n;
    if (serve_class_labels(r, res, g, &labels, &n) != 0)
        return;
    serve_page p;
    serve_page_new(&p, r, "Saisie collective des acquis scolaires");
    char *bilans = serve_school_url(g->uai, "bilans");
    serve_attr(serve_el(p.fil, "lien", "Bilans"), "href", bilans);
    serve_el(p.fil, "lien", "Saisie collective des acquis scolaires");
    free(bilans);
    serve_el(p.content, "p",
             "Il est possible de saisir les acquis scolaires pour tous les élèves, par domaine "
             "d'enseignement. Choisissez la classe :");
    xmlNodePtr l = serve_attr(serve_el(p.content, "liste", NULL), "id", "classes");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lsu_grant_has_class(g, labels[i]))
            continue;
        char *url = class_url(g->uai, labels[i], NULL);
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", labels[i]), "href", url);
        free(url);
        shown++;
    }
    if (shown == 0)
        serve_el(p.content, "info", "Aucune classe : synchronisez ONDE d'abord.");
    lsu_class_labels_free(labels, n);
    serve_page_send(&p, r, res, 200);
}

/* A draft's choices over the grid (the rows not locked whose p-INE it
 * carries), from the state and the values it was typed over (o-INE). */
static void restore_draft(acquis_ctx *c, const lsu_draft *d, const serve_form *typed)
{
    c->draft = d;
    snprintf(c->token, sizeof c->token, "%s", d->state);
    for (size_t i = 0; i < c->v.npupils; i++) {
        char key[64];
        acquis_row *row = &c->rows[i];
        snprintf(key, sizeof key, "o-%s", c->v.pupils[i].ine);
        const char *o = serve_form_get(typed, key);
        if (o && strlen(o) < sizeof row->orig)
            snprintf(row->orig, sizeof row->orig, "%s", o);
        snprintf(key, sizeof key, "p-%s", c->v.pupils[i].ine);
        const char *v = serve_form_get(typed, key);
        if (c->v.pupils[i].locked_at || !v || strlen(v) >= sizeof row->shown)
            continue;
        if (strcmp(v, row->shown) != 0 || strcmp(v, row->orig) != 0)
            row->chosen = 1;
        snprintf(row->shown, sizeof row->shown, "%s", v);
    }
}

/* See serve_int.h: GET /ecole/UAI/saisie/CLASSE?periode=P&domaine=D. */
void serve_screen_acquis(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    acquis_ctx c;
    if (ctx_open(r, res, g, &st, classe, &c) == 0) {
        const char *saved = serve_form_get(&r->query, "enregistre"), *born = serve_form_get(&r->query, "crees");
        long ns = saved ? strtol(saved, NULL, 10) : 0, nb = born ? strtol(born, NULL, 10) : 0;
        ns = ns < 0 ? 0 : ns, nb = nb < 0 ? 0 : nb;
        char *msg = NULL;
        if (saved && ns == 0 && nb == 0)
            msg = lsu_strdup_or_null("Aucune différence : rien n'a changé.");
        else if (saved)
            msg = lsu_asprintf("Enregistré : %ld bilan%s modifié%s, %ld créé%s.", ns, ns > 1 ? "s" : "",
                               ns > 1 ? "s" : "", nb, nb > 1 ? "s" : "");
        lsu_draft d;
        serve_form typed;
        char *screen = grid_url(g, &c, NULL);
        if (screen && c.domain && serve_draft_load(r, screen, &d, &typed))
            restore_draft(&c, &d, &typed);
        send_grid(r, res, g, &st, &c, "info", msg, 200);
        serve_form_clear(&typed);
        lsu_draft_clear(&d);
        free(screen);
        free(msg);
    }
    ctx_free(&c);
    lsu_store_close(&st);
}

/* The row of pupil `ine` in c, or -1. */
static long row_of(const acquis_ctx *c, const char *ine)
{
    for (size_t i = 0; i < c->v.npupils; i++)
        if (strcmp(c->v.pupils[i].ine, ine) == 0)
            return (long)i;
    return -1;
}

/* « Tout mettre à … » without script: the grid again, every unlocked
 * row set to the column's value (the locked ones as they are), from the
 * same state and the same values shown; nothing saved. */
static void fill_column(serve_request *r, serve_response *res, const lsu_grant *g, lsu_store *st, acquis_ctx *c,
                        const char *value)
{
    size_t col = ACQUIS_NCOLS;
    for (size_t i = 0; i < ACQUIS_NCOLS; i++)
        if (strcmp(value, col_value[i]) == 0)
            col = i;
    if (col == ACQUIS_NCOLS) {
        serve_error(r, res, 400, "Colonne inconnue", "Cette colonne n'existe pas.");
        return;
    }
    const char *etat = serve_form_get(&r->form, "etat");
    if (etat && strlen(etat) < sizeof c->token)
        snprintf(c->token, sizeof c->token, "%s", etat);
    for (size_t i = 0; i < c->v.npupils; i++) {
        char key[64];
        snprintf(key, sizeof key, "o-%s", c->v.pupils[i].ine);
        const char *o = serve_form_get(&r->form, key);
        if (o && strlen(o) < sizeof c->rows[i].orig)
            snprintf(c->rows[i].orig, sizeof c->rows[i].orig, "%s", o);
        snprintf(c->rows[i].shown, sizeof c->rows[i].shown, "%s",
                 c->v.pupils[i].locked_at ? c->rows[i].orig : col_value[col]);
    }
    char *msg = lsu_asprintf("Colonne « %s » appliquée aux élèves dont le bilan n'est pas verrouillé : vérifiez, "
                             "puis enregistrez (rien n'est encore enregistré).",
                             col_label[col]);
    send_grid(r, res, g, st, c, "info", msg, 200);
    free(msg);
}

/* See serve_int.h: POST /ecole/UAI/saisie/CLASSE: « Tout mettre à … », or
 * the choices that differ from what the grid showed applied with
 * lsu_entry_apply from the grid's state (303 « Enregistré »; 409 when
 * another entry came first; 422 with the reasons when a choice is
 * refused: nothing is then written, and the user's choices are shown
 * again). */
void serve_screen_acquis_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    acquis_ctx c;
    if (ctx_open(r, res, g, &st, classe, &c) != 0) {
        ctx_free(&c);
        lsu_store_close(&st);
        return;
    }
    const char *tout = serve_form_get(&r->form, "tout");
    if (tout || !c.domain) {
        if (tout)
            fill_column(r, res, g, &st, &c, tout);
        else
            send_grid(r, res, g, &st, &c, NULL, NULL, 200);
        ctx_free(&c);
        lsu_store_close(&st);
        return;
    }
    /* the changes: each p-INE whose value differs from its o-INE */
    size_t n = 0, nbad = 0;
    lsu_entry_change *ch = calloc(r->form.n ? r->form.n : 1, sizeof *ch);
    long *row = calloc(r->form.n ? r->form.n : 1, sizeof *row);
    const char **bad = calloc(r->form.n ? r->form.n : 1, sizeof *bad); /* the screen's own refusals */
    for (size_t i = 0; ch && row && bad && i < r->form.n; i++) {
        const serve_field *fl = &r->form.fields[i];
        if (strncmp(fl->name, "p-", 2) != 0 || !fl->name[2])
            continue;
        char key[256];
        snprintf(key, sizeof key, "o-%s", fl->name + 2);
        long k = row_of(&c, fl->name + 2);
        const char *o = serve_form_get(&r->form, key);
        if (!o)
            o = k >= 0 ? c.rows[k].orig : "";
        if (strcmp(o, fl->value) == 0)
            continue;
        int value = 0;
        bad[n] =
            parse_value(fl->value, &value) == 0 ? NULL : "valeur inconnue : attendu 1 à 4, NE (non évalué) ou vide";
        nbad += bad[n] != NULL;
        ch[n] = (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = fl->name + 2, .domain = c.domain, .value = value};
        row[n] = k;
        if (k >= 0 && !c.v.pupils[k].locked_at && strlen(fl->value) < sizeof c.rows[k].shown) {
            snprintf(c.rows[k].shown, sizeof c.rows[k].shown, "%s", fl->value);
            c.rows[k].chosen = 1;
        }
        n++;
    }
    if (!ch || !row || !bad) {
        serve_error(r, res, 500, "Erreur interne", "Mémoire insuffisante.");
        goto done;
    }
    const char *etat = serve_form_get(&r->form, "etat");
    lsu_entry_options opt = {.author = r->login, .expect_state = etat ? etat : "", .dry_run = nbad > 0};
    lsu_entry_result er;
    memset(&er, 0, sizeof er);
    int k = lsu_entry_apply(&st, &c.sc, ch, n, &opt, &er);
    if (k < 0) {
        serve_error(r, res, 500, "Erreur interne", "La saisie n'a pas pu être enregistrée ; rien n'a changé.");
    } else if (k == 2) {
        /* another entry came first: the grid as it is now, with the
         * user's choices over it, from the new state */
        char when[40];
        when_fr(er.stale_at, when);
        char *msg = lsu_asprintf("Refusé : la classe %s a été modifiée pour cette période par %s le %s depuis "
                                 "l'affichage de la grille ; rien n'est enregistré. Vos choix sont repris "
                                 "ci-dessous : vérifiez-les, puis enregistrez à nouveau.",
                                 c.sc.classe, er.stale_author ? er.stale_author : "un autre utilisateur", when);
        lsu_entry_view_free(&c.v);
        c.viewed = 0;
        if (lsu_entry_view_read(&st, &c.sc, &c.v) == 0) {
            c.viewed = 1;
            memcpy(c.token, c.v.state, sizeof c.token);
            acquis_row *old = c.rows;
            c.rows = calloc(c.v.npupils ? c.v.npupils : 1, sizeof *c.rows);
            for (size_t i = 0; c.rows && i < c.v.npupils; i++) {
                current_value(c.v.pupils[i].bilan, c.domain, c.rows[i].orig);
                memcpy(c.rows[i].shown, c.rows[i].orig, sizeof c.rows[i].shown);
                for (size_t j = 0; j < n; j++)
                    if (strcmp(ch[j].ine, c.v.pupils[i].ine) == 0 && row[j] >= 0) {
                        memcpy(c.rows[i].shown, old[row[j]].shown, sizeof c.rows[i].shown);
                        c.rows[i].chosen = !c.v.pupils[i].locked_at;
                        if (c.v.pupils[i].locked_at)
                            memcpy(c.rows[i].shown, c.rows[i].orig, sizeof c.rows[i].shown);
                    }
            }
            free(old);
        }
        if (c.viewed && c.rows)
            send_grid(r, res, g, &st, &c, "erreur", msg, 409);
        else
            serve_error(r, res, 409, "Saisie refusée", msg ? msg : "La classe a été modifiée entre-temps.");
        free(msg);
    } else if (k == 3) {
        send_grid(r, res, g, &st, &c, "erreur", er.why ? er.why : "La saisie n'a pas pu être faite.", 422);
    } else if (k == 1 || nbad) {
        /* the refusals, the screen's and the entry's, on their rows */
        size_t nref = nbad;
        for (size_t i = 0; i < er.nrefused; i++)
            if (er.refused[i].index < n && !bad[er.refused[i].index]) {
                bad[er.refused[i].index] = er.refused[i].why;
                nref++;
            }
        lsu_buf lost = {0};
        for (size_t i = 0; i < n; i++) {
            if (!bad[i])
                continue;
            if (row[i] >= 0)
                c.rows[row[i]].note = bad[i];
            else
                lsu_buf_printf(&lost, " INE %s : %s.", ch[i].ine, bad[i]);
        }
        char *msg = lsu_asprintf("Rien n'est enregistré : %zu choix refusé%s (le motif est donné sur la ligne de "
                                 "l'élève) ; corrigez puis enregistrez.%s",
                                 nref, nref > 1 ? "s" : "", lost.data ? lost.data : "");
        if (etat && strlen(etat) < sizeof c.token)
            snprintf(c.token, sizeof c.token, "%s", etat);
        send_grid(r, res, g, &st, &c, "erreur", msg, 422);
        free(msg);
        lsu_buf_free(&lost);
    } else {
        char what[256], extra[64];
        snprintf(what, sizeof what, "saisie des acquis %s période %d %s (%lld bilans modifiés, %lld créés)",
                 c.sc.classe, c.sc.indice, c.domain, er.changed, er.created);
        lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, what, time(NULL));
        char *screen = grid_url(g, &c, NULL);
        serve_draft_saved(r, screen);
        free(screen);
        snprintf(extra, sizeof extra, "&enregistre=%lld&crees=%lld", er.changed, er.created);
        char *url = grid_url(g, &c, extra);
        serve_redirect(res, url ? url : "/");
        free(url);
    }
    lsu_entry_result_free(&er);
done:
    free(ch), free(row), free(bad);
    ctx_free(&c);
    lsu_store_close(&st);
}
