/* Periodicities of the school (Paramétrage des périodes): the predefined
 * trimestres and semestres with the year's default dates, custom named
 * periods, and the checks LSU makes on them; the periods an export
 * declares (periods_export.c).  No store. */
#ifndef LSU_PERIODS_H
#define LSU_PERIODS_H

#include <stddef.h>

#define LSU_MAX_PERIODS 12

typedef struct {
    char libelle[64];
    char debut[11], fin[11]; /* yyyy-mm-dd */
} lsu_period;

/* The default dates of the school year starting in `millesime` for
 * "trimestre" (3 periods) or "semestre" (2), as LSU proposes them.
 * Returns the number of periods written into out, 0 for another kind. */
size_t lsu_periods_default(const char *kind, int millesime, lsu_period out[LSU_MAX_PERIODS]);

/* Reads a date as yyyy-mm-dd or dd/mm/yyyy into out (yyyy-mm-dd);
 * 0, or -1 when it is no real date. */
int lsu_date_read(const char *s, char out[11]);

/* Checks periods in order: real dates, each starting before it ends,
 * inside the school year (1 August millesime to 31 July millesime + 1),
 * none overlapping the previous one, at least one.  0 when fine, else -1
 * with the reason in why (French). */
int lsu_periods_check(const lsu_period *p, size_t n, int millesime, char *why, size_t size);

/* The school year of a date: the millesime (2024 for 2025-03-10), from the
 * month (August onwards starts a year). */
int lsu_school_year_of(long days);

/* The periods an export declares (its periodes elements), as `lsu periods
 * --from` takes them. */
typedef struct {
    int millesime;    /* the school year: 2024 for 2024-2025 */
    const char *kind; /* "trimestre" (nb-periodes 3) or "semestre" (2); static */
    size_t n;         /* periods in p, in the order of their indice */
    lsu_period p[LSU_MAX_PERIODS];
} lsu_export_periods;

/* Reads the periodes of the export at `path` (parsed as lsu_parse does,
 * at most max_size bytes) of `kind` ("trimestre": nb-periodes 3,
 * "semestre": 2; NULL: the only periodicity the export declares, of 3 or
 * 2 periods): one school year, each indice once (the same dates when
 * repeated), real dates; labels "Trimestre 1"... as the predefined
 * periodicities.  0, or -1 with the reason in why (French). */
int lsu_periods_from_export(const char *path, long long max_size, const char *kind, lsu_export_periods *out, char *why,
                            size_t size);

/* Reads "D1:F1,D2:F2…" (`lsu periods --dates`) into the dates of p[0..n),
 * each date AAAA-MM-JJ or JJ/MM/AAAA.  Returns 0, or -1 when the text is
 * not n such pairs. */
int lsu_periods_parse_dates(const char *spec, lsu_period *p, size_t n);
/* Reads one "Libellé=DÉBUT:FIN" (`lsu periods custom --period`) into p.
 * Returns 0, -1 when the form is not LIBELLÉ=DÉBUT:FIN, -2 when a date is
 * not one. */
int lsu_period_parse(const char *spec, lsu_period *p);

#endif
