/* Unit tests of dates: reading and printing them, the periodicities of
 * the school's settings and their checks. */
#include "base/util.h"
#include "school/periods.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Writes an export whose donnees hold `periodes` (periode elements) into
 * a new temporary file, reads its periods of `kind` with
 * lsu_periods_from_export into out and why; its result, -2 when the file
 * could not be written. */
static int from_export(const char *periodes, const char *kind, lsu_export_periods *out, char *why, size_t size)
{
    char path[] = "/tmp/lsu-unit-periods-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return -2;
    }
    fprintf(f,
            "<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\"><donnees><periodes>%s</periodes>"
            "</donnees></lsun-bilans>\n",
            periodes);
    int rc = fclose(f) == 0 ? lsu_periods_from_export(path, 1 << 20, kind, out, why, size) : -2;
    unlink(path);
    return rc;
}

/* One periode element of 2024-2025: indice i of nb, from d to f. */
#define PER(i, nb, d, f)                                                                                               \
    "<periode id=\"P" #i "_" #nb "\" millesime=\"2024\" indice=\"" #i "\" nb-periodes=\"" #nb "\" date-debut=\"" d     \
    "\" date-fin=\"" f "\"/>"

/* Group "periods-export": the periods of an export, as lsu periods --from
 * reads them: one periodicity chosen, its indices in order, repeats,
 * gaps, years, what is not an export. */
void test_periods_export(void)
{
    lsu_export_periods ex;
    char why[512] = "";
    const char *mixed = PER(2, 3, "2024-12-01", "2025-03-08") PER(1, 3, "2024-09-02", "2024-11-30")
        PER(1, 2, "2024-09-02", "2025-01-31") PER(3, 3, "2025-03-09", "2025-07-05")
            PER(2, 2, "2025-02-01", "2025-07-05");
    expect(from_export(mixed, NULL, &ex, why, sizeof why) == -1 && strstr(why, "choisissez trimestres ou semestres"),
           "periods-export two periodicities, none chosen", why);
    int rc = from_export(mixed, "trimestre", &ex, why, sizeof why);
    expect(rc == 0 && ex.n == 3 && ex.millesime == 2024 && strcmp(ex.kind, "trimestre") == 0 &&
               strcmp(ex.p[1].debut, "2024-12-01") == 0 && strcmp(ex.p[2].libelle, "Trimestre 3") == 0,
           "periods-export trimestres chosen, in the order of their indice", why);
    rc = from_export(mixed, "semestre", &ex, why, sizeof why);
    expect(rc == 0 && ex.n == 2 && strcmp(ex.p[1].fin, "2025-07-05") == 0 && strcmp(ex.p[0].libelle, "Semestre 1") == 0,
           "periods-export semestres chosen", why);
    rc = from_export(PER(1, 2, "2024-09-02", "2025-01-31") PER(1, 2, "2024-09-02", "2025-01-31")
                         PER(2, 2, "2025-02-01", "2025-07-05"),
                     NULL, &ex, why, sizeof why);
    expect(rc == 0 && ex.n == 2 && strcmp(ex.kind, "semestre") == 0, "periods-export a period repeated alike", why);
    rc = from_export(PER(1, 2, "2024-09-02", "2025-01-31") PER(1, 2, "2024-09-03", "2025-01-31")
                         PER(2, 2, "2025-02-01", "2025-07-05"),
                     NULL, &ex, why, sizeof why);
    expect(rc == -1 && strstr(why, "deux fois la période 1/2"), "periods-export a period repeated otherwise", why);
    rc = from_export(PER(1, 3, "2024-09-02", "2024-11-30") PER(3, 3, "2025-03-09", "2025-07-05"), NULL, &ex, why,
                     sizeof why);
    expect(rc == -1 && strstr(why, "ne déclare pas la période 2/3"), "periods-export a period missing", why);
    rc = from_export(PER(1, 2, "2024-09-02", "2025-01-31") "<periode id=\"X\" millesime=\"2023\" indice=\"2\" "
                                                           "nb-periodes=\"2\" date-debut=\"2024-02-01\" "
                                                           "date-fin=\"2024-07-05\"/>",
                     NULL, &ex, why, sizeof why);
    expect(rc == -1 && strstr(why, "2024-2025 et 2023-2024"), "periods-export two school years", why);
    rc = from_export(PER(1, 2, "2024-09-02", "2025-01-31") PER(2, 2, "2025-02-31", "2025-07-05"), NULL, &ex, why,
                     sizeof why);
    expect(rc == -1 && strstr(why, "date-debut ou date-fin invalide"), "periods-export a date invalid", why);
    rc = from_export("", NULL, &ex, why, sizeof why);
    expect(rc == -1 && strstr(why, "aucune période"), "periods-export no period", why);
    rc = from_export(PER(1, 3, "2024-09-02", "2024-11-30"), "semestre", &ex, why, sizeof why);
    expect(rc == -1 && strstr(why, "pas de semestres"), "periods-export no semestres", why);
    rc = lsu_periods_from_export("/nonexistent/lsu.xml", 1 << 20, NULL, &ex, why, sizeof why);
    expect(rc == -1 && strstr(why, "/nonexistent/lsu.xml"), "periods-export no such file", why);
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
