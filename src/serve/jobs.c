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
 * ever served.  Editions live in memory: a restart forgets them (their
 * folders are removed at the next start, see http.c), and a stop
 * interrupts those under way and removes their files.  A finished
 * edition is kept SERVE_EDITION_KEEP seconds. */
#include "school/store.h"
#include "school/store_edit.h"
#include "serve/serve_int.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SERVE_EDITION_KEEP 3600 /* seconds a finished edition and its zips stay */
#define SERVE_EDITION_MAX 256   /* finished editions kept at most (the oldest go first) */

typedef struct serve_edition serve_edition;
struct serve_edition {
    serve_edition *next; /* the list, newest first */
    struct lsu_server *srv;
    long long id;
    char *uai, *login, *classe, *niveau, *what;
    int by;
    int test_print;
    char *dir; /* DATA/televersements/travail-N-XXXXXX */
    int state; /* SERVE_EDITION_* */
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
    long long last_id;
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

/* Frees an edition whose thread has ended, removing its folder. */
static void edition_free(serve_edition *e)
{
    if (e->dir)
        (void)lsu_remove_tree(e->dir);
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
        pthread_join(e->thread, NULL);
        edition_free(e);
    }
    pthread_cond_destroy(&j->turn);
    pthread_mutex_destroy(&j->mu);
    free(j->importing);
    free(j);
}

/* lsu_store_edit's progress: the counts for the page; 1 (stop) when the
 * server stops. */
static int on_progress(size_t done, size_t total, void *ctx)
{
    serve_edition *e = ctx;
    struct serve_jobs *j = e->srv->jobs;
    pthread_mutex_lock(&j->mu);
    e->done = done;
    e->total = total;
    int stop = j->stopping;
    pthread_mutex_unlock(&j->mu);
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

/* Sets the outcome of e (message owned, taken). */
static void edition_end(serve_edition *e, int state, char *message, char **zips, size_t nzips)
{
    struct serve_jobs *j = e->srv->jobs;
    pthread_mutex_lock(&j->mu);
    e->state = state;
    e->message = message;
    e->zips = zips;
    e->nzips = nzips;
    e->finished = time(NULL);
    pthread_mutex_unlock(&j->mu);
}

/* The French outcome of an edition that gave no zip. */
static char *failure_text(int rc, const lsu_store_edit_counts *n, int stopped)
{
    if (stopped)
        return lsu_strdup_or_null("Édition interrompue : le serveur s'arrête. Relancez-la après son redémarrage.");
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
        edition_end(e, SERVE_EDITION_FAILED, failure_text(-1, NULL, 1), NULL, 0);
        return NULL;
    }
    pthread_mutex_lock(&s->jobs->mu);
    e->state = SERVE_EDITION_RUNNING;
    pthread_mutex_unlock(&s->jobs->mu);
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
    if (rc == 0 && !stopped && n.edited.zips > 0 && rename(work, final) == 0 && sub &&
        list_zips(sub, &zips, &nzips) == 0 && nzips > 0) {
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
        edition_end(e, SERVE_EDITION_FAILED, failure_text(rc, &n, stopped), NULL, 0);
    }
    char *what = lsu_asprintf("édition de %s : %s", e->what, nzips ? "terminée" : "sans zip");
    lsu_accounts_audit(&s->accounts, e->login, e->uai, what ? what : "édition", time(NULL));
    free(what), free(sub), free(work), free(final), free(error);
    lsu_buf_free(&text);
    return NULL;
}

/* Removes (j->mu held) the finished editions older than
 * SERVE_EDITION_KEEP seconds, and the oldest finished ones beyond
 * SERVE_EDITION_MAX. */
static void evict(struct serve_jobs *j, time_t now)
{
    size_t kept = 0;
    for (serve_edition **p = &j->editions; *p;) {
        serve_edition *e = *p;
        int finished = e->state == SERVE_EDITION_DONE || e->state == SERVE_EDITION_FAILED;
        if (finished && (now - e->finished > SERVE_EDITION_KEEP || kept >= SERVE_EDITION_MAX)) {
            *p = e->next;
            pthread_join(e->thread, NULL); /* past its outcome: it takes j->mu no more */
            edition_free(e);
            continue;
        }
        kept += finished;
        p = &e->next;
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
    e->uai = lsu_strdup_or_null(spec->uai);
    e->login = lsu_strdup_or_null(spec->login);
    e->what = lsu_strdup_or_null(spec->what);
    e->classe = spec->classe ? lsu_strdup_or_null(spec->classe) : NULL;
    e->niveau = spec->niveau ? lsu_strdup_or_null(spec->niveau) : NULL;
    pthread_mutex_lock(&j->mu);
    evict(j, time(NULL));
    e->id = ++j->last_id;
    pthread_mutex_unlock(&j->mu);
    e->dir = lsu_asprintf("%s/travail-%lld-XXXXXX", s->upload_dir, e->id);
    if (!e->uai || !e->login || !e->what || (spec->classe && !e->classe) || (spec->niveau && !e->niveau) || !e->dir ||
        !mkdtemp(e->dir)) {
        free(e->dir);
        e->dir = NULL; /* nothing made */
        edition_free(e);
        return -1;
    }
    pthread_mutex_lock(&j->mu);
    int rc = pthread_create(&e->thread, NULL, edition_run, e);
    if (rc == 0) {
        e->next = j->editions;
        j->editions = e;
    }
    pthread_mutex_unlock(&j->mu);
    if (rc != 0) {
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
