/* The nightly batch over a whole académie (`lsu batch`) and the merge of
 * the shards of a batch spread over several machines (`lsu merge`).
 *
 * Every export found under the inbox runs through the whole chain (job.c)
 * in a forked worker process, at most N at once; each worker bounds its own
 * memory and CPU time, the parent bounds its wall-clock time.  The parent
 * never parses XML: it lists, hashes, schedules, and reads back the small
 * result record each worker writes atomically.
 *
 * This is the library half: it takes parsed options (the command line is
 * src/cli/cmd_batch.c) and writes the run's log lines, progress bar and
 * summary to the `err` it is given.
 *
 * Layout of OUT:
 *   OUT/<UAI>/STEM.rapport.{html,json,csv}, OUT/<UAI>/STEM/ (the zips)
 *   OUT/_sans-uai/…             exports whose school could not be read
 *   OUT/academie.{html,json,csv} the académie summary (summary.c)
 *   OUT/.lsu-batch/results/STEM.txt   one result record per export
 *   OUT/.lsu-batch/tmp/          workers' staging folders (wiped at start)
 *   OUT/.lsu-batch/lock          one batch at a time per OUT
 * STEM is the export's path inside the inbox, each '/' turned into "__",
 * without ".xml": unique in the inbox and the same whichever shard runs it
 * (but for names that differ only there, "a/b.xml" and "a__b.xml", where
 * the second gets "-2" by listing order). */
#ifndef LSU_BATCH_H
#define LSU_BATCH_H

#include "lsu.h"
#include "pdf/edit.h"
#include "pdf/render.h"
#include "school/schools.h"

#include <stddef.h>
#include <stdio.h>

/* What lsu batch runs with; lsu_batch_options_init sets the defaults. */
typedef struct {
    const char *inbox;              /* a folder, without a trailing '/' ("INBOX/x.xml" in messages) */
    const char *out;                /* OUT (created) */
    const char *files_from;         /* --files-from: the exports to run, one a line ("-": stdin), NULL: all the inbox */
    long jobs;                      /* workers at once (default: the cores) */
    int force;                      /* --force: rerun exports already processed */
    int stats;                      /* --stats: duration and memory peak at the end */
    long timeout;                   /* seconds */
    long long max_memory;           /* bytes, 0: no bound */
    int memory_given;               /* --max-memory on the command line */
    const char *data;               /* --data: import into the schools' stores (lsu import), NULL: check only */
    const char *schools_path;       /* --schools: the académie's list of schools (read by the caller) */
    const lsu_school_list *schools; /* that list, read: names on the bilans and in the summary; NULL: none */
    lsu_options opt;
    lsu_edit_options edit;
    lsu_render_options render;
} lsu_batch_options;

/* Sets the defaults into *o: a timeout of 600 s, 4 GiB of memory a
 * worker, one worker a core, lsu run's input cap; everything else zero. */
void lsu_batch_options_init(lsu_batch_options *o);

/* lsu batch with parsed options: every export of o->inbox run into
 * o->out, then the académie summary.  The run's log goes to err.  Returns
 * the exit status (lsu_exit): LSU_EXIT_USAGE, unsaid, when o->inbox is not
 * a folder (the caller checks and says it). */
int lsu_batch_run(const lsu_batch_options *o, FILE *err);

/* lsu merge with parsed arguments: the records and outputs of the
 * `nshards` batch folders brought into dest, then the académie summary
 * over all of dest's records, its schools named from `list` (NULL: none).
 * Returns the exit status (lsu_exit). */
int lsu_batch_merge(const char *dest, const char *const *shards, size_t nshards, const lsu_school_list *list,
                    FILE *err);

#endif
