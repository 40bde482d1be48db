/* Stage validate: the file against the project's école schema (xsd/).
 *
 * The schema is compiled once per run (runtime.c).  libxml2 reports each
 * violation with its node; the node tells which bilan it lies in, for the
 * report.  Every violation refuses the file (fatal), as LSU's import does;
 * the report says what the LSU rules would make of each bilan once the
 * schema errors are fixed.  libxml2's English
 * messages are turned into French ones from the error code, the node and the
 * values quoted in the message. */
#include "base/util.h"
#include "lsu.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCHEMA_DIAGS 5000

typedef struct {
    lsu_file *file;
    size_t recorded;
    /* the previous error, to drop libxml2's immediate repetitions */
    xmlNodePtr last_node;
    int last_value_error;
    char last_attr[128];
    xmlHashTablePtr duplicate_labels; /* élément labels already reported */
} validate_state;

/* Required children whose absence a director should read in her words
 * rather than as the element libxml2 met in their place. */
typedef struct {
    const char *parent, *child, *words;
} required_child;

static const required_child required_children[] = {
    {"bilan-periodique", "liste-acquis", "La liste des acquis de l'élève manque"},
    {"bilan-periodique", "appreciation-generale", "L'appréciation générale sur la progression de l'élève manque"},
    {"bilan-cycle", "socle", "La maîtrise des composantes du socle manque"},
    {"bilan-cycle", "synthese", "La synthèse des acquis scolaires de l'élève manque"},
};

/* Is `name` one of the comma-separated names of `list`? */
static int list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return 1;
    return 0;
}

/* The required child of `parent` that is absent and among the `expected`
 * ones; NULL when none applies. */
static const required_child *missing_required(xmlNodePtr parent, const char *expected)
{
    if (!parent || parent->type != XML_ELEMENT_NODE)
        return NULL;
    for (size_t i = 0; i < sizeof required_children / sizeof *required_children; i++)
        if (strcmp(lsu_name(parent), required_children[i].parent) == 0 &&
            list_has(expected, required_children[i].child) && !lsu_child(parent, required_children[i].child))
            return &required_children[i];
    return NULL;
}

/* One diagnostic for every élément du programme sharing elem's label,
 * with the lines of all of them; 1 when handled (reported now or already),
 * 0 when elem is not an élément du programme. */
static int duplicate_label(validate_state *st, xmlNodePtr elem, long line, lsu_subject *subj)
{
    const char *libelle = elem ? lsu_attr(elem, "libelle") : NULL;
    if (!libelle || strcmp(lsu_name(elem), "element-programme") != 0 || !elem->parent)
        return 0;
    if (!st->duplicate_labels && !(st->duplicate_labels = xmlHashCreate(16)))
        return 0;
    if (xmlHashLookup(st->duplicate_labels, BAD_CAST libelle))
        return 1;
    xmlHashAddEntry(st->duplicate_labels, BAD_CAST libelle, elem);
    char lines[256] = "";
    size_t used = 0;
    int count = 0;
    long first = line;
    for (xmlNodePtr n = elem->parent->children; n; n = n->next) {
        const char *other = n->type == XML_ELEMENT_NODE ? lsu_attr(n, "libelle") : NULL;
        if (!other || strcmp(other, libelle) != 0)
            continue;
        if (count++ == 0)
            first = lsu_line(n);
        if (used + 24 < sizeof lines)
            used += (size_t)snprintf(lines + used, sizeof lines - used, "%s%ld", count > 1 ? ", " : "", lsu_line(n));
    }
    char *shown = lsu_utf8_shorten(libelle, 60);
    lsu_diag_add(&st->file->diags, DIAG_XSD010, first, subj,
                 "Le libellé d'élément du programme « %s » figure %d fois (lignes %s) ; chaque libellé doit être "
                 "unique.",
                 shown ? shown : "", count, lines);
    free(shown);
    return 1;
}

/* Is this libxml2 code about a value (facet or type) rather than structure? */
static int is_value_error(int code)
{
    switch (code) {
    case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
    case XML_SCHEMAV_CVC_MINLENGTH_VALID:
    case XML_SCHEMAV_CVC_LENGTH_VALID:
    case XML_SCHEMAV_CVC_PATTERN_VALID:
    case XML_SCHEMAV_CVC_ENUMERATION_VALID:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
    case XML_SCHEMAV_CVC_ATTRIBUTE_3:
    case XML_SCHEMAV_CVC_TYPE_3_1_2: return 1;
    }
    return 0;
}

/* Copies the n-th '...'-quoted token of msg into out ("" when absent). */
static void quoted(const char *msg, int nth, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = msg;
    for (int i = 0; p && i <= nth; i++) {
        const char *open = strchr(p, '\'');
        if (!open)
            return;
        const char *close = strchr(open + 1, '\'');
        if (!close)
            return;
        if (i == nth) {
            size_t n = (size_t)(close - open - 1);
            if (n >= size)
                n = size - 1;
            memcpy(out, open + 1, n);
            out[n] = '\0';
            return;
        }
        p = close + 1;
    }
}

/* Copies the text after `key` in msg up to `stop` (exclusive), with every
 * "{namespace}" prefix removed, into out. */
static void after(const char *msg, const char *key, char stop, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = msg ? strstr(msg, key) : NULL;
    if (!p)
        return;
    p += strlen(key);
    size_t o = 0;
    for (; *p && *p != stop && o + 1 < size; p++) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (close) {
                p = close;
                continue;
            }
        }
        out[o++] = *p;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

/* Tidies a list quoted by libxml2: "( 'a', 'b' )" becomes "a, b". */
static void clean_list(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\'' || s[i] == '(' || s[i] == ')' || (s[i] == ' ' && (o == 0 || s[o - 1] == ' ')))
            continue;
        s[o++] = s[i];
    }
    while (o > 0 && s[o - 1] == ' ')
        o--;
    s[o] = '\0';
}

/* Reads the integer that follows `key` in msg (e.g. "length of '"); -1. */
static long number_after(const char *msg, const char *key)
{
    const char *p = msg ? strstr(msg, key) : NULL;
    if (!p)
        return -1;
    p += strlen(key);
    char *end;
    long v = strtol(p, &end, 10);
    return end == p ? -1 : v;
}

/* Name of the attribute an error is about: from the node when it is an
 * attribute, else from "attribute 'x'" in the message. */
static void error_attribute(const xmlError *e, xmlNodePtr node, char *out, size_t size)
{
    out[0] = '\0';
    if (node && node->type == XML_ATTRIBUTE_NODE) {
        snprintf(out, size, "%s", (const char *)node->name);
        return;
    }
    const char *p = e->message ? strstr(e->message, "attribute '") : NULL;
    if (p)
        quoted(p, 0, out, size);
}

/* A short, single-line copy of an element's text for quoting in messages. */
static char *text_excerpt(xmlNodePtr elem)
{
    xmlChar *content = xmlNodeGetContent(elem);
    if (!content)
        return NULL;
    for (xmlChar *c = content; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    char *s = lsu_utf8_shorten((const char *)content, 40);
    xmlFree(content);
    return s;
}

/* Does the value look like a French date "dd/mm/yyyy"? Writes the ISO form. */
static int french_date(const char *v, char iso[11])
{
    if (!v || strlen(v) != 10 || v[2] != '/' || v[5] != '/')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 2 && i != 5 && !isdigit((unsigned char)v[i]))
            return 0;
    snprintf(iso, 11, "%.4s-%.2s-%.2s", v + 6, v + 3, v);
    return 1;
}

/* Human description of an XSD built-in type quoted by libxml2. */
static const char *type_words(const char *msg)
{
    if (strstr(msg, "'xs:dateTime'"))
        return "une date et heure au format AAAA-MM-JJThh:mm:ss";
    if (strstr(msg, "'xs:date'"))
        return "une date au format AAAA-MM-JJ";
    if (strstr(msg, "'xs:positiveInteger'"))
        return "un nombre entier strictement positif";
    if (strstr(msg, "'xs:nonNegativeInteger'"))
        return "un nombre entier positif ou nul";
    if (strstr(msg, "'xs:int'") || strstr(msg, "'xs:integer'"))
        return "un nombre entier";
    if (strstr(msg, "'xs:boolean'"))
        return "true ou false";
    if (strstr(msg, "'xs:IDREFS'"))
        return "une liste d'identifiants séparés par des espaces";
    if (strstr(msg, "'xs:IDREF'"))
        return "un identifiant (lettre ou _ en tête, sans espace)";
    if (strstr(msg, "'xs:ID'"))
        return "un identifiant (lettre ou _ en tête, sans espace)";
    return "une valeur du type attendu";
}

/* Records one schema violation as a French diagnostic. */
static void record_schema_error(validate_state *st, const xmlError *e)
{
    lsu_file *f = st->file;
    xmlNodePtr node = e->node;
    xmlNodePtr elem = node && node->type == XML_ATTRIBUTE_NODE ? node->parent : node;
    lsu_subject subj;
    lsu_subject_for_node(&f->index, elem, &subj);
    long line = elem ? lsu_line(elem) : e->line;
    if (line <= 0)
        line = e->line;
    const char *msg = e->message ? e->message : "";
    const char *ename = elem ? lsu_name(elem) : "?";
    char attr[128], value_buf[256], expected[512], tmp[512];
    error_attribute(e, node, attr, sizeof attr);
    const char *value = attr[0] ? lsu_attr(elem, attr) : NULL;
    char where[256], Where[256]; /* "l'attribut « x » de <y>" and its capitalised form */
    if (attr[0]) {
        snprintf(where, sizeof where, "l'attribut « %s » de <%s>", attr, ename);
        snprintf(Where, sizeof Where, "L'attribut « %s » de <%s>", attr, ename);
    } else {
        snprintf(where, sizeof where, "<%s>", ename);
        snprintf(Where, sizeof Where, "<%s>", ename);
    }
    char *excerpt = NULL;
    lsu_diag_list *dl = &f->diags;
    lsu_severity sev = SEV_FATAL;

    int code = e->code;
    if (strstr(msg, "Missing child") || strstr(msg, "is not expected"))
        code = XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4; /* libxml2 uses several codes for these */
    if (strstr(msg, "Element content is not allowed")) {
        xmlNodePtr tag = elem ? elem->children : NULL;
        while (tag && tag->type != XML_ELEMENT_NODE)
            tag = tag->next;
        lsu_diag_add_sev(dl, DIAG_XSD012, sev, line, &subj,
                         "Le texte de <%s> contient la balise <%s> : le format n'admet que du texte brut, sans mise "
                         "en forme.",
                         ename, tag ? lsu_name(tag) : "?");
        return;
    }
    switch (code) {
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4:
        after(msg, "Expected is ", ')', expected, sizeof expected);
        clean_list(expected);
        if (strncmp(expected, "one of ", 7) == 0)
            memmove(expected, expected + 7, strlen(expected + 7) + 1);
        xmlNodePtr parent = strstr(msg, "Missing child") ? elem : elem ? elem->parent : NULL;
        const required_child *missing = missing_required(parent, expected);
        if (missing) {
            lsu_diag_add_sev(dl, DIAG_XSD001, sev, line, &subj, "%s (élément <%s> absent de <%s>).", missing->words,
                             missing->child, missing->parent);
        } else if (strstr(msg, "Missing child") && strchr(expected, ',')) {
            lsu_diag_add_sev(dl, DIAG_XSD001, sev, line, &subj,
                             "Il manque un élément obligatoire à la fin de <%s> (éléments possibles à cet endroit : "
                             "%s).",
                             ename, expected);
        } else if (strstr(msg, "Missing child")) {
            lsu_diag_add_sev(dl, DIAG_XSD001, sev, line, &subj, "Il manque dans <%s> l'élément obligatoire <%s>.",
                             ename, expected[0] ? expected : "?");
        } else {
            lsu_diag_add_sev(dl, DIAG_XSD002, sev, line, &subj, "L'élément <%s> n'est pas attendu à cet endroit%s%s%s.",
                             ename, expected[0] ? " (attendu : " : "", expected, expected[0] ? ")" : "");
        }
        break;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
    case XML_SCHEMAV_ELEMENT_CONTENT:
        lsu_diag_add_sev(dl, DIAG_XSD002, sev, line, &subj,
                         "L'élément <%s> contient du texte ou des éléments qui ne sont pas prévus.", ename);
        break;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
        quoted(msg, 1, value_buf, sizeof value_buf);
        lsu_diag_add_sev(dl, DIAG_XSD003, sev, line, &subj, "L'attribut obligatoire « %s » manque sur <%s>.",
                         value_buf[0] ? value_buf : attr, ename);
        break;
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
    case XML_SCHEMAV_CVC_TYPE_3_1_1: /* an attribute on an element of simple type (text only) */
        lsu_diag_add_sev(dl, DIAG_XSD004, sev, line, &subj, "L'attribut « %s » n'est pas prévu sur <%s>.", attr, ename);
        break;
    case XML_SCHEMAV_CVC_MAXLENGTH_VALID: {
        long have = number_after(msg, "length of '");
        long max = number_after(msg, "maximum length of '");
        excerpt = value ? lsu_utf8_shorten(value, 40) : text_excerpt(elem);
        lsu_diag_add_sev(dl, DIAG_XSD005, sev, line, &subj,
                         "Le texte de %s compte %ld caractères pour un maximum de %ld (« %s »).", where, have, max,
                         excerpt ? excerpt : "");
        break;
    }
    case XML_SCHEMAV_CVC_MINLENGTH_VALID:
        lsu_diag_add_sev(dl, DIAG_XSD006, sev, line, &subj, "Le texte de %s est vide.", where);
        break;
    case XML_SCHEMAV_CVC_PATTERN_VALID: {
        const char *v = value;
        xmlChar *content = NULL;
        if (!v) {
            content = xmlNodeGetContent(elem);
            v = (const char *)content;
        }
        int digits = v && *v;
        for (const char *c = v; digits && *c; c++)
            digits = isdigit((unsigned char)*c);
        if (digits)
            lsu_diag_add_sev(dl, DIAG_XSD007, sev, line, &subj, "La valeur « %s » n'est pas autorisée pour %s.", v,
                             where);
        else if (v && strchr(v, '\r'))
            lsu_diag_add_sev(dl, DIAG_XSD006, sev, line, &subj,
                             "Le texte de %s contient un retour chariot (CR, &#13;) interdit par le format.", where);
        else
            lsu_diag_add_sev(dl, DIAG_XSD006, sev, line, &subj, "Le texte de %s ne contient que des blancs.", where);
        xmlFree(content);
        break;
    }
    case XML_SCHEMAV_CVC_ENUMERATION_VALID:
        quoted(msg, attr[0] ? 2 : 1, value_buf, sizeof value_buf);
        after(msg, "set {", '}', expected, sizeof expected);
        clean_list(expected);
        lsu_diag_add_sev(dl, DIAG_XSD007, sev, line, &subj,
                         "La valeur « %s » n'est pas autorisée pour %s (valeurs admises : %s).",
                         value ? value : value_buf, where, expected);
        break;
    case XML_SCHEMAV_CVC_LENGTH_VALID: {
        long have = number_after(msg, "length of '");
        long want = number_after(msg, "allowed length of '");
        excerpt = value ? lsu_utf8_shorten(value, 40) : text_excerpt(elem);
        lsu_diag_add_sev(dl, DIAG_XSD009, sev, line, &subj,
                         "La valeur « %s » de %s compte %ld caractère%s au lieu de %ld.", excerpt ? excerpt : "", where,
                         have, have > 1 ? "s" : "", want);
        break;
    }
    case XML_SCHEMAV_CVC_IDC:
        if (duplicate_label(st, elem, line, &subj))
            break;
        after(msg, "key-sequence [", ']', tmp, sizeof tmp);
        clean_list(tmp);
        lsu_diag_add_sev(dl, DIAG_XSD010, sev, line, &subj,
                         "Doublon : un autre élément <%s> a déjà la même clé (%s) ; elle doit être unique.", ename,
                         tmp);
        break;
    default:
        if (strstr(msg, "'xs:ID'") && value && lsu_index_lookup(&f->index, value) &&
            lsu_index_lookup(&f->index, value) != elem) {
            lsu_diag_add_sev(dl, DIAG_XSD011, sev, line, &subj,
                             "L'identifiant « %s » est déjà porté par un autre élément (ligne %ld).", value,
                             lsu_line(lsu_index_lookup(&f->index, value)));
        } else if (strstr(msg, "is not a valid value of") || e->code == XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1) {
            char iso[11];
            const char *v = value;
            xmlChar *content = NULL;
            if (!v) {
                content = xmlNodeGetContent(elem);
                v = (const char *)content;
            }
            if (french_date(v, iso))
                lsu_diag_add_sev(dl, DIAG_XSD008, sev, line, &subj,
                                 "%s : « %s » est une date à la française ; le format exige AAAA-MM-JJ (%s).", Where, v,
                                 iso);
            else
                lsu_diag_add_sev(dl, DIAG_XSD008, sev, line, &subj, "%s : « %s » n'est pas %s.", Where, v ? v : "",
                                 type_words(msg));
            xmlFree(content);
        } else {
            after(msg, "", '\n', tmp, sizeof tmp); /* first line, without {namespace} prefixes */
            size_t n = strlen(tmp);
            while (n > 0 && (tmp[n - 1] == '.' || tmp[n - 1] == ' '))
                tmp[--n] = '\0';
            lsu_diag_add_sev(dl, DIAG_XSD099, sev, line, &subj,
                             "Non conforme au schéma dans %s (détail technique : %s).", where, tmp);
        }
        break;
    }
    free(excerpt);
}

/* Structured error callback: filters libxml2's noise, then records. */
static void on_schema_error(void *data, xmlErrorPtr e)
{
    validate_state *st = data;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    if (e->message && strstr(e->message, "No precomputed value"))
        return;
    /* libxml2 reports several facets of one value (an empty text fails both
     * minLength and the pattern; a facet error is followed by a type error):
     * keep the first error about a given value */
    char attr[128];
    error_attribute(e, e->node, attr, sizeof attr);
    int value_error = is_value_error(e->code) || (e->message && strstr(e->message, "is not a valid value of"));
    if (value_error && e->node && e->node == st->last_node && st->last_value_error && strcmp(attr, st->last_attr) == 0)
        return;
    st->last_node = e->node;
    st->last_value_error = value_error;
    snprintf(st->last_attr, sizeof st->last_attr, "%s", attr);
    if (st->recorded == MAX_SCHEMA_DIAGS)
        lsu_diag_add(&st->file->diags, DIAG_XSD099, 0, NULL,
                     "Plus de %d erreurs de schéma : les suivantes ne sont pas listées.", MAX_SCHEMA_DIAGS);
    if (st->recorded++ >= MAX_SCHEMA_DIAGS)
        return;
    record_schema_error(st, e);
}

/* The lists whose items the schema keys by two attributes (xs:unique
 * bilan-periodique-unique and bilan-cycle-unique): where a broken export
 * repeats one bilan, these are the lists that grow. */
typedef struct {
    const char *list, *item, *fields[2];
} keyed_list;

static const keyed_list keyed_lists[] = {
    {"bilans-periodiques", "bilan-periodique", {"eleve-ref", "periode-ref"}},
    {"bilans-cycle", "bilan-cycle", {"eleve-ref", "cycle"}},
};

/* Is v a key value that libxml2 compares as written (an identifier or a
 * plain positive number, no blank to collapse)? */
static int plain_key_value(const char *v)
{
    if (!v || !*v)
        return 0;
    if (xmlValidateNCName(BAD_CAST v, 0) == 0)
        return 1;
    if (v[0] == '0')
        return 0;
    for (const char *c = v; *c; c++)
        if (!isdigit((unsigned char)*c))
            return 0;
    return 1;
}

/* Records one item that repeats an earlier item's key, in libxml2's
 * words (XSD010, fatal), about the pupil it names: the per-subject cap
 * then lists 20 of a pupil's repeated bilans and counts the others. */
static void record_duplicate(lsu_file *f, xmlNodePtr item, const keyed_list *k)
{
    xmlNodePtr eleve = lsu_index_lookup(&f->index, lsu_attr(item, "eleve-ref"));
    lsu_subject subj;
    lsu_subject_for_node(&f->index, eleve, &subj);
    lsu_diag_add_sev(&f->diags, DIAG_XSD010, SEV_FATAL, lsu_line(item), &subj,
                     "Doublon : un autre élément <%s> a déjà la même clé (%s, %s) ; elle doit être unique.", k->item,
                     lsu_attr(item, k->fields[0]), lsu_attr(item, k->fields[1]));
}

/* Counts the items of `list` whose key an earlier item already has, and
 * records each of them in f when f is given; (size_t)-1 when memory ran
 * out.  Items whose key values are not plain are left to libxml2. */
static size_t count_duplicates(xmlNodePtr list, const keyed_list *k, lsu_file *f)
{
    xmlHashTablePtr seen = xmlHashCreate(256);
    if (!seen)
        return (size_t)-1;
    size_t count = 0;
    for (xmlNodePtr n = list->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || strcmp(lsu_name(n), k->item) != 0)
            continue;
        const char *a = lsu_attr(n, k->fields[0]), *b = lsu_attr(n, k->fields[1]);
        if (!plain_key_value(a) || !plain_key_value(b))
            continue;
        if (xmlHashLookup2(seen, BAD_CAST a, BAD_CAST b)) {
            if (f)
                record_duplicate(f, n, k);
            count++;
        } else if (xmlHashAddEntry2(seen, BAD_CAST a, BAD_CAST b, n) < 0) {
            count = (size_t)-1;
            break;
        }
    }
    xmlHashFree(seen, NULL);
    return count;
}

/* Past MAX_SCHEMA_DIAGS items of one list that repeat an earlier item's
 * key, the file is refused on them alone: libxml2 would list no more
 * errors than that, and its identity-constraint check with everything
 * after it (the rules over every bilan, the normalised tree, a report row
 * and a diagnostic for each repeated bilan) costs time and memory in
 * proportion to the repeated bilans.  Records the duplicates (XSD010,
 * fatal; 20 listed per pupil) and returns 1; 0 when no list is that
 * repetitive, and libxml2 decides. */
static int many_duplicates(lsu_file *f)
{
    xmlNodePtr donnees = lsu_child(xmlDocGetRootElement(f->doc), "donnees");
    for (size_t i = 0; donnees && i < sizeof keyed_lists / sizeof *keyed_lists; i++) {
        const keyed_list *k = &keyed_lists[i];
        xmlNodePtr list = lsu_child(donnees, k->list);
        size_t count = list ? count_duplicates(list, k, NULL) : 0;
        if (count == (size_t)-1 || count <= MAX_SCHEMA_DIAGS)
            continue;
        count_duplicates(list, k, f);
        return 1;
    }
    return 0;
}

/* Validates f->doc; never stops the file (later stages still report
 * everything they can), but a violation outside the bilans marks it
 * rejected.  The one exception: a list with more than MAX_SCHEMA_DIAGS
 * repeated keys stops the file here (many_duplicates). */
lsu_stage_status lsu_validate(lsu_file *f, lsu_runtime *rt)
{
    if (many_duplicates(f))
        return LSU_STOP_FILE;
    xmlSchemaValidCtxtPtr vctxt = xmlSchemaNewValidCtxt(rt->schema);
    if (!vctxt) {
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Impossible de créer le contexte de validation.");
        return LSU_STOP_FILE;
    }
    validate_state st = {.file = f};
    xmlSchemaSetValidStructuredErrors(vctxt, on_schema_error, &st);
    /* libxml2 2.9's __xmlRaiseError, given a node and no file name, walks
     * back over every preceding sibling of the node in search of an
     * XInclude start, to name the included file: each error cost the
     * number of siblings before it, and 40 000 duplicated bilans took
     * quadratic time, even past MAX_SCHEMA_DIAGS where the callback drops
     * the errors.  The walk only runs when the document has a URL; lsu
     * never reads e->file, so the URL is withheld while validating. */
    xmlChar *url = (xmlChar *)f->doc->URL;
    f->doc->URL = NULL;
    int rc = xmlSchemaValidateDoc(vctxt, f->doc);
    f->doc->URL = url;
    xmlSchemaFreeValidCtxt(vctxt);
    if (st.duplicate_labels)
        xmlHashFree(st.duplicate_labels, NULL);
    if (rc < 0) {
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "La validation n'a pas pu être menée à son terme.");
        return LSU_STOP_FILE;
    }
    if (rc > 0 && st.recorded == 0)
        lsu_diag_add(&f->diags, DIAG_XSD099, 0, NULL, "Le fichier n'est pas conforme au schéma d'import.");
    return LSU_GO_ON;
}
