/* Export to LSU: the current bilans of the school's store written back as
 * école exports in the LSU import format (FORMAT.md §2, schemaVersion
 * 1.0, valid against the official 1.0b schema), one file per class or one
 * for the selection, for the national LSU's « Import ».
 *
 * What goes in (docs/lsu.1 says it for users):
 * - only the bilans locked in the store (lsu lock): LSU takes a file's
 *   date-verrou as the lock, so a bilan not locked here is left out and
 *   listed, with what it lacks to be locked; an exported bilan's
 *   date-verrou is the date of its lock in the store;
 * - the references (classes, élèves, périodes, enseignants, éléments du
 *   programme, parcours communs) are rebuilt from the bilans; each keeps
 *   the id its stored form names when that id is free in the file, else
 *   gets a new one (CL_1, EL_1…): ids are unique in a file and the same
 *   store gives the same bytes;
 * - the directeur: the school's (lsu school --directeur) heads the list
 *   and signs every bilan that names none; a bilan keeps the directeur
 *   it was stored with.
 * - each file is checked against the schema before it is written (LSU
 *   refuses an invalid file whole): a bilan that would make it invalid is
 *   left out and said (STO004), with the schema's error in lsu check's
 *   words; the others are written.
 *
 * These functions never print: they append French text to a buffer the
 * command prints. */
#ifndef LSU_EXPORT_H
#define LSU_EXPORT_H

#include "base/util.h"
#include "school/store.h"

#include <libxml/xmlschemas.h>
#include <stddef.h>

typedef struct {
    const char *classe;      /* a class label or ONDE id; NULL: every class */
    const char *niveau;      /* a level (CE1); NULL: every level */
    const char *const *ines; /* only these pupils' bilans (INE), nines of them; 0: every pupil */
    size_t nines;
    int periode;         /* N: only the bilans périodiques of period N; 0: all */
    int cycle;           /* only the bilans de fin de cycle (--period cycle) */
    int all;             /* one file for the whole selection, not one per class */
    xmlSchemaPtr schema; /* each file is checked against it before it is written; NULL: not checked */
} lsu_export_options;

typedef struct {
    size_t selected;   /* current bilans matching the selection */
    size_t unlocked;   /* of them, not locked: left out (text: LSU_REMEDY_LOCK's words, remedy.h) */
    size_t unreadable; /* of them, locked but whose stored form is no XML: left out */
    size_t skipped;    /* of them, locked but naming no teacher: left out */
    size_t invalid;    /* of them, locked but not valid against the schema: left out (STO004) */
    size_t exported;   /* written in a file */
    size_t files;
} lsu_export_counts;

/* The name of an export file (without folder): UAI_CLASSE.xml per class,
 * UAI_ecole.xml (UAI_NIVEAU.xml with a level) for the whole selection,
 * then _INE for one pupil chosen (_N_eleves for N of them), then
 * _periodeN or _cycle when a period is chosen, then .xml; `group` is
 * the class's safe name (NULL for the whole selection).  Caller frees;
 * NULL when memory ran out. */
char *lsu_export_file_name(const char *uai, const char *group, const lsu_export_options *o);

/* Writes the current locked bilans of st matching o into dir (created
 * when missing), each file checked against o->schema, to a temporary name
 * then renamed, mode 0600, nothing outside dir.  A bilan that would make
 * its file invalid is left out of it (STO004, with the schema's error in
 * lsu check's words): LSU would refuse the whole file.  Appends a line per
 * bilan left out and per file written to `text`.  Returns 0; -2 when
 * o->classe names no class of the store; -3 when the school has no
 * directeur (text says how to give one); -4 when some of o->ines name no
 * pupil of the store (*error: those INEs, owned by the caller); -1 when
 * the store could not be read (st->error) or a file could not be made or
 * written (*error, owned by the caller; NULL when st->error says why).
 * Files written before a failure stay; none is half-written. */
int lsu_school_export(lsu_store *st, const lsu_export_options *o, const char *dir, lsu_export_counts *counts,
                      lsu_buf *text, char **error);

#endif
