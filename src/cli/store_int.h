/* What the store commands' files (src/cli/ store_cli.c, cmd_store.c,
 * cmd_settings.c) share and nothing else uses: the common options and the
 * prologue every store command goes through, and the commands themselves
 * for the dispatcher (lsu_store_command, store_cli.h).  Private to them. */
#ifndef LSU_STORE_INT_H
#define LSU_STORE_INT_H

#include "base/util.h"
#include "school/school.h"
#include "school/store.h"

#include <stdio.h>

/* The options every store command takes, and the selection. */
typedef struct {
    const char *data, *uai;
    lsu_selection sel;
    char **rest; /* other arguments, in order (owned array) */
    int nrest;
} store_args;

/* Parses --data, --uai and the selection options (--pupil, --class,
 * --level, --school); anything else goes to rest.  0, or -1 on a bad
 * option (message printed). */
int parse_common(store_args *a, int argc, char **argv, FILE *err);

/* Opens the store of a->uai; prints why not and returns an exit status
 * (0 when open). */
int open_store(const store_args *a, lsu_store *st, int create, FILE *err);

/* Prints a buffer to a stream; the exit status for a failed write. */
int print_buf(const lsu_buf *b, FILE *out, int status);

/* Exactly one of the selection options, or --school; prints why not. */
int one_selection(const lsu_selection *sel, int pupil_allowed, FILE *err);

/* The commands (cmd_store.c, cmd_settings.c): each takes the arguments
 * after its name and returns its exit status (lsu_exit). */
int cmd_import(int argc, char **argv, FILE *out, FILE *err);
int cmd_sync(int argc, char **argv, FILE *out, FILE *err);
int cmd_lock(int argc, char **argv, FILE *out, FILE *err, int unlock);
int cmd_history(int argc, char **argv, FILE *out, FILE *err);
int cmd_reports(int argc, char **argv, FILE *out, FILE *err);
int cmd_edit(int argc, char **argv, FILE *out, FILE *err);
int cmd_import_mode(int argc, char **argv, FILE *out, FILE *err);
int cmd_periods(int argc, char **argv, FILE *out, FILE *err);

#endif
