/* What the two files of the normalise stage share (normalise.c runs the
 * stage, normalise_ext.c holds the XSLT extension functions and elements
 * it calls back). */
#ifndef LSU_NORMALISE_INT_H
#define LSU_NORMALISE_INT_H

#include "lsu.h"

#include <libxml/hash.h>
#include <string.h>

#define EXT_NS "urn:lsu:extensions"

/* Per-file state reachable from the extension functions through the
 * transformation context's _private pointer. */
typedef struct {
    lsu_file *file;
    xmlHashTablePtr canonical; /* id -> canonical element (deduplicated kinds) */
    xmlHashTablePtr communs;   /* "periode-ref|classe-ref" -> parcours-commun */
    /* id -> libelle of the normalised elements-programme list (borrowed
     * from the result tree), read once the stylesheet has written it */
    xmlHashTablePtr listed_elements;
    int listed_elements_read;
    long breaks_count, breaks_line;
    long blanks_count, blanks_line;
    lsu_buf buf;
    int failed;
} normalise_state;

/* Is node an element named name (any namespace: the source is validated)? */
static inline int named(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* Registers the extension functions and elements with libxslt, once per
 * process (runtime.c). */
void lsu_normalise_register(void);

#endif
