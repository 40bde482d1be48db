/* The command line: the only part of lsu that prints. */
#ifndef LSU_CLI_H
#define LSU_CLI_H

#include "pdf/edit.h"
#include "pdf/render.h"

#include <stdio.h>

/* Runs one lsu command line; returns the process exit status. */
int lsu_main(int argc, char **argv, FILE *out, FILE *err);

/* For the commands outside cli.c (cmd_batch.c): the edit options of lsu run
 * at argv[*i] (1 when it was one, 0 when not, -1 on a bad value, message
 * printed), and "256M"-style sizes (-1 when malformed). */
int lsu_cli_edit_option(lsu_edit_options *edit, lsu_render_options *render, int argc, char **argv, int *i, FILE *err);
long long lsu_cli_parse_size(const char *s);

#endif
