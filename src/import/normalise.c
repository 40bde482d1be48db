/* Stage normalise: the raw tree into lsu's normalised form, with XSLT.
 *
 * xslt/normalise.xsl does the restructuring; the C side gives it a few
 * extension functions (namespace urn:lsu:extensions) for what XSLT 1.0 does
 * badly or slowly: cleaning texts, resolving IDREFS to canonical elements
 * (éléments du programme deduplicated by label, teachers by identity),
 * accent-free sort keys, the level and cycle named in a class label, and the
 * source line and bilan index of a node.  What the normalisation changed is
 * reported as NRM* diagnostics. */
#include "import/normalise.h"
#include "import/nomenclature.h"
#include "lsu.h"

#include <libxml/xpathInternals.h>
#include <libxslt/extensions.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <stdint.h>
#include <stdlib.h>
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

/* ---- pure text helpers (normalise.h) ---- */

/* Is p at an ASCII blank or a no-break space?  Returns its length or 0. */
static size_t blank_len(const char *p)
{
    if (*p == ' ' || *p == '\t')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

/* Does the text need no change at all?  True for most texts: no CR, no
 * tab, no NBSP, no blank at either end, no blank before a line break, no
 * line break after a line break or a blank.  One pass, no writes. */
static int text_is_clean(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (*p == ' ' || *p == '\n')
        return 0;
    unsigned char prev = 'x';
    for (; *p; p++) {
        unsigned char c = *p;
        if (c == '\r' || c == '\t' || (c == 0xC2 && p[1] == 0xA0))
            return 0;
        if (c == '\n' && (prev == ' ' || prev == '\n'))
            return 0;
        if (c == ' ' && prev == '\n')
            return 0;
        prev = c;
    }
    if (prev == ' ' || prev == '\n')
        return 0;
    *len = (size_t)((const char *)p - s);
    return 1;
}

/* See normalise.h. */
int lsu_text_normalise(const char *in, lsu_buf *out)
{
    size_t clean_len;
    if (text_is_clean(in, &clean_len)) {
        lsu_buf_add(out, in, clean_len);
        return 0;
    }
    int flags = 0;
    const char *p = in;
    /* leading blanks and line breaks */
    for (;;) {
        size_t b = blank_len(p);
        if (b) {
            p += b;
            flags |= LSU_TEXT_BLANKS;
        } else if (*p == '\n' || *p == '\r') {
            p++;
            flags |= LSU_TEXT_BLANKS;
        } else {
            break;
        }
    }
    size_t start = out->len;
    size_t pending_blanks = 0; /* blanks seen but not yet written */
    const char *blank_start = NULL;
    int pending_breaks = 0;
    while (*p) {
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r')
                flags |= LSU_TEXT_BREAKS;
            if (*p == '\r' && p[1] == '\n')
                p++;
            p++;
            if (pending_blanks)
                flags |= LSU_TEXT_BLANKS;
            pending_blanks = 0;
            pending_breaks++;
            continue;
        }
        size_t b = blank_len(p);
        if (b) {
            if (!pending_blanks)
                blank_start = p;
            pending_blanks += b;
            p += b;
            continue;
        }
        if (pending_breaks) {
            if (pending_breaks > 1)
                flags |= LSU_TEXT_BREAKS;
            lsu_buf_add(out, "\n", 1);
            pending_breaks = 0;
            if (pending_blanks) /* indentation of the new line: blanks at its start go */
                flags |= LSU_TEXT_BLANKS;
        } else if (pending_blanks) {
            lsu_buf_add(out, blank_start, pending_blanks);
        }
        pending_blanks = 0;
        const char *run = p;
        while (*p && *p != '\r' && *p != '\n' && !blank_len(p))
            p++;
        lsu_buf_add(out, run, (size_t)(p - run));
    }
    if (pending_blanks || pending_breaks)
        flags |= LSU_TEXT_BLANKS;
    if (out->len == start)
        lsu_buf_add(out, "", 0);
    return flags;
}

/* Base letters of U+00C0..U+017F (Latin-1 Supplement, Latin Extended-A);
 * '?' marks a character with no base letter (kept as is). */
static const char latin_base[] = "AAAAAAACEEEEIIIIDNOOOOO?OUUUUYTSaaaaaaaceeeeiiiidnooooo?ouuuuyty"
                                 "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNn"
                                 "OoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* Base letters of U+1E00..U+1EFF (Latin Extended Additional: Vietnamese
 * and other stacked accents, as in Nguyễn or Trần). */
static const char latin_additional_base[] =
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTt"
    "UuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy??????AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOo"
    "UuUuUuUuUuUuUuYyYyYyYy??????";

/* See normalise.h. */
void lsu_sort_key(const char *in, lsu_buf *out)
{
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p;) {
        unsigned cp = *p;
        size_t n = 1;
        if (cp >= 0xC0 && (p[1] & 0xC0) == 0x80) {
            if (cp < 0xE0) {
                cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
                n = 2;
            } else if (cp < 0xF0 && (p[2] & 0xC0) == 0x80) {
                cp = ((cp & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
                n = 3;
            }
        }
        if (cp < 0x80) {
            char c = (char)(cp >= 'a' && cp <= 'z' ? cp - 32 : cp);
            lsu_buf_add(out, &c, 1);
        } else if (cp == 0x152 || cp == 0x153) {
            lsu_buf_puts(out, "OE");
        } else if (cp == 0xC6 || cp == 0xE6) {
            lsu_buf_puts(out, "AE");
        } else if (cp == 0xDF) {
            lsu_buf_puts(out, "SS");
        } else if ((cp >= 0xC0 && cp <= 0x17F && latin_base[cp - 0xC0] != '?') ||
                   (cp >= 0x1E00 && cp <= 0x1EFF && latin_additional_base[cp - 0x1E00] != '?')) {
            char c = cp <= 0x17F ? latin_base[cp - 0xC0] : latin_additional_base[cp - 0x1E00];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            lsu_buf_add(out, &c, 1);
        } else {
            lsu_buf_add(out, (const char *)p, n);
        }
        p += n;
    }
    lsu_buf_add(out, "", 0);
}

static const char *const level_names[] = {"CP", "CE1", "CE2", "CM1", "CM2"};

/* See normalise.h. */
unsigned lsu_class_levels(const char *label)
{
    unsigned set = 0;
    if (!label)
        return 0;
    for (const char *p = label; *p; p++) {
        if (p != label && ((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z')))
            continue;
        for (int i = 0; i < 5; i++) {
            size_t n = strlen(level_names[i]);
            if (strncasecmp(p, level_names[i], n) == 0) {
                char next = p[n];
                int alnum_after = (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') ||
                                  (i > 0 && next >= 'A' && next <= 'Z');
                if (!alnum_after)
                    set |= 1u << i;
            }
        }
    }
    return set;
}

/* See normalise.h. */
const char *lsu_class_level(const char *label)
{
    unsigned set = lsu_class_levels(label);
    for (int i = 0; i < 5; i++)
        if (set == 1u << i)
            return level_names[i];
    return "";
}

/* See normalise.h. */
const char *lsu_class_cycle(const char *label)
{
    unsigned set = lsu_class_levels(label);
    if (!set)
        return "";
    if ((set & ~7u) == 0)
        return "2";
    if ((set & 7u) == 0)
        return "3";
    return "";
}

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

/* The sort key of a bilan (caller frees; NULL when memory ran out): class,
 * name, first name (accents and case ignored), INE, then year and period
 * index (or cycle), then the bilan's place in the file, so that the order
 * is total and the same on every machine. */
static char *bilan_sort_key(lsu_file *f, const lsu_bilan *b)
{
    lsu_buf key = {0};
    lsu_sort_key(b->classe_libelle, &key);
    lsu_buf_puts(&key, "\x01");
    lsu_sort_key(b->nom, &key);
    lsu_buf_puts(&key, "\x01");
    lsu_sort_key(b->prenom, &key);
    lsu_buf_printf(&key, "\x01%s\x01", b->ine ? b->ine : "");
    if (b->kind == BILAN_PERIODIQUE) {
        xmlNodePtr periode = lsu_index_lookup(&f->index, lsu_attr(b->node, "periode-ref"));
        const char *mil = lsu_attr(periode, "millesime"), *indice = lsu_attr(periode, "indice");
        lsu_buf_printf(&key, "%.8s\x01%08ld", mil ? mil : "", indice ? strtol(indice, NULL, 10) : 0L);
    } else {
        const char *cycle = lsu_attr(b->node, "cycle");
        lsu_buf_printf(&key, "%.8s", cycle ? cycle : "");
    }
    lsu_buf_printf(&key, "\x01%08d", b->index);
    if (key.failed) {
        lsu_buf_free(&key);
        return NULL;
    }
    return key.data;
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

/* Is node an element named name (any namespace: the source is validated)? */
static int named(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

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
    if (raw && text_is_clean(raw, &len))
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
void lsu_normalise_register(void);
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
