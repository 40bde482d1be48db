/* Unit tests of the diagnostics: their order and worst severity, and the
 * catalogue's entries. */
#include "base/diag.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

/* Group "diags": diagnostics sorted by place, worst severity, catalogue. */
void test_diags(void)
{
    lsu_diag_list l = {0};
    lsu_subject bilan = {.scope = SCOPE_BILAN, .bilan_kind = BILAN_PERIODIQUE, .bilan_index = 1};
    lsu_diag_add(&l, DIAG_REG007, 20, &bilan, "second");
    lsu_diag_add(&l, DIAG_XSD005, 20, &bilan, "first %d", 1);
    lsu_diag_add(&l, DIAG_XSD005, 5, NULL, "file level");
    lsu_diag_sort(&l);
    expect(l.len == 3 && l.items[0].line == 5 && l.items[0].severity == SEV_FATAL, "diag schema fatal outside", NULL);
    expect(l.items[1].severity == SEV_FATAL && strcmp(l.items[1].message, "first 1") == 0,
           "diag schema fatal inside a bilan too, worst first", NULL);
    expect(lsu_code_is_schema(DIAG_XSD005) && lsu_code_is_schema(DIAG_REF001) && lsu_code_is_schema(DIAG_REF002) &&
               !lsu_code_is_schema(DIAG_REF003) && !lsu_code_is_schema(DIAG_REG007),
           "diag schema codes: XSD, REF001, REF002", NULL);
    expect(lsu_diag_worst(&l) == SEV_FATAL, "diag worst", NULL);
    lsu_diag_list_free(&l);
    int all_documented = 1;
    for (int i = 0; i < DIAG_COUNT; i++) {
        const lsu_code_info *c = lsu_code_lookup((lsu_code)i);
        if (!c->title[0] || !c->meaning[0] || !c->action[0] || strlen(c->code) != 6)
            all_documented = 0;
        if (lsu_code_find(c->code) != c)
            all_documented = 0;
    }
    expect(all_documented, "catalogue entries complete and unique", NULL);
}

/* Group "diagcap": at most LSU_DIAG_PER_SUBJECT diagnostics of one code,
 * severity and subject; the others counted in one more entry, also across
 * a sort (which moves the entries). */
void test_diag_cap(void)
{
    lsu_diag_list l = {0};
    lsu_subject b1 = {.scope = SCOPE_BILAN, .bilan_kind = BILAN_PERIODIQUE, .bilan_index = 1};
    lsu_subject b2 = {.scope = SCOPE_BILAN, .bilan_kind = BILAN_PERIODIQUE, .bilan_index = 2};
    for (int i = 0; i < LSU_DIAG_PER_SUBJECT + 5; i++)
        lsu_diag_add(&l, DIAG_REF001, 100 - i, &b1, "ref %d", i);
    lsu_diag_add(&l, DIAG_REF001, 7, &b2, "other bilan");
    lsu_diag_add_sev(&l, DIAG_REF001, SEV_BLOQUANT, 7, &b1, "other severity");
    expect(l.len == LSU_DIAG_PER_SUBJECT + 3, "diagcap listed 20, one summary, other subjects apart", NULL);
    const lsu_diag *sum = &l.items[LSU_DIAG_PER_SUBJECT];
    expect(sum->omitted == 5 && sum->code == DIAG_REF001 && sum->severity == SEV_FATAL && sum->scope == SCOPE_BILAN &&
               sum->bilan_index == 1 && sum->line == 100 - LSU_DIAG_PER_SUBJECT,
           "diagcap summary counts 5, same code, severity, bilan, first left-out line", NULL);
    expect_str(sum->message,
               "Et 5 autres diagnostics REF001 du même type pour ce bilan, non listés : seuls les 20 premiers le sont.",
               "diagcap summary message");
    lsu_diag_sort(&l);
    lsu_diag_add(&l, DIAG_REF001, 1, &b1, "after sort");
    size_t n = 0, omitted = 0;
    for (size_t i = 0; i < l.len; i++)
        if (l.items[i].omitted)
            n++, omitted = l.items[i].omitted;
    expect(l.len == LSU_DIAG_PER_SUBJECT + 3 && n == 1 && omitted == 6, "diagcap counts on after a sort", NULL);
    lsu_diag_list_free(&l);
}
