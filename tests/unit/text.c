/* Unit tests of the text helpers: normalisation of free texts, sort keys,
 * UTF-8 and the JSON and CSV escaping of the reports. */
#include "base/text.h"
#include "base/util.h"
#include "lsu.h"
#include "test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* lsu_text_normalise on one input: expected text and flags. */
static void text_case(const char *in, const char *want, int want_flags, const char *name)
{
    lsu_buf b = {0};
    int flags = lsu_text_normalise(in, &b);
    expect_str(b.data, want, name);
    char detail[64];
    snprintf(detail, sizeof detail, "flags %d, want %d", flags, want_flags);
    char fname[128];
    snprintf(fname, sizeof fname, "%s (flags)", name);
    expect(flags == want_flags, fname, detail);
    lsu_buf_free(&b);
}

/* Group "text": lsu_text_normalise on blanks, line breaks and no-break spaces. */
void test_text(void)
{
    text_case("Bon trimestre.", "Bon trimestre.", 0, "text unchanged");
    text_case("  Bon trimestre.  ", "Bon trimestre.", LSU_TEXT_BLANKS, "text trims blanks");
    text_case("Ligne 1\r\nLigne 2", "Ligne 1\nLigne 2", LSU_TEXT_BREAKS, "text CRLF");
    text_case("Ligne 1\rLigne 2", "Ligne 1\nLigne 2", LSU_TEXT_BREAKS, "text CR");
    text_case("A\n\n\n  \nB", "A\nB", LSU_TEXT_BREAKS | LSU_TEXT_BLANKS, "text blank-line run");
    text_case("A   \nB", "A\nB", LSU_TEXT_BLANKS, "text trailing blanks of a line");
    text_case("\xC2\xA0Zoë\xC2\xA0", "Zoë", LSU_TEXT_BLANKS, "text no-break spaces");
    text_case("   ", "", LSU_TEXT_BLANKS, "text only blanks");
    text_case("", "", 0, "text empty");
    text_case("a  b", "a  b", 0, "text inner spaces kept");
}

/* Group "sortkey": sort keys fold accents, ligatures and other scripts. */
void test_sort_key(void)
{
    lsu_buf b = {0};
    lsu_sort_key("Élodie N'Diaye-Œuvré ß", &b);
    expect_str(b.data, "ELODIE N'DIAYE-OEUVRE SS", "sortkey accents and ligatures");
    b.len = 0;
    lsu_sort_key("Łukasz Şule", &b);
    expect_str(b.data, "LUKASZ SULE", "sortkey latin extended");
    b.len = 0;
    lsu_sort_key("Nguyễn Trần", &b);
    expect_str(b.data, "NGUYEN TRAN", "sortkey vietnamese");
    lsu_buf_free(&b);
}

/* Group "foldcase": the store's letter case folding keeps accents. */
void test_fold_case(void)
{
    lsu_buf b = {0};
    lsu_fold_case("DUPONT-LEFÈVRE Élodie ŒUVRÉ", &b);
    expect_str(b.data, "dupont-lefèvre élodie œuvré", "foldcase latin-1 and ligature");
    b.len = 0;
    lsu_fold_case("ŁUKASZ ŞULE NGUYỄN TRẦN ŸVES", &b);
    expect_str(b.data, "łukasz şule nguyễn trần ÿves", "foldcase latin extended and vietnamese");
    b.len = 0;
    lsu_fold_case("ΑΘΗΝΑ ЁЛКА", &b);
    expect_str(b.data, "αθηνα ёлка", "foldcase greek and cyrillic");
    b.len = 0;
    lsu_fold_case("", &b);
    expect_str(b.data, "", "foldcase empty");
    lsu_buf_free(&b);
}

/* Compares the order keys of two bilans (strcmp sign, -2 when memory ran
 * out). */
static int order_cmp(const lsu_order_fields *a, const lsu_order_fields *b)
{
    char *ka = lsu_bilan_order_key(a), *kb = lsu_bilan_order_key(b);
    int c = ka && kb ? strcmp(ka, kb) : -2;
    free(ka);
    free(kb);
    return c < 0 ? -1 : c > 0;
}

/* Group "order": the normalised order of bilans (lsu_bilan_order_key), one
 * key for the normalise stage and the store's edition. */
void test_bilan_order(void)
{
    lsu_order_fields a = {.classe = "CE1 A",
                          .nom = "Émile",
                          .prenom = "Zoé",
                          .ine = "1",
                          .periodique = 1,
                          .millesime = "2024",
                          .millesime_len = 4,
                          .indice = 2,
                          .tiebreak = 7};
    lsu_order_fields b = a;
    b.nom = "Eliott";
    expect(order_cmp(&b, &a) < 0, "order name without accents (Eliott before Émile)", NULL);
    b = a;
    b.classe = "CE1 B";
    b.nom = "Aaron";
    expect(order_cmp(&a, &b) < 0, "order class before name", NULL);
    b = a;
    b.indice = 10;
    expect(order_cmp(&a, &b) < 0, "order period 2 before period 10", NULL);
    b = a;
    b.millesime = "2024:3/3";
    b.millesime_len = 4;
    expect(order_cmp(&a, &b) == 0, "order reads millesime_len bytes only", NULL);
    b.tiebreak = 100;
    expect(order_cmp(&a, &b) < 0, "order tie-break 7 before 100", NULL);
    b = a;
    b.nom = b.prenom = b.ine = b.classe = NULL;
    expect(order_cmp(&b, &a) < 0, "order NULL fields as empty, first", NULL);
    lsu_order_fields c = {.classe = "CM2", .nom = "X", .cycle = "3:2024", .cycle_len = 1, .tiebreak = 1};
    lsu_order_fields d = c;
    d.cycle = "2";
    expect(order_cmp(&d, &c) < 0, "order cycle 2 before cycle 3", NULL);
}

/* Group "utf8": length, shortening, decoding and encoding of UTF-8. */
void test_utf8(void)
{
    expect(lsu_utf8_length("Zoë Nguyễn") == 10, "utf8 length", NULL);
    char *s = lsu_utf8_shorten("Éloïse", 3);
    expect_str(s, "Élo\xE2\x80\xA6", "utf8 shorten");
    free(s);
    s = lsu_utf8_shorten("abc", 3);
    expect_str(s, "abc", "utf8 shorten no cut");
    free(s);

    uint32_t cp = 0;
    expect(lsu_utf8_decode((const unsigned char *)"\xE1\xBB\x85", 3, &cp) == 3 && cp == 0x1EC5, "utf8 decode ễ", NULL);
    expect(lsu_utf8_decode((const unsigned char *)"\xE1\xBB", 2, &cp) == 0, "utf8 decode cut sequence", NULL);
    expect(lsu_utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp) == 0, "utf8 decode overlong", NULL);
    expect(lsu_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp) == 0, "utf8 decode surrogate", NULL);
    const unsigned char bad[] = "a\xFF"
                                "b";
    size_t i = 0;
    uint32_t got[3];
    for (int k = 0; k < 3; k++)
        got[k] = lsu_utf8_next(bad, 3, &i);
    expect(got[0] == 'a' && got[1] == 0xFFFD && got[2] == 'b' && i == 3, "utf8 next: U+FFFD for a bad byte", NULL);
    char out[4];
    expect(lsu_utf8_put(0x20AC, out) == 3 && memcmp(out, "\xE2\x82\xAC", 3) == 0 && lsu_cp1252_high[0] == 0x20AC,
           "utf8 put: the euro sign of Windows-1252 byte 0x80", NULL);
}

/* Group "escaping": JSON strings and CSV cells, formulas neutralised. */
void test_escaping(void)
{
    lsu_buf b = {0};
    lsu_buf_json_string(&b, "a\"b\\c\n\x01é");
    expect_str(b.data, "\"a\\\"b\\\\c\\n\\u0001é\"", "json escaping");
    b.len = 0;
    lsu_buf_csv_cell(&b, "N'Diaye; \"Zoë\"\nsuite");
    expect_str(b.data, "\"N'Diaye; \"\"Zoë\"\"\nsuite\"", "csv quoting");
    b.len = 0;
    lsu_buf_csv_cell(&b, "simple");
    expect_str(b.data, "simple", "csv plain");
    b.len = 0;
    lsu_buf_csv_cell(&b, "=HYPERLINK(\"x\")");
    expect_str(b.data, "\"'=HYPERLINK(\"\"x\"\")\"", "csv formula neutralised (quoted)");
    b.len = 0;
    lsu_buf_csv_cell(&b, "-1+1");
    expect_str(b.data, "'-1+1", "csv formula neutralised");
    lsu_buf_free(&b);
}
