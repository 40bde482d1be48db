/* The worker of lsu batch: the forked process that runs one export
 * through the whole chain (job.c) under its memory and CPU bounds, moves
 * its outputs into OUT/<UAI>/ and writes its result record.  Also the move
 * of outputs into place, which lsu merge shares. */
#include "batch/batch_int.h"
#include "import/nomenclature.h"
#include "job/job.h"
#include "school/school.h"

#include <errno.h>
#include <libxslt/xsltutils.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

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
/* Moving outputs into place                                            */
/* ------------------------------------------------------------------ */

/* Removes the outputs of `stem` from the school folder `dir`. */
static void remove_outputs(const char *dir, const char *stem)
{
    static const char *const ext[] = {".rapport.html", ".rapport.json", ".rapport.csv", ""};
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        char *p = lsu_asprintf("%s/%s%s", dir, stem, ext[i]);
        if (p)
            lsu_remove_tree(p);
        free(p);
    }
}

/* Moves the outputs of `stem` from the staging folder `staging` into the
 * school folder `dest` (created): each report file by one rename over its
 * final name, the zip folder by swapping whole folders, so that a final
 * name always holds a complete file.  A zip folder left from an earlier
 * run of the same export goes when this run made none.  0, or -1. */
int batch_move_outputs(const char *staging, const char *dest, const char *stem)
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
        lsu_remove_tree(old);
        if ((rename(to, old) != 0 && errno != ENOENT) || rename(from, to) != 0)
            rc = -1;
        lsu_remove_tree(old);
    } else {
        lsu_remove_tree(to);
    }
    free(from);
    free(to);
    free(old);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The worker                                                           */
/* ------------------------------------------------------------------ */

/* A worker ends with _exit and leaves what it holds (the export's trees)
 * to the system, as lsu run does with its last file.  This pointer keeps
 * them reachable, so that leak checkers (make valgrind) count none of it
 * (batch.c keeps the list of exports the worker inherited). */
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
        counts[f->diags.items[i].code] += f->diags.items[i].omitted ? f->diags.items[i].omitted : 1;
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
_Noreturn void batch_worker_main(const lsu_batch_options *a, lsu_runtime *rt, const batch_item *it, char *full_path)
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
    if (!staging || lsu_remove_tree(staging) != 0 || lsu_mkdir_p(staging) != 0)
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
                          .schools = a->schools,
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
        if (!dest || batch_move_outputs(staging, dest, it->stem) != 0) {
            r.status = LSU_EXIT_INTERNAL;
            lsu_buf_printf(&text, "lsu: %s : les sorties n'ont pas pu être rangées dans %s : %s\n", it->path,
                           dest ? dest : "?", lsu_strerror_fr(errno));
        }
        free(dest);
        /* a previous content of this export that named another school */
        lsu_batch_record old;
        char *rp = batch_record_path(a->out, it->stem);
        if (rp && batch_record_read(rp, &old) == 0) {
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
    lsu_remove_tree(staging);
    int rc = batch_record_write(a->out, &r);
    lsu_batch_record_clear(&r);
    lsu_buf_free(&text);
    free(staging);
    _exit(rc == 0 ? 0 : 1);
}
