/* Unit tests of dates: reading and printing them, the periodicities of
 * the school's settings and their checks. */
#include "base/util.h"
#include "school/periods.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

/* Group "dates": ISO dates read, differences, French forms printed. */
void test_dates(void)
{
    long a, b;
    expect(lsu_parse_date("2024-09-02", &a) == 0 && lsu_parse_date("2024-11-30", &b) == 0 && b - a == 89,
           "date difference", NULL);
    expect(lsu_parse_date("2024-02-30", &a) != 0, "date invalid day", NULL);
    expect(lsu_parse_date("02/09/2024", &a) != 0, "date french form refused", NULL);
    expect(lsu_parse_date("2024-11-28T16:30:00", &a) == 0, "date prefix of a dateTime", NULL);
    char out[11];
    lsu_parse_date("2025-03-07", &a);
    lsu_format_date_fr(a, out);
    expect_str(out, "07/03/2025", "date format fr");
    char fr[64];
    lsu_format_datetime_fr(1467906421, fr, sizeof fr);
    expect_str(fr, "le 07 juillet 2016 à 15:47:01", "datetime fr as LSU prints it");
}

/* Group "periods": periodicities: default dates, date reading, the checks. */
void test_periods(void)
{
    lsu_period p[LSU_MAX_PERIODS];
    char why[256];
    size_t n = lsu_periods_default("trimestre", 2024, p);
    expect(n == 3, "periods trimestres count", NULL);
    expect_str(p[0].debut, "2024-09-01", "periods T1 start");
    expect_str(p[1].fin, "2025-03-11", "periods T2 end");
    expect_str(p[2].fin, "2025-07-05", "periods T3 end");
    expect_str(p[2].libelle, "Trimestre 3", "periods T3 label");
    expect(lsu_periods_check(p, n, 2024, why, sizeof why) == 0, "periods defaults are valid", why);
    n = lsu_periods_default("semestre", 2025, p);
    expect(n == 2 && strcmp(p[0].fin, "2026-01-31") == 0 && strcmp(p[1].debut, "2026-02-01") == 0,
           "periods semestres 2025", p[0].fin);
    expect(lsu_periods_default("autre", 2024, p) == 0, "periods unknown kind", NULL);
    char d[11];
    expect(lsu_date_read("02/09/2024", d) == 0 && strcmp(d, "2024-09-02") == 0, "date read french", d);
    expect(lsu_date_read("2024-02-29", d) == 0, "date read leap day", NULL);
    expect(lsu_date_read("2023-02-29", d) != 0, "date read no leap day", NULL);
    expect(lsu_date_read("31/04/2024", d) != 0, "date read 31 April", NULL);
    expect(lsu_date_read("2024-9-1", d) != 0, "date read short", NULL);
    /* overlap: T2 starts on the day T1 ends */
    n = lsu_periods_default("trimestre", 2024, p);
    memcpy(p[1].debut, "2024-11-30", 11);
    expect(lsu_periods_check(p, n, 2024, why, sizeof why) != 0 && strstr(why, "chevauche Trimestre 1"),
           "periods overlap refused", why);
    /* out of the school year */
    n = lsu_periods_default("trimestre", 2024, p);
    memcpy(p[2].fin, "2025-08-15", 11);
    expect(lsu_periods_check(p, n, 2024, why, sizeof why) != 0 && strstr(why, "sort de l'année scolaire"),
           "periods out of year refused", why);
    /* end before start */
    n = lsu_periods_default("semestre", 2024, p);
    memcpy(p[0].fin, "2024-08-20", 11);
    expect(lsu_periods_check(p, n, 2024, why, sizeof why) != 0 && strstr(why, "précède"), "periods end before start",
           why);
    expect(lsu_periods_check(p, 0, 2024, why, sizeof why) != 0, "periods none refused", why);
    long days;
    lsu_parse_date("2025-03-10", &days);
    expect(lsu_school_year_of(days) == 2024, "school year of March", NULL);
    lsu_parse_date("2025-08-20", &days);
    expect(lsu_school_year_of(days) == 2025, "school year of August", NULL);
}
