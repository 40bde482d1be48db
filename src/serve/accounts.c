/* The server's accounts store, DATA/serveur.sqlite: users, their grants
 * per school, sessions, failed logins and the audit log (accounts.h). */
#include "serve/accounts.h"
#include "base/util.h"
#include "import/nomenclature.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The schema, one script per version (append only). */
static const char *const migrations[] = {
    "CREATE TABLE users(\n"
    "  login TEXT PRIMARY KEY,\n"
    "  hash TEXT NOT NULL,            -- crypto_pwhash_str (Argon2id)\n"
    "  created_at INTEGER NOT NULL);\n"
    "CREATE TABLE grants(\n"
    "  login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE,\n"
    "  uai TEXT NOT NULL,\n"
    "  role TEXT NOT NULL CHECK(role IN ('directeur', 'enseignant')),\n"
    "  classes TEXT NOT NULL DEFAULT '', -- a teacher's class labels, one a line\n"
    "  PRIMARY KEY(login, uai));\n"
    "CREATE TABLE sessions(\n"
    "  token_hash TEXT PRIMARY KEY,   -- hex BLAKE2b of the cookie's token\n"
    "  login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE,\n"
    "  csrf TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);\n"
    "CREATE TABLE login_failures(\n"
    "  key TEXT NOT NULL,             -- login:NAME or addr:ADDRESS\n"
    "  at INTEGER NOT NULL);\n"
    "CREATE INDEX login_failures_key ON login_failures(key, at);\n"
    "CREATE TABLE audit(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at INTEGER NOT NULL, login TEXT, uai TEXT, what TEXT NOT NULL);\n",
    /* 2: lsu serve's background editions, kept across a restart */
    "CREATE TABLE editions(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, -- its number: never given twice\n"
    "  uai TEXT NOT NULL,\n"
    "  login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE, -- its owner\n"
    "  classe TEXT, niveau TEXT,      -- the selection (NULL: all)\n"
    "  zip_by INTEGER NOT NULL,       -- lsu_edit_by\n"
    "  test_print INTEGER NOT NULL,   -- 1: impression d'essai\n"
    "  what TEXT NOT NULL,            -- « l'école », « la classe CP A »\n"
    "  state INTEGER NOT NULL,        -- SERVE_EDITION_* (serve_int.h)\n"
    "  done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,\n"
    "  message TEXT,                  -- its outcome, in French\n"
    "  dir TEXT NOT NULL DEFAULT '',  -- its folder under DATA/televersements\n"
    "  created_at INTEGER NOT NULL, finished_at INTEGER);\n",
    /* 3: the entry screens' drafts (drafts.c) */
    "CREATE TABLE drafts(\n"
    "  login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE, screen TEXT NOT NULL, -- path and query\n"
    "  state TEXT NOT NULL, fields TEXT NOT NULL, -- the page's state token, the fields urlencoded\n"
    "  at INTEGER NOT NULL, PRIMARY KEY(login, screen));\n",
};
_Static_assert(sizeof migrations / sizeof *migrations == LSU_ACCOUNTS_SCHEMA_VERSION,
               "LSU_ACCOUNTS_SCHEMA_VERSION is the number of migrations");

/* Replaces a->error by "what : SQLite's reason"; returns -1. */
static int fail(lsu_accounts *a, const char *what)
{
    free(a->error);
    a->error = a->db ? lsu_asprintf("%s : %s", what, sqlite3_errmsg(a->db)) : lsu_strdup_or_null(what);
    return -1;
}

/* Runs SQL without results; 0 or -1. */
static int exec_sql(lsu_accounts *a, const char *sql)
{
    return sqlite3_exec(a->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(a, "requête refusée");
}

/* A prepared statement, NULL with the error set. */
static sqlite3_stmt *prepare(lsu_accounts *a, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(a->db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail(a, "requête invalide");
        return NULL;
    }
    return s;
}

/* Applies the migrations the file lacks in one transaction; 0 or -1. */
static int migrate(lsu_accounts *a)
{
    if (exec_sql(a, "BEGIN IMMEDIATE") != 0)
        return -1;
    sqlite3_stmt *s = prepare(a, "PRAGMA user_version");
    int version = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    int n = (int)(sizeof migrations / sizeof *migrations), rc = 0;
    if (version < 0 || version > n) {
        free(a->error);
        a->error = lsu_asprintf("%s : schéma %d inconnu de cette version de lsu", a->path, version);
        rc = -1;
    }
    for (int i = version; rc == 0 && i < n; i++)
        rc = exec_sql(a, migrations[i]);
    if (rc == 0 && version < n) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", n);
        rc = exec_sql(a, sql);
    }
    if (rc == 0)
        rc = exec_sql(a, "COMMIT");
    if (rc != 0)
        sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* See accounts.h. */
int lsu_accounts_open(lsu_accounts *a, const char *data_dir, int create)
{
    memset(a, 0, sizeof *a);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    a->lock_made = pthread_mutex_init(&a->lock, &attr) == 0;
    pthread_mutexattr_destroy(&attr);
    a->path = lsu_asprintf("%s/serveur.sqlite", data_dir);
    if (!a->path || sodium_init() < 0)
        return fail(a, "mémoire insuffisante ou libsodium indisponible");
    struct stat sb;
    if (stat(a->path, &sb) != 0) {
        if (!create) {
            free(a->error);
            a->error = lsu_asprintf("aucun compte : %s n'existe pas (lsu users add)", a->path);
            return 1;
        }
        if (lsu_mkdir_p(data_dir) != 0) {
            free(a->error);
            a->error = lsu_asprintf("création du dossier %s impossible : %s", data_dir, lsu_strerror_fr(errno));
            return -1;
        }
        int fd = open(a->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    } else if (sb.st_mode & 077) {
        (void)chmod(a->path, sb.st_mode & 0700);
    }
    if (sqlite3_open_v2(a->path, &a->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return fail(a, a->path);
    sqlite3_busy_timeout(a->db, 10000);
    if (exec_sql(a, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON") != 0)
        return -1;
    return migrate(a);
}

/* See accounts.h. */
void lsu_accounts_close(lsu_accounts *a)
{
    if (a->db)
        sqlite3_close_v2(a->db);
    free(a->path);
    free(a->error);
    if (a->lock_made)
        pthread_mutex_destroy(&a->lock);
    memset(a, 0, sizeof *a);
}

/* 1 when a login is 1 to 64 of [a-z0-9._-], beginning with a letter or
 * digit. */
static int login_valid(const char *l)
{
    size_t n = strlen(l);
    if (n == 0 || n > 64 || l[0] == '.' || l[0] == '-' || l[0] == '_')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((l[i] >= 'a' && l[i] <= 'z') || (l[i] >= '0' && l[i] <= '9') || strchr("._-", l[i])))
            return 0;
    return 1;
}

/* A refusal of lsu_accounts_add: 2 with the reason. */
static int refuse(lsu_accounts *a, char *why)
{
    free(a->error);
    a->error = why;
    return 2;
}

/* lsu_accounts_add under the lock (accounts.h). */
static int accounts_add(lsu_accounts *a, const char *login, const char *password, const char *role, const char *uai,
                        const char *const *classes, size_t n)
{
    if (!login_valid(login))
        return refuse(a, lsu_asprintf("identifiant « %s » invalide : de 1 à 64 lettres minuscules, chiffres, points, "
                                      "tirets",
                                      login));
    int teacher = strcmp(role, "enseignant") == 0;
    if (!teacher && strcmp(role, "directeur") != 0)
        return refuse(a, lsu_asprintf("rôle « %s » inconnu : directeur ou enseignant", role));
    if (!lsu_uai_valid(uai))
        return refuse(a, lsu_asprintf("UAI « %s » invalide : sept chiffres et une lettre", uai));
    if (teacher && n == 0)
        return refuse(a, lsu_asprintf("%s", "un enseignant a au moins une classe : --class CLASSE"));
    lsu_buf cls = {0};
    for (size_t i = 0; teacher && i < n; i++) {
        if (!classes[i][0] || strchr(classes[i], '\n')) {
            lsu_buf_free(&cls);
            return refuse(a, lsu_asprintf("%s", "classe vide ou sur plusieurs lignes"));
        }
        lsu_buf_printf(&cls, "%s%s", i ? "\n" : "", classes[i]);
    }
    if (exec_sql(a, "BEGIN IMMEDIATE") != 0) {
        lsu_buf_free(&cls);
        return -1;
    }
    int rc = 0, made = 0;
    sqlite3_stmt *s = prepare(a, "SELECT 1 FROM users WHERE login = ?");
    if (!s)
        rc = -1;
    else {
        sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
        made = sqlite3_step(s) != SQLITE_ROW;
    }
    sqlite3_finalize(s);
    if (rc == 0 && made) {
        char hash[crypto_pwhash_STRBYTES];
        if (!password || strlen(password) < LSU_PASSWORD_MIN) {
            rc = refuse(a, lsu_asprintf("mot de passe trop court : %d caractères au moins", LSU_PASSWORD_MIN));
        } else if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
            rc = refuse(a, lsu_asprintf("%s", "mémoire insuffisante pour le hachage du mot de passe"));
        } else if ((s = prepare(a, "INSERT INTO users(login, hash, created_at) VALUES (?, ?, ?)"))) {
            sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
            rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "ajout impossible");
            sqlite3_finalize(s);
        } else {
            rc = -1;
        }
    }
    if (rc == 0 && (s = prepare(a, "INSERT OR REPLACE INTO grants(login, uai, role, classes) VALUES (?, ?, ?, ?)"))) {
        sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, uai, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, role, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, cls.data ? cls.data : "", -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "ajout impossible");
        sqlite3_finalize(s);
    } else if (rc == 0) {
        rc = -1;
    }
    lsu_buf_free(&cls);
    if (rc == 0 && exec_sql(a, "COMMIT") == 0)
        return made ? 0 : 1;
    sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    return rc == 0 ? -1 : rc;
}

/* lsu_accounts_remove under the lock (accounts.h). */
static int accounts_remove(lsu_accounts *a, const char *login)
{
    sqlite3_stmt *s = prepare(a, "DELETE FROM users WHERE login = ?");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s) == SQLITE_DONE ? (sqlite3_changes(a->db) ? 0 : 1) : fail(a, "suppression");
    sqlite3_finalize(s);
    return rc;
}

/* See accounts.h. */
void lsu_user_clear(lsu_user *u)
{
    for (size_t i = 0; i < u->ngrants; i++) {
        free(u->grants[i].uai);
        free(u->grants[i].role);
        free(u->grants[i].classes);
    }
    free(u->grants);
    free(u->login);
    memset(u, 0, sizeof *u);
}

/* See accounts.h. */
void lsu_accounts_users_free(lsu_user *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lsu_user_clear(&u[i]);
    free(u);
}

/* Appends the grant of row s (uai, role, classes at columns 1..3) to u;
 * 0 or -1 when memory ran out. */
static int add_grant(lsu_user *u, sqlite3_stmt *s)
{
    lsu_grant *g = realloc(u->grants, (u->ngrants + 1) * sizeof *g);
    if (!g)
        return -1;
    u->grants = g;
    g += u->ngrants++;
    g->uai = lsu_strdup_or_null((const char *)sqlite3_column_text(s, 1));
    g->role = lsu_strdup_or_null((const char *)sqlite3_column_text(s, 2));
    g->classes = lsu_strdup_or_null((const char *)sqlite3_column_text(s, 3));
    return g->uai && g->role && g->classes ? 0 : -1;
}

/* lsu_accounts_users under the lock (accounts.h). */
static int accounts_users(lsu_accounts *a, lsu_user **out, size_t *n)
{
    *out = NULL, *n = 0;
    sqlite3_stmt *s = prepare(a, "SELECT u.login, g.uai, g.role, g.classes FROM users u JOIN grants g USING (login) "
                                 "ORDER BY u.login, g.uai");
    if (!s)
        return -1;
    int rc = 0;
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        const char *login = (const char *)sqlite3_column_text(s, 0);
        if (*n == 0 || strcmp((*out)[*n - 1].login, login) != 0) {
            lsu_user *u = realloc(*out, (*n + 1) * sizeof *u);
            if (!u) {
                rc = -1;
                break;
            }
            *out = u;
            memset(&u[*n], 0, sizeof *u);
            if (!(u[(*n)++].login = lsu_strdup_or_null(login)))
                rc = -1;
        }
        if (rc == 0)
            rc = add_grant(&(*out)[*n - 1], s);
    }
    sqlite3_finalize(s);
    return rc == 0 ? 0 : fail(a, "mémoire insuffisante");
}

/* lsu_accounts_user under the lock (accounts.h). */
static int accounts_user(lsu_accounts *a, const char *login, lsu_user *u)
{
    memset(u, 0, sizeof *u);
    sqlite3_stmt *s = prepare(a, "SELECT login, uai, role, classes FROM grants WHERE login = ? ORDER BY uai");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW)
        rc = add_grant(u, s);
    sqlite3_finalize(s);
    if (rc == 0 && u->ngrants && !(u->login = lsu_strdup_or_null(login)))
        rc = -1;
    if (rc != 0) {
        lsu_user_clear(u);
        return fail(a, "mémoire insuffisante");
    }
    return u->ngrants > 0;
}

/* See accounts.h. */
const lsu_grant *lsu_user_grant(const lsu_user *u, const char *uai)
{
    for (size_t i = 0; uai && i < u->ngrants; i++)
        if (strcmp(u->grants[i].uai, uai) == 0)
            return &u->grants[i];
    return NULL;
}

/* See accounts.h. */
int lsu_grant_has_class(const lsu_grant *g, const char *classe)
{
    if (strcmp(g->role, "directeur") == 0)
        return 1;
    size_t n = strlen(classe);
    for (const char *p = g->classes; n && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, classe, n) == 0)
            return 1;
        p += len + (e != NULL);
    }
    return 0;
}

/* See accounts.h. */
int lsu_token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

/* The hex BLAKE2b-256 of a token, as stored. */
static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* 64 random hex digits. */
static void random_hex(char out[65])
{
    unsigned char r[32];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(out, 65, r, sizeof r);
}

/* Failures of `key` since `since`, or -1. */
static long long failures(lsu_accounts *a, const char *key, time_t since)
{
    sqlite3_stmt *s = prepare(a, "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)since);
    long long n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

/* Records a failure of `key` at `now`; 0 or -1. */
static int record_failure(lsu_accounts *a, const char *key, time_t now)
{
    sqlite3_stmt *s = prepare(a, "INSERT INTO login_failures(key, at) VALUES (?, ?)");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "journal des connexions");
    sqlite3_finalize(s);
    return rc;
}

/* lsu_accounts_open_session under the lock (accounts.h). */
static int accounts_open_session(lsu_accounts *a, const char *login, time_t now, lsu_session_keys *keys)
{
    char th[65];
    random_hex(keys->token);
    random_hex(keys->csrf);
    token_hash(keys->token, th);
    sqlite3_stmt *s =
        prepare(a, "INSERT INTO sessions(token_hash, login, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, th, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, login, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, keys->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)now);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)now + LSU_SESSION_SECONDS);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "ouverture de session");
    sqlite3_finalize(s);
    s = prepare(a, "DELETE FROM sessions WHERE expires_at <= ?"); /* the expired ones, now and then */
    if (rc == 0 && s) {
        sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
        (void)sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc;
}

/* lsu_accounts_login under the lock (accounts.h). */
static int accounts_login(lsu_accounts *a, const char *login, const char *password, const char *addr, time_t now,
                          lsu_session_keys *keys)
{
    char *klogin = lsu_asprintf("login:%.64s", login), *kaddr = lsu_asprintf("addr:%.64s", addr ? addr : "?");
    int rc = klogin && kaddr ? 0 : fail(a, "mémoire insuffisante");
    long long fl = rc ? -1 : failures(a, klogin, now - LSU_LOGIN_WINDOW);
    long long fa = rc ? -1 : failures(a, kaddr, now - LSU_LOGIN_WINDOW);
    if (fl < 0 || fa < 0)
        rc = -1;
    else if (fl >= LSU_LOGIN_MAX_FAILURES || fa >= LSU_LOGIN_MAX_FAILURES)
        rc = 2;
    sqlite3_stmt *s = rc ? NULL : prepare(a, "SELECT hash FROM users WHERE login = ?");
    if (rc == 0 && !s)
        rc = -1;
    if (s) {
        sqlite3_bind_text(s, 1, login, -1, SQLITE_STATIC);
        const char *hash = sqlite3_step(s) == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
        if (!hash || crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
            rc = 1;
        sqlite3_finalize(s);
    }
    if (rc == 1 && (record_failure(a, klogin, now) != 0 || record_failure(a, kaddr, now) != 0))
        rc = -1;
    if (rc == 0)
        rc = accounts_open_session(a, login, now, keys);
    if (rc == 0) {
        s = prepare(a, "DELETE FROM login_failures WHERE key = ? OR at < ?");
        if (rc == 0 && s) {
            sqlite3_bind_text(s, 1, klogin, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 2, (sqlite3_int64)(now - LSU_LOGIN_WINDOW));
            (void)sqlite3_step(s);
        }
        sqlite3_finalize(s);
    }
    free(klogin);
    free(kaddr);
    return rc;
}

/* lsu_accounts_session under the lock (accounts.h). */
static int accounts_session(lsu_accounts *a, const char *token, time_t now, char **login, char csrf[65])
{
    *login = NULL;
    csrf[0] = 0;
    if (strlen(token) != 64)
        return 0;
    char th[65];
    token_hash(token, th);
    sqlite3_stmt *s = prepare(a, "SELECT login, csrf FROM sessions WHERE token_hash = ? AND expires_at > ?");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, th, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *login = lsu_strdup_or_null((const char *)sqlite3_column_text(s, 0));
        snprintf(csrf, 65, "%s", (const char *)sqlite3_column_text(s, 1));
        rc = *login ? 1 : fail(a, "mémoire insuffisante");
    }
    sqlite3_finalize(s);
    return rc;
}

/* lsu_accounts_logout under the lock (accounts.h). */
static int accounts_logout(lsu_accounts *a, const char *token)
{
    char th[65];
    token_hash(token, th);
    sqlite3_stmt *s = prepare(a, "DELETE FROM sessions WHERE token_hash = ?");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, th, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "fin de session");
    sqlite3_finalize(s);
    return rc;
}

/* lsu_accounts_audit under the lock (accounts.h). */
static int accounts_audit(lsu_accounts *a, const char *login, const char *uai, const char *what, time_t now)
{
    sqlite3_stmt *s = prepare(a, "INSERT INTO audit(at, login, uai, what) VALUES (?, ?, ?, ?)");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
    sqlite3_bind_text(s, 2, login, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, uai, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, what, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "journal");
    sqlite3_finalize(s);
    return rc;
}

/* lsu_accounts_edition_add under the lock (accounts.h). */
static int accounts_edition_add(lsu_accounts *a, lsu_edition_row *e)
{
    sqlite3_stmt *s = prepare(a, "INSERT INTO editions(uai, login, classe, niveau, zip_by, test_print, what, state, "
                                 "done, total, message, dir, created_at, finished_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, e->uai, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->login, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, e->classe, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, e->niveau, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, e->by);
    sqlite3_bind_int(s, 6, e->test_print);
    sqlite3_bind_text(s, 7, e->what, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 8, e->state);
    sqlite3_bind_int64(s, 9, e->done);
    sqlite3_bind_int64(s, 10, e->total);
    sqlite3_bind_text(s, 11, e->message, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, e->dir ? e->dir : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 13, (sqlite3_int64)e->created);
    if (e->finished)
        sqlite3_bind_int64(s, 14, (sqlite3_int64)e->finished);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "enregistrement de l'édition");
    sqlite3_finalize(s);
    if (rc == 0)
        e->id = (long long)sqlite3_last_insert_rowid(a->db);
    return rc;
}

/* lsu_accounts_edition_save under the lock (accounts.h). */
static int accounts_edition_save(lsu_accounts *a, const lsu_edition_row *e)
{
    sqlite3_stmt *s = prepare(a, "UPDATE editions SET state = ?, done = ?, total = ?, message = ?, dir = ?, "
                                 "finished_at = ? WHERE id = ?");
    if (!s)
        return -1;
    sqlite3_bind_int(s, 1, e->state);
    sqlite3_bind_int64(s, 2, e->done);
    sqlite3_bind_int64(s, 3, e->total);
    sqlite3_bind_text(s, 4, e->message, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, e->dir ? e->dir : "", -1, SQLITE_STATIC);
    if (e->finished)
        sqlite3_bind_int64(s, 6, (sqlite3_int64)e->finished);
    sqlite3_bind_int64(s, 7, e->id);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "enregistrement de l'édition");
    sqlite3_finalize(s);
    return rc;
}

/* lsu_accounts_edition_remove under the lock (accounts.h). */
static int accounts_edition_remove(lsu_accounts *a, long long id)
{
    sqlite3_stmt *s = prepare(a, "DELETE FROM editions WHERE id = ?");
    if (!s)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : fail(a, "suppression de l'édition");
    sqlite3_finalize(s);
    return rc;
}

/* A copy of column i of s, NULL when it is NULL; *bad set when memory ran
 * out. */
static char *column_copy(sqlite3_stmt *s, int i, int *bad)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    char *c = t ? lsu_strdup_or_null(t) : NULL;
    if (t && !c)
        *bad = 1;
    return c;
}

/* lsu_accounts_editions under the lock (accounts.h). */
static int accounts_editions(lsu_accounts *a, lsu_edition_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = prepare(a, "SELECT id, uai, login, classe, niveau, zip_by, test_print, what, state, done, "
                                 "total, message, dir, created_at, coalesce(finished_at, 0) FROM editions "
                                 "ORDER BY id DESC");
    if (!s)
        return -1;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        lsu_edition_row *grown = realloc(*out, (*n + 1) * sizeof *grown);
        if (!grown) {
            rc = fail(a, "mémoire insuffisante");
            break;
        }
        *out = grown;
        lsu_edition_row *e = &grown[(*n)++];
        int bad = 0;
        *e = (lsu_edition_row){.id = sqlite3_column_int64(s, 0),
                               .uai = column_copy(s, 1, &bad),
                               .login = column_copy(s, 2, &bad),
                               .classe = column_copy(s, 3, &bad),
                               .niveau = column_copy(s, 4, &bad),
                               .by = sqlite3_column_int(s, 5),
                               .test_print = sqlite3_column_int(s, 6),
                               .what = column_copy(s, 7, &bad),
                               .state = sqlite3_column_int(s, 8),
                               .done = sqlite3_column_int64(s, 9),
                               .total = sqlite3_column_int64(s, 10),
                               .message = column_copy(s, 11, &bad),
                               .dir = column_copy(s, 12, &bad),
                               .created = (time_t)sqlite3_column_int64(s, 13),
                               .finished = (time_t)sqlite3_column_int64(s, 14)};
        if (bad || !e->uai || !e->login || !e->what || !e->dir)
            rc = fail(a, "mémoire insuffisante");
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = fail(a, "lecture des éditions");
    sqlite3_finalize(s);
    if (rc != 0) {
        lsu_accounts_editions_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* See accounts.h. */
void lsu_accounts_editions_free(lsu_edition_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].uai), free(r[i].login), free(r[i].classe), free(r[i].niveau);
        free(r[i].what), free(r[i].message), free(r[i].dir);
    }
    free(r);
}

/* ---- the lock: lsu serve's requests run in threads of their own and
 * share one connection (opened SQLITE_OPEN_NOMUTEX), so every function
 * that reads or writes it holds a->lock (recursive); a login's Argon2id
 * check (64 MiB) runs under it too: one at a time, memory bounded. ---- */

/* Takes a's lock (when made). */
static void lock(lsu_accounts *a)
{
    if (a->lock_made)
        pthread_mutex_lock(&a->lock);
}

/* Gives it back; returns rc. */
static int unlock(lsu_accounts *a, int rc)
{
    if (a->lock_made)
        pthread_mutex_unlock(&a->lock);
    return rc;
}

/* See accounts.h. */
int lsu_accounts_add(lsu_accounts *a, const char *login, const char *password, const char *role, const char *uai,
                     const char *const *classes, size_t n)
{
    lock(a);
    return unlock(a, accounts_add(a, login, password, role, uai, classes, n));
}

/* See accounts.h. */
int lsu_accounts_remove(lsu_accounts *a, const char *login)
{
    lock(a);
    return unlock(a, accounts_remove(a, login));
}

/* See accounts.h. */
int lsu_accounts_users(lsu_accounts *a, lsu_user **out, size_t *n)
{
    lock(a);
    return unlock(a, accounts_users(a, out, n));
}

/* See accounts.h. */
int lsu_accounts_user(lsu_accounts *a, const char *login, lsu_user *u)
{
    lock(a);
    return unlock(a, accounts_user(a, login, u));
}

/* See accounts.h. */
int lsu_accounts_login(lsu_accounts *a, const char *login, const char *password, const char *addr, time_t now,
                       lsu_session_keys *keys)
{
    lock(a);
    return unlock(a, accounts_login(a, login, password, addr, now, keys));
}

/* See accounts.h. */
int lsu_accounts_open_session(lsu_accounts *a, const char *login, time_t now, lsu_session_keys *keys)
{
    lock(a);
    return unlock(a, accounts_open_session(a, login, now, keys));
}

/* See accounts.h. */
int lsu_accounts_session(lsu_accounts *a, const char *token, time_t now, char **login, char csrf[65])
{
    lock(a);
    return unlock(a, accounts_session(a, token, now, login, csrf));
}

/* See accounts.h. */
int lsu_accounts_logout(lsu_accounts *a, const char *token)
{
    lock(a);
    return unlock(a, accounts_logout(a, token));
}

/* See accounts.h. */
int lsu_accounts_audit(lsu_accounts *a, const char *login, const char *uai, const char *what, time_t now)
{
    lock(a);
    return unlock(a, accounts_audit(a, login, uai, what, now));
}

/* See accounts.h. */
int lsu_accounts_edition_add(lsu_accounts *a, lsu_edition_row *e)
{
    lock(a);
    return unlock(a, accounts_edition_add(a, e));
}

/* See accounts.h. */
int lsu_accounts_edition_save(lsu_accounts *a, const lsu_edition_row *e)
{
    lock(a);
    return unlock(a, accounts_edition_save(a, e));
}

/* See accounts.h. */
int lsu_accounts_edition_save_try(lsu_accounts *a, const lsu_edition_row *e)
{
    if (a->lock_made && pthread_mutex_trylock(&a->lock) != 0)
        return 1;
    return unlock(a, accounts_edition_save(a, e));
}

/* See accounts.h. */
int lsu_accounts_edition_remove(lsu_accounts *a, long long id)
{
    lock(a);
    return unlock(a, accounts_edition_remove(a, id));
}

/* See accounts.h. */
int lsu_accounts_editions(lsu_accounts *a, lsu_edition_row **out, size_t *n)
{
    lock(a);
    return unlock(a, accounts_editions(a, out, n));
}
