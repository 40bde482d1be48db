/* The store commands that import, synchronise, lock, look back and edit:
 * lsu import, sync, lock, unlock, history, reports, edit --uai.  The
 * dispatcher (cli.c) parses their common options and opens the store as
 * their flags ask (store_cli.c). */
#include "cli/cli_int.h"
#include "job/job.h"
#include "school/store_edit.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* A store command's word for an argument it does not take. */
static int unknown_argument(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    cli_usage_error(c->err, "argument inconnu ou incomplet « %s »", arg);
    return -1;
}

/* ---- lsu import ---- */

typedef struct {
    const char *output_dir;
    int json, quiet;
    cli_bounds bounds;
} import_args;

/* lsu import's defaults: the bounds of the commands on files. */
static void init_import(void *args)
{
    cli_bounds_init(&((import_args *)args)->bounds);
}

static const cli_option import_options[] = {
    CLI_STRING("output", 'o', "DOSSIER", offsetof(import_args, output_dir),
               "écrit aussi les rapports de chaque fichier (comme lsu check -o)"),
    CLI_BOOL("json", 0, offsetof(import_args, json), "imprime le rapport JSON sur la sortie standard"),
    CLI_BOOL("quiet", 'q', offsetof(import_args, quiet), "n'imprime que le résumé de chaque fichier"),
    CLI_BOUNDS_OPTIONS(import_args, bounds),
    CLI_END,
};
static const cli_option *const import_tables[] = {import_options, NULL};

/* Files given, the output folder made. */
static int check_import(void *args, cli_ctx *c)
{
    const import_args *a = args;
    if (c->npos == 0) {
        cli_usage_error(c->err, "aucun fichier à importer");
        return LSU_EXIT_USAGE;
    }
    if (a->output_dir && lsu_mkdir_p(a->output_dir) != 0) {
        cli_error(c->err, "%s : création du dossier impossible : %s", a->output_dir, lsu_strerror_fr(errno));
        return LSU_EXIT_INTERNAL;
    }
    return 0;
}

/* Prints a file's text on the stream given (lsu_jobs_run's emit). */
static void emit_text(const char *text, void *stream)
{
    fputs(text, stream);
}

/* lsu_jobs_run's after_file: the store records the import, the report
 * kept being the text as printed. */
static int record_import(lsu_file *f, const char *printed, const char *json, int status, lsu_buf *text, void *ctx)
{
    return lsu_import_finish(ctx, f, printed, json, status, text);
}

/* `lsu import`: the pipeline, the settings rules, the bilans stored. */
static int run_import(void *args, cli_ctx *c)
{
    const import_args *a = args;
    lsu_import_ctx ctx = {.data_dir = lsu_store_data_dir(c->data), .uai = c->uai};
    lsu_job_options jo = {.output_dir = a->output_dir,
                          .write_reports = a->output_dir != NULL,
                          .quiet = a->quiet,
                          .opt = {.max_size = LSU_DEFAULT_MAX_SIZE},
                          .after_pipeline = lsu_import_hook,
                          .ctx = &ctx};
    lsu_jobs_options jso = {.json = a->json,
                            .json_null = 1,
                            .after_file = record_import,
                            .ctx = &ctx,
                            .before_file = cli_bounds_file,
                            .before_ctx = (void *)&a->bounds,
                            .emit = emit_text,
                            .emit_ctx = c->err};
    lsu_buf json = {0};
    cli_bounds_apply(&a->bounds);
    int status = lsu_jobs_run(c->pos, (size_t)c->npos, &c->rt, &jo, &jso, &json, NULL);
    cli_bounds_end();
    lsu_import_ctx_free(&ctx);
    if (a->json)
        status = print_buf(&json, c->out, status);
    lsu_buf_free(&json);
    return status;
}

const cli_spec cmd_import_spec = {
    .run = run_import,
    .tables = import_tables,
    .args_size = sizeof(import_args),
    .init = init_import,
    .check = check_import,
    .usage = "lsu import --uai UAI [--data DOSSIER] [-o DOSSIER] FICHIER.xml...",
    .summary = "Import : les règles qui demandent le paramétrage de l'école, les bilans acceptés enregistrés dans "
               "sa base (l'UAI de l'en-tête sans --uai).",
};

/* ---- lsu sync ---- */

typedef struct {
    const char *pupils, *teachers;
    int dry_run, force;
} sync_args;

static const cli_option sync_options[] = {
    CLI_STRING("teachers", 0, "FICHIER.csv", offsetof(sync_args, teachers),
               "la liste des enseignants (Civilité ; Nom ; Prénom ; Classes)"),
    CLI_BOOL("dry-run", 0, offsetof(sync_args, dry_run), "montre ce qui changerait, sans rien enregistrer"),
    CLI_BOOL("force", 0, offsetof(sync_args, force),
             "confirme une synchronisation qui retire la plupart des élèves (ou une classe qui a des bilans)"),
    CLI_END,
};
static const cli_option *const sync_tables[] = {sync_options, NULL};

/* The one ONDE extraction. */
static int sync_file(void *args, const char *arg, cli_ctx *c)
{
    sync_args *a = args;
    if (arg[0] != '-' && !a->pupils) {
        a->pupils = arg;
        return 0;
    }
    return unknown_argument(args, arg, c);
}

/* An ONDE extraction given; classes (--class) the only selection. */
static int check_sync(void *args, cli_ctx *c)
{
    if (!((sync_args *)args)->pupils) {
        cli_error(c->err, "usage : lsu sync --uai UAI [--data DOSSIER] CSVExtraction.csv [--teachers FICHIER.csv]");
        return LSU_EXIT_USAGE;
    }
    if (c->sel.ine || c->sel.niveau || c->sel.school) {
        cli_usage_error(c->err, "lsu sync choisit des classes : --class CLASSE (répétable), pas --pupil, --level ni "
                                "--school");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu sync FILE [--teachers FILE] [--class CLASSE]... [--dry-run]
 * [--force]`: Synchronisation élèves / enseignants.  Exit status: 0 every
 * line taken, 1 some lines ignored (reported), 2 a file refused (nothing
 * synchronised: the store is not even opened), 64 a class unknown or a
 * sync removing most of the school without --force (nothing written: the
 * command is to be typed again, with --class or --force). */
static int run_sync(void *args, cli_ctx *c)
{
    const sync_args *a = args;
    lsu_onde o;
    lsu_teachers t = {0};
    lsu_buf text = {0};
    int rc, refused = lsu_onde_read(a->pupils, NULL, 0, &o) != 0;
    lsu_onde_text(&o, a->pupils, &text);
    if (a->teachers) {
        refused |= lsu_teachers_read(a->teachers, NULL, 0, &t) != 0;
        lsu_teachers_text(&t, a->teachers, &text);
    }
    int ignored = o.lines_rejected > 0 || (a->teachers && t.lines_rejected > 0);
    if (refused) {
        lsu_buf_puts(&text, "Synchronisation non effectuée : un fichier est refusé.\n");
        rc = LSU_EXIT_FILE_REJECTED;
    } else if ((rc = store_open(c, 1)) == 0) {
        lsu_sync_options so = {.classes = (const char *const *)c->classes,
                               .class_count = (size_t)c->nclasses,
                               .dry_run = a->dry_run,
                               .force = a->force};
        int k = lsu_school_sync(&c->st, &o, a->teachers ? &t : NULL, &so, lsu_basename(a->pupils), &text);
        if (k < 0) {
            cli_buf_error(&text, "base de l'école %s : %s ; rien n'est synchronisé", c->uai,
                          c->st.error ? c->st.error : "?");
            rc = LSU_EXIT_INTERNAL;
        } else if (k == 2) {
            lsu_buf_puts(&text, "Rien n'est synchronisé.\n");
            rc = LSU_EXIT_USAGE;
        } else if (k == 1) {
            lsu_buf_puts(&text, "Rien n'est synchronisé. Pour une extraction de quelques classes, choisissez-les : "
                                "--class CLASSE (répétable) ; pour confirmer, relancez avec --force ; --dry-run "
                                "montre ce qui changerait.\n");
            rc = LSU_EXIT_USAGE;
        } else {
            rc = ignored ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK;
        }
        lsu_store_close(&c->st);
    }
    rc = print_buf(&text, c->err, rc);
    lsu_buf_free(&text);
    lsu_onde_free(&o);
    if (a->teachers)
        lsu_teachers_free(&t);
    return rc;
}

const cli_spec cmd_sync_spec = {
    .run = run_sync,
    .tables = sync_tables,
    .args_size = sizeof(sync_args),
    .check = check_sync,
    .positional = sync_file,
    .unknown = unknown_argument,
    .usage = "lsu sync --uai UAI [--data DOSSIER] CSVExtraction.csv [--teachers FICHIER.csv]\n"
             "lsu sync --uai UAI [--class CLASSE]... [--dry-run] [--force] CSVExtraction.csv",
    .summary = "Synchronisation élèves / enseignants (extraction ONDE, liste des enseignants) ; les bilans "
               "verrouillés ne sont pas modifiés.",
};

/* ---- lsu lock, unlock ---- */

/* lock and unlock take no argument but the common options. */
static int lock_argument(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    cli_usage_error(c->err, "argument inconnu « %s »", arg);
    return -1;
}

/* One selection (a pupil allowed). */
static int check_lock(void *args, cli_ctx *c)
{
    (void)args;
    return one_selection(&c->sel, 1, c->err) != 0 ? LSU_EXIT_USAGE : 0;
}

/* `lsu lock` / `lsu unlock` on the store opened. */
static int lock_or_unlock(cli_ctx *c, int unlock)
{
    lsu_buf text = {0};
    int rc, k = lsu_school_lock(&c->st, &c->sel, unlock, &text);
    if (k < 0) {
        store_error(c);
        rc = LSU_EXIT_INTERNAL;
    } else {
        rc = print_buf(&text, c->out, k ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK);
    }
    lsu_buf_free(&text);
    return rc;
}

/* `lsu lock`. */
static int run_lock(void *args, cli_ctx *c)
{
    (void)args;
    return lock_or_unlock(c, 0);
}

/* `lsu unlock`. */
static int run_unlock(void *args, cli_ctx *c)
{
    (void)args;
    return lock_or_unlock(c, 1);
}

const cli_spec cmd_lock_spec = {
    .run = run_lock,
    .args_size = 1,
    .check = check_lock,
    .positional = lock_argument,
    .unknown = lock_argument,
    .usage = "lsu lock --uai UAI (--pupil INE | --class CLASSE | --level NIVEAU | --school)",
    .summary = "Verrouiller : seulement les bilans complets ; « ? » dit ce qui manque.",
};

const cli_spec cmd_unlock_spec = {
    .run = run_unlock,
    .args_size = 1,
    .check = check_lock,
    .positional = lock_argument,
    .unknown = lock_argument,
    .usage = "lsu unlock --uai UAI (--pupil INE | --class CLASSE | --level NIVEAU | --school)",
    .summary = "Déverrouiller les bilans choisis.",
};

/* ---- lsu history ---- */

typedef struct {
    int extra; /* an argument beside the common options */
} history_args;

/* Any argument beside the common options: said by check_history. */
static int history_extra(void *args, const char *arg, cli_ctx *c)
{
    (void)arg, (void)c;
    ((history_args *)args)->extra = 1;
    return 0;
}

/* --pupil, or --school, and nothing else. */
static int check_history(void *args, cli_ctx *c)
{
    if (((history_args *)args)->extra || (!c->sel.ine == !c->sel.school) || c->sel.classe || c->sel.niveau) {
        cli_error(c->err, "usage : lsu history --uai UAI (--pupil INE | --school) [--data DOSSIER]");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* "07/07/2016 15:47:01" from an ISO 8601 UTC stamp into out. */
static void event_stamp(const char *iso, char out[24])
{
    if (strlen(iso) >= 19)
        snprintf(out, 24, "%.2s/%.2s/%.4s %.8s", iso + 8, iso + 5, iso, iso + 11);
    else
        snprintf(out, 24, "%s", iso);
}

/* `lsu history --school`: the school's events, newest first, as the
 * Historique of lsu serve lists them (who, when, what). */
static int school_history(cli_ctx *c)
{
    lsu_event_entry *e = NULL;
    size_t n = 0;
    long long total = 0;
    if (lsu_school_events(&c->st, 0, LLONG_MAX, &e, &n, &total) != 0) {
        lsu_school_events_free(e, n);
        store_error(c);
        return LSU_EXIT_INTERNAL;
    }
    lsu_buf text = {0};
    lsu_buf_printf(&text, "Historique de l'école %s : %lld événement%s\n", c->uai, total, total > 1 ? "s" : "");
    for (size_t i = 0; i < n; i++) {
        char when[24];
        event_stamp(e[i].at, when);
        const char *summary = e[i].summary ? e[i].summary : "";
        size_t first = strcspn(summary, "\n");
        lsu_buf_printf(&text, "%s  %s n° %lld  par %s%s%s%s%.*s\n", when, lsu_event_kind_label(e[i].kind), e[i].number,
                       e[i].author ? e[i].author : "ligne de commande", e[i].source ? " — " : "",
                       e[i].source ? e[i].source : "", first ? " — " : "", (int)first, summary);
    }
    lsu_school_events_free(e, n);
    int rc = print_buf(&text, c->out, LSU_EXIT_OK);
    lsu_buf_free(&text);
    return rc;
}

/* `lsu history --pupil INE`, or `--school`. */
static int run_history(void *args, cli_ctx *c)
{
    (void)args;
    if (c->sel.school)
        return school_history(c);
    lsu_buf text = {0};
    int rc, n = lsu_school_history(&c->st, c->sel.ine, &text);
    if (n < 0) {
        store_error(c);
        rc = LSU_EXIT_INTERNAL;
    } else if (n == 0) {
        cli_error(c->err, "aucun bilan de l'élève %s dans la base de l'école %s", c->sel.ine, c->uai);
        rc = LSU_EXIT_BILAN_REJECTED;
    } else {
        rc = print_buf(&text, c->out, LSU_EXIT_OK);
    }
    lsu_buf_free(&text);
    return rc;
}

const cli_spec cmd_history_spec = {
    .run = run_history,
    .args_size = sizeof(history_args),
    .check = check_history,
    .positional = history_extra,
    .unknown = history_extra,
    .usage = "lsu history --uai UAI --pupil INE\n"
             "lsu history --uai UAI --school",
    .summary = "Historique des bilans d'un élève (versions, imports, verrous) ; avec --school, les événements de "
               "l'école (qui, quand, quoi), du plus récent au plus ancien.",
};

/* ---- lsu reports ---- */

typedef struct {
    long show;
    int json;
} reports_args;

static const cli_option reports_options[] = {
    CLI_INT("show", 0, "N", offsetof(reports_args, show), "le rapport de l'import n° N", 1, LONG_MAX,
            "--show : « %s » n'est pas un numéro d'import"),
    CLI_BOOL("json", 0, offsetof(reports_args, json), "avec --show, le rapport JSON"),
    CLI_END,
};
static const cli_option *const reports_tables[] = {reports_options, NULL};

/* `lsu reports`: the imports of the school, or one report again. */
static int run_reports(void *args, cli_ctx *c)
{
    const reports_args *a = args;
    lsu_buf text = {0};
    int rc = 0;
    if (a->show) {
        char *report = NULL;
        /* a store that cannot be read has no such import, as it always had */
        if (lsu_school_import_report(&c->st, a->show, a->json, &report) > 0) {
            lsu_buf_puts(&text, report);
        } else {
            cli_error(c->err, "aucun import n° %ld dans la base de l'école %s", a->show, c->uai);
            rc = LSU_EXIT_BILAN_REJECTED;
        }
        free(report);
    } else {
        lsu_import_entry *e = NULL;
        size_t n = 0;
        /* a failed read lists the imports read before it, as it always has */
        (void)lsu_school_imports(&c->st, &e, &n);
        lsu_buf_puts(&text, "n°  date                  code  fichier — bilans\n");
        for (size_t i = 0; i < n; i++)
            lsu_buf_printf(&text, "%-3lld %.10s %.8s  %-4d  %s — %s\n", e[i].id, e[i].at, e[i].at + 11,
                           e[i].exit_status, e[i].source, e[i].summary);
        lsu_school_imports_free(e, n);
    }
    if (rc == 0)
        rc = print_buf(&text, c->out, LSU_EXIT_OK);
    lsu_buf_free(&text);
    return rc;
}

const cli_spec cmd_reports_spec = {
    .run = run_reports,
    .tables = reports_tables,
    .args_size = sizeof(reports_args),
    .positional = unknown_argument,
    .unknown = unknown_argument,
    .usage = "lsu reports --uai UAI [--show N [--json]]",
    .summary = "Rapports d'exécution des imports, à revoir.",
};

/* ---- lsu edit --uai ---- */

typedef struct {
    const char *output_dir;
    lsu_store_edit_options o;
} edit_store_args;

static const cli_option edit_store_options[] = {
    CLI_STRING("output", 'o', "DOSSIER", offsetof(edit_store_args, output_dir), "les zips dans DOSSIER/UAI/"),
    CLI_BY_OPTION(edit_store_args, o.by),
    CLI_RENDER_OPTIONS(edit_store_args, o.render),
    CLI_END,
};
static const cli_option *const edit_store_tables[] = {edit_store_options, NULL};

/* lsu edit --uai takes no file. */
static int edit_store_file(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    if (arg[0] != '-')
        cli_error(c->err,
                  "« %s » : lsu edit --uai édite les bilans de la base de l'école, sans fichier (sans --uai pour "
                  "éditer un fichier)",
                  arg);
    else
        cli_usage_error(c->err, "option inconnue ou incomplète « %s »", arg);
    return -1;
}

/* An output folder. */
static int check_edit_store(void *args, cli_ctx *c)
{
    if (!((edit_store_args *)args)->output_dir) {
        cli_usage_error(c->err, "l'édition demande un dossier de sortie : -o DOSSIER");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu edit --uai UAI -o DOSSIER [sélection] [options d'édition]`: the
 * locked bilans of the school's store as PDFs in zips under DOSSIER/UAI/.
 * Exit status: 0 every selected bilan edited, 1 some not locked (STO003)
 * or none selected, 70 the store or a zip could not be read or written. */
static int run_edit_store(void *args, cli_ctx *c)
{
    edit_store_args *a = args;
    a->o.sel = c->sel;
    lsu_buf text = {0};
    lsu_store_edit_counts n;
    char *error = NULL;
    int rc;
    if (lsu_store_edit(&c->st, &a->o, a->output_dir, &n, &text, &error) != 0) {
        cli_buf_error(&text, "base de l'école %s : édition interrompue : %s", c->uai,
                      error         ? error
                      : c->st.error ? c->st.error
                                    : "?");
        rc = LSU_EXIT_INTERNAL;
    } else if (n.selected == 0) {
        cli_buf_error(&text, "aucun bilan de la base de l'école %s ne correspond à la sélection", c->uai);
        rc = LSU_EXIT_BILAN_REJECTED;
    } else {
        rc = n.unreadable ? LSU_EXIT_INTERNAL : n.unlocked ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK;
    }
    if (n.selected)
        lsu_buf_printf(&text,
                       "base de l'école %s : %zu bilan%s édité%s, %zu PDF dans %zu zip%s (%s/%s/) ; %zu bilan%s "
                       "non verrouillé%s sans PDF\n",
                       c->uai, n.edited.bilans, n.edited.bilans > 1 ? "s" : "", n.edited.bilans > 1 ? "s" : "",
                       n.edited.pdfs, n.edited.zips, n.edited.zips > 1 ? "s" : "", a->output_dir, c->uai, n.unlocked,
                       n.unlocked > 1 ? "s" : "", n.unlocked > 1 ? "s" : "");
    rc = print_buf(&text, c->err, rc);
    free(error);
    lsu_buf_free(&text);
    return rc;
}

const cli_spec cmd_edit_store_spec = {
    .run = run_edit_store,
    .tables = edit_store_tables,
    .args_size = sizeof(edit_store_args),
    .check = check_edit_store,
    .positional = edit_store_file,
    .unknown = edit_store_file,
    .usage = "lsu edit --uai UAI [--data DOSSIER] [options d'édition] -o DOSSIER",
    .summary = "Éditer : les bilans verrouillés dans la base (lsu lock), en PDF dans des zips sous DOSSIER/UAI/ ; "
               "les autres sont listés (STO003).",
};
