/* ONDE extractions: the pupils' CSVExtraction.csv (FORMAT.md §6) and the
 * small teachers' CSV, read with libcsv.
 *
 * Columns are found by their header label (trimmed, case and accents
 * compared loosely), never by position.  The encoding is detected: UTF-8
 * with or without BOM, else Windows-1252 / ISO-8859-1, converted to UTF-8.
 * Dates come as dd/mm/yyyy or yyyy-mm-dd and are stored as yyyy-mm-dd.
 * Quoted cells may hold line breaks; line numbers are those of the file.
 *
 * A reader never prints: every rejected line becomes a diagnostic (OND
 * codes) with its line number, and the others are kept. */
#ifndef LSU_ONDE_H
#define LSU_ONDE_H

#include "base/diag.h"
#include "base/util.h"

#include <stddef.h>

/* A class as ONDE knows it. */
typedef struct {
    char *id_be;   /* "Identifiant classe", numeric; becomes classe/@id-be */
    char *libelle; /* "Libellé classe" */
    char *niveau;  /* CP, CE1, CE2, CM1, CM2 of its pupils, or "" when mixed or unknown */
    int cycle;     /* 2 or 3; 0 when unknown or mixed */
    size_t pupils; /* pupils of the extraction in this class */
    long line;     /* first line that named it */
} lsu_onde_class;

/* One pupil row. */
typedef struct {
    char *ine;            /* may be "" (INE may be empty in ONDE) */
    char *nom;            /* "Nom élève" */
    char *nom_usage;      /* "Nom d'usage élève", may be "" */
    char *prenom;         /* "Prénom élève" */
    char *date_naissance; /* yyyy-mm-dd */
    char sexe;            /* 'M', 'F' or 0 when absent */
    char *niveau;         /* CP…CM2, or "" (some ULIS pupils) */
    int cycle;            /* 2, 3 or 0 */
    char *classe_id_be;   /* "Identifiant classe" */
    char *classe_libelle; /* "Libellé classe" */
    long line;
} lsu_onde_pupil;

typedef struct {
    const char *encoding;    /* "UTF-8", "UTF-8 (BOM)" or "Windows-1252" (static) */
    lsu_onde_class *classes; /* in order of first appearance */
    size_t class_count;
    lsu_onde_pupil *pupils; /* in file order */
    size_t pupil_count;
    size_t lines_rejected;
    lsu_diag_list diags; /* SCOPE_FILE diagnostics with line numbers */
} lsu_onde;

/* Reads an ONDE pupils' extraction from `path` (or from memory when data
 * is not NULL: len bytes, path then only names it).  Always fills *out,
 * even on error; returns 0 when the file could be read as an extraction
 * (some lines may be rejected, see out->diags), -1 when the whole file is
 * refused (unreadable, no header, a required column missing) with the
 * reason in out->diags.  lsu_onde_free releases *out. */
int lsu_onde_read(const char *path, const char *data, size_t len, lsu_onde *out);
void lsu_onde_free(lsu_onde *o);

/* One teacher row of the teachers' CSV: civilité;nom;prénom;classes
 * (header labels "Civilité", "Nom", "Prénom", "Classes"; classes are ONDE
 * class ids or labels separated by commas, slashes or line breaks, ids
 * also by spaces: "CP A, CE1 B", "740052 230399"). */
typedef struct {
    char *civilite; /* "M." or "Mme" (normalised from M, Mr, Monsieur, Mme, Madame…) */
    char *nom;
    char *prenom;
    char **classes;
    size_t class_count;
    long line;
} lsu_teacher;

typedef struct {
    const char *encoding;
    lsu_teacher *teachers;
    size_t teacher_count;
    size_t lines_rejected;
    lsu_diag_list diags;
} lsu_teachers;

/* Reads a teachers' CSV; same conventions as lsu_onde_read. */
int lsu_teachers_read(const char *path, const char *data, size_t len, lsu_teachers *out);
void lsu_teachers_free(lsu_teachers *t);

/* Appends what a director reads after a check of the extraction: one
 * line per diagnostic, one line per class ("Classe CE1 A (id 123456, CE1,
 * cycle 2) : 24 élèves") and a summary line. */
void lsu_onde_text(const lsu_onde *o, const char *path, lsu_buf *out);
/* The same for the teachers' list (one line per teacher and its classes). */
void lsu_teachers_text(const lsu_teachers *t, const char *path, lsu_buf *out);

#endif
