/* The store commands of the school's settings: lsu import-mode
 * (Paramétrage de l'import) and lsu periods (Paramétrage des périodes),
 * their options read and their listings printed.  The dispatcher (cli.c)
 * parses their common options and opens the store (store_cli.c). */
#include "cli/cli_int.h"
#include "school/periods.h"

#include <stdlib.h>
#include <string.h>

/* ---- lsu import-mode ---- */

/* At most one mode, a known one, with one selection (no pupil). */
static int check_import_mode(void *args, cli_ctx *c)
{
    (void)args;
    if (c->npos > 1)
        return LSU_EXIT_USAGE;
    const char *mode = c->npos == 1 ? c->pos[0] : NULL;
    if (mode && strcmp(mode, "manuelle") != 0 && strcmp(mode, "logiciel") != 0) {
        cli_error(c->err, "mode d'import « %s » inconnu : manuelle ou logiciel", mode);
        return LSU_EXIT_USAGE;
    }
    if (mode && one_selection(&c->sel, 0, c->err) != 0)
        return LSU_EXIT_USAGE;
    return 0;
}

/* `lsu import-mode`: sets (or lists) the import mode of classes. */
static int run_import_mode(void *args, cli_ctx *c)
{
    (void)args;
    const char *mode = c->npos == 1 ? c->pos[0] : NULL;
    lsu_buf text = {0};
    int rc = 0;
    if (mode) {
        long long changed = lsu_school_set_import_mode(&c->st, mode, &c->sel);
        if (changed > 0) {
            lsu_buf_printf(&text, "%lld classe%s paramétrée%s en %s.\n", changed, changed > 1 ? "s" : "",
                           changed > 1 ? "s" : "",
                           strcmp(mode, "logiciel") == 0 ? "import logiciel" : "saisie manuelle");
        } else if (changed == 0) { /* the school's default, before the first sync */
            lsu_buf_printf(&text,
                           "École paramétrée en %s : les classes que la synchronisation apportera (lsu sync) le "
                           "prendront.\n",
                           strcmp(mode, "logiciel") == 0 ? "import logiciel" : "saisie manuelle");
        } else if (changed == -2) {
            cli_error(c->err, "aucune classe ne correspond (les classes viennent de la base élèves : lsu sync)");
            rc = LSU_EXIT_BILAN_REJECTED;
        } else {
            store_error(c);
            rc = LSU_EXIT_INTERNAL;
        }
    }
    if (rc == 0) {
        lsu_class_mode *m = NULL;
        size_t n = 0;
        /* a failed read lists the classes read before it, as it always has */
        (void)lsu_school_import_modes(&c->st, &m, &n);
        lsu_buf_puts(&text, "Paramétrage de l'import :\n");
        for (size_t i = 0; i < n; i++)
            lsu_buf_printf(&text, "  %-12s (%s)  %s%s%s%s\n", m[i].libelle, m[i].id_be,
                           strcmp(m[i].mode, "logiciel") == 0   ? "import logiciel"
                           : strcmp(m[i].mode, "manuelle") == 0 ? "saisie manuelle"
                                                                : "non paramétré",
                           m[i].from ? " (" : "", m[i].from ? m[i].from : "", m[i].from ? ")" : "");
        lsu_school_import_modes_free(m, n);
        char *school_mode = NULL;
        if (n == 0 && lsu_school_default_import_mode(&c->st, &school_mode) == 0 && school_mode)
            lsu_buf_printf(&text, "  aucune classe encore ; l'école : %s (les classes synchronisées le prendront)\n",
                           strcmp(school_mode, "logiciel") == 0 ? "import logiciel" : "saisie manuelle");
        else if (n == 0)
            lsu_buf_puts(&text, "  aucune classe : synchronisez d'abord la base élèves (lsu sync)\n");
        free(school_mode);
        rc = print_buf(&text, c->out, rc);
    }
    lsu_buf_free(&text);
    return rc;
}

const cli_spec cmd_import_mode_spec = {
    .run = run_import_mode,
    .args_size = 1,
    .check = check_import_mode,
    .usage = "lsu import-mode --uai UAI (--class CLASSE | --level NIVEAU | --school) manuelle|logiciel",
    .summary = "Paramétrage de l'import (sans mode : la liste des classes).",
};

/* ---- lsu periods ---- */

/* The school year of the run's date (August onwards starts a year). */
static int current_millesime(void)
{
    return lsu_school_year_of((long)(lsu_run_time() / 86400));
}

/* Appends the listing of the periodicities, as the guide's screen (a
 * failed read lists what was read before it, as it always has). */
static void list_periods(lsu_store *st, lsu_buf *text)
{
    lsu_periodicities all;
    (void)lsu_school_periodicities(st, &all);
    if (all.unset)
        lsu_buf_printf(text, "Classe(s) dont la périodicité n'est pas définie : %s\n", all.unset);
    for (size_t i = 0; i < all.n; i++) {
        const lsu_periodicity *pe = &all.list[i];
        int y = pe->millesime;
        lsu_buf_printf(text, "%s (%d-%d)\n", pe->name, y, y + 1);
        for (size_t j = 0; j < pe->nperiods; j++) {
            char d[11], f[11];
            long day;
            lsu_parse_date(pe->periods[j].debut, &day);
            lsu_format_date_fr(day, d);
            lsu_parse_date(pe->periods[j].fin, &day);
            lsu_format_date_fr(day, f);
            lsu_buf_printf(text, "  %s : %s, %s\n", pe->periods[j].libelle, d, f);
        }
        if (!pe->classes && pe->school_default)
            lsu_buf_puts(text, "  Périodicité de l'école : aucune classe encore, les classes synchronisées la "
                               "prendront.\n");
        else if (!pe->classes)
            lsu_buf_puts(text, "  Aucune classe associée à cette périodicité.\n");
        else
            lsu_buf_printf(text, "  Classes associées : %s\n", pe->classes);
    }
    lsu_school_periodicities_free(&all);
}

/* --dates for n periods (lsu_periods_parse_dates); 0, or -1 with a
 * message on err. */
static int parse_dates(const char *spec, lsu_period *p, size_t n, FILE *err)
{
    if (lsu_periods_parse_dates(spec, p, n) == 0)
        return 0;
    cli_error(err,
              "--dates : « %s » : %zu périodes attendues, DÉBUT:FIN séparées par des virgules (dates "
              "AAAA-MM-JJ ou JJ/MM/AAAA)",
              spec, n);
    return -1;
}

/* One --period "Libellé=DÉBUT:FIN" (lsu_period_parse); 0 or -1 (printed). */
static int parse_custom_period(const char *spec, lsu_period *p, FILE *err)
{
    int rc = lsu_period_parse(spec, p);
    if (rc == -1)
        cli_error(err, "--period : « %s » : LIBELLÉ=DÉBUT:FIN attendu", spec);
    else if (rc == -2)
        cli_error(err, "--period : « %s » : date invalide (AAAA-MM-JJ ou JJ/MM/AAAA)", spec);
    return rc == 0 ? 0 : -1;
}

typedef struct {
    const char *action, *dates, *name, *from;
    long year; /* --year, else the export's (--from), else the year of the first date given, else the run's */
    int change_dates;
    lsu_period p[LSU_MAX_PERIODS];
    size_t n;     /* periods in p */
    size_t given; /* --period options met (more than LSU_MAX_PERIODS: said by check_periods) */
    const char *kind;
    int keep; /* as lsu_periodicity_request: p are the defaults of year */
} periods_args;

/* --period LIBELLÉ=DÉBUT:FIN: field is the whole periods_args. */
static int opt_period(void *field, const char *value, cli_ctx *c)
{
    periods_args *a = field;
    if (a->given++ >= LSU_MAX_PERIODS)
        return 0;
    if (parse_custom_period(value, &a->p[a->n], c->err) != 0)
        return -1;
    a->n++;
    return 0;
}

static const cli_option periods_options[] = {
    CLI_STRING("dates", 0, "D:F,...", offsetof(periods_args, dates),
               "les dates des trimestres ou semestres, DÉBUT:FIN séparées par des virgules"),
    CLI_STRING("from", 0, "FICHIER.xml", offsetof(periods_args, from),
               "les dates des trimestres ou semestres de cet export (ses periodes)"),
    CLI_INT("year", 0, "ANNÉE", offsetof(periods_args, year), "l'année scolaire (2024 pour 2024-2025)", 1990, 2100,
            "--year : « %s » n'est pas une année (2024 pour 2024-2025)"),
    CLI_BOOL("change-dates", 0, offsetof(periods_args, change_dates),
             "changer les dates aussi pour les classes déjà associées hors de la sélection"),
    CLI_STRING("name", 0, "NOM", offsetof(periods_args, name), "custom : le nom de la périodicité"),
    CLI_CALLBACK("period", "LIBELLÉ=D:F", 0, "custom : une période (12 au plus), à répéter", opt_period),
    CLI_END,
};
static const cli_option *const periods_tables[] = {periods_options, NULL};

/* The action: trimestres, semestres or custom, once. */
static int periods_action(void *args, const char *arg, cli_ctx *c)
{
    periods_args *a = args;
    if (!a->action && arg[0] != '-' &&
        (strcmp(arg, "trimestres") == 0 || strcmp(arg, "semestres") == 0 || strcmp(arg, "custom") == 0)) {
        a->action = arg;
        return 0;
    }
    cli_usage_error(c->err, "argument inconnu ou incomplet « %s »", arg);
    return -1;
}

/* --from: the export's trimestres or semestres into a (the action, when
 * none was given, from the export).  0, or an exit status (printed). */
static int periods_from(periods_args *a, FILE *err)
{
    lsu_export_periods ex;
    char why[512];
    if (a->dates) {
        cli_error(err, "--from et --dates : l'un ou l'autre");
        return LSU_EXIT_USAGE;
    }
    if (lsu_periods_from_export(a->from, LSU_DEFAULT_MAX_SIZE, a->kind, &ex, why, sizeof why) != 0) {
        cli_error(err, "--from : %s", why);
        return LSU_EXIT_FILE_REJECTED;
    }
    if (a->year && a->year != ex.millesime) {
        cli_error(err, "--year %ld : %s est de l'année scolaire %d-%d", a->year, a->from, ex.millesime,
                  ex.millesime + 1);
        return LSU_EXIT_USAGE;
    }
    if (!a->action)
        a->action = strcmp(ex.kind, "trimestre") == 0 ? "trimestres" : "semestres";
    a->kind = ex.kind;
    a->year = ex.millesime;
    a->n = ex.n;
    memcpy(a->p, ex.p, sizeof a->p);
    return 0;
}

/* The options agree with the action, the periods are coherent. */
static int check_periods(void *args, cli_ctx *c)
{
    periods_args *a = args;
    FILE *err = c->err;
    if (a->given > LSU_MAX_PERIODS) {
        cli_error(err, "--period : %d périodes au plus (%zu données)", LSU_MAX_PERIODS, a->given);
        return LSU_EXIT_USAGE;
    }
    int custom = a->action && strcmp(a->action, "custom") == 0;
    a->kind = !a->action                             ? NULL
              : custom                               ? "personnalisee"
              : strcmp(a->action, "trimestres") == 0 ? "trimestre"
                                                     : "semestre";
    if (a->from && custom) {
        cli_error(err, "--from ne vaut que pour trimestres ou semestres");
        return LSU_EXIT_USAGE;
    }
    if (a->from && !a->name && a->n == 0) {
        int status = periods_from(a, err);
        if (status != 0)
            return status;
    } else if (custom) {
        if (!a->name || a->n == 0 || a->dates) {
            cli_error(err, "une périodicité personnalisée demande --name NOM et au moins une --period "
                           "LIBELLÉ=DÉBUT:FIN");
            return LSU_EXIT_USAGE;
        }
    } else if (a->action) {
        if (a->name || a->n) {
            cli_error(err, "--name et --period ne valent que pour « custom »");
            return LSU_EXIT_USAGE;
        }
        /* without dates: the defaults, written only where the periodicity has none (of --year) */
        a->keep = a->dates ? 0 : a->year ? 2 : 1;
        a->n = lsu_periods_default(a->kind, a->year ? (int)a->year : current_millesime(), a->p);
        if (a->dates && parse_dates(a->dates, a->p, a->n, err) != 0)
            return LSU_EXIT_USAGE;
    } else if (a->name || a->n || a->dates) {
        cli_usage_error(err, "choisissez trimestres, semestres ou custom");
        return LSU_EXIT_USAGE;
    }
    if (a->action && !custom)
        a->name = strcmp(a->action, "trimestres") == 0 ? "Trimestre" : "Semestre";
    if (a->change_dates && (!a->action || a->keep == 1)) {
        cli_error(err, "--change-dates ne vaut qu'avec les dates d'une périodicité (--dates, --from, --year ou "
                       "--period)");
        return LSU_EXIT_USAGE;
    }
    long first_day;
    if (!a->year && a->action && (a->dates || a->n) && lsu_parse_date(a->p[0].debut, &first_day) == 0)
        a->year = lsu_school_year_of(first_day);
    if (!a->year)
        a->year = current_millesime();
    char why[256];
    if (a->action && lsu_periods_check(a->p, a->n, (int)a->year, why, sizeof why) != 0) {
        cli_error(err, "périodes refusées : %s", why);
        return LSU_EXIT_BILAN_REJECTED;
    }
    return 0;
}

/* Says on err what lsu_school_set_periodicity did to the dates of a. */
static void say_dates(const periods_args *a, const lsu_periodicity_done *d, FILE *err)
{
    int y = d->millesime;
    if (d->written && d->classes)
        fprintf(err, "%s : dates modifiées pour %lld classe%s : %s.\n", a->name, d->nclasses,
                d->nclasses > 1 ? "s" : "", d->classes);
    if (d->written && a->from)
        fprintf(err, "%s : dates de l'export %s (année scolaire %d-%d).\n", a->name, a->from, y, y + 1);
    else if (d->written && a->keep)
        fprintf(err,
                "%s : dates par défaut de l'année scolaire %d-%d (celles de l'export : --from FICHIER.xml ou "
                "--dates).\n",
                a->name, y, y + 1);
    else if (!d->written && a->keep)
        fprintf(err, "%s : dates de la périodicité conservées (année scolaire %d-%d).\n", a->name, y, y + 1);
}

/* `lsu periods`: trimestres, semestres or a custom periodicity for
 * classes, a level or the school; without an action, the listing. */
static int run_periods(void *args, cli_ctx *c)
{
    periods_args *a = args;
    int rc = 0;
    if (a->action) {
        lsu_periodicity_request r = {.name = a->name,
                                     .kind = a->kind,
                                     .year = (int)a->year,
                                     .p = a->p,
                                     .n = a->n,
                                     .keep = a->keep,
                                     .change_others = a->change_dates};
        lsu_periodicity_done d;
        int status = lsu_school_set_periodicity(&c->st, &r, &c->sel, &d);
        if (status == 0) {
            say_dates(a, &d, c->err);
            if (d.attached > 0)
                fprintf(c->err, "%s : %lld classe%s associée%s.\n", a->name, d.attached, d.attached > 1 ? "s" : "",
                        d.attached > 1 ? "s" : "");
            else if (c->sel.school)
                fprintf(c->err,
                        "%s : périodicité de l'école ; les classes que la synchronisation apportera (lsu sync) la "
                        "prendront.\n",
                        a->name);
        } else if (status == -2) {
            cli_error(c->err, "aucune classe ne correspond (les classes viennent de la base élèves : lsu sync)");
            rc = LSU_EXIT_BILAN_REJECTED;
        } else if (status == -3) {
            cli_error(c->err,
                      "%s : ces dates changeraient aussi celles de %lld classe%s hors de la sélection (%s) : "
                      "sélectionnez-les, ou --change-dates pour les changer pour toutes",
                      a->name, d.nclasses, d.nclasses > 1 ? "s" : "", d.classes ? d.classes : "");
            rc = LSU_EXIT_BILAN_REJECTED;
        } else {
            store_error(c);
            rc = LSU_EXIT_INTERNAL;
        }
        lsu_periodicity_done_free(&d);
    }
    if (rc == 0) {
        lsu_buf text = {0};
        list_periods(&c->st, &text);
        rc = print_buf(&text, c->out, rc);
        lsu_buf_free(&text);
    }
    return rc;
}

const cli_spec cmd_periods_spec = {
    .run = run_periods,
    .tables = periods_tables,
    .args_size = sizeof(periods_args),
    .check = check_periods,
    .positional = periods_action,
    .unknown = periods_action,
    .usage =
        "lsu periods --uai UAI [sélection] trimestres|semestres [--dates D:F,...] [--year ANNÉE] [--change-dates]\n"
        "lsu periods --uai UAI [sélection] [trimestres|semestres] --from FICHIER.xml [--change-dates]\n"
        "lsu periods --uai UAI [sélection] custom --name NOM --period LIBELLÉ=D:F... [--change-dates]",
    .summary = "Paramétrage des périodes (sans action : les périodicités et les classes dont la périodicité n'est "
               "pas définie).",
};
