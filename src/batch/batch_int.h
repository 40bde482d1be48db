/* What the files of lsu batch and lsu merge share, and no one else sees
 * (batch.c, record.c, inbox.c, worker.c, scheduler.c, merge.c): the state
 * folder, one export in the making, and the functions that cross files. */
#ifndef LSU_BATCH_INT_H
#define LSU_BATCH_INT_H

#include "base/util.h"
#include "batch/batch.h"
#include "batch/record.h"
#include "lsu.h"

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define STATE_DIR ".lsu-batch"

/* One export of the inbox and what became of it. */
typedef struct {
    char *path; /* inside the inbox */
    char *stem;
    char *input; /* content hash and options */
    lsu_batch_record rec;
    int done;
} batch_item;

/* A growing list of owned strings. */
typedef struct {
    char **items;
    size_t len, cap;
} str_list;

/* Seconds on the monotonic clock. */
static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "1 traité" / "2 traités". */
static inline const char *plural(size_t n)
{
    return n > 1 ? "s" : "";
}

/* record.c: the path of the record of `stem` under out (caller frees);
 * writing one atomically (0, or -1 with errno); reading one (0, or -1 when
 * absent or unreadable, r then cleared). */
char *batch_record_path(const char *out, const char *stem);
int batch_record_write(const char *out, const lsu_batch_record *r);
int batch_record_read(const char *path, lsu_batch_record *r);

/* inbox.c: a string list (add an owned string: 0 or -1; free), strcmp
 * for qsort on char *, and the exports of the run (see the function). */
int batch_list_add(str_list *l, char *s);
void batch_list_free(str_list *l);
int batch_cmp_str(const void *a, const void *b);
batch_item *batch_collect_items(const lsu_batch_options *a, size_t *n, size_t *skipped, size_t *unreadable, FILE *err,
                                int *status);

/* worker.c: the outputs of `stem` moved from staging into dest (0 or -1),
 * and the worker of one export in the forked child (never returns). */
int batch_move_outputs(const char *staging, const char *dest, const char *stem);
_Noreturn void batch_worker_main(const lsu_batch_options *a, lsu_runtime *rt, const batch_item *it, char *full_path);

/* scheduler.c: runs the workers of the items not done yet; 0, or -1 when
 * no worker could be started. */
int batch_run_workers(const lsu_batch_options *a, lsu_runtime *rt, batch_item *items, size_t n, FILE *err,
                      size_t skipped, long *peak_kb);

/* batch.c: the lock and state folders of OUT, taken (the lock's
 * descriptor, or -1, said on err) and released. */
int batch_open_state(const char *out, FILE *err);
void batch_close_state(const char *out, int lock_fd);

#endif
