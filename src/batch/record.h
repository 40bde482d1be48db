/* The result record of one export of lsu batch: what a worker stores under
 * OUT/.lsu-batch/results/STEM.txt (record.c), what lsu merge copies and
 * what the académie summary (summary.h) reads. */
#ifndef LSU_BATCH_RECORD_H
#define LSU_BATCH_RECORD_H

#include <stddef.h>

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

#endif
