/* One input file through the whole chain (see job.h). */
#include "job/job.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* See job.h. */
int lsu_job_write_output(lsu_buf *text, const char *dir, const char *name, const lsu_buf *b)
{
    char *path = lsu_asprintf("%s/%s", dir, name);
    if (!path || b->failed) {
        lsu_buf_printf(text, "lsu: %s/%s: mémoire insuffisante\n", dir, name);
        free(path);
        return -1;
    }
    int rc = lsu_write_file_atomic(path, b->data ? b->data : "", b->len);
    if (rc != 0)
        lsu_buf_printf(text, "lsu: écriture de %s impossible : %s\n", path, lsu_strerror_fr(errno));
    free(path);
    return rc;
}

/* See job.h. */
char *lsu_output_stem(const char *name, char *const *taken, size_t ntaken)
{
    size_t len = strlen(name);
    if (len > 4 && strcasecmp(name + len - 4, ".xml") == 0)
        len -= 4;
    /* a name of the file system's own ("." "..", from "..xml" "...xml") or
     * a hidden one would write outside the output folder or out of sight:
     * leading dots become '_', an empty name "_" */
    char *base = lsu_asprintf("%.*s", (int)len, name);
    if (!base)
        return NULL;
    for (char *c = base; *c == '.'; c++)
        *c = '_';
    for (int k = 1;; k++) {
        char *stem = k == 1 ? lsu_asprintf("%s", *base ? base : "_") : lsu_asprintf("%s-%d", *base ? base : "_", k);
        if (!stem)
            break;
        int clash = 0;
        for (size_t i = 0; i < ntaken && !clash; i++)
            clash = taken[i] && strcmp(taken[i], stem) == 0;
        if (!clash) {
            free(base);
            return stem;
        }
        free(stem);
    }
    free(base);
    return NULL;
}

/* Writes every format of one report under dir, and the normalised tree
 * when asked; 0 or -1 (why appended to text). */
static int write_reports(lsu_buf *text, const char *dir, const char *stem, const lsu_report *r, lsu_runtime *rt,
                         int normalised)
{
    int rc = 0;
    lsu_buf b = {0};
    char *name;

    /* the reports of this stem a killed run left half-written */
    char *prefix = lsu_asprintf("%s.", stem);
    if (prefix)
        lsu_remove_atomic_leftovers(dir, prefix, "");
    free(prefix);

    lsu_report_json(r, &b);
    lsu_buf_puts(&b, "\n");
    name = lsu_asprintf("%s.rapport.json", stem);
    rc |= !name || lsu_job_write_output(text, dir, name, &b);
    free(name);

    b.len = 0;
    lsu_report_csv(r, &b);
    name = lsu_asprintf("%s.rapport.csv", stem);
    rc |= !name || lsu_job_write_output(text, dir, name, &b);
    free(name);

    b.len = 0;
    if (lsu_report_html(r, rt, &b) != 0) {
        lsu_buf_printf(text, "lsu: %s : le rapport HTML n'a pas pu être produit\n", r->file->path);
        rc = -1;
    } else {
        name = lsu_asprintf("%s.rapport.html", stem);
        rc |= !name || lsu_job_write_output(text, dir, name, &b);
        free(name);
    }

    if (normalised && r->file->norm) {
        xmlChar *mem = NULL;
        int len = 0;
        xmlDocDumpFormatMemoryEnc(r->file->norm, &mem, &len, "UTF-8", 1);
        b.len = 0;
        if (mem)
            lsu_buf_add(&b, (const char *)mem, (size_t)len);
        else
            b.failed = 1;
        xmlFree(mem);
        name = lsu_asprintf("%s.normalise.xml", stem);
        rc |= !name || lsu_job_write_output(text, dir, name, &b);
        free(name);
    }
    lsu_buf_free(&b);
    return rc ? -1 : 0;
}

/* Renders the PDFs and zips of one checked file; errors go to `text`, the
 * summary line to `summary`.  Returns 0, or -1 when something could not be
 * written. */
static int edit_file(const lsu_job_options *o, lsu_file *f, const lsu_report *r, const char *stem,
                     lsu_edit_counts *counts, lsu_buf *text, lsu_buf *summary)
{
    lsu_render_options ro = o->render;
    ro.date = lsu_edit_date(f);
    char *error = NULL;
    lsu_renderer *renderer = lsu_renderer_new(&ro, &error);
    if (!renderer) {
        lsu_buf_printf(text, "lsu: %s : édition impossible : %s\n", f->path, error ? error : "?");
        free(error);
        return -1;
    }
    /* the académie's list names the school at the head of its bilans */
    lsu_edit_options eo = o->edit_opt;
    const lsu_school_entry *listed = lsu_school_list_find(o->schools, f->uai);
    lsu_render_school rs = {listed ? listed->nom : NULL, NULL, NULL, listed ? listed->commune : NULL};
    if (listed)
        eo.school = &rs;
    int rc = lsu_edit(f, r, renderer, &eo, o->output_dir, stem, counts, &error);
    lsu_renderer_free(renderer);
    if (rc != 0)
        lsu_buf_printf(text, "lsu: %s : édition interrompue : %s\n", f->path, error ? error : "?");
    lsu_buf_printf(summary, "%s: %zu bilan%s édité%s, %zu PDF dans %zu zip%s (%s/%s/) ; %zu bilan%s sans PDF\n",
                   f->path, counts->bilans, counts->bilans > 1 ? "s" : "", counts->bilans > 1 ? "s" : "", counts->pdfs,
                   counts->zips, counts->zips > 1 ? "s" : "", o->output_dir, stem, counts->excluded,
                   counts->excluded > 1 ? "s" : "");
    free(error);
    return rc;
}

/* Worse of two exit statuses: internal > file rejected > bilan rejected. */
static int worse_status(int a, int b)
{
    return a > b ? a : b;
}

/* See job.h. */
int lsu_job_run(lsu_file *f, lsu_runtime *rt, const lsu_job_options *o, const char *stem, lsu_buf *text, lsu_buf *json,
                lsu_job_result *res)
{
    memset(res, 0, sizeof *res);
    int status = LSU_EXIT_OK;
    lsu_pipeline_run(f, rt, &o->opt);
    if (o->after_pipeline) {
        if (o->after_pipeline(f, o->ctx) != 0)
            status = LSU_EXIT_INTERNAL;
        lsu_diag_sort(&f->diags); /* the hook's diagnostics take their place by line */
    }
    lsu_report r;
    if (lsu_report_build(&r, f) != 0) {
        lsu_buf_printf(text, "lsu: %s : mémoire insuffisante pour le rapport\n", f->path);
        lsu_report_free(&r);
        res->internal_error = 1;
        res->exit_status = LSU_EXIT_INTERNAL;
        return res->exit_status;
    }
    /* edit first: its notes (PDF001, PDF002) belong in the report */
    lsu_buf edit_summary = {0};
    if (o->edit && o->output_dir && stem && f->norm && !f->file_rejected) {
        if (edit_file(o, f, &r, stem, &res->edited, text, &edit_summary) != 0)
            status = LSU_EXIT_INTERNAL;
        lsu_diag_sort(&f->diags);
    }
    if (o->release_normalised && !o->normalised) {
        /* the reports read the file's index and diagnostics, not this tree:
         * freeing it first keeps the two from peaking together */
        xmlFreeDoc(f->norm);
        f->norm = NULL;
        lsu_memory_release();
    }
    if (!o->quiet)
        lsu_report_text(&r, text);
    lsu_report_summary(&r, text);
    if (edit_summary.data)
        lsu_buf_puts(text, edit_summary.data);
    lsu_buf_free(&edit_summary);
    if (json)
        lsu_report_json(&r, json);
    if (o->output_dir && o->write_reports && stem &&
        write_reports(text, o->output_dir, stem, &r, rt, o->normalised) != 0)
        status = LSU_EXIT_INTERNAL;
    res->traites = r.traites;
    res->importes = r.importes;
    res->avec_alertes = r.avec_alertes;
    res->rejetes = r.rejetes;
    res->file_rejected = r.file_rejected;
    res->internal_error = r.internal_error || status == LSU_EXIT_INTERNAL;
    res->exit_status = worse_status(status, lsu_report_exit_status(&r));
    lsu_report_free(&r);
    return res->exit_status;
}

/* See job.h. */
int lsu_jobs_run(char *const *files, size_t nfiles, lsu_runtime *rt, const lsu_job_options *jo,
                 const lsu_jobs_options *o, lsu_buf *json, lsu_file **kept)
{
    char **stems = calloc(nfiles + 1, sizeof *stems);
    int status = stems ? LSU_EXIT_OK : LSU_EXIT_INTERNAL;
    int want_json = o->json || o->after_file, objects = 0;
    if (o->json && nfiles > 1)
        lsu_buf_puts(json, "{\"files\": [\n");
    for (size_t i = 0; i < nfiles && stems; i++) {
        if (o->before_file)
            o->before_file(files[i], o->before_ctx);
        lsu_file *f = lsu_file_new(files[i]);
        if (!f) {
            status = LSU_EXIT_INTERNAL;
            break;
        }
        if (jo->output_dir && !(stems[i] = lsu_output_stem(f->name, stems, i)))
            status = LSU_EXIT_INTERNAL;
        lsu_buf text = {0}, file_json = {0};
        lsu_job_result res;
        lsu_job_run(f, rt, jo, stems[i], &text, want_json ? &file_json : NULL, &res);
        if (o->after_file) {
            char *printed = lsu_strdup_or_null(text.data ? text.data : "");
            if (!printed || o->after_file(f, printed, file_json.data, res.exit_status, &text, o->ctx) != 0)
                res.exit_status = LSU_EXIT_INTERNAL;
            free(printed);
        }
        if (o->json && (file_json.data || o->json_null)) {
            if (nfiles > 1 && objects++ > 0)
                lsu_buf_puts(json, ",\n");
            lsu_buf_puts(json, file_json.data ? file_json.data : "null");
        }
        lsu_buf_free(&file_json);
        if (text.data)
            o->emit(text.data, o->emit_ctx);
        lsu_buf_free(&text);
        status = worse_status(status, res.exit_status);
        if (o->keep_last && kept && i + 1 == nfiles) {
            *kept = f;
        } else {
            lsu_file_free(f);
            lsu_memory_release();
        }
    }
    if (o->json) {
        if (nfiles > 1)
            lsu_buf_puts(json, "\n]}");
        lsu_buf_puts(json, "\n");
    }
    for (size_t i = 0; stems && i < nfiles; i++)
        free(stems[i]);
    free(stems);
    return status;
}
