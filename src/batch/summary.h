/* The académie summary of a batch (summary.c), written by lsu batch and
 * lsu merge from the result records. */
#ifndef LSU_BATCH_SUMMARY_H
#define LSU_BATCH_SUMMARY_H

#include "batch/record.h"
#include "school/schools.h"

#include <stdio.h>

/* Writes the académie summary of `n` records (any order) under out_dir:
 * academie.html, academie.json, academie.csv, and the one-screen summary
 * to `err`; `list` (the académie's list of schools, NULL: none) names
 * each school and its commune.  Returns 0, or -1 when a file could not be written (said on
 * err). */
int lsu_summary_write(const char *out_dir, lsu_batch_record *records, size_t n, const lsu_school_list *list, FILE *err);

#endif
