/* Unit tests of the remedies beside the library's refusals
 * (school/remedy.h): the LSU words of each, the command line's command
 * put in their place (cli/remedy.c: the texts lsu has always printed) and
 * the screen lsu serve links (screens.c). */
#include "cli/remedy.h"
#include "serve/serve_int.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

/* The library's text, `before` the LSU words of `kind` then `after`, as
 * the command line prints it once r's command replaces them: `want`. */
static void cli_text(lsu_remedy_kind kind, const char *before, const char *after, const char *want, const char *name)
{
    lsu_remedy r;
    lsu_remedy_set(&r, kind, "0290347V", "CE1 A", "1234567890A");
    char *text = lsu_asprintf("%s%s%s", before, lsu_remedy_words(kind), after);
    char *got = text ? cli_remedy_text(text, &r, 1) : NULL;
    expect_str(got, want, name);
    free(text), free(got);
}

/* The words of each remedy: French, and no command in them. */
static void words(void)
{
    const lsu_remedy_kind kinds[] = {LSU_REMEDY_UNLOCK,  LSU_REMEDY_LOCK,   LSU_REMEDY_SYNC,
                                     LSU_REMEDY_PERIODS, LSU_REMEDY_SCHOOL, LSU_REMEDY_IMPORT};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        const char *w = lsu_remedy_words(kinds[i]);
        char name[64];
        snprintf(name, sizeof name, "remedy %zu: LSU words, no command", i + 1);
        expect(w && *w && !strstr(w, "lsu"), name, w);
    }
    expect_str(lsu_remedy_words(LSU_REMEDY_UNLOCK), "déverrouillez le bilan", "remedy: unlock in LSU's words");
    expect_str(lsu_remedy_words(LSU_REMEDY_PERIODS), "définissez la périodicité de la classe",
               "remedy: periods in LSU's words");
    expect_str(lsu_remedy_words(LSU_REMEDY_NONE), "", "remedy: none has no words");
}

/* The command line: the texts it printed before the remedies, byte for
 * byte. */
static void command_line(void)
{
    cli_text(LSU_REMEDY_UNLOCK, "bilan verrouillé le 19/11/2024 (BLANC Loïc) : ", " pour le modifier",
             "bilan verrouillé le 19/11/2024 (BLANC Loïc) : lsu unlock pour le modifier", "remedy cli: unlock");
    cli_text(LSU_REMEDY_LOCK, "le bilan n'est pas verrouillé dans la base (", ")",
             "le bilan n'est pas verrouillé dans la base (lsu lock)", "remedy cli: lock");
    cli_text(LSU_REMEDY_SYNC, "classe inconnue : « CM2 Z » (les classes viennent de la base élèves : ", ")",
             "classe inconnue : « CM2 Z » (les classes viennent de la base élèves : lsu sync)", "remedy cli: sync");
    cli_text(LSU_REMEDY_PERIODS, "la classe CE1 A n'a pas de périodicité : ", "",
             "la classe CE1 A n'a pas de périodicité : lsu periods --uai 0290347V --class \"CE1 A\" "
             "trimestres|semestres (ou custom)",
             "remedy cli: periods, with the class");
    cli_text(LSU_REMEDY_SCHOOL, "Le directeur de l'école n'est pas renseigné : ", "",
             "Le directeur de l'école n'est pas renseigné : lsu school --uai 0290347V --directeur \"MME NOM Prénom\"",
             "remedy cli: school, with the UAI");
    cli_text(LSU_REMEDY_IMPORT, "aucune base pour l'école 0290347V (./0290347V.sqlite) : ", "",
             "aucune base pour l'école 0290347V (./0290347V.sqlite) : faites d'abord lsu sync ou lsu import",
             "remedy cli: no store yet");
    cli_text(LSU_REMEDY_LOCK, "A (verrouillez le bilan). B (", ").", "A (lsu lock). B (lsu lock).",
             "remedy cli: every occurrence");
    lsu_remedy r;
    lsu_remedy_set(&r, LSU_REMEDY_SYNC, NULL, NULL, NULL);
    char *got = cli_remedy_text("classe inconnue", &r, 1);
    expect_str(got, "classe inconnue (lsu sync)", "remedy cli: words missing, the command appended");
    free(got);
    got = cli_remedy_text("classe inconnue", &r, 0);
    expect_str(got, "classe inconnue", "remedy cli: words missing, nothing appended when not asked");
    free(got);
    lsu_remedy_set(&r, LSU_REMEDY_NONE, NULL, NULL, NULL);
    got = cli_remedy_text("rien à faire : synchronisez la base élèves", &r, 1);
    expect_str(got, "rien à faire : synchronisez la base élèves", "remedy cli: none leaves the text");
    free(got);
    lsu_remedy_set(&r, LSU_REMEDY_PERIODS, NULL, NULL, NULL);
    got = cli_remedy_command(&r);
    expect_str(got, "lsu periods --uai UAI --class \"CLASSE\" trimestres|semestres (ou custom)",
               "remedy cli: periods without UAI nor class");
    free(got);
}

/* lsu serve: the screen of each remedy. */
static void server(void)
{
    lsu_grant g = {.uai = "0290347V", .role = "directeur", .classes = ""};
    static const struct {
        lsu_remedy_kind kind;
        const char *url, *label;
    } want[] = {
        {LSU_REMEDY_UNLOCK, "/ecole/0290347V/bilans/CE1 A", "Bilans › Déverrouiller"},
        {LSU_REMEDY_LOCK, "/ecole/0290347V/bilans/CE1 A", "Bilans › Verrouiller"},
        {LSU_REMEDY_SYNC, "/ecole/0290347V/synchronisation", "Synchronisation élèves enseignants"},
        {LSU_REMEDY_PERIODS, "/ecole/0290347V/parametrage/periodes", "Paramétrage des périodes"},
        {LSU_REMEDY_SCHOOL, "/ecole/0290347V/parametrage/ecole", "Identité de l'école"},
        {LSU_REMEDY_IMPORT, "/ecole/0290347V/synchronisation", "Synchronisation élèves enseignants"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        lsu_remedy r;
        lsu_remedy_set(&r, want[i].kind, g.uai, "CE1 A", NULL);
        const char *label = NULL;
        char *url = serve_remedy_url(&g, &r, &label);
        char name[64];
        snprintf(name, sizeof name, "remedy serve %zu: the screen's URL", i + 1);
        expect_str(url, want[i].url, name);
        snprintf(name, sizeof name, "remedy serve %zu: the screen's name", i + 1);
        expect_str(label, want[i].label, name);
        free(url);
    }
    lsu_remedy r;
    lsu_remedy_set(&r, LSU_REMEDY_UNLOCK, g.uai, NULL, NULL);
    const char *label = NULL;
    char *url = serve_remedy_url(&g, &r, &label);
    expect_str(url, "/ecole/0290347V/bilans", "remedy serve: unlock without a class, the Bilans screen");
    free(url);
    lsu_remedy_set(&r, LSU_REMEDY_NONE, NULL, NULL, NULL);
    expect(serve_remedy_url(&g, &r, &label) == NULL, "remedy serve: none links nothing", NULL);
}

/* See test.h. */
void test_remedy(void)
{
    words();
    command_line();
    server();
}
