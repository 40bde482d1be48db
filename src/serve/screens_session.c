/* What lsu serve does when a form arrives without the session it was
 * made in, and the identity of a trusted header.
 *
 * Nothing typed is lost: a POST under /ecole/ that has no session (it
 * expired, or was ended) gets Connexion carrying its fields as hidden
 * inputs (reprise:NAME, and reprise-action, the path it was sent to); a
 * login that succeeds shows them again in a form with the new session's
 * CSRF token, « Votre session avait expiré : vérifiez puis confirmez
 * l'envoi ».  A POST whose CSRF token is another session's gets the same
 * form.  Nothing is ever sent again without the user's click, the
 * password-like fields and the old token are never carried, and the path
 * carried back is checked as a path of the application under /ecole/.
 * Generic: no screen's fields are known here.
 *
 * With --trust-header, the login is the value of a header the académie's
 * reverse proxy sets after its single sign-on: the account must exist in
 * serveur.sqlite (its grants are the same), no password is asked, and a
 * session cookie (its CSRF token) is opened for the header's user when the
 * cookie's is not his. */
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEPT_PREFIX "reprise:"

/* 1 when a field must never be carried: the CSRF token, a password (by
 * its name: "passe" alone would take a « passage » too). */
static int secret_field(const char *name)
{
    static const char *const words[] = {"motdepasse", "mot_de_passe", "mot-de-passe", "password",
                                        "passwd",     "mdp",          "pwd",          "secret"};
    if (strcmp(name, "csrf") == 0)
        return 1;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcasestr(name, words[i]))
            return 1;
    return 0;
}

/* The bytes of s once urlencoded as a browser does. */
static size_t encoded_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == ' ' ||
                     strchr("*-._", *p)
                 ? 1
                 : 3;
    return n;
}

/* 1 when path (decoded) is a path of the application under /ecole/: one
 * slash at its head, no scheme, no "//", no ".", "..", backslash nor
 * control character (serve_path_parse's rules). */
static int action_ok(const char *path)
{
    if (strncmp(path, "/ecole/", 7) != 0 || strchr(path, '\\') || strstr(path, "//"))
        return 0;
    serve_path p;
    int ok = serve_path_parse(&p, path) == 0 && p.n >= 2 && strcmp(p.seg[0], "ecole") == 0;
    serve_path_clear(&p);
    return ok;
}

/* Appends (name, value) to form f; 0 or -1 when memory ran out. */
static int kept_add(serve_form *f, const char *name, const char *value)
{
    serve_field *nf = realloc(f->fields, (f->n + 1) * sizeof *nf);
    if (!nf)
        return -1;
    f->fields = nf;
    nf[f->n].name = lsu_strdup_or_null(name);
    nf[f->n].value = lsu_strdup_or_null(value);
    if (!nf[f->n].name || !nf[f->n].value) {
        free(nf[f->n].name);
        free(nf[f->n].value);
        return -1;
    }
    f->n++;
    return 0;
}

/* Drops the fields of k when they could not travel in Connexion's form
 * and back (the urlencoded cap, twice the form's for /connexion, and the
 * count of fields), or when memory ran out (rc). */
static void kept_bound(serve_kept *k, int rc)
{
    size_t bytes = 1024 + encoded_len(k->action) + (k->file ? encoded_len(k->file) : 0) +
                   (k->teachers ? encoded_len(k->teachers) : 0);
    for (size_t i = 0; i < k->fields.n; i++)
        bytes += encoded_len(KEPT_PREFIX) + encoded_len(k->fields.fields[i].name) +
                 encoded_len(k->fields.fields[i].value) + 2;
    if (rc != 0 || bytes > 2 * (size_t)SERVE_FORM_MAX_BODY || k->fields.n + 8 > SERVE_FORM_MAX_FIELDS) {
        serve_form_clear(&k->fields);
        k->dropped = 1;
    }
}

/* See serve_int.h. */
int serve_kept_from_post(serve_kept *k, const serve_request *r)
{
    memset(k, 0, sizeof *k);
    if (strcmp(r->method, "POST") != 0 || !action_ok(r->url) || !(k->action = lsu_strdup_or_null(r->url)))
        return 0;
    int rc = 0;
    const serve_upload *up = serve_upload_get(&r->uploads, "fichier"),
                       *te = serve_upload_get(&r->uploads, "enseignants");
    if (up && !(k->file = lsu_strdup_or_null(up->name)))
        rc = -1;
    if (te && !(k->teachers = lsu_strdup_or_null(te->name)))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < r->form.n; i++)
        if (!secret_field(r->form.fields[i].name))
            rc = kept_add(&k->fields, r->form.fields[i].name, r->form.fields[i].value);
    kept_bound(k, rc);
    return 1;
}

/* See serve_int.h. */
int serve_kept_from_login(serve_kept *k, const serve_request *r)
{
    memset(k, 0, sizeof *k);
    const char *action = serve_form_get(&r->form, "reprise-action"),
               *file = serve_form_get(&r->form, "reprise-fichier"),
               *teachers = serve_form_get(&r->form, "reprise-enseignants");
    if (!action)
        return 0;
    if (!action_ok(action))
        return -1;
    int rc = (k->action = lsu_strdup_or_null(action)) ? 0 : -1;
    if (rc == 0 && file && *file && !(k->file = lsu_strdup_or_null(file)))
        rc = -1;
    if (rc == 0 && teachers && *teachers && !(k->teachers = lsu_strdup_or_null(teachers)))
        rc = -1;
    k->dropped = serve_form_get(&r->form, "reprise-perdu") != NULL;
    size_t pl = strlen(KEPT_PREFIX);
    for (size_t i = 0; rc == 0 && i < r->form.n; i++) {
        const char *name = r->form.fields[i].name;
        if (strncmp(name, KEPT_PREFIX, pl) == 0 && name[pl] && !secret_field(name + pl))
            rc = kept_add(&k->fields, name + pl, r->form.fields[i].value);
    }
    kept_bound(k, rc);
    return 1;
}

/* See serve_int.h. */
void serve_kept_clear(serve_kept *k)
{
    free(k->action);
    free(k->file);
    free(k->teachers);
    serve_form_clear(&k->fields);
    memset(k, 0, sizeof *k);
}

/* A hidden input of f. */
static void hidden(xmlNodePtr f, const char *name, const char *value)
{
    serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", name), "value", value);
}

/* See serve_int.h. */
void serve_kept_hidden(xmlNodePtr f, const serve_kept *k)
{
    hidden(f, "reprise-action", k->action);
    if (k->file)
        hidden(f, "reprise-fichier", k->file);
    if (k->teachers)
        hidden(f, "reprise-enseignants", k->teachers);
    if (k->dropped)
        hidden(f, "reprise-perdu", "1");
    for (size_t i = 0; i < k->fields.n; i++) {
        char *name = lsu_asprintf(KEPT_PREFIX "%s", k->fields.fields[i].name);
        if (name)
            hidden(f, name, k->fields.fields[i].value);
        free(name);
    }
}

/* 1 when a value looks typed by someone (worth an editable field): a
 * space, a letter outside ASCII, punctuation, or longer than a code; 0
 * for an empty value or a code (an INE, a period's key, a button's
 * value), sent back hidden. */
static int typed_text(const char *v)
{
    size_t n = strlen(v);
    if (n > 64)
        return 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(":_./-", c)))
            return 1;
    }
    return 0;
}

/* The path, percent-encoded for an action attribute (owned): every byte
 * but the unreserved ones and '/'. */
static char *encode_path(const char *path)
{
    lsu_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
            lsu_buf_add(&b, (const char *)p, 1);
        else
            lsu_buf_printf(&b, "%%%02X", *p);
    }
    if (b.failed || !b.data) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* See serve_int.h. */
void serve_screen_confirm(serve_request *r, serve_response *res, const serve_kept *k, const char *title,
                          const char *message, unsigned status)
{
    serve_page p;
    lsu_buf_free(&res->body);
    serve_page_new(&p, r, title ? title : "Votre session avait expiré : vérifiez puis confirmez l'envoi");
    if (message)
        serve_el(p.content, "erreur", message);
    serve_el(p.content, "p",
             "Le formulaire que vous aviez envoyé n'a pas été enregistré. Le voici tel que vous l'aviez rempli : "
             "vérifiez-le, puis confirmez l'envoi. Rien n'est envoyé sans votre confirmation.");
    xmlNodePtr where = serve_el(p.content, "p", "Envoi vers : ");
    serve_el(where, "fort", k->action);
    if (k->dropped)
        serve_el(p.content, "erreur",
                 "Le formulaire était trop long pour être gardé : ses champs sont à saisir de nouveau.");
    xmlNodePtr list = NULL;
    for (size_t i = 0; i < k->fields.n; i++) {
        const char *value = k->fields.fields[i].value;
        if (typed_text(value))
            continue;
        if (!list) {
            serve_el(p.content, "h", "Choix envoyés tels quels");
            list = serve_el(p.content, "dl", NULL);
        }
        serve_attr(serve_el(list, "d", value[0] ? value : "(vide)"), "nom", k->fields.fields[i].name);
    }
    char *action = encode_path(k->action);
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action ? action : "/", "post"), "id", "reprise");
    free(action);
    if (k->file) {
        serve_attr(f, "enctype", "multipart/form-data");
        char *label = lsu_asprintf("Fichier à choisir de nouveau (« %s » n'a pas été gardé)", k->file);
        serve_attr(serve_field_el(f, "file", "fichier", label ? label : "Fichier", NULL), "requis", "1");
        free(label);
    }
    if (k->teachers) {
        serve_attr(f, "enctype", "multipart/form-data");
        char *label =
            lsu_asprintf("Fichier des enseignants à choisir de nouveau (« %s » n'a pas été gardé)", k->teachers);
        serve_field_el(f, "file", "enseignants", label ? label : "Fichier des enseignants", NULL);
        free(label);
    }
    for (size_t i = 0; i < k->fields.n; i++) {
        const char *name = k->fields.fields[i].name, *value = k->fields.fields[i].value;
        char id[32];
        snprintf(id, sizeof id, "reprise-%zu", i);
        if (!typed_text(value))
            hidden(f, name, value);
        else if (strchr(value, '\n') || strlen(value) > 100) {
            /* an HTML parser drops one line break at the head of a textarea */
            char *text = lsu_asprintf("%s%s", value[0] == '\n' || value[0] == '\r' ? "\n" : "", value);
            xmlNodePtr t = serve_el(f, "texte", text ? text : value);
            serve_attr(serve_attr(serve_attr(t, "name", name), "id", id), "label", name);
            free(text);
        } else {
            serve_attr(serve_field_el(f, "text", name, name, value), "id", id);
        }
    }
    serve_el(f, "bouton", "Confirmer l'envoi");
    serve_attr(serve_el(serve_el(p.content, "p", NULL), "lien", "Abandonner et revenir à l'accueil"), "href", "/");
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h. */
char *serve_session_cookie(const struct lsu_server *s, const char *token)
{
    return lsu_asprintf("lsu_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", token ? token : "",
                        token ? "" : "; Max-Age=0", s->cfg.secure_cookies ? "; Secure" : "");
}

/* See serve_int.h. */
int serve_session_adopt(serve_request *r, const char *login, const lsu_session_keys *keys)
{
    free(r->login);
    lsu_user_clear(&r->user);
    snprintf(r->token, sizeof r->token, "%s", keys->token);
    snprintf(r->csrf, sizeof r->csrf, "%s", keys->csrf);
    r->login = lsu_strdup_or_null(login);
    if (r->login && lsu_accounts_user(&r->srv->accounts, login, &r->user) == 1)
        return 0;
    free(r->login);
    r->login = NULL;
    return -1;
}

/* See serve_int.h: refuses a POST's missing or wrong CSRF token, offering
 * its fields again when it was a school's form. */
void serve_csrf_refused(serve_request *r, serve_response *res)
{
    serve_kept k;
    if (r->login && serve_kept_from_post(&k, r)) {
        if (r->session_opened) /* --trust-header: the session the form was made in is gone */
            serve_screen_confirm(r, res, &k, NULL, NULL, 200);
        else
            serve_screen_confirm(r, res, &k, "Formulaire expiré",
                                 "Ce formulaire n'est plus valable (jeton de sécurité absent ou périmé) : il n'a "
                                 "pas été enregistré.",
                                 403);
        serve_kept_clear(&k);
        return;
    }
    serve_error(r, res, 403, "Formulaire expiré",
                "Ce formulaire n'est plus valable (jeton de sécurité absent ou périmé). Rechargez la page et "
                "recommencez.");
}

/* See serve_int.h. */
void serve_trusted_identity(serve_request *r, const char *value)
{
    lsu_accounts *a = &r->srv->accounts;
    if (!value || !*value || strlen(value) > 64 || !serve_text_ok(value, strlen(value))) {
        r->sso = SERVE_SSO_NONE;
    } else if (r->login && strcmp(r->login, value) == 0) {
        r->sso = SERVE_SSO_USER; /* the cookie's session is the header's user's */
        return;
    } else {
        lsu_user u;
        int found = lsu_accounts_user(a, value, &u);
        lsu_user_clear(&u);
        r->sso = found == 1 ? SERVE_SSO_USER : found == 0 ? SERVE_SSO_UNKNOWN : SERVE_SSO_ERROR;
    }
    if (r->login && r->token[0]) /* another user's session in this browser: ended */
        lsu_accounts_logout(a, r->token);
    free(r->login);
    r->login = NULL;
    lsu_user_clear(&r->user);
    r->token[0] = r->csrf[0] = 0;
    lsu_session_keys keys;
    if (r->sso != SERVE_SSO_USER)
        return;
    if (lsu_accounts_open_session(a, value, time(NULL), &keys) != 0 || serve_session_adopt(r, value, &keys) != 0) {
        r->sso = SERVE_SSO_ERROR;
        return;
    }
    r->session_opened = 1;
    lsu_accounts_audit(a, value, NULL, "connexion (en-tête du mandataire)", time(NULL));
}

/* See serve_int.h. */
void serve_screen_sso_refused(serve_request *r, serve_response *res)
{
    serve_page p;
    const char *title = r->sso == SERVE_SSO_ERROR ? "Erreur interne" : "Accès refusé";
    serve_page_new(&p, NULL, title);
    serve_el(p.content, "erreur",
             r->sso == SERVE_SSO_UNKNOWN
                 ? "L'identifiant transmis par le portail de l'académie n'a pas de compte sur ce serveur : demandez "
                   "à votre directeur ou à l'administrateur du serveur de vous en créer un."
             : r->sso == SERVE_SSO_NONE
                 ? "Votre identité n'a pas été transmise par le portail de l'académie : connectez-vous en passant "
                   "par le portail (ce serveur ne demande pas de mot de passe)."
                 : "La base des comptes du serveur est illisible.");
    serve_page_send(&p, r, res, r->sso == SERVE_SSO_ERROR ? 500 : 403);
}
