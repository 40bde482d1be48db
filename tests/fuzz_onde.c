/* libFuzzer target: the ONDE and teachers' CSV readers on arbitrary bytes
 * (make fuzz-onde).  Whatever the input, a reader returns with its
 * diagnostics and frees everything. */
#include "school/onde.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One input through both readers. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsu_onde o;
    lsu_onde_read("fuzz.csv", (const char *)data, size, &o);
    lsu_onde_free(&o);
    lsu_teachers t;
    lsu_teachers_read("fuzz.csv", (const char *)data, size, &t);
    lsu_teachers_free(&t);
    return 0;
}
