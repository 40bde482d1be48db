/* The store commands that import, synchronise, lock, look back and edit:
 * lsu import, sync, lock, unlock, history, reports, edit --uai (the
 * prologue they share: store_cli.c). */
#include "cli/store_int.h"
#include "job/job.h"
#include "lsu.h"
#include "school/store_edit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- lsu import ---- */

/* `lsu import`: the pipeline, the settings rules, the bilans stored. */
int cmd_import(int argc, char **argv, FILE *out, FILE *err)
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

/* ---- lsu sync ---- */

/* `lsu sync FILE [--teachers FILE]`: Synchronisation élèves / enseignants.
 * Exit status: 0 every line taken, 1 some lines ignored (reported), 2 a
 * file refused (nothing synchronised). */
int cmd_sync(int argc, char **argv, FILE *out, FILE *err)
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
int cmd_lock(int argc, char **argv, FILE *out, FILE *err, int unlock)
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
int cmd_history(int argc, char **argv, FILE *out, FILE *err)
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
int cmd_reports(int argc, char **argv, FILE *out, FILE *err)
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
int cmd_edit(int argc, char **argv, FILE *out, FILE *err)
{
    store_args a;
    lsu_store st;
    lsu_store_edit_options o = {.by = EDIT_BY_CLASS};
    const char *output_dir = NULL;
    int rc = parse_common(&a, argc, argv, err) != 0 ? LSU_EXIT_USAGE : 0;
    for (int i = 0; rc == 0 && i < a.nrest; i++) {
        const char *arg = a.rest[i], *value = i + 1 < a.nrest ? a.rest[i + 1] : NULL;
        if (i + 1 < a.nrest && (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0))
            output_dir = a.rest[++i];
        else if (strcmp(arg, "--watermark") == 0)
            o.render.watermark = 1;
        else if (strcmp(arg, "--duplex") == 0)
            o.render.duplex = 1;
        else if (strcmp(arg, "--per-guardian") == 0)
            o.render.per_guardian = 1;
        else if (strcmp(arg, "--grayscale") == 0)
            o.render.grayscale = 1;
        else if (i + 1 < a.nrest && strcmp(arg, "--by") == 0) {
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
