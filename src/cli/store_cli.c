/* The prologue the store commands share, done once by the dispatcher
 * (cli.c): the common options (--uai, --data, the selection), the store
 * opened and its error lines.  The commands are in cmd_store.c (import,
 * sync, lock, unlock, history, reports, edit --uai) and cmd_settings.c
 * (import-mode, periods).  Command code: the only place of the store that
 * prints or picks an exit status. */
#include "cli/cli_int.h"
#include "import/nomenclature.h"

#include <ctype.h>
#include <string.h>

/* --class: the selection's class (the last one given), and every one in
 * c->classes (lsu sync takes several). */
static int opt_class(void *field, const char *value, cli_ctx *c)
{
    *(const char **)field = value;
    if (c->classes)
        c->classes[c->nclasses++] = (char *)value;
    return 0;
}

/* --pupil: the selection's pupil (the last one given), and every one in
 * c->pupils (lsu export takes several). */
static int opt_pupil(void *field, const char *value, cli_ctx *c)
{
    *(const char **)field = value;
    if (c->pupils)
        c->pupils[c->npupils++] = (char *)value;
    return 0;
}

/* See cli_int.h. */
const cli_option store_options[] = {
    CLI_STRING("uai", 0, "UAI", offsetof(cli_ctx, uai), "l'école (7 chiffres et une lettre, 0290347V)"),
    CLI_STRING("data", 0, "DOSSIER", offsetof(cli_ctx, data),
               "dossier des bases (défaut : la variable LSU_DATA, sinon ./lsu-data)"),
    CLI_CALLBACK("pupil", "INE", offsetof(cli_ctx, sel.ine), "cet élève", opt_pupil),
    CLI_CALLBACK("class", "CLASSE", offsetof(cli_ctx, sel.classe), "cette classe", opt_class),
    CLI_STRING("level", 0, "NIVEAU", offsetof(cli_ctx, sel.niveau), "ce niveau (CP, CE1, CE2, CM1, CM2)"),
    CLI_BOOL("school", 0, offsetof(cli_ctx, sel.school), "toute l'école"),
    CLI_END,
};

/* Keeps an argument that is not a common option for the command. */
static int keep_rest(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    c->rest[c->nrest++] = (char *)arg;
    return 0;
}

/* A common option without its value is an error; any other option is
 * the command's. */
static int keep_unknown(void *args, const char *arg, cli_ctx *c)
{
    for (const cli_option *o = store_options; o->long_name; o++)
        if (o->argname && strncmp(arg, "--", 2) == 0 && strcmp(arg + 2, o->long_name) == 0) {
            cli_usage_error(c->err, "%s demande une valeur", arg);
            return -1;
        }
    return keep_rest(args, arg, c);
}

static const cli_option *const common_tables[] = {store_options, NULL};
static const cli_spec common_spec = {.tables = common_tables, .positional = keep_rest, .unknown = keep_unknown};

/* See cli_int.h. */
int store_parse_common(cli_ctx *c, int argc, char **argv)
{
    if (cli_parse(&common_spec, CMD_NO_HELP, c, argc, argv, c) != PARSE_OK)
        return -1;
    if (c->uai && !lsu_uai_valid(c->uai)) {
        /* asked for help, the UAI does not matter */
        for (int i = 0; i < c->nrest; i++)
            if (strcmp(c->rest[i], "--help") == 0 || strcmp(c->rest[i], "-h") == 0)
                return 1;
        cli_error(c->err, "--uai : « %s » n'est pas un UAI (7 chiffres et une lettre, 0290347V)", c->uai);
        return -1;
    }
    if (c->uai) {
        /* one store per school, whatever the case typed; and a wrong check
         * letter is a typo, not another school */
        for (int i = 0; i < 8; i++)
            c->uai_upper[i] = (char)toupper((unsigned char)c->uai[i]);
        c->uai_upper[8] = '\0';
        c->uai = c->uai_upper;
        if (lsu_uai_key(c->uai) != c->uai[7]) {
            cli_error(c->err, "--uai : « %s » : la lettre de contrôle de %.7s est %c (%.7s%c) ; vérifiez l'UAI", c->uai,
                      c->uai, lsu_uai_key(c->uai), c->uai, lsu_uai_key(c->uai));
            return -1;
        }
    }
    return 0;
}

/* See cli_int.h. */
int store_open(cli_ctx *c, int create)
{
    if (!c->uai) {
        cli_usage_error(c->err, "cette commande demande l'école : --uai UAI");
        return LSU_EXIT_USAGE;
    }
    int status = lsu_store_open(&c->st, lsu_store_data_dir(c->data), c->uai, create);
    if (status == STORE_OK)
        return 0;
    if (status == STORE_ABSENT) { /* a reading command never makes a store */
        char *why = cli_remedy_text(c->st.error ? c->st.error : "?", &c->st.remedy, 1);
        cli_error(c->err, "base de l'école %s : [STO001] %s", c->uai, why ? why : "?");
        free(why);
        lsu_store_close(&c->st);
        return LSU_EXIT_USAGE;
    }
    cli_error(c->err, "base de l'école %s : [%s] %s", c->uai, status == STORE_TOO_NEW ? "STO002" : "STO001",
              c->st.error ? c->st.error : "?");
    lsu_store_close(&c->st);
    return LSU_EXIT_INTERNAL;
}

/* See cli_int.h. */
void store_error(cli_ctx *c)
{
    cli_error(c->err, "base de l'école %s : %s", c->uai, c->st.error ? c->st.error : "?");
}

/* See cli_int.h. */
int print_buf(const lsu_buf *b, FILE *out, int status)
{
    if (b->failed || (b->data && fputs(b->data, out) == EOF) || fflush(out) != 0)
        return LSU_EXIT_INTERNAL;
    return status;
}

/* See cli_int.h. */
int one_selection(const lsu_selection *sel, int pupil_allowed, FILE *err)
{
    int n = (sel->ine != NULL) + (sel->classe != NULL) + (sel->niveau != NULL) + sel->school;
    if (n != 1 || (sel->ine && !pupil_allowed)) {
        cli_usage_error(err, "choisissez %s--class CLASSE, --level NIVEAU ou --school",
                        pupil_allowed ? "--pupil INE, " : "");
        return -1;
    }
    return 0;
}
