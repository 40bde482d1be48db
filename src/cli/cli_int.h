/* What the command line's files (src/cli/) share and nothing else uses:
 * the one message family (msg.c), the option tables and their parser
 * (args.c), the command table's entry and the context the dispatcher
 * (cli.c) hands every command.  Private to src/cli/. */
#ifndef LSU_CLI_INT_H
#define LSU_CLI_INT_H

#include "base/util.h"
#include "cli/remedy.h"
#include "lsu.h"
#include "school/school.h"
#include "school/schools.h"
#include "school/store.h"

#include <stddef.h>
#include <stdio.h>

/* ---- messages (msg.c) ---- */

/* Writes "lsu: " + the message + the line end on err. */
void cli_error(FILE *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, with " (voir lsu --help)" before the line end. */
void cli_usage_error(FILE *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_error of "prefix : text" (just text when prefix is NULL), the
 * words of remedy rm replaced by its command (cli_remedy_text). */
void cli_error_remedy(FILE *err, const char *prefix, const char *text, const lsu_remedy *rm);
/* Appends "lsu: " + the message + the line end to a text printed later. */
void cli_buf_error(lsu_buf *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- option tables (args.c) ---- */

struct cli_ctx;

typedef enum {
    OPT_FLAG,    /* int set to 1 */
    OPT_STRING,  /* const char * set to the next argument */
    OPT_INT,     /* long from the next argument, within [min, max], else `bad` */
    OPT_SIZE,    /* long long "256M"-style, at least min, else "--NAME : taille invalide" */
    OPT_CALLBACK /* cb(field, value, ctx); value NULL when argname is NULL */
} cli_opt_kind;

/* Option flags. */
enum {
    OPT_EQUALS = 1 /* --NAME=VALUE is read too */
};

/* One option of a command: both its parsing and its line of help. */
typedef struct {
    const char *long_name; /* without "--"; NULL ends a table */
    char short_name;       /* 0: none */
    cli_opt_kind kind;
    const char *argname; /* the value's name in the help; NULL: no value */
    size_t offset;       /* of the field in the command's args struct */
    const char *help;    /* French, one line */
    long long min, max;  /* OPT_INT, OPT_SIZE (min) */
    const char *bad;     /* OPT_INT: the message for a bad value ("%s": the value) */
    /* OPT_CALLBACK: 0, or -1 with the message printed */
    int (*cb)(void *field, const char *value, struct cli_ctx *c);
    unsigned flags;
} cli_option;

/* The context of one command's run, set up by the dispatcher. */
typedef struct cli_ctx {
    FILE *out, *err;
    const struct cli_command *cmd;
    char **pos; /* positional arguments, in order (owned array) */
    int npos;
    /* CMD_STORE: the common options and the store */
    const char *data, *uai;
    char uai_upper[9]; /* --uai in capitals (uai points here once checked) */
    lsu_selection sel;
    char **classes; /* every --class, in order (owned array; sel.classe the last) */
    int nclasses;
    char **pupils; /* every --pupil, in order (owned array; sel.ine the last) */
    int npupils;
    lsu_store st;
    char **rest; /* what the common options left, in order (owned array) */
    int nrest;
    /* CMD_RUNTIME */
    lsu_runtime rt;
} cli_ctx;

/* Command flags: the set-up the dispatcher does for the command. */
enum {
    CMD_STORE = 1 << 0,        /* parse --uai, --data and the selection first (UAI checked) */
    CMD_OPEN_STORE = 1 << 1,   /* then open the store of --uai after `check`, close it after */
    CMD_CREATE_STORE = 1 << 2, /* ... creating it when missing */
    CMD_RUNTIME = 1 << 3,      /* compile the runtime (schema, stylesheets) after `check` */
    CMD_WHEN_UAI = 1 << 4,     /* the entry only when --uai is among the arguments */
    CMD_DASHDASH = 1 << 5,     /* "--" ends the options */
    CMD_NO_OPTIONS = 1 << 6,   /* every argument is positional (but --help, -h) */
    CMD_SEL_PUPIL = 1 << 7,    /* the help shows --pupil INE */
    CMD_SEL_GROUP = 1 << 8,    /* the help shows --class, --level, --school */
    CMD_NO_HELP = 1 << 9,      /* cli_parse leaves --help to the positional callback */
    CMD_SEL_CLASS = 1 << 10,   /* the help shows --class (not --level, --school) */
};

/* What a command is, beside its name and flags (each in its cmd_*.c): its
 * options, its hooks and its help. */
typedef struct {
    int (*run)(void *args, cli_ctx *c);
    const cli_option *const *tables; /* NULL-terminated list of tables */
    size_t args_size;
    void (*init)(void *args);                                   /* defaults; NULL: zeros */
    int (*check)(void *args, cli_ctx *c);                       /* after the options; an exit status */
    int (*positional)(void *args, const char *arg, cli_ctx *c); /* NULL: into c->pos */
    int (*unknown)(void *args, const char *arg, cli_ctx *c);    /* NULL: "option inconnue ou incomplète" */
    const char *usage;                                          /* its usage lines, for lsu CMD --help */
    const char *summary;                                        /* one line, for lsu CMD --help */
} cli_spec;

/* One row of the command table in cli.c (git's cmd_struct). */
typedef struct cli_command {
    const char *name;    /* as typed */
    const char *display; /* in listings ("edit --uai"); NULL: name */
    const cli_spec *spec;
    unsigned flags;
} cli_command;

/* What cli_parse found. */
enum { PARSE_OK = 0, PARSE_ERROR = -1, PARSE_HELP = 1 };

/* Parses argv[0..argc) against the command's tables into args: options in
 * any order, positional arguments and unknown options to the command's
 * callbacks.  PARSE_OK, PARSE_ERROR (message printed) or PARSE_HELP
 * (--help or -h met as an option, unless flags hold CMD_NO_HELP).  flags:
 * the command's (CMD_DASHDASH, CMD_NO_OPTIONS). */
int cli_parse(const cli_spec *spec, unsigned flags, void *args, int argc, char **argv, cli_ctx *c);

/* Prints `lsu CMD --help`: the usage lines, the summary and every option
 * of the command's tables (and the store's common options it uses). */
void cli_print_help(const cli_command *cmd, FILE *out);

/* Prints, one a line, "CMD\t--LONG\t-S" for every documented option of
 * the command (lsu help --options, read by tests/run.sh). */
void cli_list_options(const cli_command *cmd, FILE *out);

/* "256M"-style sizes; -1 when malformed. */
long long cli_parse_size(const char *s);

/* The time and memory bounds of a command on files (bounds.c). */
#define CLI_DEFAULT_TIMEOUT 600L
#define CLI_DEFAULT_MAX_MEMORY (4LL * 1024 * 1024 * 1024)
typedef struct {
    long timeout;         /* seconds a file may take, 0: none */
    long long max_memory; /* address space of the process, 0: none */
} cli_bounds;
/* The defaults: 600 s, 4G (as lsu batch's). */
void cli_bounds_init(cli_bounds *b);
/* The memory bound set on the process, the alarm's handler installed. */
void cli_bounds_apply(const cli_bounds *b);
/* Before each file (lsu_jobs_options.before_file, ctx a cli_bounds): the
 * alarm set for that file. */
void cli_bounds_file(const char *path, void *bounds);
/* After the last file: the alarm cleared. */
void cli_bounds_end(void);
/* --max-memory TAILLE (at least 16M) into the long long at field. */
int cli_opt_max_memory(void *field, const char *value, cli_ctx *c);
/* The two options, for a command whose args hold a cli_bounds at FIELD. */
#define CLI_BOUNDS_OPTIONS(T, FIELD)                                                                                   \
    CLI_INT("timeout", 0, "SEC", offsetof(T, FIELD.timeout), "durée maximale du traitement d'un fichier (défaut 600)", \
            1, 7L * 24 * 3600, "--timeout : durée invalide « %s » (secondes, au moins 1)"),                            \
        CLI_CALLBACK("max-memory", "TAILLE", offsetof(T, FIELD.max_memory),                                            \
                     "mémoire maximale du traitement (défaut 4G)", cli_opt_max_memory)

/* The common options of the store commands (store_cli.c): --uai, --data,
 * then the selection --pupil, --class, --level, --school. */
extern const cli_option store_options[];

/* The store commands' prologue (store_cli.c): the common options parsed
 * out of argv into c, the other arguments left in c->rest; the UAI
 * checked.  0, -1 (message printed), or 1 when the UAI is not one but
 * --help is among the other arguments. */
int store_parse_common(cli_ctx *c, int argc, char **argv);

/* Opens the store of c->uai; prints why not and returns an exit status
 * (0 when open). */
int store_open(cli_ctx *c, int create);

/* "lsu: base de l'école UAI : ERROR" for a failed store call. */
void store_error(cli_ctx *c);

/* Prints a buffer to a stream; the exit status for a failed write. */
int print_buf(const lsu_buf *b, FILE *out, int status);

/* Exactly one of the selection options, or --school; prints why not. */
int one_selection(const lsu_selection *sel, int pupil_allowed, FILE *err);

/* Table entries (git's OPT_BOOL, OPT_STRING…): L the long name, S the
 * short one (0: none), A the value's name, OFF the field's offsetof, H the
 * help line. */
#define CLI_BOOL(L, S, OFF, H)                                                                                         \
    {                                                                                                                  \
        (L), (S), OPT_FLAG, NULL, (OFF), (H), 0, 0, NULL, NULL, 0                                                      \
    }
#define CLI_STRING(L, S, A, OFF, H)                                                                                    \
    {                                                                                                                  \
        (L), (S), OPT_STRING, (A), (OFF), (H), 0, 0, NULL, NULL, 0                                                     \
    }
#define CLI_STRING_EQ(L, S, A, OFF, H)                                                                                 \
    {                                                                                                                  \
        (L), (S), OPT_STRING, (A), (OFF), (H), 0, 0, NULL, NULL, OPT_EQUALS                                            \
    }
#define CLI_INT(L, S, A, OFF, H, MIN, MAX, BAD)                                                                        \
    {                                                                                                                  \
        (L), (S), OPT_INT, (A), (OFF), (H), (MIN), (MAX), (BAD), NULL, 0                                               \
    }
#define CLI_SIZE(L, A, OFF, H, MIN)                                                                                    \
    {                                                                                                                  \
        (L), 0, OPT_SIZE, (A), (OFF), (H), (MIN), 0, NULL, NULL, 0                                                     \
    }
#define CLI_CALLBACK(L, A, OFF, H, CB)                                                                                 \
    {                                                                                                                  \
        (L), 0, OPT_CALLBACK, (A), (OFF), (H), 0, 0, NULL, (CB), 0                                                     \
    }
#define CLI_END                                                                                                        \
    {                                                                                                                  \
        NULL, 0, OPT_FLAG, NULL, 0, NULL, 0, 0, NULL, NULL, 0                                                          \
    }

/* The edit options shared by lsu edit, run, batch and edit --uai: T the
 * args struct, BY its lsu_edit_by, E its lsu_edit_options member, R its
 * lsu_render_options member. */
#define CLI_RENDER_OPTIONS(T, R)                                                                                       \
    CLI_BOOL("watermark", 0, offsetof(T, R.watermark), "filigrane « Document de travail »"),                           \
        CLI_BOOL("test-print", 0, offsetof(T, R.test_print),                                                           \
                 "impression d'essai : aussi les bilans non verrouillés, sous le filigrane"),                          \
        CLI_BOOL("duplex", 0, offsetof(T, R.duplex), "pages blanches pour que chaque bilan commence au recto"),        \
        CLI_BOOL("per-guardian", 0, offsetof(T, R.per_guardian),                                                       \
                 "un exemplaire par responsable, adresse pour enveloppe à fenêtre"),                                   \
        CLI_BOOL("grayscale", 0, offsetof(T, R.grayscale), "en niveaux de gris")
#define CLI_BY_OPTION(T, BY)                                                                                           \
    CLI_CALLBACK("by", "class|level|school", offsetof(T, BY),                                                          \
                 "un zip par classe (défaut), par niveau ou pour l'école", cli_opt_by)
#define CLI_EDIT_OPTIONS(T, E, R)                                                                                      \
    CLI_BY_OPTION(T, E.by), CLI_STRING("pupil", 0, "INE", offsetof(T, E.ine), "seulement les bilans de cet élève"),    \
        CLI_STRING("class", 0, "LIBELLÉ", offsetof(T, E.classe), "seulement cette classe"),                            \
        CLI_STRING("level", 0, "NIVEAU", offsetof(T, E.niveau), "seulement ce niveau (CP, CE1, CE2, CM1, CM2)"),       \
        CLI_RENDER_OPTIONS(T, R)

/* --by class|level|school into an lsu_edit_by (args.c). */
int cli_opt_by(void *field, const char *value, cli_ctx *c);

/* Reads the académie's list of schools (--schools) into *list; 0, or -1
 * with each problem printed on err, located by its line (cmd_check.c). */
int read_school_list(const char *path, lsu_school_list *list, FILE *err);

/* The commands (cmd_*.c), for the table in cli.c. */
extern const cli_spec cmd_check_spec, cmd_edit_spec, cmd_run_spec, cmd_onde_spec, cmd_codes_spec, cmd_aide_spec;
extern const cli_spec cmd_batch_spec, cmd_merge_spec;
extern const cli_spec cmd_sync_spec, cmd_import_spec, cmd_lock_spec, cmd_unlock_spec, cmd_history_spec,
    cmd_reports_spec, cmd_edit_store_spec;
extern const cli_spec cmd_import_mode_spec, cmd_periods_spec, cmd_school_spec, cmd_export_spec;
extern const cli_spec cmd_missing_spec;
extern const cli_spec cmd_template_spec, cmd_enter_spec;
extern const cli_spec cmd_serve_spec, cmd_users_spec;

#endif
