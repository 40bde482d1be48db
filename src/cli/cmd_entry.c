/* The teachers' entry on the command line: lsu missing, the « ? » of a
 * class and period (what each bilan lacks to be locked).  The entry
 * itself is in school/entry.h. */
#include "cli/cli_int.h"
#include "school/entry.h"

#include <string.h>

/* ---- lsu missing ---- */

typedef struct {
    const char *period;
    int extra; /* an argument beside the options */
} missing_args;

static const cli_option missing_options[] = {
    CLI_STRING("period", 0, "PÉRIODE", offsetof(missing_args, period),
               "la période : son numéro (1, 2, 3) ou son libellé (« Trimestre 1 »)"),
    CLI_END,
};
static const cli_option *const missing_tables[] = {missing_options, NULL};

/* Any argument beside the options: said by check_missing. */
static int missing_extra(void *args, const char *arg, cli_ctx *c)
{
    (void)c;
    cli_usage_error(c->err, "argument inconnu « %s »", arg);
    ((missing_args *)args)->extra = 1;
    return -1;
}

/* --class and --period, and no other selection. */
static int check_missing(void *args, cli_ctx *c)
{
    const missing_args *a = args;
    if (a->extra || !c->sel.classe || !a->period || c->sel.ine || c->sel.niveau || c->sel.school) {
        cli_usage_error(c->err, "usage : lsu missing --uai UAI --class CLASSE --period PÉRIODE");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu missing`: the table, and 0 when every bilan is complete or
 * locked, 1 when some is not (lsu lock would leave it), 64 for a class
 * or period the store does not have. */
static int run_missing(void *args, cli_ctx *c)
{
    const missing_args *a = args;
    lsu_entry_scope sc;
    lsu_buf why = {0}, table = {0};
    int k = lsu_entry_scope_open(&c->st, c->sel.classe, a->period, &sc, &why);
    if (k != 0) {
        if (k < 0)
            store_error(c);
        else
            cli_error_remedy(c->err, NULL, why.data, &sc.remedy);
        lsu_buf_free(&why);
        return k < 0 ? LSU_EXIT_INTERNAL : LSU_EXIT_USAGE;
    }
    lsu_buf_free(&why);
    long n = lsu_entry_missing(&c->st, &sc, &table);
    int rc;
    if (n < 0) {
        store_error(c);
        rc = LSU_EXIT_INTERNAL;
    } else {
        lsu_buf text = {0};
        lsu_buf_printf(&text, "Classe %s, %s %d-%d : ce qui manque pour verrouiller\n", sc.classe, sc.periode,
                       sc.millesime, sc.millesime + 1);
        if (!table.len)
            lsu_buf_printf(&text, "Aucun élève de la classe dans la base élèves (lsu sync).\n");
        lsu_buf_puts(&text, table.data ? table.data : "");
        if (n == 0 && table.len)
            lsu_buf_puts(&text, "Tous les bilans sont complets ou verrouillés.\n");
        else if (n > 0)
            lsu_buf_printf(&text, "%ld bilan%s à compléter avant de verrouiller.\n", n, n > 1 ? "s" : "");
        rc = print_buf(&text, c->out, n > 0 ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK);
        lsu_buf_free(&text);
    }
    lsu_buf_free(&table);
    lsu_entry_scope_free(&sc);
    return rc;
}

const cli_spec cmd_missing_spec = {
    .run = run_missing,
    .tables = missing_tables,
    .args_size = sizeof(missing_args),
    .check = check_missing,
    .positional = missing_extra,
    .usage = "lsu missing --uai UAI --class CLASSE --period PÉRIODE",
    .summary = "Ce qui manque aux bilans d'une classe pour une période avant de les verrouiller (le « ? »).",
};
