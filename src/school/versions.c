/* What a version of a stored bilan is: when two saved forms hold the same
 * content (a new version is made only when they do not), and what changed
 * from one to the next, in French, for the history (see school_int.h).
 *
 * Content is what the director and the families read: positionnements,
 * appréciations, éléments du programme, parcours, accompagnements, socle,
 * synthèse, dates, teachers, director, guardians, and the pupil's name and
 * class.  Not content: the letter case of names and class labels (ONDE
 * writes names in capitals, the exports do not), the file's internal ids
 * (eleve-id, classe-id, periode-id, the ids of teachers, director and
 * éléments du programme, which a new export may number afresh), and the
 * export's date-verrou (the store's own lock is what counts). */
#include "base/text.h"
#include "school/school_int.h"

#include <libxml/parser.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Parses a saved form; NULL when it is not XML. */
static xmlDocPtr parse_saved(const char *xml)
{
    return xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8", XML_PARSE_NONET);
}

/* Replaces attribute `name` of n by its lower case; -1 when memory ran out. */
static int fold_prop(xmlNodePtr n, const char *name)
{
    if (!xmlHasProp(n, BAD_CAST name))
        return 0;
    lsu_buf b = {0};
    lsu_fold_case(lsu_attr_or_empty(n, name), &b);
    int rc = b.failed || !xmlSetProp(n, BAD_CAST name, BAD_CAST b.data) ? -1 : 0;
    lsu_buf_free(&b);
    return rc;
}

/* The canonical form of a saved bilan: what is not content removed or
 * folded (see the top of this file), serialised.  Caller frees; NULL when
 * the form is not XML or memory ran out. */
static char *canonical(const char *xml)
{
    xmlDocPtr d = parse_saved(xml);
    xmlNodePtr root = d ? xmlDocGetRootElement(d) : NULL;
    if (!root) {
        xmlFreeDoc(d);
        return NULL;
    }
    static const char *const not_content[] = {"eleve-id", "classe-id", "periode-id", "date-verrou"};
    for (size_t i = 0; i < sizeof not_content / sizeof *not_content; i++)
        xmlUnsetProp(root, BAD_CAST not_content[i]);
    int rc = fold_prop(root, "nom") | fold_prop(root, "prenom") | fold_prop(root, "classe");
    for (xmlNodePtr n = root->children; n && rc == 0; n = lsu_walk_next(root, n, 1)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (strcmp(name, "element-programme") == 0)
            xmlUnsetProp(n, BAD_CAST "id");
        if (strcmp(name, "enseignant") == 0 || strcmp(name, "directeur") == 0) {
            xmlUnsetProp(n, BAD_CAST "id");
            rc = fold_prop(n, "nom") | fold_prop(n, "prenom");
        }
    }
    xmlBufferPtr buf = rc == 0 ? xmlBufferCreate() : NULL;
    char *out = NULL;
    if (buf && xmlNodeDump(buf, d, root, 0, 0) >= 0)
        out = strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    xmlFreeDoc(d);
    return out;
}

/* See school_int.h. */
int school_bilan_same(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    char *ca = canonical(a), *cb = canonical(b);
    int same = ca && cb && strcmp(ca, cb) == 0;
    free(ca), free(cb);
    return same;
}

/* ---- what changed ---- */

/* "d'" before a label that starts with a vowel or an h (« appréciation
 * d'Éducation physique et sportive »), else "de ". */
static const char *de(const char *label)
{
    static const char *const vowels[] = {"A", "E", "I", "O", "U", "Y", "H", "a", "e", "i", "o", "u", "y", "h", "É",
                                         "È", "Ê", "À", "Â", "Î", "Ô", "Œ", "é", "è", "ê", "à", "â", "î", "ô", "œ"};
    for (size_t i = 0; i < sizeof vowels / sizeof *vowels; i++)
        if (strncmp(label, vowels[i], strlen(vowels[i])) == 0)
            return "d'";
    return "de ";
}

/* Do a and b differ in letter case only (not content, see the top)? */
static int case_only(const char *a, const char *b)
{
    lsu_buf fa = {0}, fb = {0};
    lsu_fold_case(a, &fa), lsu_fold_case(b, &fb);
    int same = fa.data && fb.data && strcmp(fa.data, fb.data) == 0;
    lsu_buf_free(&fa), lsu_buf_free(&fb);
    return same;
}

/* The changes found so far: the first few items, and how many in all. */
typedef struct {
    lsu_buf *out;
    size_t count;
    lsu_buf appreciations, elements; /* the domains whose appréciation / éléments changed, ", "-joined */
    size_t n_appreciations, n_elements;
} changes;

/* The most items one history line shows; the rest are counted. */
#define SHOWN_CHANGES 5

/* Adds one change (printf-style French text). */
static void add_change(changes *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_change(changes *c, const char *fmt, ...)
{
    if (c->count++ >= SHOWN_CHANGES)
        return;
    if (c->count > 1)
        lsu_buf_puts(c->out, " ; ");
    va_list ap;
    va_start(ap, fmt);
    char *s = lsu_vasprintf(fmt, ap);
    va_end(ap);
    lsu_buf_puts(c->out, s ? s : "?");
    free(s);
}

/* The text of n's first child element `name`, or NULL when it has none. */
static const xmlChar *child_text(xmlNodePtr n, const char *name, xmlChar **owned)
{
    xmlNodePtr t = lsu_child(n, name);
    *owned = t ? xmlNodeGetContent(t) : NULL;
    return *owned;
}

/* How the text child `name` changed from a to b. */
enum { TEXT_SAME, TEXT_MODIFIED, TEXT_ADDED, TEXT_REMOVED };
static int text_change(xmlNodePtr a, xmlNodePtr b, const char *name)
{
    xmlChar *ta, *tb;
    child_text(a, name, &ta), child_text(b, name, &tb);
    int how = ta && !tb                            ? TEXT_REMOVED
              : !ta && tb                          ? TEXT_ADDED
              : ta && tb && xmlStrcmp(ta, tb) != 0 ? TEXT_MODIFIED
                                                   : TEXT_SAME;
    xmlFree(ta), xmlFree(tb);
    return how;
}

/* A text child `name` of a and b compared: « WHAT modifiée / ajoutée /
 * retirée »; returns how it changed. */
static int compare_text(changes *c, xmlNodePtr a, xmlNodePtr b, const char *name, const char *what)
{
    static const char *const verb[] = {"", "modifiée", "ajoutée", "retirée"};
    int how = text_change(a, b, name);
    if (how != TEXT_SAME)
        add_change(c, "%s %s", what, verb[how]);
    return how;
}

/* Adds `label` to a list of domains (", "-joined). */
static void list_add(lsu_buf *list, size_t *n, const char *label)
{
    lsu_buf_puts(list, (*n)++ ? ", " : "");
    lsu_buf_puts(list, label);
}

/* The domains whose appréciation or éléments du programme were modified,
 * as one change each: « appréciation de Français modifiée »,
 * « appréciations modifiées : Français, Mathématiques ». */
static void flush_lists(changes *c)
{
    if (c->appreciations.failed || c->elements.failed)
        c->n_appreciations = c->n_elements = 0; /* memory ran out: not shown */
    if (c->n_appreciations == 1)
        add_change(c, "appréciation %s%s modifiée", de(c->appreciations.data), c->appreciations.data);
    else if (c->n_appreciations > 1)
        add_change(c, "appréciations modifiées : %s", c->appreciations.data);
    if (c->n_elements == 1)
        add_change(c, "éléments du programme %s%s modifiés", de(c->elements.data), c->elements.data);
    else if (c->n_elements > 1)
        add_change(c, "éléments du programme modifiés : %s", c->elements.data);
    lsu_buf_free(&c->appreciations), lsu_buf_free(&c->elements);
}

/* A domain's positionnement as the director reads it. */
static const char *position_of(xmlNodePtr n)
{
    if (strcmp(lsu_attr_or_empty(n, "non-evalue"), "oui") == 0)
        return "non évalué";
    const char *p = lsu_attr_or_empty(n, "positionnement");
    return p[0] ? p : "aucun";
}

/* A domain's label: its libelle, else the nomenclature's, else its code. */
static const char *label_of(xmlNodePtr n)
{
    const char *l = lsu_attr_or_empty(n, "libelle");
    if (!l[0])
        l = lsu_domain_libelle(n);
    return l[0] ? l : lsu_attr_or_empty(n, "code");
}

/* The labels of n's element-programme children, "|"-joined, into out. */
static void element_list(xmlNodePtr n, lsu_buf *out)
{
    lsu_buf_add(out, "", 0);
    for (xmlNodePtr e = lsu_child(n, "element-programme"); e; e = lsu_next_same(e)) {
        lsu_buf_puts(out, lsu_attr_or_empty(e, "libelle"));
        lsu_buf_puts(out, "|");
    }
}

/* The child of `parent` named `name` whose code is `code`, or NULL. */
static xmlNodePtr by_code(xmlNodePtr parent, const char *name, const char *code)
{
    for (xmlNodePtr n = lsu_child(parent, name); n; n = lsu_next_same(n))
        if (strcmp(lsu_attr_or_empty(n, "code"), code) == 0)
            return n;
    return NULL;
}

static void compare_domains(changes *c, xmlNodePtr a, xmlNodePtr b, const char *name, const char *prefix);

/* One domain (acquis, sous-domaine, socle's domaine) in both versions:
 * positionnement, appréciation, éléments du programme, sous-domaines. */
static void compare_domain(changes *c, xmlNodePtr a, xmlNodePtr b, const char *prefix)
{
    char label[512];
    snprintf(label, sizeof label, "%s%s%s", prefix, prefix[0] ? " — " : "", label_of(b));
    if (strcmp(position_of(a), position_of(b)) != 0)
        add_change(c, "positionnement %s%s : %s → %s", de(label), label, position_of(a), position_of(b));
    int how = text_change(a, b, "appreciation");
    if (how == TEXT_MODIFIED)
        list_add(&c->appreciations, &c->n_appreciations, label);
    else if (how != TEXT_SAME)
        add_change(c, "appréciation %s%s %s", de(label), label, how == TEXT_ADDED ? "ajoutée" : "retirée");
    lsu_buf ea = {0}, eb = {0};
    element_list(a, &ea), element_list(b, &eb);
    if (ea.data && eb.data && strcmp(ea.data, eb.data) != 0)
        list_add(&c->elements, &c->n_elements, label);
    lsu_buf_free(&ea), lsu_buf_free(&eb);
    compare_domains(c, a, b, "sous-domaine", label);
}

/* The children `name` of a and b matched by code: added, removed, changed. */
static void compare_domains(changes *c, xmlNodePtr a, xmlNodePtr b, const char *name, const char *prefix)
{
    const char *sep = prefix[0] ? " — " : "";
    for (xmlNodePtr n = lsu_child(a, name); n; n = lsu_next_same(n))
        if (!by_code(b, name, lsu_attr_or_empty(n, "code")))
            add_change(c, "domaine retiré : %s%s%s", prefix, sep, label_of(n));
    for (xmlNodePtr n = lsu_child(b, name); n; n = lsu_next_same(n)) {
        xmlNodePtr old = by_code(a, name, lsu_attr_or_empty(n, "code"));
        if (!old)
            add_change(c, "domaine ajouté : %s%s%s", prefix, sep, label_of(n));
        else
            compare_domain(c, old, n, prefix);
    }
}

/* "M. Lacroix Mehmet, Mme Roux Anne" of the people `name` under n. */
static void people(xmlNodePtr n, const char *name, lsu_buf *out)
{
    lsu_buf_add(out, "", 0);
    for (xmlNodePtr p = lsu_child(n, name); p; p = lsu_next_same(p))
        lsu_buf_printf(out, "%s%s %s %s", out->len ? ", " : "",
                       strcmp(lsu_attr_or_empty(p, "civilite"), "M") == 0 ? "M." : "Mme", lsu_attr_or_empty(p, "nom"),
                       lsu_attr_or_empty(p, "prenom"));
}

/* The people `name` under a and b (enseignants' children, the directeur). */
static void compare_people(changes *c, xmlNodePtr a, xmlNodePtr b, const char *name, const char *what)
{
    lsu_buf pa = {0}, pb = {0};
    people(a, name, &pa), people(b, name, &pb);
    if (pa.data && pb.data && !case_only(pa.data, pb.data))
        add_change(c, "%s : %s → %s", what, pa.len ? pa.data : "aucun", pb.len ? pb.data : "aucun");
    lsu_buf_free(&pa), lsu_buf_free(&pb);
}

/* The serialised form of n (NULL: n is NULL), to compare a whole part. */
static char *dump(xmlNodePtr n)
{
    if (!n)
        return NULL;
    xmlBufferPtr buf = xmlBufferCreate();
    char *out = buf && xmlNodeDump(buf, n->doc, n, 0, 0) >= 0 ? strdup((const char *)xmlBufferContent(buf)) : NULL;
    xmlBufferFree(buf);
    return out;
}

/* A part compared whole (the first child `name` of a and b): « WHAT
 * modifié(e)s / ajouté(e)s / retiré(e)s ». */
static void compare_part(changes *c, xmlNodePtr a, xmlNodePtr b, const char *name, const char *what, const char *agree)
{
    char *da = dump(lsu_child(a, name)), *db = dump(lsu_child(b, name));
    if (da && !db)
        add_change(c, "%s retiré%s", what, agree);
    else if (!da && db)
        add_change(c, "%s ajouté%s", what, agree);
    else if (da && db && strcmp(da, db) != 0)
        add_change(c, "%s modifié%s", what, agree);
    free(da), free(db);
}

/* The administrative data and dates of the bilans' roots a and b; a name
 * or label that differs in letter case only is shown when `letters`
 * (then only they are), not otherwise. */
static void compare_root(changes *c, xmlNodePtr a, xmlNodePtr b, int letters)
{
    static const struct {
        const char *attr, *what;
        int date, fold;
    } fields[] = {{"nom", "nom", 0, 1},
                  {"prenom", "prénom", 0, 1},
                  {"classe", "classe", 0, 1},
                  {"id-be", "identifiant ONDE de la classe", 0, 0},
                  {"date-debut", "début de la période", 1, 0},
                  {"date-fin", "fin de la période", 1, 0},
                  {"date-scolarite", "date de scolarité", 1, 0},
                  {"date-creation", "date de création", 1, 0}};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        const char *va = lsu_attr_or_empty(a, fields[i].attr), *vb = lsu_attr_or_empty(b, fields[i].attr);
        if (strcmp(va, vb) == 0 || (fields[i].fold && case_only(va, vb) != letters) || (letters && !fields[i].fold))
            continue;
        if (strcmp(fields[i].attr, "id-be") == 0 &&
            !case_only(lsu_attr_or_empty(a, "classe"), lsu_attr_or_empty(b, "classe")))
            continue; /* a new class's ONDE id goes without saying */
        char da[11], db[11];
        if (fields[i].date) {
            lsu_date_fr_from_iso(va, da), lsu_date_fr_from_iso(vb, db);
            va = da, vb = db;
        }
        add_change(c, "%s : %s → %s", fields[i].what, va[0] ? va : "aucun", vb[0] ? vb : "aucun");
    }
}

/* See school_int.h. */
size_t school_bilan_changes(const char *before, const char *after, lsu_buf *out)
{
    changes c = {.out = out};
    xmlDocPtr da = parse_saved(before), db = parse_saved(after);
    xmlNodePtr a = da ? xmlDocGetRootElement(da) : NULL, b = db ? xmlDocGetRootElement(db) : NULL;
    if (a && b) {
        compare_root(&c, a, b, 0);
        compare_people(&c, lsu_child(a, "enseignants"), lsu_child(b, "enseignants"), "enseignant", "enseignants");
        compare_people(&c, a, b, "directeur", "directeur");
        compare_domains(&c, lsu_child(a, "liste-acquis"), lsu_child(b, "liste-acquis"), "acquis", "");
        flush_lists(&c);
        compare_part(&c, a, b, "liste-parcours", "parcours", "s");
        compare_part(&c, a, b, "modalites-accompagnement", "modalités d'accompagnement", "es");
        compare_text(&c, a, b, "appreciation-generale", "appréciation générale");
        compare_domains(&c, lsu_child(a, "socle"), lsu_child(b, "socle"), "domaine", "");
        compare_text(&c, a, b, "synthese", "synthèse");
        compare_part(&c, a, b, "responsables", "responsables", "s");
        if (c.count == 0)
            compare_root(&c, a, b, 1); /* a version made by an older lsu for the letters of a name */
    }
    xmlFreeDoc(da), xmlFreeDoc(db);
    if (c.count > SHOWN_CHANGES)
        lsu_buf_printf(out, " ; et %zu autre%s changement%s", c.count - SHOWN_CHANGES,
                       c.count - SHOWN_CHANGES > 1 ? "s" : "", c.count - SHOWN_CHANGES > 1 ? "s" : "");
    return c.count;
}
