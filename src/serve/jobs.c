/* The heavy work of lsu serve: the limit on the jobs that run at once (an
 * import, an edition: a counting semaphore served in order, so that no
 * request is refused for load and none overtakes another), and the
 * editions that run in background threads (« Éditer » of a school, a
 * level or a class: lsu_store_edit, as `lsu edit --uai` runs it), their
 * progress, their zips.
 *
 * An edition writes its zips under DATA/televersements/travail-N-XXXXXX/
 * en-cours/ and renames that folder to fini/ once every zip is closed:
 * its download link points into fini/ only, so nothing half-written is
 * ever served.  Each edition is recorded in the server's store
 * (DATA/serveur.sqlite, accounts.c: its number, owner, selection, state,
 * progress, outcome, folder), so that a restart keeps them: at start
 * (serve_jobs_load) the finished ones are listed again, with their zips,
 * and those a stop or a crash cut short are « interrompues », to be
 * started again (serve_edition_restart).  A stop interrupts the editions
 * under way and removes their unfinished files.  A finished or
 * interrupted edition is kept SERVE_EDITION_KEEP seconds, and at most
 * SERVE_EDITION_PER_SCHOOL of a school: then its folder and its record
 * go. */
#include "school/store.h"
#include "school/store_edit.h"
#include "serve/serve_int.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SERVE_EDITION_KEEP 3600     /* seconds a finished edition and its zips stay */
#define SERVE_EDITION_PER_SCHOOL 64 /* finished editions kept per school at most (the oldest go first) */

typedef struct serve_edition serve_edition;
struct serve_edition {
    serve_edition *next; /* the list, newest first */
    struct lsu_server *srv;
    long long id;
    char *uai, *login, *classe, *niveau, *what;
    int by;
    int test_print;
    char *dir;             /* DATA/televersements/travail-N-XXXXXX */
    int state;             /* SERVE_EDITION_* */
    int threaded;          /* thread made, not yet joined */
    time_t created, saved; /* saved: the last record of its progress */
    size_t done, total;
    char *message; /* the outcome, in French */
    char **zips;   /* under dir/fini/UAI/, once done */
    size_t nzips;
    time_t finished;
    pthread_t thread;
};

struct serve_jobs {
    pthread_mutex_t mu;
    pthread_cond_t turn;
    unsigned limit, running;
    unsigned long long next_ticket, admit; /* the tickets of the jobs, served in order */
    int stopping;
    serve_edition *editions;
    char (*importing)[16]; /* the UAIs of the imports under way (serve_school_import_begin) */
    size_t nimporting, cap;
};

/* See serve_int.h. */
struct serve_jobs *serve_jobs_new(unsigned limit)
{
    struct serve_jobs *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    if (pthread_mutex_init(&j->mu, NULL) != 0) {
        free(j);
        return NULL;
    }
    if (pthread_cond_init(&j->turn, NULL) != 0) {
        pthread_mutex_destroy(&j->mu);
        free(j);
        return NULL;
    }
    j->limit = limit ? limit : 1;
    return j;
}

/* Waits for the turn of a new ticket and takes a job's place; 0, or -1
 * for an edition (`edition`) when the server stops (no place taken).
 * Once the server stops, order no longer counts: the imports under way
 * end as fast as they can. */
static int take_turn(struct serve_jobs *j, int edition)
{
    pthread_mutex_lock(&j->mu);
    unsigned long long t = j->next_ticket++;
    while (!(edition && j->stopping) && (j->running >= j->limit || (!j->stopping && t != j->admit)))
        pthread_cond_wait(&j->turn, &j->mu);
    int ok = !(edition && j->stopping);
    if (ok) {
        j->running++;
        if (t == j->admit)
            j->admit++;
    }
    pthread_cond_broadcast(&j->turn); /* the next ticket may go too */
    pthread_mutex_unlock(&j->mu);
    return ok ? 0 : -1;
}

/* See serve_int.h. */
void serve_job_acquire(struct serve_jobs *j)
{
    (void)take_turn(j, 0);
}

/* See serve_int.h. */
void serve_job_release(struct serve_jobs *j)
{
    pthread_mutex_lock(&j->mu);
    j->running--;
    pthread_cond_broadcast(&j->turn);
    pthread_mutex_unlock(&j->mu);
}

/* The index of uai among the imports under way (j->mu held), or -1. */
static long importing_index(const struct serve_jobs *j, const char *uai)
{
    for (size_t i = 0; i < j->nimporting; i++)
        if (strcmp(j->importing[i], uai) == 0)
            return (long)i;
    return -1;
}

/* See serve_int.h. */
int serve_school_import_begin(struct serve_jobs *j, const char *uai)
{
    pthread_mutex_lock(&j->mu);
    while (importing_index(j, uai) >= 0)
        pthread_cond_wait(&j->turn, &j->mu);
    int rc = 0;
    if (j->nimporting == j->cap) {
        size_t cap = j->cap ? 2 * j->cap : 8;
        char(*grown)[16] = realloc(j->importing, cap * sizeof *grown);
        if (grown) {
            j->importing = grown;
            j->cap = cap;
        } else {
            rc = -1;
        }
    }
    if (rc == 0)
        snprintf(j->importing[j->nimporting++], sizeof *j->importing, "%s", uai);
    pthread_mutex_unlock(&j->mu);
    return rc;
}

/* See serve_int.h. */
void serve_school_import_end(struct serve_jobs *j, const char *uai)
{
    pthread_mutex_lock(&j->mu);
    long i = importing_index(j, uai);
    if (i >= 0)
        memmove(j->importing[i], j->importing[i + 1], (j->nimporting - (size_t)i - 1) * sizeof *j->importing);
    if (i >= 0)
        j->nimporting--;
    pthread_cond_broadcast(&j->turn);
    pthread_mutex_unlock(&j->mu);
}

/* Frees an edition whose thread has ended (its folder stays). */
static void edition_free(serve_edition *e)
{
    for (size_t i = 0; i < e->nzips; i++)
        free(e->zips[i]);
    free(e->zips);
    free(e->uai), free(e->login), free(e->classe), free(e->niveau), free(e->what);
    free(e->dir), free(e->message);
    free(e);
}

/* See serve_int.h. */
void serve_jobs_stop(struct serve_jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stopping = 1;
    pthread_cond_broadcast(&j->turn);
    pthread_mutex_unlock(&j->mu);
}

/* See serve_int.h. */
void serve_jobs_free(struct serve_jobs *j)
{
    if (!j)
        return;
    serve_jobs_stop(j);
    for (serve_edition *e = j->editions, *next; e; e = next) {
        next = e->next;
        if (e->threaded)
            pthread_join(e->thread, NULL);
        edition_free(e);
    }
    pthread_cond_destroy(&j->turn);
    pthread_mutex_destroy(&j->mu);
    free(j->importing);
    free(j);
}

/* Writes e's state to the store: a copy of it taken under j->mu, written
 * outside it (by e's thread, or by the thread that starts it before its
 * thread is made: its message and folder change in that thread only);
 * `progress`: only when the store is free at once.  0, 1 not written. */
static int edition_write(serve_edition *e, int progress)
{
    struct serve_jobs *j = e->srv->jobs;
    const char *slash = e->dir ? strrchr(e->dir, '/') : NULL;
    lsu_edition_row row = {.id = e->id, .dir = slash ? (char *)slash + 1 : (char *)""};
    pthread_mutex_lock(&j->mu);
    row.state = e->state;
    row.done = (long long)e->done;
    row.total = (long long)e->total;
    row.message = e->message;
    row.finished = e->state == SERVE_EDITION_WAITING || e->state == SERVE_EDITION_RUNNING ? 0 : e->finished;
    pthread_mutex_unlock(&j->mu);
    /* the page still shows it when this fails */
    return (progress ? lsu_accounts_edition_save_try : lsu_accounts_edition_save)(&e->srv->accounts, &row) == 0 ? 0 : 1;
}

/* Writes e's state to the store (edition_write), waiting for it. */
static void edition_save(serve_edition *e)
{
    (void)edition_write(e, 0);
}

/* lsu_store_edit's progress: the counts for the page (recorded in the
 * store once a second at most); 1 (stop) when the server stops. */
static int on_progress(size_t done, size_t total, void *ctx)
{
    serve_edition *e = ctx;
    struct serve_jobs *j = e->srv->jobs;
    time_t now = time(NULL);
    pthread_mutex_lock(&j->mu);
    e->done = done;
    e->total = total;
    int stop = j->stopping, save = now != e->saved;
    pthread_mutex_unlock(&j->mu);
    if (save && !stop && edition_write(e, 1) == 0) {
        pthread_mutex_lock(&j->mu);
        e->saved = now; /* else tried again at the next class */
        pthread_mutex_unlock(&j->mu);
    }
    return stop;
}

/* qsort's comparison of two names. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the zips of folder dir, sorted, into *out of *n; 0 or -1. */
static int list_zips(const char *dir, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    for (struct dirent *de; rc == 0 && (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len <= 4 || strcmp(de->d_name + len - 4, ".zip") != 0)
            continue;
        char **grown = realloc(*out, (*n + 1) * sizeof *grown);
        if (!grown || !(grown[*n] = lsu_strdup_or_null(de->d_name))) {
            *out = grown ? grown : *out;
            rc = -1;
            break;
        }
        *out = grown;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_names);
    return rc;
}

/* Makes files and folders under path private (0600, 0700): the zips
 * were written with the umask's mode.  0 or -1. */
static int make_private(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || S_ISLNK(sb.st_mode))
        return -1;
    if (!S_ISDIR(sb.st_mode))
        return chmod(path, 0600);
    int rc = chmod(path, 0700);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    for (struct dirent *de; (de = readdir(d));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *sub = lsu_asprintf("%s/%s", path, de->d_name);
        if (!sub || make_private(sub) != 0)
            rc = -1;
        free(sub);
    }
    closedir(d);
    return rc;
}

/* Sets the outcome of e (message owned, taken) and records it. */
static void edition_end(serve_edition *e, int state, char *message, char **zips, size_t nzips)
{
    struct serve_jobs *j = e->srv->jobs;
    pthread_mutex_lock(&j->mu);
    e->state = state;
    free(e->message);
    e->message = message;
    e->zips = zips;
    e->nzips = nzips;
    e->finished = time(NULL);
    pthread_mutex_unlock(&j->mu);
    edition_save(e);
}

/* The French outcome of an edition that gave no zip. */
static char *failure_text(int rc, const lsu_store_edit_counts *n)
{
    if (rc != 0)
        return lsu_strdup_or_null("L'édition n'a pas pu aller jusqu'au bout (base de l'école illisible ou disque "
                                  "plein) ; rien n'a été gardé.");
    if (n->selected == 0)
        return lsu_strdup_or_null("Aucun bilan de l'école ne correspond à la sélection.");
    return lsu_strdup_or_null(
        "Rien à éditer : seuls les bilans verrouillés sont édités ; verrouillez-les d'abord (Actions d'ensemble).");
}

/* An edition's thread: its turn, lsu_store_edit into en-cours/, then
 * en-cours/ renamed fini/ (or removed), the outcome, the audit. */
static void *edition_run(void *arg)
{
    serve_edition *e = arg;
    struct lsu_server *s = e->srv;
    if (take_turn(s->jobs, 1) != 0) {
        edition_end(e, SERVE_EDITION_INTERRUPTED, NULL, NULL, 0);
        return NULL;
    }
    pthread_mutex_lock(&s->jobs->mu);
    e->state = SERVE_EDITION_RUNNING;
    pthread_mutex_unlock(&s->jobs->mu);
    edition_save(e);
    char *work = lsu_asprintf("%s/en-cours", e->dir), *final = lsu_asprintf("%s/fini", e->dir);
    lsu_store st;
    lsu_store_edit_counts n = {0};
    lsu_buf text = {0};
    char *error = NULL;
    int rc = -1;
    if (work && final && mkdir(work, 0700) == 0) {
        if (lsu_store_open(&st, s->data_dir, e->uai, 0) == STORE_OK) {
            lsu_store_edit_options o = {.by = (lsu_edit_by)e->by,
                                        .sel = {.classe = e->classe, .niveau = e->niveau},
                                        .progress = on_progress,
                                        .progress_ctx = e};
            o.render.test_print = e->test_print;
            rc = lsu_store_edit(&st, &o, work, &n, &text, &error);
        }
        lsu_store_close(&st);
    }
    serve_job_release(s->jobs);
    pthread_mutex_lock(&s->jobs->mu);
    int stopped = s->jobs->stopping;
    pthread_mutex_unlock(&s->jobs->mu);
    char **zips = NULL;
    size_t nzips = 0;
    char *sub = final ? lsu_asprintf("%s/%s", final, e->uai) : NULL;
    if (rc == 0 && !stopped && n.edited.zips > 0 && make_private(work) == 0 && rename(work, final) == 0 && sub &&
        lsu_fsync_parent(final) == 0 && list_zips(sub, &zips, &nzips) == 0 && nzips > 0) {
        char *msg =
            lsu_asprintf("%zu bilan%s édité%s, %zu PDF dans %zu zip%s ; %zu bilan%s non verrouillé%s "
                         "sans PDF.",
                         n.edited.bilans, n.edited.bilans > 1 ? "s" : "", n.edited.bilans > 1 ? "s" : "", n.edited.pdfs,
                         nzips, nzips > 1 ? "s" : "", n.unlocked, n.unlocked > 1 ? "s" : "", n.unlocked > 1 ? "s" : "");
        edition_end(e, SERVE_EDITION_DONE, msg, zips, nzips);
    } else {
        for (size_t i = 0; i < nzips; i++)
            free(zips[i]);
        free(zips);
        if (work)
            (void)lsu_remove_tree(work);
        if (final)
            (void)lsu_remove_tree(final);
        if (stopped)
            edition_end(e, SERVE_EDITION_INTERRUPTED, NULL, NULL, 0);
        else
            edition_end(e, SERVE_EDITION_FAILED, failure_text(rc, &n), NULL, 0);
    }
    char *what = lsu_asprintf("édition de %s : %s", e->what, nzips ? "terminée" : stopped ? "interrompue" : "sans zip");
    lsu_accounts_audit(&s->accounts, e->login, e->uai, what ? what : "édition", time(NULL));
    free(what), free(sub), free(work), free(final), free(error);
    lsu_buf_free(&text);
    return NULL;
}

/* 1 when e is over (done, failed or interrupted): it may be evicted. */
static int idle(const serve_edition *e)
{
    return e->state == SERVE_EDITION_DONE || e->state == SERVE_EDITION_FAILED || e->state == SERVE_EDITION_INTERRUPTED;
}

/* Takes out of the list (j->mu held) the editions over for more than
 * SERVE_EDITION_KEEP seconds, and the oldest ones over beyond
 * SERVE_EDITION_PER_SCHOOL of a school; returns them, for evicted_free. */
static serve_edition *evict(struct serve_jobs *j, time_t now)
{
    serve_edition *gone = NULL;
    for (serve_edition **p = &j->editions; *p;) {
        serve_edition *e = *p;
        size_t newer = 0; /* the school's editions over, newer than e, kept */
        for (const serve_edition *o = j->editions; idle(e) && o != e; o = o->next)
            newer += idle(o) && strcmp(o->uai, e->uai) == 0;
        if (idle(e) && (now - e->finished > SERVE_EDITION_KEEP || newer >= SERVE_EDITION_PER_SCHOOL)) {
            *p = e->next;
            e->next = gone;
            gone = e;
            continue;
        }
        p = &e->next;
    }
    return gone;
}

/* Ends the editions evict took out (j->mu not held): their threads
 * joined (past their outcome), their folders removed, their records
 * forgotten. */
static void evicted_free(struct lsu_server *s, serve_edition *gone)
{
    for (serve_edition *e = gone, *next; e; e = next) {
        next = e->next;
        if (e->threaded)
            pthread_join(e->thread, NULL);
        if (e->dir)
            (void)lsu_remove_tree(e->dir);
        (void)lsu_accounts_edition_remove(&s->accounts, e->id);
        edition_free(e);
    }
}

/* See serve_int.h. */
long long serve_edition_start(struct lsu_server *s, const serve_edition_spec *spec)
{
    struct serve_jobs *j = s->jobs;
    serve_edition *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    e->srv = s;
    e->by = spec->by;
    e->test_print = spec->test_print;
    e->created = time(NULL);
    e->uai = lsu_strdup_or_null(spec->uai);
    e->login = lsu_strdup_or_null(spec->login);
    e->what = lsu_strdup_or_null(spec->what);
    e->classe = spec->classe ? lsu_strdup_or_null(spec->classe) : NULL;
    e->niveau = spec->niveau ? lsu_strdup_or_null(spec->niveau) : NULL;
    pthread_mutex_lock(&j->mu);
    serve_edition *gone = evict(j, e->created);
    pthread_mutex_unlock(&j->mu);
    evicted_free(s, gone);
    lsu_edition_row row = {.uai = e->uai,
                           .login = e->login,
                           .classe = e->classe,
                           .niveau = e->niveau,
                           .by = e->by,
                           .test_print = e->test_print,
                           .what = e->what,
                           .state = SERVE_EDITION_WAITING,
                           .created = e->created};
    if (!e->uai || !e->login || !e->what || (spec->classe && !e->classe) || (spec->niveau && !e->niveau) ||
        lsu_accounts_edition_add(&s->accounts, &row) != 0) {
        edition_free(e);
        return -1;
    }
    e->id = row.id;
    e->dir = lsu_asprintf("%s/travail-%lld-XXXXXX", s->upload_dir, e->id);
    if (!e->dir || !mkdtemp(e->dir)) {
        (void)lsu_accounts_edition_remove(&s->accounts, e->id);
        free(e->dir);
        e->dir = NULL; /* nothing made */
        edition_free(e);
        return -1;
    }
    edition_save(e); /* its folder */
    pthread_mutex_lock(&j->mu);
    int rc = pthread_create(&e->thread, NULL, edition_run, e);
    if (rc == 0) {
        e->threaded = 1;
        e->next = j->editions;
        j->editions = e;
    }
    pthread_mutex_unlock(&j->mu);
    if (rc != 0) {
        (void)lsu_remove_tree(e->dir);
        (void)lsu_accounts_edition_remove(&s->accounts, e->id);
        edition_free(e);
        return -1;
    }
    return e->id;
}

/* The edition n of (uai, login) (j->mu held), or NULL. */
static serve_edition *find(struct serve_jobs *j, long long n, const char *uai, const char *login)
{
    for (serve_edition *e = j->editions; e; e = e->next)
        if (e->id == n && strcmp(e->uai, uai) == 0 && strcmp(e->login, login) == 0)
            return e;
    return NULL;
}

/* See serve_int.h. */
int serve_edition_restart(struct lsu_server *s, long long n, const lsu_grant *g, const char *login)
{
    struct serve_jobs *j = s->jobs;
    pthread_mutex_lock(&j->mu);
    serve_edition *e = find(j, n, g->uai, login);
    int rc = !e ? 1 : e->state != SERVE_EDITION_INTERRUPTED || e->threaded || j->stopping ? 2 : 0;
    if (rc == 0 && !(e->classe ? lsu_grant_has_class(g, e->classe) : strcmp(g->role, "directeur") == 0))
        rc = 3; /* no longer his class, no longer the director */
    if (rc == 0) {
        e->state = SERVE_EDITION_WAITING; /* taken: neither evicted nor started twice */
        e->done = e->total = 0;
        free(e->message);
        e->message = NULL;
    }
    pthread_mutex_unlock(&j->mu);
    if (rc != 0)
        return rc;
    /* what a stop or a crash left of it goes; its thread starts afresh */
    if (lsu_remove_tree(e->dir) == 0 && mkdir(e->dir, 0700) == 0) {
        edition_save(e);
        pthread_mutex_lock(&j->mu);
        rc = pthread_create(&e->thread, NULL, edition_run, e) == 0 ? 0 : -1;
        e->threaded = rc == 0;
        pthread_mutex_unlock(&j->mu);
    } else {
        rc = -1;
    }
    if (rc != 0) {
        pthread_mutex_lock(&j->mu);
        e->state = SERVE_EDITION_INTERRUPTED;
        pthread_mutex_unlock(&j->mu);
    }
    return rc;
}

/* See serve_int.h. */
int serve_edition_get(struct lsu_server *s, long long n, const char *uai, const char *login, serve_edition_view *v)
{
    memset(v, 0, sizeof *v);
    struct serve_jobs *j = s->jobs;
    pthread_mutex_lock(&j->mu);
    serve_edition *e = find(j, n, uai, login);
    if (e) {
        v->state = e->state;
        v->done = e->done;
        v->total = e->total;
        v->what = lsu_strdup_or_null(e->what);
        v->message = e->message ? lsu_strdup_or_null(e->message) : NULL;
        v->zips = e->nzips ? calloc(e->nzips, sizeof *v->zips) : NULL;
        for (size_t i = 0; v->zips && i < e->nzips; i++)
            if ((v->zips[i] = lsu_strdup_or_null(e->zips[i])))
                v->nzips++;
    }
    pthread_mutex_unlock(&j->mu);
    return e != NULL;
}

/* See serve_int.h. */
void serve_edition_view_clear(serve_edition_view *v)
{
    for (size_t i = 0; i < v->nzips; i++)
        free(v->zips[i]);
    free(v->zips);
    free(v->what);
    free(v->message);
    memset(v, 0, sizeof *v);
}

/* See serve_int.h. */
char *serve_edition_zip(struct lsu_server *s, long long n, const char *uai, const char *login, const char *name)
{
    struct serve_jobs *j = s->jobs;
    char *path = NULL;
    pthread_mutex_lock(&j->mu);
    serve_edition *e = find(j, n, uai, login);
    for (size_t i = 0; e && e->state == SERVE_EDITION_DONE && !path && i < e->nzips; i++)
        if (strcmp(e->zips[i], name) == 0)
            path = lsu_asprintf("%s/fini/%s/%s", e->dir, e->uai, e->zips[i]);
    pthread_mutex_unlock(&j->mu);
    return path;
}

/* See serve_int.h. */
void serve_editions_list(struct lsu_server *s, const char *uai, const char *login, long long **out, size_t *n)
{
    struct serve_jobs *j = s->jobs;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&j->mu);
    for (serve_edition *e = j->editions; e; e = e->next) {
        if (strcmp(e->uai, uai) != 0 || strcmp(e->login, login) != 0)
            continue;
        long long *grown = realloc(*out, (*n + 1) * sizeof *grown);
        if (!grown)
            break;
        *out = grown;
        grown[(*n)++] = e->id;
    }
    pthread_mutex_unlock(&j->mu);
}

/* Brings back (before any thread) an edition read from the store: a done
 * one with the zips of its folder, a failed one as it was, one under way
 * when the server stopped or died as interrupted, what it had begun
 * removed.  0, or -1 when it is to be forgotten (its zips are gone). */
static int edition_reload(serve_edition *e, time_t now)
{
    char *work = lsu_asprintf("%s/en-cours", e->dir), *final = lsu_asprintf("%s/fini", e->dir);
    char *sub = final ? lsu_asprintf("%s/%s", final, e->uai) : NULL;
    int rc = work && final && sub ? 0 : -1;
    if (rc == 0)
        (void)lsu_remove_tree(work); /* a crash's half-written zips and their *.tmp */
    if (rc == 0 && e->state == SERVE_EDITION_DONE)
        rc = list_zips(sub, &e->zips, &e->nzips) == 0 && e->nzips > 0 ? 0 : -1;
    else if (rc == 0 && e->state != SERVE_EDITION_FAILED && e->state != SERVE_EDITION_INTERRUPTED &&
             e->state != SERVE_EDITION_WAITING && e->state != SERVE_EDITION_RUNNING)
        rc = -1; /* a state this version does not know */
    else if (rc == 0)
        (void)lsu_remove_tree(final);
    if (rc == 0 && e->state != SERVE_EDITION_DONE && e->state != SERVE_EDITION_FAILED) {
        e->state = SERVE_EDITION_INTERRUPTED;
        if (!e->finished)
            e->finished = now; /* its hour to be started again begins */
        edition_save(e);
    }
    free(work), free(final), free(sub);
    return rc;
}

/* An edition of the store's row r (its texts taken), or NULL when r's
 * folder is not one of ours or memory ran out. */
static serve_edition *edition_of_row(struct lsu_server *s, lsu_edition_row *r)
{
    if (strncmp(r->dir, "travail-", 8) != 0 || strchr(r->dir, '/') || !r->uai || !r->login || !r->what)
        return NULL;
    serve_edition *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    *e = (serve_edition){.srv = s,
                         .id = r->id,
                         .uai = r->uai,
                         .login = r->login,
                         .classe = r->classe,
                         .niveau = r->niveau,
                         .what = r->what,
                         .by = r->by,
                         .test_print = r->test_print,
                         .dir = lsu_asprintf("%s/%s", s->upload_dir, r->dir),
                         .state = r->state,
                         .done = r->done > 0 ? (size_t)r->done : 0,
                         .total = r->total > 0 ? (size_t)r->total : 0,
                         .message = r->message,
                         .created = r->created,
                         .finished = r->finished};
    r->uai = r->login = r->classe = r->niveau = r->what = r->message = NULL;
    if (!e->dir) {
        edition_free(e);
        return NULL;
    }
    return e;
}

/* 1 when `name` is the folder of an edition of j. */
static int edition_folder(const struct serve_jobs *j, const char *name)
{
    for (const serve_edition *e = j->editions; e; e = e->next) {
        const char *slash = strrchr(e->dir, '/');
        if (slash && strcmp(slash + 1, name) == 0)
            return 1;
    }
    return 0;
}

/* See serve_int.h. */
int serve_jobs_load(struct lsu_server *s)
{
    struct serve_jobs *j = s->jobs;
    lsu_edition_row *rows;
    size_t n;
    if (lsu_accounts_editions(&s->accounts, &rows, &n) != 0)
        return -1;
    time_t now = time(NULL);
    serve_edition **tail = &j->editions;
    for (size_t i = 0; i < n; i++) {
        serve_edition *e = edition_of_row(s, &rows[i]);
        if (!e || edition_reload(e, now) != 0) {
            if (e)
                (void)lsu_remove_tree(e->dir);
            (void)lsu_accounts_edition_remove(&s->accounts, rows[i].id);
            if (e)
                edition_free(e);
            continue;
        }
        *tail = e; /* newest first, as the rows */
        tail = &e->next;
    }
    lsu_accounts_editions_free(rows, n);
    pthread_mutex_lock(&j->mu);
    serve_edition *gone = evict(j, now);
    pthread_mutex_unlock(&j->mu);
    evicted_free(s, gone);
    /* the folders no edition owns: an earlier lsu's, a crash's before its
     * record, an edition whose owner was removed */
    DIR *d = opendir(s->upload_dir);
    for (struct dirent *de; d && (de = readdir(d));) {
        if (strncmp(de->d_name, "travail-", 8) != 0 || edition_folder(j, de->d_name))
            continue;
        char *path = lsu_asprintf("%s/%s", s->upload_dir, de->d_name);
        if (path)
            (void)lsu_remove_tree(path);
        free(path);
    }
    if (d)
        closedir(d);
    return 0;
}
