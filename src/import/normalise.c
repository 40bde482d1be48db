/* Stage normalise: the raw tree into lsu's normalised form, with XSLT.
 *
 * xslt/normalise.xsl does the restructuring; the C side gives it a few
 * extension functions (namespace urn:lsu:extensions) for what XSLT 1.0 does
 * badly or slowly: cleaning texts, resolving IDREFS to canonical elements
 * (éléments du programme deduplicated by label, teachers by identity),
 * accent-free sort keys, the level and cycle named in a class label, and the
 * source line and bilan index of a node.  What the normalisation changed is
 * reported as NRM* diagnostics. */
#include "base/text.h"
#include "import/normalise_int.h"

#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <stdlib.h>
#include <string.h>

/* ---- the normalised order ---- */

/* The sort key of a bilan in the normalised order (lsu_bilan_order_key;
 * the tie-break is its place in the file, so that the order is total and
 * the same on every machine).  Caller frees; NULL when memory ran out. */
static char *bilan_sort_key(lsu_file *f, const lsu_bilan *b)
{
    lsu_order_fields o = {.classe = b->classe_libelle,
                          .nom = b->nom,
                          .prenom = b->prenom,
                          .ine = b->ine,
                          .periodique = b->kind == BILAN_PERIODIQUE,
                          .tiebreak = b->index};
    if (o.periodique) {
        xmlNodePtr periode = lsu_index_lookup(&f->index, lsu_attr(b->node, "periode-ref"));
        const char *indice = lsu_attr(periode, "indice");
        o.millesime = lsu_attr(periode, "millesime");
        o.millesime_len = o.millesime ? strlen(o.millesime) : 0;
        o.indice = indice ? strtol(indice, NULL, 10) : 0L;
    } else {
        o.cycle = lsu_attr(b->node, "cycle");
        o.cycle_len = o.cycle ? strlen(o.cycle) : 0;
    }
    return lsu_bilan_order_key(&o);
}

typedef struct {
    char *key;
    lsu_bilan *bilan;
} ranked_bilan;

/* qsort comparator of ranked bilans by key. */
static int cmp_ranked(const void *pa, const void *pb)
{
    return strcmp(((const ranked_bilan *)pa)->key, ((const ranked_bilan *)pb)->key);
}

/* Sets every bilan's sort_rank: sorting once here, with qsort on one key,
 * costs far less than libxslt's sort comparing strings pair by pair.
 * Returns -1 when memory ran out. */
static int rank_bilans(lsu_file *f)
{
    size_t n = f->index.bilan_count;
    ranked_bilan *r = calloc(n + 1, sizeof *r);
    int rc = r ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        r[i].bilan = &f->index.bilans[i];
        r[i].key = bilan_sort_key(f, r[i].bilan);
        if (!r[i].key)
            rc = -1;
    }
    if (rc == 0) {
        qsort(r, n, sizeof *r, cmp_ranked);
        for (size_t i = 0; i < n; i++)
            r[i].bilan->sort_rank = (int)i;
    }
    for (size_t i = 0; r && i < n; i++)
        free(r[i].key);
    free(r);
    return rc;
}

/* ---- canonical elements ---- */

/* The list element `list` under donnees (e.g. "enseignants"), or NULL. */
static xmlNodePtr donnees_list(xmlDocPtr doc, const char *list)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr d = root ? root->children : NULL; d; d = d->next) {
        if (d->type != XML_ELEMENT_NODE || strcmp(lsu_name(d), "donnees") != 0)
            continue;
        for (xmlNodePtr l = d->children; l; l = l->next)
            if (l->type == XML_ELEMENT_NODE && strcmp(lsu_name(l), list) == 0)
                return l;
    }
    return NULL;
}

/* Groups the children of `list` by a key; maps each id to the first element
 * of its group and reports each merged element with `code`.  `teachers`
 * selects the key: civilité + names in sort-key form, else the cleaned
 * label. Returns -1 when memory ran out. */
static int build_groups(normalise_state *st, const char *list, int teachers, lsu_code code)
{
    xmlNodePtr parent = donnees_list(st->file->doc, list);
    if (!parent)
        return 0;
    xmlHashTablePtr groups = xmlHashCreate(256);
    if (!groups)
        return -1;
    lsu_buf key = {0};
    for (xmlNodePtr n = parent->children; n; n = n->next) {
        const char *id = lsu_attr(n, "id");
        if (n->type != XML_ELEMENT_NODE || !id)
            continue;
        key.len = 0;
        if (teachers) {
            lsu_buf_puts(&key, lsu_attr(n, "civilite") ? lsu_attr(n, "civilite") : "");
            lsu_buf_puts(&key, "|");
            lsu_sort_key(lsu_attr(n, "nom"), &key);
            lsu_buf_puts(&key, "|");
            lsu_sort_key(lsu_attr(n, "prenom"), &key);
        } else {
            /* labels equal "aux blancs près": cleaned, inner runs of blanks as one */
            lsu_text_normalise(lsu_attr(n, "libelle") ? lsu_attr(n, "libelle") : "", &key);
            size_t o = 0;
            for (size_t i = 0; i < key.len; i++) {
                int blank = key.data[i] == ' ' || key.data[i] == '\n' || key.data[i] == '\t';
                if (blank && o > 0 && key.data[o - 1] == ' ')
                    continue;
                key.data[o++] = blank ? ' ' : key.data[i];
            }
            key.len = o;
            if (key.data)
                key.data[o] = '\0';
        }
        if (key.failed)
            break;
        xmlNodePtr first = xmlHashLookup(groups, BAD_CAST key.data);
        if (!first) {
            xmlHashAddEntry(groups, BAD_CAST key.data, n);
            continue;
        }
        xmlHashAddEntry(st->canonical, BAD_CAST id, first);
        if (teachers)
            lsu_diag_add(&st->file->diags, code, lsu_line(n), NULL,
                         "L'enseignant %s %s (%s) est le même que celui de la ligne %ld (%s) : ils sont fusionnés.",
                         lsu_attr(n, "nom") ? lsu_attr(n, "nom") : "",
                         lsu_attr(n, "prenom") ? lsu_attr(n, "prenom") : "", id, lsu_line(first),
                         lsu_attr(first, "id"));
        else
            lsu_diag_add(&st->file->diags, code, lsu_line(n), NULL,
                         "L'élément du programme %s a le même libellé que %s (ligne %ld) : ils sont fusionnés.", id,
                         lsu_attr(first, "id"), lsu_line(first));
    }
    int failed = key.failed;
    lsu_buf_free(&key);
    xmlHashFree(groups, NULL);
    return failed ? -1 : 0;
}

/* Indexes the parcours-communs by "periode-ref|classe-ref" (first wins; the
 * schema rejects a duplicate pair).  Returns -1 when memory ran out. */
static int index_communs(normalise_state *st)
{
    xmlNodePtr list = donnees_list(st->file->doc, "parcours-communs");
    char key[512];
    for (xmlNodePtr pc = list ? list->children : NULL; pc; pc = pc->next) {
        const char *periode = lsu_attr(pc, "periode-ref"), *classe = lsu_attr(pc, "classe-ref");
        if (!named(pc, "parcours-commun") || !periode || !classe)
            continue;
        snprintf(key, sizeof key, "%s|%s", periode, classe);
        if (!xmlHashLookup(st->communs, BAD_CAST key) && xmlHashAddEntry(st->communs, BAD_CAST key, pc) < 0)
            return -1;
    }
    return 0;
}

/* Runs the stylesheet; see the top of the file. */
lsu_stage_status lsu_normalise(lsu_file *f, lsu_runtime *rt)
{
    normalise_state st = {.file = f};
    st.canonical = xmlHashCreate(64);
    st.communs = xmlHashCreate(64);
    if (!st.canonical || !st.communs || index_communs(&st) < 0 || rank_bilans(f) < 0 ||
        build_groups(&st, "elements-programme", 0, DIAG_NRM003) < 0 ||
        build_groups(&st, "enseignants", 1, DIAG_NRM004) < 0) {
        if (st.canonical)
            xmlHashFree(st.canonical, NULL);
        if (st.communs)
            xmlHashFree(st.communs, NULL);
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante pour normaliser le fichier.");
        return LSU_STOP_FILE;
    }
    /* LSU_FAULT=normalise simulates a failed transformation, so that the
     * tests can exercise the internal-error path (INT001) end to end */
    const char *fault = getenv("LSU_FAULT");
    int inject = fault && strcmp(fault, "normalise") == 0;
    xsltTransformContextPtr tctxt = inject ? NULL : xsltNewTransformContext(rt->normalise, f->doc);
    xmlDocPtr out = NULL;
    if (tctxt) {
        tctxt->_private = &st;
        out = xsltApplyStylesheetUser(rt->normalise, f->doc, NULL, NULL, NULL, tctxt);
        if (tctxt->state != XSLT_STATE_OK) {
            xmlFreeDoc(out);
            out = NULL;
        }
        xsltFreeTransformContext(tctxt);
    }
    xmlHashFree(st.canonical, NULL);
    xmlHashFree(st.communs, NULL);
    if (st.listed_elements)
        xmlHashFree(st.listed_elements, NULL);
    lsu_buf_free(&st.buf);
    if (!out || st.failed) {
        xmlFreeDoc(out);
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "La normalisation du fichier a échoué.");
        return LSU_STOP_FILE;
    }
    xmlSetProp(xmlDocGetRootElement(out), BAD_CAST "fichier", BAD_CAST f->name);
    f->norm = out;
    if (st.breaks_count)
        lsu_diag_add(&f->diags, DIAG_NRM001, st.breaks_line, NULL,
                     "Retours à la ligne normalisés dans %ld texte%s (CR, CRLF ou lignes vides successives).",
                     st.breaks_count, st.breaks_count > 1 ? "s" : "");
    if (st.blanks_count)
        lsu_diag_add(&f->diags, DIAG_NRM002, st.blanks_line, NULL,
                     "Blancs supprimés en début ou en fin de ligne dans %ld texte%s.", st.blanks_count,
                     st.blanks_count > 1 ? "s" : "");
    return LSU_GO_ON;
}
