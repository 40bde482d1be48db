/* The teachers' entry, on a bilan's tree: a bilan born in the store in the
 * normalised form an imported one has, and the edits of the entry
 * (domains made in the nomenclature's order, éléments du programme,
 * texts, parcours), each keeping the order of the normalised form (see
 * entry_int.h and docs/NORMALISED.md). */
#include "base/hash.h"
#include "base/text.h"
#include "school/entry_int.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* An id of the format (an NCName) derived from `text`: prefix + the first
 * 12 hex digits of its SHA-256, into out. */
static void derived_id(const char *prefix, const char *text, char *out, size_t size)
{
    char hex[65];
    lsu_sha256_hex((const unsigned char *)text, strlen(text), hex);
    snprintf(out, size, "%s%.12s", prefix, hex);
}

/* Adds a person element `name` (enseignant, directeur) under parent. */
static xmlNodePtr add_person(xmlNodePtr parent, const char *name, const char *prefix, const char *civilite,
                             const char *nom, const char *prenom)
{
    char *key = lsu_asprintf("%s|%s|%s", civilite, nom, prenom);
    char id[40];
    derived_id(prefix, key ? key : "", id, sizeof id);
    free(key);
    xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
    if (!n || !xmlNewProp(n, BAD_CAST "id", BAD_CAST id) || !xmlNewProp(n, BAD_CAST "civilite", BAD_CAST civilite) ||
        !xmlNewProp(n, BAD_CAST "nom", BAD_CAST nom) || !xmlNewProp(n, BAD_CAST "prenom", BAD_CAST prenom))
        return NULL;
    return n;
}

/* See entry_int.h. */
int entry_domain_in_cycle(const lsu_domain *d, int cycle)
{
    if (!d)
        return 0;
    if (cycle != 2 && cycle != 3)
        return (d->cycles & (LSU_CYCLE_BIT(2) | LSU_CYCLE_BIT(3))) != 0;
    return (d->cycles & LSU_CYCLE_BIT(cycle)) != 0;
}

/* See entry_int.h. */
int entry_domain_takes_entries(const lsu_domain *d, int cycle)
{
    if (!d || d->parent)
        return d != NULL;
    const lsu_domain *s;
    for (size_t i = 0; (s = lsu_domain_at(i)) != NULL; i++)
        if (s->parent && !s->legacy && strcmp(s->parent, d->code) == 0 && entry_domain_in_cycle(s, cycle))
            return 0;
    return 1;
}

/* The place of `code` in the nomenclature's order; past the end when
 * unknown. */
static size_t domain_rank(const char *code)
{
    const lsu_domain *d;
    size_t i = 0;
    for (; (d = lsu_domain_at(i)) != NULL; i++)
        if (strcmp(d->code, code) == 0)
            return i;
    return i;
}

/* Is n an element named `name`? */
static int is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Inserts the new element `name` under parent after its last child named
 * in before[] (first when none), and returns it; NULL when memory ran out. */
static xmlNodePtr insert_child(xmlNodePtr parent, const char *name, const char *const *before, size_t nbefore)
{
    xmlNodePtr n = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);
    if (!n)
        return NULL;
    xmlNodePtr after = NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        for (size_t i = 0; i < nbefore; i++)
            if (is(c, before[i]))
                after = c;
    if (after)
        return xmlAddNextSibling(after, n);
    if (parent->children)
        return xmlAddPrevSibling(parent->children, n);
    return xmlAddChild(parent, n);
}

/* Inserts a domain node `name` of code d under parent in the
 * nomenclature's order: after the children of names before[] and the
 * domain nodes of a lower rank. */
static xmlNodePtr insert_domain(xmlNodePtr parent, const char *name, const lsu_domain *d, const char *const *before,
                                size_t nbefore)
{
    xmlNodePtr n = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);
    if (!n || !xmlNewProp(n, BAD_CAST "code", BAD_CAST d->code) ||
        !xmlNewProp(n, BAD_CAST "libelle", BAD_CAST d->label)) {
        xmlFreeNode(n);
        return NULL;
    }
    size_t rank = domain_rank(d->code);
    xmlNodePtr after = NULL;
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        for (size_t i = 0; i < nbefore; i++)
            if (is(c, before[i]))
                after = c;
        if (is(c, name) && domain_rank(lsu_attr_or_empty(c, "code")) < rank)
            after = c;
    }
    if (after)
        return xmlAddNextSibling(after, n);
    if (parent->children)
        return xmlAddPrevSibling(parent->children, n);
    return xmlAddChild(parent, n);
}

/* The child of parent named `name` whose code is `code`, or NULL. */
static xmlNodePtr child_with_code(xmlNodePtr parent, const char *name, const char *code)
{
    for (xmlNodePtr n = lsu_child(parent, name); n; n = lsu_next_same(n))
        if (strcmp(lsu_attr_or_empty(n, "code"), code) == 0)
            return n;
    return NULL;
}

/* See entry_int.h. */
xmlNodePtr entry_domain_node(xmlNodePtr b, const lsu_domain *d, int create)
{
    static const char *const list_before[] = {"enseignants", "directeur"};
    static const char *const sub_before[] = {"element-programme", "appreciation"};
    if (!d)
        return NULL;
    if (d->parent) {
        xmlNodePtr a = entry_domain_node(b, lsu_domain_find(d->parent), create);
        xmlNodePtr sd = a ? child_with_code(a, "sous-domaine", d->code) : NULL;
        return sd || !a || !create ? sd : insert_domain(a, "sous-domaine", d, sub_before, 2);
    }
    xmlNodePtr list = lsu_child(b, "liste-acquis");
    if (!list && create)
        list = insert_child(b, "liste-acquis", list_before, 2);
    xmlNodePtr a = list ? child_with_code(list, "acquis", d->code) : NULL;
    return a || !list || !create ? a : insert_domain(list, "acquis", d, NULL, 0);
}

/* The key two labels of one élément share: lower case, each run of
 * blanks one space, none around; into out. */
static void label_key(const char *s, lsu_buf *out)
{
    lsu_buf folded = {0};
    lsu_fold_case(s, &folded);
    lsu_buf_add(out, "", 0);
    int blank = 0;
    for (const char *p = folded.data ? folded.data : ""; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n') {
            blank = 1;
            continue;
        }
        if (blank && out->len)
            lsu_buf_add(out, " ", 1);
        blank = 0;
        lsu_buf_add(out, p, 1);
    }
    if (folded.failed)
        out->failed = 1;
    lsu_buf_free(&folded);
}

/* See entry_int.h. */
int entry_label_same(const char *a, const char *b)
{
    lsu_buf ka = {0}, kb = {0};
    label_key(a, &ka), label_key(b, &kb);
    int same = !ka.failed && !kb.failed && ka.data && kb.data && strcmp(ka.data, kb.data) == 0;
    lsu_buf_free(&ka), lsu_buf_free(&kb);
    return same;
}

/* See entry_int.h. */
xmlNodePtr entry_element_find(xmlNodePtr dom, const char *libelle)
{
    for (xmlNodePtr e = lsu_child(dom, "element-programme"); e; e = lsu_next_same(e))
        if (entry_label_same(lsu_attr_or_empty(e, "libelle"), libelle))
            return e;
    return NULL;
}

/* See entry_int.h. */
int entry_element_rename(xmlNodePtr e, const char *libelle)
{
    char id[40];
    derived_id("EP_", libelle, id, sizeof id);
    return xmlSetProp(e, BAD_CAST "id", BAD_CAST id) && xmlSetProp(e, BAD_CAST "libelle", BAD_CAST libelle) ? 0 : -1;
}

/* See entry_int.h. */
xmlNodePtr entry_element_add(xmlNodePtr dom, const char *libelle)
{
    static const char *const before[] = {"element-programme"};
    xmlNodePtr e = insert_child(dom, "element-programme", before, 1);
    if (e && entry_element_rename(e, libelle) != 0)
        return NULL;
    return e;
}

/* See entry_int.h. */
void entry_element_move(xmlNodePtr e, long pos)
{
    xmlNodePtr dom = e->parent;
    xmlUnlinkNode(e);
    xmlNodePtr at = lsu_child(dom, "element-programme"), last = NULL;
    for (long i = 1; at && i < pos; i++) {
        last = at;
        at = lsu_next_same(at);
    }
    if (at)
        xmlAddPrevSibling(at, e);
    else if (last)
        xmlAddNextSibling(last, e);
    else if (dom->children)
        xmlAddPrevSibling(dom->children, e);
    else
        xmlAddChild(dom, e);
}

/* See entry_int.h. */
int entry_set_text(xmlNodePtr n, const char *name, const char *text)
{
    static const char *const in_acquis[] = {"element-programme"};
    static const char *const in_bilan[] = {"enseignants", "directeur", "liste-acquis", "liste-parcours",
                                           "modalites-accompagnement"};
    static const char *const in_parcours[] = {"projet"};
    xmlNodePtr t = lsu_child(n, name);
    if (!text[0]) {
        if (t) {
            xmlUnlinkNode(t);
            xmlFreeNode(t);
        }
        return 0;
    }
    if (!t) {
        if (strcmp(name, "appreciation") == 0)
            t = insert_child(n, name, in_acquis, 1);
        else if (strcmp(name, "appreciation-generale") == 0)
            t = insert_child(n, name, in_bilan, sizeof in_bilan / sizeof *in_bilan);
        else if (strcmp(name, "implication") == 0)
            t = insert_child(n, name, in_parcours, 1);
        else
            t = insert_child(n, name, NULL, 0);
        if (!t)
            return -1;
    }
    while (t->children) {
        xmlNodePtr c = t->children;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    xmlNodePtr txt = xmlNewDocText(t->doc, BAD_CAST text);
    return txt && xmlAddChild(t, txt) ? 0 : -1;
}

/* See entry_int.h. */
xmlNodePtr entry_parcours_node(xmlNodePtr b, const char *code, int create)
{
    static const char *const list_before[] = {"enseignants", "directeur", "liste-acquis"};
    xmlNodePtr list = lsu_child(b, "liste-parcours");
    if (!list && create)
        list = insert_child(b, "liste-parcours", list_before, 3);
    if (!list)
        return NULL;
    xmlNodePtr p = child_with_code(list, "parcours", code);
    if (p || !create)
        return p;
    int rank = entry_parcours_index(code);
    xmlNodePtr after = NULL;
    for (xmlNodePtr c = lsu_child(list, "parcours"); c; c = lsu_next_same(c)) {
        int r = entry_parcours_index(lsu_attr_or_empty(c, "code"));
        if (r < rank || r < 0)
            after = c;
    }
    p = xmlNewDocNode(b->doc, NULL, BAD_CAST "parcours", NULL);
    if (!p || !xmlNewProp(p, BAD_CAST "code", BAD_CAST code) ||
        !xmlNewProp(p, BAD_CAST "libelle", BAD_CAST lsu_code_label("parcours", code))) {
        xmlFreeNode(p);
        return NULL;
    }
    if (after)
        return xmlAddNextSibling(after, p);
    if (list->children)
        return xmlAddPrevSibling(list->children, p);
    return xmlAddChild(list, p);
}

/* See entry_int.h. */
void entry_prune(xmlNodePtr n)
{
    if (!n)
        return;
    if (is(n, "parcours")) {
        if (!lsu_child(n, "projet") && !lsu_child(n, "implication")) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        }
        return;
    }
    if (!is(n, "acquis") && !is(n, "sous-domaine"))
        return;
    if (lsu_child(n, "element-programme") || lsu_child(n, "appreciation") || lsu_child(n, "sous-domaine") ||
        xmlHasProp(n, BAD_CAST "positionnement") || xmlHasProp(n, BAD_CAST "non-evalue"))
        return;
    xmlNodePtr parent = n->parent;
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    if (is(parent, "acquis"))
        entry_prune(parent);
}

/* See entry_int.h. */
xmlNodePtr entry_bilan_parse(const char *xml, xmlDocPtr *doc)
{
    *doc = xml ? xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8", XML_PARSE_NONET) : NULL;
    xmlNodePtr root = *doc ? xmlDocGetRootElement(*doc) : NULL;
    if (!root) {
        xmlFreeDoc(*doc);
        *doc = NULL;
    }
    return root;
}

/* See entry_int.h. */
xmlNodePtr entry_bilan_new(const lsu_entry_scope *sc, const entry_pupil *p, const entry_signers *s,
                           const lsu_entry_element *e, size_t ne, char *const parcours[3], const char *today,
                           xmlDocPtr *doc)
{
    *doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr b = *doc ? xmlNewDocNode(*doc, NULL, BAD_CAST "bilan-periodique", NULL) : NULL;
    if (!b) {
        xmlFreeDoc(*doc);
        *doc = NULL;
        return NULL;
    }
    xmlDocSetRootElement(*doc, b);
    char eleve[64], classe[64], periode[64], millesime[16], annee[16], indice[16], nb[16], libelle[64];
    snprintf(eleve, sizeof eleve, "EL_%s", p->ine);
    snprintf(classe, sizeof classe, "CL_%s", sc->id_be);
    snprintf(periode, sizeof periode, "PER_%d_%d_%d", sc->millesime, sc->indice, sc->nb);
    snprintf(millesime, sizeof millesime, "%d", sc->millesime);
    lsu_school_year(millesime, annee, sizeof annee);
    snprintf(indice, sizeof indice, "%d", sc->indice);
    snprintf(nb, sizeof nb, "%d", sc->nb);
    lsu_period_name(indice, nb, libelle, sizeof libelle);
    char cycle[4] = "";
    if (lsu_class_cycle(sc->classe)[0])
        snprintf(cycle, sizeof cycle, "%s", lsu_class_cycle(sc->classe));
    else if (sc->cycle)
        snprintf(cycle, sizeof cycle, "%d", sc->cycle);
    /* created today, not before the period begins (REG013) */
    const char *creation = strcmp(today, sc->date_debut) < 0 ? sc->date_debut : today;
    const char *attrs[][2] = {{"eleve-id", eleve},
                              {"ine", p->ine},
                              {"nom", p->nom},
                              {"prenom", p->prenom},
                              {"classe-id", classe},
                              {"classe", sc->classe},
                              {"id-be", sc->id_be},
                              {"niveau", sc->niveau},
                              {"cycle-classe", cycle},
                              {"periode-id", periode},
                              {"millesime", millesime},
                              {"annee", annee},
                              {"indice", indice},
                              {"nb-periodes", nb},
                              {"libelle", libelle},
                              {"date-debut", sc->date_debut},
                              {"date-fin", sc->date_fin},
                              {"date-creation", creation},
                              {"date-scolarite", sc->date_debut}};
    int ok = 1;
    for (size_t i = 0; ok && i < sizeof attrs / sizeof *attrs; i++)
        ok = xmlNewProp(b, BAD_CAST attrs[i][0], BAD_CAST attrs[i][1]) != NULL;
    xmlNodePtr ens = ok ? xmlNewChild(b, NULL, BAD_CAST "enseignants", NULL) : NULL;
    ok = ens != NULL;
    for (size_t i = 0; ok && i < s->n; i++)
        ok = add_person(ens, "enseignant", "ENS_", s->civilite[i], s->nom[i], s->prenom[i]) != NULL;
    ok = ok && add_person(b, "directeur", "DIR_", s->dir_civilite, s->dir_nom, s->dir_prenom) &&
         xmlNewChild(b, NULL, BAD_CAST "liste-acquis", NULL) && xmlNewChild(b, NULL, BAD_CAST "liste-parcours", NULL);
    for (size_t i = 0; ok && i < ne; i++) {
        const lsu_domain *d = lsu_domain_find(e[i].domain);
        if (!entry_domain_in_cycle(d, p->cycle) || !entry_domain_takes_entries(d, p->cycle))
            continue;
        xmlNodePtr dom = entry_domain_node(b, d, 1);
        ok = dom && (entry_element_find(dom, e[i].libelle) || entry_element_add(dom, e[i].libelle));
    }
    for (int i = 0; ok && i < 3; i++) {
        if (!parcours[i])
            continue;
        xmlNodePtr pn = entry_parcours_node(b, entry_parcours_codes[i], 1);
        ok = pn && entry_set_text(pn, "projet", parcours[i]) == 0;
    }
    if (!ok) {
        xmlFreeDoc(*doc);
        *doc = NULL;
        return NULL;
    }
    return b;
}
