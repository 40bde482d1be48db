/* The command line's dispatcher: the one command table (git's commands[]),
 * the set-up each row's flags ask for done once (options parsed, the
 * school's store opened and closed, the runtime compiled), `lsu --help`
 * and `lsu CMD --help`.  The commands themselves are in cmd_*.c.  The
 * command line is the only part of lsu that prints or decides the exit
 * status. */
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "lsu.h"

#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The global help (lsu --help); a golden case (cmd-aide) holds it. */
static const char usage_text[] =
    "Usage : lsu check [options] FICHIER.xml...\n"
    "        lsu edit  [options d'édition] -o DOSSIER FICHIER.xml...\n"
    "        lsu run   [options] [options d'édition] -o DOSSIER FICHIER.xml...\n"
    "        lsu onde  [--teachers] FICHIER.csv...\n"
    "        lsu batch [options de lot] [options d'édition] -o DOSSIER BOÎTE\n"
    "        lsu merge [--schools FICHIER.csv] -o DOSSIER LOT...\n"
    "        lsu codes [--markdown | --json]\n"
    "        lsu aide  [--cycle 2|3] [--level NIVEAU] [--domain CODE] [--year ANNÉE]\n"
    "        lsu sync        --uai UAI [--data DOSSIER] CSVExtraction.csv [--teachers FICHIER.csv]\n"
    "        lsu sync        --uai UAI [--class CLASSE]... [--dry-run] [--force] CSVExtraction.csv\n"
    "        lsu import      --uai UAI [--data DOSSIER] [-o DOSSIER] FICHIER.xml...\n"
    "        lsu school      --uai UAI [--nom NOM] [--adresse TEXTE] [--code-postal CP] [--commune COMMUNE]\n"
    "        lsu school      --uai UAI [--directeur \"MME NOM Prénom\" | \"M NOM Prénom\"]\n"
    "        lsu import-mode --uai UAI (--class CLASSE | --level NIVEAU | --school) manuelle|logiciel\n"
    "        lsu periods     --uai UAI [sélection] trimestres|semestres [--dates D:F,...] [--year ANNÉE]\n"
    "                        [--change-dates]\n"
    "        lsu periods     --uai UAI [sélection] [trimestres|semestres] --from FICHIER.xml [--change-dates]\n"
    "        lsu periods     --uai UAI [sélection] custom --name NOM --period LIBELLÉ=D:F... [--change-dates]\n"
    "        lsu lock | unlock --uai UAI (--pupil INE | --class CLASSE | --level NIVEAU | --school)\n"
    "        lsu history     --uai UAI (--pupil INE | --school)\n"
    "        lsu missing     --uai UAI --class CLASSE --period PÉRIODE\n"
    "        lsu template    --uai UAI --class CLASSE --period PÉRIODE [--domain DOMAINE] -o FICHIER.csv\n"
    "        lsu template    --uai UAI --class CLASSE --period PÉRIODE --encoding windows-1252 -o FICHIER.csv\n"
    "        lsu template    --uai UAI --class CLASSE --period PÉRIODE [--domain DOMAINE] -o FICHIER.xlsx\n"
    "        lsu enter       --uai UAI [--dry-run] [--author NOM] FICHIER.csv...\n"
    "        lsu reports     --uai UAI [--show N [--json]]\n"
    "        lsu edit        --uai UAI [--data DOSSIER] [options d'édition] -o DOSSIER\n"
    "        lsu export      --uai UAI [sélection] [--pupil INE]… [--period N|cycle] [--all] -o DOSSIER\n"
    "        lsu serve [--data DOSSIER] [--listen ADRESSE:PORT] [--max-upload TAILLE] [--secure-cookies] "
    "[--trust-proxy] [-j N]\n"
    "        lsu serve --trust-header EN-TÊTE [--listen 127.0.0.1:PORT] [--data DOSSIER] [--secure-cookies] [-j N]\n"
    "        lsu users [--data DOSSIER] add --login ID --role directeur|enseignant --uai UAI [--class CLASSE]...\n"
    "        lsu users [--data DOSSIER] list | remove --login ID\n"
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
    "      --timeout SEC     durée maximale du traitement d'un fichier (défaut 600 ;\n"
    "                        dépassée : arrêt, code 3) ; aussi lsu edit, run, import\n"
    "      --max-memory TAILLE  mémoire maximale du traitement (défaut 4G)\n"
    "\n"
    "Options d'édition (lsu edit, lsu run) :\n"
    "      --by class|level|school  un zip par classe (défaut), par niveau ou pour l'école\n"
    "      --pupil INE       seulement les bilans de cet élève\n"
    "      --class LIBELLÉ   seulement cette classe\n"
    "      --level NIVEAU    seulement ce niveau (CP, CE1, CE2, CM1, CM2)\n"
    "      --watermark       filigrane « Document de travail »\n"
    "      --test-print      impression d'essai : aussi les bilans non verrouillés,\n"
    "                        sous le filigrane « Document de travail »\n"
    "      --duplex          pages blanches pour que chaque bilan commence au recto\n"
    "      --per-guardian    un exemplaire par responsable, adresse pour enveloppe à fenêtre\n"
    "      --grayscale       en niveaux de gris\n"
    "      --schools FICHIER.csv  la liste des écoles de l'académie (UAI ; Nom ; Commune) :\n"
    "                        leur nom en tête des bilans (lsu batch : et dans la synthèse)\n"
    "\n"
    "lsu aide imprime l'aide à la saisie : les éléments du programme proposés pour\n"
    "un cycle, un niveau (--level) et un domaine (--domain FRA-LEC…) dans les\n"
    "programmes officiels en vigueur dans l'année scolaire (--year 2025 pour\n"
    "2025-2026 ; défaut : l'année en cours).\n"
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
    "  school       Identité de l'école (nom, adresse, commune, directeur), en tête des\n"
    "               bilans (sans option : l'identité enregistrée)\n"
    "  import-mode  Paramétrage de l'import (sans mode : la liste des classes)\n"
    "  periods      Paramétrage des périodes (sans action : les périodicités et les\n"
    "               classes dont la périodicité n'est pas définie)\n"
    "  lock, unlock Verrouiller : seulement les bilans complets ; « ? » dit ce qui manque\n"
    "  history      Historique des bilans d'un élève (versions, imports, saisies, verrous)\n"
    "  missing      Le « ? » d'une classe pour une période : ce qui manque à chaque\n"
    "               bilan pour être verrouillé\n"
    "  template     Saisie dans un tableur : le modèle CSV (ou .xlsx) d'une classe pour\n"
    "               une période (un domaine ou tous), avec ce qui est déjà saisi\n"
    "  enter        Enregistre un modèle rempli : tout le fichier, ou rien si une case\n"
    "               est refusée (ligne, colonne, élève et raison)\n"
    "  reports      Rapports d'exécution des imports, à revoir\n"
    "  edit --uai   Éditer : les bilans verrouillés dans la base (lsu lock), en PDF dans\n"
    "               des zips sous DOSSIER/UAI/ ; les autres sont listés (STO003)\n"
    "  export       Export vers LSU : les bilans verrouillés dans la base, en fichiers\n"
    "               d'import LSU (UAI_CLASSE.xml, un par classe ; --all : un seul) ;\n"
    "               --period N|cycle : une période ou les bilans de fin de cycle\n"
    "\n"
    "lsu serve : l'application LSU dans un navigateur, pour les directeurs et les\n"
    "enseignants (Connexion, Import et Rapport d'exécution, Bilans, Verrouiller,\n"
    "Éditer), sur 127.0.0.1:8080 par défaut, derrière le mandataire de l'académie ;\n"
    "comptes dans DOSSIER/serveur.sqlite (lsu users, mot de passe lu sur l'entrée\n"
    "standard). Avec --trust-header, l'identifiant est la valeur de cet en-tête,\n"
    "posé par le mandataire de l'académie après son authentification unique (sans\n"
    "mot de passe ; --listen local seulement). Arrêt : SIGTERM ou Ctrl-C.\n"
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
    "      dossier illisible, boîte de réception vide)\n"
    "  64  erreur d'utilisation\n"
    "  70  erreur interne\n"
    "Avec plusieurs fichiers, le code le plus grave l'emporte.\n"
    "\n"
    "La date des rapports est celle de SOURCE_DATE_EPOCH si cette variable est\n"
    "définie (rapports reproductibles), l'heure courante sinon.\n";

/* The commands, in the order of usage_text.  `edit` has two rows: with
 * --uai among its arguments, from the school's store; else on files. */
static const cli_command commands[] = {
    {"check", NULL, &cmd_check_spec, CMD_RUNTIME | CMD_DASHDASH},
    {"edit", "edit --uai", &cmd_edit_store_spec,
     CMD_WHEN_UAI | CMD_STORE | CMD_OPEN_STORE | CMD_SEL_PUPIL | CMD_SEL_GROUP},
    {"edit", NULL, &cmd_edit_spec, CMD_RUNTIME | CMD_DASHDASH},
    {"run", NULL, &cmd_run_spec, CMD_RUNTIME | CMD_DASHDASH},
    {"onde", NULL, &cmd_onde_spec, 0},
    {"batch", NULL, &cmd_batch_spec, 0},
    {"merge", NULL, &cmd_merge_spec, 0},
    {"codes", NULL, &cmd_codes_spec, 0},
    {"aide", NULL, &cmd_aide_spec, 0},
    {"sync", NULL, &cmd_sync_spec, CMD_STORE | CMD_SEL_CLASS},
    {"import", NULL, &cmd_import_spec, CMD_STORE | CMD_RUNTIME},
    {"school", NULL, &cmd_school_spec, CMD_STORE},
    {"import-mode", NULL, &cmd_import_mode_spec,
     CMD_STORE | CMD_OPEN_STORE | CMD_CREATE_STORE | CMD_NO_OPTIONS | CMD_SEL_GROUP},
    {"periods", NULL, &cmd_periods_spec, CMD_STORE | CMD_OPEN_STORE | CMD_CREATE_STORE | CMD_SEL_GROUP},
    {"lock", NULL, &cmd_lock_spec, CMD_STORE | CMD_OPEN_STORE | CMD_SEL_PUPIL | CMD_SEL_GROUP},
    {"unlock", NULL, &cmd_unlock_spec, CMD_STORE | CMD_OPEN_STORE | CMD_SEL_PUPIL | CMD_SEL_GROUP},
    {"history", NULL, &cmd_history_spec, CMD_STORE | CMD_OPEN_STORE | CMD_SEL_PUPIL},
    {"missing", NULL, &cmd_missing_spec, CMD_STORE | CMD_OPEN_STORE | CMD_SEL_CLASS},
    {"template", NULL, &cmd_template_spec, CMD_STORE | CMD_OPEN_STORE | CMD_SEL_CLASS},
    {"enter", NULL, &cmd_enter_spec, CMD_STORE | CMD_OPEN_STORE},
    {"reports", NULL, &cmd_reports_spec, CMD_STORE | CMD_OPEN_STORE},
    {"export", NULL, &cmd_export_spec, CMD_STORE | CMD_OPEN_STORE | CMD_RUNTIME | CMD_SEL_GROUP | CMD_SEL_PUPIL},
    {"serve", NULL, &cmd_serve_spec, 0},
    {"users", NULL, &cmd_users_spec, 0},
};

/* Is --uai among the arguments? (`lsu edit` edits from the store then.) */
static int has_uai(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (argv[i] && strcmp(argv[i], "--uai") == 0)
            return 1;
    return 0;
}

/* The row for command `name` and its arguments; NULL when none. */
static const cli_command *find_command(const char *name, int argc, char **argv)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0 && (!(commands[i].flags & CMD_WHEN_UAI) || has_uai(argc, argv)))
            return &commands[i];
    return NULL;
}

/* Parses the command's arguments into args (the store's common options
 * first for CMD_STORE); PARSE_OK, PARSE_ERROR or PARSE_HELP. */
static int parse_command(const cli_command *cmd, void *args, int argc, char **argv, cli_ctx *c)
{
    if (!(cmd->flags & CMD_STORE))
        return cli_parse(cmd->spec, cmd->flags, args, argc, argv, c);
    int rc = store_parse_common(c, argc, argv);
    if (rc != 0)
        return rc > 0 ? PARSE_HELP : PARSE_ERROR;
    return cli_parse(cmd->spec, cmd->flags, args, c->nrest, c->rest, c);
}

/* Runs one row of the table: the options, the command's check, the
 * runtime and the store as its flags ask, the command, then the clean-up.
 * Returns the exit status. */
static int run_command(const cli_command *cmd, int argc, char **argv, FILE *out, FILE *err)
{
    cli_ctx c = {.out = out, .err = err, .cmd = cmd};
    void *args = calloc(1, cmd->spec->args_size);
    c.pos = calloc((size_t)argc + 1, sizeof *c.pos);
    c.rest = calloc((size_t)argc + 1, sizeof *c.rest);
    c.classes = calloc((size_t)argc + 1, sizeof *c.classes);
    c.pupils = calloc((size_t)argc + 1, sizeof *c.pupils);
    int status = LSU_EXIT_INTERNAL, rt_made = 0, store_opened = 0;
    if (!args || !c.pos || !c.rest || !c.classes || !c.pupils)
        goto done;
    if (cmd->spec->init)
        cmd->spec->init(args);
    int parsed = parse_command(cmd, args, argc, argv, &c);
    if (parsed == PARSE_HELP) {
        cli_print_help(cmd, out);
        status = fflush(out) == 0 ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
        goto done;
    }
    status = LSU_EXIT_USAGE;
    if (parsed != PARSE_OK || (cmd->spec->check && (status = cmd->spec->check(args, &c)) != 0))
        goto done;
    if (cmd->flags & CMD_RUNTIME) {
        rt_made = 1;
        if (lsu_runtime_init(&c.rt) != 0) {
            cli_error(err, "erreur interne : %s", c.rt.error ? c.rt.error : "?");
            status = LSU_EXIT_INTERNAL;
            goto done;
        }
    }
    if (cmd->flags & CMD_OPEN_STORE) {
        /* a setting command makes the store when it sets something; listing
         * (no mode, no periodicity given) reads only */
        if ((status = store_open(&c, (cmd->flags & CMD_CREATE_STORE) && c.npos > 0)) != 0)
            goto done;
        store_opened = 1;
    }
    status = cmd->spec->run(args, &c);
done:
    if (store_opened)
        lsu_store_close(&c.st);
    if (rt_made)
        lsu_runtime_free(&c.rt);
    free(c.classes);
    free(c.pupils);
    free(c.rest);
    free(c.pos);
    free(args);
    return status;
}

/* `lsu help --options`: every documented option of every command, one a
 * line (tests/run.sh checks them against usage_text and docs/lsu.1). */
static int list_options(FILE *out)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        cli_list_options(&commands[i], out);
    return fflush(out) == 0 ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
}

/* A failed allocation inside libxml2 or libxslt (lsu_memory_setup): the
 * process says so and ends with status 70, before those libraries go on
 * with a NULL.  Outputs are under temporary names, the store's transaction
 * uncommitted: nothing half-written is left under a final name. */
static void out_of_memory(void)
{
    static const char text[] = "lsu: mémoire insuffisante (analyse XML ou XSLT) : arrêt\n";
    ssize_t w = write(STDERR_FILENO, text, sizeof text - 1);
    (void)w;
    _exit(LSU_EXIT_INTERNAL);
}

/* See cli.h. */
int lsu_main(int argc, char **argv, FILE *out, FILE *err)
{
    if (argc < 2) {
        fputs(usage_text, err);
        return LSU_EXIT_USAGE;
    }
    const char *name = argv[1];
    static int memory_set;
    if (!memory_set++)
        lsu_memory_setup(out_of_memory);
    LIBXML_TEST_VERSION
    if (strcmp(name, "help") == 0 && argc == 3 && strcmp(argv[2], "--options") == 0)
        return list_options(out);
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        fputs(usage_text, out);
        return fflush(out) == 0 ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        fprintf(out, "lsu %s (libxml2 %s, libxslt %s)\n", LSU_VERSION, xmlParserVersion, xsltEngineVersion);
        return fflush(out) == 0 ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
    }
    const cli_command *cmd = find_command(name, argc - 2, argv + 2);
    if (!cmd) {
        cli_usage_error(err, "commande inconnue « %s »", name);
        return LSU_EXIT_USAGE;
    }
    return run_command(cmd, argc - 2, argv + 2, out, err);
}
