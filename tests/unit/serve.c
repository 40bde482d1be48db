/* Unit tests of lsu serve's library side: the request parsers (form.c)
 * and a multipart body's parts (upload.c), the accounts store (accounts.c): passwords, sessions and their
 * expiry, CSRF tokens, the rate limit, grants per school and class, the
 * background editions it keeps across a restart, the entry screens'
 * drafts (drafts.c). */
#include "serve/serve_int.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The parsers on chosen inputs. */
static void parsers(void)
{
    serve_form f;
    expect(serve_form_parse(&f, "a=1&b=%C3%A9+x&a=2&&c", 21) == 0 && f.n == 4, "form: four fields", NULL);
    expect_str(serve_form_get(&f, "a"), "1", "form: the first a");
    expect_str(serve_form_get(&f, "b"), "é x", "form: %XX and +");
    expect_str(serve_form_get(&f, "c"), "", "form: a name without =");
    serve_form_clear(&f);
    expect(serve_form_parse(&f, "a=%zz", 5) != 0 && f.n == 0, "form: a bad %XX is refused", NULL);
    expect(serve_form_parse(&f, "a=%00", 5) != 0, "form: a NUL is refused", NULL);
    expect(serve_form_parse(&f, "a=%C3", 5) != 0, "form: cut UTF-8 is refused", NULL);
    expect(serve_form_parse(&f, "a=%01", 5) != 0, "form: a control character is refused", NULL);
    serve_path p;
    expect(serve_path_parse(&p, "/ecole/0290347V/bilans/CP A") == 0 && p.n == 4 && strcmp(p.seg[3], "CP A") == 0,
           "path: four segments", NULL);
    serve_path_clear(&p);
    expect(serve_path_parse(&p, "/") == 0 && p.n == 0, "path: / has none", NULL);
    expect(serve_path_parse(&p, "/ecole/") == 0 && p.n == 1, "path: a final slash", NULL);
    serve_path_clear(&p);
    expect(serve_path_parse(&p, "/ecole/../x") != 0, "path: .. refused", NULL);
    expect(serve_path_parse(&p, "/a//b") != 0, "path: an empty segment refused", NULL);
    expect(serve_path_parse(&p, "ecole") != 0, "path: no leading slash refused", NULL);
    expect(serve_path_parse(&p, "/a/b/c/d/e/f/g/h/i") != 0, "path: too many segments refused", NULL);
    char host[64], name[128];
    unsigned port = 1;
    int v6;
    expect(serve_parse_listen("127.0.0.1:0", host, &port, &v6) == 0 && port == 0 && !v6, "listen: port 0", NULL);
    expect(serve_parse_listen("[::1]:8080", host, &port, &v6) == 0 && port == 8080 && v6 && !strcmp(host, "::1"),
           "listen: IPv6", NULL);
    expect(serve_parse_listen("8081", host, &port, &v6) == 0 && !strcmp(host, "127.0.0.1"), "listen: a port alone",
           NULL);
    expect(serve_parse_listen("localhost:80", host, &port, &v6) != 0, "listen: names are not resolved", NULL);
    expect(serve_parse_listen("1.2.3.4:65536", host, &port, &v6) != 0, "listen: port over 65535", NULL);
    serve_display_name("C:\\Users\\dir\\export é.xml", name, sizeof name);
    expect_str(name, "export é.xml", "display name: the last component");
    serve_display_name("../\x01", name, sizeof name);
    expect_str(name, "fichier", "display name: nothing left");
}

/* The accounts store in a fresh folder. */
static void accounts(void)
{
    char dir[] = "/tmp/lsu-unit-serve-XXXXXX";
    if (!mkdtemp(dir)) {
        expect(0, "accounts: temporary folder", NULL);
        return;
    }
    lsu_accounts a;
    expect(lsu_accounts_open(&a, dir, 0) == 1, "accounts: absent and not made", NULL);
    lsu_accounts_close(&a);
    expect(lsu_accounts_open(&a, dir, 1) == 0, "accounts: made", a.error);
    const char *cls[] = {"CP A", "CE1"};
    expect(lsu_accounts_add(&a, "ens", "motdepasse", "enseignant", "0290347V", cls, 2) == 0, "add a teacher", a.error);
    expect(lsu_accounts_add(&a, "ens", NULL, "directeur", "0290348W", NULL, 0) == 1, "a second school", a.error);
    expect(lsu_accounts_add(&a, "x", "court", "directeur", "0290347V", NULL, 0) == 2, "short password refused", NULL);
    lsu_user u;
    expect(lsu_accounts_user(&a, "ens", &u) == 1 && u.ngrants == 2, "two grants", NULL);
    const lsu_grant *g = lsu_user_grant(&u, "0290347V");
    expect(g && lsu_grant_has_class(g, "CP A") && lsu_grant_has_class(g, "CE1") && !lsu_grant_has_class(g, "CP") &&
               !lsu_grant_has_class(g, "CE1 A") && !lsu_grant_has_class(g, ""),
           "a teacher's classes, exactly", NULL);
    g = lsu_user_grant(&u, "0290348W");
    expect(g && lsu_grant_has_class(g, "CM2"), "a director reaches every class", NULL);
    expect(lsu_user_grant(&u, "0123456A") == NULL, "no grant for another school", NULL);
    lsu_user_clear(&u);
    lsu_session_keys k;
    time_t now = 1700000000;
    expect(lsu_accounts_login(&a, "ens", "faux", "10.0.0.1", now, &k) == 1, "a wrong password", NULL);
    expect(lsu_accounts_login(&a, "personne", "faux", "10.0.0.1", now, &k) == 1, "an unknown login", NULL);
    expect(lsu_accounts_login(&a, "ens", "motdepasse", "10.0.0.1", now, &k) == 0 && strlen(k.token) == 64, "a login",
           a.error);
    char *login = NULL, csrf[65];
    expect(lsu_accounts_session(&a, k.token, now + 60, &login, csrf) == 1 && login && !strcmp(login, "ens") &&
               lsu_token_equal(csrf, k.csrf),
           "the session and its CSRF token", NULL);
    free(login);
    expect(lsu_accounts_session(&a, k.token, now + LSU_SESSION_SECONDS + 1, &login, csrf) == 0, "a session expires",
           NULL);
    char other[65];
    memcpy(other, k.token, 65);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    expect(lsu_accounts_session(&a, other, now, &login, csrf) == 0, "another token has no session", NULL);
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(a.db, "SELECT count(*) FROM sessions WHERE token_hash = ?", -1, &s, NULL);
    sqlite3_bind_text(s, 1, k.token, -1, SQLITE_STATIC);
    expect(s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0, "the token is not stored as such",
           NULL);
    sqlite3_finalize(s);
    expect(lsu_accounts_logout(&a, k.token) == 0 && lsu_accounts_session(&a, k.token, now, &login, csrf) == 0,
           "logout ends the session", NULL);
    for (int i = 0; i < LSU_LOGIN_MAX_FAILURES; i++)
        lsu_accounts_login(&a, "ens", "faux", "10.0.0.2", now + i, &k);
    expect(lsu_accounts_login(&a, "ens", "motdepasse", "10.0.0.3", now + 10, &k) == 2, "rate limit per login", NULL);
    expect(lsu_accounts_login(&a, "ens", "motdepasse", "10.0.0.3", now + LSU_LOGIN_WINDOW + 10, &k) == 0,
           "the limit ends with its window", NULL);
    expect(!lsu_token_equal("", "") && lsu_token_equal("ab", "ab") && !lsu_token_equal("ab", "abc"), "token comparison",
           NULL);
    expect(lsu_accounts_open_session(&a, "ens", now, &k) == 0 &&
               lsu_accounts_session(&a, k.token, now + 1, &login, csrf) == 1 && login && !strcmp(login, "ens"),
           "a session opened without a password (--trust-header)", a.error);
    free(login);
    expect(lsu_accounts_remove(&a, "ens") == 0 && lsu_accounts_remove(&a, "ens") == 1, "remove", NULL);
    lsu_accounts_close(&a);
    lsu_remove_tree(dir);
}

/* The editions of the accounts store: a store of schema 1 migrated, the
 * rows written, read back newest first after a reopen, numbers never
 * given twice, an owner's removal taking his editions. */
static void editions(void)
{
    char dir[] = "/tmp/lsu-unit-editions-XXXXXX";
    if (!mkdtemp(dir)) {
        expect(0, "editions: temporary folder", NULL);
        return;
    }
    char *path = lsu_asprintf("%s/serveur.sqlite", dir);
    sqlite3 *db = NULL;
    expect(path && sqlite3_open(path, &db) == SQLITE_OK &&
               sqlite3_exec(db,
                            "CREATE TABLE users(login TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at INTEGER "
                            "NOT NULL); CREATE TABLE grants(login TEXT NOT NULL REFERENCES users(login) ON DELETE "
                            "CASCADE, uai TEXT NOT NULL, role TEXT NOT NULL, classes TEXT NOT NULL DEFAULT '', "
                            "PRIMARY KEY(login, uai)); CREATE TABLE sessions(token_hash TEXT PRIMARY KEY, login "
                            "TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE, csrf TEXT NOT NULL, "
                            "created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL); "
                            "INSERT INTO users VALUES ('dir', 'x', 1); "
                            "INSERT INTO grants VALUES ('dir', '0290347V', 'directeur', ''); PRAGMA user_version = 1",
                            NULL, NULL, NULL) == SQLITE_OK,
           "editions: a store of schema 1", db ? sqlite3_errmsg(db) : NULL);
    sqlite3_close(db);
    free(path);
    lsu_accounts a;
    expect(lsu_accounts_open(&a, dir, 0) == 0, "editions: schema 1 migrated", a.error);
    lsu_user u;
    expect(lsu_accounts_user(&a, "dir", &u) == 1 && u.ngrants == 1, "editions: its user kept", a.error);
    lsu_user_clear(&u);
    lsu_edition_row w = {.uai = "0290347V", .login = "dir", .what = "l'école", .by = 2, .created = 1000};
    long long ids[3] = {0};
    for (int i = 0; i < 3; i++) {
        w.classe = i == 1 ? "CP A" : NULL;
        w.test_print = i == 2;
        expect(lsu_accounts_edition_add(&a, &w) == 0 && w.id > (i ? ids[i - 1] : 0), "editions: added, a new number",
               a.error);
        ids[i] = w.id;
    }
    w = (lsu_edition_row){.id = ids[1],
                          .state = 2,
                          .done = 25,
                          .total = 25,
                          .message = "25 bilans édités",
                          .dir = "travail-2-abc",
                          .finished = 2000};
    expect(lsu_accounts_edition_save(&a, &w) == 0, "editions: saved", a.error);
    lsu_accounts_close(&a);
    expect(lsu_accounts_open(&a, dir, 0) == 0, "editions: reopened", a.error);
    lsu_edition_row *r = NULL;
    size_t n = 0;
    expect(lsu_accounts_editions(&a, &r, &n) == 0 && n == 3 && r[0].id == ids[2] && r[2].id == ids[0],
           "editions: read back, newest first", a.error);
    if (n == 3) {
        expect(r[1].state == 2 && r[1].done == 25 && r[1].total == 25 && r[1].finished == 2000 &&
                   r[1].created == 1000 && r[1].by == 2 && !strcmp(r[1].dir, "travail-2-abc") &&
                   !strcmp(r[1].classe, "CP A") && !strcmp(r[1].message, "25 bilans édités") &&
                   !strcmp(r[1].what, "l'école"),
               "editions: every field kept", NULL);
        expect(!r[0].classe && !r[0].niveau && !r[0].message && r[0].test_print == 1 && r[0].finished == 0 &&
                   !strcmp(r[0].dir, ""),
               "editions: NULLs kept NULL, no end while under way", NULL);
    }
    lsu_accounts_editions_free(r, n);
    expect(lsu_accounts_edition_remove(&a, ids[2]) == 0, "editions: the last one removed", a.error);
    w = (lsu_edition_row){.uai = "0290347V", .login = "dir", .what = "l'école", .created = 3000};
    expect(lsu_accounts_edition_add(&a, &w) == 0 && w.id > ids[2], "editions: its number is not given again", a.error);
    w.login = "personne";
    expect(lsu_accounts_edition_add(&a, &w) == -1, "editions: an owner who is no user refused", NULL);
    expect(lsu_accounts_remove(&a, "dir") == 0 && lsu_accounts_editions(&a, &r, &n) == 0 && n == 0,
           "editions: an owner removed takes his editions", a.error);
    lsu_accounts_editions_free(r, n);
    lsu_accounts_close(&a);
    lsu_remove_tree(dir);
}

/* A form kept across an expired session (screens_session.c): what is
 * carried, and the action checked; the rules of --trust-header. */
static void kept(void)
{
    serve_request r = {.method = "POST", .url = "/ecole/0290347V/bilans/CP A/verrou"};
    const char *body = "csrf=abc&ine=1&mot_de_passe=x&motdepasse2=y&passage=CE1&appreciation=Tr%C3%A8s+bien";
    expect(serve_form_parse(&r.form, body, strlen(body)) == 0, "kept: the form", NULL);
    serve_kept k;
    expect(serve_kept_from_post(&k, &r) == 1 && !strcmp(k.action, r.url) && k.fields.n == 3 && !k.dropped,
           "kept: every field but csrf and the passwords", NULL);
    expect(!serve_form_get(&k.fields, "csrf") && !serve_form_get(&k.fields, "mot_de_passe") &&
               serve_form_get(&k.fields, "passage") && !strcmp(serve_form_get(&k.fields, "appreciation"), "Très bien"),
           "kept: the fields named", NULL);
    serve_kept_clear(&k);
    serve_form_clear(&r.form);
    char na[] = "CSVExtraction.csv", nb[] = "enseignants.csv";
    serve_request sync = {.method = "POST", .url = "/ecole/0290347V/synchronisation"};
    sync.uploads.v[0] = (serve_upload){.field = "enseignants", .name = nb};
    sync.uploads.v[1] = (serve_upload){.field = "fichier", .name = na};
    sync.uploads.n = 2;
    expect(serve_kept_from_post(&k, &sync) == 1 && k.file && !strcmp(k.file, na) && k.teachers &&
               !strcmp(k.teachers, nb),
           "kept: the names of both files of a Synchronisation", NULL);
    serve_kept_clear(&k);
    r.url = "/connexion";
    expect(serve_kept_from_post(&k, &r) == 0, "kept: not a school's form", NULL);
    serve_kept_clear(&k);
    const char *login[] = {
        "reprise-action=%2Fecole%2F0290347V%2Fbilans&reprise%3Aa=1&reprise%3Acsrf=2&login=dir&b=3",
        "reprise-action=%2F%2Fevil%2Fecole%2Fx",
        "reprise-action=http%3A%2F%2Fevil%2Fecole%2Fx",
        "reprise-action=%2Fecole%2F..%2Fx",
        "reprise-action=%2Fecole",
        "login=dir",
    };
    int want[] = {1, -1, -1, -1, -1, 0};
    for (size_t i = 0; i < sizeof login / sizeof *login; i++) {
        expect(serve_form_parse(&r.form, login[i], strlen(login[i])) == 0, "kept: the login form", login[i]);
        int got = serve_kept_from_login(&k, &r);
        expect(got == want[i], "kept: the action carried back checked", login[i]);
        if (got == 1)
            expect(k.fields.n == 1 && !strcmp(k.fields.fields[0].name, "a"), "kept: only reprise: fields, no csrf",
                   NULL);
        serve_kept_clear(&k);
        serve_form_clear(&r.form);
    }
    expect(lsu_serve_listen_loopback("127.0.0.1:8080") && lsu_serve_listen_loopback("127.1.2.3:0") &&
               lsu_serve_listen_loopback("[::1]:80") && lsu_serve_listen_loopback("8080") &&
               !lsu_serve_listen_loopback("0.0.0.0:8080") && !lsu_serve_listen_loopback("[::]:80") &&
               !lsu_serve_listen_loopback("192.0.2.1:80"),
           "--trust-header: loopback addresses only", NULL);
    expect(lsu_serve_header_name_valid("X-Remote-User") && !lsu_serve_header_name_valid("") &&
               !lsu_serve_header_name_valid("X Remote") && !lsu_serve_header_name_valid("X:a"),
           "--trust-header: a header's name", NULL);
}

/* The file of upload u holds exactly `want`, mode 0600. */
static int upload_holds(const serve_upload *u, const char *want)
{
    struct stat sb;
    char buf[64] = {0};
    FILE *f = u && u->path ? fopen(u->path, "rb") : NULL;
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    return f && stat(u->path, &sb) == 0 && (sb.st_mode & 0777) == 0600 && n == strlen(want) &&
           memcmp(buf, want, n) == 0 && u->size == (long long)n;
}

/* A multipart body's parts (upload.c): two files, each to its own file,
 * a second part of the same name and a field no screen reads ignored;
 * the cap over their sum though each fits; everything removed. */
static void multipart(void)
{
    char dir[] = "/tmp/lsu-unit-upload-XXXXXX";
    if (!mkdtemp(dir)) {
        expect(0, "multipart: temporary folder", NULL);
        return;
    }
    serve_form form = {0};
    serve_uploads up;
    serve_multipart m;
    serve_multipart_init(&m, dir, 100, &form, &up);
    int ok = serve_multipart_data(&m, "csrf", NULL, "abc", 0, 3) == 0 &&
             serve_multipart_data(&m, "fichier", "C:\\ONDE\\CSVExtraction.csv", "hello ", 0, 6) == 0 &&
             serve_multipart_data(&m, "fichier", "C:\\ONDE\\CSVExtraction.csv", "world", 6, 5) == 0 &&
             serve_multipart_data(&m, "enseignants", "enseignants.csv", "", 0, 0) == 0 &&
             serve_multipart_data(&m, "enseignants", "enseignants.csv", "Mme;MARTIN", 0, 10) == 0 &&
             serve_multipart_data(&m, "fichier", "autre.csv", "zzz", 0, 3) == 0 &&
             serve_multipart_data(&m, "photo", "x.png", "q", 0, 1) == 0 &&
             serve_multipart_data(&m, "classe", NULL, "CP A", 0, 4) == 0;
    serve_multipart_end(&m);
    const serve_upload *a = serve_upload_get(&up, "fichier"), *b = serve_upload_get(&up, "enseignants");
    expect(ok && up.n == 2 && !up.too_large && up.total == 25 && up.parts == 4, "multipart: two files kept of four",
           NULL);
    expect(upload_holds(a, "hello world") && upload_holds(b, "Mme;MARTIN") && strcmp(a->path, b->path) != 0,
           "multipart: each file in its own 0600 file, chunks in order", NULL);
    expect_str(a ? a->name : NULL, "CSVExtraction.csv", "multipart: the client's name for display");
    expect(form.n == 2 && !strcmp(serve_form_get(&form, "csrf"), "abc") &&
               !strcmp(serve_form_get(&form, "classe"), "CP A"),
           "multipart: the small fields in the form", NULL);
    char pa[256], pb[256];
    snprintf(pa, sizeof pa, "%s", a ? a->path : "");
    snprintf(pb, sizeof pb, "%s", b ? b->path : "");
    serve_uploads_clear(&up);
    serve_form_clear(&form);
    struct stat sb;
    expect(stat(pa, &sb) != 0 && stat(pb, &sb) != 0 && up.n == 0, "multipart: the files removed once cleared", NULL);
    /* 60 + 60 under a cap of 100: each fits, not their sum */
    char big[60];
    memset(big, 'x', sizeof big);
    serve_multipart_init(&m, dir, 100, &form, &up);
    ok = serve_multipart_data(&m, "fichier", "a.csv", big, 0, sizeof big) == 0 && !up.too_large &&
         serve_multipart_data(&m, "enseignants", "b.csv", big, 0, 30) == 0 && !up.too_large &&
         serve_multipart_data(&m, "enseignants", "b.csv", big + 30, 30, 30) == 0;
    serve_multipart_end(&m);
    expect(ok && up.too_large && up.total == 120, "multipart: the cap is on the sum of the files", NULL);
    serve_uploads_clear(&up);
    serve_multipart_init(&m, dir, 100, &form, &up);
    expect(serve_multipart_data(&m, "a", NULL, "\x01", 0, 1) != 0, "multipart: a field that is not text refused", NULL);
    serve_multipart_end(&m);
    serve_uploads_clear(&up);
    serve_form_clear(&form);
    expect(rmdir(dir) == 0, "multipart: nothing left in the folder", NULL);
}

/* The drafts of the entry screens: put, get, replace, delete, expiry,
 * the caps on size and per user, another user's, the user's removal. */
static void drafts(void)
{
    char dir[] = "/tmp/lsu-unit-drafts-XXXXXX";
    if (!mkdtemp(dir)) {
        expect(0, "drafts: temporary folder", NULL);
        return;
    }
    lsu_accounts a;
    expect(lsu_accounts_open(&a, dir, 1) == 0, "drafts: store made", a.error);
    const char *cls[] = {"CP A"};
    expect(lsu_accounts_add(&a, "ens", "motdepasse", "enseignant", "0290347V", cls, 1) == 0 &&
               lsu_accounts_add(&a, "dir", "motdepasse", "directeur", "0290347V", NULL, 0) == 0,
           "drafts: two users", a.error);
    const char *screen = "/ecole/0290347V/saisie/CP%20A?periode=1&domaine=FRA-LGO";
    time_t now = 1750000000;
    lsu_draft d;
    expect(lsu_draft_get(&a, "ens", screen, now, &d) == 0 && !d.fields, "drafts: none yet", a.error);
    expect(lsu_draft_put(&a, "ens", screen, "abc123", "o-1=&p-1=3", now) == 0, "drafts: put", a.error);
    expect(lsu_draft_get(&a, "ens", screen, now + 5, &d) == 1 && d.fields && !strcmp(d.fields, "o-1=&p-1=3") &&
               !strcmp(d.state, "abc123") && d.at == (long long)now,
           "drafts: get back its fields, state token and time", a.error);
    lsu_draft_clear(&d);
    expect(lsu_draft_get(&a, "dir", screen, now + 5, &d) == 0, "drafts: another user never gets it", NULL);
    expect(lsu_draft_get(&a, "ens", "/ecole/0290347V/saisie/CP%20A?periode=2&domaine=FRA-LGO", now, &d) == 0,
           "drafts: keyed by the screen's path and query", NULL);
    expect(lsu_draft_put(&a, "ens", screen, "def456", "p-1=4", now + 10) == 0 &&
               lsu_draft_get(&a, "ens", screen, now + 10, &d) == 1 && !strcmp(d.fields, "p-1=4") &&
               !strcmp(d.state, "def456") && lsu_draft_count(&a, "ens", now + 10) == 1,
           "drafts: a second put replaces the first", a.error);
    lsu_draft_clear(&d);
    expect(lsu_draft_get(&a, "ens", screen, now + 10 + LSU_DRAFT_SECONDS, &d) == 0, "drafts: expired after 30 days",
           NULL);
    expect(lsu_draft_delete(&a, "ens", screen) == 0 && lsu_draft_get(&a, "ens", screen, now + 11, &d) == 0 &&
               lsu_draft_delete(&a, "ens", screen) == 0,
           "drafts: delete (twice: nothing to delete)", a.error);
    /* the caps: a draft's size, the state token's, the user, per user */
    size_t big = (size_t)LSU_DRAFT_MAX_BYTES + 1;
    char *fields = malloc(big + 1);
    if (fields) {
        memset(fields, 'a', big);
        fields[big] = 0;
        expect(lsu_draft_put(&a, "ens", screen, "abc", fields, now) == 1 && lsu_draft_count(&a, "ens", now) == 0,
               "drafts: one over the size cap is refused", NULL);
        fields[big - 1] = 0;
        expect(lsu_draft_put(&a, "ens", screen, "abc", fields, now) == 0, "drafts: one at the size cap is kept",
               a.error);
        free(fields);
    }
    char state[80];
    memset(state, 'f', 65);
    state[65] = 0;
    expect(lsu_draft_put(&a, "ens", screen, state, "x=1", now) == 1, "drafts: a state token over 64 is refused", NULL);
    expect(lsu_draft_put(&a, "personne", screen, "abc", "x=1", now) == 1, "drafts: an unknown user is refused", NULL);
    for (int i = 0; i < LSU_DRAFT_PER_USER + 5; i++) {
        char sc[64];
        snprintf(sc, sizeof sc, "/ecole/0290347V/elements/CP%%20A?periode=%d", i);
        lsu_draft_put(&a, "ens", sc, "abc", "x=1", now + 100 + i);
    }
    expect(lsu_draft_count(&a, "ens", now + 200) == LSU_DRAFT_PER_USER &&
               lsu_draft_get(&a, "ens", "/ecole/0290347V/elements/CP%20A?periode=0", now + 200, &d) == 0 &&
               lsu_draft_get(&a, "ens", screen, now + 200, &d) == 0,
           "drafts: at most LSU_DRAFT_PER_USER per user, the oldest go first", a.error);
    expect(lsu_draft_get(&a, "ens", "/ecole/0290347V/elements/CP%20A?periode=24", now + 200, &d) == 1,
           "drafts: the newest is kept", a.error);
    lsu_draft_clear(&d);
    expect(lsu_draft_put(&a, "dir", screen, "abc", "x=1", now + 300) == 0 && lsu_draft_count(&a, "dir", now + 300) == 1,
           "drafts: the director's own draft", a.error);
    expect(lsu_draft_put(&a, "ens", "/ecole/0290347V/saisie/x", "abc", "x=1", now + 300 + LSU_DRAFT_SECONDS) == 0,
           "drafts: a put 30 days later", a.error);
    sqlite3_stmt *s = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(a.db, "SELECT count(*) FROM drafts WHERE login = 'dir'", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    expect(n == 0, "drafts: the expired draft of another user is gone from the file", NULL);
    expect(lsu_accounts_remove(&a, "ens") == 0 && lsu_draft_count(&a, "ens", now + 300 + LSU_DRAFT_SECONDS) == 0,
           "drafts: removed with their user", a.error);
    lsu_accounts_close(&a);
    lsu_remove_tree(dir);
}

/* See test.h. */
void test_serve(void)
{
    parsers();
    multipart();
    accounts();
    editions();
    kept();
    drafts();
}
