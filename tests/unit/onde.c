/* Unit tests of the ONDE and teachers' CSV readers (src/school/onde.c), on inputs
 * held in memory: columns found by label wherever they are, encodings,
 * both date forms, quoted cells with line breaks and the line numbers
 * that follow them, and the diagnostics of rejected lines.  The group
 * "onde" of build/unit. */
#include "school/onde.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

/* This group's check: its lines read "PASS unit onde <name>". */
#define expect_onde(ok, name) test_report((ok), "onde", (name), NULL)

/* 1 when s equals want (NULL-safe). */
static int same(const char *s, const char *want)
{
    return s && strcmp(s, want) == 0;
}

/* Reads an extraction from a string. */
static int read_text(const char *text, lsu_onde *o)
{
    return lsu_onde_read("test.csv", text, strlen(text), o);
}

/* Columns in another order, a newer column, both date forms, an address
 * over two lines: every pupil kept, line numbers follow the file. */
static void test_moved_columns(void)
{
    const char *csv = "Libellé classe;Dispositif(s);INE;Prénom élève;Nom élève; Cycle;Niveau;Adresse1;"
                      "Date naissance;Identifiant classe\r\n"
                      "CE1 A;;0708123467K;Zoë;MARTIN;Cycle 2;CE1;\"1 rue\r\ndes Lilas\";03/04/2017;123456\r\n"
                      "CE1 A;;;Paul;DURAND;Cycle 2;ce1;;2017-01-15;123456\r\n"
                      "CM1;;;Awa;DIOP;Cycle 3;CM1;;29/02/2016;123457\r\n"
                      "CM1;;;Tom;NOIR;Cycle 3;CM1;;30/02/2016;123457\r\n";
    lsu_onde o;
    int rc = read_text(csv, &o);
    expect_onde(rc == 0, "moved columns: read");
    expect_onde(o.pupil_count == 3 && o.class_count == 2, "moved columns: 3 pupils in 2 classes");
    expect_onde(o.pupil_count == 3 && same(o.pupils[0].prenom, "Zoë") && same(o.pupils[0].date_naissance, "2017-04-03"),
                "dd/mm/yyyy date stored as yyyy-mm-dd");
    expect_onde(o.pupil_count == 3 && same(o.pupils[1].date_naissance, "2017-01-15") && same(o.pupils[1].niveau, "CE1"),
                "yyyy-mm-dd date and lower-case level");
    expect_onde(o.pupil_count == 3 && o.pupils[1].line == 4 && o.pupils[2].line == 5,
                "line numbers count the line break inside a quoted cell");
    expect_onde(o.diags.len == 1 && o.diags.items[0].code == DIAG_OND004 && o.diags.items[0].line == 6,
                "30 February rejected with its line");
    expect_onde(o.class_count == 2 && same(o.classes[1].id_be, "123457") && o.classes[1].cycle == 3 &&
                    same(o.classes[1].niveau, "CM1"),
                "class level and cycle from its pupils");
    expect_onde(same(o.encoding, "UTF-8"), "UTF-8 detected");
    lsu_onde_free(&o);
}

/* Windows-1252 bytes are converted, the typographic apostrophe of the
 * header is recognised, a BOM is skipped. */
static void test_encodings(void)
{
    const char *cp1252 = "Nom \xe9l\xe8ve;Nom d\x92usage \xe9l\xe8ve;Pr\xe9nom \xe9l\xe8ve;Date naissance;INE;Niveau;"
                         "Libell\xe9 classe;Identifiant classe\r\n"
                         "LEF\xc8VRE;;\xc9lodie;05/06/2017;;CE1;CE1 \x80;123456\n";
    lsu_onde o;
    int rc = read_text(cp1252, &o);
    expect_onde(rc == 0 && same(o.encoding, "Windows-1252"), "Windows-1252 detected");
    expect_onde(o.pupil_count == 1 && same(o.pupils[0].nom, "LEFÈVRE") && same(o.pupils[0].prenom, "Élodie") &&
                    same(o.pupils[0].classe_libelle, "CE1 €"),
                "Windows-1252 converted to UTF-8 (0x80 is the euro sign)");
    lsu_onde_free(&o);

    const char *bom = "\xef\xbb\xbfNom élève;Prénom élève;Date naissance;INE;Niveau;Libellé classe;Identifiant classe\n"
                      "MARTIN;Zoë;03/04/2017;;CE1;CE1 A;123456\n";
    rc = read_text(bom, &o);
    expect_onde(rc == 0 && same(o.encoding, "UTF-8 (BOM)") && o.pupil_count == 1 && same(o.pupils[0].nom, "MARTIN"),
                "UTF-8 BOM skipped, first column found");
    lsu_onde_free(&o);
}

/* A missing required column refuses the file; a stray quote too. */
static void test_refusals(void)
{
    lsu_onde o;
    int rc = read_text("Nom élève;Prénom élève\nMARTIN;Zoë\n", &o);
    expect_onde(rc == -1 && o.diags.len == 1 && o.diags.items[0].code == DIAG_OND002,
                "missing columns refuse the file");
    lsu_onde_free(&o);
    rc = read_text("Nom élève;Prénom élève;Date naissance;INE;Niveau;Libellé classe;Identifiant classe\n"
                   "MARTIN;\"Zoë;03/04/2017;;CE1;CE1 A;123456\n",
                   &o);
    expect_onde(rc == -1 && o.diags.len == 1 && o.diags.items[0].code == DIAG_OND001 && o.diags.items[0].line == 2,
                "unclosed quote refuses the file at its line");
    lsu_onde_free(&o);
    rc = lsu_onde_read("test.csv", "", 0, &o);
    expect_onde(rc == -1 && o.diags.len == 1 && o.diags.items[0].code == DIAG_OND001, "empty input refused");
    lsu_onde_free(&o);
}

/* Teachers: comma separator, civilités normalised, classes split. */
static void test_teachers(void)
{
    const char *csv = "Civilité,Nom,Prénom,Classes\nMadame,DUPONT,Claire,\"123456, 123457\"\nMr,MARTIN,Paul,CE1\n"
                      "Pr,X,Y,CE1\n";
    lsu_teachers t;
    int rc = lsu_teachers_read("t.csv", csv, strlen(csv), &t);
    expect_onde(rc == 0 && t.teacher_count == 2, "teachers read, one line rejected");
    expect_onde(t.teacher_count == 2 && same(t.teachers[0].civilite, "Mme") && t.teachers[0].class_count == 2 &&
                    same(t.teachers[0].classes[1], "123457") && same(t.teachers[1].civilite, "M."),
                "civilité normalised and classes split");
    expect_onde(t.diags.len == 1 && t.diags.items[0].code == DIAG_OND012 && t.diags.items[0].line == 4,
                "unknown civilité rejected with its line");
    lsu_teachers_free(&t);
}

/* Group "onde": the four checks above. */
void test_onde(void)
{
    test_moved_columns();
    test_encodings();
    test_refusals();
    test_teachers();
}
