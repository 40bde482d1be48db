/* The school's store: one SQLite database per school (DATA/<UAI>.sqlite)
 * holding what LSU keeps for the school and a file alone does not carry:
 * the ONDE classes and pupils, the teachers, the import mode and the
 * periodicity of each class, the imported bilans with every version, their
 * locks, and the report of every import.
 *
 * The database is created on first use; `PRAGMA user_version` holds the
 * schema version and the migrations (an ordered list of SQL scripts) are
 * applied in one transaction.  WAL journal and a busy timeout: two
 * processes on one school wait for each other; different schools are
 * different files and never wait.  A command makes all its writes in one
 * BEGIN IMMEDIATE transaction, so a process killed in the middle leaves the
 * store as it was before the command.
 *
 * Store functions never print: they return -1 with the reason in
 * st->error (French, owned by the store). */
#ifndef LSU_STORE_H
#define LSU_STORE_H

#include "school/remedy.h"

#include <sqlite3.h>
#include <stddef.h>

#define LSU_STORE_SCHEMA_VERSION 3

typedef enum {
    STORE_OK = 0,
    STORE_CANNOT_OPEN = 1, /* STO001: folder, file, not a database, corrupt */
    STORE_TOO_NEW = 2,     /* STO002: written by a newer lsu */
    STORE_SQL = 3,         /* any other SQLite failure (internal error) */
    STORE_ABSENT = 4       /* STO001 too: no store for that school, and none made (create = 0) */
} lsu_store_status;

typedef struct {
    sqlite3 *db;
    char *path;        /* DATA/<UAI>.sqlite (owned) */
    char *uai;         /* (owned) */
    char *error;       /* the last failure, in French (owned) */
    lsu_remedy remedy; /* what to do about it, when the text names an action (remedy.h) */
    int in_tx;
    /* who writes through this connection (the server's user), recorded as
     * the author of each event lsu_store_event makes; NULL: nobody named
     * (the command line).  Borrowed; set after lsu_store_open */
    const char *author;
} lsu_store;

/* The data folder: `option` (--data) when given, else $LSU_DATA, else
 * ./lsu-data.  Borrowed. */
const char *lsu_store_data_dir(const char *option);

/* Text of column i of a result row, "" when NULL. */
const char *lsu_store_text(sqlite3_stmt *s, int i);

/* Opens (creating when `create` is set) the store of `uai` under `dir`
 * and brings its schema up to date.  Fills *st in every case; returns a
 * lsu_store_status (st->error says why).  lsu_store_close releases it. */
int lsu_store_open(lsu_store *st, const char *dir, const char *uai, int create);
void lsu_store_close(lsu_store *st);

/* BEGIN IMMEDIATE (waits for another writer up to the busy timeout),
 * COMMIT, ROLLBACK.  0 or -1 (error set). */
int lsu_store_begin(lsu_store *st);
int lsu_store_commit(lsu_store *st);
void lsu_store_rollback(lsu_store *st);

/* A copy of the text of column i of a result row into *out (owned; NULL
 * when the column is NULL).  0, or -1 when memory ran out. */
int lsu_store_dup(sqlite3_stmt *s, int i, char **out);

/* Runs SQL without results; 0 or -1 (error set). */
int lsu_store_exec(lsu_store *st, const char *sql);
/* Prepares a statement; NULL on failure with error set.  Caller
 * finalises. */
sqlite3_stmt *lsu_store_prepare(lsu_store *st, const char *sql);
/* Records st->error from the connection's last failure, in French, after
 * `what`; returns -1. */
int lsu_store_fail(lsu_store *st, const char *what);

/* Records an event (import, sync, lock, unlock, settings) at the run time,
 * by st->author, and returns its id, or -1. `source` and `summary` may be
 * NULL. */
long long lsu_store_event(lsu_store *st, const char *kind, const char *source, const char *summary);

/* The current time as stored: ISO 8601 UTC of lsu_run_time(). */
void lsu_store_now(char out[21]);

/* The first column of the first row of a query without parameters, or
 * `fallback` when there is no row (or the query fails). */
long long lsu_store_int(lsu_store *st, const char *sql, long long fallback);

#endif
