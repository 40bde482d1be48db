/* Unit tests of lsu's pure logic: text normalisation, sort keys, class
 * levels, INE and placeholder rules, dates, UTF-8, JSON and CSV escaping,
 * diagnostics, atomic writes.  Prints PASS/FAIL lines for tests/run.sh. */
#include "base/diag.h"
#include "base/util.h"
#include "import/check.h"
#include "import/normalise.h"
#include "school/periods.h"
#include "school/school.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

/* Records one named check. */
static void expect(int ok, const char *name, const char *detail)
{
    if (ok)
        printf("PASS unit %s\n", name);
    else {
        printf("FAIL unit %s: %s\n", name, detail ? detail : "");
        failures++;
    }
}

/* Compares two strings, reporting both when they differ. */
static void expect_str(const char *got, const char *want, const char *name)
{
    char detail[512];
    snprintf(detail, sizeof detail, "got [%s], want [%s]", got ? got : "(null)", want);
    expect(got && strcmp(got, want) == 0, name, detail);
}

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

static void test_text(void)
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

static void test_sort_key(void)
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

static void test_levels(void)
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

static void test_rules(void)
{
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

static void test_dates(void)
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

static void test_tokens_and_periods(void)
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

static void test_utf8(void)
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

static void test_escaping(void)
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

static void test_diags(void)
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

static void test_atomic_write(void)
{
    char dir[] = "/tmp/lsu-unit-XXXXXX";
    if (!mkdtemp(dir)) {
        expect(0, "atomic write", "mkdtemp failed");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/report.json", dir);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    expect(lsu_mkdir_p(sub) == 0, "mkdir -p", NULL);
    expect(lsu_write_file_atomic(path, "{}", 2) == 0, "atomic write ok", NULL);
    struct stat sb;
    expect(stat(path, &sb) == 0 && sb.st_size == 2, "atomic write content", NULL);
    snprintf(path, sizeof path, "%s/missing/report.json", dir);
    expect(lsu_write_file_atomic(path, "{}", 2) != 0, "atomic write into a missing folder fails", NULL);
    /* the leftovers of a killed writer go, and only they */
    const char *names[] = {"ecole.txt.tmp.Ab12Cd", "ecole.txt",     "ecole.json.tmp.Ab12Cd", "academie.html.tmp.Zz99Yy",
                           "academie.html",        "notes.tmp.txt", "x.txt.tmp.short"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/a/%s", dir, names[i]);
        FILE *fp = fopen(path, "w");
        if (fp)
            fclose(fp);
    }
    snprintf(sub, sizeof sub, "%s/a", dir);
    int gone = lsu_remove_atomic_leftovers(sub, "", ".txt");
    gone += lsu_remove_atomic_leftovers(sub, "academie.", "");
    int left = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/a/%s", dir, names[i]);
        left += stat(path, &sb) == 0;
    }
    snprintf(path, sizeof path, "%s/a/ecole.txt.tmp.Ab12Cd", dir);
    int record_gone = stat(path, &sb) != 0;
    char detail[64];
    snprintf(detail, sizeof detail, "%d removed, %d left", gone, left);
    expect(gone == 2 && left == 5 && record_gone, "leftovers of atomic writes removed, nothing else", detail);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "cleanup of %s failed\n", dir);
}

/* Periodicities: default dates, date reading, the checks. */
static void test_periods(void)
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

/* The « ? » of the guide: what a stored bilan lacks to be locked. */
static void missing_case(const char *xml, int want, const char *want_text, const char *name)
{
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "b.xml", NULL, 0);
    lsu_buf b = {0};
    int n = d ? lsu_bilan_missing(xmlDocGetRootElement(d), &b) : -1;
    char detail[600];
    snprintf(detail, sizeof detail, "%d missing: [%s]", n, b.data ? b.data : "");
    expect(n == want && (!want_text || (b.data && strstr(b.data, want_text))), name, detail);
    lsu_buf_free(&b);
    xmlFreeDoc(d);
}

static void test_missing(void)
{
    const char *dom_ok = "<acquis code='FRA' libelle='Français'><appreciation>Bien</appreciation></acquis>"
                         "<acquis code='MAT' libelle='Mathématiques' positionnement='3'><element-programme "
                         "libelle='x'/></acquis>"
                         "<acquis code='EPS' libelle='EPS'><sous-domaine positionnement='2'><element-programme "
                         "libelle='y'/></sous-domaine></acquis>";
    char xml[2048];
    snprintf(xml, sizeof xml,
             "<bilan-periodique><liste-acquis>%s</liste-acquis><appreciation-generale>Bon "
             "trimestre</appreciation-generale></bilan-periodique>",
             dom_ok);
    missing_case(xml, 0, NULL, "missing complete bilan");
    missing_case("<bilan-periodique><liste-acquis><acquis code='FRA' libelle='Français' positionnement='3'/>"
                 "<acquis code='MAT' libelle='Mathématiques'><appreciation> </appreciation></acquis></liste-acquis>"
                 "<appreciation-generale/></bilan-periodique>",
                 2, "0 sur 3 exigés (incomplets : Français, Mathématiques)", "missing domains and appreciation");
    missing_case("<bilan-periodique><liste-acquis/><appreciation-generale/></bilan-periodique>", 2,
                 "appréciation générale", "missing appreciation generale");
    missing_case("<bilan-cycle><socle><domaine code='CPD_FRA' libelle='Français' positionnement='3'/>"
                 "<domaine code='CPD_ETR' libelle='Langue étrangère'/></socle></bilan-cycle>",
                 2, "1 sur 8 (manquent : Langue étrangère)", "missing socle and synthese");
}

/* The label readers of the normalised form, version 2 and stored form. */
static void test_labels(void)
{
    const char *xml = "<lsu-normalise version='2'><elements-programme>"
                      "<element-programme id='EP1' libelle='Lire'/><element-programme id='EP1' libelle='Autre'/>"
                      "<element-programme id='EP2' libelle='Compter'/></elements-programme>"
                      "<bilans-periodiques><bilan-periodique><liste-acquis>"
                      "<acquis code='FRA-RAC'><element-programme id='EP1'/>"
                      "<sous-domaine code='FRA-LEC'><element-programme id='EP9'/>"
                      "<element-programme id='EP2' libelle='Compter seul'/></sous-domaine></acquis>"
                      "<acquis code='XXX' libelle='Stocké'/><acquis code='ZZZ'/>"
                      "</liste-acquis></bilan-periodique></bilans-periodiques></lsu-normalise>";
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "labels.xml", NULL, 0);
    xmlHashTablePtr labels = NULL;
    expect(lsu_element_labels(doc, &labels) == 0 && labels != NULL, "labels table made", "NULL");
    xmlNodePtr acquis =
        lsu_child(lsu_child(lsu_child(lsu_child(xmlDocGetRootElement(doc), "bilans-periodiques"), "bilan-periodique"),
                            "liste-acquis"),
                  "acquis");
    xmlNodePtr sd = lsu_child(acquis, "sous-domaine");
    xmlNodePtr ep1 = lsu_child(acquis, "element-programme");
    xmlNodePtr ep9 = lsu_child(sd, "element-programme");
    xmlNodePtr ep2 = lsu_next_same(ep9);
    xmlNodePtr stored = lsu_next_same(acquis), unknown = lsu_next_same(stored);
    expect_str(lsu_domain_libelle(acquis), "Français", "domain label from its code");
    expect_str(lsu_domain_libelle(sd), "Lecture et compréhension de l'écrit", "sub-domain label from its code");
    expect_str(lsu_domain_libelle(stored), "Stocké", "stored domain label comes first");
    expect_str(lsu_domain_libelle(unknown), "", "unknown code: empty label");
    expect_str(lsu_element_libelle(ep1, labels), "Lire", "element label from the list, first id wins");
    expect_str(lsu_element_libelle(ep2, labels), "Compter seul", "element's own label comes first");
    expect_str(lsu_element_libelle(ep9, labels), "", "element not in the list: empty label");
    expect_str(lsu_element_libelle(ep1, NULL), "", "no list: empty label");
    expect_str(lsu_domain_name(acquis), "Français", "domain name: its label");
    expect_str(lsu_domain_name(unknown), "ZZZ", "domain name: its code when the code is unknown");
    xmlHashTablePtr none = labels;
    xmlDocPtr bare = xmlReadMemory("<lsu-normalise/>", 16, "bare.xml", NULL, 0);
    expect(lsu_element_labels(bare, &none) == 0 && none == NULL, "no elements-programme list: no table", "");
    xmlFreeDoc(bare);
    xmlHashFree(labels, NULL);
    xmlFreeDoc(doc);
}

int main(void)
{
    test_text();
    test_sort_key();
    test_levels();
    test_rules();
    test_dates();
    test_utf8();
    test_tokens_and_periods();
    test_escaping();
    test_diags();
    test_atomic_write();
    test_periods();
    test_missing();
    test_labels();
    return failures ? 1 : 0;
}
