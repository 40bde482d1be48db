/* What the files of lsu serve (src/serve/) share and nothing else uses:
 * the parsers of what a request carries (form.c: urlencoded bodies, the
 * path's segments, the listen address, a client's file name), the
 * request as the handlers see it (http.c), the page model (page.c) and
 * the screens (screens*.c).  Private to src/serve/. */
#ifndef LSU_SERVE_INT_H
#define LSU_SERVE_INT_H

#include "base/util.h"
#include "lsu.h"
#include "school/school.h"
#include "school/store.h"
#include "serve/accounts.h"
#include "serve/drafts.h"
#include "serve/serve.h"

#include <libxml/tree.h>
#include <libxslt/xsltInternals.h>
#include <stddef.h>
#include <stdint.h>

/* ---- parsers (form.c; fuzzed by tests/fuzz_serve.c) ---- */

#define SERVE_FORM_MAX_FIELDS 256
#define SERVE_FORM_MAX_BODY (64L * 1024) /* an urlencoded form */
#define SERVE_PATH_MAX_SEGMENTS 8

typedef struct {
    char *name, *value; /* owned, valid UTF-8, NUL-free */
} serve_field;

typedef struct {
    serve_field *fields;
    size_t n;
} serve_form;

/* Parses an application/x-www-form-urlencoded body into *form (zeroed
 * first; fields appended in order, names may repeat).  0, or -1 when the
 * body is malformed (a bad %XX, invalid UTF-8, a NUL, more than
 * SERVE_FORM_MAX_FIELDS fields) or memory ran out; the form is then
 * empty. */
int serve_form_parse(serve_form *form, const char *body, size_t len);
/* The first value of field `name`, or NULL. */
const char *serve_form_get(const serve_form *form, const char *name);
void serve_form_clear(serve_form *form);

/* A request path cut at its slashes: "/ecole/0290347V/bilans/CP A" gives
 * 4 segments (already percent-decoded by libmicrohttpd). */
typedef struct {
    char *seg[SERVE_PATH_MAX_SEGMENTS]; /* owned */
    size_t n;
} serve_path;

/* Cuts `path` into *p.  0, or -1 when it does not begin with '/', has an
 * empty segment (but a final '/'), ".", "..", a segment over 200 bytes,
 * invalid UTF-8 or control characters, or more than
 * SERVE_PATH_MAX_SEGMENTS segments. */
int serve_path_parse(serve_path *p, const char *path);
void serve_path_clear(serve_path *p);

/* "127.0.0.1:8080", "[::1]:0", "8080" (127.0.0.1): the numeric address
 * (no names are resolved) into host and the port.  0 or -1. */
int serve_parse_listen(const char *s, char host[64], unsigned *port, int *ipv6);

/* A client's file name for display: its last path component, control
 * characters and invalid UTF-8 dropped, at most 120 bytes; "fichier" when
 * nothing is left.  Never used to name a file on the server. */
void serve_display_name(const char *client, char *out, size_t size);

/* 1 when s is valid UTF-8 without control characters but \t \n \r. */
int serve_text_ok(const char *s, size_t n);
/* Appends field name=value[0..len) to f; 0, or -1 when f is full, either
 * is not text (serve_text_ok) or memory ran out (nothing appended). */
int serve_form_add(serve_form *f, const char *name, const char *value, size_t len);

/* ---- a multipart body's parts (upload.c; fuzzed by tests/fuzz_serve.c) ---- */

#define SERVE_UPLOAD_MAX 4 /* file fields kept from one body */

/* A file a form carried, streamed to a private file. */
typedef struct {
    const char *field; /* its form field: "fichier", "enseignants" (static) */
    char *path;        /* under the upload folder, mode 0600 (owned; removed by serve_uploads_clear) */
    char *name;        /* the client's name, for display only (serve_display_name; owned) */
    long long size;
} serve_upload;

/* The files of one request, under one cap on their sum. */
typedef struct {
    serve_upload v[SERVE_UPLOAD_MAX];
    size_t n;
    long long total; /* the bytes of every file part, those ignored too */
    int too_large;   /* total went over the cap (or the body over its own): nothing to act on */
    int parts;       /* file parts seen, those ignored too */
} serve_uploads;

/* The receiving side of a multipart body: what libmicrohttpd's post
 * processor hands over, part by part and chunk by chunk. */
typedef struct {
    const char *dir; /* where the files go */
    long long cap;   /* the most the files may hold together */
    serve_form *form;
    serve_uploads *up;
    int fd;         /* the open file of the part being received, -1 none */
    int cur;        /* its index in up->v, -1 when the part is ignored */
    int last_small; /* the last part was a small field (its value the last of form) */
} serve_multipart;

/* m ready to receive into form and up (zeroed first: up only). */
void serve_multipart_init(serve_multipart *m, const char *dir, long long cap, serve_form *form, serve_uploads *up);
/* One chunk of part `key` at offset `off` of its value (filename: the
 * client's, NULL for a small field).  A file field of
 * serve_upload_fields is streamed to a new private file (the first part
 * of each name; others ignored), any other file part ignored; every file
 * byte counts towards m->cap, and over it up->too_large is set and the
 * rest ignored.  Small fields (at most 4 KiB each) go to the form.
 * 0, or -1 when the body is to be refused (a field not text, too many,
 * a file that cannot be written). */
int serve_multipart_data(serve_multipart *m, const char *key, const char *filename, const char *data, uint64_t off,
                         size_t size);
/* The body ended: the open file closed. */
void serve_multipart_end(serve_multipart *m);
/* The file of field `field` received (size may be 0), or NULL. */
const serve_upload *serve_upload_get(const serve_uploads *up, const char *field);
/* Removes the files of up and frees it (zeroed). */
void serve_uploads_clear(serve_uploads *up);

/* ---- the server and its requests (http.c) ---- */

struct lsu_server {
    lsu_serve_config cfg;
    char *data_dir; /* owned copy */
    struct MHD_Daemon *daemon;
    lsu_accounts accounts;
    lsu_runtime rt;
    xsltStylesheetPtr page_xsl;
    char *upload_dir;        /* DATA/televersements (0700) */
    char *reports_dir;       /* DATA/rapports-serveur: the HTML report of each import */
    struct serve_jobs *jobs; /* the heavy jobs' limit and the editions (jobs.c) */
};

/* One request as a screen sees it. */
typedef struct {
    struct lsu_server *srv;
    const char *method; /* "GET", "POST" */
    const char *url;
    serve_path path;
    const char *addr; /* the client's address */
    serve_form form;  /* POST fields (urlencoded, or the small fields of a multipart body) */
    serve_form query; /* GET arguments */
    char *login;      /* the session's user, NULL when none */
    char csrf[65];    /* the session's CSRF token */
    char token[65];   /* the session cookie's value */
    lsu_user user;    /* the user's grants */
    /* a multipart body's files (removed after the request) */
    serve_uploads uploads;
    /* --trust-header: SERVE_SSO_* below; a session opened for the header's
     * user on this request (its cookie is set on the answer) */
    int sso;
    int session_opened;
} serve_request;

/* What a screen answers. */
typedef struct {
    unsigned status;
    const char *content_type;
    lsu_buf body; /* the bytes, or */
    int fd;       /* an open file to send (-1: none; taken) */
    long long fd_size;
    char *location;    /* a redirection (owned) */
    char *set_cookie;  /* a Set-Cookie header (owned) */
    char *csp;         /* a Content-Security-Policy other than default-src 'self' (owned) */
    char *disposition; /* Content-Disposition (owned) */
} serve_response;

/* A 303 See Other to `location`. */
void serve_redirect(serve_response *res, const char *location);

/* ---- pages (page.c) ---- */

/* A page model: <page titre=".."> with the header's facts and a
 * <contenu> the screen fills; turned into HTML by xslt/serve-page.xsl. */
typedef struct {
    xmlDocPtr doc;
    xmlNodePtr root, fil, content; /* fil: the breadcrumb's <lien>s */
} serve_page;

/* The page stylesheet compiled (0, or -1 with *error, owned) and freed. */
int serve_pages_init(struct lsu_server *s, char **error);
void serve_pages_free(struct lsu_server *s);

/* A new page titled `title` for request r (the header: user, school,
 * role, year when r's path names a school r may reach). */
void serve_page_new(serve_page *p, serve_request *r, const char *title);
/* An element `name` under parent, with text (may be NULL). */
xmlNodePtr serve_el(xmlNodePtr parent, const char *name, const char *text);
/* Sets an attribute (value may be NULL: nothing set); returns n. */
xmlNodePtr serve_attr(xmlNodePtr n, const char *name, const char *value);
/* A form posting to `action`, with the session's CSRF token. */
xmlNodePtr serve_form_el(xmlNodePtr parent, serve_request *r, const char *action, const char *method);
/* A labelled field of form f. */
xmlNodePtr serve_field_el(xmlNodePtr f, const char *type, const char *name, const char *label, const char *value);
/* Turns the page into HTML in res (status given), frees the model. */
void serve_page_send(serve_page *p, serve_request *r, serve_response *res, unsigned status);
/* An error page: status, title, message. */
void serve_error(serve_request *r, serve_response *res, unsigned status, const char *title, const char *message);

/* ---- screens (screens.c, screens_import.c, screens_bilans.c) ---- */

/* Routes request r to its screen.  Fills res. */
void serve_dispatch(serve_request *r, serve_response *res);

/* The grant of r's user for the school of r's path segment 1 (checked
 * there: a UAI the user has), else NULL with a 403 page in res. */
const lsu_grant *serve_school(serve_request *r, serve_response *res);
/* 1 when a POST carries the session's CSRF token, else 0 with a 403. */
int serve_csrf_ok(serve_request *r, serve_response *res);
/* The URL of the school's screen `rest` (owned). */
char *serve_school_url(const char *uai, const char *rest);
/* Opens the school's store of grant g (creating it when `create`) with the
 * session's user as the author of its events; 0, or -1 with an error page
 * in res (no store yet: 404; unreadable: 500), nothing left open. */
int serve_open_store(serve_request *r, serve_response *res, const lsu_grant *g, int create, lsu_store *st);
/* The screen that does remedy rm (school/remedy.h) for grant g: its URL
 * (owned) and, in *label, its name as the menus say it (« Paramétrage des
 * périodes »; static); NULL for LSU_REMEDY_NONE. */
char *serve_remedy_url(const lsu_grant *g, const lsu_remedy *rm, const char **label);
/* Under parent, a paragraph « À faire : » with the link to the screen
 * that does remedy rm; for a teacher, the director's screens are named,
 * not linked.  Nothing for LSU_REMEDY_NONE. */
void serve_remedy(xmlNodePtr parent, const lsu_grant *g, const lsu_remedy *rm);
/* serve_error with the link of remedy rm (serve_remedy) under the message. */
void serve_error_remedy(serve_request *r, serve_response *res, unsigned status, const char *title, const char *message,
                        const lsu_grant *g, const lsu_remedy *rm);
/* The labels of the school's classes (*labels, *n: lsu_class_labels_free),
 * read from its store; 0, or -1 with an error page in res. */
int serve_class_labels(serve_request *r, serve_response *res, const lsu_grant *g, char ***labels, size_t *n);

void serve_screen_import(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_import_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_report(serve_request *r, serve_response *res, const lsu_grant *g, const char *number);
void serve_screen_bilans(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_class(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_lock(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_pdf(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe, const char *ine,
                      const char *bkey);
void serve_screen_zip(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);

/* ---- the collective entry (screens_elements.c): éléments du programme
 * and parcours éducatifs of a class and period, through lsu_entry_apply;
 * the class is checked against the grant by the router ---- */

/* GET /ecole/UAI/elements and /ecole/UAI/parcours (what: "elements",
 * "parcours"): the classes to choose from. */
void serve_screen_entry_classes(serve_request *r, serve_response *res, const lsu_grant *g, const char *what);
/* GET and POST /ecole/UAI/elements/CLASSE?periode=P&domaine=D. */
void serve_screen_elements(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_elements_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
/* GET and POST /ecole/UAI/parcours/CLASSE?periode=P. */
void serve_screen_parcours(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_parcours_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
/* GET /saisie.js: the live counters of the entry's texts. */
void serve_screen_entry_js(serve_response *res);
/* ---- forms kept across an expired session; the identity of a trusted
 * header (screens_session.c) ---- */

/* A form a POST carried that could not be acted on (no session, or a
 * CSRF token of another session): what to offer again after login, never
 * replayed without the user's confirmation. */
typedef struct {
    char *action;      /* the POST's path, under /ecole/ (owned, decoded) */
    char *file;        /* the display name of an uploaded file, not kept (owned) */
    char *teachers;    /* the same for the teachers' list of a Synchronisation (owned) */
    serve_form fields; /* every field but csrf and the password-like ones */
    int dropped;       /* the fields were too many or too long to be kept */
} serve_kept;

/* The fields of request r's own POST into *k (zeroed first).  1 when
 * there is something to keep (r's path is under /ecole/), else 0. */
int serve_kept_from_post(serve_kept *k, const serve_request *r);
/* The fields a Connexion form carried back (reprise-action,
 * reprise:NAME) into *k.  1 kept, 0 none, -1 the action is not a path of
 * the application under /ecole/ (refused). */
int serve_kept_from_login(serve_kept *k, const serve_request *r);
void serve_kept_clear(serve_kept *k);
/* The kept fields as hidden inputs of Connexion form f. */
void serve_kept_hidden(xmlNodePtr f, const serve_kept *k);
/* The confirmation page: « Votre session avait expiré : vérifiez puis
 * confirmez l'envoi » (or `title`), the kept fields in a form with r's
 * CSRF token posting to their action; status given. */
void serve_screen_confirm(serve_request *r, serve_response *res, const serve_kept *k, const char *title,
                          const char *message, unsigned status);
/* The session cookie for `token`, or one that clears it when NULL (owned). */
char *serve_session_cookie(const struct lsu_server *s, const char *token);
/* r becomes the request of `login`'s session `keys` (just opened): its
 * login, tokens and grants.  0, or -1 (r then has no login). */
int serve_session_adopt(serve_request *r, const char *login, const lsu_session_keys *keys);
/* The answer to a POST without the session's CSRF token (serve_csrf_ok):
 * 403 « Formulaire expiré », with its fields offered again when it was a
 * school's form (200 and the confirmation when --trust-header has just
 * opened the session). */
void serve_csrf_refused(serve_request *r, serve_response *res);

#define SERVE_SSO_OFF 0     /* no --trust-header */
#define SERVE_SSO_USER 1    /* the header names a known account: r->login */
#define SERVE_SSO_NONE 2    /* the header is absent or empty */
#define SERVE_SSO_UNKNOWN 3 /* the header names no account */
#define SERVE_SSO_ERROR 4   /* serveur.sqlite could not be read */
/* With --trust-header: the identity of r from the header's value
 * (`value` may be NULL), its session the cookie's when it is the same
 * user's, else a new one (r->session_opened).  Sets r->sso. */
void serve_trusted_identity(serve_request *r, const char *value);
/* The page of a request the trusted header does not identify (403). */
void serve_screen_sso_refused(serve_request *r, serve_response *res);
/* ---- the pupil's bilan and its saisie individuelle (screens_bilan.c) ---- */

/* GET /ecole/UAI/bilans/CLASSE/eleve/INE?periode=P: the bilan, recto and
 * verso, with the entry form unless it is locked. */
void serve_screen_bilan(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe, const char *ine);
/* POST of the same: lsu_entry_apply with the state token shown (303 back,
 * or the page again with 422 refused, 409 stale or locked). */
void serve_screen_bilan_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe,
                             const char *ine);
/* ---- the edit mode and the drafts of the entry screens (drafts.c):
 * `screen` is a screen's own URL (path and query, without modifier=1),
 * the key of its drafts ---- */

/* 1 when r shows its entry screen in edit mode: a POST (a form shown
 * again) or ?modifier=1; else the read mode. */
int serve_edit_mode(const serve_request *r);
/* Read mode: the « Modifier » link (pencil icon) to `screen` in edit
 * mode, under parent. */
void serve_edit_link(xmlNodePtr parent, const char *screen);
/* Edit mode: the « Annuler » link back to `screen` in read mode. */
void serve_cancel_link(xmlNodePtr parent, const char *screen);
/* Edit mode: form f saves its fields as a draft of `screen` now and then
 * (serve-saisie.js, POST /ecole/UAI/brouillon). */
void serve_draft_form(xmlNodePtr f, serve_request *r, const char *screen);
/* A GET in edit mode: r's user's draft of `screen` into *d and its
 * fields into *typed (both zeroed first; clear them): 1 found, else 0. */
int serve_draft_load(serve_request *r, const char *screen, lsu_draft *d, serve_form *typed);
/* The banner of draft d restored, with « Abandonner le brouillon ». */
void serve_draft_banner(xmlNodePtr content, serve_request *r, const char *screen, const lsu_draft *d);
/* A save of `screen` went through: r's user's draft of it removed. */
void serve_draft_saved(serve_request *r, const char *screen);
/* POST /ecole/UAI/brouillon: a draft stored (204) or abandoned (303). */
void serve_screen_draft_post(serve_request *r, serve_response *res, const lsu_grant *g);
/* ---- the director's settings (screens_param.c, screens_periods.c,
 * screens_sync.c): Paramétrage, Synchronisation, Historique, Rapports ---- */

/* 1 when g is the school's director, else 0 with a 403 page. */
int serve_param_director(serve_request *r, serve_response *res, const lsu_grant *g);
/* The breadcrumb Accueil > Paramétrage > here (here NULL: the menu). */
void serve_param_fil(serve_page *p, const lsu_grant *g, const char *here);
/* The settings' entries as a list under parent (the guide's menu). */
void serve_param_menu(xmlNodePtr parent, const lsu_grant *g);
/* The « Pour » choice of a form (the school, a level, a class of m). */
void serve_param_target(xmlNodePtr f, const char *id, const lsu_class_mode *m, size_t n);
/* The « Pour » field of r's form into *sel, *words naming it (the form's
 * texts); 0, or -1 when absent or malformed. */
int serve_param_target_read(serve_request *r, lsu_selection *sel, const char **words);

void serve_screen_param(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_import_mode(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_import_mode_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_periods(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_periods_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_scale(serve_request *r, serve_response *res, const lsu_grant *g);
/* « Identité de l'école » (screens_ecole.c): GET and POST
 * /ecole/UAI/parametrage/ecole, as `lsu school`; director only. */
void serve_screen_ecole(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_ecole_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_sync(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_sync_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_history(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_reports(serve_request *r, serve_response *res, const lsu_grant *g);
/* ---- Saisie d'ensemble des acquis scolaires (screens_acquis.c) ---- */

void serve_screen_acquis_classes(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_acquis(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_acquis_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
/* ---- heavy work: its limit, the background editions (jobs.c,
 * screens_editer.c) ---- */

/* The limit and the editions of a server; NULL when memory ran out.
 * `limit` heavy jobs at once (at least 1). */
struct serve_jobs *serve_jobs_new(unsigned limit);
/* Interrupts the editions, waits for their threads (those under way are
 * recorded interrupted, their unfinished files removed), frees j (NULL:
 * nothing). */
void serve_jobs_free(struct serve_jobs *j);
/* Brings back the editions of the server's store (before any thread):
 * the finished ones with their zips, those a stop or a crash cut short as
 * interrupted; removes the expired ones, their folders, and the folders
 * under DATA/televersements no edition owns.  0 or -1. */
int serve_jobs_load(struct lsu_server *s);
/* The server stops: editions waiting give up, those under way stop at
 * their next class, imports no longer wait in order. */
void serve_jobs_stop(struct serve_jobs *j);
/* Waits for a heavy job's turn (first come, first served) and takes it;
 * release it with serve_job_release. */
void serve_job_acquire(struct serve_jobs *j);
void serve_job_release(struct serve_jobs *j);
/* One import of a school at a time (the number of its report is read
 * before and after it): waits for the one under way, then marks uai
 * (at most 15 bytes: a UAI); 0, or -1 when memory ran out (nothing
 * marked).  Taken before a job's turn, never while holding one. */
int serve_school_import_begin(struct serve_jobs *j, const char *uai);
void serve_school_import_end(struct serve_jobs *j, const char *uai);

/* What an edition edits and for whom. */
typedef struct {
    const char *uai, *login;     /* the school, its owner (the only one who sees it) */
    const char *classe, *niveau; /* the selection (NULL: all) */
    int by;                      /* EDIT_BY_CLASS, EDIT_BY_LEVEL, EDIT_BY_SCHOOL */
    int test_print;              /* « impression d'essai »: the unlocked bilans too, watermarked */
    const char *what;            /* « l'école », « le niveau CP », « la classe CP A » */
} serve_edition_spec;

/* An edition's state as a screen shows it (texts owned by the copy). */
typedef struct {
    int state; /* SERVE_EDITION_WAITING, _RUNNING, _DONE, _FAILED, _INTERRUPTED */
    size_t done, total;
    char *what, *message;
    char **zips; /* the zips' names, once done */
    size_t nzips;
} serve_edition_view;
/* the values the store keeps (accounts.h): append only */
enum {
    SERVE_EDITION_WAITING,
    SERVE_EDITION_RUNNING,
    SERVE_EDITION_DONE,
    SERVE_EDITION_FAILED,
    SERVE_EDITION_INTERRUPTED /* by a stop or a crash of the server: to be started again */
};

/* Starts an edition in a thread of its own (it waits for its turn):
 * its number, or -1 when it could not start. */
long long serve_edition_start(struct lsu_server *s, const serve_edition_spec *spec);
/* Starts again interrupted edition n of (g's school, login) with what it
 * had to edit, under the same number: 0, 1 when there is none for them,
 * 2 when it is not interrupted (done, or started again already), 3 when
 * g no longer reaches its selection, -1 when it could not start. */
int serve_edition_restart(struct lsu_server *s, long long n, const lsu_grant *g, const char *login);
/* A copy of edition n of (uai, login): 1, or 0 when there is none for
 * them. */
int serve_edition_get(struct lsu_server *s, long long n, const char *uai, const char *login, serve_edition_view *v);
void serve_edition_view_clear(serve_edition_view *v);
/* The path of zip `name` of done edition n of (uai, login) (owned), or
 * NULL. */
char *serve_edition_zip(struct lsu_server *s, long long n, const char *uai, const char *login, const char *name);
/* The numbers of the editions of (uai, login), newest first, into *out
 * (owned) of *n. */
void serve_editions_list(struct lsu_server *s, const char *uai, const char *login, long long **out, size_t *n);

void serve_screen_editer(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_editer_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_edition(serve_request *r, serve_response *res, const lsu_grant *g, const char *number);
void serve_screen_edition_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *number);
void serve_screen_edition_zip(serve_request *r, serve_response *res, const lsu_grant *g, const char *number,
                              const char *name);

#endif
