/* The screens of lsu serve that are not a school's work: the router on
 * method and path, Connexion, Se déconnecter, the choice of the school
 * (« changer d'établissement »), the school's Accueil, the style sheet
 * and the entry grid's script;
 * and the checks every school screen makes (the UAI and the class
 * against the session, the CSRF token of every POST). */
#include "school/listing.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const unsigned char res_serve_css[];
extern const unsigned long res_serve_css_len;
extern const unsigned char res_serve_saisie_js[];
extern const unsigned long res_serve_saisie_js_len;

/* See serve_int.h. */
char *serve_school_url(const char *uai, const char *rest)
{
    return lsu_asprintf("/ecole/%s%s%s", uai, rest && *rest ? "/" : "", rest ? rest : "");
}

/* See serve_int.h. */
const lsu_grant *serve_school(serve_request *r, serve_response *res)
{
    const lsu_grant *g = r->path.n >= 2 ? lsu_user_grant(&r->user, r->path.seg[1]) : NULL;
    if (!g)
        serve_error(r, res, 403, "Accès refusé",
                    "Vous n'avez pas accès à cet établissement. Choisissez l'un des vôtres depuis l'accueil.");
    return g;
}

/* See serve_int.h. */
int serve_open_store(serve_request *r, serve_response *res, const lsu_grant *g, int create, lsu_store *st)
{
    int k = lsu_store_open(st, r->srv->data_dir, g->uai, create);
    if (k == STORE_OK) {
        st->author = r->login;
        return 0;
    }
    lsu_store_close(st);
    if (k == STORE_ABSENT)
        serve_error(r, res, 404, "Aucune donnée",
                    "L'école n'a encore ni synchronisation ONDE ni import : commencez par la synchronisation ou "
                    "l'import.");
    else
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
    return -1;
}

/* See serve_int.h. */
char *serve_remedy_url(const lsu_grant *g, const lsu_remedy *rm, const char **label)
{
    char *rest = NULL;
    switch (rm->kind) {
    case LSU_REMEDY_UNLOCK:
    case LSU_REMEDY_LOCK:
        *label = rm->kind == LSU_REMEDY_UNLOCK ? "Bilans › Déverrouiller" : "Bilans › Verrouiller";
        rest = rm->classe[0] ? lsu_asprintf("bilans/%s", rm->classe) : lsu_strdup_or_null("bilans");
        break;
    case LSU_REMEDY_SYNC:
    case LSU_REMEDY_IMPORT:
        *label = "Synchronisation élèves enseignants";
        rest = lsu_strdup_or_null("synchronisation");
        break;
    case LSU_REMEDY_PERIODS:
        *label = "Paramétrage des périodes";
        rest = lsu_strdup_or_null("parametrage/periodes");
        break;
    case LSU_REMEDY_SCHOOL:
        *label = "Identité de l'école";
        rest = lsu_strdup_or_null("parametrage/ecole");
        break;
    case LSU_REMEDY_NONE: break;
    }
    char *url = rest ? serve_school_url(g->uai, rest) : NULL;
    free(rest);
    return url;
}

/* See serve_int.h. */
void serve_remedy(xmlNodePtr parent, const lsu_grant *g, const lsu_remedy *rm)
{
    const char *label = NULL;
    char *url = g && rm ? serve_remedy_url(g, rm, &label) : NULL;
    if (!url)
        return;
    xmlNodePtr p = serve_attr(serve_el(parent, "p", NULL), "id", "remede");
    if (strcmp(g->role, "directeur") == 0) {
        serve_el(p, "fort", "À faire : ");
        serve_attr(serve_el(p, "lien", label), "href", url);
    } else { /* the director's screens: a teacher is refused there */
        char *t = lsu_asprintf("À faire par le directeur de l'école : écran « %s ».", label);
        serve_el(p, "fort", t ? t : "À faire par le directeur de l'école.");
        free(t);
    }
    free(url);
}

/* See serve_int.h. */
void serve_error_remedy(serve_request *r, serve_response *res, unsigned status, const char *title, const char *message,
                        const lsu_grant *g, const lsu_remedy *rm)
{
    serve_page p;
    lsu_buf_free(&res->body);
    serve_page_new(&p, r, title);
    serve_el(p.content, "erreur", message);
    serve_remedy(p.content, g, rm);
    xmlNodePtr back = serve_el(p.content, "p", NULL);
    serve_attr(serve_el(back, "lien", r && r->login ? "Retour à l'accueil" : "Connexion"), "href",
               r && r->login ? "/" : "/connexion");
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h. */
int serve_class_labels(serve_request *r, serve_response *res, const lsu_grant *g, char ***labels, size_t *n)
{
    lsu_store st;
    *labels = NULL, *n = 0;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return -1;
    int rc = lsu_school_class_labels(&st, labels, n);
    lsu_store_close(&st);
    if (rc != 0) {
        lsu_class_labels_free(*labels, *n);
        *labels = NULL, *n = 0;
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return -1;
    }
    return 0;
}

/* See serve_int.h. */
int serve_csrf_ok(serve_request *r, serve_response *res)
{
    const char *t = serve_form_get(&r->form, "csrf");
    if (r->login && t && lsu_token_equal(t, r->csrf))
        return 1;
    serve_csrf_refused(r, res); /* screens_session.c: the fields offered again */
    return 0;
}

/* Connexion: the form, with a message when the last try failed, carrying
 * the fields of a form sent without a session (k, may be NULL). */
static void screen_login(serve_request *r, serve_response *res, const char *message, unsigned status,
                         const serve_kept *k)
{
    serve_page p;
    serve_page_new(&p, NULL, "Connexion");
    if (message)
        serve_el(p.content, "erreur", message);
    serve_el(p.content, "p",
             "Connectez-vous avec l'identifiant et le mot de passe que votre directeur ou "
             "l'administrateur du serveur vous a donnés.");
    if (k)
        serve_el(p.content, "info",
                 "Votre formulaire est gardé : une fois connecté, vous le retrouverez pour le vérifier et confirmer "
                 "son envoi.");
    xmlNodePtr f = serve_form_el(p.content, NULL, "/connexion", "post");
    serve_attr(f, "id", "connexion");
    serve_attr(serve_attr(serve_field_el(f, "text", "login", "Identifiant", NULL), "autocomplete", "username"),
               "requis", "1");
    serve_attr(serve_attr(serve_field_el(f, "password", "motdepasse", "Mot de passe", NULL), "autocomplete",
                          "current-password"),
               "requis", "1");
    if (k)
        serve_kept_hidden(f, k);
    serve_el(f, "bouton", "Se connecter");
    serve_page_send(&p, r, res, status);
}

/* POST /connexion: opens a session, or says why not (without telling a
 * wrong login from a wrong password). */
static void screen_login_post(serve_request *r, serve_response *res)
{
    const char *login = serve_form_get(&r->form, "login"), *pw = serve_form_get(&r->form, "motdepasse");
    serve_kept kept;
    int keep = serve_kept_from_login(&kept, r); /* a form sent without a session, carried */
    if (keep < 0) {
        serve_error(r, res, 400, "Formulaire invalide",
                    "L'adresse d'envoi du formulaire gardé n'est pas une page de l'application.");
        return;
    }
    lsu_session_keys k;
    int rc = login && pw ? lsu_accounts_login(&r->srv->accounts, login, pw, r->addr, time(NULL), &k) : 1;
    if (rc == 0) {
        res->set_cookie = serve_session_cookie(r->srv, k.token);
        lsu_accounts_audit(&r->srv->accounts, login, NULL, "connexion", time(NULL));
        if (keep && serve_session_adopt(r, login, &k) == 0)
            serve_screen_confirm(r, res, &kept, NULL, NULL, 200);
        else
            serve_redirect(res, "/");
    } else if (rc == 2) {
        screen_login(r, res,
                     "Trop d'essais de connexion manqués : réessayez dans un quart d'heure ou demandez à votre "
                     "directeur.",
                     429, keep ? &kept : NULL);
    } else if (rc == 1) {
        screen_login(r, res, "Identifiant ou mot de passe incorrect.", 401, keep ? &kept : NULL);
    } else {
        serve_error(r, res, 500, "Erreur interne", "La base des comptes du serveur est illisible.");
    }
    serve_kept_clear(&kept);
}

/* POST /deconnexion. */
static void screen_logout(serve_request *r, serve_response *res)
{
    if (!serve_csrf_ok(r, res))
        return;
    lsu_accounts_audit(&r->srv->accounts, r->login, NULL, "déconnexion", time(NULL));
    lsu_accounts_logout(&r->srv->accounts, r->token);
    res->set_cookie = serve_session_cookie(r->srv, NULL);
    serve_redirect(res, "/connexion");
}

/* GET /: the user's school, or the choice among his schools. */
static void screen_home(serve_request *r, serve_response *res)
{
    if (r->user.ngrants == 1) {
        char *url = serve_school_url(r->user.grants[0].uai, NULL);
        serve_redirect(res, url ? url : "/");
        free(url);
        return;
    }
    serve_page p;
    serve_page_new(&p, r, "Changer d'établissement");
    serve_el(p.content, "p", "Choisissez l'établissement :");
    xmlNodePtr l = serve_el(p.content, "liste", NULL);
    for (size_t i = 0; i < r->user.ngrants; i++) {
        char *url = serve_school_url(r->user.grants[i].uai, NULL),
             *text = lsu_asprintf("%s (%s)", r->user.grants[i].uai, r->user.grants[i].role);
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", text), "href", url);
        free(url), free(text);
    }
    serve_page_send(&p, r, res, 200);
}

/* GET /ecole/UAI: Accueil of the school. */
static void screen_school(serve_request *r, serve_response *res, const lsu_grant *g)
{
    serve_page p;
    serve_page_new(&p, r, "Accueil");
    xmlNodePtr dl = serve_el(p.content, "dl", NULL);
    serve_attr(serve_el(dl, "d", g->uai), "nom", "UAI");
    serve_attr(serve_el(dl, "d", strcmp(g->role, "directeur") == 0 ? "directeur" : "enseignant"), "nom", "Rôle");
    if (strcmp(g->role, "enseignant") == 0) {
        char *cls = lsu_strdup_or_null(g->classes);
        for (char *c = cls; c && *c; c++)
            if (*c == '\n')
                *c = ',';
        serve_attr(serve_el(dl, "d", cls), "nom", "Classes");
        free(cls);
    }
    serve_el(p.content, "h", "Menus");
    xmlNodePtr l = serve_el(p.content, "liste", NULL);
    char *u = serve_school_url(g->uai, "bilans");
    serve_attr(serve_el(serve_el(l, "item", NULL), "lien", "Bilans : liste des élèves par classe et période"), "href",
               u);
    free(u);
    static const char *const entry[][2] = {{"elements", "Saisie collective des éléments du programme"},
                                           {"parcours", "Saisie collective des parcours éducatifs"}};
    for (size_t i = 0; i < 2; i++) {
        u = serve_school_url(g->uai, entry[i][0]);
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", entry[i][1]), "href", u);
        free(u);
    }
    u = serve_school_url(g->uai, "saisie");
    serve_attr(serve_el(serve_el(l, "item", NULL), "lien", "Saisie collective des acquis scolaires"), "href", u);
    free(u);
    u = serve_school_url(g->uai, "editer");
    serve_attr(serve_el(serve_el(l, "item", NULL), "lien", "Éditer : les PDF des bilans verrouillés, en zip"), "href",
               u);
    free(u);
    if (strcmp(g->role, "directeur") == 0) {
        u = serve_school_url(g->uai, "import");
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", "Import : déposer l'export du logiciel de suivi"),
                   "href", u);
        free(u);
        serve_el(p.content, "h", "Paramétrage");
        serve_param_menu(p.content, g);
    }
    serve_page_send(&p, r, res, 200);
}

/* A school's screens: /ecole/UAI/... */
static void route_school(serve_request *r, serve_response *res, int post)
{
    const lsu_grant *g = serve_school(r, res);
    if (!g)
        return;
    serve_path *p = &r->path;
    const char *what = p->n >= 3 ? p->seg[2] : "";
    if (post && !serve_csrf_ok(r, res))
        return;
    if (p->n == 2 && !post)
        screen_school(r, res, g);
    else if (strcmp(what, "import") == 0 && p->n == 3)
        (post ? serve_screen_import_post : serve_screen_import)(r, res, g);
    else if (strcmp(what, "parametrage") == 0 && p->n == 3 && !post)
        serve_screen_param(r, res, g);
    else if (strcmp(what, "parametrage") == 0 && p->n == 4 && strcmp(p->seg[3], "import") == 0)
        (post ? serve_screen_import_mode_post : serve_screen_import_mode)(r, res, g);
    else if (strcmp(what, "parametrage") == 0 && p->n == 4 && strcmp(p->seg[3], "periodes") == 0)
        (post ? serve_screen_periods_post : serve_screen_periods)(r, res, g);
    else if (strcmp(what, "parametrage") == 0 && p->n == 4 && strcmp(p->seg[3], "positionnement") == 0 && !post)
        serve_screen_scale(r, res, g);
    else if (strcmp(what, "parametrage") == 0 && p->n == 4 && strcmp(p->seg[3], "ecole") == 0)
        (post ? serve_screen_ecole_post : serve_screen_ecole)(r, res, g);
    else if (strcmp(what, "synchronisation") == 0 && p->n == 3)
        (post ? serve_screen_sync_post : serve_screen_sync)(r, res, g);
    else if (strcmp(what, "historique") == 0 && p->n == 3 && !post)
        serve_screen_history(r, res, g);
    else if (strcmp(what, "rapports") == 0 && p->n == 3 && !post)
        serve_screen_reports(r, res, g);
    else if (strcmp(what, "editer") == 0 && p->n == 3)
        (post ? serve_screen_editer_post : serve_screen_editer)(r, res, g);
    else if (strcmp(what, "editions") == 0 && p->n == 4)
        (post ? serve_screen_edition_post : serve_screen_edition)(r, res, g, p->seg[3]);
    else if (strcmp(what, "editions") == 0 && p->n == 5 && !post)
        serve_screen_edition_zip(r, res, g, p->seg[3], p->seg[4]);
    else if (strcmp(what, "rapports") == 0 && p->n == 4 && !post)
        serve_screen_report(r, res, g, p->seg[3]);
    else if (strcmp(what, "bilans") == 0 && p->n == 3 && !post)
        serve_screen_bilans(r, res, g);
    else if ((strcmp(what, "elements") == 0 || strcmp(what, "parcours") == 0) && p->n == 3 && !post)
        serve_screen_entry_classes(r, res, g, what);
    else if ((((strcmp(what, "elements") == 0 || strcmp(what, "parcours") == 0) && p->n == 4) ||
              (strcmp(what, "bilans") == 0 && p->n >= 4)) &&
             !lsu_grant_has_class(g, p->seg[3]))
        serve_error(r, res, 403, "Accès refusé", "Cette classe n'est pas l'une des vôtres.");
    else if (strcmp(what, "elements") == 0 && p->n == 4)
        (post ? serve_screen_elements_post : serve_screen_elements)(r, res, g, p->seg[3]);
    else if (strcmp(what, "parcours") == 0 && p->n == 4)
        (post ? serve_screen_parcours_post : serve_screen_parcours)(r, res, g, p->seg[3]);
    else if (strcmp(what, "bilans") == 0 && p->n == 4 && !post)
        serve_screen_class(r, res, g, p->seg[3]);
    else if (strcmp(what, "bilans") == 0 && p->n == 5 && post && strcmp(p->seg[4], "verrou") == 0)
        serve_screen_lock(r, res, g, p->seg[3]);
    else if (strcmp(what, "bilans") == 0 && p->n == 5 && !post && strcmp(p->seg[4], "zip") == 0)
        serve_screen_zip(r, res, g, p->seg[3]);
    else if (strcmp(what, "bilans") == 0 && p->n == 6 && !post && strcmp(p->seg[4], "pdf") == 0)
        serve_screen_pdf(r, res, g, p->seg[3], p->seg[5], serve_form_get(&r->query, "periode"));
    else if (strcmp(what, "bilans") == 0 && p->n == 6 && strcmp(p->seg[4], "eleve") == 0)
        (post ? serve_screen_bilan_post : serve_screen_bilan)(r, res, g, p->seg[3], p->seg[5]);
    else if (strcmp(what, "brouillon") == 0 && p->n == 3 && post)
        serve_screen_draft_post(r, res, g);
    else if (strcmp(what, "saisie") == 0 && p->n == 3 && !post)
        serve_screen_acquis_classes(r, res, g);
    else if (strcmp(what, "saisie") == 0 && p->n == 4 && !lsu_grant_has_class(g, p->seg[3]))
        serve_error(r, res, 403, "Accès refusé",
                    "Cette classe n'est pas l'une des vôtres : vous ne pouvez pas y saisir.");
    else if (strcmp(what, "saisie") == 0 && p->n == 4)
        (post ? serve_screen_acquis_post : serve_screen_acquis)(r, res, g, p->seg[3]);
    else
        serve_error(r, res, 404, "Page introuvable", "Cette page n'existe pas.");
}

/* See serve_int.h. */
void serve_dispatch(serve_request *r, serve_response *res)
{
    int post = strcmp(r->method, "POST") == 0;
    const char *first = r->path.n ? r->path.seg[0] : "";
    if (r->path.n == 1 && strcmp(first, "lsu.css") == 0 && !post) {
        lsu_buf_add(&res->body, (const char *)res_serve_css, res_serve_css_len);
        res->content_type = "text/css; charset=utf-8";
        res->status = 200;
    } else if (r->path.n == 1 && strcmp(first, "saisie.js") == 0 && !post) {
        serve_screen_entry_js(res);
    } else if (r->path.n == 1 && strcmp(first, "favicon.ico") == 0) {
        res->status = 204;
        res->content_type = "image/x-icon";
    } else if (r->sso != SERVE_SSO_OFF && r->sso != SERVE_SSO_USER) {
        serve_screen_sso_refused(r, res); /* --trust-header: no password to ask */
    } else if (r->path.n == 1 && strcmp(first, "connexion") == 0 && r->sso == SERVE_SSO_USER) {
        serve_redirect(res, "/");
    } else if (r->path.n == 1 && strcmp(first, "connexion") == 0) {
        if (post)
            screen_login_post(r, res);
        else
            screen_login(r, res, NULL, 200, NULL);
    } else if (!r->login) {
        /* every other page needs a session: a form sent after it expired
         * comes back to Connexion, carrying its fields */
        serve_kept k;
        int keep = post && serve_kept_from_post(&k, r);
        if (post)
            screen_login(r, res, "Votre session a expiré ou vous n'êtes pas connecté : connectez-vous.", 401,
                         keep ? &k : NULL);
        else
            serve_redirect(res, "/connexion");
        if (keep)
            serve_kept_clear(&k);
    } else if (r->path.n == 1 && strcmp(first, "deconnexion") == 0 && post) {
        screen_logout(r, res);
    } else if (r->path.n == 0 && !post) {
        screen_home(r, res);
    } else if (r->path.n >= 2 && strcmp(first, "ecole") == 0) {
        route_school(r, res, post);
    } else {
        serve_error(r, res, 404, "Page introuvable", "Cette page n'existe pas.");
    }
}
