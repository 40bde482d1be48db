/* The command line: parses options, runs the pipeline on every file, writes
 * the reports and prints.  The only part of lsu that prints or decides the
 * exit status. */
#include "cli/cli.h"
#include "base/util.h"
#include "cli/cmd_batch.h"
#include "cli/store_cli.h"
#include "job/job.h"
#include "lsu.h"
#include "pdf/edit.h"
#include "report/report.h"
#include "school/onde.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage : lsu check [options] FICHIER.xml...\n"
    "        lsu edit  [options d'édition] -o DOSSIER FICHIER.xml...\n"
    "        lsu run   [options] [options d'édition] -o DOSSIER FICHIER.xml...\n"
    "        lsu onde  [--teachers] FICHIER.csv...\n"
    "        lsu batch [options de lot] [options d'édition] -o DOSSIER BOÎTE\n"
    "        lsu merge -o DOSSIER LOT...\n"
    "        lsu codes [--markdown | --json]\n"
    "        lsu sync        --uai UAI [--data DOSSIER] CSVExtraction.csv [--teachers FICHIER.csv]\n"
    "        lsu import      --uai UAI [--data DOSSIER] [-o DOSSIER] FICHIER.xml...\n"
    "        lsu import-mode --uai UAI (--class CLASSE | --level NIVEAU | --school) manuelle|logiciel\n"
    "        lsu periods     --uai UAI [sélection] trimestres|semestres [--dates D:F,...] [--year ANNÉE]\n"
    "        lsu periods     --uai UAI [sélection] custom --name NOM --period LIBELLÉ=D:F...\n"
    "        lsu lock | unlock --uai UAI (--pupil INE | --class CLASSE | --level NIVEAU | --school)\n"
    "        lsu history     --uai UAI --pupil INE\n"
    "        lsu reports     --uai UAI [--show N [--json]]\n"
    "        lsu edit        --uai UAI [--data DOSSIER] [options d'édition] -o DOSSIER\n"
    "        lsu --version | --help\n"
    "\n"
    "lsu check vérifie des exports LSU de l'école élémentaire comme le ferait\n"
    "l'import du Livret Scolaire Unique, et écrit le rapport d'exécution.\n"
    "lsu edit édite en PDF les bilans importés (jamais un bilan rejeté), un PDF\n"
    "par élève et par période et un PDF par classe, rangés dans des zips avec\n"
    "un manifeste ; lsu run fait les deux : rapports et PDF.\n"
    "\n"
    "Options de lsu check :\n"
    "  -o, --output DOSSIER  écrit pour chaque fichier NOM.rapport.html,\n"
    "                        NOM.rapport.json et NOM.rapport.csv\n"
    "      --normalise       avec -o, écrit aussi NOM.normalise.xml, la forme\n"
    "                        normalisée lue par les étapes suivantes\n"
    "      --json            imprime le rapport JSON sur la sortie standard\n"
    "                        (un objet pour un fichier, {\"files\": [...]} pour plusieurs)\n"
    "  -q, --quiet           n'imprime que le résumé de chaque fichier sur stderr\n"
    "      --max-size TAILLE taille maximale d'un fichier (octets, suffixes k, M, G ;\n"
    "                        64M par défaut)\n"
    "\n"
    "Options d'édition (lsu edit, lsu run) :\n"
    "      --by class|level|school  un zip par classe (défaut), par niveau ou pour l'école\n"
    "      --pupil INE       seulement les bilans de cet élève\n"
    "      --class LIBELLÉ   seulement cette classe\n"
    "      --level NIVEAU    seulement ce niveau (CP, CE1, CE2, CM1, CM2)\n"
    "      --watermark       filigrane « Document de travail »\n"
    "      --duplex          pages blanches pour que chaque bilan commence au recto\n"
    "      --per-guardian    un exemplaire par responsable, adresse pour enveloppe à fenêtre\n"
    "      --grayscale       en niveaux de gris\n"
    "\n"
    "lsu onde vérifie une extraction élèves d'ONDE (CSVExtraction.csv) sans rien\n"
    "enregistrer : classes, élèves, lignes ignorées et pourquoi. Avec --teachers,\n"
    "vérifie la liste des enseignants (Civilité ; Nom ; Prénom ; Classes).\n"
    "\n"
    "Base de l'école (une base SQLite par UAI dans DOSSIER/UAI.sqlite ; DOSSIER :\n"
    "--data, sinon la variable LSU_DATA, sinon ./lsu-data), menus du guide LSU :\n"
    "  sync         Synchronisation élèves / enseignants (extraction ONDE, liste des\n"
    "               enseignants) ; les bilans verrouillés ne sont pas modifiés\n"
    "  import       Import : les règles qui demandent le paramétrage de l'école, les\n"
    "               bilans acceptés enregistrés (l'UAI de l'en-tête sans --uai)\n"
    "  import-mode  Paramétrage de l'import (sans mode : la liste des classes)\n"
    "  periods      Paramétrage des périodes (sans action : les périodicités et les\n"
    "               classes dont la périodicité n'est pas définie)\n"
    "  lock, unlock Verrouiller : seulement les bilans complets ; « ? » dit ce qui manque\n"
    "  history      Historique des bilans d'un élève (versions, imports, verrous)\n"
    "  reports      Rapports d'exécution des imports, à revoir\n"
    "  edit --uai   Éditer : les bilans verrouillés dans la base (lsu lock), en PDF dans\n"
    "               des zips sous DOSSIER/UAI/ ; les autres sont listés (STO003)\n"
    "\n"
    "Options de lsu batch (traite chaque export trouvé sous BOÎTE, rapports et PDF\n"
    "dans DOSSIER/<UAI>/, synthèse de l'académie dans DOSSIER/academie.html,\n"
    ".json et .csv ; lsu merge refait la synthèse à partir des dossiers LOT de\n"
    "plusieurs lots et y rassemble leurs écoles) :\n"
    "  -j, --jobs N          N fichiers traités à la fois (défaut : nombre de cœurs)\n"
    "      --force           retraite aussi les exports déjà traités avec le même contenu\n"
    "      --data DOSSIER    importe chaque export dans la base de son école, comme\n"
    "                        lsu import (paramétrage vérifié, bilans enregistrés)\n"
    "      --timeout SEC     durée maximale du traitement d'un fichier (défaut 600)\n"
    "      --max-memory TAILLE  mémoire maximale d'un traitement (défaut 4G)\n"
    "      --files-from LISTE   seulement les fichiers de LISTE (chemins relatifs à BOÎTE)\n"
    "      --stats           ajoute la durée et la mémoire maximale au résumé\n"
    "      --max-size TAILLE taille maximale d'un fichier (comme lsu check)\n"
    "\n"
    "Codes de sortie :\n"
    "  0   tous les bilans sont importés (alertes permises)\n"
    "  1   au moins un bilan est rejeté\n"
    "  2   un fichier est rejeté en entier\n"
    "  3   lsu batch : un fichier n'a pas pu être traité (délai, mémoire, arrêt brutal,\n"
    "      dossier illisible)\n"
    "  64  erreur d'utilisation\n"
    "  70  erreur interne\n"
    "Avec plusieurs fichiers, le code le plus grave l'emporte.\n"
    "\n"
    "La date des rapports est celle de SOURCE_DATE_EPOCH si cette variable est\n"
    "définie (rapports reproductibles), l'heure courante sinon.\n";

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
} check_args;

/* Parses "256M"-style sizes; -1 when malformed. */
static long long parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0)
        return -1;
    long long mult = 1;
    if (*end == 'k' || *end == 'K')
        mult = 1024;
    else if (*end == 'M')
        mult = 1024LL * 1024;
    else if (*end == 'G')
        mult = 1024LL * 1024 * 1024;
    else if (*end)
        return -1;
    if (mult > 1 && end[1])
        return -1;
    if (v > (1LL << 40) / mult)
        return -1;
    return v * mult;
}

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

/* Parses one edit option at argv[*i]; 1 when it was one, 0 when not, -1
 * on a bad value (message printed). */
static int parse_edit_option(check_args *a, int argc, char **argv, int *i, FILE *err)
{
    const char *arg = argv[*i];
    const char *value = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(arg, "--watermark") == 0)
        a->render.watermark = 1;
    else if (strcmp(arg, "--duplex") == 0)
        a->render.duplex = 1;
    else if (strcmp(arg, "--per-guardian") == 0)
        a->render.per_guardian = 1;
    else if (strcmp(arg, "--grayscale") == 0)
        a->render.grayscale = 1;
    else if (value && strcmp(arg, "--pupil") == 0)
        a->edit.ine = argv[++*i];
    else if (value && strcmp(arg, "--class") == 0)
        a->edit.classe = argv[++*i];
    else if (value && strcmp(arg, "--level") == 0)
        a->edit.niveau = argv[++*i];
    else if (value && strcmp(arg, "--by") == 0) {
        ++*i;
        if (strcmp(value, "class") == 0)
            a->edit.by = EDIT_BY_CLASS;
        else if (strcmp(value, "level") == 0)
            a->edit.by = EDIT_BY_LEVEL;
        else if (strcmp(value, "school") == 0)
            a->edit.by = EDIT_BY_SCHOOL;
        else {
            fprintf(err, "lsu: --by : « %s » inconnu (class, level ou school)\n", value);
            return -1;
        }
    } else
        return 0;
    return 1;
}

/* See cli.h: parse_edit_option for a command outside cli.c. */
int lsu_cli_edit_option(lsu_edit_options *edit, lsu_render_options *render, int argc, char **argv, int *i, FILE *err)
{
    check_args a = {.edit = *edit, .render = *render};
    int k = parse_edit_option(&a, argc, argv, i, err);
    *edit = a.edit;
    *render = a.render;
    return k;
}

/* See cli.h. */
long long lsu_cli_parse_size(const char *s)
{
    return parse_size(s);
}

/* `lsu check`, `lsu edit` and `lsu run`: see usage_text. */
static int cmd_check(int argc, char **argv, FILE *out, FILE *err, cli_mode mode)
{
    check_args a = {.mode = mode, .opt = {.max_size = LSU_DEFAULT_MAX_SIZE}};
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0;
    if (!files)
        return LSU_EXIT_INTERNAL;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int k;
        if ((strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) && i + 1 < argc) {
            a.output_dir = argv[++i];
        } else if (strncmp(arg, "--output=", 9) == 0) {
            a.output_dir = arg + 9;
        } else if (strcmp(arg, "--normalise") == 0) {
            a.normalised = 1;
        } else if (strcmp(arg, "--json") == 0) {
            a.json = 1;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            a.quiet = 1;
        } else if (strcmp(arg, "--max-size") == 0 && i + 1 < argc) {
            a.opt.max_size = parse_size(argv[++i]);
            if (a.opt.max_size <= 0) {
                fprintf(err, "lsu: --max-size : taille invalide « %s »\n", argv[i]);
                free(files);
                return LSU_EXIT_USAGE;
            }
        } else if (mode != MODE_CHECK && (k = parse_edit_option(&a, argc, argv, &i, err)) != 0) {
            if (k < 0) {
                free(files);
                return LSU_EXIT_USAGE;
            }
        } else if (strcmp(arg, "--") == 0) {
            while (++i < argc)
                files[nfiles++] = argv[i];
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(err, "lsu: option inconnue ou incomplète « %s » (voir lsu --help)\n", arg);
            free(files);
            return LSU_EXIT_USAGE;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        fprintf(err, "lsu: aucun fichier à vérifier (voir lsu --help)\n");
        free(files);
        return LSU_EXIT_USAGE;
    }
    if (mode != MODE_CHECK && !a.output_dir) {
        fprintf(err, "lsu: l'édition demande un dossier de sortie : -o DOSSIER (voir lsu --help)\n");
        free(files);
        return LSU_EXIT_USAGE;
    }
    if (a.output_dir && lsu_mkdir_p(a.output_dir) != 0) {
        fprintf(err, "lsu: %s : création du dossier impossible : %s\n", a.output_dir, lsu_strerror_fr(errno));
        free(files);
        return LSU_EXIT_INTERNAL;
    }
    lsu_runtime rt;
    if (lsu_runtime_init(&rt) != 0) {
        fprintf(err, "lsu: erreur interne : %s\n", rt.error ? rt.error : "?");
        lsu_runtime_free(&rt);
        free(files);
        return LSU_EXIT_INTERNAL;
    }
    lsu_buf json = {0};
    lsu_job_options jo = {.output_dir = a.output_dir,
                          .write_reports = mode != MODE_EDIT,
                          .normalised = a.normalised,
                          .edit = mode != MODE_CHECK,
                          .quiet = a.quiet,
                          .release_normalised = 1,
                          .opt = a.opt,
                          .edit_opt = a.edit,
                          .render = a.render};
    lsu_jobs_options jso = {.json = a.json, .keep_last = 1, .emit = emit_text, .emit_ctx = err};
    lsu_file *last = NULL;
    int status = lsu_jobs_run(files, (size_t)nfiles, &rt, &jo, &jso, &json, &last);
    keep_until_exit(last);
    if (a.json && (json.failed || fputs(json.data, out) == EOF || fflush(out) != 0)) {
        fprintf(err, "lsu: écriture du JSON sur la sortie standard impossible\n");
        status = LSU_EXIT_INTERNAL;
    }
    lsu_buf_free(&json);
    lsu_runtime_free(&rt);
    free(files);
    return status;
}

/* `lsu onde`: reads ONDE extractions (or teachers' lists) and prints what
 * sync would take from them.  Exit status: 0 every line kept, 1 a line
 * ignored, 2 a file refused. */
static int cmd_onde(int argc, char **argv, FILE *err)
{
    int teachers = 0, nfiles = 0, status = LSU_EXIT_OK;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--teachers") == 0)
            teachers = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(err, "lsu: option inconnue « %s » (voir lsu --help)\n", argv[i]);
            return LSU_EXIT_USAGE;
        } else
            nfiles++;
    }
    if (nfiles == 0) {
        fprintf(err, "lsu: aucun fichier CSV à vérifier (voir lsu --help)\n");
        return LSU_EXIT_USAGE;
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        lsu_buf text = {0};
        int rc, rejected;
        int oom;
        if (teachers) {
            lsu_teachers t;
            rc = lsu_teachers_read(argv[i], NULL, 0, &t);
            lsu_teachers_text(&t, argv[i], &text);
            rejected = t.lines_rejected > 0;
            oom = t.diags.oom;
            lsu_teachers_free(&t);
        } else {
            lsu_onde o;
            rc = lsu_onde_read(argv[i], NULL, 0, &o);
            lsu_onde_text(&o, argv[i], &text);
            rejected = o.lines_rejected > 0;
            oom = o.diags.oom;
            lsu_onde_free(&o);
        }
        if (text.data)
            fputs(text.data, err);
        lsu_buf_free(&text);
        int file_status = oom        ? LSU_EXIT_INTERNAL
                          : rc != 0  ? LSU_EXIT_FILE_REJECTED
                          : rejected ? LSU_EXIT_BILAN_REJECTED
                                     : LSU_EXIT_OK;
        if (oom)
            fprintf(err, "lsu: %s : mémoire insuffisante\n", argv[i]);
        if (file_status > status)
            status = file_status;
    }
    return status;
}

/* `lsu codes`: prints the diagnostic catalogue (text, Markdown or JSON). */
static int cmd_codes(int argc, char **argv, FILE *out, FILE *err)
{
    int markdown = argc > 0 && strcmp(argv[0], "--markdown") == 0;
    int json = argc > 0 && strcmp(argv[0], "--json") == 0;
    if (argc > 1 || (argc == 1 && !markdown && !json)) {
        fprintf(err, "lsu: usage : lsu codes [--markdown | --json]\n");
        return LSU_EXIT_USAGE;
    }
    lsu_buf b = {0};
    if (markdown)
        lsu_buf_puts(&b,
                     "# Catalogue des diagnostics de lsu\n\n"
                     "Généré par `lsu codes --markdown` depuis `src/base/catalog.def` : ne pas modifier à la main.\n\n"
                     "Gravité : **fatal** le fichier est rejeté en entier ; **bloquant** le bilan est rejeté ; "
                     "**alerte** le bilan est importé avec une alerte ; **info** simple information. "
                     "Toute erreur de schéma (XSD, REF001, REF002) est fatale, même dans un bilan : LSU "
                     "refuse le fichier ; le rapport dit ce que deviendrait chaque bilan une fois ces erreurs "
                     "corrigées.\n\n"
                     "| Code | Gravité | Intitulé | Signification | Que faire |\n|---|---|---|---|---|\n");
    if (json)
        lsu_buf_puts(&b, "[");
    for (int i = 0; i < DIAG_COUNT; i++) {
        const lsu_code_info *c = lsu_code_lookup((lsu_code)i);
        if (markdown) {
            lsu_buf_printf(&b, "| %s | %s | %s | %s | %s |\n", c->code, lsu_severity_name(c->severity), c->title,
                           c->meaning, c->action);
        } else if (json) {
            lsu_buf_puts(&b, i ? ",\n {\"code\": " : "\n {\"code\": ");
            lsu_buf_json_string(&b, c->code);
            lsu_buf_puts(&b, ", \"severity\": ");
            lsu_buf_json_string(&b, lsu_severity_name(c->severity));
            lsu_buf_puts(&b, ", \"title\": ");
            lsu_buf_json_string(&b, c->title);
            lsu_buf_puts(&b, ", \"meaning\": ");
            lsu_buf_json_string(&b, c->meaning);
            lsu_buf_puts(&b, ", \"action\": ");
            lsu_buf_json_string(&b, c->action);
            lsu_buf_puts(&b, "}");
        } else {
            lsu_buf_printf(&b, "%s  %-17s %s\n        %s\n        → %s\n", c->code, lsu_severity_name(c->severity),
                           c->title, c->meaning, c->action);
        }
    }
    if (json)
        lsu_buf_puts(&b, "\n]\n");
    int rc = LSU_EXIT_OK;
    if (b.failed || fputs(b.data, out) == EOF || fflush(out) != 0) {
        fprintf(err, "lsu: écriture impossible sur la sortie standard\n");
        rc = LSU_EXIT_INTERNAL;
    }
    lsu_buf_free(&b);
    return rc;
}

/* See cli.h. */
int lsu_main(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2) {
        fputs(usage_text, err);
        return LSU_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    int status;
    LIBXML_TEST_VERSION
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, out);
        status = fflush(out) == 0 ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
    } else if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        fprintf(out, "lsu %s (libxml2 %s, libxslt %s)\n", LSU_VERSION, xmlParserVersion, xsltEngineVersion);
        status = fflush(out) == 0 ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
    } else if (strcmp(cmd, "check") == 0) {
        status = cmd_check(argc - 2, argv + 2, out, err, MODE_CHECK);
    } else if (strcmp(cmd, "edit") == 0) {
        /* with --uai, from the school's store (store_cli.c) */
        if ((status = lsu_store_command(cmd, argc - 2, argv + 2, out, err)) < 0)
            status = cmd_check(argc - 2, argv + 2, out, err, MODE_EDIT);
    } else if (strcmp(cmd, "run") == 0) {
        status = cmd_check(argc - 2, argv + 2, out, err, MODE_RUN);
    } else if (strcmp(cmd, "batch") == 0) {
        status = lsu_cmd_batch(argc - 2, argv + 2, out, err);
    } else if (strcmp(cmd, "merge") == 0) {
        status = lsu_cmd_merge(argc - 2, argv + 2, out, err);
    } else if (strcmp(cmd, "onde") == 0) {
        status = cmd_onde(argc - 2, argv + 2, err);
    } else if (strcmp(cmd, "codes") == 0) {
        status = cmd_codes(argc - 2, argv + 2, out, err);
    } else if ((status = lsu_store_command(cmd, argc - 2, argv + 2, out, err)) >= 0) {
        /* a command of the school's store (store_cli.c) */
    } else {
        fprintf(err, "lsu: commande inconnue « %s » (voir lsu --help)\n", cmd);
        status = LSU_EXIT_USAGE;
    }
    return status;
}
