/* The stage chain of one file, in pipeline order, and the file's lifetime.
 * Every later command (check, edit, import, batch) runs this chain. */
#include "base/util.h"
#include "lsu.h"

#include <stdlib.h>
#include <string.h>

/* Allocates an empty lsu_file for `path`; NULL when memory ran out. */
lsu_file *lsu_file_new(const char *path)
{
    lsu_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->path = strdup(path);
    if (!f->path) {
        free(f);
        return NULL;
    }
    f->name = lsu_basename(f->path);
    f->size = -1;
    f->run_time = lsu_run_time();
    return f;
}

/* Frees the file and everything it owns (trees, index, diagnostics). */
void lsu_file_free(lsu_file *f)
{
    if (!f)
        return;
    lsu_index_free(&f->index);
    xmlFreeDoc(f->norm);
    xmlFreeDoc(f->doc);
    lsu_diag_list_free(&f->diags);
    for (size_t i = 0; i < sizeof f->header_copies / sizeof *f->header_copies; i++)
        free(f->header_copies[i]);
    free(f->path);
    free(f);
}

/* Frees the raw tree once normalised: every later stage reads the
 * normalised tree, the index and the diagnostics, so the two trees never
 * peak together with the PDFs and reports.  Handing the freed pages back
 * to the system is what lowers the peak: the later allocations are not of
 * the tree's sizes. */
static void release_raw_tree(lsu_file *f)
{
    const char **fields[] = {&f->schema_version, &f->uai, &f->editeur, &f->application};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (*fields[i] && !f->header_copies[i] && !(f->header_copies[i] = strdup(*fields[i])))
            return; /* no memory for the copy: keep the raw tree */
        *fields[i] = f->header_copies[i];
    }
    lsu_index_release_tree(&f->index);
    xmlFreeDoc(f->doc);
    f->doc = NULL;
    lsu_memory_release();
}

/* Runs parse, detect, index, validate, references, characters, normalise
 * and check. */
int lsu_pipeline_run(lsu_file *f, lsu_runtime *rt, const lsu_options *opt)
{
    int ok = 1;
    f->stages_run |= LSU_STAGE_PARSE;
    if (lsu_parse(f, opt) == LSU_GO_ON) {
        /* the parser's input buffers are freed by now: their pages go back
         * to the system here, not whenever the allocator's decay timer
         * says (which made the peak vary by 4 MB from one run to the next) */
        lsu_memory_release();
        f->stages_run |= LSU_STAGE_DETECT;
        if (lsu_detect(f) == LSU_GO_ON && lsu_index_build(f) == LSU_GO_ON) {
            f->stages_run |= LSU_STAGE_VALIDATE;
            if (lsu_validate(f, rt) == LSU_GO_ON) {
                f->stages_run |= LSU_STAGE_REFERENCES;
                if (lsu_references(f) == LSU_GO_ON && lsu_characters(f) == LSU_GO_ON) {
                    f->stages_run |= LSU_STAGE_NORMALISE;
                    lsu_stage_status normalised = lsu_normalise(f, rt);
                    release_raw_tree(f);
                    if (normalised == LSU_GO_ON) {
                        f->stages_run |= LSU_STAGE_CHECK;
                        lsu_check(f);
                    }
                }
            }
        }
    }
    if (f->diags.oom) {
        /* the list could not grow: make room for one last word */
        f->diags.oom = 0;
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante : des diagnostics ont été perdus.");
    }
    for (size_t i = 0; i < f->diags.len; i++) {
        if (f->diags.items[i].severity == SEV_FATAL)
            f->file_rejected = 1;
        if (f->diags.items[i].code == DIAG_INT001)
            ok = 0;
    }
    lsu_diag_sort(&f->diags);
    return ok ? 0 : -1;
}
