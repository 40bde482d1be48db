/* Periodicities and their checks (see periods.h). */
#include "school/periods.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* Month and day of each default period: start, end, and whether the end
 * falls in the second calendar year.  Dates of the LSU guide. */
typedef struct {
    int m1, d1, next1, m2, d2, next2;
} default_span;

static const default_span trimestres[] = {{9, 1, 0, 11, 30, 0}, {12, 1, 0, 3, 11, 1}, {3, 12, 1, 7, 5, 1}};
static const default_span semestres[] = {{9, 1, 0, 1, 31, 1}, {2, 1, 1, 7, 5, 1}};

/* "yyyy-mm-dd" into out. */
static void iso_date(int y, int m, int d, char out[11])
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* See periods.h. */
size_t lsu_periods_default(const char *kind, int millesime, lsu_period out[LSU_MAX_PERIODS])
{
    const default_span *spans;
    size_t n;
    const char *name;
    if (strcmp(kind, "trimestre") == 0) {
        spans = trimestres, n = 3, name = "Trimestre";
    } else if (strcmp(kind, "semestre") == 0) {
        spans = semestres, n = 2, name = "Semestre";
    } else {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(out[i].libelle, sizeof out[i].libelle, "%s %zu", name, i + 1);
        iso_date(millesime + spans[i].next1, spans[i].m1, spans[i].d1, out[i].debut);
        iso_date(millesime + spans[i].next2, spans[i].m2, spans[i].d2, out[i].fin);
    }
    return n;
}

/* True when y-m-d is a day of the calendar. */
static int real_day(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Reads exactly `n` digits at s; -1 when one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* See periods.h. */
int lsu_date_read(const char *s, char out[11])
{
    int y, m, d;
    if (!s || strlen(s) != 10)
        return -1;
    if (s[4] == '-' && s[7] == '-') {
        y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    } else if (s[2] == '/' && s[5] == '/') {
        d = digits(s, 2), m = digits(s + 3, 2), y = digits(s + 6, 4);
    } else {
        return -1;
    }
    if (!real_day(y, m, d))
        return -1;
    iso_date(y, m, d, out);
    return 0;
}

/* See periods.h. */
int lsu_school_year_of(long days)
{
    char iso[11];
    lsu_format_date_fr(days, iso); /* JJ/MM/AAAA */
    int m = digits(iso + 3, 2), y = digits(iso + 6, 4);
    return m >= 8 ? y : y - 1;
}

/* See periods.h. */
int lsu_periods_check(const lsu_period *p, size_t n, int millesime, char *why, size_t size)
{
    char first[16], last[16];
    snprintf(first, sizeof first, "%04d-08-01", millesime % 10000);
    snprintf(last, sizeof last, "%04d-07-31", (millesime + 1) % 10000);
    if (n == 0) {
        snprintf(why, size, "une périodicité compte au moins une période");
        return -1;
    }
    if (n > LSU_MAX_PERIODS) {
        snprintf(why, size, "une périodicité compte au plus %d périodes", LSU_MAX_PERIODS);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        long a, b;
        char fa[11], fb[11];
        if (lsu_parse_date(p[i].debut, &a) != 0 || lsu_parse_date(p[i].fin, &b) != 0) {
            snprintf(why, size, "%s : date invalide", p[i].libelle);
            return -1;
        }
        lsu_format_date_fr(a, fa);
        lsu_format_date_fr(b, fb);
        if (b < a) {
            snprintf(why, size, "%s : la fin (%s) précède le début (%s)", p[i].libelle, fb, fa);
            return -1;
        }
        if (strcmp(p[i].debut, first) < 0 || strcmp(p[i].fin, last) > 0) {
            snprintf(why, size, "%s (du %s au %s) sort de l'année scolaire %d-%d (du 01/08/%d au 31/07/%d)",
                     p[i].libelle, fa, fb, millesime, millesime + 1, millesime, millesime + 1);
            return -1;
        }
        if (i > 0 && strcmp(p[i].debut, p[i - 1].fin) <= 0) {
            snprintf(why, size, "%s (du %s au %s) chevauche %s, qui finit le %c%c/%c%c/%.4s", p[i].libelle, fa, fb,
                     p[i - 1].libelle, p[i - 1].fin[8], p[i - 1].fin[9], p[i - 1].fin[5], p[i - 1].fin[6],
                     p[i - 1].fin);
            return -1;
        }
    }
    return 0;
}

/* See periods.h. */
int lsu_periods_parse_dates(const char *spec, lsu_period *p, size_t n)
{
    const char *s = spec;
    for (size_t i = 0; i < n; i++) {
        char d[16], f[16];
        size_t la = strcspn(s, ":"), lb;
        if (s[la] != ':' || la >= sizeof d)
            return -1;
        memcpy(d, s, la), d[la] = 0;
        lb = strcspn(s + la + 1, ",");
        if (lb >= sizeof f)
            return -1;
        memcpy(f, s + la + 1, lb), f[lb] = 0;
        if (lsu_date_read(d, p[i].debut) != 0 || lsu_date_read(f, p[i].fin) != 0)
            return -1;
        s += la + 1 + lb;
        if (i + 1 < n && *s++ != ',')
            return -1;
    }
    return *s ? -1 : 0;
}

/* See periods.h. */
int lsu_period_parse(const char *spec, lsu_period *p)
{
    const char *eq = strchr(spec, '='), *colon = eq ? strchr(eq, ':') : NULL;
    char d[16], f[16];
    if (!eq || !colon || eq == spec || (size_t)(eq - spec) >= sizeof p->libelle ||
        (size_t)(colon - eq - 1) >= sizeof d || strlen(colon + 1) >= sizeof f)
        return -1;
    snprintf(p->libelle, sizeof p->libelle, "%.*s", (int)(eq - spec), spec);
    snprintf(d, sizeof d, "%.*s", (int)(colon - eq - 1), eq + 1);
    snprintf(f, sizeof f, "%s", colon + 1);
    if (lsu_date_read(d, p->debut) != 0 || lsu_date_read(f, p->fin) != 0)
        return -2;
    return 0;
}
