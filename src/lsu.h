/* The import pipeline's shared types and its stages, in pipeline order.
 *
 * One lsu_file holds everything about one input file: its raw tree, the
 * index of its identifiers and bilans, its normalised tree and its
 * diagnostics.  lsu_file_free releases all of it at once, so memory stays
 * flat over a batch of thousands of files.
 *
 * A stage records diagnostics and returns LSU_GO_ON or LSU_STOP_FILE; it
 * never prints and never exits.  Resources used by every file (the compiled
 * schema and stylesheets) live in one lsu_runtime made once per run. */
#ifndef LSU_LSU_H
#define LSU_LSU_H

#include "base/diag.h"

#include <libxml/hash.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxslt/xsltInternals.h>
#include <time.h>

#define LSU_VERSION "0.1.0"
#define LSU_NS "urn:fr:edu:scolarite:lsun:bilans:import"
#define LSU_DEFAULT_MAX_SIZE (64LL * 1024 * 1024)

typedef enum { LSU_GO_ON = 0, LSU_STOP_FILE = 1 } lsu_stage_status;

/* Documented exit statuses (README, `lsu --help`). */
typedef enum {
    LSU_EXIT_OK = 0,             /* every bilan imported (alerts allowed) */
    LSU_EXIT_BILAN_REJECTED = 1, /* at least one bilan rejected */
    LSU_EXIT_FILE_REJECTED = 2,  /* a file rejected whole */
    LSU_EXIT_WORKER_FAILED = 3,  /* lsu batch: a file's worker failed (time, memory, crash) */
    LSU_EXIT_USAGE = 64,         /* bad command line */
    LSU_EXIT_INTERNAL = 70       /* lsu could not do its work */
} lsu_exit;

typedef enum { STATUS_IMPORTE = 0, STATUS_IMPORTE_AVEC_ALERTES = 1, STATUS_REJETE = 2 } lsu_bilan_status;

/* One bilan of the file, in document order, found by the index. */
typedef struct {
    lsu_bilan_kind kind;
    int index; /* 1-based within its kind */
    long line;
    xmlNodePtr node;          /* in the raw tree; NULL once the tree is freed */
    char *eleve_id;           /* the bilan's eleve-ref (owned); may be NULL */
    char *ine, *nom, *prenom; /* from the pupil (owned), may be NULL */
    char *classe_id;          /* XML id of the pupil's class (owned) */
    char *classe_libelle;     /* label, or the id-be, or NULL (owned) */
    char *eleve;              /* "NOM Prénom" (owned) */
    char *periode;            /* "T1 2024-2025", "Fin de cycle 2 (2024-2025)" (owned) */
    lsu_bilan_status status;  /* set by the report stage */
    int sort_rank;            /* place in the normalised order (set by normalise) */
} lsu_bilan;

/* What the index knows of the raw tree.  The node pointers (the hash's
 * values and each bilan's node) are borrowed from the tree and dropped by
 * lsu_index_release_tree; the strings, arrays and the hash are owned. */
typedef struct {
    xmlHashTablePtr ids; /* @id value -> element node (first one wins) */
    lsu_bilan *bilans;
    size_t bilan_count;
    size_t periodique_count, cycle_count;
    lsu_bilan **periodiques; /* [index - 1] -> bilan (owned array) */
    lsu_bilan **cycles;
} lsu_index;

typedef struct {
    long long max_size; /* input cap in bytes */
} lsu_options;

/* Everything of one input file (see top of file). */
typedef struct {
    char *path;         /* as given on the command line (owned) */
    const char *memory; /* when set, the input's bytes (borrowed; fuzzing, tests) */
    size_t memory_len;
    const char *name; /* basename of path */
    long long size;   /* bytes, -1 when unknown */
    time_t run_time;
    xmlDocPtr doc;  /* raw tree (owned) */
    xmlDocPtr norm; /* normalised tree (owned) */
    lsu_index index;
    lsu_diag_list diags;
    /* what detect found: borrowed from doc, or static, or (once the raw
     * tree is freed) from header_copies */
    const char *schema_version;
    const char *uai, *editeur, *application;
    char *header_copies[4]; /* owned copies of the four fields above */
    int file_rejected;      /* set once a fatal diagnostic is recorded */
    int stages_run;         /* bit set of the stages that ran (LSU_STAGE_*) */
    unsigned rules_checked; /* LSU_RULE_*: settings rules checked against a school's store */
    /* the parser's input holds bytes that may stand for an invisible
     * character (or a character reference): lsu_characters looks */
    int maybe_invisible;
} lsu_file;

/* The rules needing the school's settings, in the order of
 * lsu_unchecked_rules (report.c): a report lists as not checked those
 * whose bit is not in lsu_file.rules_checked. */
enum {
    LSU_RULE_IMPORT_MODE = 1u << 0,
    LSU_RULE_CLASS = 1u << 1,
    LSU_RULE_PERIODS = 1u << 2,
    LSU_RULE_PERIOD_DATES = 1u << 3,
    LSU_RULE_TEACHERS = 1u << 4,
    LSU_RULE_INE = 1u << 5
};

enum {
    LSU_STAGE_PARSE = 1 << 0,
    LSU_STAGE_DETECT = 1 << 1,
    LSU_STAGE_VALIDATE = 1 << 2,
    LSU_STAGE_REFERENCES = 1 << 3,
    LSU_STAGE_NORMALISE = 1 << 4,
    LSU_STAGE_CHECK = 1 << 5
};

/* Made once per run, shared by every file. */
typedef struct {
    xmlSchemaPtr schema;
    xsltStylesheetPtr normalise;
    xsltStylesheetPtr report_html;
    char *error; /* why lsu_runtime_init failed (owned) */
} lsu_runtime;

/* runtime.c: compiles the embedded schema and stylesheets; 0 on success,
 * -1 with rt->error set.  lsu_runtime_free releases everything. */
int lsu_runtime_init(lsu_runtime *rt);
void lsu_runtime_free(lsu_runtime *rt);

/* file lifecycle (pipeline.c) */
lsu_file *lsu_file_new(const char *path);
void lsu_file_free(lsu_file *f);
/* Runs every stage on one file; never stops early but for a stage that
 * says LSU_STOP_FILE.  Returns 0, or -1 on an internal error (also recorded
 * as INT001). */
int lsu_pipeline_run(lsu_file *f, lsu_runtime *rt, const lsu_options *opt);

/* The stages, in pipeline order. */
lsu_stage_status lsu_parse(lsu_file *f, const lsu_options *opt); /* parse.c */
lsu_stage_status lsu_detect(lsu_file *f);                        /* detect.c */
lsu_stage_status lsu_index_build(lsu_file *f);                   /* import/index.c */
lsu_stage_status lsu_validate(lsu_file *f, lsu_runtime *rt);     /* validate.c */
lsu_stage_status lsu_references(lsu_file *f);                    /* references.c */
lsu_stage_status lsu_characters(lsu_file *f);                    /* characters.c */
lsu_stage_status lsu_normalise(lsu_file *f, lsu_runtime *rt);    /* normalise.c */
lsu_stage_status lsu_check(lsu_file *f);                         /* check.c */

/* import/index.c: the bilan an element belongs to (walking up), or NULL. */
lsu_bilan *lsu_index_bilan_of(lsu_index *ix, xmlNodePtr node);
/* The bilan of a kind with a 1-based index, or NULL. */
lsu_bilan *lsu_index_bilan(lsu_index *ix, lsu_bilan_kind kind, long index);
/* The element with XML id `id`, or NULL. */
xmlNodePtr lsu_index_lookup(lsu_index *ix, const char *id);
/* Fills a diagnostic subject for a node: its bilan when inside one, else
 * the pupil when the node is an eleve, else the file. */
void lsu_subject_for_node(lsu_index *ix, xmlNodePtr node, lsu_subject *out);
/* Subject of one bilan. */
void lsu_subject_for_bilan(const lsu_bilan *b, lsu_subject *out);
/* Attribute value of an element as a borrowed C string (NULL if absent).
 * Valid while the tree lives. */
const char *lsu_attr(xmlNodePtr node, const char *name);
/* The same, "" when absent. */
const char *lsu_attr_or_empty(xmlNodePtr node, const char *name);
/* Element's local name as a C string. */
const char *lsu_name(xmlNodePtr node);
/* The element after n in document order within root's subtree, entering
 * n's children when `enter` is set; NULL at the end.  An iterative walk:
 * the stack stays flat whatever the depth. */
xmlNodePtr lsu_walk_next(xmlNodePtr root, xmlNodePtr n, int enter);
/* First child element of n named `name`, or NULL (n may be NULL). */
xmlNodePtr lsu_child(xmlNodePtr n, const char *name);
/* Next sibling element of n with n's name, or NULL. */
xmlNodePtr lsu_next_same(xmlNodePtr n);

/* Readers of the normalised form's labels (docs/NORMALISED.md, version 2).
 * A domain (acquis, sous-domaine) names its label by its code; an élément
 * du programme inside a bilan by its id, the label being in the file's
 * elements-programme list.  A bilan saved in a school's store carries the
 * labels itself (@libelle), which these readers return first. */
const char *lsu_domain_libelle(xmlNodePtr domain); /* "" when the code is unknown */
const char *lsu_domain_name(xmlNodePtr domain);    /* its label, else its code, else "" */
/* Sets *labels to id -> libelle of the file's éléments du programme,
 * borrowed from the tree (NULL when the file has no list; free with
 * xmlHashFree(h, NULL)).  Returns 0, or -1 when memory ran out: the labels
 * the list holds would then be missing. */
int lsu_element_labels(xmlDocPtr norm, xmlHashTablePtr *labels);
const char *lsu_element_libelle(xmlNodePtr element, xmlHashTablePtr labels); /* "" when unknown */
/* The fields of the normalised order of bilans (import/index.c), shared by
 * the normalise stage and the store's edition so that both print pupils in
 * the same order (pdf/edit.h): class, name, first name (accents and case
 * ignored), INE, then year and period index, or cycle, then a tie-break
 * (the bilan's place in its file, or its id in the store). */
typedef struct {
    const char *classe, *nom, *prenom, *ine; /* NULL taken as "" */
    int periodique;                          /* else a bilan de fin de cycle */
    const char *millesime;                   /* periodique: its year, millesime_len bytes */
    size_t millesime_len;
    long indice;       /* periodique: its period's index */
    const char *cycle; /* fin de cycle: cycle_len bytes */
    size_t cycle_len;
    long long tiebreak; /* >= 0 */
} lsu_order_fields;
/* The sort key of those fields, compared with strcmp (caller frees; NULL
 * when memory ran out). */
char *lsu_bilan_order_key(const lsu_order_fields *o);
/* Source line of a node (works past 65535 with XML_PARSE_BIG_LINES). */
long lsu_line(xmlNodePtr node);
void lsu_index_free(lsu_index *ix);
/* Forgets every pointer into the raw tree (the id hash, each bilan's node)
 * before that tree is freed; the bilans' strings stay. */
void lsu_index_release_tree(lsu_index *ix);

#endif
