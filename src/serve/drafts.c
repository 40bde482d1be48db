/* The drafts of the entry screens (drafts.h): the store's functions, in
 * DATA/serveur.sqlite's table `drafts` (accounts.c's migration 3), and
 * what the screens share about them (serve_int.h): the edit mode and its
 * « Modifier » / « Annuler », the form that saves itself, the banner of
 * a draft restored, POST /ecole/UAI/brouillon. */
#include "serve/drafts.h"
#include "base/util.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the store ---- */

/* Takes a's lock (accounts.c: one connection shared by the threads). */
static void draft_lock(lsu_accounts *a)
{
    if (a->lock_made)
        pthread_mutex_lock(&a->lock);
}

/* Gives it back; returns rc. */
static int draft_unlock(lsu_accounts *a, int rc)
{
    if (a->lock_made)
        pthread_mutex_unlock(&a->lock);
    return rc;
}

/* Replaces a->error by "what : SQLite's reason"; returns -1. */
static int draft_fail(lsu_accounts *a, const char *what)
{
    free(a->error);
    a->error = lsu_asprintf("%s : %s", what, a->db ? sqlite3_errmsg(a->db) : "base fermée");
    return -1;
}

/* Runs one statement of SQL with text and integer parameters (`types`:
 * 't' a text of texts[], 'i' an integer of ints[], in order) to its end;
 * SQLite's code of the last step, or -1 when it could not be prepared. */
static int draft_run(lsu_accounts *a, const char *sql, const char *types, const char *const *texts,
                     const long long *ints)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(a->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0, t = 0, n = 0; types[i]; i++)
        if (types[i] == 't')
            sqlite3_bind_text(s, i + 1, texts[t++], -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(s, i + 1, ints[n++]);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    sqlite3_finalize(s);
    return rc;
}

/* See drafts.h. */
int lsu_draft_put(lsu_accounts *a, const char *login, const char *screen, const char *state, const char *fields,
                  time_t now)
{
    if (!login || !screen || !state || !fields || strlen(fields) > (size_t)LSU_DRAFT_MAX_BYTES ||
        strlen(screen) > LSU_DRAFT_SCREEN_MAX || strlen(state) > 64)
        return 1;
    draft_lock(a);
    long long t[2] = {(long long)now - LSU_DRAFT_SECONDS, (long long)now};
    if (draft_run(a, "DELETE FROM drafts WHERE at <= ?", "i", NULL, t) != SQLITE_DONE)
        return draft_unlock(a, draft_fail(a, "brouillons expirés"));
    const char *v[4] = {login, screen, state, fields};
    int rc = draft_run(a, "INSERT OR REPLACE INTO drafts(login, screen, state, fields, at) VALUES (?, ?, ?, ?, ?)",
                       "tttti", v, t + 1);
    if (rc == SQLITE_CONSTRAINT)
        return draft_unlock(a, 1); /* no such user */
    if (rc != SQLITE_DONE)
        return draft_unlock(a, draft_fail(a, "enregistrement du brouillon"));
    const char *who[2] = {login, login};
    long long cap = LSU_DRAFT_PER_USER;
    if (draft_run(a,
                  "DELETE FROM drafts WHERE login = ? AND rowid NOT IN "
                  "(SELECT rowid FROM drafts WHERE login = ? ORDER BY at DESC, rowid DESC LIMIT ?)",
                  "tti", who, &cap) != SQLITE_DONE)
        return draft_unlock(a, draft_fail(a, "brouillons en trop"));
    return draft_unlock(a, 0);
}

/* See drafts.h. */
int lsu_draft_get(lsu_accounts *a, const char *login, const char *screen, time_t now, lsu_draft *d)
{
    memset(d, 0, sizeof *d);
    draft_lock(a);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(a->db, "SELECT state, fields, at FROM drafts WHERE login = ? AND screen = ? AND at > ?", -1,
                           &s, NULL) != SQLITE_OK)
        return draft_unlock(a, draft_fail(a, "lecture du brouillon"));
    sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, screen, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (long long)now - LSU_DRAFT_SECONDS);
    int rc = sqlite3_step(s), found = 0;
    if (rc == SQLITE_ROW) {
        const char *st = (const char *)sqlite3_column_text(s, 0), *f = (const char *)sqlite3_column_text(s, 1);
        snprintf(d->state, sizeof d->state, "%s", st ? st : "");
        d->fields = lsu_strdup_or_null(f ? f : "");
        d->at = sqlite3_column_int64(s, 2);
        found = d->fields ? 1 : -1;
    } else if (rc != SQLITE_DONE) {
        found = -1;
    }
    sqlite3_finalize(s);
    if (found < 0) {
        lsu_draft_clear(d);
        return draft_unlock(a, draft_fail(a, "lecture du brouillon"));
    }
    return draft_unlock(a, found);
}

/* See drafts.h. */
int lsu_draft_delete(lsu_accounts *a, const char *login, const char *screen)
{
    draft_lock(a);
    const char *v[2] = {login, screen};
    if (draft_run(a, "DELETE FROM drafts WHERE login = ? AND screen = ?", "tt", v, NULL) != SQLITE_DONE)
        return draft_unlock(a, draft_fail(a, "suppression du brouillon"));
    return draft_unlock(a, 0);
}

/* See drafts.h. */
long lsu_draft_count(lsu_accounts *a, const char *login, time_t now)
{
    draft_lock(a);
    sqlite3_stmt *s = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(a->db, "SELECT count(*) FROM drafts WHERE login = ? AND at > ?", -1, &s, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, (long long)now - LSU_DRAFT_SECONDS);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (n < 0)
        draft_fail(a, "brouillons");
    draft_unlock(a, 0);
    return n;
}

/* See drafts.h. */
void lsu_draft_clear(lsu_draft *d)
{
    free(d->fields);
    memset(d, 0, sizeof *d);
}

/* ---- what the entry screens share (serve_int.h) ---- */

/* See serve_int.h. */
int serve_edit_mode(const serve_request *r)
{
    return strcmp(r->method, "POST") == 0 || serve_form_get(&r->query, "modifier") != NULL;
}

/* screen with "modifier=1" added to its query (owned). */
static char *edit_url(const char *screen)
{
    return lsu_asprintf("%s%smodifier=1", screen, strchr(screen, '?') ? "&" : "?");
}

/* See serve_int.h. */
void serve_edit_link(xmlNodePtr parent, const char *screen)
{
    char *u = edit_url(screen);
    serve_attr(serve_attr(serve_el(parent, "modifier", "Modifier"), "href", u), "titre",
               "Modifier : ouvrir les champs de saisie");
    free(u);
}

/* See serve_int.h. */
void serve_draft_form(xmlNodePtr f, serve_request *r, const char *screen)
{
    const char *uai = r->path.n >= 2 ? r->path.seg[1] : "";
    char *post = serve_school_url(uai, "brouillon");
    serve_attr(serve_attr(f, "brouillon", post), "ecran", screen);
    free(post);
    serve_attr(xmlDocGetRootElement(f->doc), "script", "/saisie.js"); /* the script that posts the drafts */
}

/* See serve_int.h. */
void serve_cancel_link(xmlNodePtr parent, const char *screen)
{
    serve_attr(serve_attr(serve_el(parent, "annuler", "Annuler"), "href", screen), "titre",
               "Annuler : revenir à la consultation sans enregistrer");
}

/* See serve_int.h. */
int serve_draft_load(serve_request *r, const char *screen, lsu_draft *d, serve_form *typed)
{
    memset(typed, 0, sizeof *typed);
    memset(d, 0, sizeof *d);
    if (strcmp(r->method, "GET") != 0 || !serve_form_get(&r->query, "modifier") || !r->login)
        return 0;
    if (lsu_draft_get(&r->srv->accounts, r->login, screen, time(NULL), d) != 1)
        return 0;
    if (serve_form_parse(typed, d->fields, strlen(d->fields)) != 0) {
        lsu_draft_clear(d);
        return 0;
    }
    return 1;
}

/* See serve_int.h. */
void serve_draft_banner(xmlNodePtr content, serve_request *r, const char *screen, const lsu_draft *d)
{
    time_t t = (time_t)d->at;
    struct tm tm;
    char when[40] = "?";
    if (localtime_r(&t, &tm))
        strftime(when, sizeof when, "%d/%m/%Y à %H:%M", &tm);
    char *msg = lsu_asprintf("Un brouillon non enregistré du %s a été restauré.", when);
    xmlNodePtr box = serve_attr(serve_el(content, "encadre", NULL), "id", "brouillon");
    serve_attr(serve_el(box, "info", msg), "id", "brouillon-message");
    free(msg);
    const char *uai = r->path.n >= 2 ? r->path.seg[1] : "";
    char *post = serve_school_url(uai, "brouillon");
    xmlNodePtr f = serve_attr(serve_form_el(box, r, post, "post"), "id", "abandon-brouillon");
    free(post);
    serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "ecran"), "value", screen);
    serve_attr(serve_attr(serve_el(f, "bouton", "Abandonner le brouillon"), "name", "abandonner"), "value", "1");
}

/* See serve_int.h. */
void serve_draft_saved(serve_request *r, const char *screen)
{
    if (r->login && screen)
        lsu_draft_delete(&r->srv->accounts, r->login, screen);
}

/* s percent-encoded as a form's name or value into b. */
static void form_put(lsu_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            lsu_buf_add(b, (const char *)p, 1);
        else
            lsu_buf_printf(b, "%%%02X", *p);
    }
}

/* The screen a draft's POST names, when it is one of r's school (its
 * path under /ecole/UAI/ of r's path, no control character); else NULL. */
static const char *draft_screen(const serve_request *r)
{
    const char *e = serve_form_get(&r->form, "ecran");
    char prefix[64];
    snprintf(prefix, sizeof prefix, "/ecole/%s/", r->path.n >= 2 ? r->path.seg[1] : "");
    if (!e || strncmp(e, prefix, strlen(prefix)) != 0 || strlen(e) > LSU_DRAFT_SCREEN_MAX || strstr(e, "..") ||
        !serve_text_ok(e, strlen(e)) || strpbrk(e, "\t\n\r"))
        return NULL;
    return e;
}

/* See serve_int.h: POST /ecole/UAI/brouillon (CSRF checked by the
 * router): `ecran` and the form's fields stored as r's user's draft with
 * its `etat` (204), or, with `abandonner`, the draft removed and the
 * screen shown again in edit mode (303). */
void serve_screen_draft_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    (void)g;
    const char *screen = draft_screen(r), *etat = serve_form_get(&r->form, "etat");
    if (!screen) {
        serve_error(r, res, 400, "Brouillon refusé", "L'écran du brouillon n'est pas l'un de cet établissement.");
        return;
    }
    if (serve_form_get(&r->form, "abandonner")) {
        lsu_draft_delete(&r->srv->accounts, r->login, screen);
        char *u = edit_url(screen);
        serve_redirect(res, u ? u : "/");
        free(u);
        return;
    }
    if (!etat || strlen(etat) > 64 || strspn(etat, "0123456789abcdef") != strlen(etat)) {
        serve_error(r, res, 400, "Brouillon refusé", "Le brouillon ne porte pas l'état de la page affichée.");
        return;
    }
    lsu_buf b = {0};
    for (size_t i = 0; i < r->form.n; i++) {
        const serve_field *f = &r->form.fields[i];
        if (strcmp(f->name, "csrf") == 0 || strcmp(f->name, "ecran") == 0 || strcmp(f->name, "etat") == 0)
            continue;
        if (b.len)
            lsu_buf_puts(&b, "&");
        form_put(&b, f->name);
        lsu_buf_puts(&b, "=");
        form_put(&b, f->value);
    }
    int rc = b.failed ? -1 : lsu_draft_put(&r->srv->accounts, r->login, screen, etat, b.data ? b.data : "", time(NULL));
    lsu_buf_free(&b);
    if (rc == 1)
        serve_error(r, res, 413, "Brouillon refusé", "Le brouillon est trop volumineux pour être gardé.");
    else if (rc != 0)
        serve_error(r, res, 500, "Erreur interne", "Le brouillon n'a pas pu être gardé.");
    else
        res->status = 204;
}
