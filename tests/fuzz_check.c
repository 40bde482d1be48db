/* libFuzzer target: the whole check pipeline and every report format on
 * arbitrary bytes.  `make fuzz` builds and runs it; seeds are the samples
 * and the golden cases. */
#include "lsu.h"
#include "report/report.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static lsu_runtime rt;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs one input through the pipeline and the reports. */
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
        if (size < 4096)
            lsu_report_html(&r, &rt, &b);
        lsu_buf_free(&b);
    }
    lsu_report_free(&r);
    lsu_file_free(f);
    return 0;
}
