/* The commands of the school's store: the prologue they share (options,
 * the store opened, output) and the dispatcher.  The commands are in
 * cmd_store.c (import, sync, lock, unlock, history, reports, edit --uai)
 * and cmd_settings.c (import-mode, periods).  Command code: the only place
 * of the store that prints or picks an exit status. */
#include "cli/store_cli.h"
#include "cli/store_int.h"
#include "import/nomenclature.h"
#include "lsu.h"

#include <stdlib.h>
#include <string.h>

/* See store_int.h. */
int parse_common(store_args *a, int argc, char **argv, FILE *err)
{
    memset(a, 0, sizeof *a);
    a->rest = calloc((size_t)argc + 1, sizeof *a->rest);
    if (!a->rest)
        return -1;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i] ? argv[i] : "", *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (value && strcmp(arg, "--data") == 0)
            a->data = argv[++i];
        else if (value && strcmp(arg, "--uai") == 0)
            a->uai = argv[++i];
        else if (value && strcmp(arg, "--pupil") == 0)
            a->sel.ine = argv[++i];
        else if (value && strcmp(arg, "--class") == 0)
            a->sel.classe = argv[++i];
        else if (value && strcmp(arg, "--level") == 0)
            a->sel.niveau = argv[++i];
        else if (strcmp(arg, "--school") == 0)
            a->sel.school = 1;
        else if (strcmp(arg, "--data") == 0 || strcmp(arg, "--uai") == 0 || strcmp(arg, "--pupil") == 0 ||
                 strcmp(arg, "--class") == 0 || strcmp(arg, "--level") == 0) {
            fprintf(err, "lsu: %s demande une valeur (voir lsu --help)\n", arg);
            return -1;
        } else
            a->rest[a->nrest++] = argv[i];
    }
    if (a->uai && !lsu_uai_valid(a->uai)) {
        fprintf(err, "lsu: --uai : « %s » n'est pas un UAI (7 chiffres et une lettre, 0290347V)\n", a->uai);
        return -1;
    }
    return 0;
}

/* See store_int.h. */
int open_store(const store_args *a, lsu_store *st, int create, FILE *err)
{
    if (!a->uai) {
        fprintf(err, "lsu: cette commande demande l'école : --uai UAI (voir lsu --help)\n");
        return LSU_EXIT_USAGE;
    }
    int status = lsu_store_open(st, lsu_store_data_dir(a->data), a->uai, create);
    if (status == STORE_OK)
        return 0;
    fprintf(err, "lsu: base de l'école %s : [%s] %s\n", a->uai, status == STORE_TOO_NEW ? "STO002" : "STO001",
            st->error ? st->error : "?");
    lsu_store_close(st);
    return LSU_EXIT_INTERNAL;
}

/* See store_int.h. */
int print_buf(const lsu_buf *b, FILE *out, int status)
{
    if (b->failed || (b->data && fputs(b->data, out) == EOF) || fflush(out) != 0)
        return LSU_EXIT_INTERNAL;
    return status;
}

/* See store_int.h. */
int one_selection(const lsu_selection *sel, int pupil_allowed, FILE *err)
{
    int n = (sel->ine != NULL) + (sel->classe != NULL) + (sel->niveau != NULL) + sel->school;
    if (n != 1 || (sel->ine && !pupil_allowed)) {
        fprintf(err, "lsu: choisissez %s--class CLASSE, --level NIVEAU ou --school (voir lsu --help)\n",
                pupil_allowed ? "--pupil INE, " : "");
        return -1;
    }
    return 0;
}

/* Is --uai among the arguments? (`lsu edit` edits from the store then.) */
static int has_uai(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (argv[i] && strcmp(argv[i], "--uai") == 0)
            return 1;
    return 0;
}

/* See store_cli.h. */
int lsu_store_command(const char *cmd, int argc, char **argv, FILE *out, FILE *err)
{
    if (strcmp(cmd, "sync") == 0)
        return cmd_sync(argc, argv, out, err);
    if (strcmp(cmd, "import") == 0)
        return cmd_import(argc, argv, out, err);
    if (strcmp(cmd, "import-mode") == 0)
        return cmd_import_mode(argc, argv, out, err);
    if (strcmp(cmd, "periods") == 0)
        return cmd_periods(argc, argv, out, err);
    if (strcmp(cmd, "lock") == 0)
        return cmd_lock(argc, argv, out, err, 0);
    if (strcmp(cmd, "unlock") == 0)
        return cmd_lock(argc, argv, out, err, 1);
    if (strcmp(cmd, "history") == 0)
        return cmd_history(argc, argv, out, err);
    if (strcmp(cmd, "reports") == 0)
        return cmd_reports(argc, argv, out, err);
    if (strcmp(cmd, "edit") == 0)
        return has_uai(argc, argv) ? cmd_edit(argc, argv, out, err) : -1;
    return -1;
}
