/* The scheduler of lsu batch: forks the workers, at most N at once, kills
 * those past the timeout, reaps them into results (or failure records),
 * and writes the run's log lines or its progress bar. */
#include "batch/batch_int.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A running worker. */
typedef struct {
    pid_t pid;
    size_t item;
    struct timespec started;
    int timed_out;
} batch_slot;

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
    char *rp = batch_record_path(out, it->stem);
    int had = rp && batch_record_read(rp, &old) == 0;
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
    char *rp = batch_record_path(a->out, it->stem);
    if (!timed_out && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && rp && batch_record_read(rp, &it->rec) == 0) {
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
        lsu_remove_tree(staging);
    free(staging);
    if (batch_record_write(a->out, &it->rec) != 0)
        it->rec.status = LSU_EXIT_INTERNAL;
}

/* Runs the workers of the queued items, at most a->jobs at once, each
 * killed past a->timeout seconds.  Prints log lines or the progress bar.
 * Returns 0, or -1 when a worker could not be started at all. */
int batch_run_workers(const lsu_batch_options *a, lsu_runtime *rt, batch_item *items, size_t n, FILE *err,
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
                batch_worker_main(a, rt, it, full);
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
