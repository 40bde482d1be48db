/* Stage detect: is this an LSU export, and for which school level?
 *
 * The root element and its namespace, then @schemaVersion, then the first
 * child of `donnees` tell an école (1d) file from a collège (2d) one: both
 * share the namespace and the root.  A collège file is reported as such and
 * never validated against the école schema. */
#include "lsu.h"

#include <string.h>

/* Collège schema versions (FORMAT.md §1). */
static const char *const college_versions[] = {"2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "10.0"};

/* First element child of node, or NULL. */
static xmlNodePtr first_element(xmlNodePtr node)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

/* Borrowed text of an element made of one text node (NULL otherwise). */
static const char *simple_text(xmlNodePtr node)
{
    if (node && node->children && node->children->type == XML_TEXT_NODE && !node->children->next)
        return (const char *)node->children->content;
    return NULL;
}

/* Child element of node named name, or NULL. */
static xmlNodePtr child_named(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

/* Detects the kind of file; stops on anything but an école file. */
lsu_stage_status lsu_detect(lsu_file *f)
{
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    if (root && strcmp((const char *)root->name, "lsun-bilans") == 0 &&
        (!root->ns || strcmp((const char *)root->ns->href, LSU_NS) != 0)) {
        lsu_diag_add(&f->diags, DIAG_FMT001, lsu_line(root), NULL,
                     "L'élément racine <lsun-bilans> n'est pas dans l'espace de noms %s (%s%s) : le fichier ne suit "
                     "pas le format d'import.",
                     LSU_NS, root->ns ? "trouvé : " : "aucun espace de noms",
                     root->ns ? (const char *)root->ns->href : "");
        return LSU_STOP_FILE;
    }
    if (!root || strcmp((const char *)root->name, "lsun-bilans") != 0) {
        const char *ns = root && root->ns ? (const char *)root->ns->href : "";
        lsu_diag_add(&f->diags, DIAG_FMT001, lsu_line(root), NULL,
                     "L'élément racine est <%s>%s%s%s au lieu de <lsun-bilans> (espace de noms %s) : ce n'est "
                     "pas un export LSU.",
                     root ? (const char *)root->name : "?", ns[0] ? " (espace de noms " : "", ns, ns[0] ? ")" : "",
                     LSU_NS);
        return LSU_STOP_FILE;
    }
    xmlNodePtr entete = child_named(root, "entete");
    f->uai = simple_text(child_named(entete, "etablissement"));
    f->editeur = simple_text(child_named(entete, "editeur"));
    f->application = simple_text(child_named(entete, "application"));

    const char *version = lsu_attr(root, "schemaVersion");
    f->schema_version = version;
    xmlNodePtr first = first_element(child_named(root, "donnees"));
    const char *first_name = first ? (const char *)first->name : "";
    int college_version = 0;
    for (size_t i = 0; version && i < sizeof college_versions / sizeof *college_versions; i++)
        if (strcmp(version, college_versions[i]) == 0)
            college_version = 1;
    if (strcmp(first_name, "responsables-etab") == 0 || (college_version && strcmp(first_name, "directeurs") != 0)) {
        lsu_diag_add(&f->diags, DIAG_FMT002, lsu_line(root), NULL,
                     "Ce fichier est un import de bilans du collège (version de schéma %s) : lsu ne traite que "
                     "les bilans de l'école élémentaire (version 1.0).",
                     version ? version : "absente");
        return LSU_STOP_FILE;
    }
    if (!version || strcmp(version, "1.0") != 0) {
        lsu_diag_add(&f->diags, DIAG_FMT003, lsu_line(root), NULL,
                     "Version de schéma %s%s%s : le format école attend schemaVersion=\"1.0\".",
                     version ? "« " : "absente", version ? version : "", version ? " »" : "");
        return LSU_STOP_FILE;
    }
    return LSU_GO_ON;
}
