/* Unit tests of the school's readers of stored and normalised bilans: the
 * « ? » of the guide (what a bilan lacks to be locked) and the labels. */
#include "school/school.h"
#include "base/util.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

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

/* Group "missing": what complete and incomplete bilans lack. */
void test_missing(void)
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

/* Group "labels": the label readers of the normalised form, version 2 and
 * stored form. */
void test_labels(void)
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
