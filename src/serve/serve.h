/* lsu serve: the LSU application in a browser, for directors and
 * teachers.  A libmicrohttpd daemon bound to loopback by default, its
 * pages built as XML and turned into HTML by libxslt, its accounts in
 * DATA/serveur.sqlite, and behind every screen the same functions as the
 * commands (src/job/, src/school/).
 *
 * The server never prints: lsu_serve_start returns the reason of a
 * failure in French, and src/cli/cmd_serve.c prints it. */
#ifndef LSU_SERVE_H
#define LSU_SERVE_H

#include <stddef.h>

/* The default upload cap: the import's own file cap (64M). */
#define LSU_SERVE_DEFAULT_MAX_UPLOAD (64LL * 1024 * 1024)

typedef struct {
    const char *data_dir; /* the schools' stores and serveur.sqlite (borrowed) */
    const char *listen;   /* "127.0.0.1:8080", "[::1]:8080"; NULL: 127.0.0.1:8080 */
    long long max_upload; /* bytes of an uploaded export; 0: the default */
    int secure_cookies;   /* the session cookie carries Secure (behind a TLS proxy) */
    /* a request from loopback carrying X-Forwarded-For comes from the
     * address it names (the login rate limit per address, the audit):
     * behind the académie's reverse proxy on the same machine */
    int trust_proxy;
    /* the login is the value of this request header, set by the académie's
     * reverse proxy after its single sign-on (no password asked; the
     * account must exist); NULL: off.  Only with a loopback --listen. */
    const char *trust_header;
    /* heavy jobs (an import, an edition) run at once: the others wait
     * their turn, in order; 0: the number of processors */
    int jobs;
} lsu_serve_config;

typedef struct lsu_server lsu_server;

/* 1 when `listen` is an address lsu_serve_start takes: a numeric IPv4
 * address and a port (127.0.0.1:8080), [IPv6]:port, or a port alone. */
int lsu_serve_listen_valid(const char *listen);

/* 1 when `listen` (as lsu_serve_listen_valid takes it) is a loopback
 * address: 127.0.0.0/8, ::1, or a port alone (127.0.0.1). */
int lsu_serve_listen_loopback(const char *listen);

/* 1 when `name` may name the trusted header: 1 to 64 letters, digits
 * and dashes. */
int lsu_serve_header_name_valid(const char *name);

/* Opens the accounts store and the runtime, binds and starts the daemon
 * (a thread per connection, at most cfg->jobs heavy jobs at once, the
 * editions in background threads).
 * *port: the port bound (the chosen one for port 0).  Returns the server,
 * or NULL with *error (owned by the caller) saying why in French. */
lsu_server *lsu_serve_start(const lsu_serve_config *cfg, unsigned *port, char **error);

/* Stops the daemon (requests under way end first; editions under way
 * are interrupted, their unfinished files removed, and recorded so: the
 * next start offers to start them again) and frees everything. */
void lsu_serve_stop(lsu_server *s);

#endif
