/* lsu batch and lsu merge once their arguments are parsed (see batch.h):
 * the inbox listing, the result records, the workers and their scheduler,
 * the merge of shards.  Their command lines are src/cli/cmd_batch.c. */
#include "batch/batch.h"
#include "import/nomenclature.h"
#include "job/job.h"
#include "lsu.h"
#include "pdf/package.h"
#include "school/school.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libxslt/xsltutils.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STATE_DIR ".lsu-batch"
#define RECORD_MAGIC "lsu-batch-resultat 1"
#define DEFAULT_TIMEOUT 600
#define DEFAULT_MAX_MEMORY (4LL * 1024 * 1024 * 1024)
#define MAX_DEPTH 32

/* AddressSanitizer reserves terabytes of address space up front: an
 * address-space bound would fail its every allocation, so sanitizer builds
 * leave the memory bound out (the tests that need it skip there). */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* One export of the inbox and what became of it. */
typedef struct {
    char *path; /* inside the inbox */
    char *stem;
    char *input; /* content hash and options */
    lsu_batch_record rec;
    int done;
} batch_item;

/* A running worker. */
typedef struct {
    pid_t pid;
    size_t item;
    struct timespec started;
    int timed_out;
} batch_slot;

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

/* Frees the strings of a record. */
void lsu_batch_record_clear(lsu_batch_record *r)
{
    free(r->path);
    free(r->stem);
    free(r->uai);
    free(r->input);
    free(r->codes);
    free(r->failure);
    free(r->message);
    memset(r, 0, sizeof *r);
}

/* Seconds on the monotonic clock. */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* nftw callback of remove_tree: removes one entry, children first. */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes `path` and everything under it; absent is fine.  0 or -1. */
static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Copies `s` with line breaks and tabs turned into spaces (a record value
 * is one line).  NULL when s is NULL or memory ran out. */
static char *one_line(const char *s)
{
    char *c = lsu_strdup_or_null(s);
    for (char *p = c; p && *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return c;
}

/* ------------------------------------------------------------------ */
/* Result records                                                       */
/* ------------------------------------------------------------------ */

/* Path of the record of `stem` under out; caller frees. */
static char *record_path(const char *out, const char *stem)
{
    return lsu_asprintf("%s/" STATE_DIR "/results/%s.txt", out, stem);
}

/* Writes a record atomically under out; 0 or -1 (errno set). */
static int record_write(const char *out, const lsu_batch_record *r)
{
    lsu_buf b = {0};
    lsu_buf_printf(&b, RECORD_MAGIC "\nfichier=%s\nstem=%s\nuai=%s\nentree=%s\nstatut=%d\n", r->path, r->stem, r->uai,
                   r->input ? r->input : "", r->status);
    lsu_buf_printf(&b, "traites=%zu\nimportes=%zu\navec_alertes=%zu\nrejetes=%zu\nfichier_rejete=%d\n", r->traites,
                   r->importes, r->avec_alertes, r->rejetes, r->file_rejected);
    lsu_buf_printf(&b, "pdf=%zu\nzips=%zu\ncodes=%s\n", r->pdfs, r->zips, r->codes ? r->codes : "");
    if (r->failure)
        lsu_buf_printf(&b, "echec=%s\n", r->failure);
    if (r->message)
        lsu_buf_printf(&b, "message=%s\n", r->message);
    char *path = record_path(out, r->stem);
    int rc = -1;
    if (path && !b.failed)
        rc = lsu_write_file_atomic(path, b.data, b.len);
    else
        errno = ENOMEM;
    free(path);
    lsu_buf_free(&b);
    return rc;
}

/* Parses a decimal size_t field; 0 when malformed. */
static size_t field_size(const char *v)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    return errno || end == v || *end ? 0 : (size_t)n;
}

/* Reads the record at `path` into r; 0, or -1 when absent or unreadable
 * (r is then cleared). */
static int record_read(const char *path, lsu_batch_record *r)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int ok = 0, lineno = 0;
    while ((len = getline(&line, &cap, fp)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (lineno++ == 0) {
            ok = strcmp(line, RECORD_MAGIC) == 0;
            if (!ok)
                break;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *k = line, *v = eq + 1;
        char **s = NULL;
        if (strcmp(k, "fichier") == 0)
            s = &r->path;
        else if (strcmp(k, "stem") == 0)
            s = &r->stem;
        else if (strcmp(k, "uai") == 0)
            s = &r->uai;
        else if (strcmp(k, "entree") == 0)
            s = &r->input;
        else if (strcmp(k, "codes") == 0)
            s = &r->codes;
        else if (strcmp(k, "echec") == 0)
            s = &r->failure;
        else if (strcmp(k, "message") == 0)
            s = &r->message;
        else if (strcmp(k, "statut") == 0)
            r->status = (int)field_size(v);
        else if (strcmp(k, "traites") == 0)
            r->traites = field_size(v);
        else if (strcmp(k, "importes") == 0)
            r->importes = field_size(v);
        else if (strcmp(k, "avec_alertes") == 0)
            r->avec_alertes = field_size(v);
        else if (strcmp(k, "rejetes") == 0)
            r->rejetes = field_size(v);
        else if (strcmp(k, "fichier_rejete") == 0)
            r->file_rejected = field_size(v) != 0;
        else if (strcmp(k, "pdf") == 0)
            r->pdfs = field_size(v);
        else if (strcmp(k, "zips") == 0)
            r->zips = field_size(v);
        if (s) {
            free(*s);
            *s = strdup(v);
            ok = ok && *s;
        }
    }
    free(line);
    int failed = ferror(fp);
    fclose(fp);
    if (!ok || failed || !r->path || !r->stem || !r->uai) {
        lsu_batch_record_clear(r);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Moving outputs into place                                            */
/* ------------------------------------------------------------------ */

/* Removes the outputs of `stem` from the school folder `dir`. */
static void remove_outputs(const char *dir, const char *stem)
{
    static const char *const ext[] = {".rapport.html", ".rapport.json", ".rapport.csv", ""};
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        char *p = lsu_asprintf("%s/%s%s", dir, stem, ext[i]);
        if (p)
            remove_tree(p);
        free(p);
    }
}

/* Moves the outputs of `stem` from the staging folder `staging` into the
 * school folder `dest` (created): each report file by one rename over its
 * final name, the zip folder by swapping whole folders, so that a final
 * name always holds a complete file.  A zip folder left from an earlier
 * run of the same export goes when this run made none.  0, or -1. */
static int move_outputs(const char *staging, const char *dest, const char *stem)
{
    if (lsu_mkdir_p(dest) != 0)
        return -1;
    int rc = 0;
    static const char *const ext[] = {".rapport.html", ".rapport.json", ".rapport.csv"};
    for (size_t i = 0; i < sizeof ext / sizeof *ext && rc == 0; i++) {
        char *from = lsu_asprintf("%s/%s%s", staging, stem, ext[i]);
        char *to = lsu_asprintf("%s/%s%s", dest, stem, ext[i]);
        if (!from || !to || (rename(from, to) != 0 && errno != ENOENT))
            rc = -1;
        free(from);
        free(to);
    }
    char *from = lsu_asprintf("%s/%s", staging, stem);
    char *to = lsu_asprintf("%s/%s", dest, stem);
    char *old = lsu_asprintf("%s/.ancien", staging);
    struct stat st;
    if (rc != 0 || !from || !to || !old) {
        rc = -1;
    } else if (stat(from, &st) == 0 && S_ISDIR(st.st_mode)) {
        remove_tree(old);
        if ((rename(to, old) != 0 && errno != ENOENT) || rename(from, to) != 0)
            rc = -1;
        remove_tree(old);
    } else {
        remove_tree(to);
    }
    free(from);
    free(to);
    free(old);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The worker                                                           */
/* ------------------------------------------------------------------ */

/* A worker ends with _exit and leaves what it holds (the export's trees,
 * the parent's list of exports it inherited) to the system, as lsu run does
 * with its last file.  These pointers keep them reachable, so that leak
 * checkers (make valgrind) count none of it. */
static batch_item *volatile kept_items;
static lsu_file *volatile kept_file;

/* Set by the worker's libxml2 and libxslt generic error sink when an
 * allocation failed. */
static int worker_oom;

/* libxml2/libxslt generic error sink of a worker: their messages have no
 * place in a batch's log (the pipeline reports through diagnostics); an
 * allocation failure is noted. */
static void worker_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    if (msg && strstr(msg, "emory"))
        worker_oom = 1;
}

typedef struct {
    int (*next)(lsu_file *f, void *ctx); /* a later hook (school store), or NULL */
    void *next_ctx;
} worker_hook;

/* After the pipeline: a file whose school cannot be read gets BAT005;
 * then the next hook, if any.  0, or the next hook's -1. */
static int worker_after_pipeline(lsu_file *f, void *ctx)
{
    const worker_hook *h = ctx;
    if (!lsu_uai_valid(f->uai)) {
        lsu_diag_add(&f->diags, DIAG_BAT005, 0, NULL,
                     "L'UAI de l'école n'a pas pu être lu%s%s%s : les rapports de ce fichier sont rangés dans le "
                     "dossier " LSU_BATCH_NO_UAI ".",
                     f->uai ? " (« " : "", f->uai ? f->uai : "", f->uai ? " »)" : "");
        lsu_diag_sort(&f->diags);
    }
    return h->next ? h->next(f, h->next_ctx) : 0;
}

/* "CODE:n CODE:n" of the file's diagnostics, by code; caller frees. */
static char *code_counts(const lsu_file *f)
{
    size_t counts[DIAG_COUNT] = {0};
    for (size_t i = 0; i < f->diags.len; i++)
        counts[f->diags.items[i].code]++;
    lsu_buf b = {0};
    lsu_buf_puts(&b, "");
    /* catalogue order is not code order: sort by the code text */
    int order[DIAG_COUNT];
    int n = 0;
    for (int c = 0; c < DIAG_COUNT; c++)
        if (counts[c])
            order[n++] = c;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(lsu_code_lookup((lsu_code)order[j - 1])->code,
                                        lsu_code_lookup((lsu_code)order[j])->code) > 0;
             j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int i = 0; i < n; i++)
        lsu_buf_printf(&b, "%s%s:%zu", i ? " " : "", lsu_code_lookup((lsu_code)order[i])->code, counts[order[i]]);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* VmPeak of this process in bytes (0 when unknown). */
static long long vm_peak(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long long kb = 0;
    while (fp && fgets(line, sizeof line, fp))
        if (strncmp(line, "VmPeak:", 7) == 0)
            kb = strtoll(line + 7, NULL, 10);
    if (fp)
        fclose(fp);
    return kb * 1024;
}

/* Developer's fault hooks for the tests: LSU_FAULT=crash:TEXT kills the
 * worker of every file whose path holds TEXT (SIGABRT), LSU_FAULT=hang:TEXT makes it
 * sleep until the timeout. */
static void worker_faults(const char *path)
{
    const char *fault = getenv("LSU_FAULT");
    if (!fault)
        return;
    /* SIGABRT, as a failed assertion: sanitizers leave it alone */
    if (strncmp(fault, "crash:", 6) == 0 && strstr(path, fault + 6))
        raise(SIGABRT);
    if (strncmp(fault, "hang:", 5) == 0 && strstr(path, fault + 5))
        for (;;)
            pause();
}

/* The worker of one export, in the forked child: bounds itself, runs the
 * export through the chain into a staging folder, moves the outputs into
 * OUT/<UAI>/, then writes the result record.  Takes full_path (the
 * export's path, freed here).  Never returns: _exit(0) when the record is
 * written, 1 otherwise; the file's trees are left to the system at exit, as
 * the last file of lsu run's is. */
static _Noreturn void worker_main(const lsu_batch_options *a, lsu_runtime *rt, const batch_item *it, char *full_path)
{
    if (a->max_memory > 0 && !SANITIZED) {
        struct rlimit rl = {(rlim_t)a->max_memory, (rlim_t)a->max_memory};
        setrlimit(RLIMIT_AS, &rl);
    }
    if (a->timeout > 0) {
        /* CPU time: a backstop of the parent's wall-clock bound */
        struct rlimit rl = {(rlim_t)a->timeout + 1, (rlim_t)a->timeout + 2};
        setrlimit(RLIMIT_CPU, &rl);
    }
    xmlSetGenericErrorFunc(NULL, worker_generic_error);
    xsltSetGenericErrorFunc(NULL, worker_generic_error);
    worker_faults(it->path);

    char *staging = lsu_asprintf("%s/" STATE_DIR "/tmp/%s", a->out, it->stem);
    if (!staging || remove_tree(staging) != 0 || lsu_mkdir_p(staging) != 0)
        _exit(1);
    lsu_file *f = lsu_file_new(full_path);
    free(full_path);
    kept_file = f;
    if (!f)
        _exit(1);
    worker_hook hook = {0};
    /* with --data, the export is imported into its school's store, as
     * lsu import does: the settings rules, then the accepted bilans stored */
    lsu_import_ctx store = {.data_dir = a->data};
    if (a->data) {
        hook.next = lsu_import_hook;
        hook.next_ctx = &store;
    }
    lsu_buf report_json = {0};
    lsu_job_options jo = {.output_dir = staging,
                          .write_reports = 1,
                          .edit = 1,
                          .quiet = 1,
                          .release_normalised = a->data == NULL, /* the store reads it after the report */
                          .opt = a->opt,
                          .edit_opt = a->edit,
                          .render = a->render,
                          .after_pipeline = worker_after_pipeline,
                          .ctx = &hook};
    lsu_buf text = {0};
    lsu_job_result res;
    lsu_job_run(f, rt, &jo, it->stem, &text, a->data ? &report_json : NULL, &res);
    if (a->data) {
        lsu_buf report_text = {0}; /* what the store keeps: the text as lsu import prints it */
        lsu_buf_puts(&report_text, text.data ? text.data : "");
        if (lsu_import_finish(&store, f, report_text.data, report_json.data, res.exit_status, &text) != 0) {
            res.exit_status = LSU_EXIT_INTERNAL;
            res.internal_error = 1;
        }
        lsu_buf_free(&report_text);
        lsu_import_ctx_free(&store);
    }
    lsu_buf_free(&report_json);

    lsu_batch_record r = {0};
    r.path = strdup(it->path);
    r.stem = strdup(it->stem);
    r.uai = strdup(lsu_uai_valid(f->uai) ? f->uai : LSU_BATCH_NO_UAI);
    r.input = strdup(it->input);
    r.status = res.exit_status;
    r.traites = res.traites;
    r.importes = res.importes;
    r.avec_alertes = res.avec_alertes;
    r.rejetes = res.rejetes;
    r.file_rejected = res.file_rejected;
    r.pdfs = res.edited.pdfs;
    r.zips = res.edited.zips;
    r.codes = code_counts(f);
    if (!r.path || !r.stem || !r.uai || !r.input || !r.codes)
        _exit(1);
    int out_of_memory =
        a->max_memory > 0 && res.internal_error &&
        (worker_oom || (text.data && strstr(text.data, "mémoire insuffisante")) || vm_peak() > a->max_memory / 10 * 8);
    for (size_t i = 0; !out_of_memory && a->max_memory > 0 && res.internal_error && i < f->diags.len; i++)
        out_of_memory = f->diags.items[i].code == DIAG_INT001 && strstr(f->diags.items[i].message, "émoire");
    if (out_of_memory) {
        r.failure = strdup("BAT002");
        r.message = lsu_asprintf("Le traitement a dépassé la mémoire maximale (--max-memory %lld Mo) : arrêté, aucun "
                                 "rapport n'a été écrit pour ce fichier.",
                                 a->max_memory / (1024LL * 1024));
        r.status = LSU_EXIT_WORKER_FAILED;
        r.traites = r.importes = r.avec_alertes = r.rejetes = r.pdfs = r.zips = 0;
        r.file_rejected = 0;
        free(r.codes);
        r.codes = strdup("");
    } else {
        char *dest = lsu_asprintf("%s/%s", a->out, r.uai);
        if (!dest || move_outputs(staging, dest, it->stem) != 0) {
            r.status = LSU_EXIT_INTERNAL;
            lsu_buf_printf(&text, "lsu: %s : les sorties n'ont pas pu être rangées dans %s : %s\n", it->path,
                           dest ? dest : "?", lsu_strerror_fr(errno));
        }
        free(dest);
        /* a previous content of this export that named another school */
        lsu_batch_record old;
        char *rp = record_path(a->out, it->stem);
        if (rp && record_read(rp, &old) == 0) {
            if (strcmp(old.uai, r.uai) != 0) {
                char *olddir = lsu_asprintf("%s/%s", a->out, old.uai);
                if (olddir)
                    remove_outputs(olddir, it->stem);
                free(olddir);
            }
            lsu_batch_record_clear(&old);
        }
        free(rp);
        /* the job's own error lines ("lsu: …") travel in the record */
        if (r.status == LSU_EXIT_INTERNAL && text.data) {
            lsu_buf m = {0};
            for (char *line = text.data; line && *line;) {
                char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                if (strncmp(line, "lsu: ", 5) == 0) {
                    lsu_buf_puts(&m, m.len ? " ; " : "");
                    lsu_buf_add(&m, line + 5, len - 5);
                }
                line = nl ? nl + 1 : NULL;
            }
            r.message = m.data ? one_line(m.data) : NULL;
            lsu_buf_free(&m);
        }
    }
    remove_tree(staging);
    int rc = record_write(a->out, &r);
    lsu_batch_record_clear(&r);
    lsu_buf_free(&text);
    free(staging);
    _exit(rc == 0 ? 0 : 1);
}

/* ------------------------------------------------------------------ */
/* The inbox                                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    char **items;
    size_t len, cap;
} str_list;

/* Appends an owned string; 0 or -1. */
static int list_add(str_list *l, char *s)
{
    if (!s)
        return -1;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            free(s);
            return -1;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = s;
    return 0;
}

static void list_free(str_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Ends in ".xml", any case. */
static int is_xml_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

/* Adds the exports under root/rel (rel "" for the inbox itself) to l,
 * skipping hidden entries and the folder `skip` (the output folder when it
 * lies inside the inbox).  A subfolder that cannot be read is said on err,
 * counted in *unreadable and skipped: the rest of the inbox goes on.  0, or
 * -1 with errno (the inbox itself unreadable, or memory). */
static int list_inbox(const char *root, const char *rel, const char *skip, int depth, str_list *l, FILE *err,
                      size_t *unreadable)
{
    char *dir = rel[0] ? lsu_asprintf("%s/%s", root, rel) : strdup(root);
    if (!dir)
        return -1;
    DIR *d = opendir(dir);
    if (!d) {
        if (depth > 0) {
            fprintf(err, "lsu: %s : dossier illisible (%s) : ses exports ne sont pas traités\n", dir,
                    lsu_strerror_fr(errno));
            ++*unreadable;
        }
        free(dir);
        return depth > 0 ? 0 : -1;
    }
    int rc = 0;
    const struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = lsu_asprintf("%s/%s", dir, e->d_name);
        char *sub = rel[0] ? lsu_asprintf("%s/%s", rel, e->d_name) : strdup(e->d_name);
        struct stat st;
        if (!path || !sub) {
            rc = -1;
        } else if (stat(path, &st) == 0) {
            char *real = S_ISDIR(st.st_mode) && skip ? realpath(path, NULL) : NULL;
            if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH && !(real && strcmp(real, skip) == 0)) {
                rc = list_inbox(root, sub, skip, depth + 1, l, err, unreadable);
            } else if (S_ISREG(st.st_mode) && is_xml_name(e->d_name)) {
                rc = list_add(l, sub);
                sub = NULL;
            }
            free(real);
        }
        free(path);
        free(sub);
    }
    closedir(d);
    free(dir);
    return rc;
}

/* Reads the list of --files-from (paths relative to the inbox, one a
 * line, blank lines ignored).  0, or -1 with errno. */
static int list_from_file(const char *file, str_list *l)
{
    FILE *fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, fp)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        const char *p = line;
        while (p[0] == '.' && p[1] == '/')
            p += 2;
        if (*p)
            rc = list_add(l, strdup(p));
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return rc;
}

/* strcmp for qsort on char *. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The stem of an inbox path: each '/' turned into "__" (a double
 * underscore: "0750001A/export.xml" and "0750001A_export.xml", both
 * plausible, stay apart), ".xml" dropped.  Caller frees; NULL when memory
 * ran out. */
static char *path_stem(const char *path)
{
    size_t n = strlen(path);
    if (is_xml_name(path))
        n -= 4;
    lsu_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (path[i] == '/')
            lsu_buf_puts(&b, "__");
        else
            lsu_buf_add(&b, path + i, 1);
    }
    lsu_buf_puts(&b, "");
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The options that shape the outputs, as stored in a record: an export is
 * skipped only when it ran with the same ones. */
static char *options_key(const lsu_batch_options *a)
{
    const lsu_edit_options *e = &a->edit;
    const lsu_render_options *r = &a->render;
    return lsu_asprintf("lsu=%s data=%s max-size=%lld by=%d pupil=%s class=%s level=%s wm=%d duplex=%d guardian=%d "
                        "gray=%d",
                        LSU_VERSION, a->data ? a->data : "", a->opt.max_size, (int)e->by, e->ine ? e->ine : "",
                        e->classe ? e->classe : "", e->niveau ? e->niveau : "", r->watermark, r->duplex,
                        r->per_guardian, r->grayscale);
}

/* ------------------------------------------------------------------ */
/* The scheduler                                                        */
/* ------------------------------------------------------------------ */

/* "1 traité" / "2 traités". */
static const char *plural(size_t n)
{
    return n > 1 ? "s" : "";
}

/* Prints the log line of a finished export. */
static void log_item(FILE *err, const lsu_batch_options *a, const batch_item *it, size_t done, size_t total)
{
    const lsu_batch_record *r = &it->rec;
    if (r->failure) {
        fprintf(err, "%s/%s: fatal [%s] %s\n", a->inbox, it->path, r->failure, r->message ? r->message : "");
        return;
    }
    const char *verdict = r->file_rejected ? "fichier rejeté" : r->rejetes ? "non conforme" : "conforme";
    fprintf(err, "[%zu/%zu] %s/%s → %s : %zu traité%s, %zu importé%s (%zu avec alerte%s), %zu rejeté%s, %zu PDF : %s\n",
            done, total, a->inbox, it->path, r->uai, r->traites, plural(r->traites), r->importes, plural(r->importes),
            r->avec_alertes, plural(r->avec_alertes), r->rejetes, plural(r->rejetes), r->pdfs, verdict);
    if (r->message)
        fprintf(err, "lsu: %s\n", r->message);
    if (strcmp(r->uai, LSU_BATCH_NO_UAI) == 0)
        fprintf(err,
                "%s/%s: info [BAT005] L'UAI de l'école n'a pas pu être lu : les rapports sont rangés dans "
                "%s/" LSU_BATCH_NO_UAI ".\n",
                a->inbox, it->path, a->out);
}

/* Redraws the progress bar (terminal only). */
static void progress(FILE *err, size_t done, size_t total, size_t skipped, double started)
{
    int width = 30;
    int filled = total ? (int)((double)done / (double)total * width) : width;
    double elapsed = now_seconds() - started;
    size_t ran = done > skipped ? done - skipped : 0;
    fprintf(err, "\r\033[K[");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', err);
    fprintf(err, "] %zu/%zu fichiers", done, total);
    if (ran > 0 && done < total) {
        long left = (long)(elapsed / (double)ran * (double)(total - done) + 0.5);
        if (left >= 60)
            fprintf(err, ", reste ≈ %ld min %02ld s", left / 60, left % 60);
        else
            fprintf(err, ", reste ≈ %ld s", left);
    }
    fflush(err);
}

/* Fills the failure record of an export whose worker gave no result. */
static void fail_item(batch_item *it, const char *out, const char *code, char *message)
{
    lsu_batch_record old;
    char *rp = record_path(out, it->stem);
    int had = rp && record_read(rp, &old) == 0;
    free(rp);
    lsu_batch_record *r = &it->rec;
    lsu_batch_record_clear(r);
    r->path = lsu_strdup_or_null(it->path);
    r->stem = lsu_strdup_or_null(it->stem);
    /* the school of the export's last result, when there is one */
    r->uai = strdup(had ? old.uai : LSU_BATCH_NO_UAI);
    r->input = strdup(it->input);
    r->codes = strdup("");
    r->status = LSU_EXIT_WORKER_FAILED;
    r->failure = strdup(code);
    r->message = message;
    if (had)
        lsu_batch_record_clear(&old);
}

/* What a reaped worker came to: reads its record, or makes the failure
 * record (BAT001 time, BAT003 crash) and stores it so that the summary
 * shows it and the next run retries the export. */
static void finish_item(const lsu_batch_options *a, batch_item *it, int wstatus, int timed_out)
{
    char *rp = record_path(a->out, it->stem);
    if (!timed_out && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && rp && record_read(rp, &it->rec) == 0) {
        free(rp);
        return;
    }
    free(rp);
    if (timed_out)
        fail_item(it, a->out, "BAT001",
                  lsu_asprintf("Le traitement a dépassé la durée maximale (--timeout %ld s) : arrêté, aucun rapport "
                               "n'a été écrit pour ce fichier.",
                               a->timeout));
    else if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGXCPU)
        fail_item(it, a->out, "BAT001",
                  lsu_asprintf("Le traitement a dépassé le temps de calcul permis (%ld s) : arrêté, aucun rapport "
                               "n'a été écrit pour ce fichier.",
                               a->timeout));
    else if (WIFSIGNALED(wstatus))
        fail_item(it, a->out, "BAT003",
                  lsu_asprintf("Le processus de traitement s'est arrêté sur le signal SIG%s%s : aucun rapport n'a "
                               "été écrit pour ce fichier.",
                               sigabbrev_np(WTERMSIG(wstatus)) ? sigabbrev_np(WTERMSIG(wstatus)) : "?",
                               a->memory_given ? " (la limite de mémoire --max-memory a pu être atteinte)" : ""));
    else
        fail_item(it, a->out, "BAT003",
                  lsu_asprintf("Le processus de traitement s'est terminé (code %d) sans rendre de résultat : aucun "
                               "rapport n'a été écrit pour ce fichier.",
                               WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1));
    char *staging = lsu_asprintf("%s/" STATE_DIR "/tmp/%s", a->out, it->stem);
    if (staging)
        remove_tree(staging);
    free(staging);
    if (record_write(a->out, &it->rec) != 0)
        it->rec.status = LSU_EXIT_INTERNAL;
}

/* Runs the workers of the queued items, at most a->jobs at once, each
 * killed past a->timeout seconds.  Prints log lines or the progress bar.
 * Returns 0, or -1 when a worker could not be started at all. */
static int run_workers(const lsu_batch_options *a, lsu_runtime *rt, batch_item *items, size_t n, FILE *err,
                       size_t skipped, long *peak_kb)
{
    int tty = isatty(fileno(err));
    double started = now_seconds();
    size_t done = skipped, next = 0, running = 0;
    batch_slot *slots = calloc((size_t)a->jobs, sizeof *slots);
    if (!slots)
        return -1;
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    int rc = 0;
    fflush(err);
    if (tty)
        progress(err, done, n, skipped, started);
    while (rc == 0 && (next < n || running > 0)) {
        while (next < n && items[next].done)
            next++;
        while (next < n && running < (size_t)a->jobs) {
            batch_item *it = &items[next];
            char *full = lsu_asprintf("%s/%s", a->inbox, it->path);
            if (!full) {
                rc = -1;
                break;
            }
            fflush(err);
            pid_t pid = fork();
            if (pid == 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                free(slots); /* the parent's; the worker owns full */
                worker_main(a, rt, it, full);
            }
            free(full);
            if (pid < 0) {
                if (running == 0) {
                    fprintf(err, "lsu: impossible de lancer un processus de traitement : %s\n", lsu_strerror_fr(errno));
                    rc = -1;
                }
                break;
            }
            size_t s = 0;
            while (slots[s].pid)
                s++;
            slots[s] = (batch_slot){.pid = pid, .item = next};
            clock_gettime(CLOCK_MONOTONIC, &slots[s].started);
            running++;
            next++;
            while (next < n && items[next].done)
                next++;
        }
        if (running == 0)
            continue;
        /* sleep until a worker ends, a deadline passes or the bar is due */
        double wait = tty ? 0.5 : 5.0, t = now_seconds();
        for (long s = 0; s < a->jobs; s++) {
            if (!slots[s].pid || a->timeout <= 0 || slots[s].timed_out)
                continue;
            double deadline =
                (double)slots[s].started.tv_sec + (double)slots[s].started.tv_nsec / 1e9 + (double)a->timeout - t;
            if (deadline < wait)
                wait = deadline > 0.001 ? deadline : 0.001;
        }
        struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
        sigtimedwait(&chld, NULL, &ts);
        int wstatus;
        struct rusage ru;
        pid_t pid;
        while ((pid = wait4(-1, &wstatus, WNOHANG, &ru)) > 0) {
            long s = 0;
            while (s < a->jobs && slots[s].pid != pid)
                s++;
            if (s == a->jobs)
                continue;
            if (ru.ru_maxrss > *peak_kb)
                *peak_kb = ru.ru_maxrss;
            batch_item *it = &items[slots[s].item];
            finish_item(a, it, wstatus, slots[s].timed_out);
            it->done = 1;
            slots[s].pid = 0;
            running--;
            done++;
            if (tty) {
                if (it->rec.failure) {
                    fprintf(err, "\r\033[K");
                    log_item(err, a, it, done, n);
                }
                progress(err, done, n, skipped, started);
            } else {
                log_item(err, a, it, done, n);
            }
        }
        t = now_seconds();
        for (long s = 0; s < a->jobs && a->timeout > 0; s++) {
            double age = t - ((double)slots[s].started.tv_sec + (double)slots[s].started.tv_nsec / 1e9);
            if (slots[s].pid && !slots[s].timed_out && age >= (double)a->timeout) {
                kill(slots[s].pid, SIGKILL);
                slots[s].timed_out = 1;
            }
        }
        if (tty)
            progress(err, done, n, skipped, started);
    }
    if (tty)
        fprintf(err, "\r\033[K");
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(slots);
    return rc;
}

/* ------------------------------------------------------------------ */
/* lsu batch                                                            */
/* ------------------------------------------------------------------ */

/* Ends a run's hold on OUT: removes the staging folder when it is empty
 * (a leftover would only confuse whoever looks at OUT), then releases the
 * lock taken by open_state. */
static void close_state(const char *out, int lock_fd)
{
    char *tmp = lsu_asprintf("%s/" STATE_DIR "/tmp", out);
    if (tmp)
        rmdir(tmp); /* fails harmlessly when something is still staged */
    free(tmp);
    close(lock_fd);
}

/* Takes the lock of OUT (one batch or merge at a time) and makes the
 * state folders, wiping what an interrupted run left: staging folders and
 * the temporary files of records and of the summary.
 * Returns the lock's descriptor (kept open until exit), or -1 (said). */
static int open_state(const char *out, FILE *err)
{
    char *results = lsu_asprintf("%s/" STATE_DIR "/results", out);
    char *tmp = lsu_asprintf("%s/" STATE_DIR "/tmp", out);
    char *lock = lsu_asprintf("%s/" STATE_DIR "/lock", out);
    int fd = -1;
    if (!results || !tmp || !lock) {
        fprintf(err, "lsu: mémoire insuffisante\n");
    } else if (lsu_mkdir_p(results) != 0) {
        fprintf(err, "lsu: %s : création du dossier impossible : %s\n", results, lsu_strerror_fr(errno));
    } else if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        fprintf(err, "lsu: %s : %s\n", lock, lsu_strerror_fr(errno));
    } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(err, "lsu: %s : un autre lsu batch ou lsu merge écrit déjà dans ce dossier\n", out);
        close(fd);
        fd = -1;
    } else if (remove_tree(tmp) != 0 || lsu_mkdir_p(tmp) != 0) {
        fprintf(err, "lsu: %s : %s\n", tmp, lsu_strerror_fr(errno));
        close(fd);
        fd = -1;
    } else {
        /* a run killed while it wrote a record or the summary left its
         * temporary file: the lock says no one is writing them now */
        lsu_remove_atomic_leftovers(results, "", ".txt");
        lsu_remove_atomic_leftovers(out, "academie.", "");
    }
    free(results);
    free(tmp);
    free(lock);
    return fd;
}

/* Builds the list of exports of the inbox with their stems and input
 * keys, marking those already processed (unless --force).  Returns the
 * array (caller frees items and array), or NULL with *status set. */
static batch_item *collect_items(const lsu_batch_options *a, size_t *n, size_t *skipped, size_t *unreadable, FILE *err,
                                 int *status)
{
    str_list paths = {0};
    char *real_out = realpath(a->out, NULL);
    int rc = a->files_from ? list_from_file(a->files_from, &paths)
                           : list_inbox(a->inbox, "", real_out, 0, &paths, err, unreadable);
    free(real_out);
    if (rc != 0) {
        fprintf(err, "lsu: %s : lecture impossible : %s\n", a->files_from ? a->files_from : a->inbox,
                lsu_strerror_fr(errno));
        list_free(&paths);
        *status = LSU_EXIT_USAGE;
        return NULL;
    }
    if (paths.len)
        qsort(paths.items, paths.len, sizeof *paths.items, cmp_str);
    batch_item *items = calloc(paths.len + 1, sizeof *items);
    char *opts = options_key(a);
    if (!items || !opts) {
        free(items);
        free(opts);
        list_free(&paths);
        *status = LSU_EXIT_INTERNAL;
        return NULL;
    }
    *skipped = 0;
    size_t k = 0;
    for (size_t i = 0; i < paths.len; i++) {
        if (k > 0 && strcmp(paths.items[i], items[k - 1].path) == 0)
            continue; /* listed twice in --files-from */
        batch_item *it = &items[k++];
        it->path = paths.items[i];
        paths.items[i] = NULL;
        /* stems collide only for odd names ("a/b.xml" and "a__b.xml"): a
         * suffix by listing order keeps them apart */
        char *stem = path_stem(it->path);
        for (int s = 2; stem; s++) {
            int clash = 0;
            for (size_t j = 0; j + 1 < k && !clash; j++)
                clash = strcmp(items[j].stem, stem) == 0;
            if (!clash)
                break;
            free(stem);
            char *base = path_stem(it->path);
            stem = base ? lsu_asprintf("%s-%d", base, s) : NULL;
            free(base);
        }
        it->stem = stem;
        char *full = lsu_asprintf("%s/%s", a->inbox, it->path);
        char hash[65] = "";
        if (full)
            lsu_sha256_file_hex(full, hash);
        free(full);
        it->input = lsu_asprintf("%s %s", hash[0] ? hash : "illisible", opts);
        if (!it->stem || !it->input) {
            *status = LSU_EXIT_INTERNAL;
            break;
        }
        lsu_batch_record old;
        char *rp = record_path(a->out, it->stem);
        if (!a->force && hash[0] && rp && record_read(rp, &old) == 0) {
            if (!old.failure && old.input && strcmp(old.input, it->input) == 0 && strcmp(old.path, it->path) == 0) {
                it->rec = old;
                it->rec.skipped = 1;
                it->done = 1;
                ++*skipped;
            } else {
                lsu_batch_record_clear(&old);
            }
        }
        free(rp);
    }
    free(opts);
    list_free(&paths);
    *n = k;
    return items;
}

/* See batch.h: the defaults of lsu batch (10 min, 4 GiB, one worker a
 * core, the input cap of lsu run), everything else zero. */
void lsu_batch_options_init(lsu_batch_options *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (lsu_batch_options){.jobs = cores > 0 ? cores : 1,
                             .timeout = DEFAULT_TIMEOUT,
                             .max_memory = DEFAULT_MAX_MEMORY,
                             .opt = {.max_size = LSU_DEFAULT_MAX_SIZE}};
}

/* See batch.h: lsu batch once its arguments are parsed.  An inbox that is
 * not a folder is a usage error the caller says (LSU_EXIT_USAGE here,
 * silently). */
int lsu_batch_run(const lsu_batch_options *arg, FILE *err)
{
    lsu_batch_options a = *arg;
    int status;
    struct stat st;
    if (stat(a.inbox, &st) != 0 || !S_ISDIR(st.st_mode))
        return LSU_EXIT_USAGE;
    if (lsu_mkdir_p(a.out) != 0) {
        fprintf(err, "lsu: %s : création du dossier impossible : %s\n", a.out, lsu_strerror_fr(errno));
        return LSU_EXIT_INTERNAL;
    }
    int lock = open_state(a.out, err);
    if (lock < 0)
        return LSU_EXIT_INTERNAL;
    double started = now_seconds();
    size_t n = 0, skipped = 0, unreadable = 0;
    status = LSU_EXIT_OK;
    batch_item *items = collect_items(&a, &n, &skipped, &unreadable, err, &status);
    kept_items = items;
    lsu_runtime rt;
    memset(&rt, 0, sizeof rt);
    long peak_kb = 0;
    if (items && status == LSU_EXIT_OK) {
        if (!isatty(fileno(err)))
            for (size_t i = 0; i < n; i++)
                if (items[i].rec.skipped)
                    fprintf(err,
                            "%s/%s: info [BAT004] Export déjà traité avec le même contenu et les mêmes options : "
                            "ignoré (--force pour le retraiter).\n",
                            a.inbox, items[i].path);
        /* compiled once here, shared by every forked worker */
        if (skipped < n && lsu_runtime_init(&rt) != 0) {
            fprintf(err, "lsu: erreur interne : %s\n", rt.error ? rt.error : "?");
            status = LSU_EXIT_INTERNAL;
        } else if (skipped < n && run_workers(&a, &rt, items, n, err, skipped, &peak_kb) != 0) {
            status = LSU_EXIT_INTERNAL;
        }
    }
    if (items && status == LSU_EXIT_OK) {
        lsu_batch_record *records = calloc(n + 1, sizeof *records);
        if (!records) {
            status = LSU_EXIT_INTERNAL;
        } else {
            for (size_t i = 0; i < n; i++) {
                records[i] = items[i].rec;
                if (records[i].status > status)
                    status = records[i].status;
            }
            if (n == 0)
                fprintf(err, "lsu: %s : aucun export (*.xml) trouvé\n", a.inbox);
            if (skipped)
                fprintf(err, "%zu export%s déjà traité%s, ignoré%s (BAT004).\n", skipped, plural(skipped),
                        plural(skipped), plural(skipped));
            if (lsu_summary_write(a.out, records, n, err) != 0)
                status = LSU_EXIT_INTERNAL;
            /* exports in an unreadable folder were not processed */
            if (unreadable && status < LSU_EXIT_WORKER_FAILED)
                status = LSU_EXIT_WORKER_FAILED;
            free(records);
        }
        if (a.stats)
            fprintf(err, "Durée : %.1f s ; mémoire maximale d'un processus de traitement : %ld Mo ; %ld à la fois.\n",
                    now_seconds() - started, peak_kb / 1024, a.jobs);
    }
    for (size_t i = 0; items && i < n; i++) {
        free(items[i].path);
        free(items[i].stem);
        free(items[i].input);
        lsu_batch_record_clear(&items[i].rec);
    }
    free(items);
    lsu_runtime_free(&rt);
    close_state(a.out, lock);
    return status;
}

/* ------------------------------------------------------------------ */
/* lsu merge                                                            */
/* ------------------------------------------------------------------ */

/* Puts a copy of the file `from` at `to` through a temporary name: a hard
 * link when both are on one file system (no bytes copied), a copy
 * otherwise.  0 or -1. */
static int link_or_copy(const char *from, const char *to)
{
    char *tmp = lsu_asprintf("%s.tmp.lien", to);
    if (!tmp)
        return -1;
    unlink(tmp);
    int rc = link(from, tmp);
    if (rc == 0) {
        rc = rename(tmp, to);
    } else {
        FILE *fp = fopen(from, "rb");
        lsu_buf b = {0};
        char buf[65536];
        size_t n;
        while (fp && (n = fread(buf, 1, sizeof buf, fp)) > 0)
            lsu_buf_add(&b, buf, n);
        rc = !fp || ferror(fp) || b.failed ? -1 : lsu_write_file_atomic(to, b.data ? b.data : "", b.len);
        if (fp)
            fclose(fp);
        lsu_buf_free(&b);
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* Copies the tree `from` into `to` (created) with link_or_copy. */
static int copy_tree(const char *from, const char *to)
{
    struct stat st;
    if (stat(from, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return link_or_copy(from, to);
    if (lsu_mkdir_p(to) != 0)
        return -1;
    DIR *d = opendir(from);
    if (!d)
        return -1;
    int rc = 0;
    const struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *f = lsu_asprintf("%s/%s", from, e->d_name);
        char *t = lsu_asprintf("%s/%s", to, e->d_name);
        rc = f && t ? copy_tree(f, t) : -1;
        free(f);
        free(t);
    }
    closedir(d);
    return rc;
}

/* Brings one shard's export (record r) into out: its outputs staged then
 * moved as a worker does, then its record.  0, or -1 (said on err). */
static int merge_one(const char *out, const char *shard, const lsu_batch_record *r, FILE *err)
{
    char *staging = lsu_asprintf("%s/" STATE_DIR "/tmp/%s", out, r->stem);
    char *dest = lsu_asprintf("%s/%s", out, r->uai);
    int rc = staging && dest && remove_tree(staging) == 0 && lsu_mkdir_p(staging) == 0 ? 0 : -1;
    static const char *const ext[] = {".rapport.html", ".rapport.json", ".rapport.csv", ""};
    for (size_t i = 0; i < sizeof ext / sizeof *ext && rc == 0 && !r->failure; i++) {
        char *from = lsu_asprintf("%s/%s/%s%s", shard, r->uai, r->stem, ext[i]);
        char *to = lsu_asprintf("%s/%s%s", staging, r->stem, ext[i]);
        struct stat st;
        if (!from || !to)
            rc = -1;
        else if (stat(from, &st) == 0)
            rc = copy_tree(from, to);
        free(from);
        free(to);
    }
    if (rc == 0 && !r->failure)
        rc = move_outputs(staging, dest, r->stem);
    if (rc == 0)
        rc = record_write(out, r);
    if (rc != 0)
        fprintf(err, "lsu: %s : l'export %s n'a pas pu être rassemblé dans %s : %s\n", shard, r->path, out,
                lsu_strerror_fr(errno));
    if (staging)
        remove_tree(staging);
    free(staging);
    free(dest);
    return rc;
}

/* Reads every record of the folder `dir`/.lsu-batch/results into l (a
 * growing array of records).  0, or -1 when the folder is unreadable. */
static int read_records(const char *dir, lsu_batch_record **l, size_t *n, size_t *cap)
{
    char *results = lsu_asprintf("%s/" STATE_DIR "/results", dir);
    DIR *d = results ? opendir(results) : NULL;
    if (!d) {
        free(results);
        return -1;
    }
    str_list names = {0};
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] != '.' && len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
            list_add(&names, lsu_asprintf("%s/%s", results, e->d_name));
    }
    closedir(d);
    free(results);
    if (names.len)
        qsort(names.items, names.len, sizeof *names.items, cmp_str);
    for (size_t i = 0; i < names.len; i++) {
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 64;
            lsu_batch_record *g = realloc(*l, c * sizeof *g);
            if (!g)
                break;
            *l = g;
            *cap = c;
        }
        if (record_read(names.items[i], &(*l)[*n]) == 0)
            ++*n;
    }
    list_free(&names);
    return 0;
}

/* See batch.h: lsu merge once its arguments are parsed (the CLI says its
 * usage errors). */
int lsu_batch_merge(const char *dest, const char *const *shards, size_t nshards, FILE *err)
{
    if (lsu_mkdir_p(dest) != 0) {
        fprintf(err, "lsu: %s : création du dossier impossible : %s\n", dest, lsu_strerror_fr(errno));
        return LSU_EXIT_INTERNAL;
    }
    int lock = open_state(dest, err);
    if (lock < 0)
        return LSU_EXIT_INTERNAL;
    int status = LSU_EXIT_OK;
    char *real_dest = realpath(dest, NULL);
    for (size_t s = 0; s < nshards && status == LSU_EXIT_OK; s++) {
        lsu_batch_record *recs = NULL;
        size_t n = 0, cap = 0;
        char *real = realpath(shards[s], NULL);
        int same = real && real_dest && strcmp(real, real_dest) == 0;
        free(real);
        if (read_records(shards[s], &recs, &n, &cap) != 0) {
            fprintf(err, "lsu: %s : pas un dossier de lsu batch (%s/" STATE_DIR "/results illisible)\n", shards[s],
                    shards[s]);
            status = LSU_EXIT_USAGE;
        }
        for (size_t i = 0; i < n; i++) {
            if (!same && status == LSU_EXIT_OK && merge_one(dest, shards[s], &recs[i], err) != 0)
                status = LSU_EXIT_INTERNAL;
            lsu_batch_record_clear(&recs[i]);
        }
        free(recs);
    }
    free(real_dest);
    if (status == LSU_EXIT_OK) {
        lsu_batch_record *recs = NULL;
        size_t n = 0, cap = 0;
        read_records(dest, &recs, &n, &cap);
        for (size_t i = 0; i < n; i++)
            if (recs[i].status > status)
                status = recs[i].status;
        if (lsu_summary_write(dest, recs, n, err) != 0)
            status = LSU_EXIT_INTERNAL;
        for (size_t i = 0; i < n; i++)
            lsu_batch_record_clear(&recs[i]);
        free(recs);
    }
    close_state(dest, lock);
    return status;
}
