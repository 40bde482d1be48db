/* The HTTP side of lsu serve: the libmicrohttpd daemon (a thread per
 * connection, bounded connections and memory), a request's life
 * (path, query, session cookie, urlencoded or multipart body streamed to
 * a private file), the headers every answer carries, start and stop. */
#include "serve/mhd.h"
#include "serve/serve_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SERVE_COOKIE "lsu_session"
#define SERVE_CONNECTIONS 128 /* connections (and their threads) at once */

/* One connection's request while its body arrives. */
typedef struct {
    serve_request r;
    int multipart, bad_path, bad_body;
    lsu_buf body; /* an urlencoded body */
    struct MHD_PostProcessor *pp;
    serve_multipart mp; /* a multipart body's parts (upload.c) */
    long long received; /* body bytes */
} conn_state;

/* Frees a connection's state, removing the uploads left. */
static void conn_free(conn_state *cs)
{
    if (cs->pp)
        MHD_destroy_post_processor(cs->pp);
    serve_multipart_end(&cs->mp);
    serve_uploads_clear(&cs->r.uploads);
    serve_path_clear(&cs->r.path);
    serve_form_clear(&cs->r.form);
    serve_form_clear(&cs->r.query);
    free(cs->r.login);
    lsu_user_clear(&cs->r.user);
    lsu_buf_free(&cs->body);
    free(cs);
}

/* The multipart body's fields (MHD_PostProcessor's iterator), to
 * upload.c: the files of the fields the screens read each streamed to
 * its private file (under one cap on their sum), small fields into
 * r.form. */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                const char *content_type, const char *encoding, const char *data, uint64_t off,
                                size_t size)
{
    conn_state *cs = cls;
    (void)kind, (void)content_type, (void)encoding;
    if (serve_multipart_data(&cs->mp, key, filename, data, off, size) != 0) {
        cs->bad_body = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* GET arguments into r.query (MHD_get_connection_values' iterator). */
static enum MHD_Result on_argument(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    conn_state *cs = cls;
    (void)kind;
    if (serve_form_add(&cs->r.query, key, value ? value : "", value ? strlen(value) : 0) != 0)
        cs->bad_path = 1;
    return MHD_YES;
}

/* The first call of a request: its state, its path, its body's kind. */
static conn_state *conn_begin(struct lsu_server *s, struct MHD_Connection *c, const char *url, const char *method)
{
    conn_state *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    serve_multipart_init(&cs->mp, s->upload_dir, s->cfg.max_upload, &cs->r.form, &cs->r.uploads);
    cs->r.srv = s;
    cs->r.method = method;
    cs->r.url = url;
    cs->bad_path = serve_path_parse(&cs->r.path, url) != 0;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_argument, cs);
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (strcmp(method, "POST") == 0 && ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
        cs->multipart = 1;
        cs->pp = MHD_create_post_processor(c, (size_t)64 * 1024, on_field, cs);
        if (!cs->pp)
            cs->bad_body = 1; /* no boundary */
    }
    return cs;
}

/* A body chunk: to the post processor or the urlencoded buffer, within
 * the caps (what is over them is read and dropped, to answer 413). */
static void conn_body(conn_state *cs, const char *data, size_t size)
{
    cs->received += (long long)size;
    /* Connexion carries the fields of a form sent without a session
     * (screens_session.c): twice the cap of a form */
    long long cap = cs->multipart                          ? cs->r.srv->cfg.max_upload + SERVE_FORM_MAX_BODY
                    : strcmp(cs->r.url, "/connexion") == 0 ? 2 * SERVE_FORM_MAX_BODY
                                                           : SERVE_FORM_MAX_BODY;
    if (cs->received > cap) {
        cs->r.uploads.too_large = 1;
        return;
    }
    if (cs->bad_body)
        return;
    if (cs->multipart) {
        if (MHD_post_process(cs->pp, data, size) != MHD_YES)
            cs->bad_body = 1;
    } else {
        lsu_buf_add(&cs->body, data, size);
    }
}

/* The last address of an X-Forwarded-For header (the one the proxy
 * saw) into out, when it is a numeric address; else out is left. */
static void forwarded_address(const char *xff, char *out, size_t size)
{
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    char a[64];
    unsigned char bin[16];
    snprintf(a, sizeof a, "%s", last);
    a[strcspn(a, " ")] = 0;
    if (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1)
        snprintf(out, size, "%s", a);
}

/* The client's address as text into out (the proxy's client with
 * trust_proxy, from loopback). */
static void client_address(struct lsu_server *s, struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "%s", "?");
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, out,
                  (socklen_t)size);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
                  (socklen_t)size);
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (s->cfg.trust_proxy && xff && (strcmp(out, "127.0.0.1") == 0 || strcmp(out, "::1") == 0))
        forwarded_address(xff, out, size);
}

/* The session of the request's cookie, with the user's grants. */
static void conn_session(conn_state *cs, struct MHD_Connection *c)
{
    const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SERVE_COOKIE);
    if (!tok || strlen(tok) != 64)
        return;
    snprintf(cs->r.token, sizeof cs->r.token, "%s", tok);
    if (lsu_accounts_session(&cs->r.srv->accounts, tok, time(NULL), &cs->r.login, cs->r.csrf) == 1 &&
        lsu_accounts_user(&cs->r.srv->accounts, cs->r.login, &cs->r.user) != 1) {
        free(cs->r.login);
        cs->r.login = NULL;
    }
}

/* The request's identity: its cookie's session, and with --trust-header
 * the header's user (screens_session.c). */
static void conn_identity(conn_state *cs, struct MHD_Connection *c)
{
    conn_session(cs, c);
    const char *h = cs->r.srv->cfg.trust_header;
    if (h)
        serve_trusted_identity(&cs->r, MHD_lookup_connection_value(c, MHD_HEADER_KIND, h));
}

/* Sends res on c with the headers every answer carries. */
static enum MHD_Result send_response(struct MHD_Connection *c, serve_response *res)
{
    struct MHD_Response *m;
    if (res->fd >= 0) {
        m = MHD_create_response_from_fd((uint64_t)res->fd_size, res->fd);
        res->fd = -1; /* the response owns it now, even when it failed (closed then) */
    } else {
        m = MHD_create_response_from_buffer(res->body.len, res->body.data ? res->body.data : (void *)"",
                                            MHD_RESPMEM_MUST_COPY);
    }
    if (!m)
        return MHD_NO;
    MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE,
                            res->content_type ? res->content_type : "text/html; charset=utf-8");
    MHD_add_response_header(m, "Content-Security-Policy",
                            res->csp ? res->csp : "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "X-Frame-Options", "DENY");
    MHD_add_response_header(m, "Referrer-Policy", "same-origin");
    MHD_add_response_header(m, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (res->location)
        MHD_add_response_header(m, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res->set_cookie)
        MHD_add_response_header(m, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
    if (res->disposition)
        MHD_add_response_header(m, "Content-Disposition", res->disposition);
    enum MHD_Result rc = MHD_queue_response(c, res->status ? res->status : 200, m);
    MHD_destroy_response(m);
    return rc;
}

/* libmicrohttpd's access handler: called once at the head of a request,
 * once per body chunk, once at its end (then the screen answers). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct lsu_server *s = cls;
    conn_state *cs = *con_cls;
    (void)version;
    if (!cs) {
        if (!(cs = conn_begin(s, c, url, method)))
            return MHD_NO;
        *con_cls = cs;
        return MHD_YES;
    }
    if (*upload_data_size) {
        conn_body(cs, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    char addr[64];
    client_address(s, c, addr, sizeof addr);
    cs->r.addr = addr;
    serve_multipart_end(&cs->mp);
    if (cs->multipart && cs->pp && !cs->bad_body && MHD_destroy_post_processor(cs->pp) != MHD_YES)
        cs->bad_body = 1;
    cs->pp = NULL;
    if (!cs->multipart && cs->body.len && !cs->r.uploads.too_large &&
        serve_form_parse(&cs->r.form, cs->body.data, cs->body.len) != 0)
        cs->bad_body = 1;
    conn_identity(cs, c);
    serve_response res = {.fd = -1};
    if (cs->r.uploads.too_large)
        serve_error(&cs->r, &res, 413, "Fichier trop volumineux",
                    cs->r.uploads.parts > 1
                        ? "Les fichiers envoyés dépassent ensemble la taille permise par le serveur. Rien n'a été "
                          "importé."
                        : "Le fichier envoyé dépasse la taille permise par le serveur. Rien n'a été importé.");
    else if (cs->bad_path)
        serve_error(&cs->r, &res, 400, "Adresse invalide", "Cette adresse n'est pas une page de l'application.");
    else if (cs->bad_body || cs->body.failed)
        serve_error(&cs->r, &res, 400, "Formulaire invalide", "Le formulaire envoyé est illisible.");
    else if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 && strcmp(method, "HEAD") != 0)
        serve_error(&cs->r, &res, 405, "Méthode refusée", "Cette page ne répond qu'à GET et POST.");
    else
        serve_dispatch(&cs->r, &res);
    if (cs->r.session_opened && cs->r.login && !res.set_cookie)
        res.set_cookie = serve_session_cookie(s, cs->r.token);
    enum MHD_Result rc = send_response(c, &res);
    if (res.fd >= 0)
        close(res.fd);
    lsu_buf_free(&res.body);
    free(res.location);
    free(res.set_cookie);
    free(res.csp);
    free(res.disposition);
    return rc;
}

/* libmicrohttpd's end of a request: its state freed, its upload removed. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    if (*con_cls)
        conn_free(*con_cls);
    *con_cls = NULL;
}

/* See serve_int.h. */
void serve_redirect(serve_response *res, const char *location)
{
    res->status = 303;
    free(res->location);
    res->location = lsu_strdup_or_null(location);
}

/* Sets *error to a French message (owned) and returns NULL after freeing s. */
static lsu_server *start_failed(lsu_server *s, char **error, char *why)
{
    *error = why ? why : lsu_strdup_or_null("mémoire insuffisante");
    lsu_serve_stop(s);
    return NULL;
}

/* See serve.h. */
int lsu_serve_listen_valid(const char *listen)
{
    char host[64];
    unsigned port;
    int ipv6;
    return serve_parse_listen(listen, host, &port, &ipv6) == 0;
}

/* The heavy jobs' limit (cfg.jobs, else the processors), before any
 * thread: the output mode read once (it sets the umask back and forth),
 * libxml2 initialised, the editions of the server's store brought back
 * (jobs.c).  0 or -1. */
static int start_jobs(lsu_server *s)
{
    (void)lsu_output_mode();
    xmlInitParser();
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned limit = s->cfg.jobs > 0 ? (unsigned)s->cfg.jobs : cores > 0 ? (unsigned)cores : 1;
    s->jobs = serve_jobs_new(limit);
    return s->jobs && serve_jobs_load(s) == 0 ? 0 : -1;
}

/* See serve.h. */
int lsu_serve_listen_loopback(const char *listen)
{
    char host[64];
    unsigned port;
    int ipv6;
    if (serve_parse_listen(listen, host, &port, &ipv6) != 0)
        return 0;
    return ipv6 ? strcmp(host, "::1") == 0 : strncmp(host, "127.", 4) == 0;
}

/* See serve.h. */
int lsu_serve_header_name_valid(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && n <= 64 && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* See serve.h. */
lsu_server *lsu_serve_start(const lsu_serve_config *cfg, unsigned *port, char **error)
{
    *error = NULL;
    lsu_server *s = calloc(1, sizeof *s);
    if (!s)
        return start_failed(NULL, error, NULL);
    s->cfg = *cfg;
    if (serve_mhd_load(error) != 0)
        return start_failed(s, error, *error);
    if (s->cfg.max_upload <= 0)
        s->cfg.max_upload = LSU_SERVE_DEFAULT_MAX_UPLOAD;
    char host[64];
    unsigned want;
    int ipv6;
    const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8080";
    if (serve_parse_listen(listen, host, &want, &ipv6) != 0)
        return start_failed(
            s, error, lsu_asprintf("--listen « %s » : attendu ADRESSE:PORT (127.0.0.1:8080, [::1]:8080)", listen));
    /* a header anyone can send: only a proxy on this machine may reach us */
    if (cfg->trust_header && (!lsu_serve_header_name_valid(cfg->trust_header) || !lsu_serve_listen_loopback(listen)))
        return start_failed(s, error,
                            lsu_asprintf("--trust-header %s : seulement avec un nom d'en-tête valide et une "
                                         "adresse d'écoute locale (--listen 127.0.0.1:PORT ou [::1]:PORT)",
                                         cfg->trust_header));
    s->data_dir = lsu_strdup_or_null(cfg->data_dir);
    s->cfg.data_dir = s->data_dir;
    s->upload_dir = lsu_asprintf("%s/televersements", cfg->data_dir);
    s->reports_dir = lsu_asprintf("%s/rapports-serveur", cfg->data_dir);
    if (!s->data_dir || !s->upload_dir || !s->reports_dir)
        return start_failed(s, error, NULL);
    if (lsu_mkdir_p(s->upload_dir) != 0 || chmod(s->upload_dir, 0700) != 0 || lsu_mkdir_p(s->reports_dir) != 0 ||
        chmod(s->reports_dir, 0700) != 0)
        return start_failed(
            s, error, lsu_asprintf("%s : création du dossier impossible : %s", s->upload_dir, lsu_strerror_fr(errno)));
    if (lsu_accounts_open(&s->accounts, cfg->data_dir, 1) != 0)
        return start_failed(s, error, lsu_strdup_or_null(s->accounts.error));
    if (lsu_runtime_init(&s->rt) != 0)
        return start_failed(s, error, lsu_asprintf("erreur interne : %s", s->rt.error ? s->rt.error : "?"));
    if (serve_pages_init(s, error) != 0)
        return start_failed(s, error, *error);
    if (start_jobs(s) != 0)
        return start_failed(s, error,
                            s->jobs && s->accounts.error
                                ? lsu_asprintf("éditions du serveur illisibles : %s", s->accounts.error)
                                : NULL);
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)want)};
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)want)};
    if (ipv6)
        inet_pton(AF_INET6, host, &a6.sin6_addr);
    else
        inet_pton(AF_INET, host, &a4.sin_addr);
    const struct sockaddr *sa =
        ipv6 ? (const struct sockaddr *)(const void *)&a6 : (const struct sockaddr *)(const void *)&a4;
    /* A thread per connection rather than a pool: a handler blocks (an
     * import runs in it, or waits for its turn among the heavy jobs), and
     * in a pool it would stall every other connection of its thread (a
     * progress page, a login).  Threads are bounded by the connection
     * limit; connections over it wait in the listen queue, never refused.
     * The per-address limit is as high: behind the académie's proxy every
     * connection comes from 127.0.0.1. */
    s->daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | (ipv6 ? MHD_USE_IPv6 : 0), 0,
        NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (!s->daemon)
        return start_failed(s, error, lsu_asprintf("écoute sur %s impossible : %s", listen, lsu_strerror_fr(errno)));
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : want;
    return s;
}

/* See serve.h. */
void lsu_serve_stop(lsu_server *s)
{
    if (!s)
        return;
    serve_jobs_stop(s->jobs); /* editions stop, imports no longer queue */
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    serve_jobs_free(s->jobs);
    serve_pages_free(s);
    lsu_runtime_free(&s->rt);
    lsu_accounts_close(&s->accounts);
    free(s->upload_dir);
    free(s->reports_dir);
    free(s->data_dir);
    free(s);
}
