/* The store commands of the school's settings: lsu import-mode
 * (Paramétrage de l'import) and lsu periods (Paramétrage des périodes),
 * their options read and their listings printed (the prologue they share:
 * store_cli.c). */
#include "cli/store_int.h"
#include "lsu.h"
#include "school/periods.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- lsu import-mode ---- */

/* `lsu import-mode`: sets (or lists) the import mode of classes. */
int cmd_import_mode(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    int rc = parse_common(&a, argc, argv, err) != 0 || a.nrest > 1 ? LSU_EXIT_USAGE : 0;
    const char *mode = a.nrest == 1 ? a.rest[0] : NULL;
    if (rc == 0 && mode && strcmp(mode, "manuelle") != 0 && strcmp(mode, "logiciel") != 0) {
        fprintf(err, "lsu: mode d'import « %s » inconnu : manuelle ou logiciel\n", mode);
        rc = LSU_EXIT_USAGE;
    }
    if (rc == 0 && mode && one_selection(&a.sel, 0, err) != 0)
        rc = LSU_EXIT_USAGE;
    if (rc != 0 || (rc = open_store(&a, &st, 1, err)) != 0) {
        free(a.rest);
        return rc;
    }
    lsu_buf text = {0};
    if (mode) {
        long long changed = lsu_school_set_import_mode(&st, mode, &a.sel);
        if (changed > 0) {
            lsu_buf_printf(&text, "%lld classe%s paramétrée%s en %s.\n", changed, changed > 1 ? "s" : "",
                           changed > 1 ? "s" : "",
                           strcmp(mode, "logiciel") == 0 ? "import logiciel" : "saisie manuelle");
        } else if (changed == -2) {
            fprintf(err, "lsu: aucune classe ne correspond (les classes viennent de la base élèves : lsu sync)\n");
            rc = LSU_EXIT_BILAN_REJECTED;
        } else {
            fprintf(err, "lsu: base de l'école %s : %s\n", a.uai, st.error ? st.error : "?");
            rc = LSU_EXIT_INTERNAL;
        }
    }
    if (rc == 0) {
        lsu_class_mode *m = NULL;
        size_t n = 0;
        /* a failed read lists the classes read before it, as it always has */
        (void)lsu_school_import_modes(&st, &m, &n);
        lsu_buf_puts(&text, "Paramétrage de l'import :\n");
        for (size_t i = 0; i < n; i++)
            lsu_buf_printf(&text, "  %-12s (%s)  %s\n", m[i].libelle, m[i].id_be,
                           strcmp(m[i].mode, "logiciel") == 0   ? "import logiciel"
                           : strcmp(m[i].mode, "manuelle") == 0 ? "saisie manuelle"
                                                                : "non paramétré");
        lsu_school_import_modes_free(m, n);
        if (n == 0)
            lsu_buf_puts(&text, "  aucune classe : synchronisez d'abord la base élèves (lsu sync)\n");
        rc = print_buf(&text, out, rc);
    }
    lsu_buf_free(&text);
    lsu_store_close(&st);
    free(a.rest);
    return rc;
}

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
        if (!pe->classes)
            lsu_buf_puts(text, "  Aucune classe associée à cette périodicité.\n");
        else
            lsu_buf_printf(text, "  Classes associées : %s\n", pe->classes);
    }
    lsu_school_periodicities_free(&all);
}

/* Reads "D1:F1,D2:F2…" into the dates of p[0..n); 0, or -1 with a
 * message on err. */
static int parse_dates(const char *spec, lsu_period *p, size_t n, FILE *err)
{
    const char *s = spec;
    for (size_t i = 0; i < n; i++) {
        char d[16], f[16];
        size_t la = strcspn(s, ":"), lb;
        if (s[la] != ':' || la >= sizeof d)
            goto bad;
        memcpy(d, s, la), d[la] = 0;
        lb = strcspn(s + la + 1, ",");
        if (lb >= sizeof f)
            goto bad;
        memcpy(f, s + la + 1, lb), f[lb] = 0;
        if (lsu_date_read(d, p[i].debut) != 0 || lsu_date_read(f, p[i].fin) != 0)
            goto bad;
        s += la + 1 + lb;
        if (i + 1 < n && *s++ != ',')
            goto bad;
    }
    if (*s)
        goto bad;
    return 0;
bad:
    fprintf(err,
            "lsu: --dates : « %s » : %zu périodes attendues, DÉBUT:FIN séparées par des virgules (dates "
            "AAAA-MM-JJ ou JJ/MM/AAAA)\n",
            spec, n);
    return -1;
}

/* Reads one --period "Libellé=DÉBUT:FIN" into p; 0 or -1 (printed). */
static int parse_custom_period(const char *spec, lsu_period *p, FILE *err)
{
    const char *eq = strchr(spec, '='), *colon = eq ? strchr(eq, ':') : NULL;
    char d[16], f[16];
    if (!eq || !colon || eq == spec || (size_t)(eq - spec) >= sizeof p->libelle ||
        (size_t)(colon - eq - 1) >= sizeof d || strlen(colon + 1) >= sizeof f) {
        fprintf(err, "lsu: --period : « %s » : LIBELLÉ=DÉBUT:FIN attendu\n", spec);
        return -1;
    }
    snprintf(p->libelle, sizeof p->libelle, "%.*s", (int)(eq - spec), spec);
    snprintf(d, sizeof d, "%.*s", (int)(colon - eq - 1), eq + 1);
    snprintf(f, sizeof f, "%s", colon + 1);
    if (lsu_date_read(d, p->debut) != 0 || lsu_date_read(f, p->fin) != 0) {
        fprintf(err, "lsu: --period : « %s » : date invalide (AAAA-MM-JJ ou JJ/MM/AAAA)\n", spec);
        return -1;
    }
    return 0;
}

/* `lsu periods`: trimestres, semestres or a custom periodicity for
 * classes, a level or the school; without an action, the listing. */
int cmd_periods(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    if (parse_common(&a, argc, argv, err) != 0) {
        free(a.rest);
        return LSU_EXIT_USAGE;
    }
    const char *action = NULL, *dates = NULL, *name = NULL;
    int year = 0; /* --year, else the year of the first date given, else the run's */
    lsu_period p[LSU_MAX_PERIODS];
    size_t n = 0;
    int rc = 0;
    for (int i = 0; i < a.nrest && rc == 0; i++) {
        const char *arg = a.rest[i];
        if (i + 1 < a.nrest && strcmp(arg, "--dates") == 0)
            dates = a.rest[++i];
        else if (i + 1 < a.nrest && strcmp(arg, "--name") == 0)
            name = a.rest[++i];
        else if (i + 1 < a.nrest && strcmp(arg, "--year") == 0) {
            char *end;
            errno = 0;
            long y = strtol(a.rest[++i], &end, 10);
            if (errno || *end || y < 1990 || y > 2100) {
                fprintf(err, "lsu: --year : « %s » n'est pas une année (2024 pour 2024-2025)\n", a.rest[i]);
                rc = LSU_EXIT_USAGE;
            }
            year = (int)y;
        } else if (i + 1 < a.nrest && strcmp(arg, "--period") == 0) {
            if (n == LSU_MAX_PERIODS || parse_custom_period(a.rest[++i], &p[n], err) != 0)
                rc = LSU_EXIT_USAGE;
            n++;
        } else if (!action && arg[0] != '-' &&
                   (strcmp(arg, "trimestres") == 0 || strcmp(arg, "semestres") == 0 || strcmp(arg, "custom") == 0))
            action = arg;
        else {
            fprintf(err, "lsu: argument inconnu ou incomplet « %s » (voir lsu --help)\n", arg);
            rc = LSU_EXIT_USAGE;
        }
    }
    const char *kind = !action                             ? NULL
                       : strcmp(action, "trimestres") == 0 ? "trimestre"
                       : strcmp(action, "semestres") == 0  ? "semestre"
                                                           : "personnalisee";
    if (rc == 0 && action && strcmp(kind, "personnalisee") == 0) {
        if (!name || n == 0 || dates) {
            fprintf(err, "lsu: une périodicité personnalisée demande --name NOM et au moins une --period "
                         "LIBELLÉ=DÉBUT:FIN\n");
            rc = LSU_EXIT_USAGE;
        }
    } else if (rc == 0 && action) {
        if (name || n) {
            fprintf(err, "lsu: --name et --period ne valent que pour « custom »\n");
            rc = LSU_EXIT_USAGE;
        }
        n = lsu_periods_default(kind, year ? year : current_millesime(), p);
        name = strcmp(kind, "trimestre") == 0 ? "Trimestre" : "Semestre";
        if (dates && parse_dates(dates, p, n, err) != 0)
            rc = LSU_EXIT_USAGE;
    } else if (rc == 0 && (name || n || dates)) {
        fprintf(err, "lsu: choisissez trimestres, semestres ou custom (voir lsu --help)\n");
        rc = LSU_EXIT_USAGE;
    }
    long first_day;
    if (!year && action && (dates || n) && lsu_parse_date(p[0].debut, &first_day) == 0)
        year = lsu_school_year_of(first_day);
    if (!year)
        year = current_millesime();
    char why[256];
    if (rc == 0 && action && lsu_periods_check(p, n, year, why, sizeof why) != 0) {
        fprintf(err, "lsu: périodes refusées : %s\n", why);
        rc = LSU_EXIT_BILAN_REJECTED;
    }
    if (rc != 0 || (rc = open_store(&a, &st, 1, err)) != 0) {
        free(a.rest);
        return rc;
    }
    if (action) {
        long long attached = lsu_school_set_periodicity(&st, name, kind, year, p, n, &a.sel);
        if (attached > 0) {
            fprintf(err, "%s : %lld classe%s associée%s.\n", name, attached, attached > 1 ? "s" : "",
                    attached > 1 ? "s" : "");
        } else if (attached == -2) {
            fprintf(err, "lsu: aucune classe ne correspond (les classes viennent de la base élèves : lsu sync)\n");
            rc = LSU_EXIT_BILAN_REJECTED;
        } else if (attached < 0) {
            fprintf(err, "lsu: base de l'école %s : %s\n", a.uai, st.error ? st.error : "?");
            rc = LSU_EXIT_INTERNAL;
        }
    }
    if (rc == 0) {
        lsu_buf text = {0};
        list_periods(&st, &text);
        rc = print_buf(&text, out, rc);
        lsu_buf_free(&text);
    }
    lsu_store_close(&st);
    free(a.rest);
    return rc;
}
