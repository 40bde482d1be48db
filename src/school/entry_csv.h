/* The spreadsheet round trip of the teachers' entry (lsu template, lsu
 * enter; docs/SAISIE-TABLEUR.md): a template written for a class, a period
 * and one domain or all of them, with the current values, and the same
 * file read back once filled into a list of lsu_entry_change for
 * lsu_entry_apply, every cell it cannot take refused with its row, column
 * and reason.
 *
 * The file: a few lines that name the school, the class, the period, the
 * domain and the state of the store it was made from (lsu_entry_state),
 * then a header row (NOM ; Prénom ; INE ; one column per positionnement
 * and appréciation...), one row per pupil, then the class's éléments du
 * programme and, for all domains, the projets of the parcours.  A cell
 * left as it was or emptied changes nothing; « effacer » clears it.
 *
 * These functions never print: they fill buffers and return statuses. */
#ifndef LSU_ENTRY_CSV_H
#define LSU_ENTRY_CSV_H

#include "base/util.h"
#include "school/entry.h"
#include "school/store.h"

#include <stddef.h>
#include <time.h>

/* The word that clears a cell, as the template explains it. */
#define LSU_ENTRY_CSV_CLEAR "effacer"

/* A cell refused: its spreadsheet row and column (1-based; col 0 for a
 * whole row), the pupil of its row ("NOM Prénom", NULL when none) and why,
 * in French (texts owned). */
typedef struct {
    long row;
    int col;
    char *who;
    char *why;
} lsu_entry_csv_refusal;

/* A row of the éléments du programme section: the domain, the élément's
 * number in the template (0 for a new one), its text ("" unchanged; kept
 * among the file's strings), and whether it asks to remove the élément. */
typedef struct {
    long row;
    int col;            /* of the text */
    const char *domain; /* the nomenclature's code */
    long number;
    char *text;
    int clear;
} lsu_entry_csv_element;

/* A file read back (lsu_entry_csv_free). */
typedef struct {
    /* the lines on top: as written in the file ("" when absent) */
    char *uai, *classe, *id_be, *periode, *annee;
    char *domain; /* a domain code; NULL: every domain */
    char *state;  /* lsu_entry_state of the store when the file was made */
    const char *encoding;
    /* the changes found (texts owned by the file), each with its pupil
     * ("NOM Prénom", owned) or NULL */
    lsu_entry_change *changes;
    char **who;
    size_t nchanges, cap;
    /* the éléments' rows, turned into changes by lsu_entry_csv_check */
    lsu_entry_csv_element *elements;
    size_t nelements, elements_cap;
    lsu_entry_csv_refusal *refused;
    size_t nrefused, refused_cap;
    char **strings; /* what the changes borrow */
    size_t nstrings, strings_cap;
    char *error; /* why the file cannot be read (status 2), French */
    int oom;
} lsu_entry_csv;

/* Reads a filled template from `data` (len bytes) or, when data is NULL,
 * from the file at path (path names it in the messages either way): any
 * of ';', ',' or a tab, UTF-8 with or without BOM or Windows-1252, CRLF,
 * quoted cells over several lines.  Fills *f (zeroed first) with the
 * header, the changes and the cells refused.  Returns 0 (some cells may
 * be refused), 2 when the file cannot be read or is no template (f->error
 * says why), -1 when memory ran out. */
int lsu_entry_csv_read(const char *path, const char *data, size_t len, lsu_entry_csv *f);

/* Checks a file read against the scope it names, opened by the caller
 * (lsu_entry_scope_open on f->id_be or f->classe, f->periode), and its
 * view: the school `uai`, the class, the period's year (2 with why when
 * the file was made for others); each pupil's row found by INE, else by
 * name, in the class (refused when unknown, of another class of the
 * store, or locked; st may be NULL: no look-up of the other classes); the
 * éléments' rows turned into changes against the view's éléments.  The
 * changes then borrow texts of v (INEs, labels): keep v until they are
 * applied.  Returns 0, 2 (why), -1 when memory ran out or the store
 * failed. */
int lsu_entry_csv_check(lsu_store *st, const char *uai, const lsu_entry_scope *sc, const lsu_entry_view *v,
                        lsu_entry_csv *f, lsu_buf *why);

/* The spreadsheet name of column col (1-based): A, B… Z, AA… */
void lsu_entry_csv_column_name(int col, char out[8]);

/* Appends the refusals, the file's and those of lsu_entry_apply in res
 * (NULL: none) over f's changes, one a line, by row and column:
 * « ligne 12, colonne E (DUPONT Marie) : positionnement « 5 » : attendu 1
 * à 4… ». Returns how many. */
size_t lsu_entry_csv_refusals(const lsu_entry_csv *f, const lsu_entry_result *res, lsu_buf *out);

void lsu_entry_csv_free(lsu_entry_csv *f);

/* What lsu_entry_template writes. */
typedef struct {
    const char *uai;
    const char *domain; /* a domain or sub-domain code; NULL: every domain */
    int windows1252;    /* Windows-1252 instead of UTF-8 with a BOM */
} lsu_entry_template_options;

/* Writes into out the template of scope sc from its view v: ';'-separated,
 * CRLF, UTF-8 with BOM (or Windows-1252).  Returns 0; 2 with why when the
 * domain is unknown or not taught in the class's cycle, or a text of the
 * store has a character Windows-1252 lacks; -1 when memory ran out. */
int lsu_entry_template(const lsu_entry_scope *sc, const lsu_entry_view *v, const lsu_entry_template_options *o,
                       lsu_buf *out, lsu_buf *why);

/* Writes the template `csv` (len bytes, as lsu_entry_template wrote it in
 * UTF-8) as an .xlsx workbook at `path` (temporary name, mode 0600,
 * renamed): the same rows and cells on sheet « Saisie », a drop-down list
 * on each pupil's positionnement, the lengths checked as they are typed,
 * the characters counted live on a second sheet.  `date` is the
 * workbook's creation date (0: now).  Read back as its CSV export.
 * Returns 0, or -1 with *error (owned). */
int lsu_entry_template_xlsx(const char *csv, size_t len, const char *path, time_t date, char **error);

/* The code of a domain named by its code ("fra-lgo") or its label
 * ("Langage oral"), a parcours code too when `parcours` is set; NULL when
 * none. */
const char *lsu_entry_csv_domain(const char *name, int parcours);

/* The domains whose columns a template for `domain` (NULL: all) has in
 * cycle `cycle` (0: both), in order, with `kind` 'P' for a positionnement
 * (and its éléments), 'A' for an appréciation.  Fills codes[] and kinds[]
 * up to max; returns how many (0 when `domain` is not taught then). */
size_t lsu_entry_csv_columns(const char *domain, int cycle, const char **codes, char *kinds, size_t max);

#endif
