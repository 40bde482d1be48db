/* libFuzzer target: `lsu sync` and `lsu periods` into a school's store.
 * The input is cut at form feeds (\f) into an ONDE extraction, a
 * teachers' CSV (none when empty) and --period lines (LIBELLÉ=DÉBUT:FIN,
 * as tests/fuzz_util.h reads them).  A new store in a scratch folder
 * takes the extraction as cmd_sync gives it (src/cli/cmd_store.c: read,
 * report text, lsu_school_sync when no file is refused), twice, the
 * second time over what the first stored; then the periods, when
 * lsu_periods_check accepts them, as a custom periodicity of the whole
 * school, read back with the periodicities and import modes; then the
 * store is closed and the folder removed.  Set TMPDIR to a tmpfs
 * (/dev/shm) for speed. */
#include "base/util.h"
#include "fuzz_util.h"
#include "school/onde.h"
#include "school/school.h"
#include "school/store.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The periods part into the store, and what the settings screens read. */
static void store_periods(lsu_store *st, char *lines)
{
    lsu_period p[LSU_MAX_PERIODS];
    size_t n = fuzz_read_periods(lines, p);
    long first;
    char why[256];
    int year = n && lsu_parse_date(p[0].debut, &first) == 0 ? lsu_school_year_of(first) : 2024;
    lsu_selection sel = {.school = 1};
    if (n && lsu_periods_check(p, n, year, why, sizeof why) == 0) {
        lsu_periodicity_request r = {.name = "Personnalisée", .kind = "personnalisee", .year = year, .p = p, .n = n};
        lsu_periodicity_done done;
        lsu_school_set_periodicity(st, &r, &sel, &done);
        lsu_periodicity_done_free(&done);
    }
    lsu_periodicities all;
    lsu_school_periodicities(st, &all);
    lsu_school_periodicities_free(&all);
    lsu_class_mode *modes = NULL;
    size_t nmodes = 0;
    lsu_school_import_modes(st, &modes, &nmodes);
    lsu_school_import_modes_free(modes, nmodes);
}

/* Runs one input; see the banner. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *block, *parts[3], dir[4096];
    if (size > 65536 || fuzz_split(data, size, '\f', &block, parts, 3) == 0)
        return 0;
    if (fuzz_tempdir(dir, sizeof dir) != 0) {
        free(block);
        return 0;
    }
    lsu_onde o;
    lsu_teachers t = {0};
    lsu_buf text = {0};
    int refused = lsu_onde_read("CSVExtraction.csv", parts[0], strlen(parts[0]), &o) != 0;
    lsu_onde_text(&o, "CSVExtraction.csv", &text);
    int with_teachers = *parts[1] != '\0';
    if (with_teachers) {
        refused |= lsu_teachers_read("enseignants.csv", parts[1], strlen(parts[1]), &t) != 0;
        lsu_teachers_text(&t, "enseignants.csv", &text);
    }
    lsu_store st;
    if (lsu_store_open(&st, dir, "0290347V", 1) == STORE_OK) {
        for (int pass = 0; pass < 2 && !refused; pass++)
            lsu_school_sync(&st, &o, with_teachers ? &t : NULL, NULL, "CSVExtraction.csv", &text);
        store_periods(&st, parts[2]);
    }
    lsu_store_close(&st);
    lsu_buf_free(&text);
    lsu_onde_free(&o);
    if (with_teachers)
        lsu_teachers_free(&t);
    lsu_remove_tree(dir);
    free(block);
    return 0;
}
