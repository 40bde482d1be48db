/* One input file through the whole chain: the pipeline, the report, the
 * PDFs and zips, and the files written under the output folder.  Shared by
 * the commands that process files (check, edit, run, import, batch).
 *
 * A job never prints: what a user should read (diagnostic lines, summary
 * lines, write errors) is appended to a text buffer the caller prints. */
#ifndef LSU_JOB_H
#define LSU_JOB_H

#include "base/util.h"
#include "lsu.h"
#include "pdf/edit.h"
#include "pdf/render.h"
#include "report/report.h"
#include "school/schools.h"

typedef struct {
    const char *output_dir; /* NULL: no file is written */
    int write_reports;      /* write STEM.rapport.{json,csv,html} under output_dir */
    int normalised;         /* also STEM.normalise.xml */
    int edit;               /* render the PDFs and zips under output_dir/STEM/ */
    int quiet;              /* only the summary lines in the text buffer */
    int release_normalised; /* free f->norm once the PDFs are made (nobody reads it after) */
    lsu_options opt;
    lsu_edit_options edit_opt;
    lsu_render_options render;
    /* the académie's list of schools (lsu batch --schools), which names a
     * file's school at the head of its bilans; NULL: none */
    const lsu_school_list *schools;
    /* Called after the pipeline, before the report: a command adds the
     * diagnostics of its own rules there (school settings).  Returns 0, or
     * -1 on an internal error (it records INT001 itself). */
    int (*after_pipeline)(lsu_file *f, void *ctx);
    void *ctx;
} lsu_job_options;

/* What one file came to: its report's counters and exit status. */
typedef struct {
    int exit_status; /* lsu_exit for this file alone */
    size_t traites, importes, avec_alertes, rejetes;
    int file_rejected;
    int internal_error;
    lsu_edit_counts edited;
} lsu_job_result;

/* Runs f through the whole chain.  Appends the text for stderr to `text`
 * and, when json is not NULL, the file's JSON report object to `json`.
 * `stem` names the outputs (NULL when output_dir is NULL).  The caller
 * frees f afterwards; returns res->exit_status. */
int lsu_job_run(lsu_file *f, lsu_runtime *rt, const lsu_job_options *o, const char *stem, lsu_buf *text, lsu_buf *json,
                lsu_job_result *res);

/* How a command runs several files one after the other (check, edit, run,
 * import): the same job options for each, one JSON array, the worst
 * status. */
typedef struct {
    int json; /* gather the files' JSON reports into the caller's buffer */
    /* A file without a report is written null in the array (import: the
     * array keeps one entry per file named); else it is left out. */
    int json_null;
    /* Hand the last file back through *kept instead of freeing it: a command
     * about to exit need not walk its tree (check, edit, run). */
    int keep_last;
    /* Called after each file's job, before its text is emitted: the store
     * records the import there and may append to `text`.  `printed` is the
     * job's text as it stood, `json` its JSON report (NULL when none).
     * Returns 0, or -1 on an internal error (the file's status becomes
     * LSU_EXIT_INTERNAL). */
    int (*after_file)(lsu_file *f, const char *printed, const char *json, int status, lsu_buf *text, void *ctx);
    void *ctx;
    /* Called before each file with its path (the command line sets the
     * file's time bound there); may be NULL. */
    void (*before_file)(const char *path, void *before_ctx);
    void *before_ctx;
    /* Called with each file's text as soon as the file is done (the
     * command line prints it on stderr); never NULL. */
    void (*emit)(const char *text, void *emit_ctx);
    void *emit_ctx;
} lsu_jobs_options;

/* Runs files[0..nfiles) through lsu_job_run one after the other, each with
 * its own output stem.  With o->json, appends the JSON report to `json`:
 * the file's object alone for one file, {"files": [...]} for several, and
 * a final line end.  Returns the worst exit status (LSU_EXIT_INTERNAL when
 * memory ran out). */
int lsu_jobs_run(char *const *files, size_t nfiles, lsu_runtime *rt, const lsu_job_options *jo,
                 const lsu_jobs_options *o, lsu_buf *json, lsu_file **kept);

/* Base name for a file's outputs: its name without ".xml", leading dots
 * turned into '_' (so that "...xml" cannot name "..", nor "..xml" "."),
 * made unique among `taken` by a numeric suffix (-2, -3…).  Caller frees;
 * NULL when memory ran out. */
char *lsu_output_stem(const char *name, char *const *taken, size_t ntaken);

/* Writes a buffer to DIR/NAME atomically; 0, or -1 with a line appended
 * to `text` saying why. */
int lsu_job_write_output(lsu_buf *text, const char *dir, const char *name, const lsu_buf *b);

#endif
