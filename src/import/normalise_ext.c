/* The normalise stage's XSLT extensions (namespace urn:lsu:extensions),
 * for what XSLT 1.0 does badly or slowly: functions that clean texts,
 * resolve IDREFS to canonical elements, give sort keys, the level and cycle
 * of a class label, the source line, index and rank of a bilan; elements
 * that write the acquis, parcours and responsables straight into the result
 * tree.  Registered once by lsu_normalise_register (runtime.c). */
#include "base/text.h"
#include "import/nomenclature.h"
#include "import/normalise_int.h"

#include <libxml/xpathInternals.h>
#include <libxslt/extensions.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- extension functions ---- */

/* The state of the current transformation. */
static normalise_state *state_of(xmlXPathParserContextPtr ctxt)
{
    xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);
    return tctxt ? tctxt->_private : NULL;
}

/* Pops the single argument as a node (first of a node-set), NULL if none;
 * a non-node-set argument is left in *other (caller frees). */
static xmlNodePtr pop_node(xmlXPathParserContextPtr ctxt, xmlXPathObjectPtr *other)
{
    xmlXPathObjectPtr obj = valuePop(ctxt);
    *other = NULL;
    if (!obj)
        return NULL;
    if (obj->type == XPATH_NODESET) {
        xmlNodePtr n = obj->nodesetval && obj->nodesetval->nodeNr ? obj->nodesetval->nodeTab[0] : NULL;
        xmlXPathFreeObject(obj);
        return n;
    }
    *other = obj;
    return NULL;
}

/* lsu:text(node-or-string): the cleaned text; counts what changed. */
static void ext_text(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    normalise_state *st = state_of(ctxt);
    xmlXPathObjectPtr other;
    xmlNodePtr node = pop_node(ctxt, &other);
    xmlChar *raw = node ? xmlNodeGetContent(node) : other ? xmlXPathCastToString(other) : xmlStrdup(BAD_CAST "");
    xmlXPathFreeObject(other);
    if (!st || !raw) {
        xmlFree(raw);
        valuePush(ctxt, xmlXPathNewCString(""));
        return;
    }
    st->buf.len = 0;
    int flags = lsu_text_normalise((const char *)raw, &st->buf);
    xmlFree(raw);
    long line = node ? lsu_line(node) : 0;
    if (flags & LSU_TEXT_BREAKS) {
        if (!st->breaks_count++)
            st->breaks_line = line;
    }
    if (flags & LSU_TEXT_BLANKS) {
        if (!st->blanks_count++)
            st->blanks_line = line;
    }
    if (st->buf.failed) {
        st->failed = 1;
        valuePush(ctxt, xmlXPathNewCString(""));
        return;
    }
    valuePush(ctxt, xmlXPathNewString(BAD_CAST st->buf.data));
}

/* lsu:line(node): the node's source line, 0 when unknown. */
static void ext_line(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlXPathObjectPtr other;
    xmlNodePtr node = pop_node(ctxt, &other);
    xmlXPathFreeObject(other);
    valuePush(ctxt, xmlXPathNewFloat((double)lsu_line(node)));
}

/* lsu:index(node): 1-based index of the bilan the node belongs to. */
static void ext_index(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    normalise_state *st = state_of(ctxt);
    xmlXPathObjectPtr other;
    xmlNodePtr node = pop_node(ctxt, &other);
    xmlXPathFreeObject(other);
    lsu_bilan *b = st && node ? lsu_index_bilan_of(&st->file->index, node) : NULL;
    valuePush(ctxt, xmlXPathNewFloat(b ? b->index : 0));
}

/* lsu:ref(string): the elements an IDREFS designates, each replaced by the
 * canonical element of its group, without repetition, in reference order. */
static void ext_ref(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    normalise_state *st = state_of(ctxt);
    xmlChar *refs = xmlXPathPopString(ctxt);
    xmlNodeSetPtr set = xmlXPathNodeSetCreate(NULL);
    if (st && refs && set) {
        char token[256];
        const char *p = (const char *)refs;
        while (lsu_next_token(&p, token, sizeof token)) {
            xmlNodePtr target = xmlHashLookup(st->canonical, BAD_CAST token);
            if (!target)
                target = lsu_index_lookup(&st->file->index, token);
            if (target)
                xmlXPathNodeSetAdd(set, target);
        }
    }
    xmlFree(refs);
    valuePush(ctxt, xmlXPathWrapNodeSet(set));
}

/* lsu:rang(bilan): the bilan's place in the normalised order (see
 * rank_bilans), for a numeric xsl:sort. */
static void ext_rang(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    normalise_state *st = state_of(ctxt);
    xmlXPathObjectPtr other;
    xmlNodePtr node = pop_node(ctxt, &other);
    xmlXPathFreeObject(other);
    lsu_bilan *b = st && node ? lsu_index_bilan_of(&st->file->index, node) : NULL;
    valuePush(ctxt, xmlXPathNewFloat(b ? b->sort_rank : 0));
}

/* Shared body of the string -> string extension functions. */
static void ext_string_fn(xmlXPathParserContextPtr ctxt, int nargs, int which)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *s = xmlXPathPopString(ctxt);
    if (which == 0) {
        lsu_buf key = {0};
        lsu_sort_key((const char *)s, &key);
        valuePush(ctxt, xmlXPathNewCString(key.failed || !key.data ? "" : key.data));
        lsu_buf_free(&key);
    } else {
        const char *r = which == 1 ? lsu_class_level((const char *)s) : lsu_class_cycle((const char *)s);
        valuePush(ctxt, xmlXPathNewCString(r));
    }
    xmlFree(s);
}

/* lsu:sortkey(string) */
static void ext_sortkey(xmlXPathParserContextPtr ctxt, int nargs)
{
    ext_string_fn(ctxt, nargs, 0);
}

/* lsu:niveau(string) */
static void ext_niveau(xmlXPathParserContextPtr ctxt, int nargs)
{
    ext_string_fn(ctxt, nargs, 1);
}

/* lsu:cycle(string) */
static void ext_cycle(xmlXPathParserContextPtr ctxt, int nargs)
{
    ext_string_fn(ctxt, nargs, 2);
}

/* lsu:libelle(kind, code): the label of a code ("" when unknown). */
static void ext_libelle(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *code = xmlXPathPopString(ctxt);
    xmlChar *kind = xmlXPathPopString(ctxt);
    valuePush(ctxt, xmlXPathNewCString(lsu_code_label((const char *)kind, (const char *)code)));
    xmlFree(code);
    xmlFree(kind);
}

/* lsu:annee(millesime): "2024-2025" for "2024", "" for anything else. */
static void ext_annee(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *m = xmlXPathPopString(ctxt);
    char out[48];
    lsu_school_year((const char *)m, out, sizeof out);
    xmlFree(m);
    valuePush(ctxt, xmlXPathNewCString(out));
}

/* lsu:periode(indice, nb-periodes): "Trimestre 1", "Semestre 2",
 * "Période 3/5". */
static void ext_periode(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *nb = xmlXPathPopString(ctxt);
    xmlChar *indice = xmlXPathPopString(ctxt);
    char out[64];
    lsu_period_name((const char *)indice, (const char *)nb, out, sizeof out);
    xmlFree(nb);
    xmlFree(indice);
    valuePush(ctxt, xmlXPathNewCString(out));
}

/* ---- extension element lsu:liste-acquis ----
 *
 * The acquis of a bilan are most of the file's nodes (a domain, its
 * sub-domains, their éléments du programme).  libxslt spends thousands of
 * instructions on each XSLT instruction, so this one subtree is written
 * here, in C, straight into the result tree; the stylesheet still decides
 * where it goes.  Output (see docs/NORMALISED.md):
 *   liste-acquis → acquis @code @ligne @positionnement? @non-evalue?
 *                  → element-programme @id @libelle?, appreciation @ligne,
 *                    sous-domaine @code @ligne @positionnement? @non-evalue? → element-programme
 * A domain's label is its code's (lsu_domain_libelle); an élément's is in
 * the file's elements-programme list under its id, and written here only
 * when that list does not give it (a file the schema rejected). */

/* Adds an attribute whose value is stored as libxml2's parser stores it
 * with XML_PARSE_COMPACT and a dictionary: inside its text node when short
 * (codes, numbers, dates), else once in the document's dictionary (the
 * labels every bilan repeats), instead of a copy per attribute; libxml2
 * frees either form with the tree. */
static void new_prop(xmlNodePtr out, const char *name, const char *value)
{
    xmlAttrPtr a = out ? xmlNewProp(out, BAD_CAST name, NULL) : NULL;
    if (!a || !value)
        return;
    size_t len = strlen(value);
    xmlDictPtr dict = out->doc ? out->doc->dict : NULL;
    const xmlChar *shared = len >= 2 * sizeof(void *) && dict ? xmlDictLookup(dict, BAD_CAST value, (int)len) : NULL;
    xmlNodePtr t = xmlNewDocText(out->doc, shared || len < 2 * sizeof(void *) ? NULL : BAD_CAST value);
    if (!t)
        return;
    if (shared) {
        t->content = (xmlChar *)(uintptr_t)shared;
    } else if (len < 2 * sizeof(void *)) {
        memcpy(&t->properties, value, len + 1);
        t->content = (xmlChar *)&t->properties;
    }
    t->parent = (xmlNodePtr)a;
    a->children = a->last = t;
}

/* Adds an attribute with a number value. */
static void prop_long(xmlNodePtr out, const char *name, long v)
{
    /* written by hand: snprintf costs more than the attribute itself here */
    char num[24], *p = num + sizeof num - 1;
    unsigned long u = v < 0 ? 0 : (unsigned long)v;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    new_prop(out, name, p);
}

/* Cleans text with lsu_text_normalise and counts the change like lsu:text. */
static const char *clean_text(normalise_state *st, const char *raw, long line)
{
    size_t len;
    if (raw && lsu_text_is_clean(raw, &len))
        return raw; /* most texts: nothing to copy */
    st->buf.len = 0;
    int flags = lsu_text_normalise(raw ? raw : "", &st->buf);
    if ((flags & LSU_TEXT_BREAKS) && !st->breaks_count++)
        st->breaks_line = line;
    if ((flags & LSU_TEXT_BLANKS) && !st->blanks_count++)
        st->blanks_line = line;
    if (st->buf.failed) {
        st->failed = 1;
        return "";
    }
    return st->buf.data;
}

/* Writes the attributes and éléments shared by acquis and sous-domaine. */
static void write_domain(normalise_state *st, xmlNodePtr src, xmlNodePtr out)
{
    const char *code = lsu_attr(src, "code-domaine");
    new_prop(out, "code", code ? code : "");
    prop_long(out, "ligne", lsu_line(src));
    const char *pos = lsu_attr(src, "positionnement");
    if (pos) /* the schema allows only [1-4]: nothing to clean */
        new_prop(out, "positionnement", pos);
    const char *nonev = lsu_attr(src, "non-evalue");
    if (nonev && (strcmp(nonev, "true") == 0 || strcmp(nonev, "1") == 0))
        new_prop(out, "non-evalue", "oui");
    /* éléments: canonical element of each reference, once, in reference order */
    const char *refs = lsu_attr(src, "element-programme-refs");
    xmlNodePtr seen[64];
    size_t nseen = 0;
    char token[256];
    for (const char *p = refs ? refs : ""; lsu_next_token(&p, token, sizeof token);) {
        xmlNodePtr target = xmlHashLookup(st->canonical, BAD_CAST token);
        if (!target)
            target = lsu_index_lookup(&st->file->index, token);
        if (!named(target, "element-programme"))
            continue;
        int dup = 0;
        for (size_t i = 0; i < nseen && !dup; i++)
            dup = seen[i] == target;
        if (dup)
            continue;
        if (nseen < sizeof seen / sizeof(xmlNodePtr))
            seen[nseen++] = target;
        xmlNodePtr ep = xmlNewChild(out, NULL, BAD_CAST "element-programme", NULL);
        const char *id = lsu_attr(target, "id");
        const char *label = clean_text(st, lsu_attr(target, "libelle"), lsu_line(target));
        const char *listed = st->listed_elements && id ? xmlHashLookup(st->listed_elements, BAD_CAST id) : NULL;
        new_prop(ep, "id", id);
        if (!listed || strcmp(listed, label) != 0)
            new_prop(ep, "libelle", label);
    }
}

/* Adds <name ligne="n">cleaned text of src</name> under out.  The text of
 * an element made of one text node is read in place, not copied. */
static void write_text_child(normalise_state *st, xmlNodePtr out, const char *name, xmlNodePtr src)
{
    xmlChar *owned = NULL;
    const char *raw;
    if (src->children && src->children->type == XML_TEXT_NODE && !src->children->next)
        raw = (const char *)src->children->content;
    else
        raw = (const char *)(owned = xmlNodeGetContent(src));
    long line = lsu_line(src);
    xmlNodePtr n = xmlNewTextChild(out, NULL, BAD_CAST name, BAD_CAST clean_text(st, raw ? raw : "", line));
    xmlFree(owned);
    prop_long(n, "ligne", line);
}

/* Frees a subtree of the source that the stylesheet reads no more, unless
 * an element in it has an id: xsl:key 'id' has indexed every such element
 * (a file the schema rejected may put one anywhere), and a later key()
 * would read it. */
static void free_source(xmlNodePtr subtree)
{
    for (xmlNodePtr n = subtree; n; n = lsu_walk_next(subtree, n, 1))
        if (n->type == XML_ELEMENT_NODE && xmlHasProp(n, BAD_CAST "id"))
            return;
    xmlUnlinkNode(subtree);
    xmlFreeNode(subtree);
}

/* <lsu:liste-acquis/>: the normalised liste-acquis of the current bilan. */
static void elem_liste_acquis(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst, xsltElemPreCompPtr comp)
{
    (void)inst;
    (void)comp;
    normalise_state *st = ctxt->_private;
    if (!st || !ctxt->insert || !node)
        return;
    if (!st->listed_elements_read) {
        /* the stylesheet writes the list before the bilans */
        /* out of memory: every élément keeps its label inline */
        (void)lsu_element_labels(ctxt->output, &st->listed_elements);
        st->listed_elements_read = 1;
    }
    xmlNodePtr list = xmlNewDocNode(ctxt->output, NULL, BAD_CAST "liste-acquis", NULL);
    if (!list || !xmlAddChild(ctxt->insert, list)) {
        xmlFreeNode(list);
        st->failed = 1;
        return;
    }
    for (xmlNodePtr la = node->children; la; la = la->next) {
        if (!named(la, "liste-acquis"))
            continue;
        for (xmlNodePtr a = la->children; a; a = a->next) {
            if (!named(a, "acquis"))
                continue;
            xmlNodePtr acquis = xmlNewChild(list, NULL, BAD_CAST "acquis", NULL);
            write_domain(st, a, acquis);
            for (xmlNodePtr c = a->children; c; c = c->next) {
                if (named(c, "appreciation")) {
                    write_text_child(st, acquis, "appreciation", c);
                } else if (named(c, "sous-domaines")) {
                    for (xmlNodePtr sd = c->children; sd; sd = sd->next)
                        if (named(sd, "sous-domaine"))
                            write_domain(st, sd, xmlNewChild(acquis, NULL, BAD_CAST "sous-domaine", NULL));
                }
            }
        }
    }
    /* The source acquis are read here and nowhere else after this point
     * (the stylesheet, the rules and the report read the normalised tree):
     * freeing them now keeps the source and the normalised trees from
     * peaking together. */
    for (xmlNodePtr la = node->children, next; la; la = next) {
        next = la->next;
        if (named(la, "liste-acquis"))
            free_source(la);
    }
}

/* <lsu:free-source/>, the last instruction of a bilan's template: the
 * source bilan's children have all been read (the bilan element itself
 * stays, with its attributes, for the sort and the index). */
static void elem_free_source(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst, xsltElemPreCompPtr comp)
{
    (void)ctxt;
    (void)inst;
    (void)comp;
    if (!node || node->type != XML_ELEMENT_NODE)
        return;
    for (xmlNodePtr c = node->children, next; c; c = next) {
        next = c->next;
        free_source(c);
    }
}

/* The parcours codes in the order of the printed bilan. */
static const char *const parcours_order[] = {"PAR_CIT", "PAR_ART", "PAR_SAN", "PAR_AVN"};

/* First child parcours of `list` with this code, or NULL. */
static xmlNodePtr parcours_with_code(xmlNodePtr list, const char *code)
{
    for (xmlNodePtr p = list ? list->children : NULL; p; p = p->next) {
        const char *c = named(p, "parcours") ? lsu_attr(p, "code") : NULL;
        if (c && strcmp(c, code) == 0)
            return p;
    }
    return NULL;
}

/* Creates an element under the transformation's insertion point. */
static xmlNodePtr insert_element(xsltTransformContextPtr ctxt, normalise_state *st, const char *name)
{
    xmlNodePtr n = xmlNewDocNode(ctxt->output, NULL, BAD_CAST name, NULL);
    if (!n || !xmlAddChild(ctxt->insert, n)) {
        xmlFreeNode(n);
        st->failed = 1;
        return NULL;
    }
    return n;
}

/* <lsu:liste-parcours/>: for the current bilan périodique, each parcours
 * in the printed order with the class project of the period (from
 * parcours-communs) and the pupil's involvement (liste-parcours). */
static void elem_liste_parcours(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst, xsltElemPreCompPtr comp)
{
    (void)inst;
    (void)comp;
    normalise_state *st = ctxt->_private;
    if (!st || !ctxt->insert || !node)
        return;
    xmlNodePtr list = insert_element(ctxt, st, "liste-parcours");
    if (!list)
        return;
    lsu_bilan *b = lsu_index_bilan_of(&st->file->index, node);
    xmlNodePtr commun = NULL;
    if (b && b->classe_id && lsu_attr(node, "periode-ref")) {
        char key[512];
        snprintf(key, sizeof key, "%s|%s", lsu_attr(node, "periode-ref"), b->classe_id);
        commun = xmlHashLookup(st->communs, BAD_CAST key);
    }
    xmlNodePtr own = NULL;
    for (xmlNodePtr c = node->children; c && !own; c = c->next)
        if (named(c, "liste-parcours"))
            own = c;
    for (size_t i = 0; i < sizeof parcours_order / sizeof *parcours_order; i++) {
        xmlNodePtr projet = parcours_with_code(commun, parcours_order[i]);
        xmlNodePtr implication = parcours_with_code(own, parcours_order[i]);
        if (!projet && !implication)
            continue;
        xmlNodePtr p = xmlNewChild(list, NULL, BAD_CAST "parcours", NULL);
        new_prop(p, "code", parcours_order[i]);
        new_prop(p, "libelle", lsu_code_label("parcours", parcours_order[i]));
        prop_long(p, "ligne", lsu_line(projet ? projet : implication));
        if (projet)
            write_text_child(st, p, "projet", projet);
        if (implication)
            write_text_child(st, p, "implication", implication);
    }
}

/* Copies an attribute with its blanks collapsed (XPath normalize-space). */
static void prop_normalized(xmlNodePtr out, xmlNodePtr src, const char *name)
{
    const char *v = lsu_attr(src, name);
    if (!v)
        return;
    xmlChar *copy = xmlStrdup(BAD_CAST v);
    if (!copy)
        return;
    size_t o = 0;
    for (size_t i = 0; copy[i]; i++) {
        int blank = copy[i] == ' ' || copy[i] == '\t' || copy[i] == '\n' || copy[i] == '\r';
        if (blank && (o == 0 || copy[o - 1] == ' '))
            continue;
        copy[o++] = blank ? ' ' : copy[i];
    }
    while (o > 0 && copy[o - 1] == ' ')
        o--;
    copy[o] = '\0';
    new_prop(out, name, (const char *)copy);
    xmlFree(copy);
}

/* <lsu:responsables/>: the legal guardians of the current bilan and their
 * addresses, names and address lines with blanks collapsed. */
static void elem_responsables(xsltTransformContextPtr ctxt, xmlNodePtr node, xmlNodePtr inst, xsltElemPreCompPtr comp)
{
    (void)inst;
    (void)comp;
    normalise_state *st = ctxt->_private;
    if (!st || !ctxt->insert || !node)
        return;
    static const char *const address_parts[] = {"ligne1", "ligne2", "ligne3", "ligne4", "code-postal", "commune"};
    for (xmlNodePtr rs = node->children; rs; rs = rs->next) {
        if (!named(rs, "responsables"))
            continue;
        xmlNodePtr list = insert_element(ctxt, st, "responsables");
        if (!list)
            return;
        for (xmlNodePtr r = rs->children; r; r = r->next) {
            if (!named(r, "responsable"))
                continue;
            xmlNodePtr out = xmlNewChild(list, NULL, BAD_CAST "responsable", NULL);
            prop_long(out, "ligne", lsu_line(r));
            prop_normalized(out, r, "civilite");
            prop_normalized(out, r, "nom");
            prop_normalized(out, r, "prenom");
            prop_normalized(out, r, "lien-parente");
            for (xmlNodePtr a = r->children; a; a = a->next) {
                if (!named(a, "adresse"))
                    continue;
                xmlNodePtr adr = xmlNewChild(out, NULL, BAD_CAST "adresse", NULL);
                for (size_t i = 0; i < sizeof address_parts / sizeof *address_parts; i++)
                    prop_normalized(adr, a, address_parts[i]);
            }
        }
    }
}

/* Registers the extension functions once for the whole process. */

/* See normalise_int.h. */
void lsu_normalise_register(void)
{
    xsltRegisterExtModuleFunction(BAD_CAST "text", BAD_CAST EXT_NS, ext_text);
    xsltRegisterExtModuleFunction(BAD_CAST "line", BAD_CAST EXT_NS, ext_line);
    xsltRegisterExtModuleFunction(BAD_CAST "index", BAD_CAST EXT_NS, ext_index);
    xsltRegisterExtModuleFunction(BAD_CAST "ref", BAD_CAST EXT_NS, ext_ref);
    xsltRegisterExtModuleFunction(BAD_CAST "sortkey", BAD_CAST EXT_NS, ext_sortkey);
    xsltRegisterExtModuleFunction(BAD_CAST "niveau", BAD_CAST EXT_NS, ext_niveau);
    xsltRegisterExtModuleFunction(BAD_CAST "cycle", BAD_CAST EXT_NS, ext_cycle);
    xsltRegisterExtModuleFunction(BAD_CAST "libelle", BAD_CAST EXT_NS, ext_libelle);
    xsltRegisterExtModuleFunction(BAD_CAST "rang", BAD_CAST EXT_NS, ext_rang);
    xsltRegisterExtModuleFunction(BAD_CAST "annee", BAD_CAST EXT_NS, ext_annee);
    xsltRegisterExtModuleFunction(BAD_CAST "periode", BAD_CAST EXT_NS, ext_periode);
    xsltRegisterExtModuleElement(BAD_CAST "liste-acquis", BAD_CAST EXT_NS, NULL, elem_liste_acquis);
    xsltRegisterExtModuleElement(BAD_CAST "liste-parcours", BAD_CAST EXT_NS, NULL, elem_liste_parcours);
    xsltRegisterExtModuleElement(BAD_CAST "responsables", BAD_CAST EXT_NS, NULL, elem_responsables);
    xsltRegisterExtModuleElement(BAD_CAST "free-source", BAD_CAST EXT_NS, NULL, elem_free_source);
}
