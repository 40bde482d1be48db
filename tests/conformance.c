/* conformance: checks that the project's école schema (xsd/lsu-1d.xsd)
 * accepts exactly the documents the official 1.0b schema accepts, with
 * references resolved as LSU's Java validator resolves them (cvc-id: an
 * IDREF to no ID, an empty IDREFS make the document invalid, which
 * libxml2 alone lets through).  That is lsu's verdict: a file is refused
 * for schema reasons (every XSD code, REF001, REF002) exactly when the
 * official schema, so resolved, rejects it.
 *
 *   conformance OUR.xsd OFFICIAL.xsd FILE_OR_DIR...
 *
 * This file owns that check and nothing else: it is a standalone program
 * (libxml2 only) run by tests/run.sh.  Both schemas are compiled once.  Each
 * .xml file (directories are walked recursively, entries sorted by name) is
 * validated with both schemas and the verdicts compared.  Then, when the
 * file parses, it is mutated in memory and each mutated document is
 * validated with both schemas again:
 *   - systematic mutations, when the official schema accepts the file and
 *     it is small (64 KiB at most):
 *     every sample value (blank, too long by one, carriage return, numbers,
 *     dates, codes, ...) on one attribute and one text of each context,
 *     removal / duplication / emptying / swap of one element of each
 *     context, and key collisions between same-named siblings (all, only
 *     one, all but one attribute copied), which probe every facet, every
 *     cardinality and every field of every unique constraint.  A probe
 *     (kind, context, value) is made once per run: a file only gets the
 *     probes of contexts that smaller files (checked first) did not have;
 *   - random mutations (remove / duplicate / swap / rename / insert
 *     elements, remove / add / change attributes, texts, schemaVersion,
 *     xsi:type, text in element-only content, ...) chosen by a fixed-seed
 *     xorshift generator seeded from the file's base name, so that a run is
 *     reproducible; files larger than 64 KiB get proportionally fewer
 *     (at least 40).
 *
 * Output (stdout, read by tests/run.sh), one line per input file:
 *   PASS conformance <file> (<n> mutations)
 *   FAIL conformance <file>: <what differed, which mutation>
 * or the single line "SKIP conformance: official schema absent" when
 * OFFICIAL.xsd does not exist.  Diagnostics go to stderr only.  Exit status:
 * 0 when every file passes, 1 otherwise, 2 on a usage error.
 *
 * Environment: CONFORMANCE_MUTATIONS=N changes the number of random
 * mutations per file (default 210); CONFORMANCE_SYSTEMATIC=0 turns the
 * systematic ones off; CONFORMANCE_TRACE=1 prints every mutation with both
 * verdicts and every libxml2 error of our schema to stderr.  LSU=path/to/lsu
 * (tests/run.sh sets it) also compares, on each file as it is, lsu's own
 * verdict (`lsu check --json`: refused for schema reasons or not) with the
 * official one. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>

#define LSU_NS "urn:fr:edu:scolarite:lsun:bilans:import"
#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"
#define XSD_NS "http://www.w3.org/2001/XMLSchema"
#define FOREIGN_NS "urn:example:inconnu"
#define DEFAULT_MUTATIONS 210
#define MIN_MUTATIONS 40       /* random mutations for the largest files */
#define SMALL_FILE (64 * 1024) /* bytes: full treatment up to this size */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
#define DESC_SIZE 1024

#if LIBXML_VERSION >= 21200
typedef const xmlError *err_ptr;
#else
typedef xmlErrorPtr err_ptr;
#endif

/* ------------------------------------------------------------------ */
/* Small utilities                                                      */
/* ------------------------------------------------------------------ */

/* Prints a message to stderr and exits: used when memory runs out. */
static void die(const char *what)
{
    fprintf(stderr, "conformance: %s\n", what);
    exit(2);
}

/* malloc that never returns NULL. */
static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* strdup that never returns NULL. */
static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

/* A growable array of pointers. */
typedef struct {
    void **v;
    size_t n, cap;
} vec;

/* Appends p to the array. */
static void vec_push(vec *a, void *p)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        void **v = realloc(a->v, cap * sizeof *v);
        if (!v)
            die("out of memory");
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = p;
}

/* Releases the array itself (not what it points to). */
static void vec_free(vec *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* Returns a new string made of count copies of unit. */
static char *repeat(const char *unit, size_t count)
{
    size_t u = strlen(unit);
    char *s = xmalloc(u * count + 1);
    for (size_t i = 0; i < count; i++)
        memcpy(s + i * u, unit, u);
    s[u * count] = '\0';
    return s;
}

/* Appends formatted text to a fixed buffer, truncating silently. */
static void buf_add(char *buf, size_t size, const char *text)
{
    size_t len = strlen(buf);
    if (len + 1 >= size)
        return;
    size_t room = size - len - 1;
    size_t n = strlen(text);
    if (n > room)
        n = room;
    memcpy(buf + len, text, n);
    buf[len + n] = '\0';
}

/* Writes a short, printable rendering of a value: quoted with \r \n \t
 * escaped, or its length and first characters when it is long. */
static void describe_value(const char *value, char *out, size_t size)
{
    size_t len = strlen(value);
    out[0] = '\0';
    if (len > 40) {
        char head[16];
        size_t k = 0;
        while (k < 8 && value[k] && value[k] != '\r' && value[k] != '\n')
            k++;
        memcpy(head, value, k);
        head[k] = '\0';
        snprintf(out, size, "<%zu bytes: '%s...'>", len, head);
        return;
    }
    buf_add(out, size, "'");
    for (const char *p = value; *p; p++) {
        char c[2] = {*p, '\0'};
        buf_add(out, size, *p == '\r' ? "\\r" : *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : c);
    }
    buf_add(out, size, "'");
}

/* ------------------------------------------------------------------ */
/* Deterministic pseudo-random numbers (xorshift64*)                    */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s;
} rng;

/* Seeds the generator from a fixed constant and a name (FNV-1a). */
static void rng_seed(rng *r, const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    r->s = (h ^ 0x4c53552d31442e30ULL) | 1; /* never zero */
}

/* Returns the next 64-bit number. */
static uint64_t rng_next(rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* Returns a number in [0, n); n must be > 0. */
static size_t rng_below(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

/* ------------------------------------------------------------------ */
/* libxml2 error handling and validation                                */
/* ------------------------------------------------------------------ */

/* What one validation reported: the count and the first error. */
typedef struct {
    int count;
    int first_code;
    int first_line;
    char first[320];
    int echo; /* print every error to stderr (trace mode) */
} capture;

/* Structured error handler that records into a capture (or ignores when
 * the user data is NULL). */
static void on_error(void *data, err_ptr err)
{
    capture *cap = data;
    if (!cap || !err)
        return;
    const char *msg = err->message ? err->message : "(no message)";
    size_t len = strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    if (cap->echo)
        fprintf(stderr, "      libxml2 domain=%d code=%d level=%d line=%d: %.*s\n", err->domain, err->code,
                (int)err->level, err->line, (int)(len > 300 ? 300 : len), msg);
    if (cap->count++ == 0) {
        cap->first_code = err->code;
        cap->first_line = err->line;
        snprintf(cap->first, sizeof cap->first, "%.*s", (int)(len > 300 ? 300 : len), msg);
    }
}

/* Structured error handler that prints schema compilation errors. */
static void on_schema_error(void *data, err_ptr err)
{
    (void)data;
    if (err && err->message)
        fprintf(stderr, "conformance: %s:%d: %s", err->file ? err->file : "?", err->line, err->message);
}

/* Generic error handler that drops everything. */
static void on_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

typedef enum { V_VALID = 0, V_INVALID = 1, V_INTERNAL = 2 } verdict;

/* How verdicts are shown in the FAIL lines. */
static const char *const verdict_names[] = {"valid", "invalid", "internal-error"};

/* Compiles a schema file; NULL (with messages on stderr) on failure. */
static xmlSchemaPtr compile_schema(const char *path)
{
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewParserCtxt(path);
    if (!pctxt)
        return NULL;
    xmlSchemaSetParserStructuredErrors(pctxt, on_schema_error, NULL);
    xmlSchemaPtr schema = xmlSchemaParse(pctxt);
    xmlSchemaFreeParserCtxt(pctxt);
    return schema;
}

/* Reads the attribute declarations of type xs:IDREF (1) or xs:IDREFS (2)
 * of a schema file into a table by attribute name (caller frees with
 * xmlHashFree(t, NULL)). */
static xmlHashTablePtr idref_attributes(const char *path)
{
    xmlHashTablePtr t = xmlHashCreate(16);
    xmlDocPtr xsd = xmlReadFile(path, NULL, PARSE_OPTIONS);
    if (!t || !xsd)
        die("cannot read the schema's reference attributes");
    xmlNodePtr root = xmlDocGetRootElement(xsd);
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "attribute") && n->ns &&
            xmlStrEqual(n->ns->href, BAD_CAST XSD_NS)) {
            xmlChar *name = xmlGetProp(n, BAD_CAST "name"), *type = xmlGetProp(n, BAD_CAST "type");
            const xmlChar *local = type ? xmlStrchr(type, ':') : NULL;
            local = local ? local + 1 : type;
            uintptr_t kind = local && xmlStrEqual(local, BAD_CAST "IDREF")    ? 1
                             : local && xmlStrEqual(local, BAD_CAST "IDREFS") ? 2
                                                                              : 0;
            if (name && kind)
                xmlHashUpdateEntry(t, name, (void *)kind, NULL);
            xmlFree(name);
            xmlFree(type);
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        n = n && n != root ? n->next : NULL;
    }
    xmlFreeDoc(xsd);
    return t;
}

/* The check a Java validator adds to libxml2's (cvc-id): every token of an
 * IDREF or IDREFS attribute names an ID of the document, and an IDREFS
 * holds at least one.  Run after a successful validation, which registered
 * the document's IDs.  Returns 1 when every reference resolves; the first
 * failure goes to cap. */
static int references_resolve(xmlHashTablePtr refs, xmlDocPtr doc, capture *cap)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = root; n;) {
        for (xmlAttrPtr a = n->type == XML_ELEMENT_NODE ? n->properties : NULL; a; a = a->next) {
            uintptr_t kind = a->ns ? 0 : (uintptr_t)xmlHashLookup(refs, a->name);
            if (!kind)
                continue;
            xmlChar *v = xmlNodeListGetString(doc, a->children, 1);
            int tokens = 0, ok = 1;
            for (char *save = NULL, *tok = strtok_r(v ? (char *)v : (char *)"", " \t\r\n", &save); tok && ok;
                 tok = strtok_r(NULL, " \t\r\n", &save)) {
                tokens++;
                ok = xmlGetID(doc, BAD_CAST tok) != NULL;
            }
            xmlFree(v);
            if (!ok || (kind == 2 && tokens == 0)) {
                if (cap && cap->count++ == 0) {
                    cap->first_line = (int)xmlGetLineNo(n);
                    cap->first_code = 0;
                    snprintf(cap->first, sizeof cap->first, "cvc-id: %s of <%s> names no ID (or none)",
                             (const char *)a->name, (const char *)n->name);
                }
                return 0;
            }
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        n = n && n != root ? n->next : NULL;
    }
    return 1;
}

/* Validates doc with schema, then resolves its references as a Java
 * validator does (refs: the schema's IDREF(S) attributes); errors go to
 * cap (may be NULL). */
static verdict validate(xmlSchemaPtr schema, xmlHashTablePtr refs, xmlDocPtr doc, capture *cap)
{
    xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(schema);
    if (!vctxt)
        die("cannot create a validation context");
    xmlSchemaSetValidStructuredErrors(vctxt, on_error, cap);
    int rc = xmlSchemaValidateDoc(vctxt, doc);
    xmlSchemaFreeValidCtxt(vctxt);
    if (rc == 0 && !references_resolve(refs, doc, cap))
        return V_INVALID;
    return rc == 0 ? V_VALID : rc > 0 ? V_INVALID : V_INTERNAL;
}

/* ------------------------------------------------------------------ */
/* Tree index: what a mutation can pick from                            */
/* ------------------------------------------------------------------ */

typedef struct {
    xmlDocPtr doc;
    xmlNodePtr root;
    vec elems;      /* every element, document order */
    vec attrs;      /* every attribute */
    vec attr_names; /* distinct attribute names (borrowed strings) */
    vec texts;      /* elements holding non-blank text and no element */
    vec leaves;     /* elements without element children */
    vec parents;    /* elements with element children */
} tree_index;

/* True when the element has at least one element child. */
static int has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

/* True when the element has a text child that is not only blanks. */
static int has_text(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            for (const xmlChar *p = c->content; *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                    return 1;
    return 0;
}

/* Fills the index by walking the document iteratively. */
static void index_build(tree_index *t, xmlDocPtr doc)
{
    memset(t, 0, sizeof *t);
    t->doc = doc;
    t->root = xmlDocGetRootElement(doc);
    xmlNodePtr n = t->root;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            vec_push(&t->elems, n);
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                vec_push(&t->attrs, a);
                size_t k = 0;
                while (k < t->attr_names.n && !xmlStrEqual(t->attr_names.v[k], a->name))
                    k++;
                if (k == t->attr_names.n)
                    vec_push(&t->attr_names, (void *)a->name);
            }
            if (has_element_child(n))
                vec_push(&t->parents, n);
            else {
                vec_push(&t->leaves, n);
                if (has_text(n))
                    vec_push(&t->texts, n);
            }
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != t->root && !n->next)
            n = n->parent;
        if (!n || n == t->root)
            break;
        n = n->next;
    }
}

/* Releases the index's arrays. */
static void index_free(tree_index *t)
{
    vec_free(&t->elems);
    vec_free(&t->attrs);
    vec_free(&t->attr_names);
    vec_free(&t->texts);
    vec_free(&t->leaves);
    vec_free(&t->parents);
}

/* Writes a readable path such as /lsun-bilans/donnees/eleves/eleve[2];
 * without the [n] position indexes when with_index is 0 (the "general
 * path" that names the context of an element in the schema). */
static void path_of(xmlNodePtr node, int with_index, char *out, size_t size)
{
    xmlNodePtr chain[512];
    size_t depth = 0;
    for (xmlNodePtr n = node; n && n->type == XML_ELEMENT_NODE && depth < 512; n = n->parent)
        chain[depth++] = n;
    out[0] = '\0';
    while (depth > 0) {
        xmlNodePtr n = chain[--depth];
        int index = 0, same = 0;
        if (n->parent && with_index)
            for (xmlNodePtr s = n->parent->children; s; s = s->next)
                if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, n->name)) {
                    same++;
                    if (s == n)
                        index = same;
                }
        char seg[160];
        if (same > 1)
            snprintf(seg, sizeof seg, "/%s[%d]", (const char *)n->name, index);
        else
            snprintf(seg, sizeof seg, "/%s", (const char *)n->name);
        buf_add(out, size, seg);
    }
}

/* Writes the readable path of an element, with position indexes. */
static void node_path(xmlNodePtr node, char *out, size_t size)
{
    path_of(node, 1, out, size);
}

/* Picks a random attribute, uniformly over distinct names first. */
static xmlAttrPtr pick_attr(tree_index *t, rng *r)
{
    if (t->attr_names.n == 0)
        return NULL;
    const xmlChar *name = t->attr_names.v[rng_below(r, t->attr_names.n)];
    size_t count = 0;
    for (size_t i = 0; i < t->attrs.n; i++)
        if (xmlStrEqual(((xmlAttrPtr)t->attrs.v[i])->name, name))
            count++;
    size_t k = rng_below(r, count);
    for (size_t i = 0; i < t->attrs.n; i++)
        if (xmlStrEqual(((xmlAttrPtr)t->attrs.v[i])->name, name) && k-- == 0)
            return t->attrs.v[i];
    return NULL;
}

/* Picks a random element other than the root; NULL if there is none. */
static xmlNodePtr pick_non_root(tree_index *t, rng *r)
{
    if (t->elems.n < 2)
        return NULL;
    return t->elems.v[1 + rng_below(r, t->elems.n - 1)];
}

/* Collects the element children of parent. */
static void element_children(xmlNodePtr parent, vec *out)
{
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            vec_push(out, c);
}

/* Replaces every child of node by one text node holding value (taken
 * literally: no entity or character reference is interpreted). */
static void set_text(xmlNodePtr node, const char *value)
{
    while (node->children) {
        xmlNodePtr c = node->children;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    if (*value)
        xmlAddChild(node, xmlNewDocText(node->doc, BAD_CAST value));
}

/* Inserts node as the position-th element child of parent (or last). */
static void insert_child_at(xmlNodePtr parent, xmlNodePtr node, size_t position)
{
    vec kids = {0};
    element_children(parent, &kids);
    if (position < kids.n)
        xmlAddPrevSibling(kids.v[position], node);
    else
        xmlAddChild(parent, node);
    vec_free(&kids);
}

/* Returns the namespace declaration for href with the wanted prefix,
 * declaring it on the root when needed. */
static xmlNsPtr ensure_ns(tree_index *t, const char *href, const char *prefix)
{
    for (xmlNsPtr ns = t->root->nsDef; ns; ns = ns->next)
        if (ns->prefix && xmlStrEqual(ns->prefix, BAD_CAST prefix))
            return ns;
    return xmlNewNs(t->root, BAD_CAST href, BAD_CAST prefix);
}

/* ------------------------------------------------------------------ */
/* Sample values                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *label; /* shown instead of the value when set */
    char *value;       /* owned */
} sample;

typedef struct {
    sample *v;
    size_t n;
} sample_set;

/* Adds a sample (takes ownership of value). */
static void sample_add(sample_set *s, const char *label, char *value)
{
    sample *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        die("out of memory");
    s->v = v;
    s->v[s->n].label = label;
    s->v[s->n].value = value;
    s->n++;
}

/* Releases a sample set. */
static void sample_free(sample_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].value);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* Values tried on attributes: lengths around every limit, blanks,
 * carriage returns, numbers, dates, near-miss codes.  The valid codes of
 * each enumeration are not needed here: the valid sample files hold all
 * of them, and putting one where it is already used only breaks a unique
 * constraint. */
static void attr_samples(sample_set *s)
{
    static const char *const plain[] = {"",
                                        "   ",
                                        "\t",
                                        "0",
                                        "5",
                                        "abc",
                                        "2024-13-45",
                                        "03/09/2024",
                                        "2024-09-03",
                                        "2024-09-03T08:30:00",
                                        "2024-09-03T08:30:00Z",
                                        "2024-02-30",
                                        "1",
                                        "2",
                                        "3",
                                        "4",
                                        "-1",
                                        "+3",
                                        "03",
                                        " 3 ",
                                        "2147483648",
                                        "true",
                                        "1.0",
                                        "M",
                                        "MME",
                                        "Mme",
                                        "PAR_CIT",
                                        "PAR_AVN",
                                        "PPRE",
                                        "SEGPA",
                                        "CPD_FRA",
                                        "FRA-RAC",
                                        "FRA-RA",
                                        "12345678",
                                        "1234567890A",
                                        "2024",
                                        "a b",
                                        "1abc",
                                        "x\ry",
                                        "x\ny",
                                        " x ",
                                        "\xc2\xa0",
                                        "false"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        sample_add(s, NULL, xstrdup(plain[i]));
    sample_add(s, "2000 chars", repeat("x", 2000));
    sample_add(s, "10 chars", repeat("9", 10));
    sample_add(s, "11 chars", repeat("9", 11));
    sample_add(s, "40 e-acute", repeat("\xc3\xa9", 40));
    sample_add(s, "41 e-acute", repeat("\xc3\xa9", 41));
    sample_add(s, "50 e-acute", repeat("\xc3\xa9", 50));
    sample_add(s, "51 e-acute", repeat("\xc3\xa9", 51));
    sample_add(s, "100 chars", repeat("n", 100));
    sample_add(s, "101 chars", repeat("n", 101));
    sample_add(s, "300 chars", repeat("l", 300));
    sample_add(s, "301 chars", repeat("l", 301));
}

/* Values tried on texts. */
static void text_samples(sample_set *s)
{
    static const char *const plain[] = {"",
                                        "   ",
                                        " \n\t ",
                                        "\n",
                                        "a\rb",
                                        "\r",
                                        "Texte\r\nsur deux lignes",
                                        "Texte\n\nà la ligne",
                                        "  texte entouré de blancs  ",
                                        "\xc2\xa0",
                                        "0751234A",
                                        "075123A"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        sample_add(s, NULL, xstrdup(plain[i]));
    sample_add(s, "50 chars", repeat("a", 50));
    sample_add(s, "51 chars", repeat("a", 51));
    sample_add(s, "600 e-acute", repeat("\xc3\xa9", 600));
    sample_add(s, "601 e-acute", repeat("\xc3\xa9", 601));
    sample_add(s, "1500 chars", repeat("b", 1500));
    sample_add(s, "1501 chars", repeat("b", 1501));
    sample_add(s, "2000 chars", repeat("c", 2000));
}

/* ------------------------------------------------------------------ */
/* Mutations                                                            */
/* ------------------------------------------------------------------ */

typedef enum {
    M_SET_ATTR,
    M_SET_TEXT,
    M_REMOVE_ATTR,
    M_REMOVE_ELEM,
    M_DUP_ELEM,
    M_SWAP,
    M_COPY_KEY,
    M_ADD_KNOWN_ATTR,
    M_ADD_ELEM,
    M_ADD_UNKNOWN_ATTR,
    M_SCHEMA_VERSION,
    M_XSI_TYPE,
    M_MIXED_TEXT,
    M_CLEAR_ELEM,
    M_RENAME_ELEM,
    M_KIND_COUNT
} mutation_kind;

/* The order in which kinds are used, round robin: value changes weigh
 * more because there are many values to try. */
static const mutation_kind schedule[] = {
    M_SET_ATTR,   M_REMOVE_ATTR, M_SET_ATTR,         M_SET_TEXT, M_REMOVE_ELEM,    M_SET_ATTR,
    M_DUP_ELEM,   M_SWAP,        M_SET_ATTR,         M_COPY_KEY, M_SET_TEXT,       M_ADD_KNOWN_ATTR,
    M_SET_ATTR,   M_ADD_ELEM,    M_ADD_UNKNOWN_ATTR, M_SET_ATTR, M_SCHEMA_VERSION, M_XSI_TYPE,
    M_MIXED_TEXT, M_CLEAR_ELEM,  M_RENAME_ELEM,
};

/* What the mutations of one file share: generator, value tables and the
 * counters that make each value table be walked in turn. */
typedef struct {
    rng r;
    const sample_set *attr_values;
    const sample_set *text_values;
    size_t attr_turn, text_turn, version_turn;
} mutator;

/* Element local name -> name of its declared type in both schemas, so
 * that xsi:type can name the very type the element already has. */
static const char *declared_type(const xmlChar *name)
{
    static const char *const map[][2] = {
        {"lsun-bilans", "LsunBilans"},
        {"entete", "Entete"},
        {"donnees", "Donnees"},
        {"editeur", "Chaine50"},
        {"application", "Chaine50"},
        {"etablissement", "CodeUai"},
        {"directeur", "Directeur"},
        {"classe", "Classe"},
        {"eleve", "Eleve"},
        {"periode", "Periode"},
        {"enseignant", "Enseignant"},
        {"element-programme", "ElementProgramme"},
        {"parcours", "Parcours"},
        {"bilan-periodique", "BilanPeriodique"},
        {"acquis", "Acquis"},
        {"appreciation", "Chaine600"},
        {"sous-domaine", "SousDomaine"},
        {"modalite-accompagnement", "ModaliteAccompagnement"},
        {"complement-ppre", "Chaine600"},
        {"appreciation-generale", "Chaine1500"},
        {"domaine", "DomaineSocle"},
        {"responsable", "Responsable"},
        {"adresse", "Adresse"},
        {"bilan-cycle", "BilanCycle"},
        {"synthese", "Chaine1500"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (xmlStrEqual(name, BAD_CAST map[i][0]))
            return map[i][1];
    return NULL;
}

/* Sets a random attribute to the next value of the table. */
static int mut_set_attr(tree_index *t, mutator *m, char *desc)
{
    xmlAttrPtr a = pick_attr(t, &m->r);
    if (!a)
        return 0;
    const sample *s = &m->attr_values->v[m->attr_turn++ % m->attr_values->n];
    char path[300], val[80];
    node_path(a->parent, path, sizeof path);
    describe_value(s->value, val, sizeof val);
    snprintf(desc, DESC_SIZE, "set %s/@%s to %s", path, (const char *)a->name, s->label ? s->label : val);
    xmlSetNsProp(a->parent, a->ns, a->name, BAD_CAST s->value);
    return 1;
}

/* Replaces the content of a text-holding element by the next text value. */
static int mut_set_text(tree_index *t, mutator *m, char *desc)
{
    vec *pool = t->texts.n ? &t->texts : &t->leaves;
    if (!pool->n)
        return 0;
    xmlNodePtr e = pool->v[rng_below(&m->r, pool->n)];
    const sample *s = &m->text_values->v[m->text_turn++ % m->text_values->n];
    char path[300], val[80];
    node_path(e, path, sizeof path);
    describe_value(s->value, val, sizeof val);
    snprintf(desc, DESC_SIZE, "set text of %s to %s", path, s->label ? s->label : val);
    set_text(e, s->value);
    return 1;
}

/* Removes a random attribute. */
static int mut_remove_attr(tree_index *t, mutator *m, char *desc)
{
    xmlAttrPtr a = pick_attr(t, &m->r);
    if (!a)
        return 0;
    char path[300];
    node_path(a->parent, path, sizeof path);
    snprintf(desc, DESC_SIZE, "remove %s/@%s", path, (const char *)a->name);
    xmlRemoveProp(a);
    return 1;
}

/* Removes a random element (never the root). */
static int mut_remove_elem(tree_index *t, mutator *m, char *desc)
{
    xmlNodePtr e = pick_non_root(t, &m->r);
    if (!e)
        return 0;
    char path[300];
    node_path(e, path, sizeof path);
    snprintf(desc, DESC_SIZE, "remove element %s", path);
    xmlUnlinkNode(e);
    xmlFreeNode(e);
    return 1;
}

/* Inserts a deep copy of a random element right after it. */
static int mut_dup_elem(tree_index *t, mutator *m, char *desc)
{
    xmlNodePtr e = pick_non_root(t, &m->r);
    if (!e)
        return 0;
    char path[300];
    node_path(e, path, sizeof path);
    snprintf(desc, DESC_SIZE, "duplicate element %s", path);
    xmlNodePtr copy = xmlDocCopyNode(e, t->doc, 1);
    if (!copy)
        die("out of memory");
    xmlAddNextSibling(e, copy);
    return 1;
}

/* Swaps two element children of a random element that has several. */
static int mut_swap(tree_index *t, mutator *m, char *desc)
{
    vec cands = {0};
    for (size_t i = 0; i < t->parents.n; i++) {
        size_t k = 0;
        for (xmlNodePtr c = ((xmlNodePtr)t->parents.v[i])->children; c; c = c->next)
            k += c->type == XML_ELEMENT_NODE;
        if (k >= 2)
            vec_push(&cands, t->parents.v[i]);
    }
    if (!cands.n) {
        vec_free(&cands);
        return 0;
    }
    xmlNodePtr parent = cands.v[rng_below(&m->r, cands.n)];
    vec_free(&cands);
    vec kids = {0};
    element_children(parent, &kids);
    size_t i = rng_below(&m->r, kids.n - 1);
    size_t j = i + 1 + rng_below(&m->r, kids.n - 1 - i);
    xmlNodePtr a = kids.v[i], b = kids.v[j];
    vec_free(&kids);
    char pa[300], pb[300];
    node_path(a, pa, sizeof pa);
    node_path(b, pb, sizeof pb);
    snprintf(desc, DESC_SIZE, "swap %s and %s", pa, pb);
    xmlNodePtr after_b = b->next;
    xmlAddPrevSibling(a, b); /* unlinks b, puts it where a was */
    if (after_b)
        xmlAddPrevSibling(after_b, a);
    else
        xmlAddChild(parent, a);
    return 1;
}

/* Copies a random subset of the attributes (never @id) of a same-named
 * sibling onto an element: makes key-sequences of unique constraints
 * collide, fully or partly. */
static int mut_copy_key(tree_index *t, mutator *m, char *desc)
{
    size_t start = rng_below(&m->r, t->elems.n);
    for (size_t k = 0; k < t->elems.n; k++) {
        xmlNodePtr e = t->elems.v[(start + k) % t->elems.n];
        if (!e->parent || e->parent->type != XML_ELEMENT_NODE)
            continue;
        vec same = {0};
        for (xmlNodePtr s = e->parent->children; s; s = s->next)
            if (s != e && s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, e->name) && s->properties)
                vec_push(&same, s);
        if (!same.n) {
            vec_free(&same);
            continue;
        }
        xmlNodePtr from = same.v[rng_below(&m->r, same.n)];
        vec_free(&same);
        char pe[300], pf[300];
        node_path(e, pe, sizeof pe);
        node_path(from, pf, sizeof pf);
        uint64_t subset = rng_next(&m->r) | 1; /* bit k: copy attribute k */
        snprintf(desc, DESC_SIZE, "copy attributes (mask %#llx, never id) of %s onto %s",
                 (unsigned long long)(subset & 0xffff), pf, pe);
        int bit = 0;
        for (xmlAttrPtr a = from->properties; a; a = a->next, bit++) {
            if (xmlStrEqual(a->name, BAD_CAST "id") || a->ns || !((subset >> (bit % 64)) & 1))
                continue;
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            xmlSetProp(e, a->name, v ? v : BAD_CAST "");
            xmlFree(v);
        }
        return 1;
    }
    return 0;
}

/* Puts on a random element an attribute name and a value both seen
 * elsewhere in the document. */
static int mut_add_known_attr(tree_index *t, mutator *m, char *desc)
{
    if (!t->attrs.n)
        return 0;
    xmlNodePtr e = t->elems.v[rng_below(&m->r, t->elems.n)];
    xmlAttrPtr name_from = pick_attr(t, &m->r);
    xmlAttrPtr value_from = t->attrs.v[rng_below(&m->r, t->attrs.n)];
    if (!name_from || name_from->ns)
        return 0;
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)value_from);
    char path[300], val[80];
    node_path(e, path, sizeof path);
    describe_value(v ? (const char *)v : "", val, sizeof val);
    snprintf(desc, DESC_SIZE, "put @%s=%s on %s", (const char *)name_from->name, val, path);
    xmlSetProp(e, name_from->name, v ? v : BAD_CAST "");
    xmlFree(v);
    return 1;
}

/* Inserts an element at a random place: unknown name (in the namespace or
 * in none), an empty element with a known name, or a copy of another
 * element of the document. */
static int mut_add_elem(tree_index *t, mutator *m, char *desc)
{
    xmlNodePtr parent = t->elems.v[rng_below(&m->r, t->elems.n)];
    size_t nkids = 0;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        nkids += c->type == XML_ELEMENT_NODE;
    size_t pos = rng_below(&m->r, nkids + 1);
    xmlNodePtr node;
    char what[360];
    switch (rng_below(&m->r, 4)) {
    case 0:
        node = xmlNewDocNode(t->doc, t->root->ns, BAD_CAST "inconnu", NULL);
        snprintf(what, sizeof what, "unknown element <inconnu>");
        break;
    case 1:
        node = xmlNewDocNode(t->doc, NULL, BAD_CAST "inconnu", NULL);
        snprintf(what, sizeof what, "unknown element <inconnu> in no namespace");
        break;
    case 2: {
        xmlNodePtr model = t->elems.v[rng_below(&m->r, t->elems.n)];
        node = xmlNewDocNode(t->doc, model->ns, model->name, NULL);
        snprintf(what, sizeof what, "empty <%s>", (const char *)model->name);
        break;
    }
    default: {
        xmlNodePtr model = pick_non_root(t, &m->r);
        if (!model)
            return 0;
        char path[300];
        node_path(model, path, sizeof path);
        node = xmlDocCopyNode(model, t->doc, 1);
        snprintf(what, sizeof what, "a copy of %s", path);
        break;
    }
    }
    if (!node)
        die("out of memory");
    char path[300];
    node_path(parent, path, sizeof path);
    snprintf(desc, DESC_SIZE, "insert %s as element child %zu of %s", what, pos + 1, path);
    insert_child_at(parent, node, pos);
    return 1;
}

/* Adds an attribute the schemas do not declare. */
static int mut_add_unknown_attr(tree_index *t, mutator *m, char *desc)
{
    xmlNodePtr e = t->elems.v[rng_below(&m->r, t->elems.n)];
    char path[300];
    node_path(e, path, sizeof path);
    switch (rng_below(&m->r, 3)) {
    case 0:
        snprintf(desc, DESC_SIZE, "add @inconnu on %s", path);
        xmlSetProp(e, BAD_CAST "inconnu", BAD_CAST "x");
        break;
    case 1:
        snprintf(desc, DESC_SIZE, "add foreign-namespace @ext:info on %s", path);
        xmlSetNsProp(e, ensure_ns(t, FOREIGN_NS, "ext"), BAD_CAST "info", BAD_CAST "x");
        break;
    default:
        snprintf(desc, DESC_SIZE, "add @xml:lang on %s", path);
        xmlNodeSetLang(e, BAD_CAST "fr");
        break;
    }
    return 1;
}

/* Changes the root's schemaVersion to the next wrong (or right) value. */
static int mut_schema_version(tree_index *t, mutator *m, char *desc)
{
    static const char *const versions[] = {"2.0", "1.0 ", " 1.0", "1", "", "1.0b", "10.0", "1.0"};
    const char *v = versions[m->version_turn++ % (sizeof versions / sizeof versions[0])];
    char val[40];
    describe_value(v, val, sizeof val);
    snprintf(desc, DESC_SIZE, "set /%s/@schemaVersion to %s", (const char *)t->root->name, val);
    xmlSetProp(t->root, BAD_CAST "schemaVersion", BAD_CAST v);
    return 1;
}

/* Puts an xsi:type on a random element: its own declared type, another
 * type of the schema, an unknown one, or a built-in one. */
static int mut_xsi_type(tree_index *t, mutator *m, char *desc)
{
    static const char *const others[] = {"lsun:Chaine600", "lsun:Chaine50", "lsun:Parcours", "lsun:DomaineSocleCycle",
                                         "lsun:NomPrenom", "lsun:Inconnu",  "xs:string",     "xs:anyType"};
    xmlNodePtr e = t->elems.v[rng_below(&m->r, t->elems.n)];
    const char *own = declared_type(e->name);
    char value[80];
    if (own && rng_below(&m->r, 2) == 0)
        snprintf(value, sizeof value, "lsun:%s", own);
    else
        snprintf(value, sizeof value, "%s", others[rng_below(&m->r, sizeof others / sizeof others[0])]);
    char path[300];
    node_path(e, path, sizeof path);
    snprintf(desc, DESC_SIZE, "add xsi:type=\"%s\" on %s", value, path);
    ensure_ns(t, LSU_NS, "lsun");
    ensure_ns(t, XSD_NS, "xs");
    xmlSetNsProp(e, ensure_ns(t, XSI_NS, "xsi"), BAD_CAST "type", BAD_CAST value);
    return 1;
}

/* Inserts a text node among the children of an element-only element. */
static int mut_mixed_text(tree_index *t, mutator *m, char *desc)
{
    static const char *const texts[] = {"texte", " \r\n\t ", "\xc2\xa0", "&amp;"};
    if (!t->parents.n)
        return 0;
    xmlNodePtr parent = t->parents.v[rng_below(&m->r, t->parents.n)];
    vec kids = {0};
    element_children(parent, &kids);
    size_t pos = rng_below(&m->r, kids.n + 1);
    const char *text = texts[rng_below(&m->r, sizeof texts / sizeof texts[0])];
    char path[300], val[40];
    node_path(parent, path, sizeof path);
    describe_value(text, val, sizeof val);
    snprintf(desc, DESC_SIZE, "insert text %s before element child %zu of %s", val, pos + 1, path);
    xmlNodePtr node = xmlNewDocText(t->doc, BAD_CAST text);
    if (pos < kids.n)
        xmlAddPrevSibling(kids.v[pos], node);
    else
        xmlAddChild(parent, node);
    vec_free(&kids);
    return 1;
}

/* Removes every child of a random element. */
static int mut_clear_elem(tree_index *t, mutator *m, char *desc)
{
    xmlNodePtr e = t->elems.v[rng_below(&m->r, t->elems.n)];
    char path[300];
    node_path(e, path, sizeof path);
    snprintf(desc, DESC_SIZE, "empty element %s", path);
    set_text(e, "");
    return 1;
}

/* Renames an element after another element of the document, or moves it
 * out of the namespace. */
static int mut_rename_elem(tree_index *t, mutator *m, char *desc)
{
    xmlNodePtr e = t->elems.v[rng_below(&m->r, t->elems.n)];
    char path[300];
    node_path(e, path, sizeof path);
    if (rng_below(&m->r, 5) == 0) {
        snprintf(desc, DESC_SIZE, "move %s out of the namespace", path);
        xmlSetNs(e, NULL);
        return 1;
    }
    xmlNodePtr model = t->elems.v[rng_below(&m->r, t->elems.n)];
    snprintf(desc, DESC_SIZE, "rename %s to <%s>", path, (const char *)model->name);
    xmlNodeSetName(e, model->name);
    return 1;
}

/* Applies one mutation of the given kind; when the document offers no
 * target for it, tries the next kinds.  Returns 0 if none applied. */
static int mutate(xmlDocPtr doc, mutator *m, mutation_kind kind, char *desc)
{
    typedef int (*mut_fn)(tree_index *, mutator *, char *);
    static const mut_fn fns[M_KIND_COUNT] = {
        [M_SET_ATTR] = mut_set_attr,
        [M_SET_TEXT] = mut_set_text,
        [M_REMOVE_ATTR] = mut_remove_attr,
        [M_REMOVE_ELEM] = mut_remove_elem,
        [M_DUP_ELEM] = mut_dup_elem,
        [M_SWAP] = mut_swap,
        [M_COPY_KEY] = mut_copy_key,
        [M_ADD_KNOWN_ATTR] = mut_add_known_attr,
        [M_ADD_ELEM] = mut_add_elem,
        [M_ADD_UNKNOWN_ATTR] = mut_add_unknown_attr,
        [M_SCHEMA_VERSION] = mut_schema_version,
        [M_XSI_TYPE] = mut_xsi_type,
        [M_MIXED_TEXT] = mut_mixed_text,
        [M_CLEAR_ELEM] = mut_clear_elem,
        [M_RENAME_ELEM] = mut_rename_elem,
    };
    tree_index t;
    index_build(&t, doc);
    int done = 0;
    if (t.root)
        for (int k = 0; k < M_KIND_COUNT && !done; k++)
            done = fns[(kind + k) % M_KIND_COUNT](&t, m, desc);
    index_free(&t);
    return done;
}

/* ------------------------------------------------------------------ */
/* Systematic mutations                                                 */
/* ------------------------------------------------------------------ */

/* Nodes that share a context: the attributes with the same general path
 * and name, or the elements with the same general path. */
typedef struct {
    char *key;
    vec items;
} group;

typedef struct {
    group *v;
    size_t n;
} group_set;

typedef struct {
    group_set attrs; /* items: xmlAttrPtr */
    group_set elems; /* items: xmlNodePtr, every element but the root */
    group_set texts; /* items: xmlNodePtr, elements holding text */
} groups;

/* Adds item to the group named key, creating the group if needed. */
static void group_add(group_set *gs, const char *key, void *item)
{
    size_t i = 0;
    while (i < gs->n && strcmp(gs->v[i].key, key) != 0)
        i++;
    if (i == gs->n) {
        group *v = realloc(gs->v, (gs->n + 1) * sizeof *v);
        if (!v)
            die("out of memory");
        gs->v = v;
        gs->v[i].key = xstrdup(key);
        memset(&gs->v[i].items, 0, sizeof gs->v[i].items);
        gs->n++;
    }
    vec_push(&gs->v[i].items, item);
}

/* Releases a group set. */
static void group_set_free(group_set *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        free(gs->v[i].key);
        vec_free(&gs->v[i].items);
    }
    free(gs->v);
    gs->v = NULL;
    gs->n = 0;
}

/* Groups the nodes of an indexed document by context (general path, and
 * attribute name for attributes), groups in document order. */
static void groups_build(groups *g, tree_index *t)
{
    memset(g, 0, sizeof *g);
    char path[600], key[700];
    for (size_t i = 0; i < t->elems.n; i++) {
        xmlNodePtr e = t->elems.v[i];
        path_of(e, 0, path, sizeof path);
        if (e != t->root)
            group_add(&g->elems, path, e);
        if (!has_element_child(e) && has_text(e))
            group_add(&g->texts, path, e);
        for (xmlAttrPtr a = e->properties; a; a = a->next) {
            snprintf(key, sizeof key, "%s/@%s", path, (const char *)a->name);
            group_add(&g->attrs, key, a);
        }
    }
}

/* Releases the groups. */
static void groups_free(groups *g)
{
    group_set_free(&g->attrs);
    group_set_free(&g->elems);
    group_set_free(&g->texts);
}

typedef enum {
    S_ATTR_VALUE,   /* attribute := value #arg of the table */
    S_ATTR_COPY,    /* attribute := value of attribute #other (same name) */
    S_ATTR_REMOVE,  /* remove the attribute */
    S_TEXT_VALUE,   /* text := text #arg of the table */
    S_ELEM_REMOVE,  /* remove the element */
    S_ELEM_DUP,     /* duplicate the element */
    S_ELEM_CLEAR,   /* remove the element's children */
    S_ELEM_SWAP,    /* swap the element with its next element sibling */
    S_ELEM_UNKNOWN, /* add an unknown child element */
    S_KEY_ALL,      /* copy from sibling #other every attribute but id */
    S_KEY_ONLY,     /* copy from sibling #other only attribute #arg */
    S_KEY_ALL_BUT   /* copy from sibling #other all but id and #arg */
} op_kind;

/* One systematic mutation, named by indexes into the tree_index arrays
 * (elems or attrs, in document order) so that it can be replayed on any
 * copy of the document. */
typedef struct {
    op_kind kind;
    size_t target, other, arg;
} op;

typedef struct {
    op *v;
    size_t n, cap;
    xmlHashTablePtr seen; /* probes already planned in this run (borrowed) */
} op_list;

/* Returns the position of p in the array (which must hold it). */
static size_t index_of(const vec *a, const void *p)
{
    size_t i = 0;
    while (i < a->n && a->v[i] != p)
        i++;
    return i;
}

/* Appends an operation to the plan unless the same probe (kind, context,
 * detail) was already planned for an earlier file of the run. */
static void plan_add(op_list *p, op_kind kind, const char *context, const char *detail, size_t target, size_t other,
                     size_t arg)
{
    if (p->seen) {
        char key[900];
        snprintf(key, sizeof key, "%d|%s|%s", (int)kind, context, detail);
        if (xmlHashAddEntry(p->seen, BAD_CAST key, p) != 0)
            return; /* already there */
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        op *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            die("out of memory");
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = (op){kind, target, other, arg};
}

/* True when an attribute takes part in key copies (not @id, no namespace). */
static int is_key_attr(xmlAttrPtr a)
{
    return !a->ns && !xmlStrEqual(a->name, BAD_CAST "id");
}

/* Returns the arg-th attribute of e that is_key_attr accepts. */
static xmlAttrPtr key_attr_at(xmlNodePtr e, size_t arg)
{
    for (xmlAttrPtr a = e->properties; a; a = a->next)
        if (is_key_attr(a) && arg-- == 0)
            return a;
    return NULL;
}

/* Counts the element children of e's parent that have e's name. */
static size_t same_named_siblings(xmlNodePtr e)
{
    size_t n = 0;
    for (xmlNodePtr s = e->parent ? e->parent->children : e; s; s = s->next)
        n += s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, e->name);
    return n;
}

/* Plans the systematic mutations of a document: every value of the tables
 * on one attribute (resp. text) of each context, removals, duplications,
 * swaps, and key collisions between same-named siblings. */
static void plan_build(xmlDocPtr doc, mutator *m, op_list *plan)
{
    tree_index t;
    groups g;
    index_build(&t, doc);
    if (!t.root) {
        index_free(&t);
        return;
    }
    groups_build(&g, &t);
    char detail[64];
    for (size_t gi = 0; gi < g.attrs.n; gi++) {
        const char *ctx = g.attrs.v[gi].key;
        vec *items = &g.attrs.v[gi].items;
        for (size_t v = 0; v < m->attr_values->n; v++) {
            snprintf(detail, sizeof detail, "%zu", v);
            plan_add(plan, S_ATTR_VALUE, ctx, detail, index_of(&t.attrs, items->v[rng_below(&m->r, items->n)]), 0, v);
        }
        xmlAttrPtr a = items->v[rng_below(&m->r, items->n)];
        size_t target = index_of(&t.attrs, a);
        plan_add(plan, S_ATTR_REMOVE, ctx, "", target, 0, 0);
        /* the value of a same-named attribute elsewhere: unique keys, IDs */
        xmlChar *own = xmlNodeGetContent((xmlNodePtr)a);
        vec others = {0};
        for (size_t k = 0; k < t.attrs.n; k++) {
            xmlAttrPtr b = t.attrs.v[k];
            if (b == a || !xmlStrEqual(b->name, a->name))
                continue;
            xmlChar *val = xmlNodeGetContent((xmlNodePtr)b);
            if (!xmlStrEqual(val, own))
                vec_push(&others, (void *)(uintptr_t)k);
            xmlFree(val);
        }
        if (others.n)
            plan_add(plan, S_ATTR_COPY, ctx, "", target, (size_t)(uintptr_t)others.v[rng_below(&m->r, others.n)], 0);
        vec_free(&others);
        xmlFree(own);
    }
    for (size_t gi = 0; gi < g.texts.n; gi++) {
        vec *items = &g.texts.v[gi].items;
        for (size_t v = 0; v < m->text_values->n; v++) {
            snprintf(detail, sizeof detail, "%zu", v);
            plan_add(plan, S_TEXT_VALUE, g.texts.v[gi].key, detail,
                     index_of(&t.elems, items->v[rng_below(&m->r, items->n)]), 0, v);
        }
    }
    for (size_t gi = 0; gi < g.elems.n; gi++) {
        const char *ctx = g.elems.v[gi].key;
        vec *items = &g.elems.v[gi].items;
        static const op_kind each[] = {S_ELEM_REMOVE, S_ELEM_DUP, S_ELEM_CLEAR, S_ELEM_UNKNOWN};
        for (size_t k = 0; k < sizeof each / sizeof each[0]; k++) {
            /* a probe per number of same-named siblings: cardinalities */
            xmlNodePtr e = items->v[rng_below(&m->r, items->n)];
            snprintf(detail, sizeof detail, "n=%zu", same_named_siblings(e));
            plan_add(plan, each[k], ctx, detail, index_of(&t.elems, e), 0, 0);
        }
        for (size_t k = 0; k < items->n; k++) {
            xmlNodePtr e = items->v[k], next = e->next;
            while (next && next->type != XML_ELEMENT_NODE)
                next = next->next;
            if (next) {
                plan_add(plan, S_ELEM_SWAP, ctx, (const char *)next->name, index_of(&t.elems, e),
                         index_of(&t.elems, next), 0);
                break;
            }
        }
        /* key collisions: the first element that has a same-named sibling */
        for (size_t k = 0; k < items->n; k++) {
            xmlNodePtr e = items->v[k], from = NULL;
            for (size_t j = 0; j < items->n && !from; j++)
                if (j != k && ((xmlNodePtr)items->v[j])->parent == e->parent)
                    from = items->v[j];
            if (!from)
                continue;
            size_t ie = index_of(&t.elems, e), ifrom = index_of(&t.elems, from);
            xmlAttrPtr chosen;
            if (key_attr_at(from, 0))
                plan_add(plan, S_KEY_ALL, ctx, "", ie, ifrom, 0);
            for (size_t ai = 0; (chosen = key_attr_at(from, ai)) != NULL; ai++) {
                plan_add(plan, S_KEY_ONLY, ctx, (const char *)chosen->name, ie, ifrom, ai);
                if (key_attr_at(from, 1))
                    plan_add(plan, S_KEY_ALL_BUT, ctx, (const char *)chosen->name, ie, ifrom, ai);
            }
            break;
        }
    }
    groups_free(&g);
    index_free(&t);
}

/* Replays one planned operation on a copy of the planned document. */
static int apply_op(xmlDocPtr doc, const mutator *m, const op *o, char *desc)
{
    tree_index t;
    index_build(&t, doc);
    char path[300], path2[300], val[80];
    int done = 1;
    switch (o->kind) {
    case S_ATTR_VALUE:
    case S_ATTR_COPY:
    case S_ATTR_REMOVE: {
        xmlAttrPtr a = t.attrs.v[o->target];
        node_path(a->parent, path, sizeof path);
        if (o->kind == S_ATTR_REMOVE) {
            snprintf(desc, DESC_SIZE, "remove %s/@%s", path, (const char *)a->name);
            xmlRemoveProp(a);
            break;
        }
        xmlChar *copied = NULL;
        const char *value;
        if (o->kind == S_ATTR_VALUE) {
            const sample *s = &m->attr_values->v[o->arg];
            value = s->value;
            describe_value(value, val, sizeof val);
            snprintf(desc, DESC_SIZE, "set %s/@%s to %s", path, (const char *)a->name, s->label ? s->label : val);
        } else {
            xmlAttrPtr b = t.attrs.v[o->other];
            copied = xmlNodeGetContent((xmlNodePtr)b);
            value = copied ? (const char *)copied : "";
            node_path(b->parent, path2, sizeof path2);
            describe_value(value, val, sizeof val);
            snprintf(desc, DESC_SIZE, "set %s/@%s to %s, the value of %s/@%s", path, (const char *)a->name, val, path2,
                     (const char *)b->name);
        }
        xmlSetNsProp(a->parent, a->ns, a->name, BAD_CAST value);
        xmlFree(copied);
        break;
    }
    case S_TEXT_VALUE: {
        xmlNodePtr e = t.elems.v[o->target];
        const sample *s = &m->text_values->v[o->arg];
        node_path(e, path, sizeof path);
        describe_value(s->value, val, sizeof val);
        snprintf(desc, DESC_SIZE, "set text of %s to %s", path, s->label ? s->label : val);
        set_text(e, s->value);
        break;
    }
    case S_ELEM_REMOVE:
    case S_ELEM_DUP:
    case S_ELEM_CLEAR:
    case S_ELEM_SWAP:
    case S_ELEM_UNKNOWN: {
        xmlNodePtr e = t.elems.v[o->target];
        node_path(e, path, sizeof path);
        if (o->kind == S_ELEM_REMOVE) {
            snprintf(desc, DESC_SIZE, "remove element %s", path);
            xmlUnlinkNode(e);
            xmlFreeNode(e);
        } else if (o->kind == S_ELEM_DUP) {
            snprintf(desc, DESC_SIZE, "duplicate element %s", path);
            xmlNodePtr copy = xmlDocCopyNode(e, doc, 1);
            if (!copy)
                die("out of memory");
            xmlAddNextSibling(e, copy);
        } else if (o->kind == S_ELEM_CLEAR) {
            snprintf(desc, DESC_SIZE, "empty element %s", path);
            set_text(e, "");
        } else if (o->kind == S_ELEM_SWAP) {
            xmlNodePtr next = t.elems.v[o->other];
            node_path(next, path2, sizeof path2);
            snprintf(desc, DESC_SIZE, "swap %s with the next element %s", path, path2);
            xmlAddPrevSibling(e, next);
        } else {
            snprintf(desc, DESC_SIZE, "add an unknown child element to %s", path);
            xmlAddChild(e, xmlNewDocNode(doc, t.root->ns, BAD_CAST "inconnu", NULL));
        }
        break;
    }
    case S_KEY_ALL:
    case S_KEY_ONLY:
    case S_KEY_ALL_BUT: {
        xmlNodePtr e = t.elems.v[o->target];
        xmlNodePtr from = t.elems.v[o->other];
        xmlAttrPtr chosen = key_attr_at(from, o->arg);
        node_path(e, path, sizeof path);
        node_path(from, path2, sizeof path2);
        if (o->kind == S_KEY_ALL)
            snprintf(desc, DESC_SIZE, "copy the attributes (but id) of %s onto %s", path2, path);
        else
            snprintf(desc, DESC_SIZE, "copy %s @%s of %s onto %s",
                     o->kind == S_KEY_ONLY ? "only" : "the attributes but id and",
                     chosen ? (const char *)chosen->name : "?", path2, path);
        for (xmlAttrPtr a = from->properties; a; a = a->next) {
            if (!is_key_attr(a) || (o->kind == S_KEY_ONLY && a != chosen) || (o->kind == S_KEY_ALL_BUT && a == chosen))
                continue;
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            xmlSetProp(e, a->name, v ? v : BAD_CAST "");
            xmlFree(v);
        }
        break;
    }
    default: done = 0;
    }
    index_free(&t);
    return done;
}

/* ------------------------------------------------------------------ */
/* Per-file check                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    xmlSchemaPtr ours, official;
    xmlHashTablePtr ours_refs, official_refs; /* IDREF(S) attributes of each */
    const char *lsu;                          /* $LSU: lsu's own verdict on each file, when set */
    sample_set attr_values, text_values;
    int mutations;        /* random mutations per file */
    int systematic;       /* run the systematic mutations */
    xmlHashTablePtr seen; /* systematic probes planned so far in the run */
    int trace;
} checker;

/* Validates a with our schema and b with the official one (a and b are
 * two copies of one document: the IDs one validation registers in its
 * document cannot influence the other) and compares the verdicts.
 * Returns 1 when they agree; fills why otherwise.  The official verdict is
 * stored in *official when it is not NULL. */
static int compare_owned(checker *c, xmlDocPtr a, xmlDocPtr b, const char *desc, char *why, size_t size,
                         verdict *official)
{
    capture ca = {0}, cb = {0};
    ca.echo = c->trace;
    if (c->trace)
        fprintf(stderr, "  %s\n", desc);
    verdict va = validate(c->ours, c->ours_refs, a, &ca);
    verdict vb = validate(c->official, c->official_refs, b, &cb);
    if (official)
        *official = vb;
    if (c->trace)
        fprintf(stderr, "    ours=%s official=%s\n", verdict_names[va], verdict_names[vb]);
    if (va == vb)
        return 1;
    snprintf(why, size, "%s: ours says %s, official says %s", desc, verdict_names[va], verdict_names[vb]);
    fprintf(stderr, "conformance: %s\n", why);
    if (ca.count)
        fprintf(stderr, "  ours, line %d, code %d: %s\n", ca.first_line, ca.first_code, ca.first);
    if (cb.count)
        fprintf(stderr, "  official, line %d, code %d: %s\n", cb.first_line, cb.first_code, cb.first);
    return 0;
}

/* compare_owned on a mutated document and one copy of it. */
static int compare_copy(checker *c, xmlDocPtr doc, const char *desc, char *why, size_t size)
{
    xmlDocPtr b = xmlCopyDoc(doc, 1);
    if (!b)
        die("cannot copy a document");
    int rc = compare_owned(c, doc, b, desc, why, size, NULL);
    xmlFreeDoc(b);
    return rc;
}

/* compare_owned on two fresh copies of doc, which stays unvalidated. */
static int compare(checker *c, xmlDocPtr doc, const char *desc, char *why, size_t size, verdict *official)
{
    xmlDocPtr a = xmlCopyDoc(doc, 1), b = xmlCopyDoc(doc, 1);
    if (!a || !b)
        die("cannot copy a document");
    int rc = compare_owned(c, a, b, desc, why, size, official);
    xmlFreeDoc(a);
    xmlFreeDoc(b);
    return rc;
}

/* What lsu itself says of a file (`$LSU check --json`): 1 refused for
 * schema reasons (an XSD code, REF001 or REF002), 0 not, -1 when lsu did
 * not get to the schema (unreadable, not an école file: LEC, FMT) or could
 * not be run. */
static int lsu_schema_refusal(const char *lsu, const char *path)
{
    char cmd[4096];
    size_t o = (size_t)snprintf(cmd, sizeof cmd, "'%s' check --json '", lsu);
    for (const char *p = path; *p && o + 8 < sizeof cmd; p++) {
        if (*p == '\'') {
            memcpy(cmd + o, "'\\''", 4);
            o += 4;
        } else {
            cmd[o++] = *p;
        }
    }
    snprintf(cmd + o, sizeof cmd - o, "' 2>/dev/null");
    FILE *in = popen(cmd, "r");
    if (!in)
        return -1;
    int schema = 0, before_schema = 0;
    char line[8192];
    while (fgets(line, sizeof line, in)) {
        const char *code = strstr(line, "\"code\": \"");
        if (!code)
            continue;
        code += 9;
        if (strncmp(code, "XSD", 3) == 0 || strncmp(code, "REF001", 6) == 0 || strncmp(code, "REF002", 6) == 0)
            schema = 1;
        if (strncmp(code, "LEC", 3) == 0 || strncmp(code, "FMT", 3) == 0 || strncmp(code, "INT", 3) == 0)
            before_schema = 1;
    }
    int rc = pclose(in);
    if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) > 3 || before_schema)
        return -1;
    return schema;
}

/* Returns the part of path after its last '/'. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* One input file: its path, size, rank on the command line and result. */
typedef struct {
    char *path;
    long long size;
    size_t rank;
    char *line; /* the PASS / FAIL line, without newline */
    int pass;
} job;

/* Checks one file and stores its PASS or FAIL line in the job. */
static void check_file(checker *c, job *jb)
{
    const char *path = jb->path;
    char line[5 * DESC_SIZE];
    char why[2 * DESC_SIZE], first_why[2 * DESC_SIZE] = "";
    int mismatches = 0;
    if (c->trace)
        fprintf(stderr, "conformance: %s\n", path);
    xmlDocPtr doc = xmlReadFile(path, NULL, PARSE_OPTIONS);
    if (!doc) {
        /* Not well-formed: both schemas necessarily reject it. */
        snprintf(line, sizeof line, "PASS conformance %s (0 mutations)", path);
        jb->line = xstrdup(line);
        jb->pass = 1;
        return;
    }
    verdict official_base = V_INVALID;
    if (!compare(c, doc, "the file as it is", why, sizeof why, &official_base)) {
        mismatches++;
        snprintf(first_why, sizeof first_why, "%s", why);
    }
    int base_valid = official_base == V_VALID;
    if (c->lsu && official_base != V_INTERNAL) {
        /* lsu's own verdict on the file: refused for schema reasons exactly
         * when the official schema (references resolved) rejects it */
        int refused = lsu_schema_refusal(c->lsu, path);
        if (refused >= 0 && refused != (official_base == V_INVALID)) {
            snprintf(why, sizeof why, "the file as it is: lsu %s it for schema reasons, official says %s",
                     refused ? "refuses" : "does not refuse", verdict_names[official_base]);
            fprintf(stderr, "conformance: %s\n", why);
            if (mismatches++ == 0)
                snprintf(first_why, sizeof first_why, "%s", why);
        }
    }
    mutator m = {.attr_values = &c->attr_values, .text_values = &c->text_values};
    rng_seed(&m.r, base_name(path));
    int applied = 0;
    char desc[DESC_SIZE], label[DESC_SIZE + 64];

    /* Systematic mutations, from a base the official schema accepts (from
     * an invalid base nearly every mutation stays invalid for both). */
    long long size = jb->size;
    op_list plan = {.seen = c->seen};
    if (base_valid && c->systematic && size <= SMALL_FILE)
        plan_build(doc, &m, &plan);
    for (size_t i = 0; i < plan.n; i++) {
        xmlDocPtr copy = xmlCopyDoc(doc, 1);
        if (!copy)
            die("cannot copy a document");
        if (apply_op(copy, &m, &plan.v[i], desc)) {
            applied++;
            snprintf(label, sizeof label, "systematic mutation %zu (%s)", i + 1, desc);
            if (!compare_copy(c, copy, label, why, sizeof why) && mismatches++ == 0)
                snprintf(first_why, sizeof first_why, "%s", why);
        }
        xmlFreeDoc(copy);
    }
    free(plan.v);

    /* Random mutations, fewer for large files (each validation of a large
     * file costs more, and its contexts are the small files' ones). */
    long long count = c->mutations;
    if (size > SMALL_FILE) {
        count = count * SMALL_FILE / size;
        if (count < MIN_MUTATIONS)
            count = c->mutations < MIN_MUTATIONS ? c->mutations : MIN_MUTATIONS;
    }
    for (int i = 0; i < count; i++) {
        xmlDocPtr copy = xmlCopyDoc(doc, 1);
        if (!copy)
            die("cannot copy a document");
        mutation_kind kind = schedule[(size_t)i % (sizeof schedule / sizeof schedule[0])];
        if (mutate(copy, &m, kind, desc)) {
            applied++;
            snprintf(label, sizeof label, "random mutation %d (%s)", i + 1, desc);
            if (!compare_copy(c, copy, label, why, sizeof why) && mismatches++ == 0)
                snprintf(first_why, sizeof first_why, "%s", why);
        }
        xmlFreeDoc(copy);
    }
    xmlFreeDoc(doc);
    jb->pass = mismatches == 0;
    if (jb->pass)
        snprintf(line, sizeof line, "PASS conformance %s (%d mutations)", path, applied);
    else if (mismatches > 1)
        snprintf(line, sizeof line, "FAIL conformance %s: %s (and %d more differences out of %d mutations)", path,
                 first_why, mismatches - 1, applied);
    else
        snprintf(line, sizeof line, "FAIL conformance %s: %s", path, first_why);
    jb->line = xstrdup(line);
}

/* ------------------------------------------------------------------ */
/* Command line and directory walk                                      */
/* ------------------------------------------------------------------ */

/* True when name ends with ".xml". */
static int is_xml_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Joins a directory and an entry name with one '/'. */
static char *path_join(const char *dir, const char *name)
{
    size_t d = strlen(dir), n = strlen(name);
    while (d > 1 && dir[d - 1] == '/')
        d--;
    char *p = xmalloc(d + 1 + n + 1);
    memcpy(p, dir, d);
    p[d] = '/';
    memcpy(p + d + 1, name, n + 1);
    return p;
}

/* qsort comparator on strings by byte value. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends to files the .xml files under dir, recursively, sorted by name
 * within each directory; symbolic links to directories are not followed. */
static void walk_dir(const char *dir, vec *files)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "conformance: %s: %s\n", dir, strerror(errno));
        return;
    }
    vec names = {0};
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL)
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
            vec_push(&names, xstrdup(ent->d_name));
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof names.v[0], cmp_names);
    for (size_t i = 0; i < names.n; i++) {
        char *full = path_join(dir, names.v[i]);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk_dir(full, files);
            free(full);
        } else if (is_xml_name(names.v[i]) && stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            vec_push(files, full);
        } else {
            free(full);
        }
        free(names.v[i]);
    }
    vec_free(&names);
}

/* qsort comparator on jobs: smallest file first, then command-line rank. */
static int cmp_job_size(const void *a, const void *b)
{
    const job *x = *(job *const *)a, *y = *(job *const *)b;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* qsort comparator on jobs: command-line rank. */
static int cmp_job_rank(const void *a, const void *b)
{
    const job *x = *(job *const *)a, *y = *(job *const *)b;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Reads CONFORMANCE_MUTATIONS, or returns the default. */
static int mutation_count(void)
{
    const char *s = getenv("CONFORMANCE_MUTATIONS");
    if (!s || !*s)
        return DEFAULT_MUTATIONS;
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || *end || n < 0 || n > 1000000) {
        fprintf(stderr, "conformance: ignoring CONFORMANCE_MUTATIONS=%s\n", s);
        return DEFAULT_MUTATIONS;
    }
    return (int)n;
}

/* Compiles both schemas, checks every input file, prints the results. */
int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: conformance OUR.xsd OFFICIAL.xsd FILE_OR_DIR...\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[2], &st) != 0) {
        printf("SKIP conformance: official schema absent\n");
        return 0;
    }
    LIBXML_TEST_VERSION
    xmlSetGenericErrorFunc(NULL, on_generic);
    xmlSetStructuredErrorFunc(NULL, on_error);

    checker c = {0};
    c.mutations = mutation_count();
    const char *systematic = getenv("CONFORMANCE_SYSTEMATIC");
    c.systematic = !systematic || strcmp(systematic, "0") != 0;
    const char *trace = getenv("CONFORMANCE_TRACE");
    c.trace = trace && *trace && strcmp(trace, "0") != 0;
    c.ours = compile_schema(argv[1]);
    c.official = compile_schema(argv[2]);
    int status = 0;
    if (!c.ours || !c.official) {
        printf("FAIL conformance %s: schema does not compile\n", c.ours ? argv[2] : argv[1]);
        status = 1;
        goto done;
    }
    c.lsu = getenv("LSU");
    if (c.lsu && !*c.lsu)
        c.lsu = NULL;
    c.ours_refs = idref_attributes(argv[1]);
    c.official_refs = idref_attributes(argv[2]);
    c.seen = xmlHashCreate(4096);
    if (!c.seen)
        die("out of memory");
    attr_samples(&c.attr_values);
    text_samples(&c.text_values);

    /* Every input file, in command-line order (directories walked). */
    vec jobs = {0};
    for (int i = 3; i < argc; i++) {
        vec files = {0};
        if (stat(argv[i], &st) != 0) {
            char line[2 * DESC_SIZE];
            snprintf(line, sizeof line, "FAIL conformance %s: %s", argv[i], strerror(errno));
            job *jb = xmalloc(sizeof *jb);
            *jb = (job){.path = xstrdup(argv[i]), .rank = jobs.n, .line = xstrdup(line)};
            vec_push(&jobs, jb);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk_dir(argv[i], &files);
            if (!files.n)
                fprintf(stderr, "conformance: %s: no .xml file found\n", argv[i]);
        } else {
            vec_push(&files, xstrdup(argv[i]));
        }
        for (size_t k = 0; k < files.n; k++) {
            job *jb = xmalloc(sizeof *jb);
            *jb = (job){.path = files.v[k], .rank = jobs.n};
            jb->size = stat(jb->path, &st) == 0 ? (long long)st.st_size : 0;
            vec_push(&jobs, jb);
        }
        vec_free(&files);
    }

    /* Checked smallest first, so that the systematic probes of each
     * context are made on the smallest file that has it (validation time
     * grows with the file); reported in command-line order. */
    if (jobs.n) {
        qsort(jobs.v, jobs.n, sizeof jobs.v[0], cmp_job_size);
        for (size_t k = 0; k < jobs.n; k++) {
            job *jb = jobs.v[k];
            if (!jb->line)
                check_file(&c, jb);
        }
        qsort(jobs.v, jobs.n, sizeof jobs.v[0], cmp_job_rank);
    }
    for (size_t k = 0; k < jobs.n; k++) {
        job *jb = jobs.v[k];
        printf("%s\n", jb->line);
        if (!jb->pass)
            status = 1;
        free(jb->line);
        free(jb->path);
        free(jb);
    }
    vec_free(&jobs);

done:
    sample_free(&c.attr_values);
    sample_free(&c.text_values);
    if (c.seen)
        xmlHashFree(c.seen, NULL);
    if (c.ours_refs)
        xmlHashFree(c.ours_refs, NULL);
    if (c.official_refs)
        xmlHashFree(c.official_refs, NULL);
    if (c.ours)
        xmlSchemaFree(c.ours);
    if (c.official)
        xmlSchemaFree(c.official);
    xmlCleanupParser();
    return status;
}
