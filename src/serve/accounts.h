/* The server's accounts: DATA/serveur.sqlite (mode 0600), apart from the
 * schools' stores.  Users (a login, an Argon2id hash of the password,
 * libsodium's crypto_pwhash_str) and what each may reach: a role per
 * school (directeur: every class of the UAI; enseignant: the classes the
 * director attached him to); sessions (a random token, stored hashed,
 * with an expiry and the session's CSRF token); failed logins, for the
 * rate limit; the audit log of who did what; and lsu serve's background
 * editions, so that a restart of the server keeps them.
 *
 * The schema has its own migrations (PRAGMA user_version), as the school's
 * store (src/school/store.c).  These functions never print: -1 means
 * a->error says why, in French. */
#ifndef LSU_ACCOUNTS_H
#define LSU_ACCOUNTS_H

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#define LSU_ACCOUNTS_SCHEMA_VERSION 3
#define LSU_SESSION_SECONDS (8L * 3600) /* a working day */
#define LSU_LOGIN_MAX_FAILURES 5        /* per login and per address ... */
#define LSU_LOGIN_WINDOW 900            /* ... within 15 minutes */
#define LSU_PASSWORD_MIN 8              /* bytes */

typedef struct {
    sqlite3 *db;
    char *path;  /* owned */
    char *error; /* owned */
    /* held by every function that uses db: lsu serve's threads share it */
    pthread_mutex_t lock;
    int lock_made;
} lsu_accounts;

/* Opens DATA/serveur.sqlite (creating it, mode 0600, when `create`) and
 * brings its schema up to date.  0, 1 when absent and not created, -1. */
int lsu_accounts_open(lsu_accounts *a, const char *data_dir, int create);
void lsu_accounts_close(lsu_accounts *a);

/* One school a user may reach (texts owned). */
typedef struct {
    char *uai;
    char *role;    /* "directeur" or "enseignant" */
    char *classes; /* the teacher's class labels, one a line ("" for a directeur) */
} lsu_grant;

typedef struct {
    char *login; /* owned */
    lsu_grant *grants;
    size_t ngrants;
} lsu_user;

/* Adds a grant (uai, role, classes[0..n)) to `login`, making the user with
 * `password` when he is new (the password is then checked: at least
 * LSU_PASSWORD_MIN bytes).  A grant for a UAI the user has already is
 * replaced.  0 user made, 1 grant added to an existing user, 2 refused
 * (why in a->error: a bad login, role, UAI or password), -1. */
int lsu_accounts_add(lsu_accounts *a, const char *login, const char *password, const char *role, const char *uai,
                     const char *const *classes, size_t n);

/* Removes a user (with his sessions); 0, 1 when unknown, -1. */
int lsu_accounts_remove(lsu_accounts *a, const char *login);

/* Every user with his grants, by login, into *out of *n
 * (lsu_accounts_users_free).  0 or -1. */
int lsu_accounts_users(lsu_accounts *a, lsu_user **out, size_t *n);
void lsu_accounts_users_free(lsu_user *u, size_t n);
void lsu_user_clear(lsu_user *u);

/* Reads one user's grants into *u (zeroed first).  1 found, 0 unknown, -1. */
int lsu_accounts_user(lsu_accounts *a, const char *login, lsu_user *u);

/* The grant of u for `uai`, or NULL. */
const lsu_grant *lsu_user_grant(const lsu_user *u, const char *uai);
/* 1 when grant g reaches class `classe` (a directeur reaches every class). */
int lsu_grant_has_class(const lsu_grant *g, const char *classe);

/* A session opened: the token for the cookie and the CSRF token of its
 * forms (both 64 hex digits). */
typedef struct {
    char token[65], csrf[65];
} lsu_session_keys;

/* Logs in from address `addr` at time `now`: checks the rate limit (more
 * than LSU_LOGIN_MAX_FAILURES failures for the login or the address
 * within LSU_LOGIN_WINDOW: refused without looking at the password), the
 * password, then opens a session.  0 opened, 1 wrong login or password
 * (a failure recorded), 2 rate-limited, -1. */
int lsu_accounts_login(lsu_accounts *a, const char *login, const char *password, const char *addr, time_t now,
                       lsu_session_keys *keys);

/* Opens a session for `login` at time `now` without a password (after
 * lsu_accounts_login's checks, or for the identity the académie's reverse
 * proxy vouches for, lsu serve --trust-header): its keys into *keys.
 * 0 or -1. */
int lsu_accounts_open_session(lsu_accounts *a, const char *login, time_t now, lsu_session_keys *keys);

/* The session of cookie token `token` at time `now`: its login and CSRF
 * token (owned).  1 found and not expired, 0 none, -1. */
int lsu_accounts_session(lsu_accounts *a, const char *token, time_t now, char **login, char csrf[65]);

/* Ends the session of `token` (nothing when unknown); 0 or -1. */
int lsu_accounts_logout(lsu_accounts *a, const char *token);

/* Records who did what, where ("import de export.xml", "verrouillage CP
 * A"); uai may be NULL.  0 or -1. */
int lsu_accounts_audit(lsu_accounts *a, const char *login, const char *uai, const char *what, time_t now);

/* An edition of lsu serve as the store keeps it (texts owned once read;
 * borrowed when written).  Its zips are in DATA/televersements/DIR/fini/. */
typedef struct {
    long long id; /* its number */
    char *uai, *login;
    char *classe, *niveau;    /* the selection (NULL: all) */
    int by, test_print;       /* lsu_edit_by; the « impression d'essai » */
    char *what;               /* « l'école », « la classe CP A » */
    int state;                /* SERVE_EDITION_* (serve_int.h) */
    long long done, total;    /* its progress, in bilans */
    char *message;            /* its outcome (NULL: none yet) */
    char *dir;                /* its folder's name under DATA/televersements ("" before it is made) */
    time_t created, finished; /* finished: 0 while under way */
} lsu_edition_row;

/* Records a new edition (every field but id) and sets e->id, a number
 * never given before, even to an edition since removed.  0 or -1. */
int lsu_accounts_edition_add(lsu_accounts *a, lsu_edition_row *e);
/* Writes what changes of edition e->id: its state, progress, message,
 * folder and end.  0 or -1. */
int lsu_accounts_edition_save(lsu_accounts *a, const lsu_edition_row *e);
/* The same when nothing else holds the store (a progress line, not worth
 * waiting behind a login's Argon2id check): 0, 1 when busy (not written),
 * -1. */
int lsu_accounts_edition_save_try(lsu_accounts *a, const lsu_edition_row *e);
/* Forgets edition `id` (nothing when unknown); 0 or -1. */
int lsu_accounts_edition_remove(lsu_accounts *a, long long id);
/* Every edition recorded, newest first, into *out of *n
 * (lsu_accounts_editions_free).  0 or -1. */
int lsu_accounts_editions(lsu_accounts *a, lsu_edition_row **out, size_t *n);
void lsu_accounts_editions_free(lsu_edition_row *r, size_t n);

/* Constant-time comparison of two NUL-terminated tokens; 1 when equal. */
int lsu_token_equal(const char *a, const char *b);

#endif
