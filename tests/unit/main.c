/* The unit tests' driver and reporter: a name table of groups (redis's
 * redisTests[]); `build/unit` runs them all, `build/unit NAME...` runs the
 * named ones in the order given, `build/unit --list` prints the names.
 * Exits 0 when every check passed, 1 when one failed, 2 on a bad name. */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int test_failed_checks;

/* Prints one check's line (see test.h) and returns ok. */
int test_report(int ok, const char *group, const char *name, const char *detail)
{
    const char *sep = group ? " " : "";
    if (ok)
        printf("PASS unit %s%s%s\n", group ? group : "", sep, name);
    else {
        printf("FAIL unit %s%s%s%s%s\n", group ? group : "", sep, name, detail ? ": " : "", detail ? detail : "");
        test_failed_checks++;
    }
    return ok;
}

/* test_report with a printf-like detail. */
int test_reportf(int ok, const char *group, const char *name, const char *fmt, ...)
{
    if (ok)
        return test_report(ok, group, name, NULL);
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    /* ap is started just above; the analyzer loses track of it */
    vsnprintf(detail, sizeof detail, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    return test_report(ok, group, name, detail);
}

/* Compares two strings, reporting both when they differ. */
int test_str(const char *got, const char *want, const char *name)
{
    char detail[512];
    snprintf(detail, sizeof detail, "got [%s], want [%s]", got ? got : "(null)", want);
    return expect(got && strcmp(got, want) == 0, name, detail);
}

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    {"text", test_text},
    {"sortkey", test_sort_key},
    {"order", test_bilan_order},
    {"levels", test_levels},
    {"rules", test_rules},
    {"dates", test_dates},
    {"utf8", test_utf8},
    {"tokens", test_tokens_and_periods},
    {"escaping", test_escaping},
    {"diags", test_diags},
    {"diagcap", test_diag_cap},
    {"atomic", test_atomic_write},
    {"periods", test_periods},
    {"periods-export", test_periods_export},
    {"missing", test_missing},
    {"labels", test_labels},
    {"package", test_package},
    {"onde", test_onde},
    {"foldcase", test_fold_case},
    {"entry-scope", test_entry_scope},
    {"entry-birth", test_entry_birth},
    {"entry-apply", test_entry_apply},
    {"entry-locked", test_entry_locked},
    {"entry-edits", test_entry_edits},
    {"aide-lines", test_aide_lines},
    {"aide-find", test_aide_find},
    {"entry-csv", test_entry_csv},
    {"serve", test_serve},
    {"export", test_export},
    {"export-entry", test_export_entry},
    {"remedy", test_remedy},
};
#define NTESTS (sizeof tests / sizeof *tests)

/* Runs every group, or the named ones; see the banner. */
int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < NTESTS; i++)
            printf("%s\n", tests[i].name);
        return 0;
    }
    for (int a = 1; a < argc; a++) {
        size_t i = 0;
        while (i < NTESTS && strcmp(tests[i].name, argv[a]) != 0)
            i++;
        if (i == NTESTS) {
            fprintf(stderr, "unit: unknown group \"%s\" (unit --list names them)\n", argv[a]);
            return 2;
        }
    }
    if (argc == 1)
        for (size_t i = 0; i < NTESTS; i++)
            tests[i].fn();
    for (int a = 1; a < argc; a++)
        for (size_t i = 0; i < NTESTS; i++)
            if (strcmp(tests[i].name, argv[a]) == 0)
                tests[i].fn();
    return test_failed_checks ? 1 : 0;
}
