/* The spreadsheet round trip of the teachers' entry on the command line
 * (docs/SAISIE-TABLEUR.md): lsu template writes the CSV of a class and a
 * period, lsu enter reads it back filled and applies it in one
 * transaction, or nothing.  The reader, the checks and the writer are in
 * school/entry_csv.h, the entry itself in school/entry.h. */
#include "cli/cli_int.h"
#include "import/nomenclature.h"
#include "school/entry.h"
#include "school/entry_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Any argument that is no option. */
static int extra_argument(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    cli_usage_error(c->err, "argument inconnu « %s »", arg);
    return -1;
}

/* Opens the scope of a class and period; prints why not and returns an
 * exit status (0 when open): `unknown` for a class or period the store
 * does not have. */
static int open_scope(cli_ctx *c, const char *classe, const char *period, lsu_entry_scope *sc, const char *file,
                      int unknown)
{
    lsu_buf why = {0};
    int k = lsu_entry_scope_open(&c->st, classe, period, sc, &why);
    if (k < 0)
        store_error(c);
    else if (k != 0 && file) {
        char *t = cli_remedy_text(why.data ? why.data : "?", &sc->remedy, 1);
        cli_error(c->err, "%s : %s ; rien n'est enregistré", file, t ? t : "?");
        free(t);
    } else if (k != 0)
        cli_error_remedy(c->err, NULL, why.data, &sc->remedy);
    lsu_buf_free(&why);
    return k < 0 ? LSU_EXIT_INTERNAL : k != 0 ? unknown : 0;
}

/* The alerte of a class in import logiciel: the entry goes on, but the
 * next import of the tracking software replaces its unlocked bilans.
 * Nothing for a class in saisie manuelle or without a mode. */
static void warn_import_mode(cli_ctx *c, const lsu_entry_scope *sc)
{
    if (sc->import_mode && strcmp(sc->import_mode, "logiciel") == 0)
        cli_error(c->err,
                  "alerte : la classe %s est en import logiciel : la prochaine importation du logiciel de suivi "
                  "remplacera les bilans non verrouillés de la classe (lsu import-mode --class \"%s\" manuelle "
                  "pour la saisir ici)",
                  sc->classe, sc->classe);
}

/* ---- lsu template ---- */

typedef struct {
    const char *period, *domain, *output;
    int windows1252;
} template_args;

/* --encoding utf-8|windows-1252. */
static int opt_encoding(void *field, const char *value, cli_ctx *c)
{
    if (strcasecmp(value, "windows-1252") == 0 || strcasecmp(value, "cp1252") == 0)
        *(int *)field = 1;
    else if (strcasecmp(value, "utf-8") == 0 || strcasecmp(value, "utf8") == 0)
        *(int *)field = 0;
    else {
        cli_usage_error(c->err, "--encoding : « %s » : utf-8 ou windows-1252", value);
        return -1;
    }
    return 0;
}

static const cli_option template_options[] = {
    CLI_STRING("period", 0, "PÉRIODE", offsetof(template_args, period),
               "la période : son numéro (1, 2, 3) ou son libellé (« Trimestre 1 »)"),
    CLI_STRING("domain", 0, "DOMAINE", offsetof(template_args, domain),
               "un domaine ou sous-domaine, code (FRA-RAC) ou libellé (défaut : tous)"),
    CLI_CALLBACK("encoding", "ENCODAGE", offsetof(template_args, windows1252),
                 "utf-8 (défaut, avec BOM) ou windows-1252", opt_encoding),
    CLI_STRING("output", 'o', "FICHIER.csv", offsetof(template_args, output),
               "le modèle à écrire (obligatoire) ; FICHIER.xlsx : un classeur avec listes et contrôles"),
    CLI_END,
};
static const cli_option *const template_tables[] = {template_options, NULL};

/* Is the output an .xlsx workbook (by its name)? */
static int is_xlsx(const char *path)
{
    size_t n = strlen(path);
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

/* --class, --period and -o; no other selection; a workbook is UTF-8. */
static int check_template(void *args, cli_ctx *c)
{
    const template_args *a = args;
    if (!c->sel.classe || !a->period || !a->output || c->sel.ine || c->sel.niveau || c->sel.school) {
        cli_usage_error(c->err, "usage : lsu template --uai UAI --class CLASSE --period PÉRIODE [--domain DOMAINE] "
                                "-o FICHIER.csv|FICHIER.xlsx");
        return LSU_EXIT_USAGE;
    }
    if (a->windows1252 && is_xlsx(a->output)) {
        cli_usage_error(c->err, "--encoding : un classeur .xlsx n'a pas d'encodage à choisir (c'est l'export CSV "
                                "du tableur qui en a un)");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* The workbook's date: SOURCE_DATE_EPOCH when set (the tests), else 0 (now). */
static time_t workbook_date(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return end && *end == '\0' && v > 0 ? (time_t)v : 0;
}

/* `lsu template`: the CSV of a class and period written (temporary name,
 * rename, mode 0600: it holds pupils' data).  0 written, 64 for a class,
 * period or domain the store or the class does not have, 70 when it
 * cannot be written. */
static int run_template(void *args, cli_ctx *c)
{
    const template_args *a = args;
    lsu_entry_scope sc;
    int rc = open_scope(c, c->sel.classe, a->period, &sc, NULL, LSU_EXIT_USAGE);
    if (rc)
        return rc;
    warn_import_mode(c, &sc);
    lsu_entry_view v;
    if (lsu_entry_view_read(&c->st, &sc, &v) != 0) {
        store_error(c);
        lsu_entry_scope_free(&sc);
        return LSU_EXIT_INTERNAL;
    }
    lsu_buf out = {0}, why = {0};
    char *error = NULL;
    lsu_entry_template_options o = {.uai = c->uai, .domain = a->domain, .windows1252 = a->windows1252};
    int k = lsu_entry_template(&sc, &v, &o, &out, &why);
    if (k == 2) {
        cli_error(c->err, "%s", why.data ? why.data : "?");
        rc = LSU_EXIT_USAGE;
    } else if (k < 0 || out.failed) {
        cli_error(c->err, "mémoire insuffisante");
        rc = LSU_EXIT_INTERNAL;
    } else if (is_xlsx(a->output) && lsu_entry_template_xlsx(out.data, out.len, a->output, workbook_date(), &error)) {
        cli_error(c->err, "%s", error ? error : "?");
        rc = LSU_EXIT_INTERNAL;
    } else if (!is_xlsx(a->output) && lsu_write_file_atomic_mode(a->output, out.data, out.len, 0600) != 0) {
        cli_error(c->err, "%s : %s", a->output, lsu_strerror_fr(errno));
        rc = LSU_EXIT_INTERNAL;
    } else {
        lsu_buf text = {0};
        const char *domain = a->domain ? lsu_entry_csv_domain(a->domain, 0) : NULL;
        lsu_buf_printf(&text, "Modèle écrit : %s (classe %s, %s %d-%d, %s%s%s%s ; %zu élève%s)\n", a->output, sc.classe,
                       sc.periode, sc.millesime, sc.millesime + 1,
                       domain ? lsu_code_label("domaine", domain) : "tous les domaines", domain ? " (" : "",
                       domain ? domain : "", domain ? ")" : "", v.npupils, v.npupils > 1 ? "s" : "");
        rc = print_buf(&text, c->out, LSU_EXIT_OK);
        lsu_buf_free(&text);
    }
    free(error);
    lsu_buf_free(&out);
    lsu_buf_free(&why);
    lsu_entry_view_free(&v);
    lsu_entry_scope_free(&sc);
    return rc;
}

const cli_spec cmd_template_spec = {
    .run = run_template,
    .tables = template_tables,
    .args_size = sizeof(template_args),
    .check = check_template,
    .positional = extra_argument,
    .usage = "lsu template --uai UAI --class CLASSE --period PÉRIODE [--domain DOMAINE] -o FICHIER.csv\n"
             "lsu template --uai UAI --class CLASSE --period PÉRIODE --encoding windows-1252 -o FICHIER.csv",
    .summary = "Le modèle de saisie d'une classe pour une période, à remplir dans un tableur (docs/SAISIE-TABLEUR.md) "
               "puis à enregistrer avec lsu enter.",
};

/* ---- lsu enter ---- */

/* At most this many files in one lsu enter (a school's classes and
 * domains: 30 classes of 15 domains is 450). */
#define ENTER_MAX_FILES 1024

typedef struct {
    const char *files[ENTER_MAX_FILES];
    size_t nfiles;
    const char *file; /* the one being entered */
    const char *author;
    int dry_run;
} enter_args;

static const cli_option enter_options[] = {
    CLI_BOOL("dry-run", 0, offsetof(enter_args, dry_run), "montre ce qui changerait, sans rien enregistrer"),
    CLI_STRING("author", 0, "NOM", offsetof(enter_args, author),
               "qui a saisi (l'historique le nomme ; défaut : le nom du fichier)"),
    CLI_END,
};
static const cli_option *const enter_tables[] = {enter_options, NULL};

/* The filled templates, in the order given. */
static int enter_file(void *args, const char *arg, cli_ctx *c)
{
    enter_args *a = args;
    if (arg[0] == '-')
        return extra_argument(args, arg, c);
    if (a->nfiles == ENTER_MAX_FILES) {
        cli_usage_error(c->err, "lsu enter prend au plus %d fichiers à la fois", ENTER_MAX_FILES);
        return LSU_EXIT_USAGE;
    }
    a->files[a->nfiles++] = arg;
    return 0;
}

/* A file given; no selection (the file names its class). */
static int check_enter(void *args, cli_ctx *c)
{
    if (!((enter_args *)args)->nfiles || c->sel.ine || c->sel.classe || c->sel.niveau || c->sel.school) {
        cli_usage_error(c->err, "usage : lsu enter --uai UAI [--dry-run] [--author NOM] FICHIER.csv...");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* The message of a file made before the last change of its scope. */
static void stale_message(cli_ctx *c, const char *file, const lsu_entry_scope *sc, const char *author, const char *at)
{
    char day[11] = "";
    if (at && *at)
        lsu_date_fr_from_iso(at, day);
    lsu_buf who = {0};
    if ((author && *author) || *day)
        lsu_buf_printf(&who, " (modifiée%s%s%s%s)", author && *author ? " par " : "", author && *author ? author : "",
                       *day ? " le " : "", day);
    cli_error(c->err,
              "%s a été fait avant une autre saisie dans la classe %s pour la période %s %d-%d%s : rien n'est "
              "enregistré ; refaites le modèle (lsu template) et reportez-y vos changements",
              file, sc->classe, sc->periode, sc->millesime, sc->millesime + 1, who.data ? who.data : "");
    lsu_buf_free(&who);
}

/* Applies the file's changes and prints what they do; returns the exit
 * status. */
static int apply_file(cli_ctx *c, const enter_args *a, lsu_entry_csv *f, const lsu_entry_scope *sc)
{
    const char *file = lsu_basename(a->file);
    lsu_entry_options opt = {.author = a->author ? a->author : file,
                             .source = file,
                             .expect_state = f->state,
                             .dry_run = a->dry_run || f->nrefused > 0};
    lsu_entry_result res;
    memset(&res, 0, sizeof res);
    int k = lsu_entry_apply(&c->st, sc, f->changes, f->nchanges, &opt, &res);
    int rc;
    if (k < 0) {
        store_error(c);
        rc = LSU_EXIT_INTERNAL;
    } else if (k == 2) {
        stale_message(c, file, sc, res.stale_author, res.stale_at);
        rc = LSU_EXIT_FILE_REJECTED;
    } else if (k != 0 && k != 1) {
        cli_error_remedy(c->err, file, res.why ? res.why : "la saisie n'a pas pu être faite", &res.remedy);
        rc = LSU_EXIT_USAGE;
    } else {
        lsu_buf text = {0}, refusals = {0};
        for (size_t i = 0; i < res.nrefused; i++) /* the command of each refusal's remedy */
            if (res.refused[i].remedy.kind != LSU_REMEDY_NONE) {
                char *t = cli_remedy_text(res.refused[i].why, &res.refused[i].remedy, 1);
                if (t) {
                    free(res.refused[i].why);
                    res.refused[i].why = t;
                }
            }
        size_t n = lsu_entry_csv_refusals(f, k == 1 ? &res : NULL, &refusals);
        int same = !res.diff.len || strcmp(res.diff.data, "Aucune différence.\n") == 0;
        if (!n)
            lsu_buf_puts(&text, same ? "Aucune différence.\n" : res.diff.data);
        if (n) {
            lsu_buf_printf(&refusals, "Rien n'est enregistré : %zu case%s refusée%s ; corrigez-%s et relancez.\n", n,
                           n > 1 ? "s" : "", n > 1 ? "s" : "", n > 1 ? "les" : "la");
            rc = LSU_EXIT_BILAN_REJECTED;
        } else if (same) {
            rc = LSU_EXIT_OK;
        } else if (a->dry_run) {
            lsu_buf_puts(&text, "Simulation (--dry-run) : rien n'est enregistré.\n");
            rc = LSU_EXIT_OK;
        } else {
            lsu_buf_printf(&text, "Enregistré : %lld bilan%s modifié%s, %lld créé%s.\n", res.changed,
                           res.changed > 1 ? "s" : "", res.changed > 1 ? "s" : "", res.created,
                           res.created > 1 ? "s" : "");
            rc = LSU_EXIT_OK;
        }
        if (!n && res.completed.len)
            lsu_buf_printf(&text, "%s complets (lsu lock peut les verrouiller) :\n%s",
                           a->dry_run ? "Bilans qui deviendraient" : "Bilans devenus", res.completed.data);
        rc = print_buf(&text, c->out, rc);
        rc = print_buf(&refusals, c->err, rc);
        lsu_buf_free(&text);
        lsu_buf_free(&refusals);
    }
    lsu_entry_result_free(&res);
    return rc;
}

/* One file of `lsu enter`: its exit status (see run_enter). */
static int enter_one(const enter_args *a, cli_ctx *c)
{
    const char *file = lsu_basename(a->file);
    lsu_entry_csv f;
    int k = lsu_entry_csv_read(a->file, NULL, 0, &f);
    if (k != 0) {
        if (k < 0)
            cli_error(c->err, "mémoire insuffisante");
        else
            cli_error(c->err, "%s : %s ; rien n'est enregistré", file, f.error ? f.error : "?");
        lsu_entry_csv_free(&f);
        return k < 0 ? LSU_EXIT_INTERNAL : LSU_EXIT_FILE_REJECTED;
    }
    lsu_entry_scope sc;
    int rc = -1;
    if (f.id_be && *f.id_be) { /* by its ONDE id; when unknown, the class may have another now */
        lsu_buf why = {0};
        rc = lsu_entry_scope_open(&c->st, f.id_be, f.periode, &sc, &why);
        lsu_buf_free(&why);
        if (rc < 0) {
            store_error(c);
            lsu_entry_csv_free(&f);
            return LSU_EXIT_INTERNAL;
        }
    }
    if (rc != 0)
        rc = open_scope(c, f.classe, f.periode, &sc, file, LSU_EXIT_FILE_REJECTED);
    if (rc) {
        lsu_entry_csv_free(&f);
        return rc;
    }
    warn_import_mode(c, &sc);
    lsu_entry_view v;
    lsu_buf why = {0};
    if (lsu_entry_view_read(&c->st, &sc, &v) != 0) {
        store_error(c);
        rc = LSU_EXIT_INTERNAL;
    } else {
        k = lsu_entry_csv_check(&c->st, c->uai, &sc, &v, &f, &why);
        if (k < 0) {
            cli_error(c->err, "mémoire insuffisante");
            rc = LSU_EXIT_INTERNAL;
        } else if (k == 2) {
            cli_error(c->err, "%s : %s ; rien n'est enregistré", file, why.data ? why.data : "?");
            rc = LSU_EXIT_FILE_REJECTED;
        } else if (strcmp(f.state, v.state) != 0) {
            char *author = NULL, *at = NULL;
            char token[65];
            if (lsu_entry_state(&c->st, &sc, token, &author, &at) != 0) {
                store_error(c);
                rc = LSU_EXIT_INTERNAL;
            } else {
                stale_message(c, file, &sc, author, at);
                rc = LSU_EXIT_FILE_REJECTED;
            }
            free(author);
            free(at);
        } else
            rc = apply_file(c, a, &f, &sc);
        lsu_entry_view_free(&v);
    }
    lsu_buf_free(&why);
    lsu_entry_csv_free(&f);
    lsu_entry_scope_free(&sc);
    return rc;
}

/* `lsu enter`: each file in turn, each in its own transaction (one
 * refused leaves the others applied), in one process so that the store
 * and the program are opened once for a whole school's files; with
 * several files, each file's lines follow its name.  The worst status of
 * the files: 0 applied (or simulated), 1 cells refused (nothing written of
 * that file; one line each), 2 a file that is no template, made for
 * another school, class or period, or before another entry (stale), 64
 * what the school's settings lack, 70 a store failure. */
static int run_enter(void *args, cli_ctx *c)
{
    enter_args *a = args;
    int worst = LSU_EXIT_OK;
    for (size_t i = 0; i < a->nfiles; i++) {
        a->file = a->files[i];
        if (a->nfiles > 1 && fprintf(c->out, "%s%s :\n", i ? "\n" : "", lsu_basename(a->file)) < 0)
            return LSU_EXIT_INTERNAL;
        fflush(c->out);
        int rc = enter_one(a, c);
        if (rc > worst)
            worst = rc;
        if (rc == LSU_EXIT_INTERNAL)
            break; /* the store itself failed: the next files would too */
    }
    return worst;
}

const cli_spec cmd_enter_spec = {
    .run = run_enter,
    .tables = enter_tables,
    .args_size = sizeof(enter_args),
    .check = check_enter,
    .positional = enter_file,
    .usage = "lsu enter --uai UAI [--dry-run] [--author NOM] FICHIER.csv...",
    .summary = "Enregistre un modèle de saisie rempli (lsu template) : tout le fichier en une fois, ou rien si une "
               "case est refusée.",
};
