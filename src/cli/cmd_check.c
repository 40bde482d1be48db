/* The commands on files: lsu check, edit, run (the pipeline on every file,
 * the reports and PDFs written), lsu onde (an ONDE extraction read) and
 * lsu codes (the diagnostic catalogue).  Their options are tables (see
 * cli_int.h); the dispatcher in cli.c parses them. */
#include "cli/cli_int.h"
#include "job/job.h"
#include "pdf/edit.h"
#include "pdf/render.h"
#include "report/report.h"
#include "school/onde.h"

#include <errno.h>
#include <string.h>

/* ---- lsu check, edit, run ---- */

typedef enum { MODE_CHECK, MODE_EDIT, MODE_RUN } cli_mode;

typedef struct {
    cli_mode mode;
    const char *output_dir;
    int normalised;
    int json;
    int quiet;
    lsu_options opt;
    lsu_edit_options edit;
    lsu_render_options render;
    cli_bounds bounds;
    const char *schools; /* --schools: the académie's list of schools */
} check_args;

static const cli_option check_options[] = {
    CLI_STRING_EQ("output", 'o', "DOSSIER", offsetof(check_args, output_dir),
                  "écrit pour chaque fichier NOM.rapport.html, NOM.rapport.json et NOM.rapport.csv"),
    CLI_BOOL("normalise", 0, offsetof(check_args, normalised),
             "avec -o, écrit aussi NOM.normalise.xml, la forme normalisée lue par les étapes suivantes"),
    CLI_BOOL("json", 0, offsetof(check_args, json),
             "imprime le rapport JSON sur la sortie standard ({\"files\": [...]} pour plusieurs fichiers)"),
    CLI_BOOL("quiet", 'q', offsetof(check_args, quiet), "n'imprime que le résumé de chaque fichier sur stderr"),
    CLI_SIZE("max-size", "TAILLE", offsetof(check_args, opt.max_size),
             "taille maximale d'un fichier (octets, suffixes k, M, G ; 64M par défaut)", 1),
    CLI_BOUNDS_OPTIONS(check_args, bounds),
    CLI_END,
};

static const cli_option edit_options[] = {
    CLI_EDIT_OPTIONS(check_args, edit, render),
    CLI_STRING("schools", 0, "FICHIER.csv", offsetof(check_args, schools),
               "la liste des écoles de l'académie (UAI ; Nom ; Commune) : le nom de l'école en tête des bilans"),
    CLI_END,
};

static const cli_option *const check_tables[] = {check_options, NULL};
static const cli_option *const edit_tables[] = {check_options, edit_options, NULL};

/* The last file of a run is left to the system when the process exits:
 * freeing its trees node by node costs up to a tenth of the run, and
 * nothing comes after.  The pointer stays reachable (leak checkers do not
 * count it); a later call of lsu_main in the same process frees it. */
static lsu_file *kept_file;

/* Prints a file's text on the stream given (lsu_jobs_run's emit). */
static void emit_text(const char *text, void *stream)
{
    fputs(text, stream);
}

/* Frees the file kept by the previous call, and keeps f (NULL: none). */
static void keep_until_exit(lsu_file *f)
{
    lsu_file_free(kept_file);
    kept_file = f;
}

/* The defaults of lsu check, edit and run. */
static void init_check(void *args)
{
    check_args *a = args;
    a->opt.max_size = LSU_DEFAULT_MAX_SIZE;
    cli_bounds_init(&a->bounds);
}

/* lsu edit's defaults: lsu check's, edit mode. */
static void init_edit(void *args)
{
    init_check(args);
    ((check_args *)args)->mode = MODE_EDIT;
}

/* lsu run's defaults: lsu check's, run mode. */
static void init_run(void *args)
{
    init_check(args);
    ((check_args *)args)->mode = MODE_RUN;
}

/* Files given, an output folder for the PDFs, the folder made. */
static int check_check(void *args, cli_ctx *c)
{
    check_args *a = args;
    if (c->npos == 0) {
        cli_usage_error(c->err, "aucun fichier à vérifier");
        return LSU_EXIT_USAGE;
    }
    if (a->mode != MODE_CHECK && !a->output_dir) {
        cli_usage_error(c->err, "l'édition demande un dossier de sortie : -o DOSSIER");
        return LSU_EXIT_USAGE;
    }
    if (a->output_dir && lsu_mkdir_p(a->output_dir) != 0) {
        cli_error(c->err, "%s : création du dossier impossible : %s", a->output_dir, lsu_strerror_fr(errno));
        return LSU_EXIT_INTERNAL;
    }
    return 0;
}

/* See cli_int.h. */
int read_school_list(const char *path, lsu_school_list *list, FILE *err)
{
    lsu_buf why = {0};
    int rc = lsu_school_list_read(path, list, &why);
    if (rc != 0) {
        /* one line a problem, each located */
        for (const char *p = why.data ? why.data : ""; *p;) {
            size_t n = strcspn(p, "\n");
            cli_error(err, "--schools : %.*s", (int)n, p);
            p += n + (p[n] == '\n');
        }
        cli_error(err, "--schools : liste des écoles refusée, aucun export traité");
    }
    lsu_buf_free(&why);
    return rc;
}

/* `lsu check`, `lsu edit` and `lsu run`: every file through the job. */
static int run_check(void *args, cli_ctx *c)
{
    check_args *a = args;
    lsu_school_list list = {0};
    if (a->schools && read_school_list(a->schools, &list, c->err) != 0)
        return LSU_EXIT_USAGE;
    lsu_buf json = {0};
    lsu_job_options jo = {.schools = a->schools ? &list : NULL,
                          .output_dir = a->output_dir,
                          .write_reports = a->mode != MODE_EDIT,
                          .normalised = a->normalised,
                          .edit = a->mode != MODE_CHECK,
                          .quiet = a->quiet,
                          .release_normalised = 1,
                          .opt = a->opt,
                          .edit_opt = a->edit,
                          .render = a->render};
    lsu_jobs_options jso = {.json = a->json,
                            .keep_last = 1,
                            .before_file = cli_bounds_file,
                            .before_ctx = &a->bounds,
                            .emit = emit_text,
                            .emit_ctx = c->err};
    lsu_file *last = NULL;
    cli_bounds_apply(&a->bounds);
    int status = lsu_jobs_run(c->pos, (size_t)c->npos, &c->rt, &jo, &jso, &json, &last);
    cli_bounds_end();
    keep_until_exit(last);
    if (a->json && (json.failed || fputs(json.data, c->out) == EOF || fflush(c->out) != 0)) {
        cli_error(c->err, "écriture du JSON sur la sortie standard impossible");
        status = LSU_EXIT_INTERNAL;
    }
    lsu_buf_free(&json);
    lsu_school_list_free(&list);
    return status;
}

const cli_spec cmd_check_spec = {
    .run = run_check,
    .tables = check_tables,
    .args_size = sizeof(check_args),
    .init = init_check,
    .check = check_check,
    .usage = "lsu check [options] FICHIER.xml...",
    .summary = "Vérifie des exports LSU comme le ferait l'import du Livret Scolaire Unique et écrit le rapport "
               "d'exécution.",
};

const cli_spec cmd_edit_spec = {
    .run = run_check,
    .tables = edit_tables,
    .args_size = sizeof(check_args),
    .init = init_edit,
    .check = check_check,
    .usage = "lsu edit [options d'édition] -o DOSSIER FICHIER.xml...",
    .summary = "Édite en PDF les bilans importés : un PDF par élève et par période, un par classe, dans des zips "
               "avec un manifeste.",
};

const cli_spec cmd_run_spec = {
    .run = run_check,
    .tables = edit_tables,
    .args_size = sizeof(check_args),
    .init = init_run,
    .check = check_check,
    .usage = "lsu run [options] [options d'édition] -o DOSSIER FICHIER.xml...",
    .summary = "Fait lsu check et lsu edit : rapports et PDF.",
};

/* ---- lsu onde ---- */

typedef struct {
    int teachers;
} onde_args;

static const cli_option onde_options[] = {
    CLI_BOOL("teachers", 0, offsetof(onde_args, teachers),
             "les fichiers sont des listes d'enseignants (Civilité ; Nom ; Prénom ; Classes)"),
    CLI_END,
};
static const cli_option *const onde_tables[] = {onde_options, NULL};

/* lsu onde's word for an unknown option. */
static int onde_unknown(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    cli_usage_error(c->err, "option inconnue « %s »", arg);
    return -1;
}

/* At least one file. */
static int check_onde(void *args, cli_ctx *c)
{
    (void)args;
    if (c->npos == 0) {
        cli_usage_error(c->err, "aucun fichier CSV à vérifier");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu onde`: reads ONDE extractions (or teachers' lists) and prints what
 * sync would take from them.  Exit status: 0 every line kept, 1 a line
 * ignored, 2 a file refused. */
static int run_onde(void *args, cli_ctx *c)
{
    const onde_args *a = args;
    int status = LSU_EXIT_OK;
    for (int i = 0; i < c->npos; i++) {
        const char *name = c->pos[i];
        lsu_buf text = {0};
        int rc, rejected, oom;
        if (a->teachers) {
            lsu_teachers t;
            rc = lsu_teachers_read(name, NULL, 0, &t);
            lsu_teachers_text(&t, name, &text);
            rejected = t.lines_rejected > 0;
            oom = t.diags.oom;
            lsu_teachers_free(&t);
        } else {
            lsu_onde o;
            rc = lsu_onde_read(name, NULL, 0, &o);
            lsu_onde_text(&o, name, &text);
            rejected = o.lines_rejected > 0;
            oom = o.diags.oom;
            lsu_onde_free(&o);
        }
        if (text.data)
            fputs(text.data, c->err);
        lsu_buf_free(&text);
        int file_status = oom        ? LSU_EXIT_INTERNAL
                          : rc != 0  ? LSU_EXIT_FILE_REJECTED
                          : rejected ? LSU_EXIT_BILAN_REJECTED
                                     : LSU_EXIT_OK;
        if (oom)
            cli_error(c->err, "%s : mémoire insuffisante", name);
        if (file_status > status)
            status = file_status;
    }
    return status;
}

const cli_spec cmd_onde_spec = {
    .run = run_onde,
    .tables = onde_tables,
    .args_size = sizeof(onde_args),
    .check = check_onde,
    .unknown = onde_unknown,
    .usage = "lsu onde [--teachers] FICHIER.csv...",
    .summary = "Vérifie une extraction élèves d'ONDE (CSVExtraction.csv) sans rien enregistrer : classes, élèves, "
               "lignes ignorées et pourquoi.",
};

/* ---- lsu codes ---- */

typedef struct {
    int markdown, json;
    int given; /* options met: one at most */
    int bad;   /* anything else met */
} codes_args;

/* --markdown: field is the whole codes_args. */
static int opt_markdown(void *field, const char *value, cli_ctx *c)
{
    codes_args *a = field;
    (void)value, (void)c;
    a->markdown = 1;
    a->given++;
    return 0;
}

/* --json: field is the whole codes_args. */
static int opt_json(void *field, const char *value, cli_ctx *c)
{
    codes_args *a = field;
    (void)value, (void)c;
    a->json = 1;
    a->given++;
    return 0;
}

/* Any other argument: said by check_codes. */
static int codes_other(void *args, const char *arg, cli_ctx *c)
{
    (void)arg, (void)c;
    ((codes_args *)args)->bad = 1;
    return 0;
}

static const cli_option codes_options[] = {
    CLI_CALLBACK("markdown", NULL, 0, "le catalogue en Markdown (docs/DIAGNOSTICS.md)", opt_markdown),
    CLI_CALLBACK("json", NULL, 0, "le catalogue en JSON", opt_json),
    CLI_END,
};
static const cli_option *const codes_tables[] = {codes_options, NULL};

/* One of --markdown and --json at most, nothing else. */
static int check_codes(void *args, cli_ctx *c)
{
    const codes_args *a = args;
    if (a->bad || a->given > 1) {
        cli_error(c->err, "usage : lsu codes [--markdown | --json]");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu codes`: prints the diagnostic catalogue (text, Markdown or JSON). */
static int run_codes(void *args, cli_ctx *c)
{
    const codes_args *a = args;
    lsu_buf b = {0};
    if (a->markdown)
        lsu_buf_puts(&b,
                     "# Catalogue des diagnostics de lsu\n\n"
                     "Généré par `lsu codes --markdown` depuis `src/base/catalog.def` : ne pas modifier à la main.\n\n"
                     "Gravité : **fatal** le fichier est rejeté en entier ; **bloquant** le bilan est rejeté ; "
                     "**alerte** le bilan est importé avec une alerte ; **info** simple information. "
                     "Toute erreur de schéma (XSD, REF001, REF002) est fatale, même dans un bilan : LSU "
                     "refuse le fichier ; le rapport dit ce que deviendrait chaque bilan une fois ces erreurs "
                     "corrigées.\n\n"
                     "| Code | Gravité | Intitulé | Signification | Que faire |\n|---|---|---|---|---|\n");
    if (a->json)
        lsu_buf_puts(&b, "[");
    for (int i = 0; i < DIAG_COUNT; i++) {
        const lsu_code_info *ci = lsu_code_lookup((lsu_code)i);
        if (a->markdown) {
            lsu_buf_printf(&b, "| %s | %s | %s | %s | %s |\n", ci->code, lsu_severity_name(ci->severity), ci->title,
                           ci->meaning, ci->action);
        } else if (a->json) {
            lsu_buf_puts(&b, i ? ",\n {\"code\": " : "\n {\"code\": ");
            lsu_buf_json_string(&b, ci->code);
            lsu_buf_puts(&b, ", \"severity\": ");
            lsu_buf_json_string(&b, lsu_severity_name(ci->severity));
            lsu_buf_puts(&b, ", \"title\": ");
            lsu_buf_json_string(&b, ci->title);
            lsu_buf_puts(&b, ", \"meaning\": ");
            lsu_buf_json_string(&b, ci->meaning);
            lsu_buf_puts(&b, ", \"action\": ");
            lsu_buf_json_string(&b, ci->action);
            lsu_buf_puts(&b, "}");
        } else {
            lsu_buf_printf(&b, "%s  %-17s %s\n        %s\n        → %s\n", ci->code, lsu_severity_name(ci->severity),
                           ci->title, ci->meaning, ci->action);
        }
    }
    if (a->json)
        lsu_buf_puts(&b, "\n]\n");
    int rc = LSU_EXIT_OK;
    if (b.failed || fputs(b.data, c->out) == EOF || fflush(c->out) != 0) {
        cli_error(c->err, "écriture impossible sur la sortie standard");
        rc = LSU_EXIT_INTERNAL;
    }
    lsu_buf_free(&b);
    return rc;
}

const cli_spec cmd_codes_spec = {
    .run = run_codes,
    .tables = codes_tables,
    .args_size = sizeof(codes_args),
    .check = check_codes,
    .positional = codes_other,
    .unknown = codes_other,
    .usage = "lsu codes [--markdown | --json]",
    .summary = "Imprime le catalogue des diagnostics (code, gravité, intitulé, signification, que faire).",
};
