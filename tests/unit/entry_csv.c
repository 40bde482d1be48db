/* Unit tests of the spreadsheet round trip (src/school/entry_csv*.c,
 * entry_template.c) on a view built in memory: the template's layout and
 * current values, the template read back, every separator and encoding,
 * a BOM, cells over several lines, every form of a positionnement, and
 * each refusal with its row and column.  The group "entry-csv" of
 * build/unit. */
#include "school/entry_csv.h"
#include "school/aide.h"
#include "test.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define expect_csv(ok, name) test_report((ok), "entry-csv", (name), NULL)

#define STATE "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The bilans the view holds: Marie has a positionnement, a non évalué,
 * an appréciation and an appréciation générale; Paul none; Zoé's is
 * locked. */
static const char bilans_xml[] =
    "<bilans><bilan-periodique ine=\"0708123467K\"><liste-acquis><acquis code=\"FRA-RAC\">"
    "<appreciation>Bon trimestre ; des progrès.</appreciation>"
    "<sous-domaine code=\"FRA-LGO\" positionnement=\"3\"/><sous-domaine code=\"FRA-LEC\" non-evalue=\"oui\"/>"
    "</acquis></liste-acquis><liste-parcours><parcours code=\"PAR_ART\"><implication>Chorale</implication>"
    "</parcours></liste-parcours><appreciation-generale>- Élève sérieuse.\nÀ suivre.</appreciation-generale>"
    "</bilan-periodique><bilan-periodique ine=\"0708123468L\"/></bilans>";

typedef struct {
    lsu_entry_scope sc;
    lsu_entry_view v;
    lsu_entry_pupil pupils[3];
    lsu_entry_element elements[2];
} fixture;

/* A class CE1 A (cycle 2) of three pupils, Trimestre 1 2024-2025, two
 * éléments of Langage oral, a projet of the parcours citoyen. */
static void fixture_make(fixture *x)
{
    memset(x, 0, sizeof *x);
    x->sc = (lsu_entry_scope){.id_be = "123456",
                              .classe = "CE1 A",
                              .niveau = "CE1",
                              .cycle = 2,
                              .millesime = 2024,
                              .indice = 1,
                              .nb = 3,
                              .periode = "Trimestre 1",
                              .date_debut = "2024-09-02",
                              .date_fin = "2024-11-30"};
    x->v.doc = xmlReadMemory(bilans_xml, (int)strlen(bilans_xml), "bilans.xml", NULL, 0);
    xmlNodePtr b = xmlDocGetRootElement(x->v.doc)->children;
    x->pupils[0] = (lsu_entry_pupil){"0708123467K", "DUPONT", "Marie", NULL, b};
    x->pupils[1] = (lsu_entry_pupil){"0708123468L", "DURAND", "Paul", NULL, b->next};
    x->pupils[2] = (lsu_entry_pupil){"0708123469M", "ÉLOI", "Zoé", "2025-01-12T10:00:00Z", NULL};
    x->v.pupils = x->pupils;
    x->v.npupils = 3;
    x->elements[0] = (lsu_entry_element){"FRA-LGO", "Écouter pour comprendre"};
    x->elements[1] = (lsu_entry_element){"FRA-LGO", "Dire pour être entendu"};
    x->v.elements = x->elements;
    x->v.nelements = 2;
    x->v.parcours[0] = "Élections des délégués";
    memcpy(x->v.state, STATE, 65);
}

static void fixture_free(fixture *x)
{
    xmlFreeDoc(x->v.doc);
}

/* The top of a filled file for Français (FRA-RAC), separator sep. */
static void put_top(lsu_buf *b, char sep, const char *domain)
{
    lsu_buf_printf(b, "Livret scolaire unique%c\"Saisie, puis lsu enter\"\r\n", sep);
    lsu_buf_printf(b, "École%c0290347V\r\nClasse%cCE1 A%c123456\r\nPériode%cTrimestre 1%c2024-2025\r\n", sep, sep, sep,
                   sep, sep);
    lsu_buf_printf(b, "Domaine%c%s\r\nÉtat de la base%c" STATE "\r\n\r\n", sep, domain, sep);
}

/* Reads a text; the change at index i, NULL past the end. */
static int read_str(const char *text, lsu_entry_csv *f)
{
    return lsu_entry_csv_read("saisie.csv", text, strlen(text), f);
}

/* Is there a refusal at row, col whose reason holds `part`? */
static int refused(const lsu_entry_csv *f, long row, int col, const char *part)
{
    for (size_t i = 0; i < f->nrefused; i++)
        if (f->refused[i].row == row && f->refused[i].col == col && strstr(f->refused[i].why, part))
            return 1;
    return 0;
}

/* The change of a kind at row, col, NULL when none. */
static const lsu_entry_change *change_at(const lsu_entry_csv *f, long row, int col)
{
    for (size_t i = 0; i < f->nchanges; i++)
        if (f->changes[i].row == row && f->changes[i].col == col)
            return &f->changes[i];
    return NULL;
}

/* The template for one domain: BOM, scope on top, the header row, each
 * pupil's current values, the éléments numbered, two spare rows. */
static void test_template(void)
{
    fixture x;
    fixture_make(&x);
    lsu_buf out = {0}, why = {0};
    lsu_entry_template_options o = {.uai = "0290347V", .domain = "Français"};
    int rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 0 && out.len > 3 && memcmp(out.data, "\xEF\xBB\xBF", 3) == 0, "template: UTF-8 with a BOM");
    expect_csv(rc == 0 && strstr(out.data, "\r\nClasse;CE1 A;123456\r\nPériode;Trimestre 1;2024-2025\r\n"),
               "template: class and period on top");
    expect_csv(rc == 0 && strstr(out.data, "\r\nDomaine;Français (FRA-RAC)\r\nÉtat de la base;" STATE ";"),
               "template: domain and state");
    expect_csv(rc == 0 && strstr(out.data, "\r\nNOM;Prénom;INE;Statut;Langage oral (FRA-LGO) : positionnement;"
                                           "Lecture et compréhension de l'écrit (FRA-LEC) : positionnement;"),
               "template: header row, a positionnement per sub-domain");
    expect_csv(rc == 0 && strstr(out.data, "\r\nDUPONT;Marie;0708123467K;;3;NE;;;\"Bon trimestre ; des progrès.\"\r\n"),
               "template: Marie's current values (rappel), a quoted cell");
    expect_csv(rc == 0 && strstr(out.data, "\r\nÉLOI;Zoé;0708123469M;verrouillé le 12/01/2025;;;;;\r\n"),
               "template: a locked bilan said");
    expect_csv(rc == 0 && strstr(out.data, "\r\nÉlément du programme;Langage oral (FRA-LGO);2;Dire pour être "
                                           "entendu\r\nÉlément du programme;Langage oral (FRA-LGO);;\r\n"),
               "template: éléments numbered, then spare rows");
    expect_csv(rc == 0 && !strstr(out.data, "Appréciation générale") && !strstr(out.data, "Projet de parcours"),
               "template for a domain: no appréciation générale, no parcours");
    /* read back as it is: the current values only, nothing refused */
    lsu_entry_csv f;
    rc = lsu_entry_csv_read("modele.csv", out.data, out.len, &f);
    const lsu_entry_change *c = change_at(&f, 11, 5);
    expect_csv(rc == 0 && f.nrefused == 0 && f.domain && strcmp(f.domain, "FRA-RAC") == 0 &&
                   strcmp(f.state, STATE) == 0 && strcmp(f.encoding, "UTF-8 (BOM)") == 0,
               "template read back: header, nothing refused");
    expect_csv(c && c->kind == LSU_ENTRY_POSITION && c->value == 3 && strcmp(c->domain, "FRA-LGO") == 0 &&
                   strcmp(c->ine, "0708123467K") == 0,
               "template read back: Marie's positionnement");
    expect_csv(f.nchanges == 3 && f.nelements == 2, "template read back: 3 cells, 2 éléments");
    lsu_entry_csv_free(&f);
    /* every domain: appréciation générale, implications, parcours */
    out.len = 0;
    o.domain = NULL;
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 0 && strstr(out.data, "\r\nDomaine;Tous les domaines\r\n") &&
                   strstr(out.data, "Questionner le monde du vivant, de la matière et des objets (QLM-VMO) : "
                                    "positionnement") &&
                   !strstr(out.data, "STC-RAC") && strstr(out.data, ";\"'- Élève sérieuse.\nÀ suivre.\";;Chorale;"),
               "template for all domains of cycle 2, a text over two lines");
    expect_csv(rc == 0 && strstr(out.data, "\r\nProjet de parcours;Parcours citoyen (PAR_CIT);Élections des "
                                           "délégués\r\n"),
               "template for all domains: the parcours' projets");
    rc = lsu_entry_csv_read("modele.csv", out.data, out.len, &f);
    c = NULL;
    for (size_t i = 0; i < f.nchanges; i++)
        if (f.changes[i].kind == LSU_ENTRY_GENERALE)
            c = &f.changes[i];
    expect_csv(rc == 0 && f.nrefused == 0 && !f.domain && c && strcmp(c->text, "- Élève sérieuse.\nÀ suivre.") == 0,
               "all domains read back: the text over two lines, its leading dash");
    lsu_entry_csv_free(&f);
    /* Windows-1252, and a character it lacks */
    out.len = 0;
    o.windows1252 = 1;
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 0 && out.data[0] == 'L' && strstr(out.data, "\r\nP\xe9riode;"), "template in Windows-1252");
    rc = lsu_entry_csv_read("modele.csv", out.data, out.len, &f);
    expect_csv(rc == 0 && f.nrefused == 0 && strcmp(f.encoding, "Windows-1252") == 0 &&
                   strcmp(f.periode, "Trimestre 1") == 0,
               "Windows-1252 template read back");
    lsu_entry_csv_free(&f);
    x.elements[1].libelle = "Dire ✓";
    out.len = 0;
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 2 && why.data && strstr(why.data, "U+2713"), "Windows-1252 template refused for ✓");
    why.len = 0;
    o = (lsu_entry_template_options){.domain = "STC-RAC"};
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 2 && why.data && strstr(why.data, "pas enseigné au cycle 2"), "a domain of cycle 3 refused");
    why.len = 0;
    o.domain = "Chant";
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 2 && why.data && strstr(why.data, "inconnu"), "an unknown domain refused");
    lsu_buf_free(&out);
    lsu_buf_free(&why);
    fixture_free(&x);
}

/* Are two files read the same: changes (kind, pupil, domain, value,
 * text, row, col), éléments' rows and refusals? */
static int same_reading(const lsu_entry_csv *a, const lsu_entry_csv *b)
{
    if (a->nchanges != b->nchanges || a->nelements != b->nelements || a->nrefused != b->nrefused)
        return 0;
    for (size_t i = 0; i < a->nchanges; i++) {
        const lsu_entry_change *x = &a->changes[i], *y = &b->changes[i];
        if (x->kind != y->kind || x->value != y->value || x->row != y->row || x->col != y->col ||
            lsu_strcmp_null(x->ine, y->ine) || lsu_strcmp_null(x->domain, y->domain) ||
            lsu_strcmp_null(x->text, y->text))
            return 0;
    }
    for (size_t i = 0; i < a->nelements; i++)
        if (a->elements[i].row != b->elements[i].row || a->elements[i].number != b->elements[i].number ||
            strcmp(a->elements[i].domain, b->elements[i].domain) || strcmp(a->elements[i].text, b->elements[i].text))
            return 0;
    for (size_t i = 0; i < a->nrefused; i++)
        if (a->refused[i].row != b->refused[i].row || strcmp(a->refused[i].why, b->refused[i].why))
            return 0;
    return 1;
}

/* The aide à la saisie under the template: the proposals of the class's
 * level for each domain, in force in the period's year, never read back:
 * a filled template reads the same with the block, edited or not, as
 * without it. */
static void test_aide_block(void)
{
    fixture x;
    fixture_make(&x);
    lsu_buf out = {0}, why = {0};
    lsu_entry_template_options o = {.uai = "0290347V", .domain = "FRA-RAC"};
    int rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    const char *block = rc == 0 ? strstr(out.data, "\r\n\r\nAide à la saisie : ") : NULL;
    expect_csv(block && strstr(block, ";Domaine;;Élément proposé (programmes en vigueur en 2024-2025);Thème du "
                                      "programme;Source\r\n"),
               "aide: its header row under the éléments");
    expect_csv(block && strstr(block, "\r\nAide à la saisie;Langage oral (FRA-LGO);;") &&
                   strstr(block, "\r\nAide à la saisie;Lecture et compréhension de l'écrit (FRA-LEC);;") &&
                   !strstr(block, "(CE2)") && !strstr(block, "MAT-"),
               "aide: the proposals of each sub-domain of the template's domain, the class's level only");
    /* a proposal of CE1 in force from 2025 only is not in 2024-2025's */
    const lsu_aide_entry *e[64];
    long n = lsu_aide_find(2, "CE1", "FRA-LGO", 2025, e, 64), late = -1;
    for (long i = 0; i < n && i < 64; i++)
        if (e[i]->debut > 2024)
            late = i;
    char cell[400] = "";
    if (late >= 0)
        snprintf(cell, sizeof cell, ";;%s;", e[late]->libelle);
    expect_csv(late >= 0 && block && !strstr(block, cell),
               "aide: the proposals of 2025-2026 not in a template of 2024-2025");
    n = lsu_aide_find(2, "CE1", "FRA-LGO", 2024, e, 64);
    snprintf(cell, sizeof cell, ";;%s;", n > 0 ? e[n - 1]->libelle : "?");
    expect_csv(n > 0 && block && strstr(block, cell), "aide: the proposals of 2024-2025 in the block");
    /* filled: a positionnement changed, an élément added; read with its
     * block, without it, and with block rows edited */
    lsu_buf filled = {0}, bare = {0}, edited = {0};
    const char *spare = strstr(out.data, "\r\nÉlément du programme;Langage oral (FRA-LGO);;\r\n");
    size_t at = spare ? (size_t)(spare - out.data) : 0;
    lsu_buf_add(&filled, out.data, at);
    lsu_buf_puts(&filled, "\r\nÉlément du programme;Langage oral (FRA-LGO);;Raconter une histoire");
    lsu_buf_add(&filled, out.data + at, out.len - at);
    char *m = strstr(filled.data, "\r\nDUPONT;Marie;0708123467K;;3;");
    if (m)
        m[strlen("\r\nDUPONT;Marie;0708123467K;;")] = '4';
    const char *fb = strstr(filled.data, "\r\n\r\nAide à la saisie : ");
    lsu_buf_add(&bare, filled.data, fb ? (size_t)(fb - filled.data) + 2 : 0);
    lsu_buf_add(&bare, "", 0);
    lsu_buf_add(&edited, filled.data, filled.len);
    lsu_buf_puts(&edited, "Aide à la saisie;Langage oral (FRA-LGO);3;Un texte changé;;\r\nAide à la saisie;4\r\n");
    lsu_entry_csv with, without, changed;
    int r1 = read_str(bare.data, &without);
    int r2 = read_str(filled.data, &with);
    int r3 = read_str(edited.data, &changed);
    const lsu_entry_change *c = change_at(&with, 11, 5);
    expect_csv(r1 == 0 && r2 == 0 && r3 == 0 && fb && without.nrefused == 0 && without.nelements == 3 && c &&
                   c->value == 4,
               "aide: the filled template read, with and without its block");
    expect_csv(same_reading(&with, &without) && same_reading(&changed, &without),
               "aide: the block never read, even edited");
    lsu_entry_csv_free(&with);
    lsu_entry_csv_free(&without);
    lsu_entry_csv_free(&changed);
    /* a class of two levels: each level's proposals marked with it */
    x.sc.classe = "CE1-CE2";
    x.sc.niveau = "";
    o.domain = "EMC-RAC";
    out.len = 0;
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 0 && strstr(out.data, " (CE1);") && strstr(out.data, " (CE2);") && !strstr(out.data, " (CP);"),
               "aide: a class CE1-CE2, the proposals of both levels, marked");
    /* Windows-1252: a proposal with ≠ left out, the rest kept */
    x.sc.classe = "CE1 A";
    x.sc.niveau = "CE1";
    o.domain = "MAT-NBC";
    o.windows1252 = 1;
    out.len = 0;
    rc = lsu_entry_template(&x.sc, &x.v, &o, &out, &why);
    expect_csv(rc == 0 && strstr(out.data, "\r\nAide \xe0 la saisie;Nombres et calcul (MAT-NBC);;"),
               "aide in Windows-1252: written, what the code page lacks left out");
    lsu_buf_free(&filled);
    lsu_buf_free(&bare);
    lsu_buf_free(&edited);
    lsu_buf_free(&out);
    lsu_buf_free(&why);
    fixture_free(&x);
}

/* The header row of the tests' files for Français, with separator sep. */
static void put_header(lsu_buf *b, char sep)
{
    lsu_buf_printf(b,
                   "NOM%cPrénom%cINE%cLangage oral (FRA-LGO) : positionnement%cFrançais (FRA-RAC) : "
                   "appréciation%cFRA-ECR positionnement\r\n",
                   sep, sep, sep, sep, sep);
}

/* The same file with ';', ',' or a tab, in UTF-8, with a BOM, in
 * Windows-1252: one cell over two lines, rows counted as a spreadsheet. */
static void test_separators_encodings(void)
{
    const char seps[] = {';', ',', '\t'};
    for (int e = 0; e < 3; e++)
        for (size_t s = 0; s < 3; s++) {
            char sep = seps[s];
            lsu_buf b = {0};
            if (e == 1)
                lsu_buf_puts(&b, "\xEF\xBB\xBF");
            put_top(&b, sep, "Français (FRA-RAC)");
            put_header(&b, sep);
            lsu_buf_printf(&b, "DUPONT%cMarie%c0708123467K%c4%c\"Très bien,\r\nbravo\"%c2\r\n", sep, sep, sep, sep,
                           sep);
            lsu_buf_printf(&b, "DURAND%cPaul%c0708123468L%cPA%c%c\r\n", sep, sep, sep, sep, sep);
            lsu_buf text = {0};
            if (e == 2) { /* UTF-8 into Windows-1252: é è à ç are one byte each */
                for (size_t i = 0; i < b.len; i++) {
                    unsigned char c = (unsigned char)b.data[i];
                    if (c == 0xC3 && i + 1 < b.len) {
                        char byte = (char)((unsigned char)b.data[++i] + 0x40);
                        lsu_buf_add(&text, &byte, 1);
                    } else
                        lsu_buf_add(&text, b.data + i, 1);
                }
            } else
                lsu_buf_add(&text, b.data, b.len);
            lsu_entry_csv f;
            int rc = lsu_entry_csv_read("saisie.csv", text.data, text.len, &f);
            char name[128];
            snprintf(name, sizeof name, "%s, separator %s",
                     e == 0   ? "UTF-8"
                     : e == 1 ? "UTF-8 with BOM"
                              : "Windows-1252",
                     sep == ';'   ? "';'"
                     : sep == ',' ? "','"
                                  : "tab");
            const lsu_entry_change *p = change_at(&f, 9, 4), *a = change_at(&f, 9, 5), *paul = change_at(&f, 10, 4);
            const char *want = e == 2 ? "Windows-1252" : e == 1 ? "UTF-8 (BOM)" : "UTF-8";
            test_reportf(rc == 0 && f.nrefused == 0 && f.nchanges == 4 && p && p->value == 4 && a &&
                             a->kind == LSU_ENTRY_APPRECIATION && strcmp(a->text, "Très bien,\nbravo") == 0 &&
                             strcmp(a->domain, "FRA-RAC") == 0 && paul && paul->value == 2 &&
                             strcmp(f.encoding, want) == 0 && strcmp(f.classe, "CE1 A") == 0,
                         "entry-csv", name, "rc %d, %zu changes, %zu refused, encoding %s", rc, f.nchanges, f.nrefused,
                         f.encoding);
            lsu_entry_csv_free(&f);
            lsu_buf_free(&b);
            lsu_buf_free(&text);
        }
}

/* Every form of a positionnement, and what is not one. */
static void test_values(void)
{
    static const struct {
        const char *cell;
        int value; /* -2: refused */
    } forms[] = {{"1", 1},
                 {"4", 4},
                 {"NA", 1},
                 {"pa", 2},
                 {"A", 3},
                 {"D", 4},
                 {"DE", 4},
                 {"Non atteints", 1},
                 {"PARTIELLEMENT ATTEINTS", 2},
                 {"atteint", 3},
                 {"Dépassés", 4},
                 {"DEPASSES", 4},
                 {"3 - Atteints", 3},
                 {"Non évalué", 0},
                 {"NE", 0},
                 {"effacer", -1},
                 {"Effacer", -1},
                 {"5", -2},
                 {"0", -2},
                 {"bien", -2},
                 {"3,5", -2}};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        lsu_buf b = {0};
        put_top(&b, ';', "FRA-RAC");
        put_header(&b, ';');
        lsu_buf_printf(&b, "DUPONT;Marie;0708123467K;%s;;\r\n", forms[i].cell);
        lsu_entry_csv f;
        int rc = read_str(b.data, &f);
        const lsu_entry_change *c = change_at(&f, 9, 4);
        char name[96];
        snprintf(name, sizeof name, "positionnement « %s »", forms[i].cell);
        if (forms[i].value == -2)
            test_reportf(rc == 0 && !c && refused(&f, 9, 4, "attendu 1 à 4"), "entry-csv", name, "not refused");
        else
            test_reportf(rc == 0 && c && c->value == forms[i].value && f.nrefused == 0, "entry-csv", name, "value %d",
                         c ? c->value : -9);
        lsu_entry_csv_free(&f);
        lsu_buf_free(&b);
    }
}

/* The refusals of the reader, each at its row and column, and the
 * files that are no template (status 2). */
static void test_refusals(void)
{
    char long_text[700];
    memset(long_text, 'a', 612);
    long_text[612] = 0;
    lsu_buf b = {0};
    put_top(&b, ';', "Français (FRA-RAC)");
    lsu_buf_puts(&b, "NOM;Prénom;INE;Langage oral (FRA-LGO) : positionnement;Français (FRA-RAC) : appréciation;"
                     "Remarques;Nombres et calcul (MAT-NBC) : positionnement;Français (FRA-RAC) : positionnement;"
                     "Langage oral (FRA-LGO) : appréciation;Langage oral (FRA-LGO) : positionnement\r\n");
    lsu_buf_printf(&b, "DUPONT;Marie;0708123467K;9;%s;x;3;2;bien;1;hors\r\n", long_text);
    lsu_buf_puts(&b, ";;;3;;\r\n");
    lsu_buf_puts(&b, "Élément du programme;Mathématiques (MAT-NBC);;Compter\r\n");
    lsu_buf_puts(&b, "Élément du programme;Langage oral (FRA-LGO);deux;Compter\r\n");
    lsu_buf_puts(&b, "Élément du programme;Chant;;Chanter\r\n");
    lsu_buf_puts(&b, "Projet de parcours;Parcours avenir;Stage\r\n");
    lsu_entry_csv f;
    int rc = read_str(b.data, &f);
    expect_csv(rc == 0 && f.nchanges == 0, "refusals: no change kept");
    expect_csv(refused(&f, 9, 4, "« 9 » : attendu 1 à 4"), "refused: positionnement 9");
    expect_csv(refused(&f, 9, 5, "appréciation de 612 caractères pour 600 au plus"), "refused: too long");
    expect_csv(refused(&f, 8, 6, "colonne « Remarques » inconnue"), "refused: unknown column");
    expect_csv(refused(&f, 8, 7, "ce fichier est celui du domaine Français (FRA-RAC)"),
               "refused: a column of another domain");
    expect_csv(refused(&f, 8, 8, "se donne pour chacun de ses sous-domaines"),
               "refused: positionnement of a domain with sub-domains");
    expect_csv(refused(&f, 8, 9, "l'appréciation se donne pour le domaine"), "refused: appréciation of a sub-domain");
    expect_csv(refused(&f, 8, 10, "en double (déjà colonne D)"), "refused: a column twice");
    expect_csv(refused(&f, 9, 11, "colonne sans titre"), "refused: a cell beyond the columns");
    expect_csv(refused(&f, 10, 0, "ligne sans élève"), "refused: a row without pupil");
    expect_csv(refused(&f, 11, 2, "celui du domaine Français"), "refused: an élément of another domain");
    expect_csv(refused(&f, 12, 3, "numéro « deux » illisible"), "refused: an élément's number");
    expect_csv(refused(&f, 13, 2, "domaine « Chant » inconnu"), "refused: an élément's unknown domain");
    expect_csv(refused(&f, 14, 2, "parcours « Parcours avenir » inconnu"), "refused: an unknown parcours");
    expect_csv(f.nrefused == 13, "refusals: 13 in all");
    lsu_buf lines = {0};
    size_t n = lsu_entry_csv_refusals(&f, NULL, &lines);
    expect_csv(n == 13 && lines.data &&
                   strncmp(lines.data, "ligne 8, colonne F : colonne « Remarques » inconnue", 52) == 0 &&
                   strstr(lines.data, "\nligne 9, colonne D (DUPONT Marie) : positionnement « 9 » : attendu 1 à 4") &&
                   strstr(lines.data, "\nligne 10 : ligne sans élève"),
               "refusals listed by row and column, with the pupil");
    lsu_buf_free(&lines);
    lsu_entry_csv_free(&f);
    lsu_buf_free(&b);

    /* no template: no header row, no state, a state changed, a quote left open, an unknown domain */
    static const struct {
        const char *text, *part, *name;
    } bad[] = {
        {"NOM;Prénom\r\nDUPONT;Marie\r\n", "il y manque la ligne « Classe »", "no class line"},
        {"Classe;CE1 A\r\nPériode;Trimestre 1\r\nNOM;Prénom;INE\r\n", "« État de la base »", "no state line"},
        {"Classe;CE1 A\r\nPériode;Trimestre 1\r\nÉtat de la base;1234\r\nNOM;INE\r\n", "a été modifié",
         "a state changed"},
        {"Classe;CE1 A\r\nPériode;Trimestre 1\r\n", "la ligne d'en-tête", "no header row"},
        {"Classe;\"CE1 A\r\nNOM;INE\r\n", "jamais fermé", "a quote left open"},
        {"Classe;CE1 A\r\nDomaine;Chant\r\nNOM\r\n", "domaine « Chant » inconnu", "an unknown domain on top"},
        {"", "il y manque", "an empty file"},
        {"\xff\xfe"
         "C\0l\0",
         "octets nuls", "UTF-16"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t len = i == 7 ? 6 : strlen(bad[i].text);
        rc = lsu_entry_csv_read("saisie.csv", bad[i].text, len, &f);
        char name[96];
        snprintf(name, sizeof name, "not a template: %s", bad[i].name);
        test_reportf(rc == 2 && f.error && strstr(f.error, bad[i].part), "entry-csv", name, "rc %d: %s", rc,
                     f.error ? f.error : "(none)");
        lsu_entry_csv_free(&f);
    }
    /* the lines on top read once: a second « Domaine » or « Classe » line is ignored */
    lsu_buf two = {0};
    put_top(&two, ';', "Mathématiques (MAT-RAC)");
    lsu_buf_puts(&two, "Domaine;Français\r\nClasse;CM2 Z\r\n");
    put_header(&two, ';');
    rc = read_str(two.data, &f);
    expect_csv(rc == 0 && f.domain && strcmp(f.domain, "MAT-RAC") == 0 && strcmp(f.classe, "CE1 A") == 0 &&
                   refused(&f, 10, 4, "celui du domaine Mathématiques (MAT-RAC)"),
               "the first « Domaine » and « Classe » lines count");
    lsu_entry_csv_free(&f);
    lsu_buf_free(&two);
    rc = lsu_entry_csv_read("/nonexistent/saisie.csv", NULL, 0, &f);
    expect_csv(rc == 2 && f.error && strstr(f.error, "ne peut pas être ouvert"), "not a template: a missing file");
    lsu_entry_csv_free(&f);
}

/* The checks against the scope and its view: pupils found by INE or by
 * name, unknown, locked; the éléments' rows into changes; another
 * school, class or period. */
static void test_check(void)
{
    fixture x;
    fixture_make(&x);
    lsu_buf b = {0};
    put_top(&b, ';', "Français (FRA-RAC)");
    put_header(&b, ';');
    lsu_buf_puts(&b, "DUPONT;Marie;0708123467K;4;;\r\n");                               /* 9: by INE */
    lsu_buf_puts(&b, "Durand;Paul;7.08123E+10;2;;\r\n");                                /* 10: by name, INE spoilt */
    lsu_buf_puts(&b, "MARTIN;Léa;0708123499Z;1;Bien;\r\n");                             /* 11: unknown */
    lsu_buf_puts(&b, "ÉLOI;Zoé;0708123469M;3;;\r\n");                                   /* 12: locked */
    lsu_buf_puts(&b, "Élément du programme;FRA-LGO;1;Écouter pour comprendre\r\n");     /* 13: unchanged */
    lsu_buf_puts(&b, "Élément du programme;FRA-LGO;2;Dire pour être bien entendu\r\n"); /* 14: renamed */
    lsu_buf_puts(&b, "Élément du programme;FRA-LGO;;Raconter une histoire\r\n");        /* 15: added */
    lsu_buf_puts(&b, "Élément du programme;FRA-LGO;3;Réciter\r\n");                     /* 16: no such number */
    lsu_buf_puts(&b, "Élément du programme;FRA-LGO;1;effacer\r\n");                     /* 17: twice */
    lsu_buf_puts(&b, "Élément du programme;FRA-ECR;;effacer\r\n");                      /* 18: nothing to clear */
    lsu_entry_csv f;
    int rc = read_str(b.data, &f);
    lsu_buf why = {0};
    int check = rc == 0 ? lsu_entry_csv_check(NULL, "0290347V", &x.sc, &x.v, &f, &why) : -9;
    expect_csv(check == 0, "check: status 0");
    const lsu_entry_change *paul = change_at(&f, 10, 4), *ren = change_at(&f, 14, 4), *add = change_at(&f, 15, 4);
    expect_csv(change_at(&f, 9, 4) && paul && strcmp(paul->ine, "0708123468L") == 0,
               "check: a pupil found by INE, another by name");
    expect_csv(!change_at(&f, 11, 4) && !change_at(&f, 11, 5) &&
                   refused(&f, 11, 0, "élève inconnu dans la classe CE1 A"),
               "check: an unknown pupil refused once for his row");
    expect_csv(!change_at(&f, 12, 4) && refused(&f, 12, 0, "bilan verrouillé le 12/01/2025"),
               "check: a locked bilan refused");
    expect_csv(!change_at(&f, 13, 4) && ren && ren->kind == LSU_ENTRY_ELEMENT_RENAME && !ren->ine &&
                   strcmp(ren->text, "Dire pour être entendu") == 0 &&
                   strcmp(ren->text2, "Dire pour être bien entendu") == 0,
               "check: an élément left as it was, another renamed");
    expect_csv(add && add->kind == LSU_ENTRY_ELEMENT_ADD && strcmp(add->text, "Raconter une histoire") == 0 &&
                   strcmp(add->domain, "FRA-LGO") == 0,
               "check: an élément added");
    expect_csv(refused(&f, 16, 3, "la classe n'en a que 2"), "check: an élément's number beyond the list");
    expect_csv(refused(&f, 17, 3, "en double"), "check: an élément twice");
    expect_csv(refused(&f, 18, 4, "rien à effacer"), "check: « effacer » on a new élément");
    lsu_buf lines = {0};
    lsu_entry_refusal r = {.index = 0, .why = "élément du programme en double"};
    size_t at = 0;
    while (at < f.nchanges && f.changes[at].kind != LSU_ENTRY_ELEMENT_ADD)
        at++;
    r.index = at;
    lsu_entry_result res = {.refused = &r, .nrefused = 1};
    lsu_entry_csv_refusals(&f, &res, &lines);
    expect_csv(lines.data && strstr(lines.data, "ligne 11 (MARTIN Léa) : élève inconnu") &&
                   strstr(lines.data, "\nligne 15, colonne D : élément du programme en double\nligne 16, colonne C"),
               "the entry's refusals listed among the file's, by row");
    lsu_buf_free(&lines);
    lsu_entry_csv_free(&f);

    /* a locked bilan: its cells left as the template wrote them are no change, another is refused */
    x.pupils[0].locked_at = "2025-01-12T10:00:00Z";
    lsu_buf l = {0};
    put_top(&l, ';', "Français (FRA-RAC)");
    put_header(&l, ';');
    lsu_buf_puts(&l, "DUPONT;Marie;0708123467K;3;\"Bon trimestre ; des progrès.\";\r\n");
    rc = read_str(l.data, &f);
    check = rc == 0 ? lsu_entry_csv_check(NULL, "0290347V", &x.sc, &x.v, &f, &why) : -9;
    expect_csv(check == 0 && f.nchanges == 0 && f.nrefused == 0, "check: a locked bilan's cells left as they were");
    lsu_entry_csv_free(&f);
    l.len = 0;
    put_top(&l, ';', "Français (FRA-RAC)");
    put_header(&l, ';');
    lsu_buf_puts(&l, "DUPONT;Marie;0708123467K;3;\"Bon trimestre.\";\r\n");
    rc = read_str(l.data, &f);
    check = rc == 0 ? lsu_entry_csv_check(NULL, "0290347V", &x.sc, &x.v, &f, &why) : -9;
    expect_csv(check == 0 && f.nchanges == 0 && refused(&f, 9, 0, "bilan verrouillé le 12/01/2025"),
               "check: a locked bilan's appréciation changed is refused");
    lsu_entry_csv_free(&f);
    lsu_buf_free(&l);
    x.pupils[0].locked_at = NULL;

    static const struct {
        const char *uai, *top, *part, *name;
    } other[] = {
        {"0290348W", NULL, "pour l'école 0290347V, pas pour l'école 0290348W", "another school"},
        {"0290347V", "Classe;CE1 A;999999", "identifiant ONDE 999999", "another class"},
        {"0290347V", "Période;Trimestre 2;2024-2025", "« Trimestre 2 2024-2025 », pas pour « Trimestre 1 2024-2025 »",
         "another period"},
        {"0290347V", "Période;Trimestre 1;2023-2024", "pas pour « Trimestre 1 2024-2025 »", "another year"},
    };
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        lsu_buf t = {0};
        if (other[i].top)
            lsu_buf_printf(&t, "%s\r\n", other[i].top);
        lsu_buf_add(&t, b.data, b.len);
        why.len = 0;
        rc = read_str(t.data, &f);
        check = rc == 0 ? lsu_entry_csv_check(NULL, other[i].uai, &x.sc, &x.v, &f, &why) : -9;
        char name[96];
        snprintf(name, sizeof name, "check: a file made for %s", other[i].name);
        test_reportf(check == 2 && why.data && strstr(why.data, other[i].part), "entry-csv", name, "status %d: %s",
                     check, why.data ? why.data : "");
        lsu_entry_csv_free(&f);
        lsu_buf_free(&t);
    }
    lsu_buf_free(&why);
    lsu_buf_free(&b);
    fixture_free(&x);
}

/* See test.h. */
void test_entry_csv(void)
{
    test_template();
    test_aide_block();
    test_separators_encodings();
    test_values();
    test_refusals();
    test_check();
}
