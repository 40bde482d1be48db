/* What the files of lsu serve (src/serve/) share and nothing else uses:
 * the parsers of what a request carries (form.c: urlencoded bodies, the
 * path's segments, the listen address, a client's file name), the
 * request as the handlers see it (http.c), the page model (page.c) and
 * the screens (screens*.c).  Private to src/serve/. */
#ifndef LSU_SERVE_INT_H
#define LSU_SERVE_INT_H

#include "base/util.h"
#include "lsu.h"
#include "serve/accounts.h"
#include "serve/serve.h"

#include <libxml/tree.h>
#include <libxslt/xsltInternals.h>
#include <stddef.h>

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
    /* a multipart upload: the file received */
    char *upload_path; /* under srv->upload_dir (owned; removed after the request) */
    char *upload_name; /* the client's name, for display only */
    long long upload_size;
    int upload_too_large;
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

void serve_screen_import(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_import_post(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_report(serve_request *r, serve_response *res, const lsu_grant *g, const char *number);
void serve_screen_bilans(serve_request *r, serve_response *res, const lsu_grant *g);
void serve_screen_class(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_lock(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);
void serve_screen_pdf(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe, const char *ine,
                      const char *bkey);
void serve_screen_zip(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe);

/* ---- heavy work: its limit, the background editions (jobs.c,
 * screens_editer.c) ---- */

/* The limit and the editions of a server; NULL when memory ran out.
 * `limit` heavy jobs at once (at least 1). */
struct serve_jobs *serve_jobs_new(unsigned limit);
/* Interrupts the editions, waits for their threads, removes their files,
 * frees j (NULL: nothing). */
void serve_jobs_free(struct serve_jobs *j);
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
    const char *what;            /* « l'école », « le niveau CP », « la classe CP A » */
} serve_edition_spec;

/* An edition's state as a screen shows it (texts owned by the copy). */
typedef struct {
    int state; /* SERVE_EDITION_WAITING, _RUNNING, _DONE, _FAILED */
    size_t done, total;
    char *what, *message;
    char **zips; /* the zips' names, once done */
    size_t nzips;
} serve_edition_view;
enum { SERVE_EDITION_WAITING, SERVE_EDITION_RUNNING, SERVE_EDITION_DONE, SERVE_EDITION_FAILED };

/* Starts an edition in a thread of its own (it waits for its turn):
 * its number, or -1 when it could not start. */
long long serve_edition_start(struct lsu_server *s, const serve_edition_spec *spec);
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
void serve_screen_edition_zip(serve_request *r, serve_response *res, const lsu_grant *g, const char *number,
                              const char *name);

#endif
