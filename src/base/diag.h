/* Diagnostics: what every stage records instead of printing.
 *
 * A diagnostic names a catalogue code (src/catalog.def), carries a severity,
 * the source line, the scope it applies to (the whole file, a pupil, or one
 * bilan) and the pupil/class/period it concerns, and a one-line French
 * message.  The list belongs to one input file and is freed with it. */
#ifndef LSU_DIAG_H
#define LSU_DIAG_H

#include "base/util.h"

#include <stddef.h>

typedef enum { SEV_INFO = 0, SEV_ALERTE = 1, SEV_BLOQUANT = 2, SEV_FATAL = 3 } lsu_severity;

typedef enum {
#define DIAG(id, code, sev, title, meaning, action) DIAG_##id,
#include "base/catalog.def"
#undef DIAG
    DIAG_COUNT
} lsu_code;

/* One catalogue entry. */
typedef struct {
    const char *code;
    lsu_severity severity;
    const char *title;
    const char *meaning;
    const char *action;
} lsu_code_info;

const lsu_code_info *lsu_code_lookup(lsu_code code);
/* Looks a code up by its text ("XSD005"); NULL when unknown. */
const lsu_code_info *lsu_code_find(const char *text);
/* French name of a severity as used in every report: "fatal", "bloquant",
 * "alerte", "info". */
const char *lsu_severity_name(lsu_severity sev);
/* Is this a schema error, one that makes the file invalid against the
 * official schema as a Java validator sees it (every XSD code, REF001 and
 * REF002)?  Such an error refuses the file; lsu still says what the LSU
 * rules would make of each bilan once it is fixed (report "si_corrige"). */
int lsu_code_is_schema(lsu_code code);

typedef enum {
    SCOPE_FILE = 0, /* the whole file */
    SCOPE_ELEVE,    /* every bilan of one pupil */
    SCOPE_BILAN     /* one bilan */
} lsu_scope;

typedef enum { BILAN_NONE = 0, BILAN_PERIODIQUE = 1, BILAN_CYCLE = 2 } lsu_bilan_kind;

typedef struct {
    lsu_code code;
    lsu_severity severity;
    long line; /* 0 when unknown */
    lsu_scope scope;
    lsu_bilan_kind bilan_kind; /* SCOPE_BILAN */
    int bilan_index;           /* SCOPE_BILAN: 1-based index within its kind */
    char *eleve_id;            /* SCOPE_ELEVE: the pupil's XML id */
    char *ine;                 /* may be NULL */
    char *eleve;               /* "NOM Prénom", may be NULL */
    char *classe;              /* class label, may be NULL */
    char *periode;             /* period label, may be NULL */
    char *message;
    /* > 0 on the entry that stands for the diagnostics left out: that many
     * more of its code, severity and subject (see LSU_DIAG_PER_SUBJECT) */
    size_t omitted;
} lsu_diag;

/* A file lists at most this many diagnostics of one code and severity for
 * one subject (one bilan, one pupil, the file); the others are counted in
 * one more entry that says how many were left out.  The verdict is the
 * same (that subject already has a diagnostic of that code and severity),
 * and a file of a hundred thousand references to nothing no longer makes
 * a hundred thousand lines in every report. */
#define LSU_DIAG_PER_SUBJECT 20

typedef struct {
    lsu_diag *items;
    size_t len, cap;
    int oom;    /* set when a diagnostic could not be recorded */
    void *seen; /* code, severity, subject -> how many listed (diag.c) */
} lsu_diag_list;

/* Subject of a diagnostic: whom it concerns.  All fields are borrowed and
 * copied by lsu_diag_add; any may be NULL. */
typedef struct {
    lsu_scope scope;
    lsu_bilan_kind bilan_kind;
    int bilan_index;
    const char *eleve_id;
    const char *ine;
    const char *eleve;
    const char *classe;
    const char *periode;
    char storage[256]; /* room for a name composed by lsu_subject_for_node */
} lsu_subject;

/* Records a diagnostic with the catalogue's severity.  The message is formatted
 * printf-style and copied.  Returns the new entry, or NULL when memory ran
 * out (the list's oom flag is then set and later turns into INT001). */
lsu_diag *lsu_diag_add(lsu_diag_list *list, lsu_code code, long line, const lsu_subject *subject, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Same as lsu_diag_add with an explicit severity. */
lsu_diag *lsu_diag_add_sev(lsu_diag_list *list, lsu_code code, lsu_severity severity, long line,
                           const lsu_subject *subject, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Sorts diagnostics by line, then severity (worst first), then code, so
 * that every report lists them in one stable order. */
void lsu_diag_sort(lsu_diag_list *list);

/* Frees every diagnostic and the array; the list is left empty. */
void lsu_diag_list_free(lsu_diag_list *list);

/* Worst severity in the list (SEV_INFO when empty). */
lsu_severity lsu_diag_worst(const lsu_diag_list *list);

/* Appends one diagnostic as a stderr line "path:line: severity [code]
 * message (pupil, class, period)", every invisible character written as
 * <U+XXXX> (lsu_buf_puts_visible): the terminal shows what the file holds. */
void lsu_diag_text(const lsu_diag *d, const char *path, lsu_buf *out);

#endif
