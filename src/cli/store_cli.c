/* The commands of the school's store: lsu import, import-mode, periods,
 * lock, unlock, history, reports (and sync).  Command code: the only place
 * of the store that prints or picks an exit status. */
#include "cli/store_cli.h"
#include "base/util.h"
#include "import/nomenclature.h"
#include "job/job.h"
#include "lsu.h"
#include "school/periods.h"
#include "school/school.h"
#include "school/store.h"
#include "school/store_edit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The options every store command takes, and the selection. */
typedef struct {
    const char *data, *uai;
    lsu_selection sel;
    char **rest; /* other arguments, in order (owned array) */
    int nrest;
} store_args;

/* Parses --data, --uai and the selection options (--pupil, --class,
 * --level, --school); anything else goes to rest.  0, or -1 on a bad
 * option (message printed). */
static int parse_common(store_args *a, int argc, char **argv, FILE *err)
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

/* Opens the store of a->uai; prints why not and returns an exit status
 * (0 when open). */
static int open_store(const store_args *a, lsu_store *st, int create, FILE *err)
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

/* Prints a buffer to a stream; the exit status for a failed write. */
static int print_buf(const lsu_buf *b, FILE *out, int status)
{
    if (b->failed || (b->data && fputs(b->data, out) == EOF) || fflush(out) != 0)
        return LSU_EXIT_INTERNAL;
    return status;
}

/* Exactly one of the selection options, or --school; prints why not. */
static int one_selection(const lsu_selection *sel, int pupil_allowed, FILE *err)
{
    int n = (sel->ine != NULL) + (sel->classe != NULL) + (sel->niveau != NULL) + sel->school;
    if (n != 1 || (sel->ine && !pupil_allowed)) {
        fprintf(err, "lsu: choisissez %s--class CLASSE, --level NIVEAU ou --school (voir lsu --help)\n",
                pupil_allowed ? "--pupil INE, " : "");
        return -1;
    }
    return 0;
}

/* ---- lsu import ---- */

/* `lsu import`: the pipeline, the settings rules, the bilans stored. */
static int cmd_import(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    const char *output_dir = NULL;
    int json = 0, quiet = 0;
    if (parse_common(&a, argc, argv, err) != 0) {
        free(a.rest);
        return LSU_EXIT_USAGE;
    }
    char **files = calloc((size_t)a.nrest + 1, sizeof *files);
    int nfiles = 0;
    for (int i = 0; files && i < a.nrest; i++) {
        const char *arg = a.rest[i];
        if ((strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) && i + 1 < a.nrest)
            output_dir = a.rest[++i];
        else if (strcmp(arg, "--json") == 0)
            json = 1;
        else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0)
            quiet = 1;
        else if (arg[0] == '-' && arg[1]) {
            fprintf(err, "lsu: option inconnue ou incomplète « %s » (voir lsu --help)\n", arg);
            free(files), free(a.rest);
            return LSU_EXIT_USAGE;
        } else
            files[nfiles++] = a.rest[i];
    }
    if (!files || nfiles == 0) {
        fprintf(err, "lsu: aucun fichier à importer (voir lsu --help)\n");
        free(files), free(a.rest);
        return files ? LSU_EXIT_USAGE : LSU_EXIT_INTERNAL;
    }
    if (output_dir && lsu_mkdir_p(output_dir) != 0) {
        fprintf(err, "lsu: %s : création du dossier impossible : %s\n", output_dir, lsu_strerror_fr(errno));
        free(files), free(a.rest);
        return LSU_EXIT_INTERNAL;
    }
    lsu_runtime rt;
    if (lsu_runtime_init(&rt) != 0) {
        fprintf(err, "lsu: erreur interne : %s\n", rt.error ? rt.error : "?");
        lsu_runtime_free(&rt);
        free(files), free(a.rest);
        return LSU_EXIT_INTERNAL;
    }
    lsu_import_ctx ctx = {.data_dir = lsu_store_data_dir(a.data), .uai = a.uai};
    lsu_job_options jo = {.output_dir = output_dir,
                          .write_reports = output_dir != NULL,
                          .quiet = quiet,
                          .opt = {.max_size = LSU_DEFAULT_MAX_SIZE},
                          .after_pipeline = lsu_import_hook,
                          .ctx = &ctx};
    char **stems = calloc((size_t)nfiles + 1, sizeof *stems);
    lsu_buf all_json = {0};
    int status = stems ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
    if (json && nfiles > 1)
        lsu_buf_puts(&all_json, "{\"files\": [\n");
    for (int i = 0; i < nfiles && stems; i++) {
        lsu_file *f = lsu_file_new(files[i]);
        if (!f) {
            status = LSU_EXIT_INTERNAL;
            break;
        }
        if (output_dir && !(stems[i] = lsu_output_stem(f->name, stems, (size_t)i)))
            status = LSU_EXIT_INTERNAL;
        lsu_buf text = {0}, file_json = {0};
        lsu_job_result res;
        lsu_job_run(f, &rt, &jo, stems[i], &text, &file_json, &res);
        lsu_buf report = {0}; /* what is kept in the store: the text as printed */
        lsu_buf_puts(&report, text.data ? text.data : "");
        if (lsu_import_finish(&ctx, f, report.data, file_json.data, res.exit_status, &text) != 0)
            res.exit_status = LSU_EXIT_INTERNAL;
        lsu_buf_free(&report);
        if (json) {
            if (i > 0)
                lsu_buf_puts(&all_json, ",\n");
            lsu_buf_puts(&all_json, file_json.data ? file_json.data : "null");
        }
        lsu_buf_free(&file_json);
        if (text.data)
            fputs(text.data, err);
        lsu_buf_free(&text);
        if (res.exit_status > status)
            status = res.exit_status;
        lsu_file_free(f);
        lsu_memory_release();
    }
    lsu_import_ctx_free(&ctx);
    if (json) {
        lsu_buf_puts(&all_json, nfiles > 1 ? "\n]}\n" : "\n");
        status = print_buf(&all_json, out, status);
    }
    lsu_buf_free(&all_json);
    for (int i = 0; stems && i < nfiles; i++)
        free(stems[i]);
    free(stems);
    lsu_runtime_free(&rt);
    free(files), free(a.rest);
    return status;
}

/* ---- lsu import-mode ---- */

/* `lsu import-mode`: sets (or lists) the import mode of classes. */
static int cmd_import_mode(int argc, char **argv, FILE *out, FILE *err)
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
static int cmd_periods(int argc, char **argv, FILE *out, FILE *err)
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
        const char *arg = a.rest[i], *value = i + 1 < a.nrest ? a.rest[i + 1] : NULL;
        if (value && strcmp(arg, "--dates") == 0)
            dates = a.rest[++i];
        else if (value && strcmp(arg, "--name") == 0)
            name = a.rest[++i];
        else if (value && strcmp(arg, "--year") == 0) {
            char *end;
            errno = 0;
            long y = strtol(a.rest[++i], &end, 10);
            if (errno || *end || y < 1990 || y > 2100) {
                fprintf(err, "lsu: --year : « %s » n'est pas une année (2024 pour 2024-2025)\n", a.rest[i]);
                rc = LSU_EXIT_USAGE;
            }
            year = (int)y;
        } else if (value && strcmp(arg, "--period") == 0) {
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

/* ---- lsu sync ---- */

/* `lsu sync FILE [--teachers FILE]`: Synchronisation élèves / enseignants.
 * Exit status: 0 every line taken, 1 some lines ignored (reported), 2 a
 * file refused (nothing synchronised). */
static int cmd_sync(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    const char *pupils = NULL, *teachers = NULL;
    int rc = parse_common(&a, argc, argv, err) != 0 ? LSU_EXIT_USAGE : 0;
    for (int i = 0; rc == 0 && i < a.nrest; i++) {
        if (strcmp(a.rest[i], "--teachers") == 0 && i + 1 < a.nrest)
            teachers = a.rest[++i];
        else if (a.rest[i][0] != '-' && !pupils)
            pupils = a.rest[i];
        else {
            fprintf(err, "lsu: argument inconnu ou incomplet « %s » (voir lsu --help)\n", a.rest[i]);
            rc = LSU_EXIT_USAGE;
        }
    }
    if (rc == 0 && !pupils) {
        fprintf(err, "lsu: usage : lsu sync --uai UAI [--data DOSSIER] CSVExtraction.csv [--teachers FICHIER.csv]\n");
        rc = LSU_EXIT_USAGE;
    }
    if (rc != 0) {
        free(a.rest);
        return rc;
    }
    lsu_onde o;
    lsu_teachers t = {0};
    lsu_buf text = {0};
    int refused = lsu_onde_read(pupils, NULL, 0, &o) != 0;
    lsu_onde_text(&o, pupils, &text);
    int t_read = 0;
    if (teachers) {
        refused |= lsu_teachers_read(teachers, NULL, 0, &t) != 0;
        lsu_teachers_text(&t, teachers, &text);
        t_read = 1;
    }
    int ignored = o.lines_rejected > 0 || (t_read && t.lines_rejected > 0);
    if (refused) {
        lsu_buf_puts(&text, "Synchronisation non effectuée : un fichier est refusé.\n");
        rc = LSU_EXIT_FILE_REJECTED;
    } else if ((rc = open_store(&a, &st, 1, err)) == 0) {
        if (lsu_school_sync(&st, &o, t_read ? &t : NULL, lsu_basename(pupils), &text) != 0) {
            lsu_buf_printf(&text, "lsu: base de l'école %s : %s ; rien n'est synchronisé\n", a.uai,
                           st.error ? st.error : "?");
            rc = LSU_EXIT_INTERNAL;
        } else {
            rc = ignored ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK;
        }
        lsu_store_close(&st);
    }
    rc = print_buf(&text, err, rc);
    (void)out;
    lsu_buf_free(&text);
    lsu_onde_free(&o);
    if (t_read)
        lsu_teachers_free(&t);
    free(a.rest);
    return rc;
}

/* ---- lsu lock, unlock, history, reports ---- */

/* `lsu lock` / `lsu unlock`. */
static int cmd_lock(int argc, char **argv, FILE *out, FILE *err, int unlock)
{
    store_args a;
    lsu_store st;
    int rc = parse_common(&a, argc, argv, err) != 0 ? LSU_EXIT_USAGE : 0;
    if (rc == 0 && a.nrest) {
        fprintf(err, "lsu: argument inconnu « %s » (voir lsu --help)\n", a.rest[0]);
        rc = LSU_EXIT_USAGE;
    }
    if (rc == 0 && one_selection(&a.sel, 1, err) != 0)
        rc = LSU_EXIT_USAGE;
    if (rc != 0 || (rc = open_store(&a, &st, 0, err)) != 0) {
        free(a.rest);
        return rc;
    }
    lsu_buf text = {0};
    int k = lsu_school_lock(&st, &a.sel, unlock, &text);
    if (k < 0) {
        fprintf(err, "lsu: base de l'école %s : %s\n", a.uai, st.error ? st.error : "?");
        rc = LSU_EXIT_INTERNAL;
    } else {
        rc = print_buf(&text, out, k ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK);
    }
    lsu_buf_free(&text);
    lsu_store_close(&st);
    free(a.rest);
    return rc;
}

/* `lsu history --pupil INE`. */
static int cmd_history(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    int rc = parse_common(&a, argc, argv, err) != 0 ? LSU_EXIT_USAGE : 0;
    if (rc == 0 && (a.nrest || !a.sel.ine || a.sel.classe || a.sel.niveau || a.sel.school)) {
        fprintf(err, "lsu: usage : lsu history --uai UAI --pupil INE [--data DOSSIER]\n");
        rc = LSU_EXIT_USAGE;
    }
    if (rc != 0 || (rc = open_store(&a, &st, 0, err)) != 0) {
        free(a.rest);
        return rc;
    }
    lsu_buf text = {0};
    int n = lsu_school_history(&st, a.sel.ine, &text);
    if (n < 0) {
        fprintf(err, "lsu: base de l'école %s : %s\n", a.uai, st.error ? st.error : "?");
        rc = LSU_EXIT_INTERNAL;
    } else if (n == 0) {
        fprintf(err, "lsu: aucun bilan de l'élève %s dans la base de l'école %s\n", a.sel.ine, a.uai);
        rc = LSU_EXIT_BILAN_REJECTED;
    } else {
        rc = print_buf(&text, out, LSU_EXIT_OK);
    }
    lsu_buf_free(&text);
    lsu_store_close(&st);
    free(a.rest);
    return rc;
}

/* `lsu reports`: the imports of the school, or one report again. */
static int cmd_reports(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    long long show = 0;
    int json = 0;
    int rc = parse_common(&a, argc, argv, err) != 0 ? LSU_EXIT_USAGE : 0;
    for (int i = 0; rc == 0 && i < a.nrest; i++) {
        if (strcmp(a.rest[i], "--show") == 0 && i + 1 < a.nrest) {
            char *end;
            errno = 0;
            show = strtoll(a.rest[++i], &end, 10);
            if (errno || *end || show <= 0) {
                fprintf(err, "lsu: --show : « %s » n'est pas un numéro d'import\n", a.rest[i]);
                rc = LSU_EXIT_USAGE;
            }
        } else if (strcmp(a.rest[i], "--json") == 0) {
            json = 1;
        } else {
            fprintf(err, "lsu: argument inconnu ou incomplet « %s » (voir lsu --help)\n", a.rest[i]);
            rc = LSU_EXIT_USAGE;
        }
    }
    if (rc != 0 || (rc = open_store(&a, &st, 0, err)) != 0) {
        free(a.rest);
        return rc;
    }
    lsu_buf text = {0};
    if (show) {
        char *report = NULL;
        /* a store that cannot be read has no such import, as it always had */
        if (lsu_school_import_report(&st, show, json, &report) > 0) {
            lsu_buf_puts(&text, report);
        } else {
            fprintf(err, "lsu: aucun import n° %lld dans la base de l'école %s\n", show, a.uai);
            rc = LSU_EXIT_BILAN_REJECTED;
        }
        free(report);
    } else {
        lsu_import_entry *e = NULL;
        size_t n = 0;
        /* a failed read lists the imports read before it, as it always has */
        (void)lsu_school_imports(&st, &e, &n);
        lsu_buf_puts(&text, "n°  date                  code  fichier — bilans\n");
        for (size_t i = 0; i < n; i++)
            lsu_buf_printf(&text, "%-3lld %.10s %.8s  %-4d  %s — %s\n", e[i].id, e[i].at, e[i].at + 11,
                           e[i].exit_status, e[i].source, e[i].summary);
        lsu_school_imports_free(e, n);
    }
    if (rc == 0)
        rc = print_buf(&text, out, LSU_EXIT_OK);
    lsu_buf_free(&text);
    lsu_store_close(&st);
    free(a.rest);
    return rc;
}

/* ---- lsu edit --uai ---- */

/* `lsu edit --uai UAI -o DOSSIER [sélection] [options d'édition]`: the
 * locked bilans of the school's store as PDFs in zips under DOSSIER/UAI/.
 * Exit status: 0 every selected bilan edited, 1 some not locked (STO003)
 * or none selected, 70 the store or a zip could not be read or written. */
static int cmd_edit(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    lsu_store_edit_options o = {.by = EDIT_BY_CLASS};
    const char *output_dir = NULL;
    int rc = parse_common(&a, argc, argv, err) != 0 ? LSU_EXIT_USAGE : 0;
    for (int i = 0; rc == 0 && i < a.nrest; i++) {
        const char *arg = a.rest[i], *value = i + 1 < a.nrest ? a.rest[i + 1] : NULL;
        if (value && (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0))
            output_dir = a.rest[++i];
        else if (strcmp(arg, "--watermark") == 0)
            o.render.watermark = 1;
        else if (strcmp(arg, "--duplex") == 0)
            o.render.duplex = 1;
        else if (strcmp(arg, "--per-guardian") == 0)
            o.render.per_guardian = 1;
        else if (strcmp(arg, "--grayscale") == 0)
            o.render.grayscale = 1;
        else if (value && strcmp(arg, "--by") == 0) {
            i++;
            if (strcmp(value, "class") == 0)
                o.by = EDIT_BY_CLASS;
            else if (strcmp(value, "level") == 0)
                o.by = EDIT_BY_LEVEL;
            else if (strcmp(value, "school") == 0)
                o.by = EDIT_BY_SCHOOL;
            else {
                fprintf(err, "lsu: --by : « %s » inconnu (class, level ou school)\n", value);
                rc = LSU_EXIT_USAGE;
            }
        } else if (arg[0] != '-') {
            fprintf(err,
                    "lsu: « %s » : lsu edit --uai édite les bilans de la base de l'école, sans fichier "
                    "(sans --uai pour éditer un fichier)\n",
                    arg);
            rc = LSU_EXIT_USAGE;
        } else {
            fprintf(err, "lsu: option inconnue ou incomplète « %s » (voir lsu --help)\n", arg);
            rc = LSU_EXIT_USAGE;
        }
    }
    if (rc == 0 && !output_dir) {
        fprintf(err, "lsu: l'édition demande un dossier de sortie : -o DOSSIER (voir lsu --help)\n");
        rc = LSU_EXIT_USAGE;
    }
    if (rc != 0 || (rc = open_store(&a, &st, 0, err)) != 0) {
        free(a.rest);
        return rc;
    }
    o.sel = a.sel;
    lsu_buf text = {0};
    lsu_store_edit_counts n;
    char *error = NULL;
    if (lsu_store_edit(&st, &o, output_dir, &n, &text, &error) != 0) {
        lsu_buf_printf(&text, "lsu: base de l'école %s : édition interrompue : %s\n", a.uai,
                       error      ? error
                       : st.error ? st.error
                                  : "?");
        rc = LSU_EXIT_INTERNAL;
    } else if (n.selected == 0) {
        lsu_buf_printf(&text, "lsu: aucun bilan de la base de l'école %s ne correspond à la sélection\n", a.uai);
        rc = LSU_EXIT_BILAN_REJECTED;
    } else {
        rc = n.unreadable ? LSU_EXIT_INTERNAL : n.unlocked ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_OK;
    }
    if (n.selected)
        lsu_buf_printf(&text,
                       "base de l'école %s : %zu bilan%s édité%s, %zu PDF dans %zu zip%s (%s/%s/) ; %zu bilan%s "
                       "non verrouillé%s sans PDF\n",
                       a.uai, n.edited.bilans, n.edited.bilans > 1 ? "s" : "", n.edited.bilans > 1 ? "s" : "",
                       n.edited.pdfs, n.edited.zips, n.edited.zips > 1 ? "s" : "", output_dir, a.uai, n.unlocked,
                       n.unlocked > 1 ? "s" : "", n.unlocked > 1 ? "s" : "");
    rc = print_buf(&text, err, rc);
    (void)out;
    free(error);
    lsu_buf_free(&text);
    lsu_store_close(&st);
    free(a.rest);
    return rc;
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
