/* libFuzzer target: the dates and periods `lsu periods` takes (--dates
 * D:F,..., --period LIBELLÉ=D:F, --year) through the library functions
 * its parser calls: lsu_date_read, lsu_parse_date, lsu_format_date_fr,
 * lsu_school_year_of, lsu_periods_default, lsu_periods_check and the two
 * parsers, lsu_periods_parse_dates and lsu_period_parse.  Input lines: a --dates spec, a --year, then --period specs;
 * every line is also read as one date.  Besides "no crash", it aborts
 * when the functions disagree: a date lsu_date_read accepts that
 * lsu_parse_date refuses or formats back otherwise, or a year's default
 * periods that lsu_periods_check refuses. */
#include "base/util.h"
#include "fuzz_util.h"
#include "school/periods.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line as a date both ways, with the agreements of the banner. */
static void one_date(const char *s)
{
    long days;
    char iso[11], fr[11];
    if (lsu_parse_date(s, &days) == 0) {
        lsu_format_date_fr(days, fr);
        (void)lsu_school_year_of(days);
    }
    if (lsu_date_read(s, iso) != 0)
        return;
    if (lsu_parse_date(iso, &days) != 0)
        abort();
    lsu_format_date_fr(days, fr);
    if (memcmp(fr, iso + 8, 2) != 0 || memcmp(fr + 3, iso + 5, 2) != 0 || memcmp(fr + 6, iso, 4) != 0)
        abort();
}

/* The school year as `lsu periods` picks it: --year, else the year of the
 * first date, else 2024 (the run's year in the command). */
static int pick_year(int year, const lsu_period *p, size_t n)
{
    long first;
    if (!year && n && lsu_parse_date(p[0].debut, &first) == 0)
        year = lsu_school_year_of(first);
    return year ? year : 2024;
}

/* Runs one input; see the banner. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *block, *parts[3];
    if (size > 4096 || fuzz_split(data, size, '\n', &block, parts, 3) == 0)
        return 0;
    const char *spec = parts[0], *year_arg = parts[1];
    char *rest = parts[2];
    one_date(spec);
    one_date(year_arg);
    for (const char *line = rest; *line;) {
        char one[64];
        size_t len = strcspn(line, "\n");
        snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), line);
        one_date(one);
        line += len + (line[len] == '\n');
    }
    /* --year as the command reads it: 1990 to 2100 */
    int year = 0;
    if (*year_arg) {
        char *end;
        errno = 0;
        long y = strtol(year_arg, &end, 10);
        if (!errno && !*end && y >= 1990 && y <= 2100)
            year = (int)y;
    }
    char why[256];
    static const char *const kinds[] = {"trimestre", "semestre", "personnalisee"};
    for (size_t k = 0; k < 3; k++) {
        lsu_period p[LSU_MAX_PERIODS];
        size_t n = lsu_periods_default(kinds[k], year ? year : 2024, p);
        if (n && lsu_periods_check(p, n, year ? year : 2024, why, sizeof why) != 0)
            abort();
        if (n && lsu_periods_parse_dates(spec, p, n) == 0)
            lsu_periods_check(p, n, pick_year(year, p, n), why, sizeof why);
    }
    lsu_period custom[LSU_MAX_PERIODS];
    size_t n = fuzz_read_periods(rest, custom);
    lsu_periods_check(custom, n, pick_year(year, custom, n), why, sizeof why);
    free(block);
    return 0;
}
