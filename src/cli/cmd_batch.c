/* lsu batch and lsu merge on the command line: their option tables and
 * usage errors, the run itself left to the library (batch/batch.h). */
#include "batch/batch.h"
#include "cli/cli_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- lsu batch ---- */

/* --max-memory TAILLE (cli_opt_max_memory), remembered as given: field is
 * the lsu_batch_options. */
static int opt_max_memory(void *field, const char *value, cli_ctx *c)
{
    lsu_batch_options *a = field;
    if (cli_opt_max_memory(&a->max_memory, value, c) != 0)
        return -1;
    a->memory_given = 1;
    return 0;
}

static const cli_option batch_options[] = {
    CLI_STRING("output", 'o', "DOSSIER", offsetof(lsu_batch_options, out),
               "rapports et PDF dans DOSSIER/<UAI>/, synthèse dans DOSSIER/academie.html, .json et .csv"),
    CLI_INT("jobs", 'j', "N", offsetof(lsu_batch_options, jobs),
            "N fichiers traités à la fois (défaut : nombre de cœurs)", 1, 1024,
            "-j : nombre de processus invalide « %s » (1 à 1024)"),
    CLI_BOOL("force", 0, offsetof(lsu_batch_options, force),
             "retraite aussi les exports déjà traités avec le même contenu"),
    CLI_STRING("data", 0, "DOSSIER", offsetof(lsu_batch_options, data),
               "importe chaque export dans la base de son école, comme lsu import"),
    CLI_INT("timeout", 0, "SEC", offsetof(lsu_batch_options, timeout),
            "durée maximale du traitement d'un fichier (défaut 600)", 1, 7L * 24 * 3600,
            "--timeout : durée invalide « %s » (secondes, au moins 1)"),
    CLI_CALLBACK("max-memory", "TAILLE", 0, "mémoire maximale d'un traitement (défaut 4G)", opt_max_memory),
    CLI_STRING("files-from", 0, "LISTE", offsetof(lsu_batch_options, files_from),
               "seulement les fichiers de LISTE (chemins relatifs à BOÎTE)"),
    CLI_BOOL("stats", 0, offsetof(lsu_batch_options, stats), "ajoute la durée et la mémoire maximale au résumé"),
    CLI_SIZE("max-size", "TAILLE", offsetof(lsu_batch_options, opt.max_size),
             "taille maximale d'un fichier (comme lsu check)", 1),
    CLI_STRING("schools", 0, "FICHIER.csv", offsetof(lsu_batch_options, schools_path),
               "la liste des écoles de l'académie (UAI ; Nom ; Commune) : leur nom sur les bilans et dans la "
               "synthèse"),
    CLI_EDIT_OPTIONS(lsu_batch_options, edit, render),
    CLI_END,
};
static const cli_option *const batch_tables[] = {batch_options, NULL};

/* The library's defaults (lsu_batch_options_init). */
static void init_batch(void *args)
{
    lsu_batch_options_init(args);
}

/* The one inbox. */
static int batch_inbox(void *args, const char *arg, cli_ctx *c)
{
    lsu_batch_options *a = args;
    if (a->inbox) {
        cli_error(c->err, "lsu batch traite une seule boîte de réception (« %s » en trop)", arg);
        return -1;
    }
    a->inbox = arg;
    return 0;
}

/* An inbox and an output folder. */
static int check_batch(void *args, cli_ctx *c)
{
    const lsu_batch_options *a = args;
    if (!a->inbox || !a->out) {
        cli_usage_error(c->err, "usage : lsu batch [options] -o DOSSIER BOÎTE");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu batch INBOX -o OUT …`: the inbox a readable folder, then the run. */
static int run_batch(void *args, cli_ctx *c)
{
    lsu_batch_options *a = args;
    /* "boite/" and "boite" name the same exports: "boite/x.xml" in messages */
    char *inbox = strdup(a->inbox);
    if (!inbox)
        return LSU_EXIT_INTERNAL;
    for (size_t len = strlen(inbox); len > 1 && inbox[len - 1] == '/'; len--)
        inbox[len - 1] = '\0';
    a->inbox = inbox;
    struct stat st;
    int status;
    lsu_school_list list = {0};
    if (stat(a->inbox, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error(c->err, "%s : la boîte de réception n'est pas un dossier lisible", a->inbox);
        status = LSU_EXIT_USAGE;
    } else if (a->schools_path && read_school_list(a->schools_path, &list, c->err) != 0) {
        status = LSU_EXIT_USAGE; /* nothing is run */
    } else {
        a->schools = a->schools_path ? &list : NULL;
        status = lsu_batch_run(a, c->err);
    }
    lsu_school_list_free(&list);
    free(inbox);
    return status;
}

const cli_spec cmd_batch_spec = {
    .run = run_batch,
    .tables = batch_tables,
    .args_size = sizeof(lsu_batch_options),
    .init = init_batch,
    .check = check_batch,
    .positional = batch_inbox,
    .usage = "lsu batch [options de lot] [options d'édition] -o DOSSIER BOÎTE",
    .summary = "Traite chaque export trouvé sous BOÎTE : rapports et PDF dans DOSSIER/<UAI>/, synthèse de "
               "l'académie dans DOSSIER/academie.html, .json et .csv.",
};

/* ---- lsu merge ---- */

typedef struct {
    const char *dest;
    const char *schools;
} merge_args;

static const cli_option merge_options[] = {
    CLI_STRING("output", 'o', "DOSSIER", offsetof(merge_args, dest),
               "la synthèse de l'académie refaite dans DOSSIER, les écoles des lots rassemblées"),
    CLI_STRING("schools", 0, "FICHIER.csv", offsetof(merge_args, schools),
               "la liste des écoles de l'académie : leur nom dans la synthèse"),
    CLI_END,
};
static const cli_option *const merge_tables[] = {merge_options, NULL};

/* An output folder and at least one shard. */
static int check_merge(void *args, cli_ctx *c)
{
    if (!((merge_args *)args)->dest || c->npos == 0) {
        cli_usage_error(c->err, "usage : lsu merge [--schools FICHIER.csv] -o DOSSIER LOT...");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu merge [--schools LISTE] -o OUT SHARD...`. */
static int run_merge(void *args, cli_ctx *c)
{
    const merge_args *a = args;
    lsu_school_list list = {0};
    if (a->schools && read_school_list(a->schools, &list, c->err) != 0)
        return LSU_EXIT_USAGE;
    int status =
        lsu_batch_merge(a->dest, (const char *const *)c->pos, (size_t)c->npos, a->schools ? &list : NULL, c->err);
    lsu_school_list_free(&list);
    return status;
}

const cli_spec cmd_merge_spec = {
    .run = run_merge,
    .tables = merge_tables,
    .args_size = sizeof(merge_args),
    .check = check_merge,
    .usage = "lsu merge [--schools FICHIER.csv] -o DOSSIER LOT...",
    .summary = "Refait la synthèse de l'académie à partir des dossiers LOT de plusieurs lots et y rassemble leurs "
               "écoles.",
};
