/* lsu batch and lsu merge on the command line: their arguments parsed
 * into what the library takes (batch/batch.h), usage errors said here, the
 * run itself left to the library. */
#include "cli/cmd_batch.h"
#include "batch/batch.h"
#include "cli/cli.h"
#include "lsu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Parses the command line of lsu batch; 0, or the exit status of a usage
 * error (message printed). */
static int parse_batch_args(lsu_batch_options *a, int argc, char **argv, FILE *err)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        int k;
        if ((strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) && value) {
            a->out = argv[++i];
        } else if ((strcmp(arg, "-j") == 0 || strcmp(arg, "--jobs") == 0) && value) {
            char *end;
            errno = 0;
            a->jobs = strtol(argv[++i], &end, 10);
            if (errno || *end || end == value || a->jobs < 1 || a->jobs > 1024) {
                fprintf(err, "lsu: -j : nombre de processus invalide « %s » (1 à 1024)\n", value);
                return LSU_EXIT_USAGE;
            }
        } else if (strcmp(arg, "--timeout") == 0 && value) {
            char *end;
            errno = 0;
            a->timeout = strtol(argv[++i], &end, 10);
            if (errno || *end || end == value || a->timeout < 1 || a->timeout > 7L * 24 * 3600) {
                fprintf(err, "lsu: --timeout : durée invalide « %s » (secondes, au moins 1)\n", value);
                return LSU_EXIT_USAGE;
            }
        } else if ((strcmp(arg, "--max-memory") == 0 || strcmp(arg, "--max-size") == 0) && value) {
            long long v = lsu_cli_parse_size(argv[++i]);
            if (v <= 0 || (arg[6] == 'm' && v < 16LL * 1024 * 1024)) {
                fprintf(err, "lsu: %s : taille invalide « %s »%s\n", arg, value,
                        arg[6] == 'm' ? " (au moins 16M)" : "");
                return LSU_EXIT_USAGE;
            }
            if (arg[6] == 'm') {
                a->max_memory = v;
                a->memory_given = 1;
            } else
                a->opt.max_size = v;
        } else if (strcmp(arg, "--files-from") == 0 && value) {
            a->files_from = argv[++i];
        } else if (strcmp(arg, "--data") == 0 && value) {
            a->data = argv[++i];
        } else if (strcmp(arg, "--force") == 0) {
            a->force = 1;
        } else if (strcmp(arg, "--stats") == 0) {
            a->stats = 1;
        } else if ((k = lsu_cli_edit_option(&a->edit, &a->render, argc, argv, &i, err)) != 0) {
            if (k < 0)
                return LSU_EXIT_USAGE;
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(err, "lsu: option inconnue ou incomplète « %s » (voir lsu --help)\n", arg);
            return LSU_EXIT_USAGE;
        } else if (a->inbox) {
            fprintf(err, "lsu: lsu batch traite une seule boîte de réception (« %s » en trop)\n", arg);
            return LSU_EXIT_USAGE;
        } else {
            a->inbox = arg;
        }
    }
    if (!a->inbox || !a->out) {
        fprintf(err, "lsu: usage : lsu batch [options] -o DOSSIER BOÎTE (voir lsu --help)\n");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* See cmd_batch.h: `lsu batch INBOX -o OUT …`. */
int lsu_cmd_batch(int argc, char **argv, FILE *out, FILE *err)
{
    (void)out;
    lsu_batch_options a;
    lsu_batch_options_init(&a);
    int status = parse_batch_args(&a, argc, argv, err);
    if (status != 0)
        return status;
    /* "boite/" and "boite" name the same exports: "boite/x.xml" in messages */
    char *inbox = strdup(a.inbox);
    if (!inbox)
        return LSU_EXIT_INTERNAL;
    for (size_t len = strlen(inbox); len > 1 && inbox[len - 1] == '/'; len--)
        inbox[len - 1] = '\0';
    a.inbox = inbox;
    struct stat st;
    if (stat(a.inbox, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(err, "lsu: %s : la boîte de réception n'est pas un dossier lisible\n", a.inbox);
        free(inbox);
        return LSU_EXIT_USAGE;
    }
    status = lsu_batch_run(&a, err);
    free(inbox);
    return status;
}

/* See cmd_batch.h: `lsu merge -o OUT SHARD...`. */
int lsu_cmd_merge(int argc, char **argv, FILE *out, FILE *err)
{
    (void)out;
    const char *dest = NULL;
    const char **shards = calloc((size_t)argc + 1, sizeof *shards);
    int nshards = 0;
    if (!shards)
        return LSU_EXIT_INTERNAL;
    for (int i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            dest = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(err, "lsu: option inconnue ou incomplète « %s » (voir lsu --help)\n", argv[i]);
            free(shards);
            return LSU_EXIT_USAGE;
        } else {
            shards[nshards++] = argv[i];
        }
    }
    if (!dest || nshards == 0) {
        fprintf(err, "lsu: usage : lsu merge -o DOSSIER LOT... (voir lsu --help)\n");
        free(shards);
        return LSU_EXIT_USAGE;
    }
    int status = lsu_batch_merge(dest, shards, (size_t)nshards, err);
    free(shards);
    return status;
}
