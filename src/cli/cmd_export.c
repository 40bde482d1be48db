/* lsu export: the locked bilans of the school's store written as école
 * exports in the LSU import format, for the national LSU (see
 * school/export.h).  The dispatcher (cli.c) parses the common options,
 * compiles the schema and opens the store. */
#include "cli/cli_int.h"
#include "school/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *output_dir;
    const char *period;
    int all;
} export_args;

static const cli_option export_options[] = {
    CLI_STRING("output", 'o', "DOSSIER", offsetof(export_args, output_dir), "les fichiers d'import LSU dans DOSSIER"),
    CLI_STRING("period", 0, "N|cycle", offsetof(export_args, period),
               "seulement les bilans de la période N (1, 2, 3…) ou les bilans de fin de cycle"),
    CLI_BOOL("all", 0, offsetof(export_args, all), "un seul fichier pour toute la sélection (défaut : un par classe)"),
    CLI_END,
};
static const cli_option *const export_tables[] = {export_options, NULL};

/* lsu export takes no file. */
static int export_file(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    if (arg[0] != '-')
        cli_error(c->err, "« %s » : lsu export écrit les bilans de la base de l'école, sans fichier en entrée", arg);
    else
        cli_usage_error(c->err, "option inconnue ou incomplète « %s »", arg);
    return -1;
}

/* Reads --period: a period's number (1 to 12) or "cycle" into o; 0, or
 * -1 when it is neither. */
static int read_period(const char *s, lsu_export_options *o)
{
    if (!s)
        return 0;
    if (strcmp(s, "cycle") == 0) {
        o->cycle = 1;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || end == s || *end || n < 1 || n > 12)
        return -1;
    o->periode = (int)n;
    return 0;
}

/* The INEs of every --pupil (each a comma list), without repeats, into
 * *out (an array of n strings, caller frees the array and its strings).
 * 0, -1 when one is empty (message printed), -2 when memory ran out. */
static int read_pupils(cli_ctx *c, char ***out, size_t *n)
{
    *out = NULL, *n = 0;
    size_t cap = 0;
    for (int i = 0; i < c->npupils; i++) {
        const char *p = c->pupils[i];
        for (;;) {
            size_t len = strcspn(p, ",");
            int seen = 0;
            for (size_t j = 0; j < *n && !seen; j++)
                seen = strlen((*out)[j]) == len && strncmp((*out)[j], p, len) == 0;
            if (len == 0) {
                cli_usage_error(c->err, "--pupil : « %s » : un INE vide", c->pupils[i]);
                return -1;
            }
            if (!seen) {
                if (*n == cap) {
                    size_t ncap = cap ? cap * 2 : 8;
                    char **more = realloc(*out, ncap * sizeof *more);
                    if (!more)
                        return -2;
                    *out = more, cap = ncap;
                }
                if (!((*out)[*n] = strndup(p, len)))
                    return -2;
                ++*n;
            }
            if (!p[len])
                break;
            p += len + 1;
        }
    }
    return 0;
}

/* Frees what read_pupils made. */
static void free_pupils(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* An output folder, a period that is one, pupils that are INEs, a class
 * or a level. */
static int check_export(void *args, cli_ctx *c)
{
    export_args *a = args;
    lsu_export_options o = {0};
    if (!a->output_dir) {
        cli_usage_error(c->err, "l'export demande un dossier de sortie : -o DOSSIER");
        return LSU_EXIT_USAGE;
    }
    if (read_period(a->period, &o) != 0) {
        cli_usage_error(c->err, "--period : « %s » n'est pas une période (1, 2, 3… ou cycle)", a->period);
        return LSU_EXIT_USAGE;
    }
    if ((c->sel.classe && c->sel.niveau) || (c->sel.school && (c->sel.classe || c->sel.niveau || c->sel.ine))) {
        cli_usage_error(c->err, "lsu export choisit --class CLASSE ou --level NIVEAU, avec ou sans --pupil INE, ou "
                                "toute l'école");
        return LSU_EXIT_USAGE;
    }
    char **ines;
    size_t n;
    int k = read_pupils(c, &ines, &n);
    free_pupils(ines, n);
    return k == -1 ? LSU_EXIT_USAGE : k ? LSU_EXIT_INTERNAL : 0;
}

/* `lsu export --uai UAI [--class C | --level N] [--pupil INE,...]
 * [--period P] [--all] -o DOSSIER`.  Exit status: 0 every selected bilan
 * exported, 1 some left out (not locked, no teacher, not valid against the
 * schema: STO004) or none selected, 64 a class or a pupil unknown or no
 * directeur (nothing written), 70 the store, a stored bilan or a file
 * could not be read or written. */
static int run_export(void *args, cli_ctx *c)
{
    export_args *a = args;
    lsu_export_options o = {.classe = c->sel.classe, .niveau = c->sel.niveau, .all = a->all, .schema = c->rt.schema};
    (void)read_period(a->period, &o); /* checked */
    char **ines = NULL;
    size_t nines = 0;
    if (read_pupils(c, &ines, &nines) != 0) { /* checked: memory */
        free_pupils(ines, nines);
        cli_error(c->err, "mémoire insuffisante");
        return LSU_EXIT_INTERNAL;
    }
    o.ines = (const char *const *)ines;
    o.nines = nines;
    lsu_buf text = {0};
    lsu_export_counts n;
    char *error = NULL;
    int rc, k = lsu_school_export(&c->st, &o, a->output_dir, &n, &text, &error);
    if (n.unlocked && text.data) { /* the bilans not locked: lsu lock */
        lsu_remedy lock;
        lsu_remedy_set(&lock, LSU_REMEDY_LOCK, c->uai, NULL, NULL);
        char *t = cli_remedy_text(text.data, &lock, 0);
        if (t) {
            lsu_buf_free(&text);
            lsu_buf_puts(&text, t);
            free(t);
        }
    }
    if (k == -4) {
        int one = error && !strchr(error, ',');
        cli_buf_error(&text,
                      "%s %s %s pas dans la base de l'école %s (ni dans la base élèves, lsu sync, ni parmi les "
                      "bilans) ; rien n'est exporté",
                      one ? "l'élève d'INE" : "les élèves d'INE", error ? error : "?", one ? "n'est" : "ne sont",
                      c->uai);
        rc = LSU_EXIT_USAGE;
    } else if (k == -2) {
        cli_buf_error(&text,
                      "la classe « %s » n'est pas dans la base de l'école %s (libellé ou identifiant ONDE ; les "
                      "classes viennent de la base élèves : lsu sync) ; rien n'est exporté",
                      o.classe, c->uai);
        rc = LSU_EXIT_USAGE;
    } else if (k == -3) {
        cli_buf_error(&text,
                      "l'école %s n'a pas de directeur dans la base : l'import LSU demande le directeur qui vise les "
                      "bilans ; donnez-le avec lsu school --uai %s --directeur \"MME NOM Prénom\" ; rien n'est exporté",
                      c->uai, c->uai);
        rc = LSU_EXIT_USAGE;
    } else if (k != 0) {
        cli_buf_error(&text, "base de l'école %s : export interrompu : %s", c->uai,
                      error         ? error
                      : c->st.error ? c->st.error
                                    : "?");
        rc = LSU_EXIT_INTERNAL;
    } else if (n.selected == 0) {
        cli_buf_error(&text, "aucun bilan de la base de l'école %s ne correspond à la sélection : rien n'est exporté",
                      c->uai);
        rc = LSU_EXIT_BILAN_REJECTED;
    } else {
        rc = n.unreadable                           ? LSU_EXIT_INTERNAL
             : n.unlocked || n.skipped || n.invalid ? LSU_EXIT_BILAN_REJECTED
                                                    : LSU_EXIT_OK;
    }
    if (k == 0 && n.selected) {
        lsu_buf_printf(&text,
                       "base de l'école %s : %zu bilan%s exporté%s dans %zu fichier%s (%s/) ; %zu bilan%s non "
                       "verrouillé%s non exporté%s",
                       c->uai, n.exported, n.exported > 1 ? "s" : "", n.exported > 1 ? "s" : "", n.files,
                       n.files > 1 ? "s" : "", a->output_dir, n.unlocked, n.unlocked > 1 ? "s" : "",
                       n.unlocked > 1 ? "s" : "", n.unlocked > 1 ? "s" : "");
        if (n.invalid)
            lsu_buf_printf(&text, " ; %zu bilan%s non conforme%s au schéma non exporté%s (STO004)", n.invalid,
                           n.invalid > 1 ? "s" : "", n.invalid > 1 ? "s" : "", n.invalid > 1 ? "s" : "");
        lsu_buf_puts(&text, "\n");
    }
    rc = print_buf(&text, c->err, rc);
    free_pupils(ines, nines);
    free(error);
    lsu_buf_free(&text);
    return rc;
}

const cli_spec cmd_export_spec = {
    .run = run_export,
    .tables = export_tables,
    .args_size = sizeof(export_args),
    .check = check_export,
    .positional = export_file,
    .unknown = export_file,
    .usage = "lsu export --uai UAI [--class CLASSE | --level NIVEAU] [--pupil INE[,INE…]]… [--period N|cycle] [--all] "
             "-o DOSSIER",
    .summary = "Export vers LSU : les bilans verrouillés dans la base (lsu lock), en fichiers d'import LSU (un par "
               "classe, ou un avec --all) ; les autres sont listés.",
};
