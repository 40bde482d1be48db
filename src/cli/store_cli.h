/* The commands of the school's store (lsu sync, import, import-mode,
 * periods, lock, unlock, history, reports, edit --uai), dispatched from
 * cli.c. */
#ifndef LSU_STORE_CLI_H
#define LSU_STORE_CLI_H

#include <stdio.h>

/* Runs store command `cmd` with its arguments (after the command name);
 * returns its exit status (lsu_exit), or -1 when cmd is not one of them
 * ("edit" is one only with --uai: the file-based lsu edit otherwise). */
int lsu_store_command(const char *cmd, int argc, char **argv, FILE *out, FILE *err);

#endif
