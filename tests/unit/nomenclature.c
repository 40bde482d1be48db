/* Unit tests of the nomenclature: class levels and cycles, INE and
 * placeholder rules, IDREFS tokens, school years and periods' names. */
#include "import/nomenclature.h"
#include "base/util.h"
#include "import/check.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

/* Group "levels": the level and cycle a class label names. */
void test_levels(void)
{
    expect_str(lsu_class_level("CE1 A"), "CE1", "level CE1 A");
    expect_str(lsu_class_level("cm2"), "CM2", "level lower case");
    expect_str(lsu_class_level("CE2-CM1"), "", "level mixed class");
    expect_str(lsu_class_cycle("CE2-CM1"), "", "cycle mixed across cycles");
    expect_str(lsu_class_cycle("CP-CE1"), "2", "cycle mixed within cycle 2");
    expect_str(lsu_class_cycle("CM1/CM2 B"), "3", "cycle 3 double level");
    expect_str(lsu_class_level("SCP 3"), "", "level needs a word boundary");
    expect_str(lsu_class_level("Classe de Mme Dupont"), "", "level absent");
}

/* Group "rules": INE validity and placeholder texts. */
void test_rules(void)
{
    expect(lsu_uai_key("0290347V") == 'V' && lsu_uai_key("0750655E") == 'E' && lsu_uai_key("0135764V") == 'V' &&
               lsu_uai_key("029034") == 0,
           "uai check letter (mod 23, no I O Q)", NULL);
    expect(lsu_ine_valid("1234567890A"), "ine valid", NULL);
    expect(!lsu_ine_valid("00000000000"), "ine fictitious", NULL);
    expect(!lsu_ine_valid("1234567890a"), "ine lower case", NULL);
    expect(!lsu_ine_valid("12345 7890A"), "ine blank inside", NULL);
    expect(!lsu_ine_valid("1234567890"), "ine too short", NULL);
    expect(lsu_text_is_placeholder("-"), "placeholder dash", NULL);
    expect(lsu_text_is_placeholder("..."), "placeholder dots", NULL);
    expect(lsu_text_is_placeholder("\xE2\x80\xA6"), "placeholder ellipsis", NULL);
    expect(lsu_text_is_placeholder("x"), "placeholder x", NULL);
    expect(!lsu_text_is_placeholder("RAS"), "placeholder RAS is a text", NULL);
    expect(!lsu_text_is_placeholder("Élève sérieux."), "placeholder real text", NULL);
    expect(!lsu_text_is_placeholder(""), "placeholder empty is not one", NULL);
}

/* Group "tokens": IDREFS tokens, school years and periods' names. */
void test_tokens_and_periods(void)
{
    const char *p = "  ENS1\tENS2\n ";
    char token[8];
    int n = 0;
    while (lsu_next_token(&p, token, sizeof token))
        n++;
    expect(n == 2, "tokens of an IDREFS", NULL);
    p = "EP_TRES_LONG_IDENTIFIANT";
    expect(lsu_next_token(&p, token, sizeof token) && strlen(token) == 7, "token cut to its buffer", NULL);
    char out[64];
    lsu_school_year("2024", out, sizeof out);
    expect_str(out, "2024-2025", "school year");
    lsu_school_year("24", out, sizeof out);
    expect_str(out, "", "school year of a bad millésime");
    lsu_period_name("1", "3", out, sizeof out);
    expect_str(out, "Trimestre 1", "period name trimestre");
    lsu_period_name("2", "2", out, sizeof out);
    expect_str(out, "Semestre 2", "period name semestre");
    lsu_period_name("3", "5", out, sizeof out);
    expect_str(out, "Période 3/5", "period name custom");
}
