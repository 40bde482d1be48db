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
