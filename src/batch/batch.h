/* The nightly batch over a whole académie (`lsu batch`) and the merge of
 * the shards of a batch spread over several machines (`lsu merge`).
 *
 * Every export found under the inbox runs through the whole chain (job.c)
 * in a forked worker process, at most N at once; each worker bounds its own
 * memory and CPU time, the parent bounds its wall-clock time.  The parent
 * never parses XML: it lists, hashes, schedules, and reads back the small
 * result record each worker writes atomically.
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

#include "base/util.h"

#include <stdio.h>

/* Folder of the exports whose school (UAI) could not be read. */
#define LSU_BATCH_NO_UAI "_sans-uai"

/* What one export came to, as stored in its result record. */
typedef struct {
    char *path;  /* inside the inbox, as listed ("0750001A/export.xml") */
    char *stem;  /* name of its outputs */
    char *uai;   /* folder under OUT: a UAI or LSU_BATCH_NO_UAI */
    char *input; /* SHA-256 of the content, then the options it ran with */
    int status;  /* lsu_exit of this file, LSU_EXIT_WORKER_FAILED on a failure */
    size_t traites, importes, avec_alertes, rejetes;
    int file_rejected;
    size_t pdfs, zips;
    char *codes;   /* "REG010:3 XSD005:1": diagnostics by code, sorted by code */
    char *failure; /* BAT code when the worker failed, else NULL */
    char *message; /* French message of the failure, else NULL */
    int skipped;   /* not stored: already processed with the same content */
} lsu_batch_record;

/* Frees the strings of a record (not the record itself). */
void lsu_batch_record_clear(lsu_batch_record *r);

/* Writes the académie summary of `n` records (any order) under out_dir:
 * academie.html, academie.json, academie.csv, and the one-screen summary
 * to `err`.  Returns 0, or -1 when a file could not be written (said on
 * err).  summary.c. */
int lsu_summary_write(const char *out_dir, lsu_batch_record *records, size_t n, FILE *err);

/* `lsu batch INBOX -o OUT …` and `lsu merge -o OUT SHARD…`: argv holds the
 * arguments after the command name.  Return the exit status. */
int lsu_cmd_batch(int argc, char **argv, FILE *out, FILE *err);
int lsu_cmd_merge(int argc, char **argv, FILE *out, FILE *err);

#endif
