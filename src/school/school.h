/* What the school's store adds to the pipeline and what the director does
 * with it: the rules that need the settings (PAR codes), the bilans kept in
 * normalised form with every version, locks, the settings (import mode,
 * periodicities), the history and the imports' reports.
 *
 * These functions never print: they record diagnostics on the file,
 * append French text to a buffer the command prints, or return data the
 * command prints. */
#ifndef LSU_SCHOOL_H
#define LSU_SCHOOL_H

#include "base/util.h"
#include "lsu.h"
#include "school/onde.h"
#include "school/periods.h"
#include "school/store.h"

/* The state of `lsu import` across its files: the store of the school
 * being imported into (opened by the hook, one at a time). */
typedef struct {
    const char *data_dir; /* borrowed */
    const char *uai;      /* --uai, or NULL: each file's entete */
    const char *author;   /* the import events' author (the server's user); NULL: the command line */
    lsu_store store;
    int store_open;
    int failed; /* internal error on the store during the current file */
} lsu_import_ctx;

/* The after_pipeline hook of `lsu import` (lsu_job_options): opens the
 * store of the file's school, starts its transaction and adds the
 * diagnostics of the rules that need the settings.  A store that cannot be
 * opened becomes STO001/STO002 on the file.  Returns 0, or -1 on an
 * internal error. */
int lsu_import_hook(lsu_file *f, void *ctx);

/* After the report: stores the accepted bilans of f (statuses set by the
 * report), the import event with its report, and commits.  Appends a
 * summary line to `text`.  Returns 0 (also when nothing was stored
 * because the hook found no store), -1 on a store failure (rolled back,
 * reason in text). */
int lsu_import_finish(lsu_import_ctx *c, lsu_file *f, const char *report_text, const char *report_json, int exit_status,
                      lsu_buf *text);
void lsu_import_ctx_free(lsu_import_ctx *c);

/* What a bilan in normalised form lacks to be locked (the « ? » of the
 * guide): at least 3 complete domains and the appréciation générale for a
 * bilan périodique; the 8 positioned components and the synthèse for a
 * bilan de fin de cycle.  Appends "; "-separated French items to `out`
 * and returns how many are missing (0: the bilan is complete). */
int lsu_bilan_missing(xmlNodePtr bilan, lsu_buf *out);

/* Which bilans a command acts on: one pupil, class, level, or the school. */
typedef struct {
    const char *ine, *classe, *niveau;
    int school;
} lsu_selection;

/* Locks (or unlocks when `unlock`) the current bilans selected, each
 * complete one, in one transaction with one event.  Appends what was done
 * and, for each incomplete bilan, what is missing.  Returns 0 when every
 * selected bilan was handled, 1 when some could not be locked, -1 on a
 * store failure (rolled back). */
int lsu_school_lock(lsu_store *st, const lsu_selection *sel, int unlock, lsu_buf *text);

/* Appends every version of the bilans of pupil `ine`, with dates and
 * origin (import, synchronisation, lock, unlock, refused re-import) and,
 * under each version after the first, what it changed.  Returns the
 * number of versions, -1 on a store failure. */
int lsu_school_history(lsu_store *st, const char *ine, lsu_buf *text);

/* Sets the import mode ("manuelle" or "logiciel") of the classes
 * selected (sel->school, sel->classe by label or ONDE id, sel->niveau), in
 * one transaction with a settings event.  A level or the school stores
 * it as its default, which their classes (new ones too) take unless they
 * have their own; the school's is stored even before the first sync
 * (no class yet).  Returns the number of classes set (0: the school's
 * default with no class yet), -2 when a class or level selection names
 * no class, -1 on a store failure (rolled back either way). */
long long lsu_school_set_import_mode(lsu_store *st, const char *mode, const lsu_selection *sel);

/* A class and its effective import mode: its own, else its level's, else
 * the school's (texts owned; NULL when NULL). */
typedef struct {
    char *libelle, *id_be;
    char *mode; /* "logiciel", "manuelle", or "" when not set */
    char *from; /* where the mode comes from: "classe", "niveau CE1", "école"; NULL when not set */
} lsu_class_mode;

/* The classes with their import mode, by label then ONDE id, into a new
 * array *out of *n (lsu_school_import_modes_free).  Returns 0, or -1 on a
 * store failure; *out then holds the classes read before it. */
int lsu_school_import_modes(lsu_store *st, lsu_class_mode **out, size_t *n);
void lsu_school_import_modes_free(lsu_class_mode *m, size_t n);

/* The school's default import mode ("logiciel", "manuelle"), which
 * classes without their own or their level's take, into *mode (owned;
 * NULL when not set).  0, or -1 on a store failure. */
int lsu_school_default_import_mode(lsu_store *st, char **mode);

/* What lsu_school_set_periodicity is asked to do. */
typedef struct {
    const char *name, *kind; /* kind: "trimestre", "semestre", "personnalisee" */
    int year;                /* the school year of p */
    const lsu_period *p;     /* the periods p[0..n) */
    size_t n;
    /* 0: p are the dates asked for; 1: p are defaults, written only when
     * the periodicity has no periods yet (an existing one keeps its dates
     * and year); 2: the same, but an existing periodicity of another year
     * than `year` takes p */
    int keep;
    /* p may change the dates of classes already on the periodicity that
     * the selection does not name (--change-dates) */
    int change_others;
} lsu_periodicity_request;

/* What lsu_school_set_periodicity did (texts owned:
 * lsu_periodicity_done_free). */
typedef struct {
    long long attached; /* classes attached (0 when the selection is empty) */
    int written;        /* the periods asked for were written (else the stored ones are kept or the same) */
    int millesime;      /* the periodicity's school year, after the call */
    /* written over other dates: the classes that were on the periodicity,
     * whose dates changed; refused (-3): those of them the selection does
     * not name.  Labels sorted, ", "-separated; NULL when none */
    char *classes;
    long long nclasses;
} lsu_periodicity_done;

/* Writes periodicity r->name for the request r (created, or its periods
 * replaced when they differ, see r->keep) and attaches the selected
 * classes (a level or the school: as their default, as the import mode),
 * in one transaction with a settings event; *done says what was
 * done.  Dates that would change for classes on the periodicity that the
 * selection does not name are refused unless r->change_others.  The
 * school's default is stored even before the first sync (done->attached
 * 0).  Returns 0, -2 when a class or level selection names no class, -3 when the change is refused
 * (done->classes names those classes), -1 on a store failure (rolled back
 * on every one but 0). */
int lsu_school_set_periodicity(lsu_store *st, const lsu_periodicity_request *r, const lsu_selection *sel,
                               lsu_periodicity_done *done);
void lsu_periodicity_done_free(lsu_periodicity_done *done);

/* A period of a stored periodicity (texts as stored; NULL when NULL). */
typedef struct {
    char *libelle, *debut, *fin; /* dates yyyy-mm-dd */
} lsu_stored_period;

/* A stored periodicity with its periods in order. */
typedef struct {
    char *name;
    int millesime;
    /* the classes on it (their own, else their level's, else the school's),
     * each "label (origin)" as lsu_class_mode.from, sorted, ", "-separated;
     * NULL when none */
    char *classes;
    lsu_stored_period *periods;
    size_t nperiods;
    int school_default; /* the school's default: classes synced later take it */
} lsu_periodicity;

/* What the Paramétrage des périodes screen shows. */
typedef struct {
    char *unset;           /* the labels of the classes without a periodicity, as classes above; NULL when none */
    lsu_periodicity *list; /* predefined ones first, then by name */
    size_t n;
} lsu_periodicities;

/* Reads the periodicities of the school into *out (zeroed first;
 * lsu_school_periodicities_free).  Returns 0, or -1 on a store failure;
 * *out then holds what was read before it. */
int lsu_school_periodicities(lsu_store *st, lsu_periodicities *out);
void lsu_school_periodicities_free(lsu_periodicities *p);

/* One import of the school, as stored (texts owned; NULL when NULL). */
typedef struct {
    long long id; /* its number among the school's imports: 1, 2, 3… */
    char *at;     /* ISO 8601 UTC */
    char *source;
    int exit_status;
    char *summary;
} lsu_import_entry;

/* The imports of the school in order, into a new array *out of *n
 * (lsu_school_imports_free).  Returns 0, or -1 on a store failure; *out
 * then holds the imports read before it. */
int lsu_school_imports(lsu_store *st, lsu_import_entry **out, size_t *n);
void lsu_school_imports_free(lsu_import_entry *e, size_t n);

/* The report kept of import n° `id` (the id-th import of the school,
 * counted from 1): its text, or its JSON when `json`,
 * into *report (owned; NULL when none was kept).  Returns 1, 0 when there
 * is no such import, -1 on a store failure. */
int lsu_school_import_report(lsu_store *st, long long id, int json, char **report);

/* One line of a sync's report, as the guide's Statut / Message table. */
typedef struct {
    char *classe;       /* the class's label, NULL for a line of the whole sync (owned) */
    const char *statut; /* "succes", "alerte" or "info" (static) */
    char *message;      /* French (owned) */
} lsu_sync_line;

/* The lines of a sync's report (lsu_sync_lines_free). */
typedef struct {
    lsu_sync_line *v;
    size_t n;
    int failed; /* memory ran out */
} lsu_sync_lines;
void lsu_sync_lines_free(lsu_sync_lines *l);

/* One event of the school's store, as the Historique lists it (texts
 * owned; NULL when NULL). */
typedef struct {
    long long id;     /* its row id */
    long long number; /* its number among the events of its kind (import n° 3) */
    char *kind;       /* import, sync, lock, unlock, settings, saisie */
    char *at;         /* ISO 8601 UTC */
    char *source;     /* the file imported or synchronised */
    char *summary;
    char *author; /* who: the server's user, --author; NULL from the command line */
} lsu_event_entry;

/* The events of the school, newest first: at most `limit` of them after
 * skipping `offset`, into a new array *out of *n (lsu_school_events_free);
 * *total: how many the store holds.  Returns 0, or -1 on a store failure
 * (*out then holds the events read before it). */
int lsu_school_events(lsu_store *st, long long offset, long long limit, lsu_event_entry **out, size_t *n,
                      long long *total);
void lsu_school_events_free(lsu_event_entry *e, size_t n);
/* What an event's kind is, in the guide's words (« Import »,
 * « Synchronisation »…); the kind itself when unknown. */
const char *lsu_event_kind_label(const char *kind);

/* A level of the école's positionnement scale (« Positionnement par
 * objectifs d'apprentissage »), as the bilans print it and the entry reads it. */
typedef struct {
    int value;         /* 1 to 4, the export's positionnement */
    const char *code;  /* NA, PA, A, D */
    const char *label; /* « Non atteints »… */
} lsu_scale_level;
#define LSU_SCALE_LEVELS 4
extern const lsu_scale_level lsu_school_scale[LSU_SCALE_LEVELS];

/* What lsu sync is asked beside the files. */
typedef struct {
    const char *const *classes; /* only these classes (label or ONDE id): their pupils */
    size_t class_count;         /* 0: the whole school (the extraction is its roster) */
    int dry_run;                /* what would change, reported; nothing written */
    int force;                  /* a sync removing most of the school (or a class with bilans) goes on */
    lsu_sync_lines *lines;      /* when not NULL: the report's lines, filled when the sync is done (committed) */
} lsu_sync_options;

/* Loads an ONDE extraction (and the teachers when t is not NULL) into the
 * store in one transaction: classes and pupils upserted, teachers
 * replaced, administrative data of unlocked current bilans updated (a new
 * version each whose pupil ONDE names or places differently, letter case
 * aside), locked ones left alone.  With opt->classes, only the pupils of
 * those classes (in the extraction or in the store) are synchronised.
 * Appends the report per class as the guide shows it (with
 * opt->dry_run, what would change).  `source` names the file; opt may be
 * NULL (the whole school).  0 done (or simulated: with the refusal it
 * would meet, if any), 1 refused: the sync would remove more than half of
 * the school's pupils or every pupil of a class that has bilans, without
 * opt->force; 2 a class named is neither in the extraction nor in the
 * store (the text says what; nothing written); -1 (rolled back). */
int lsu_school_sync(lsu_store *st, const lsu_onde *o, const lsu_teachers *t, const lsu_sync_options *opt,
                    const char *source, lsu_buf *text);

#endif
