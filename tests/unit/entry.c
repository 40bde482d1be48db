/* Unit tests of the teachers' entry (school/entry.h) on a small store made
 * here: a class CE1 A of two pupils on trimestres, a class CM1 B without
 * a periodicity; scopes and their refusals, bilans born in the store,
 * changes applied and refused, versions, stale states, locked bilans, the
 * view and the « ? », and a bilan entered that goes through lock, history
 * and the PDF edition like an imported one. */
#include "school/entry.h"
#include "base/util.h"
#include "school/school.h"
#include "school/store_edit.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INE_BLANC "3081949387L"
#define INE_DUPONT "1234567890A"
#define INE_MARTIN "2234567890B"

static char dir[64];

/* A new store in a new folder with the small school of the banner (no
 * directeur yet); 0, or -1. */
static int make_school(lsu_store *st)
{
    setenv("SOURCE_DATE_EPOCH", "1732000000", 1); /* 2024-11-19T07:06:40Z */
    snprintf(dir, sizeof dir, "/tmp/lsu-entry-XXXXXX");
    if (!mkdtemp(dir) || lsu_store_open(st, dir, "0290347V", 1) != STORE_OK)
        return -1;
    return lsu_store_exec(
        st, "INSERT INTO periodicities(id, name, kind, millesime) VALUES (1, 'Trimestre', 'trimestre', 2024);"
            "INSERT INTO periods VALUES (1, 1, 'Trimestre 1', '2024-09-02', '2024-11-30'),"
            " (1, 2, 'Trimestre 2', '2024-12-01', '2025-03-08'), (1, 3, 'Trimestre 3', '2025-03-09', '2025-07-05');"
            "INSERT INTO classes(id_be, libelle, niveau, cycle, import_mode, periodicity_id) VALUES"
            " ('181366', 'CE1 A', 'CE1', 2, 'manuelle', 1), ('181367', 'CM1 B', 'CM1', 3, NULL, NULL);"
            "INSERT INTO pupils(ine, nom, prenom, niveau, cycle, classe_id_be) VALUES"
            " ('" INE_BLANC "', 'Blanc', 'Loïc', 'CE1', 2, '181366'),"
            " ('" INE_DUPONT "', 'Dupont', 'Marie', 'CE1', 2, '181366'),"
            " ('" INE_MARTIN "', 'Martin', 'Paul', 'CM1', 3, '181367');"
            "INSERT INTO teachers(civilite, nom, prenom, classes) VALUES ('Mme', 'Dupont', 'Valérie', 'CE1 A'),"
            " ('M.', 'Roux', 'Jean', '181367,CP B')");
}

/* Sets the school's directeur. */
static void set_directeur(lsu_store *st)
{
    lsu_store_exec(st, "INSERT INTO school(id, nom, directeur_civilite, directeur_nom, directeur_prenom) VALUES (1, "
                       "'École Jules Ferry', 'M', 'Carpentier', 'Damien')");
}

/* Removes the school's folder. */
static void drop_school(lsu_store *st)
{
    lsu_store_close(st);
    lsu_remove_tree(dir);
}

/* A query's first column as text into out ("" when no row). */
static void query_text(lsu_store *st, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *s = lsu_store_prepare(st, sql);
    snprintf(out, size, "%s", s && sqlite3_step(s) == SQLITE_ROW ? lsu_store_text(s, 0) : "");
    sqlite3_finalize(s);
}

/* Opens scope CE1 A, period 1 into sc; 0 or the status. */
static int open_ce1(lsu_store *st, lsu_entry_scope *sc)
{
    lsu_buf why = {0};
    int rc = lsu_entry_scope_open(st, "CE1 A", "1", sc, &why);
    lsu_buf_free(&why);
    return rc;
}

/* Group "entry-scope": classes and periods, by label, id and number, and
 * the refusals. */
void test_entry_scope(void)
{
    lsu_store st = {0};
    if (!expect(make_school(&st) == 0, "entry scope: store made", st.error))
        return;
    lsu_entry_scope sc;
    lsu_buf why = {0};
    int rc = lsu_entry_scope_open(&st, "181366", "Trimestre 2", &sc, &why);
    expect(rc == 0 && strcmp(sc.classe, "CE1 A") == 0 && strcmp(sc.bkey, "P:2024:2/3") == 0 && sc.cycle == 2 &&
               strcmp(sc.date_debut, "2024-12-01") == 0 && strcmp(sc.periode, "Trimestre 2") == 0,
           "entry scope: class by ONDE id, period by label", why.data);
    lsu_entry_scope_free(&sc);
    rc = lsu_entry_scope_open(&st, "CE1 A", "trimestre 3", &sc, &why);
    expect(rc == 0 && sc.indice == 3 && sc.nb == 3 && strcmp(sc.id_be, "181366") == 0 && sc.import_mode &&
               strcmp(sc.import_mode, "manuelle") == 0,
           "entry scope: class by label, period label in other letters", why.data);
    lsu_entry_scope_free(&sc);
    rc = lsu_entry_scope_open(&st, "CE2 Z", "1", &sc, &why);
    expect(rc == 2 && why.data && strstr(why.data, "classe inconnue : « CE2 Z »"), "entry scope: unknown class",
           why.data);
    expect(sc.remedy.kind == LSU_REMEDY_SYNC && strstr(why.data, lsu_remedy_words(LSU_REMEDY_SYNC)),
           "entry scope: unknown class, remedy: synchronisez la base élèves", why.data);
    why.len = 0;
    rc = lsu_entry_scope_open(&st, "CM1 B", "1", &sc, &why);
    expect(rc == 2 && why.data &&
               strcmp(why.data, "la classe CM1 B n'a pas de périodicité : définissez la périodicité de la classe") == 0,
           "entry scope: class without periodicity", why.data);
    expect(sc.remedy.kind == LSU_REMEDY_PERIODS && strcmp(sc.remedy.classe, "CM1 B") == 0 &&
               strcmp(sc.remedy.uai, "0290347V") == 0,
           "entry scope: class without periodicity, remedy: the class's periods", sc.remedy.classe);
    why.len = 0;
    rc = lsu_entry_scope_open(&st, "CE1 A", "4", &sc, &why);
    expect(rc == 2 && why.data && strstr(why.data, "pas de période 4 pour la classe CE1 A"),
           "entry scope: no such period", why.data);
    lsu_buf_free(&why);
    drop_school(&st);
}

/* The saved form a bilan born in the store for Loïc Blanc has, with the
 * class's élément and one positionnement. */
static const char born_blanc[] =
    "<bilan-periodique eleve-id=\"EL_3081949387L\" ine=\"3081949387L\" nom=\"Blanc\" prenom=\"Lo&#xEF;c\" "
    "classe-id=\"CL_181366\" classe=\"CE1 A\" id-be=\"181366\" niveau=\"CE1\" cycle-classe=\"2\" "
    "periode-id=\"PER_2024_1_3\" millesime=\"2024\" annee=\"2024-2025\" indice=\"1\" nb-periodes=\"3\" "
    "libelle=\"Trimestre 1\" date-debut=\"2024-09-02\" date-fin=\"2024-11-30\" date-creation=\"2024-11-19\" "
    "date-scolarite=\"2024-09-02\"><enseignants><enseignant id=\"ENS_";

/* Group "entry-birth": no directeur refused, then bilans born in the
 * normalised form with the class's teachers, directeur and éléments. */
void test_entry_birth(void)
{
    lsu_store st = {0};
    if (!expect(make_school(&st) == 0, "entry birth: store made", st.error))
        return;
    lsu_entry_scope sc;
    if (!expect(open_ce1(&st, &sc) == 0, "entry birth: scope", NULL)) {
        drop_school(&st);
        return;
    }
    lsu_entry_change ch[] = {
        {.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "  Écouter pour\r\n\r\n comprendre\t "},
        {.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "FRA-LGO", .value = 3},
    };
    lsu_entry_options opt = {.author = "Mme Dupont", .source = "ce1a.csv"};
    lsu_entry_result r;
    int rc = lsu_entry_apply(&st, &sc, ch, 2, &opt, &r);
    expect(rc == 3 && r.why &&
               strcmp(r.why, "Le directeur de l'école n'est pas renseigné : renseignez le directeur de l'école") == 0,
           "entry birth: no directeur, refused with what to do", r.why);
    expect(r.remedy.kind == LSU_REMEDY_SCHOOL && strcmp(r.remedy.uai, "0290347V") == 0,
           "entry birth: no directeur, remedy: the school's director", r.remedy.uai);
    expect(lsu_store_int(&st, "SELECT count(*) FROM bilans", -1) == 0, "entry birth: nothing written without directeur",
           NULL);
    lsu_entry_result_free(&r);
    set_directeur(&st);
    rc = lsu_entry_apply(&st, &sc, ch, 2, &opt, &r);
    expect(rc == 0 && r.created == 2 && r.changed == 0, "entry birth: two bilans born", r.diff.data);
    expect(r.diff.data &&
               strstr(r.diff.data, "Classe CE1 A : élément du programme ajouté de Langage oral : « Écouter "
                                   "pour   comprendre »\n") &&
               strstr(r.diff.data, "Blanc Loïc : bilan créé ; domaine ajouté : Français\n") &&
               strstr(r.diff.data, "Dupont Marie : bilan créé ; domaine ajouté : Français\n"),
           "entry birth: diff per class and pupil", r.diff.data);
    lsu_entry_result_free(&r);
    char xml[4096];
    query_text(&st, "SELECT xml FROM bilans WHERE ine = '" INE_BLANC "'", xml, sizeof xml);
    expect(strncmp(xml, born_blanc, sizeof born_blanc - 1) == 0, "entry birth: the normalised form's attributes", xml);
    expect(strstr(xml, "civilite=\"MME\" nom=\"Dupont\" prenom=\"Val&#xE9;rie\"/></enseignants><directeur id=\"DIR_") &&
               strstr(xml, "civilite=\"M\" nom=\"Carpentier\" prenom=\"Damien\"/><liste-acquis><acquis "
                           "code=\"FRA-RAC\" libelle=\"Fran&#xE7;ais\"><sous-domaine code=\"FRA-LGO\" "
                           "libelle=\"Langage oral\" positionnement=\"3\"><element-programme id=\"EP_") &&
               strstr(xml, "libelle=\"&#xC9;couter pour   comprendre\"/></sous-domaine></acquis></liste-acquis>"
                           "<liste-parcours/></bilan-periodique>"),
           "entry birth: teachers, directeur, labels, élément", xml);
    char other[4096];
    query_text(&st, "SELECT xml FROM bilans WHERE ine = '" INE_DUPONT "'", other, sizeof other);
    const char *ep = strstr(xml, "element-programme id=\""), *ep2 = strstr(other, "element-programme id=\"");
    expect(ep && ep2 && strncmp(ep, ep2, 40) == 0 && !strstr(other, "positionnement"),
           "entry birth: the class's élément has one id in every bilan", other);
    char row[256];
    query_text(&st,
               "SELECT events.kind || '|' || author || '|' || source || '|' || classe || '|' || periode FROM events "
               "JOIN bilans ON bilans.event_id = events.id LIMIT 1",
               row, sizeof row);
    expect_str(row, "saisie|Mme Dupont|ce1a.csv|CE1 A|Trimestre 1 2024-2025", "entry birth: one saisie event");
    query_text(&st, "SELECT count(*) || ' ' || group_concat(kind) FROM events", row, sizeof row);
    expect_str(row, "1 saisie", "entry birth: one event");
    query_text(&st, "SELECT domain || '|' || position || '|' || libelle FROM class_elements", row, sizeof row);
    expect_str(row, "FRA-LGO|1|Écouter pour   comprendre", "entry birth: the class's élément stored");
    lsu_entry_scope_free(&sc);
    drop_school(&st);
}

/* Applies one change; returns the status and fills r. */
static int apply1(lsu_store *st, const lsu_entry_scope *sc, lsu_entry_change ch, lsu_entry_result *r)
{
    lsu_entry_options opt = {.author = "Mme Dupont"};
    return lsu_entry_apply(st, sc, &ch, 1, &opt, r);
}

/* One change refused with `want` in its reason, nothing written. */
static void refused(lsu_store *st, const lsu_entry_scope *sc, lsu_entry_change ch, const char *want, const char *name)
{
    long long before = lsu_store_int(st, "SELECT count(*) FROM bilans", -1);
    lsu_entry_result r;
    int rc = apply1(st, sc, ch, &r);
    char detail[600];
    snprintf(detail, sizeof detail, "status %d, %zu refused: [%s]", rc, r.nrefused, r.nrefused ? r.refused[0].why : "");
    expect(rc == 1 && r.nrefused == 1 && r.refused[0].index == 0 && strstr(r.refused[0].why, want) &&
               lsu_store_int(st, "SELECT count(*) FROM bilans", -1) == before,
           name, detail);
    lsu_entry_result_free(&r);
}

/* Group "entry-apply": every refusal, versions only when content
 * changes, the stale check and the bilans that became complete. */
void test_entry_apply(void)
{
    lsu_store st = {0};
    if (!expect(make_school(&st) == 0, "entry apply: store made", st.error))
        return;
    set_directeur(&st);
    lsu_entry_scope sc;
    open_ce1(&st, &sc);
    lsu_entry_result r;
    apply1(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Raconter"}, &r);
    lsu_entry_result_free(&r);
    char long_text[700];
    memset(long_text, 'a', 301);
    long_text[301] = '\0';
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = long_text},
            "301 caractères pour 300 au plus", "entry apply: élément too long");
    memset(long_text, 'a', 300);
    long_text[300] = '\0';
    expect(apply1(&st, &sc,
                  (lsu_entry_change){
                      .kind = LSU_ENTRY_ELEMENT_ADD, .ine = INE_BLANC, .domain = "EPS-RAC", .text = long_text},
                  &r) == 0,
           "entry apply: 300 code points taken", NULL);
    lsu_entry_result_free(&r);
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = " \n "},
            "libellé vide", "entry apply: blank élément");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "  RACONTER "},
            "élément déjà présent pour la classe de Langage oral : « Raconter »",
            "entry apply: duplicate élément, letter case and blanks aside");
    refused(
        &st, &sc,
        (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_ADD, .ine = INE_DUPONT, .domain = "FRA-LGO", .text = "raconter"},
        "élément déjà présent de Langage oral", "entry apply: duplicate élément in a pupil's bilan");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "LGV-CPD", .value = 2},
            "sous-domaine des programmes d'avant 2017", "entry apply: a sub-domain no longer entered");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = "9999999999Z", .domain = "FRA-LGO"},
            "élève inconnu dans la classe CE1 A : INE 9999999999Z", "entry apply: unknown pupil");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_MARTIN, .domain = "FRA-LGO"},
            "l'élève Martin Paul (2234567890B) est dans la classe CM1 B, pas dans la classe CE1 A",
            "entry apply: pupil of another class");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "FRA-LGO", .value = 5},
            "positionnement 5 : attendu 1 à 4", "entry apply: positionnement out of range");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "STC-RAC", .value = 2},
            "Sciences et technologie (STC-RAC) n'est pas enseigné au cycle 2", "entry apply: domain of another cycle");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "FRA-RAC", .value = 2},
            "Français (FRA-RAC) se renseigne par sous-domaine : FRA-LGO, FRA-LEC, FRA-ECR, FRA-ETL",
            "entry apply: positionnement on a domain with sub-domains");
    refused(&st, &sc,
            (lsu_entry_change){.kind = LSU_ENTRY_APPRECIATION, .ine = INE_BLANC, .domain = "FRA-LEC", .text = "Bien"},
            "l'appréciation se donne au domaine Français (FRA-RAC)", "entry apply: appreciation on a sub-domain");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "XYZ-RAC"},
            "domaine inconnu : « XYZ-RAC »", "entry apply: unknown domain");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_PARCOURS, .domain = "PAR_AVN", .text = "Projet"},
            "parcours inconnu", "entry apply: parcours avenir is not of the école");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_REMOVE, .domain = "FRA-LGO", .text = "Lire"},
            "élément inconnu de la classe de Langage oral : « Lire »", "entry apply: removing an unknown élément");
    refused(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = "Bon trimestre\xff"},
            "texte illisible", "entry apply: text that is not UTF-8");
    /* one refusal among good changes: nothing written at all */
    lsu_entry_change two[] = {
        {.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = "Bon trimestre."},
        {.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "FRA-LGO", .value = 7, .row = 4, .col = 2},
    };
    long long versions = lsu_store_int(&st, "SELECT count(*) FROM bilans", -1);
    int rc = lsu_entry_apply(&st, &sc, two, 2, NULL, &r);
    expect(rc == 1 && r.nrefused == 1 && r.refused[0].index == 1 &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans", -1) == versions &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans WHERE xml LIKE '%Bon trimestre%'", -1) == 0,
           "entry apply: one refused, none written", NULL);
    lsu_entry_result_free(&r);
    /* versions: the same content makes none */
    char token[65], token2[65];
    lsu_entry_state(&st, &sc, token, NULL, NULL);
    rc = apply1(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = "Bon trimestre."},
                &r);
    expect(rc == 0 && r.changed == 1 && r.unchanged == 1 &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans", -1) == versions + 1,
           "entry apply: a change makes a version", r.diff.data);
    lsu_entry_result_free(&r);
    lsu_entry_state(&st, &sc, token2, NULL, NULL);
    expect(strcmp(token, token2) != 0, "entry apply: the state follows the changes", token2);
    rc = apply1(&st, &sc,
                (lsu_entry_change){.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = " Bon trimestre.\r\n"}, &r);
    expect(rc == 0 && r.changed == 0 && r.unchanged == 2 && strcmp(r.diff.data, "Aucune différence.\n") == 0 &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans", -1) == versions + 1 &&
               lsu_store_int(&st, "SELECT count(*) FROM events WHERE kind = 'saisie'", -1) == 3,
           "entry apply: the same text cleaned makes no version nor event", r.diff.data);
    lsu_entry_result_free(&r);
    /* stale: a change made from the state before the last one */
    lsu_entry_options stale = {.author = "M. Roux", .expect_state = token};
    lsu_entry_change g = {.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = "Autre."};
    rc = lsu_entry_apply(&st, &sc, &g, 1, &stale, &r);
    expect(rc == 2 && r.stale && r.stale_author && strcmp(r.stale_author, "Mme Dupont") == 0 && r.stale_at &&
               strcmp(r.stale_at, "2024-11-19T07:06:40Z") == 0,
           "entry apply: stale state refused, with who changed it", r.stale_author);
    lsu_entry_result_free(&r);
    stale.expect_state = token2;
    stale.dry_run = 1;
    rc = lsu_entry_apply(&st, &sc, &g, 1, &stale, &r);
    expect(rc == 0 && r.changed == 1 && strstr(r.diff.data, "Blanc Loïc : appréciation générale modifiée") &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans", -1) == versions + 1,
           "entry apply: dry run from the current state describes, writes nothing", r.diff.data);
    lsu_entry_result_free(&r);
    /* complete: three domains and the appréciation générale */
    lsu_entry_change fill[] = {
        {.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "FRA-LGO", .value = 3},
        {.kind = LSU_ENTRY_APPRECIATION, .ine = INE_BLANC, .domain = "MAT-RAC", .text = "Très bien."},
        {.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "EPS-RAC", .value = 0},
        {.kind = LSU_ENTRY_APPRECIATION, .ine = INE_BLANC, .domain = "EMC-RAC", .text = "Engagé."},
    };
    rc = lsu_entry_apply(&st, &sc, fill, 4, NULL, &r);
    expect(rc == 0 && r.completed.data && strcmp(r.completed.data, "Blanc Loïc\n") == 0,
           "entry apply: the bilan that became complete", r.completed.data);
    lsu_entry_result_free(&r);
    lsu_entry_scope_free(&sc);
    drop_school(&st);
}

/* Group "entry-locked": locked bilans never change, collective changes
 * skip them; the view, the « ? », the history and the PDF edition of a
 * bilan entered. */
void test_entry_locked(void)
{
    lsu_store st = {0};
    if (!expect(make_school(&st) == 0, "entry locked: store made", st.error))
        return;
    set_directeur(&st);
    lsu_entry_scope sc;
    open_ce1(&st, &sc);
    lsu_entry_change fill[] = {
        {.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Raconter une histoire"},
        {.kind = LSU_ENTRY_POSITION, .ine = INE_BLANC, .domain = "FRA-LGO", .value = 3},
        {.kind = LSU_ENTRY_APPRECIATION, .ine = INE_BLANC, .domain = "MAT-RAC", .text = "Très bien."},
        {.kind = LSU_ENTRY_APPRECIATION, .ine = INE_BLANC, .domain = "EMC-RAC", .text = "Engagé."},
        {.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = "Un bon trimestre."},
        {.kind = LSU_ENTRY_PARCOURS, .domain = "PAR_CIT", .text = "Charte de la classe."},
    };
    lsu_entry_result r;
    lsu_entry_options opt = {.author = "Mme Dupont"};
    int rc = lsu_entry_apply(&st, &sc, fill, 6, &opt, &r);
    lsu_entry_result_free(&r);
    lsu_buf table = {0};
    long missing = lsu_entry_missing(&st, &sc, &table);
    expect(rc == 0 && missing == 1 && table.data && strstr(table.data, "Blanc Loïc : complet\n") &&
               strstr(table.data, "Dupont Marie : domaines complets"),
           "entry locked: the « ? » of the class", table.data);
    lsu_buf_free(&table);
    lsu_buf text = {0};
    lsu_selection sel = {.ine = INE_BLANC};
    rc = lsu_school_lock(&st, &sel, 0, &text);
    expect(rc == 0 && strstr(text.data, "1 bilan verrouillé"), "entry locked: a bilan entered locks", text.data);
    lsu_buf_free(&text);
    long long versions = lsu_store_int(&st, "SELECT count(*) FROM bilans", -1);
    lsu_entry_change more[] = {{.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Dire un poème"},
                               {.kind = LSU_ENTRY_PARCOURS, .domain = "PAR_CIT", .text = "Charte et débats."}};
    rc = lsu_entry_apply(&st, &sc, more, 2, &opt, &r);
    char counts_text[96];
    snprintf(counts_text, sizeof counts_text, "status %d, locked %lld, changed %lld, unchanged %lld", rc, r.locked,
             r.changed, r.unchanged);
    expect(rc == 0 && r.locked == 1 && r.changed == 1 && r.unchanged == 1 &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans", -1) == versions + 1 &&
               lsu_store_int(&st, "SELECT count(*) FROM bilans WHERE ine = '" INE_BLANC "' AND xml LIKE '%Dire un po%'",
                             -1) == 0,
           "entry locked: a collective change skips the locked bilan", counts_text);
    lsu_entry_result_free(&r);
    char day[11];
    lsu_date_fr_from_iso("2024-11-19", day);
    rc = apply1(&st, &sc, (lsu_entry_change){.kind = LSU_ENTRY_GENERALE, .ine = INE_BLANC, .text = "Autre."}, &r);
    expect(rc == 1 && r.nrefused == 1 && strstr(r.refused[0].why, "bilan verrouillé le 19/11/2024"),
           "entry locked: a locked bilan's change refused with its day", r.nrefused ? r.refused[0].why : "");
    expect(r.nrefused == 1 && r.refused[0].remedy.kind == LSU_REMEDY_UNLOCK &&
               strstr(r.refused[0].why, ": déverrouillez le bilan pour le modifier") &&
               strcmp(r.refused[0].remedy.classe, "CE1 A") == 0 && r.refused[0].remedy.ine[0],
           "entry locked: remedy: unlock the bilan (class, INE)", r.nrefused ? r.refused[0].remedy.classe : "");
    lsu_entry_result_free(&r);
    lsu_entry_view v;
    rc = lsu_entry_view_read(&st, &sc, &v);
    char token[65];
    lsu_entry_state(&st, &sc, token, NULL, NULL);
    expect(rc == 0 && v.npupils == 2 && strcmp(v.pupils[0].nom, "Blanc") == 0 && v.pupils[0].locked_at &&
               v.pupils[1].bilan && !v.pupils[1].locked_at && v.nelements == 2 &&
               strcmp(v.elements[1].libelle, "Dire un poème") == 0 && v.parcours[0] &&
               strcmp(v.parcours[0], "Charte et débats.") == 0 && !v.parcours[1] && strcmp(v.state, token) == 0,
           "entry locked: the view", NULL);
    lsu_entry_view_free(&v);
    rc = lsu_school_history(&st, INE_BLANC, &text);
    expect(rc == 1 && text.data && strstr(text.data, "version 1  19/11/2024 à 07:06:40  saisie n° 1 (Mme Dupont)") &&
               strstr(text.data, "verrouillé   19/11/2024 à 07:06:40  verrouillage n° 1"),
           "entry locked: the history of a bilan entered", text.data);
    lsu_buf_free(&text);
    /* the PDF edition from the store, as for an imported bilan */
    char out[96];
    snprintf(out, sizeof out, "%s/pdf", dir);
    lsu_store_edit_options eo = {.by = EDIT_BY_CLASS, .sel = {.classe = "CE1 A"}};
    lsu_store_edit_counts counts = {0};
    char *error = NULL;
    rc = lsu_store_edit(&st, &eo, out, &counts, &text, &error);
    expect(rc == 0 && counts.selected == 2 && counts.unlocked == 1 && counts.edited.bilans == 1 && text.data &&
               !strstr(text.data, "PDF001") && !strstr(text.data, "INT001") && strstr(text.data, "STO003") &&
               strstr(text.data, "Dupont Marie"),
           "entry locked: a bilan entered and locked is edited as a PDF", error ? error : text.data);
    free(error);
    lsu_buf_free(&text);
    lsu_entry_scope_free(&sc);
    drop_school(&st);
}

/* An imported bilan of Marie Dupont as the store keeps it (a shortened
 * copy of the stored form of store-forme-enregistree). */
static const char imported[] =
    "<bilan-periodique eleve-id=\"EL_7\" ine=\"1234567890A\" nom=\"Dupont\" prenom=\"Marie\" classe-id=\"CL_1\" "
    "classe=\"CE1 A\" id-be=\"181366\" niveau=\"CE1\" cycle-classe=\"2\" periode-id=\"PER_T1\" millesime=\"2024\" "
    "annee=\"2024-2025\" indice=\"1\" nb-periodes=\"3\" libelle=\"Trimestre 1\" date-debut=\"2024-09-02\" "
    "date-fin=\"2024-11-30\" date-creation=\"2024-11-19\" date-scolarite=\"2024-09-02\" "
    "date-verrou=\"2024-11-26T17:48:25\"><enseignants><enseignant id=\"ENS_3\" civilite=\"MME\" nom=\"Dupont\" "
    "prenom=\"Val&#xE9;rie\"/></enseignants><directeur id=\"DIR_1\" civilite=\"M\" nom=\"Carpentier\" "
    "prenom=\"Damien\"/><liste-acquis><acquis code=\"FRA-RAC\" libelle=\"Fran&#xE7;ais\"><appreciation>Bien.</"
    "appreciation><sous-domaine code=\"FRA-LGO\" libelle=\"Langage oral\" positionnement=\"3\"><element-programme "
    "id=\"EP2_001\" libelle=\"Raconter\"/></sous-domaine></acquis><acquis code=\"EPS-RAC\" "
    "libelle=\"&#xC9;ducation physique et sportive\" positionnement=\"4\"><element-programme id=\"EP2_029\" "
    "libelle=\"Courir\"/><appreciation>Très bien.</appreciation></acquis></liste-acquis><liste-parcours><parcours "
    "code=\"PAR_CIT\" libelle=\"Parcours citoyen\"><projet>Charte.</projet></parcours></liste-parcours>"
    "<appreciation-generale>Bon trimestre.</appreciation-generale></bilan-periodique>";

/* The current saved form of pupil ine's bilan for P:2024:1/3 into out. */
static void current_xml(lsu_store *st, const char *ine, char *out, size_t size)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT xml FROM bilans WHERE ine = '%s' AND bkey = 'P:2024:1/3' AND replaced_at IS NULL",
             ine);
    query_text(st, sql, out, size);
}

/* Group "entry-edits": renaming, moving and removing éléments of the
 * class and of a pupil, a pupil's implication, and an imported bilan that
 * keeps its form but for what changes. */
void test_entry_edits(void)
{
    lsu_store st = {0};
    if (!expect(make_school(&st) == 0, "entry edits: store made", st.error))
        return;
    set_directeur(&st);
    sqlite3_stmt *s = lsu_store_prepare(&st, "INSERT INTO events(kind, at, source) VALUES ('import', "
                                             "'2024-11-19T07:00:00Z', 'ecole.xml')");
    sqlite3_step(s);
    sqlite3_finalize(s);
    s = lsu_store_prepare(&st, "INSERT INTO bilans(ine, bkey, kind, nom, prenom, classe, id_be, niveau, periode, xml, "
                               "event_id, created_at) VALUES ('" INE_DUPONT "', 'P:2024:1/3', 'periodique', 'Dupont', "
                               "'Marie', 'CE1 A', '181366', 'CE1', 'Trimestre 1 2024-2025', ?, 1, "
                               "'2024-11-19T07:00:00Z')");
    sqlite3_bind_text(s, 1, imported, -1, SQLITE_STATIC);
    sqlite3_step(s);
    sqlite3_finalize(s);
    lsu_entry_scope sc;
    open_ce1(&st, &sc);
    lsu_entry_result r;
    int rc =
        apply1(&st, &sc,
               (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = INE_DUPONT, .domain = "FRA-LGO", .value = 2}, &r);
    char xml[4096], want[4096];
    current_xml(&st, INE_DUPONT, xml, sizeof xml);
    snprintf(want, sizeof want, "%s", imported);
    char *at = strstr(want, "positionnement=\"3\"");
    if (at)
        at[16] = '2';
    expect(rc == 0 && r.created == 1 && r.changed == 1 && strcmp(xml, want) == 0,
           "entry edits: an imported bilan changes only where the entry does", xml);
    expect(r.diff.data && strstr(r.diff.data, "Dupont Marie : positionnement de Français — Langage oral : 3 → 2\n"),
           "entry edits: the change said", r.diff.data);
    lsu_entry_result_free(&r);
    lsu_entry_change class[] = {
        {.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Raconter"},
        {.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Écouter"},
        {.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Dire"},
        {.kind = LSU_ENTRY_ELEMENT_MOVE, .domain = "FRA-LGO", .text = "dire", .value = 1},
        {.kind = LSU_ENTRY_ELEMENT_RENAME, .domain = "FRA-LGO", .text = "Écouter", .text2 = "Écouter un texte"},
        {.kind = LSU_ENTRY_ELEMENT_ADD, .ine = INE_BLANC, .domain = "FRA-LGO", .text = "Réciter"},
        {.kind = LSU_ENTRY_PARCOURS, .ine = INE_BLANC, .domain = "PAR_CIT", .text = "Délégué de classe."},
    };
    rc = lsu_entry_apply(&st, &sc, class, sizeof class / sizeof *class, NULL, &r);
    lsu_entry_result_free(&r);
    char row[512];
    query_text(&st, "SELECT group_concat(libelle, '|') FROM (SELECT libelle FROM class_elements ORDER BY position)",
               row, sizeof row);
    expect(rc == 0 && strcmp(row, "Dire|Raconter|Écouter un texte") == 0, "entry edits: the class's éléments in order",
           row);
    current_xml(&st, INE_BLANC, xml, sizeof xml);
    expect(strstr(xml, "libelle=\"Dire\"/><element-programme id=\"EP_") &&
               strstr(xml, "libelle=\"Raconter\"/><element-programme id=\"EP_") &&
               strstr(xml, "libelle=\"&#xC9;couter un texte\"/><element-programme id=\"EP_") &&
               strstr(xml, "libelle=\"R&#xE9;citer\"/></sous-domaine>") &&
               strstr(xml, "<parcours code=\"PAR_CIT\" libelle=\"Parcours citoyen\"><implication>Délégué de "
                           "classe.</implication></parcours>"),
           "entry edits: a born bilan takes the class's éléments, moved and renamed, and the pupil's own", xml);
    current_xml(&st, INE_DUPONT, xml, sizeof xml);
    expect(strstr(xml, "id=\"EP2_001\" libelle=\"Raconter\"/><element-programme id=\"EP_") &&
               strstr(xml, "libelle=\"Dire\"") && !strstr(xml, "libelle=\"Raconter\"/><element-programme id=\"EP_e"),
           "entry edits: an imported bilan keeps its élément of the same label", xml);
    lsu_entry_change more[] = {
        {.kind = LSU_ENTRY_ELEMENT_REMOVE, .domain = "FRA-LGO", .text = "raconter"},
        {.kind = LSU_ENTRY_ELEMENT_REMOVE, .ine = INE_BLANC, .domain = "FRA-LGO", .text = "Réciter"},
        {.kind = LSU_ENTRY_PARCOURS, .domain = "PAR_CIT", .text = ""},
        {.kind = LSU_ENTRY_APPRECIATION, .ine = INE_DUPONT, .domain = "FRA-RAC", .text = ""},
    };
    rc = lsu_entry_apply(&st, &sc, more, 4, NULL, &r);
    expect(rc == 0 && r.changed == 2 &&
               strstr(r.diff.data, "Classe CE1 A : élément du programme retiré de Langage "
                                   "oral : « Raconter »\n"),
           "entry edits: removing a class's élément and a pupil's", r.diff.data);
    lsu_entry_result_free(&r);
    current_xml(&st, INE_DUPONT, xml, sizeof xml);
    expect(!strstr(xml, "Raconter") && !strstr(xml, "<projet>") && !strstr(xml, "<appreciation>Bien.") &&
               strstr(xml, "<liste-parcours/><appreciation-generale>"),
           "entry edits: removed from the imported bilan, empty parcours gone", xml);
    current_xml(&st, INE_BLANC, xml, sizeof xml);
    expect(!strstr(xml, "Raconter") && !strstr(xml, "R&#xE9;citer") && strstr(xml, "<implication>"),
           "entry edits: removed from the born bilan, the implication stays", xml);
    refused(&st, &sc,
            (lsu_entry_change){.kind = LSU_ENTRY_ELEMENT_MOVE, .domain = "FRA-LGO", .text = "Dire", .value = 3},
            "position 3 : attendu 1 à 2", "entry edits: moving past the end");
    refused(&st, &sc,
            (lsu_entry_change){
                .kind = LSU_ENTRY_ELEMENT_RENAME, .domain = "FRA-LGO", .text = "Dire", .text2 = "ÉCOUTER  UN TEXTE"},
            "élément déjà présent pour la classe", "entry edits: renaming onto another élément");
    lsu_entry_scope_free(&sc);
    drop_school(&st);
}
