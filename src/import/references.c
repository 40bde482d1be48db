/* Stage references: every IDREF and IDREFS of the file resolved.
 *
 * libxml2's schema validation accepts a reference to no identifier, an
 * empty list of references, and a reference to the wrong kind of element;
 * Java validators, and so LSU, do not.  Each reference attribute of the
 * format is listed below with the element it must designate.  A reference
 * to nothing (REF001) or an empty list (REF002) is a schema error for a Java
 * validator: it refuses the file, wherever it lies.  A reference to the wrong
 * kind of element (REF003), which no schema sees, rejects its bilan (the
 * file when it lies outside any bilan or pupil).  This
 * stage also counts which éléments du programme are used
 * (REG018: declared but never referenced). */
#include "base/util.h"
#include "lsu.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *element;   /* element carrying the reference */
    const char *attribute; /* reference attribute */
    const char *target;    /* element it must designate */
    int is_list;           /* IDREFS */
    const char *what;      /* French noun for messages */
} ref_rule;

static const ref_rule ref_rules[] = {
    {"eleve", "classe-ref", "classe", 0, "la classe de l'élève"},
    {"parcours-commun", "periode-ref", "periode", 0, "la période du parcours commun"},
    {"parcours-commun", "classe-ref", "classe", 0, "la classe du parcours commun"},
    {"bilan-periodique", "eleve-ref", "eleve", 0, "l'élève du bilan"},
    {"bilan-periodique", "periode-ref", "periode", 0, "la période du bilan"},
    {"bilan-periodique", "enseignant-refs", "enseignant", 1, "les enseignants du bilan"},
    {"bilan-periodique", "directeur-ref", "directeur", 0, "le directeur du bilan"},
    {"acquis", "element-programme-refs", "element-programme", 1, "les éléments du programme"},
    {"sous-domaine", "element-programme-refs", "element-programme", 1, "les éléments du programme"},
    {"bilan-cycle", "eleve-ref", "eleve", 0, "l'élève du bilan de cycle"},
    {"bilan-cycle", "enseignant-refs", "enseignant", 1, "les enseignants du bilan de cycle"},
    {"bilan-cycle", "directeur-ref", "directeur", 0, "le directeur du bilan de cycle"},
};

/* Checks one token of a reference attribute. */
static void check_token(lsu_file *f, xmlNodePtr elem, const ref_rule *r, const char *token, lsu_subject *subj,
                        xmlHashTablePtr used)
{
    xmlNodePtr target = lsu_index_lookup(&f->index, token);
    long line = lsu_line(elem);
    if (!target) {
        lsu_diag_add(&f->diags, DIAG_REF001, line, subj,
                     "La référence « %s » (attribut %s de <%s> : %s) ne correspond à aucun identifiant du fichier.",
                     token, r->attribute, r->element, r->what);
        return;
    }
    if (strcmp(lsu_name(target), r->target) != 0) {
        /* bloquant for the bilans it concerns; outside them (a parcours
         * commun, say) nothing can be imported around it: fatal */
        lsu_diag_add_sev(&f->diags, DIAG_REF003, subj->scope == SCOPE_FILE ? SEV_FATAL : SEV_BLOQUANT, line, subj,
                         "La référence « %s » (attribut %s de <%s> : %s) désigne un élément <%s> au lieu d'un élément "
                         "<%s>.",
                         token, r->attribute, r->element, r->what, lsu_name(target), r->target);
        return;
    }
    if (used)
        xmlHashAddEntry(used, (const xmlChar *)token, target);
}

/* Checks one reference attribute of one element. */
static void check_attribute(lsu_file *f, xmlNodePtr elem, const ref_rule *r, xmlHashTablePtr used)
{
    const char *value = lsu_attr(elem, r->attribute);
    if (!value)
        return; /* absent: the schema reports a required one */
    lsu_subject subj;
    lsu_subject_for_node(&f->index, elem, &subj);
    const char *p = value;
    int tokens = 0;
    char token[256];
    while (lsu_next_token(&p, token, sizeof token)) {
        tokens++;
        if (!r->is_list && tokens > 1)
            break; /* the schema reports a list in a single reference */
        check_token(f, elem, r, token, &subj, strcmp(r->target, "element-programme") == 0 ? used : NULL);
    }
    if (tokens == 0 && r->is_list)
        lsu_diag_add(&f->diags, DIAG_REF002, lsu_line(elem), &subj,
                     "L'attribut %s de <%s> (%s) est présent mais ne contient aucune référence.", r->attribute,
                     r->element, r->what);
}

/* Applies the rules of ref_rules matching this element. */
static void check_element(lsu_file *f, xmlNodePtr elem, xmlHashTablePtr used)
{
    const char *name = lsu_name(elem);
    for (size_t i = 0; i < sizeof ref_rules / sizeof *ref_rules; i++)
        if (strcmp(ref_rules[i].element, name) == 0)
            check_attribute(f, elem, &ref_rules[i], used);
}

/* Reports the éléments du programme that nothing references. */
static void report_unused(lsu_file *f, xmlNodePtr root, xmlHashTablePtr used)
{
    for (xmlNodePtr donnees = root->children; donnees; donnees = donnees->next) {
        if (donnees->type != XML_ELEMENT_NODE || strcmp(lsu_name(donnees), "donnees") != 0)
            continue;
        for (xmlNodePtr list = donnees->children; list; list = list->next) {
            if (list->type != XML_ELEMENT_NODE || strcmp(lsu_name(list), "elements-programme") != 0)
                continue;
            for (xmlNodePtr ep = list->children; ep; ep = ep->next) {
                if (ep->type != XML_ELEMENT_NODE)
                    continue;
                const char *id = lsu_attr(ep, "id");
                if (id && !xmlHashLookup(used, (const xmlChar *)id)) {
                    const char *libelle = lsu_attr(ep, "libelle");
                    char *shown = lsu_utf8_shorten(libelle ? libelle : "", 60);
                    lsu_diag_add(&f->diags, DIAG_REG018, lsu_line(ep), NULL,
                                 "L'élément du programme « %s » (%s) n'est utilisé par aucun bilan.",
                                 shown ? shown : "", id);
                    free(shown);
                }
            }
        }
    }
}

/* Walks the whole tree once; see the top of the file. */
lsu_stage_status lsu_references(lsu_file *f)
{
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    if (!root)
        return LSU_GO_ON;
    xmlHashTablePtr used = xmlHashCreate(256);
    if (!used) {
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante.");
        return LSU_STOP_FILE;
    }
    for (xmlNodePtr n = root; n; n = lsu_walk_next(root, n, n->type == XML_ELEMENT_NODE)) {
        if (n->type == XML_ELEMENT_NODE)
            check_element(f, n, used);
    }
    report_unused(f, root, used);
    xmlHashFree(used, NULL);
    return LSU_GO_ON;
}
