/* Stage index: one walk over the raw tree that records every @id and every
 * bilan (with its pupil, class and period), so that later stages can
 * attribute a problem found anywhere to the bilan, the pupil and the class
 * it concerns.  Nothing here judges the file: a missing attribute or a
 * dangling reference simply leaves a field NULL. */
#include "base/text.h"
#include "base/util.h"
#include "import/nomenclature.h"
#include "lsu.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns an attribute's value borrowed from the tree ("" when the value is
 * empty, NULL when absent).  Values hold a single text child once parsed
 * without entity substitution and without a DTD. */
const char *lsu_attr(xmlNodePtr node, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0) {
            if (!a->children)
                return "";
            if (a->children->type == XML_TEXT_NODE && a->children->next == NULL)
                return a->children->content ? (const char *)a->children->content : "";
            return NULL; /* entity references: not produced by our parse options */
        }
    }
    return NULL;
}

/* See lsu.h. */
const char *lsu_attr_or_empty(xmlNodePtr node, const char *name)
{
    const char *v = lsu_attr(node, name);
    return v ? v : "";
}

/* See lsu.h.  Year and cycle are cut at 8 bytes and the numbers written
 * at fixed widths, so that byte order is the order wanted. */
char *lsu_bilan_order_key(const lsu_order_fields *o)
{
    lsu_buf key = {0};
    lsu_sort_key(o->classe ? o->classe : "", &key);
    lsu_buf_puts(&key, "\x01");
    lsu_sort_key(o->nom ? o->nom : "", &key);
    lsu_buf_puts(&key, "\x01");
    lsu_sort_key(o->prenom ? o->prenom : "", &key);
    lsu_buf_printf(&key, "\x01%s\x01", o->ine ? o->ine : "");
    if (o->periodique) {
        int n = o->millesime ? (int)(o->millesime_len < 8 ? o->millesime_len : 8) : 0;
        lsu_buf_printf(&key, "%.*s\x01%08ld", n, o->millesime ? o->millesime : "", o->indice);
    } else {
        int n = o->cycle ? (int)(o->cycle_len < 8 ? o->cycle_len : 8) : 0;
        lsu_buf_printf(&key, "%.*s", n, o->cycle ? o->cycle : "");
    }
    lsu_buf_printf(&key, "\x01%020lld", o->tiebreak);
    if (key.failed) {
        lsu_buf_free(&key);
        return NULL;
    }
    return key.data;
}

/* Returns the element's local name. */
const char *lsu_name(xmlNodePtr node)
{
    return node && node->name ? (const char *)node->name : "";
}

/* Returns the source line of a node. */
long lsu_line(xmlNodePtr node)
{
    if (!node)
        return 0;
    if (node->type == XML_ATTRIBUTE_NODE)
        node = node->parent;
    long l = xmlGetLineNo(node);
    return l > 0 ? l : 0;
}

/* See lsu.h. */
xmlNodePtr lsu_walk_next(xmlNodePtr root, xmlNodePtr n, int enter)
{
    if (enter && n->children)
        return n->children;
    while (n && !n->next && n != root)
        n = n->parent;
    if (!n || n == root)
        return NULL;
    return n->next;
}

/* Is `node` an element of the LSU namespace named `name`? */
static int is_lsu(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0 && node->ns &&
           node->ns->href && strcmp((const char *)node->ns->href, LSU_NS) == 0;
}

/* Returns the element with this id, or NULL. */
xmlNodePtr lsu_index_lookup(lsu_index *ix, const char *id)
{
    if (!ix->ids || !id)
        return NULL;
    return xmlHashLookup(ix->ids, (const xmlChar *)id);
}

/* "Trimestre 1", "Semestre 2", "Période 3/5" for a periode element; owned
 * by the caller.  `millesime` "2024" gives the year "2024-2025". */
static char *period_label(xmlNodePtr periode)
{
    const char *indice = lsu_attr(periode, "indice");
    char name[64], year[48];
    lsu_period_name(indice && *indice ? indice : "?", lsu_attr(periode, "nb-periodes"), name, sizeof name);
    lsu_school_year(lsu_attr(periode, "millesime"), year, sizeof year);
    return lsu_asprintf("%s%s%s", name, year[0] ? " " : "", year);
}

/* Records one bilan element; returns -1 when memory ran out. */
static int add_bilan(lsu_index *ix, xmlNodePtr node, lsu_bilan_kind kind, size_t *cap)
{
    if (ix->bilan_count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        lsu_bilan *nb = realloc(ix->bilans, ncap * sizeof *nb);
        if (!nb)
            return -1;
        ix->bilans = nb;
        *cap = ncap;
    }
    lsu_bilan *b = &ix->bilans[ix->bilan_count];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->index = (int)(kind == BILAN_PERIODIQUE ? ++ix->periodique_count : ++ix->cycle_count);
    b->line = lsu_line(node);
    b->node = node;
    ix->bilan_count++;
    return 0;
}

/* Sets *out to a copy of value (NULL stays NULL); -1 when memory ran out. */
static int owned_copy(char **out, const char *value)
{
    *out = lsu_strdup_or_null(value);
    return value && !*out ? -1 : 0;
}

/* Fills the pupil, class and period of every bilan once all ids are known. */
static int resolve_bilans(lsu_index *ix)
{
    ix->periodiques = calloc(ix->periodique_count + 1, sizeof(lsu_bilan *));
    ix->cycles = calloc(ix->cycle_count + 1, sizeof(lsu_bilan *));
    if (!ix->periodiques || !ix->cycles)
        return -1;
    for (size_t i = 0; i < ix->bilan_count; i++) {
        lsu_bilan *b = &ix->bilans[i];
        if (b->kind == BILAN_PERIODIQUE)
            ix->periodiques[b->index - 1] = b;
        else
            ix->cycles[b->index - 1] = b;
        b->node->_private = (void *)(uintptr_t)(i + 1);
        /* copied, not borrowed: the raw tree is freed once normalised */
        const char *eleve_ref = lsu_attr(b->node, "eleve-ref");
        if (owned_copy(&b->eleve_id, eleve_ref) < 0)
            return -1;
        xmlNodePtr eleve = lsu_index_lookup(ix, eleve_ref);
        if (eleve && is_lsu(eleve, "eleve")) {
            const char *classe_ref = lsu_attr(eleve, "classe-ref");
            if (owned_copy(&b->ine, lsu_attr(eleve, "ine")) < 0 || owned_copy(&b->nom, lsu_attr(eleve, "nom")) < 0 ||
                owned_copy(&b->prenom, lsu_attr(eleve, "prenom")) < 0 || owned_copy(&b->classe_id, classe_ref) < 0)
                return -1;
            xmlNodePtr classe = lsu_index_lookup(ix, classe_ref);
            if (classe && is_lsu(classe, "classe")) {
                const char *libelle = lsu_attr(classe, "libelle");
                if (owned_copy(&b->classe_libelle, libelle ? libelle : lsu_attr(classe, "id-be")) < 0)
                    return -1;
            }
        }
        if (b->nom || b->prenom) {
            b->eleve = lsu_asprintf("%s%s%s", b->nom ? b->nom : "", b->nom && b->prenom ? " " : "",
                                    b->prenom ? b->prenom : "");
            if (!b->eleve)
                return -1;
        }
        if (b->kind == BILAN_PERIODIQUE) {
            xmlNodePtr periode = lsu_index_lookup(ix, lsu_attr(b->node, "periode-ref"));
            if (periode && is_lsu(periode, "periode")) {
                b->periode = period_label(periode);
                if (!b->periode)
                    return -1;
            }
        } else {
            const char *mil = lsu_attr(b->node, "millesime");
            const char *cycle = lsu_attr(b->node, "cycle");
            char *end = NULL;
            long y = mil ? strtol(mil, &end, 10) : 0;
            if (mil && end && *end == '\0' && strlen(mil) == 4)
                b->periode = lsu_asprintf("Fin de cycle %s %ld-%ld", cycle ? cycle : "?", y, y + 1);
            else
                b->periode = lsu_asprintf("Fin de cycle %s", cycle ? cycle : "?");
            if (!b->periode)
                return -1;
        }
    }
    return 0;
}

/* Walks the tree: ids into the hash, bilans into the array. */
lsu_stage_status lsu_index_build(lsu_file *f)
{
    lsu_index *ix = &f->index;
    ix->ids = xmlHashCreate(1024);
    size_t cap = 0;
    if (!ix->ids)
        goto oom;
    xmlNodePtr root = xmlDocGetRootElement(f->doc);
    /* bilans are not entered: nothing inside one carries an @id */
    for (xmlNodePtr n = root; n;) {
        int enter = 0;
        if (n->type == XML_ELEMENT_NODE) {
            const char *id = lsu_attr(n, "id");
            if (id && *id && !xmlHashLookup(ix->ids, (const xmlChar *)id))
                if (xmlHashAddEntry(ix->ids, (const xmlChar *)id, n) < 0)
                    goto oom;
            int periodique = is_lsu(n, "bilan-periodique") && is_lsu(n->parent, "bilans-periodiques");
            int cycle = is_lsu(n, "bilan-cycle") && is_lsu(n->parent, "bilans-cycle");
            if ((periodique || cycle) && add_bilan(ix, n, periodique ? BILAN_PERIODIQUE : BILAN_CYCLE, &cap) < 0)
                goto oom;
            enter = !periodique && !cycle;
        }
        n = lsu_walk_next(root, n, enter);
    }
    if (resolve_bilans(ix) < 0)
        goto oom;
    return LSU_GO_ON;
oom:
    lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante pour indexer le fichier.");
    return LSU_STOP_FILE;
}

/* Returns the bilan containing node (or being node), or NULL. */
lsu_bilan *lsu_index_bilan_of(lsu_index *ix, xmlNodePtr node)
{
    if (node && node->type == XML_ATTRIBUTE_NODE)
        node = node->parent;
    for (; node && node->type == XML_ELEMENT_NODE; node = node->parent) {
        uintptr_t k = (uintptr_t)node->_private;
        if (k && k <= ix->bilan_count && ix->bilans[k - 1].node == node)
            return &ix->bilans[k - 1];
    }
    return NULL;
}

/* Returns the bilan of a kind by its 1-based index, or NULL. */
lsu_bilan *lsu_index_bilan(lsu_index *ix, lsu_bilan_kind kind, long index)
{
    if (kind == BILAN_PERIODIQUE && index >= 1 && (size_t)index <= ix->periodique_count)
        return ix->periodiques[index - 1];
    if (kind == BILAN_CYCLE && index >= 1 && (size_t)index <= ix->cycle_count)
        return ix->cycles[index - 1];
    return NULL;
}

/* Subject of one bilan (borrowed strings). */
void lsu_subject_for_bilan(const lsu_bilan *b, lsu_subject *out)
{
    memset(out, 0, sizeof *out);
    out->scope = SCOPE_BILAN;
    out->bilan_kind = b->kind;
    out->bilan_index = b->index;
    out->eleve_id = b->eleve_id;
    out->ine = b->ine;
    out->eleve = b->eleve;
    out->classe = b->classe_libelle;
    out->periode = b->periode;
}

/* Subject for any node: its bilan, else the file.  Element ids are not
 * enough to find a pupil's bilans here, so problems on an `eleve` element
 * reject the file, as the schema rule says. */
void lsu_subject_for_node(lsu_index *ix, xmlNodePtr node, lsu_subject *out)
{
    lsu_bilan *b = lsu_index_bilan_of(ix, node);
    if (b) {
        lsu_subject_for_bilan(b, out);
        return;
    }
    memset(out, 0, sizeof *out);
    out->scope = SCOPE_FILE;
    if (node && node->type == XML_ATTRIBUTE_NODE)
        node = node->parent;
    if (node && is_lsu(node, "eleve")) {
        const char *nom = lsu_attr(node, "nom"), *prenom = lsu_attr(node, "prenom");
        out->ine = lsu_attr(node, "ine");
        out->eleve_id = lsu_attr(node, "id");
        if (nom || prenom) {
            snprintf(out->storage, sizeof out->storage, "%s%s%s", nom ? nom : "", nom && prenom ? " " : "",
                     prenom ? prenom : "");
            out->eleve = out->storage;
        }
        xmlNodePtr classe = lsu_index_lookup(ix, lsu_attr(node, "classe-ref"));
        if (classe && is_lsu(classe, "classe"))
            out->classe = lsu_attr(classe, "libelle") ? lsu_attr(classe, "libelle") : lsu_attr(classe, "id-be");
    }
}

/* See lsu.h. */
void lsu_index_release_tree(lsu_index *ix)
{
    if (ix->ids)
        xmlHashFree(ix->ids, NULL);
    ix->ids = NULL;
    for (size_t i = 0; i < ix->bilan_count; i++)
        ix->bilans[i].node = NULL;
}

/* Frees the index (the tree's _private marks die with the tree). */
void lsu_index_free(lsu_index *ix)
{
    if (ix->ids)
        xmlHashFree(ix->ids, NULL);
    for (size_t i = 0; i < ix->bilan_count; i++) {
        lsu_bilan *b = &ix->bilans[i];
        free(b->eleve_id);
        free(b->ine);
        free(b->nom);
        free(b->prenom);
        free(b->classe_id);
        free(b->classe_libelle);
        free(b->eleve);
        free(b->periode);
    }
    free(ix->bilans);
    free(ix->periodiques);
    free(ix->cycles);
    memset(ix, 0, sizeof *ix);
}

/* See lsu.h. */
xmlNodePtr lsu_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

/* See lsu.h. */
xmlNodePtr lsu_next_same(xmlNodePtr n)
{
    for (xmlNodePtr c = n->next; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, (const char *)n->name) == 0)
            return c;
    return NULL;
}

/* See lsu.h. */
const char *lsu_domain_libelle(xmlNodePtr domain)
{
    const char *stored = lsu_attr(domain, "libelle");
    return stored ? stored : lsu_code_label("domaine", lsu_attr(domain, "code"));
}

/* See lsu.h. */
const char *lsu_domain_name(xmlNodePtr domain)
{
    const char *label = lsu_domain_libelle(domain);
    const char *code = lsu_attr(domain, "code");
    return *label ? label : code ? code : "";
}

/* See lsu.h. */
int lsu_element_labels(xmlDocPtr norm, xmlHashTablePtr *labels)
{
    *labels = NULL;
    xmlNodePtr list = lsu_child(norm ? xmlDocGetRootElement(norm) : NULL, "elements-programme");
    if (!list)
        return 0;
    xmlHashTablePtr h = xmlHashCreate(512);
    if (!h)
        return -1;
    for (xmlNodePtr e = lsu_child(list, "element-programme"); e; e = lsu_next_same(e)) {
        const char *id = lsu_attr(e, "id"), *libelle = lsu_attr(e, "libelle");
        /* first one wins, as the normaliser's own lookup */
        if (id && libelle && !xmlHashLookup(h, BAD_CAST id) &&
            xmlHashAddEntry(h, BAD_CAST id, (void *)(uintptr_t)libelle) < 0) {
            xmlHashFree(h, NULL);
            return -1;
        }
    }
    *labels = h;
    return 0;
}

/* See lsu.h. */
const char *lsu_element_libelle(xmlNodePtr element, xmlHashTablePtr labels)
{
    const char *stored = lsu_attr(element, "libelle");
    if (stored)
        return stored;
    const char *id = lsu_attr(element, "id");
    const char *listed = labels && id ? xmlHashLookup(labels, BAD_CAST id) : NULL;
    return listed ? listed : "";
}
