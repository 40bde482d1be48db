/* The commands lsu batch and lsu merge (cmd_batch.c), dispatched from
 * cli.c: their arguments parsed, the run left to batch/batch.h. */
#ifndef LSU_CMD_BATCH_H
#define LSU_CMD_BATCH_H

#include <stdio.h>

/* `lsu batch INBOX -o OUT …` and `lsu merge -o OUT SHARD…`: argv holds the
 * arguments after the command name.  Return the exit status. */
int lsu_cmd_batch(int argc, char **argv, FILE *out, FILE *err);
int lsu_cmd_merge(int argc, char **argv, FILE *out, FILE *err);

#endif
