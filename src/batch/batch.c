/* lsu batch once its arguments are parsed (see batch.h): the options'
 * defaults, the hold on OUT (lock and state folders), and the run itself:
 * list the inbox, run the workers, write the académie summary.  The parts
 * live beside it: record.c, inbox.c, worker.c, scheduler.c, merge.c,
 * summary.c; what they share is in batch_int.h. */
#include "batch/batch_int.h"
#include "batch/summary.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT 600
#define DEFAULT_MAX_MEMORY (4LL * 1024 * 1024 * 1024)

/* A worker ends with _exit and leaves the parent's list of exports it
 * inherited to the system.  This pointer keeps it reachable, so that leak
 * checkers (make valgrind) count none of it. */
static batch_item *volatile kept_items;

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

/* Ends a run's hold on OUT: removes the staging folder when it is empty
 * (a leftover would only confuse whoever looks at OUT), then releases the
 * lock taken by batch_open_state. */
void batch_close_state(const char *out, int lock_fd)
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
int batch_open_state(const char *out, FILE *err)
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
    } else if (lsu_remove_tree(tmp) != 0 || lsu_mkdir_p(tmp) != 0) {
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
    int lock = batch_open_state(a.out, err);
    if (lock < 0)
        return LSU_EXIT_INTERNAL;
    double started = now_seconds();
    size_t n = 0, skipped = 0, unreadable = 0;
    status = LSU_EXIT_OK;
    batch_item *items = batch_collect_items(&a, &n, &skipped, &unreadable, err, &status);
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
        } else if (skipped < n && batch_run_workers(&a, &rt, items, n, err, skipped, &peak_kb) != 0) {
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
            /* an empty inbox is an error cron sees: an unmounted share must
             * not pass for a quiet night */
            if (n == 0) {
                fprintf(err, "lsu: %s : aucun export (*.xml) trouvé (partage non monté ? boîte vide ?)\n", a.inbox);
                status = LSU_EXIT_WORKER_FAILED;
            }
            if (skipped)
                fprintf(err, "%zu export%s déjà traité%s, ignoré%s (BAT004).\n", skipped, plural(skipped),
                        plural(skipped), plural(skipped));
            if (lsu_summary_write(a.out, records, n, a.schools, err) != 0)
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
    batch_close_state(a.out, lock);
    return status;
}
