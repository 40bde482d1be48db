/* The unit-test harness (redis's testhelp.h): one reporter that prints the
 * lines tests/run.sh counts, "PASS unit <name>" or "FAIL unit <name>:
 * <detail>", the check macro the groups use, and the groups of the name
 * table in tests/unit/main.c (`build/unit dates onde` runs two of them). */
#ifndef LSU_TEST_H
#define LSU_TEST_H

/* Number of failed checks so far; main's exit status is 1 when non-zero. */
extern int test_failed_checks;

/* Prints one check's line: "PASS unit [group ]name", or "FAIL unit [group
 * ]name[: detail]" and counts the failure; group and detail may be NULL.
 * Returns ok. */
int test_report(int ok, const char *group, const char *name, const char *detail);

/* test_report with a printf-like detail, formatted only when ok is 0. */
__attribute__((format(printf, 4, 5))) int test_reportf(int ok, const char *group, const char *name, const char *fmt,
                                                       ...);

/* Compares two strings (got may be NULL) and reports both when they differ. */
int test_str(const char *got, const char *want, const char *name);

/* The check of the groups without a prefix: one condition, its name, an
 * optional detail (a plain string) printed when it fails. */
#define expect(ok, name, detail) test_report((ok), NULL, (name), (detail))
#define expect_str(got, want, name) test_str((got), (want), (name))

/* The groups of the name table, by area (tests/unit/<area>.c). */
void test_text(void);               /* text.c: lsu_text_normalise */
void test_sort_key(void);           /* text.c: lsu_sort_key */
void test_fold_case(void);          /* text.c: lsu_fold_case */
void test_bilan_order(void);        /* text.c: lsu_bilan_order_key */
void test_utf8(void);               /* text.c: UTF-8 helpers */
void test_escaping(void);           /* text.c: JSON and CSV escaping */
void test_levels(void);             /* nomenclature.c: class levels and cycles */
void test_rules(void);              /* nomenclature.c: INE and placeholders */
void test_tokens_and_periods(void); /* nomenclature.c: tokens, school years, periods' names */
void test_dates(void);              /* dates.c: dates read and printed */
void test_serve(void);              /* serve.c: lsu serve's parsers and accounts */
void test_periods(void);            /* dates.c: periodicities */
void test_periods_export(void);     /* dates.c: an export's periods (lsu periods --from) */
void test_diags(void);              /* diag.c: diagnostics and the catalogue */
void test_diag_cap(void);           /* diag.c: LSU_DIAG_PER_SUBJECT */
void test_atomic_write(void);       /* fs.c: mkdir -p, atomic writes, leftovers */
void test_missing(void);            /* school.c: the « ? » of a stored bilan */
void test_labels(void);             /* school.c: label readers */
void test_package(void);            /* package.c: safe names, SHA-256, zips */
void test_onde(void);               /* onde.c: ONDE and teachers' CSV readers */
void test_entry_scope(void);        /* entry.c: the teachers' entry: classes and periods */
void test_entry_birth(void);        /* entry.c: bilans born in the store */
void test_entry_apply(void);        /* entry.c: changes, refusals, versions, stale states */
void test_entry_locked(void);       /* entry.c: locked bilans, view, « ? », history, PDF */
void test_entry_edits(void);        /* entry.c: éléments renamed, moved, removed; imported bilans */
void test_aide_lines(void);         /* aide.c: every line of data/aide-saisie.tsv */
void test_aide_find(void);          /* aide.c: parser refusals, look-ups */
void test_entry_csv(void);          /* entry_csv.c: the spreadsheet round trip of the entry */
void test_export(void);             /* export.c: the export to LSU's names and document */
void test_export_entry(void);       /* export.c: bilans entered in the store, exported */
void test_remedy(void);             /* remedy.c: what to do beside a refusal, per front-end */

#endif
