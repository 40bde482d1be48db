/* Stage characters: the characters of the file that print as nothing or
 * as something else.
 *
 * XML 1.0 lets a file carry DEL, the C1 controls and the bidirectional
 * marks and overrides (U+202E turns what follows right to left) anywhere,
 * and a tab or a line break inside an attribute when written as a
 * character reference (&#9;, &#10;).  The schema accepts them and LSU keeps
 * them as they are: in a pupil's name they garble the printed bilan and
 * every list it appears in.  Each attribute value and each text holding one
 * gets an alert (REG025) naming the character, its code point and the
 * field; texts keep their line breaks and tabs, which the normaliser
 * handles (NRM001, NRM002).  Nothing is changed: the verdict is LSU's. */
#include "base/util.h"
#include "lsu.h"

#include <string.h>

/* Reports the first such character of `value`, found in the attribute
 * `attribute` of `elem` (NULL: its text). */
static void report(lsu_file *f, xmlNodePtr elem, const char *attribute, const char *value, xmlNodePtr at)
{
    size_t offset;
    uint32_t cp = lsu_utf8_first_invisible(value, attribute != NULL, &offset);
    if (!cp)
        return;
    lsu_subject subj;
    lsu_subject_for_node(&f->index, elem, &subj);
    if (attribute)
        lsu_diag_add(&f->diags, DIAG_REG025, lsu_line(at), &subj,
                     "Caractère invisible U+%04X (%s) dans l'attribut %s de <%s> : LSU le garde tel quel et il "
                     "brouille l'affichage ; retirez-le dans le logiciel de suivi.",
                     (unsigned)cp, lsu_invisible_name(cp), attribute, lsu_name(elem));
    else
        lsu_diag_add(&f->diags, DIAG_REG025, lsu_line(at), &subj,
                     "Caractère invisible U+%04X (%s) dans le texte de <%s> : LSU le garde tel quel et il brouille "
                     "l'affichage ; retirez-le dans le logiciel de suivi.",
                     (unsigned)cp, lsu_invisible_name(cp), lsu_name(elem));
}

/* Walks the whole raw tree once; see the top of the file. */
lsu_stage_status lsu_characters(lsu_file *f)
{
    if (!f->maybe_invisible)
        return LSU_GO_ON; /* no byte of the input could make one (parse.c) */
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    for (xmlNodePtr n = root; n; n = lsu_walk_next(root, n, n->type == XML_ELEMENT_NODE)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = n->properties; a; a = a->next)
            if (a->children && a->children->content)
                report(f, n, (const char *)a->name, (const char *)a->children->content, n);
        for (xmlNodePtr t = n->children; t; t = t->next)
            if (t->type == XML_TEXT_NODE && t->content)
                report(f, n, NULL, (const char *)t->content, t);
    }
    return LSU_GO_ON;
}
