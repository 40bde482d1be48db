/* Unit tests of the export to LSU: the files' names, and one file's
 * document made from stored bilans whose ids collide or are no NCName,
 * whose directeurs differ, checked against the project's schema; bilans
 * entered in the store (the teachers' entry) exported. */
#include "school/export.h"
#include "base/util.h"
#include "lsu.h"
#include "school/entry.h"
#include "school/export_int.h"
#include "school/school.h"
#include "test.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>

/* One name case. */
static void name_case(const char *group, const char *niveau, int periode, int cycle, const char *want)
{
    lsu_export_options o = {.niveau = niveau, .periode = periode, .cycle = cycle};
    char *got = lsu_export_file_name("0290347V", group, &o), *name = lsu_asprintf("export name %s", want);
    test_str(got, want, name ? name : want);
    free(name);
    free(got);
}

/* A stored bilan périodique of pupil `ine` (stored id `eleve_id`), its
 * directeur `dir` (a directeur element or ""), its PAR_CIT projet. */
static char *stored(const char *ine, const char *eleve_id, const char *nom, const char *dir, const char *projet)
{
    return lsu_asprintf(
        "<bilan-periodique eleve-id='%s' ine='%s' nom='%s' prenom='Léa' classe-id='CL_1' classe='CE1 A' "
        "id-be='181366' niveau='CE1' periode-id='PER_T1' millesime='2024' indice='1' nb-periodes='3' "
        "date-debut='2024-09-02' date-fin='2024-11-30' date-creation='2024-11-19' date-scolarite='2024-09-02' "
        "date-verrou='2024-11-26T17:48:25'><enseignants><enseignant id='ENS_1' civilite='MME' nom='Dupont' "
        "prenom='Anne'/></enseignants>%s<liste-acquis><acquis code='FRA-RAC' libelle='Français'><appreciation>"
        "Bien.</appreciation><sous-domaine code='FRA-LGO' libelle='Langage oral' positionnement='3'>"
        "<element-programme id='EP_1' libelle='Dire'/></sous-domaine><sous-domaine code='FRA-LEC' "
        "libelle='Lecture' non-evalue='oui'><element-programme id='EP_1' libelle='Lire'/></sous-domaine></acquis>"
        "<acquis code='EPS-RAC' libelle='EPS' positionnement='2'><element-programme id='EP_2' libelle='Dire'/>"
        "</acquis></liste-acquis><liste-parcours><parcours code='PAR_CIT' libelle='Parcours citoyen'><projet>%s"
        "</projet><implication>Actif.</implication></parcours></liste-parcours><appreciation-generale>Bon "
        "trimestre.</appreciation-generale></bilan-periodique>",
        eleve_id, ine, nom, dir, projet);
}

/* The value of attribute `name` of the first element `elem` whose
 * attribute `key` is `value` (NULL key: the first `elem`). */
static const char *find(xmlDocPtr d, const char *elem, const char *key, const char *value, const char *name)
{
    xmlNodePtr root = xmlDocGetRootElement(d);
    for (xmlNodePtr n = root; n; n = lsu_walk_next(root, n, 1))
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, elem) == 0 &&
            (!key || strcmp(lsu_attr_or_empty(n, key), value) == 0))
            return lsu_attr(n, name);
    return NULL;
}

/* Group "export": names, ids, directeurs, éléments, parcours, schema. */
void test_export(void)
{
    name_case("CE1_A", NULL, 0, 0, "0290347V_CE1_A.xml");
    name_case(NULL, NULL, 0, 0, "0290347V_ecole.xml");
    name_case(NULL, "CE1", 2, 0, "0290347V_CE1_periode2.xml");
    name_case("CE2_B", NULL, 0, 1, "0290347V_CE2_B_cycle.xml");

    char *x[3] = {stored("1111111111A", "EL_1", "Martin",
                         "<directeur id='DIR_9' civilite='M' nom='Leroy' prenom='Paul'/>", "Jardin"),
                  stored("2222222222B", "EL_1", "Petit", "", "Autre projet"),
                  stored("3333333333C", "3bad", "Roux",
                         "<directeur id='DIR_1' civilite='MME' nom='Durand' prenom='Lise'/>", "Jardin")};
    xmlDocPtr in[3];
    xmlNodePtr bilans[3];
    const char *verrous[3] = {"2025-07-07T09:20:00Z", "2025-07-07T09:20:00Z", "2025-07-08T10:00:00Z"};
    for (int i = 0; i < 3; i++) {
        in[i] = x[i] ? xmlReadMemory(x[i], (int)strlen(x[i]), "b.xml", "UTF-8", 0) : NULL;
        bilans[i] = in[i] ? xmlDocGetRootElement(in[i]) : NULL;
        free(x[i]);
    }
    lsu_school_identity school = {.directeur_civilite = "MME", .directeur_nom = "DURAND", .directeur_prenom = "Lise"};
    xmlDocPtr d =
        bilans[0] && bilans[1] && bilans[2] ? school_export_doc("0290347V", &school, bilans, verrous, 3) : NULL;
    expect(d != NULL, "export document made", "NULL");
    if (!d)
        return;
    /* ids: kept when free and an NCName, else the next free one */
    test_str(find(d, "eleve", "ine", "1111111111A", "id"), "EL_1", "export first EL_1 kept");
    test_str(find(d, "eleve", "ine", "2222222222B", "id"), "EL_2", "export colliding EL_1 renamed");
    test_str(find(d, "eleve", "ine", "3333333333C", "id"), "EL_3", "export id not an NCName renamed");
    test_str(find(d, "eleve", "ine", "1111111111A", "classe-ref"), "CL_1", "export classe-ref");
    /* the school's directeur first, with the id of a bilan naming her */
    test_str(find(d, "directeur", NULL, NULL, "nom"), "Durand",
             "export school's directeur first, as the bilans spell her");
    test_str(find(d, "directeur", "nom", "Durand", "id"), "DIR_1", "export school's directeur keeps a stored id");
    test_str(find(d, "directeur", "nom", "Leroy", "id"), "DIR_9", "export other directeur kept");
    test_str(find(d, "bilan-periodique", "eleve-ref", "EL_1", "directeur-ref"), "DIR_9",
             "export bilan keeps its directeur");
    test_str(find(d, "bilan-periodique", "eleve-ref", "EL_2", "directeur-ref"), "DIR_1",
             "export bilan without directeur gets the school's");
    /* dates, éléments by label (EP_1 for Dire; Lire another id), non-evalue */
    test_str(find(d, "bilan-periodique", "eleve-ref", "EL_3", "date-verrou"), "2025-07-08T10:00:00",
             "export date-verrou is the lock");
    test_str(find(d, "element-programme", "libelle", "Dire", "id"), "EP_1", "export element kept");
    test_str(find(d, "element-programme", "libelle", "Lire", "id"), "EP_2", "export element renamed");
    test_str(find(d, "sous-domaine", "code-domaine", "FRA-LEC", "non-evalue"), "true", "export non-evalue");
    test_str(find(d, "sous-domaine", "code-domaine", "FRA-LEC", "element-programme-refs"), "EP_2",
             "export element refs");
    test_str(find(d, "acquis", "code-domaine", "EPS-RAC", "element-programme-refs"), "EP_1",
             "export element refs by label");
    /* one parcours-commun per class and period: the first projet */
    xmlNodePtr root = xmlDocGetRootElement(d);
    int communs = 0;
    for (xmlNodePtr n = root; n; n = lsu_walk_next(root, n, 1))
        communs += n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "parcours-commun") == 0;
    expect(communs == 1, "export one parcours-commun", "not one");
    /* valid against the project's schema */
    lsu_runtime rt = {0};
    int valid = -1;
    if (lsu_runtime_init(&rt) == 0) {
        xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(rt.schema);
        valid = v ? xmlSchemaValidateDoc(v, d) : -1;
        xmlSchemaFreeValidCtxt(v);
    }
    lsu_runtime_free(&rt);
    expect(valid == 0, "export document valid", "invalid");
    xmlFreeDoc(d);
    for (int i = 0; i < 3; i++)
        xmlFreeDoc(in[i]);
}

/* Group "export-entry": bilans born in the store (the teachers' entry),
 * complete and locked, exported: one file, valid, and the pipeline finds
 * nothing to say of it (no alert, no rejection). */
void test_export_entry(void)
{
    char dir[64], out[96];
    setenv("SOURCE_DATE_EPOCH", "1732000000", 1); /* 2024-11-19T07:06:40Z */
    snprintf(dir, sizeof dir, "/tmp/lsu-export-XXXXXX");
    lsu_store st = {0};
    if (!expect(mkdtemp(dir) && lsu_store_open(&st, dir, "0290347V", 1) == STORE_OK, "export entry: store", st.error))
        return;
    snprintf(out, sizeof out, "%s/out", dir);
    int rc = lsu_store_exec(
        &st, "INSERT INTO periodicities(id, name, kind, millesime) VALUES (1, 'Trimestre', 'trimestre', 2024);"
             "INSERT INTO periods VALUES (1, 1, 'Trimestre 1', '2024-09-02', '2024-11-30'),"
             " (1, 2, 'Trimestre 2', '2024-12-01', '2025-03-08'), (1, 3, 'Trimestre 3', '2025-03-09', '2025-07-05');"
             "INSERT INTO classes(id_be, libelle, niveau, cycle, import_mode, periodicity_id) VALUES"
             " ('181366', 'CE1 A', 'CE1', 2, 'manuelle', 1);"
             "INSERT INTO pupils(ine, nom, prenom, niveau, cycle, classe_id_be) VALUES"
             " ('3081949387L', 'Blanc', 'Loïc', 'CE1', 2, '181366'), ('1234567890A', 'Dupont', 'Marie', 'CE1', 2, "
             "'181366');"
             "INSERT INTO teachers(civilite, nom, prenom, classes) VALUES ('Mme', 'Dupont', 'Valérie', 'CE1 A');"
             "INSERT INTO school(id, directeur_civilite, directeur_nom, directeur_prenom) VALUES (1, 'M', "
             "'CARPENTIER', 'Damien')");
    lsu_entry_scope sc;
    lsu_buf why = {0};
    rc = rc == 0 ? lsu_entry_scope_open(&st, "CE1 A", "1", &sc, &why) : -1;
    lsu_buf_free(&why);
    if (!expect(rc == 0, "export entry: scope", st.error)) {
        lsu_store_close(&st);
        lsu_remove_tree(dir);
        return;
    }
    static const char *const ines[] = {"3081949387L", "1234567890A"};
    lsu_entry_change ch[16] = {{.kind = LSU_ENTRY_ELEMENT_ADD, .domain = "FRA-LGO", .text = "Écouter pour comprendre"},
                               {.kind = LSU_ENTRY_PARCOURS, .domain = "PAR_CIT", .text = "Jardin de l'école."}};
    size_t n = 2;
    for (int i = 0; i < 2; i++) {
        ch[n++] = (lsu_entry_change){.kind = LSU_ENTRY_POSITION, .ine = ines[i], .domain = "FRA-LGO", .value = 3};
        ch[n++] = (lsu_entry_change){
            .kind = LSU_ENTRY_APPRECIATION, .ine = ines[i], .domain = "FRA-RAC", .text = "Lit avec aisance."};
        ch[n++] = (lsu_entry_change){
            .kind = LSU_ENTRY_APPRECIATION, .ine = ines[i], .domain = "MAT-RAC", .text = "Calcule vite."};
        ch[n++] = (lsu_entry_change){
            .kind = LSU_ENTRY_APPRECIATION, .ine = ines[i], .domain = "EPS-RAC", .text = "Très engagé."};
        ch[n++] = (lsu_entry_change){.kind = LSU_ENTRY_GENERALE, .ine = ines[i], .text = "Bon trimestre."};
        ch[n++] = (lsu_entry_change){
            .kind = LSU_ENTRY_PARCOURS, .ine = ines[i], .domain = "PAR_CIT", .text = "Arrose les plants."};
    }
    lsu_entry_options eo = {.author = "Mme Dupont"};
    lsu_entry_result res;
    rc = lsu_entry_apply(&st, &sc, ch, n, &eo, &res);
    expect(rc == 0 && res.created == 2, "export entry: two bilans entered", res.why);
    lsu_entry_result_free(&res);
    lsu_entry_scope_free(&sc);
    lsu_buf text = {0};
    lsu_selection all = {.school = 1};
    setenv("SOURCE_DATE_EPOCH", "1733000000", 1); /* locked 2024-11-30T20:53:20Z */
    expect(lsu_school_lock(&st, &all, 0, &text) == 0, "export entry: locked", text.data);
    lsu_runtime rt = {0};
    lsu_export_options o = {0};
    lsu_export_counts counts;
    char *error = NULL;
    rc = lsu_runtime_init(&rt) == 0 ? 0 : -1;
    o.schema = rt.schema;
    rc = rc == 0 ? lsu_school_export(&st, &o, out, &counts, &text, &error) : -1;
    expect(rc == 0 && counts.exported == 2 && counts.files == 1 && counts.unlocked == 0,
           "export entry: two bilans in one file", error ? error : text.data);
    char *path = lsu_asprintf("%s/0290347V_CE1_A.xml", out);
    lsu_file *f = path ? lsu_file_new(path) : NULL;
    lsu_options po = {.max_size = 1 << 24};
    size_t said = 0;
    if (f && rc == 0 && lsu_pipeline_run(f, &rt, &po) == 0)
        for (size_t i = 0; i < f->diags.len; i++)
            said += f->diags.items[i].severity >= SEV_ALERTE;
    else
        said = 1;
    expect(said == 0 && f && f->index.bilan_count == 2, "export entry: the pipeline finds no alert", path);
    xmlDocPtr d = path ? xmlReadFile(path, NULL, 0) : NULL;
    test_str(d ? find(d, "bilan-periodique", NULL, NULL, "date-verrou") : NULL, "2024-11-30T20:53:20",
             "export entry: date-verrou is the lock");
    test_str(d ? find(d, "directeur", NULL, NULL, "nom") : NULL, "CARPENTIER", "export entry: the school's directeur");
    test_str(d ? find(d, "parcours-commun", NULL, NULL, "classe-ref") : NULL, "CL_181366",
             "export entry: the class's parcours");
    xmlFreeDoc(d);
    lsu_file_free(f);
    free(path);
    free(error);
    lsu_buf_free(&text);
    lsu_runtime_free(&rt);
    setenv("SOURCE_DATE_EPOCH", "1751274000", 1);
    lsu_store_close(&st);
    lsu_remove_tree(dir);
}
