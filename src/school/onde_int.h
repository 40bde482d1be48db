/* What the ONDE pupils' reader (onde.c) and the teachers' reader
 * (teachers.c) share: the CSV rows libcsv splits a file into, the columns
 * found by header label (onde_csv.c). */
#ifndef LSU_ONDE_INT_H
#define LSU_ONDE_INT_H

#include "base/diag.h"
#include "base/util.h"

#include <stddef.h>

#define ONDE_MAX_BYTES (64L * 1024 * 1024)

/* One CSV row: its cells (owned, NUL-terminated UTF-8), the file line it
 * starts on, and its row number in a spreadsheet (the line less the line
 * breaks inside the quoted cells before it). */
typedef struct {
    char **cells;
    size_t count;
    long line;
    long sheet_row;
} csv_row;

typedef struct {
    csv_row *rows;
    size_t count, cap;
    /* the row being read */
    char **cells;
    size_t ncells, cells_cap;
    long line;        /* current physical line */
    long row_line;    /* line the current row started on */
    long row_breaks;  /* line breaks inside the current row's quoted cells */
    long cell_breaks; /* line breaks inside the quoted cells of the rows before */
    int oom;
} csv_table;

/* A column the reader looks for: folded labels it answers to, whether it
 * is required, and the index found in the header (-1 when absent). */
typedef struct {
    const char *labels[4];
    const char *display;
    int required;
    long index;
} column;

/* Frees every row of the table and the row being read. */
void onde_table_free(csv_table *t);
/* Reads the input (file or memory) and splits it into rows.  Returns 0,
 * or -1 with an OND001 diagnostic; *encoding is set in both cases. */
int onde_split_rows(const char *path, const char *data, size_t len, csv_table *t, lsu_diag_list *diags,
                    const char **encoding);
/* A header label folded for comparison: lower case ASCII, accents of
 * French letters removed, typographic apostrophes made straight, spaces
 * trimmed and collapsed.  Writes into out. */
void onde_fold_label(const char *s, char *out, size_t size);
/* Finds every column in the header row; returns the number of required
 * columns missing. */
int onde_find_columns(const csv_row *header, column *cols, size_t ncols);
/* The cell of a row for a column, trimmed of surrounding blanks (libcsv
 * leaves them inside quotes); "" when the column or the cell is absent.
 * Trims in place. */
const char *onde_cell(const csv_row *r, const column *col);
/* Lists the display names of the missing required columns into b. */
void onde_missing_columns(const column *cols, size_t ncols, lsu_buf *b);

#endif
