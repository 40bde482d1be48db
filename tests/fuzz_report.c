/* libFuzzer target: the report writers on inputs of any size, the HTML
 * report included (tests/fuzz_check.c leaves it out for speed: once it
 * ran it on inputs under 4 KB only, a limit that came without a reason;
 * the HTML report is an XSLT transform and its serialisation, under
 * callgrind about 20 times the JSON writer's instructions and two thirds
 * of the whole pipeline's on the same input).  Every input, up to make
 * fuzz-report's -max_len (256 KB), goes through the pipeline and then
 * every writer of src/report/report.h: JSON, CSV, text, summary and
 * HTML. */
#include "lsu.h"
#include "report/report.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static lsu_runtime rt;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one input through the pipeline and every report writer. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        if (lsu_runtime_init(&rt) != 0)
            abort();
        ready = 1;
    }
    lsu_options opt = {.max_size = LSU_DEFAULT_MAX_SIZE};
    lsu_file *f = lsu_file_new("fuzz.xml");
    if (!f)
        return 0;
    f->memory = (const char *)data;
    f->memory_len = size;
    lsu_pipeline_run(f, &rt, &opt);
    lsu_report r;
    if (lsu_report_build(&r, f) == 0) {
        lsu_buf b = {0};
        lsu_report_json(&r, &b);
        lsu_report_csv(&r, &b);
        lsu_report_text(&r, &b);
        lsu_report_summary(&r, &b);
        lsu_report_html(&r, &rt, &b);
        lsu_buf_free(&b);
    }
    lsu_report_free(&r);
    lsu_file_free(f);
    return 0;
}
