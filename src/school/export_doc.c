/* Export to LSU, the file (see export_int.h): the references of a file
 * rebuilt from its bilans' stored forms, each with the id those forms name
 * when it is free, and the file made as a libxml2 tree in the LSU import
 * format (FORMAT.md §2). */
#include "base/text.h"
#include "lsu.h"
#include "school/export_int.h"
#include "school/school_int.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define LSU_NS "urn:fr:edu:scolarite:lsun:bilans:import"

/* ---- the references of one file ---- */

/* The kinds of referenced objects, in the order of the file's lists. */
enum { K_DIRECTEUR, K_CLASSE, K_ELEVE, K_PERIODE, K_ENSEIGNANT, K_ELEMENT, K_COMMUN, K_COUNT };
static const char *const id_prefix[K_COUNT] = {"DIR_", "CL_", "EL_", "PER_", "ENS_", "EP_", ""};

/* One object of the file: its identity within its kind (key), the id the
 * stored bilans give it, its id in the file, its attributes. */
typedef struct {
    char *key, *stored, *id;
    char *f[5];
} entity;

typedef struct {
    entity *v;
    size_t n, cap;
    xmlHashTablePtr by_key; /* key → index + 1 */
} entity_list;

/* Frees a list's entities and table. */
static void list_free(entity_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].stored);
        free(l->v[i].id);
        for (int k = 0; k < 5; k++)
            free(l->v[i].f[k]);
    }
    free(l->v);
    if (l->by_key)
        xmlHashFree(l->by_key, NULL);
    memset(l, 0, sizeof *l);
}

/* The key of fields a[0..n) joined by a unit separator.  Caller frees. */
static char *join_key(const char *const *a, int n)
{
    lsu_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (i)
            lsu_buf_puts(&b, "\x1f");
        lsu_buf_puts(&b, a[i] ? a[i] : "");
    }
    if (b.failed || !b.data) {
        int failed = b.failed;
        lsu_buf_free(&b);
        return failed ? NULL : strdup("");
    }
    return b.data;
}

/* The entity of `key` in l, added with fields f[0..nf) when new; a stored
 * id is noted when the entity has none yet.  Returns its index, or -1
 * when memory ran out. */
static long list_add(entity_list *l, const char *key, const char *stored, const char *const *f, int nf)
{
    if (!l->by_key && !(l->by_key = xmlHashCreate(64)))
        return -1;
    size_t at = (size_t)(uintptr_t)xmlHashLookup(l->by_key, BAD_CAST key);
    if (at) {
        entity *e = &l->v[at - 1];
        if (!e->stored && stored && *stored && !(e->stored = strdup(stored)))
            return -1;
        return (long)at - 1;
    }
    if (school_grow((void **)&l->v, l->n, &l->cap, sizeof *l->v) != 0)
        return -1;
    entity *e = &l->v[l->n];
    memset(e, 0, sizeof *e);
    e->key = strdup(key);
    e->stored = stored && *stored ? strdup(stored) : NULL;
    int ok = e->key && (!stored || !*stored || e->stored);
    for (int i = 0; i < nf && ok; i++)
        ok = (e->f[i] = strdup(f[i] ? f[i] : "")) != NULL;
    l->n++; /* freed with the list even when incomplete */
    if (!ok || xmlHashAddEntry(l->by_key, BAD_CAST key, (void *)(uintptr_t)l->n) != 0)
        return -1;
    return (long)l->n - 1;
}

/* Adds an entity whose key is its fields f[0..nk) (of nf); see list_add. */
static long list_add_fields(entity_list *l, const char *stored, const char *const *f, int nk, int nf)
{
    char *key = join_key(f, nk);
    long i = key ? list_add(l, key, stored, f, nf) : -1;
    free(key);
    return i;
}

/* Gives every entity of the lists its id in the file: first the id its
 * stored bilans name, when it is an NCName no other object took; then, for
 * the others, the kind's prefix and the first free number.  0, or -1 when
 * memory ran out. */
static int assign_ids(entity_list *lists)
{
    xmlHashTablePtr used = xmlHashCreate(256);
    int rc = used ? 0 : -1;
    for (int k = 0; k < K_COUNT && rc == 0; k++)
        for (size_t i = 0; i < lists[k].n && rc == 0; i++) {
            entity *e = &lists[k].v[i];
            if (k == K_COMMUN || !e->stored || xmlValidateNCName(BAD_CAST e->stored, 0) != 0 ||
                xmlHashLookup(used, BAD_CAST e->stored))
                continue;
            rc = (e->id = strdup(e->stored)) && xmlHashAddEntry(used, BAD_CAST e->id, e) == 0 ? 0 : -1;
        }
    for (int k = 0; k < K_COUNT && rc == 0; k++) {
        unsigned long next = 1;
        for (size_t i = 0; i < lists[k].n && rc == 0; i++) {
            entity *e = &lists[k].v[i];
            if (k == K_COMMUN || e->id)
                continue;
            do {
                free(e->id);
                e->id = lsu_asprintf("%s%lu", id_prefix[k], next++);
            } while (e->id && xmlHashLookup(used, BAD_CAST e->id));
            rc = e->id && xmlHashAddEntry(used, BAD_CAST e->id, e) == 0 ? 0 : -1;
        }
    }
    if (used)
        xmlHashFree(used, NULL);
    return rc;
}

/* ---- the file ---- */

/* What one file is made of while it is built. */
typedef struct {
    entity_list lists[K_COUNT];
    const lsu_school_identity *school;
    xmlNsPtr ns;
    int failed;         /* memory ran out */
    int school_spelled; /* the school's directeur took the spelling of a stored bilan */
} file_ctx;

/* A new child element of parent in the LSU namespace. */
static xmlNodePtr add(file_ctx *c, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n = parent ? xmlNewChild(parent, c->ns, BAD_CAST name, NULL) : NULL;
    c->failed |= !n;
    return n;
}

/* A new child element holding text. */
static void add_text(file_ctx *c, xmlNodePtr parent, const char *name, const char *text)
{
    xmlNodePtr n = parent ? xmlNewTextChild(parent, c->ns, BAD_CAST name, BAD_CAST text) : NULL;
    c->failed |= !n;
}

/* Sets an attribute; an optional one (`opt`) only when not empty. */
static void set(file_ctx *c, xmlNodePtr n, const char *name, const char *value, int opt)
{
    if (opt && (!value || !*value))
        return;
    c->failed |= !n || !xmlNewProp(n, BAD_CAST name, BAD_CAST(value ? value : ""));
}

/* The text of a stored element (owned; "" when absent); NULL when memory ran out. */
static char *text_of(xmlNodePtr n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

/* See export_int.h. */
int school_export_person_ok(xmlNodePtr p)
{
    const char *civ = lsu_attr_or_empty(p, "civilite");
    return (strcmp(civ, "M") == 0 || strcmp(civ, "MME") == 0) && lsu_attr_or_empty(p, "nom")[0] &&
           lsu_attr_or_empty(p, "prenom")[0];
}

/* The fields of a person node, for list_add_fields. */
#define PERSON_FIELDS(p)                                                                                               \
    {                                                                                                                  \
        lsu_attr_or_empty(p, "civilite"), lsu_attr_or_empty(p, "nom"), lsu_attr_or_empty(p, "prenom")                  \
    }

/* The period key fields of a stored bilan périodique. */
#define PERIOD_FIELDS(b)                                                                                               \
    {                                                                                                                  \
        lsu_attr_or_empty(b, "millesime"), lsu_attr_or_empty(b, "indice"), lsu_attr_or_empty(b, "nb-periodes"),        \
            lsu_attr_or_empty(b, "date-debut"), lsu_attr_or_empty(b, "date-fin")                                       \
    }

/* The key of a directeur: civilité, name and first name, letter case
 * aside (the school's CARPENTIER Damien is the bilans' Carpentier
 * Damien), as the store compares names.  Caller frees; NULL when memory
 * ran out. */
static char *directeur_key(const char *const *f)
{
    lsu_buf b = {0};
    lsu_buf_puts(&b, f[0] ? f[0] : "");
    lsu_buf_puts(&b, "\x1f");
    lsu_fold_case(f[1] ? f[1] : "", &b);
    lsu_buf_puts(&b, "\x1f");
    lsu_fold_case(f[2] ? f[2] : "", &b);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* Registers a directeur (fields f, stored id `stored`: NULL for the
 * school's, registered first).  The school's takes the spelling and the
 * id of the first stored bilan that names the same person. */
static void register_directeur(file_ctx *c, const char *stored, const char *const *f)
{
    char *key = directeur_key(f);
    long at = key ? list_add(&c->lists[K_DIRECTEUR], key, stored, f, 3) : -1;
    free(key);
    c->failed |= at < 0;
    if (at == 0 && stored && !c->school_spelled) {
        entity *e = &c->lists[K_DIRECTEUR].v[0];
        for (int i = 0; i < 3; i++) {
            free(e->f[i]);
            c->failed |= !(e->f[i] = strdup(f[i]));
        }
        c->school_spelled = 1;
    }
}

/* The parcours codes of the 1d format, in the printed order. */
static const char *const parcours_codes[] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};

/* Registers what bilan b refers to: its class, pupil, period, teachers,
 * directeur, éléments du programme and its class's parcours projects. */
static void register_bilan(file_ctx *c, xmlNodePtr b)
{
    entity_list *L = c->lists;
    int cycle = strcmp((const char *)b->name, "bilan-cycle") == 0, bad = 0;
    const char *classe[] = {lsu_attr_or_empty(b, "id-be"), lsu_attr_or_empty(b, "classe")};
    bad |= list_add_fields(&L[K_CLASSE], lsu_attr(b, "classe-id"), classe, 1, 2) < 0;
    const char *eleve[] = {lsu_attr_or_empty(b, "ine"), lsu_attr_or_empty(b, "nom"), lsu_attr_or_empty(b, "prenom"),
                           classe[0]};
    bad |= list_add_fields(&L[K_ELEVE], lsu_attr(b, "eleve-id"), eleve, 1, 4) < 0;
    if (!cycle) {
        const char *periode[] = PERIOD_FIELDS(b);
        bad |= list_add_fields(&L[K_PERIODE], lsu_attr(b, "periode-id"), periode, 5, 5) < 0;
    }
    for (xmlNodePtr e = lsu_child(lsu_child(b, "enseignants"), "enseignant"); e; e = lsu_next_same(e)) {
        const char *f[] = PERSON_FIELDS(e);
        if (school_export_person_ok(e))
            bad |= list_add_fields(&L[K_ENSEIGNANT], lsu_attr(e, "id"), f, 3, 3) < 0;
    }
    xmlNodePtr d = lsu_child(b, "directeur");
    if (d && school_export_person_ok(d)) {
        const char *f[] = PERSON_FIELDS(d);
        register_directeur(c, lsu_attr_or_empty(d, "id"), f);
    }
    xmlNodePtr acquis = lsu_child(b, "liste-acquis");
    for (xmlNodePtr n = acquis; n; n = lsu_walk_next(acquis, n, 1))
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "element-programme") == 0 &&
            lsu_attr_or_empty(n, "libelle")[0]) {
            const char *f[] = {lsu_attr(n, "libelle")};
            bad |= list_add_fields(&L[K_ELEMENT], lsu_attr(n, "id"), f, 1, 1) < 0;
        }
    if (!cycle) {
        const char *p[] = PERIOD_FIELDS(b);
        const char *k[] = {p[0], p[1], p[2], p[3], p[4], classe[0]};
        char *key = join_key(k, 6);
        const char *none[3] = {"", "", ""};
        long at = key ? list_add(&L[K_COMMUN], key, NULL, none, 3) : -1;
        free(key);
        bad |= at < 0;
        for (xmlNodePtr pc = lsu_child(lsu_child(b, "liste-parcours"), "parcours"); pc && at >= 0;
             pc = lsu_next_same(pc))
            for (int i = 0; i < 3; i++) {
                char **slot = &L[K_COMMUN].v[at].f[i];
                if (strcmp(lsu_attr_or_empty(pc, "code"), parcours_codes[i]) != 0 || !lsu_child(pc, "projet") || **slot)
                    continue;
                free(*slot);
                bad |= !(*slot = text_of(lsu_child(pc, "projet")));
            }
    }
    c->failed |= bad;
}

/* The id in the file of the entity of kind k whose key fields are f[0..n). */
static const char *id_of(file_ctx *c, int k, const char *const *f, int n)
{
    char *key = k == K_DIRECTEUR ? directeur_key(f) : join_key(f, n);
    c->failed |= !key; /* not "no such entity": the file would lack a reference */
    size_t at = key && c->lists[k].by_key ? (size_t)(uintptr_t)xmlHashLookup(c->lists[k].by_key, BAD_CAST key) : 0;
    free(key);
    return at ? c->lists[k].v[at - 1].id : NULL;
}

/* The element-programme-refs of a stored acquis or sous-domaine. */
static char *element_refs(file_ctx *c, xmlNodePtr dom)
{
    lsu_buf b = {0};
    for (xmlNodePtr e = lsu_child(dom, "element-programme"); e; e = lsu_next_same(e)) {
        const char *f[] = {lsu_attr_or_empty(e, "libelle")};
        const char *id = id_of(c, K_ELEMENT, f, 1);
        if (!id)
            continue;
        lsu_buf_puts(&b, b.len ? " " : "");
        lsu_buf_puts(&b, id);
    }
    c->failed |= b.failed;
    return b.data;
}

/* Writes the attributes of a domain (acquis, sous-domaine). */
static void write_domain(file_ctx *c, xmlNodePtr out, xmlNodePtr dom)
{
    set(c, out, "code-domaine", lsu_attr_or_empty(dom, "code"), 0);
    char *refs = element_refs(c, dom);
    set(c, out, "element-programme-refs", refs, 1);
    free(refs);
    set(c, out, "positionnement", lsu_attr(dom, "positionnement"), 1);
    if (strcmp(lsu_attr_or_empty(dom, "non-evalue"), "oui") == 0)
        set(c, out, "non-evalue", "true", 0);
}

/* Adds <name>text</name> for the stored element src, when there is one. */
static void copy_text(file_ctx *c, xmlNodePtr parent, const char *name, xmlNodePtr src)
{
    if (!src)
        return;
    char *t = text_of(src);
    c->failed |= !t;
    if (t)
        add_text(c, parent, name, t);
    free(t);
}

/* The socle of a stored bilan; positioned: a bilan de cycle's. */
static void write_socle(file_ctx *c, xmlNodePtr out, xmlNodePtr b)
{
    xmlNodePtr socle = lsu_child(b, "socle");
    if (!socle)
        return;
    xmlNodePtr s = add(c, out, "socle");
    for (xmlNodePtr d = lsu_child(socle, "domaine"); d; d = lsu_next_same(d)) {
        xmlNodePtr x = add(c, s, "domaine");
        set(c, x, "code", lsu_attr_or_empty(d, "code"), 0);
        set(c, x, "positionnement", lsu_attr(d, "positionnement"), 1);
    }
}

/* The responsables of a stored bilan. */
static void write_responsables(file_ctx *c, xmlNodePtr out, xmlNodePtr b)
{
    xmlNodePtr rs = lsu_child(b, "responsables");
    if (!rs || !lsu_child(rs, "responsable"))
        return;
    static const char *const address[] = {"ligne1", "ligne2", "ligne3", "ligne4", "code-postal", "commune"};
    xmlNodePtr list = add(c, out, "responsables");
    for (xmlNodePtr r = lsu_child(rs, "responsable"); r; r = lsu_next_same(r)) {
        xmlNodePtr x = add(c, list, "responsable");
        set(c, x, "civilite", lsu_attr_or_empty(r, "civilite"), 0);
        set(c, x, "nom", lsu_attr_or_empty(r, "nom"), 0);
        set(c, x, "prenom", lsu_attr_or_empty(r, "prenom"), 0);
        set(c, x, "lien-parente", lsu_attr(r, "lien-parente"), 1);
        xmlNodePtr a = lsu_child(r, "adresse");
        if (!a)
            continue;
        xmlNodePtr y = add(c, x, "adresse");
        for (size_t i = 0; i < sizeof address / sizeof *address; i++)
            set(c, y, address[i], lsu_attr(a, address[i]), i != 0 && i != 4 && i != 5);
    }
}

/* The attributes a bilan of either kind carries first: its pupil. */
static void write_refs_head(file_ctx *c, xmlNodePtr out, xmlNodePtr b)
{
    const char *ine[] = {lsu_attr_or_empty(b, "ine")};
    set(c, out, "eleve-ref", id_of(c, K_ELEVE, ine, 1), 0);
}

/* The enseignant-refs of a bilan: its teachers, in their stored order. */
static void write_teachers(file_ctx *c, xmlNodePtr out, xmlNodePtr b)
{
    lsu_buf refs = {0};
    for (xmlNodePtr e = lsu_child(lsu_child(b, "enseignants"), "enseignant"); e; e = lsu_next_same(e)) {
        const char *f[] = PERSON_FIELDS(e);
        const char *id = school_export_person_ok(e) ? id_of(c, K_ENSEIGNANT, f, 3) : NULL;
        if (!id)
            continue;
        lsu_buf_puts(&refs, refs.len ? " " : "");
        lsu_buf_puts(&refs, id);
    }
    c->failed |= refs.failed;
    set(c, out, "enseignant-refs", refs.data, 0);
    lsu_buf_free(&refs);
}

/* The directeur-ref of a bilan: the directeur it was stored with, else
 * the school's. */
static void write_directeur_ref(file_ctx *c, xmlNodePtr out, xmlNodePtr b)
{
    xmlNodePtr d = lsu_child(b, "directeur");
    const char *f[] = PERSON_FIELDS(d);
    const char *school[] = {c->school->directeur_civilite, c->school->directeur_nom, c->school->directeur_prenom};
    const char *id = d && school_export_person_ok(d) ? id_of(c, K_DIRECTEUR, f, 3) : NULL;
    set(c, out, "directeur-ref", id ? id : id_of(c, K_DIRECTEUR, school, 3), 0);
}

/* A bilan périodique from its stored form; date-verrou: its lock. */
static void write_periodique(file_ctx *c, xmlNodePtr list, xmlNodePtr b, const char *verrou)
{
    xmlNodePtr out = add(c, list, "bilan-periodique");
    write_refs_head(c, out, b);
    const char *p[] = PERIOD_FIELDS(b);
    set(c, out, "periode-ref", id_of(c, K_PERIODE, p, 5), 0);
    write_teachers(c, out, b);
    set(c, out, "date-creation", lsu_attr_or_empty(b, "date-creation"), 0);
    set(c, out, "date-scolarite", lsu_attr_or_empty(b, "date-scolarite"), 0);
    set(c, out, "date-verrou", verrou, 0);
    write_directeur_ref(c, out, b);
    xmlNodePtr la = add(c, out, "liste-acquis");
    for (xmlNodePtr a = lsu_child(lsu_child(b, "liste-acquis"), "acquis"); a; a = lsu_next_same(a)) {
        xmlNodePtr x = add(c, la, "acquis");
        write_domain(c, x, a);
        copy_text(c, x, "appreciation", lsu_child(a, "appreciation"));
        xmlNodePtr sds = lsu_child(a, "sous-domaine") ? add(c, x, "sous-domaines") : NULL;
        for (xmlNodePtr sd = lsu_child(a, "sous-domaine"); sd; sd = lsu_next_same(sd))
            write_domain(c, add(c, sds, "sous-domaine"), sd);
    }
    xmlNodePtr lp = NULL;
    for (xmlNodePtr pc = lsu_child(lsu_child(b, "liste-parcours"), "parcours"); pc; pc = lsu_next_same(pc)) {
        xmlNodePtr imp = lsu_child(pc, "implication");
        const char *code = lsu_attr_or_empty(pc, "code");
        if (!imp || strcmp(code, "PAR_AVN") == 0) /* collège only */
            continue;
        if (!lp)
            lp = add(c, out, "liste-parcours");
        char *t = text_of(imp);
        xmlNodePtr x = t && lp ? xmlNewTextChild(lp, c->ns, BAD_CAST "parcours", BAD_CAST t) : NULL;
        free(t);
        c->failed |= !x;
        set(c, x, "code", code, 0);
    }
    xmlNodePtr ms = lsu_child(b, "modalites-accompagnement");
    if (ms && lsu_child(ms, "modalite-accompagnement")) {
        xmlNodePtr list_m = add(c, out, "modalites-accompagnement");
        for (xmlNodePtr m = lsu_child(ms, "modalite-accompagnement"); m; m = lsu_next_same(m)) {
            xmlNodePtr x = add(c, list_m, "modalite-accompagnement");
            set(c, x, "code", lsu_attr_or_empty(m, "code"), 0);
            copy_text(c, x, "complement-ppre", lsu_child(m, "complement-ppre"));
        }
    }
    copy_text(c, out, "appreciation-generale", lsu_child(b, "appreciation-generale"));
    write_socle(c, out, b);
    write_responsables(c, out, b);
}

/* A bilan de fin de cycle from its stored form. */
static void write_cycle(file_ctx *c, xmlNodePtr list, xmlNodePtr b, const char *verrou)
{
    xmlNodePtr out = add(c, list, "bilan-cycle");
    write_refs_head(c, out, b);
    set(c, out, "cycle", lsu_attr_or_empty(b, "cycle"), 0);
    set(c, out, "millesime", lsu_attr_or_empty(b, "millesime"), 0);
    write_teachers(c, out, b);
    set(c, out, "date-creation", lsu_attr_or_empty(b, "date-creation"), 0);
    set(c, out, "date-verrou", verrou, 0);
    write_directeur_ref(c, out, b);
    write_socle(c, out, b);
    copy_text(c, out, "synthese", lsu_child(b, "synthese"));
    write_responsables(c, out, b);
}

/* The reference lists of the file, in the schema's order. */
static void write_lists(file_ctx *c, xmlNodePtr donnees)
{
    static const char *const list_names[] = {"directeurs", "classes",     "eleves",
                                             "periodes",   "enseignants", "elements-programme"};
    static const char *const item_names[] = {"directeur", "classe",     "eleve",
                                             "periode",   "enseignant", "element-programme"};
    for (int k = 0; k < K_COMMUN; k++) {
        entity_list *l = &c->lists[k];
        xmlNodePtr list = l->n ? add(c, donnees, list_names[k]) : NULL;
        for (size_t i = 0; i < l->n; i++) {
            entity *e = &l->v[i];
            xmlNodePtr x = add(c, list, item_names[k]);
            set(c, x, "id", e->id, 0);
            if (k == K_DIRECTEUR || k == K_ENSEIGNANT) {
                set(c, x, "civilite", e->f[0], 0);
                set(c, x, "nom", e->f[1], 0);
                set(c, x, "prenom", e->f[2], 0);
            } else if (k == K_CLASSE) {
                set(c, x, "id-be", e->f[0], 0);
                set(c, x, "libelle", e->f[1], 1);
            } else if (k == K_ELEVE) {
                const char *cl[] = {e->f[3]};
                set(c, x, "ine", e->f[0], 0);
                set(c, x, "classe-ref", id_of(c, K_CLASSE, cl, 1), 0);
                set(c, x, "nom", e->f[1], 1);
                set(c, x, "prenom", e->f[2], 1);
            } else if (k == K_PERIODE) {
                static const char *const a[] = {"millesime", "indice", "nb-periodes", "date-debut", "date-fin"};
                for (int j = 0; j < 5; j++)
                    set(c, x, a[j], e->f[j], 0);
            } else {
                set(c, x, "libelle", e->f[0], 0);
            }
        }
    }
    /* parcours-communs: each (period, class) with a project */
    xmlNodePtr communs = NULL;
    entity_list *l = &c->lists[K_COMMUN];
    for (size_t i = 0; i < l->n; i++) {
        entity *e = &l->v[i];
        if (!e->f[0][0] && !e->f[1][0] && !e->f[2][0])
            continue;
        /* the key: the period's five fields, then the class's ONDE id */
        const char *k[6] = {0};
        char *copy = strdup(e->key), *p = copy;
        for (int j = 0; j < 6 && p; j++) {
            k[j] = p;
            p = strchr(p, '\x1f');
            if (p)
                *p++ = '\0';
        }
        if (!communs)
            communs = add(c, donnees, "parcours-communs");
        xmlNodePtr x = add(c, communs, "parcours-commun");
        set(c, x, "periode-ref", copy ? id_of(c, K_PERIODE, k, 5) : NULL, 0);
        set(c, x, "classe-ref", copy ? id_of(c, K_CLASSE, k + 5, 1) : NULL, 0);
        free(copy);
        c->failed |= !copy;
        for (int j = 0; j < 3; j++)
            if (e->f[j][0]) {
                xmlNodePtr pc = x ? xmlNewTextChild(x, c->ns, BAD_CAST "parcours", BAD_CAST e->f[j]) : NULL;
                c->failed |= !pc;
                set(c, pc, "code", parcours_codes[j], 0);
            }
    }
}

/* See export_int.h. */
xmlDocPtr school_export_doc(const char *uai, const lsu_school_identity *school, const xmlNodePtr *bilans,
                            const char *const *verrous, size_t n)
{
    file_ctx c = {.school = school};
    const char *dir[] = {school->directeur_civilite, school->directeur_nom, school->directeur_prenom};
    register_directeur(&c, NULL, dir);
    for (size_t i = 0; i < n; i++)
        register_bilan(&c, bilans[i]);
    c.failed |= assign_ids(c.lists) != 0;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = doc ? xmlNewDocNode(doc, NULL, BAD_CAST "lsun-bilans", NULL) : NULL;
    c.ns = root ? xmlNewNs(root, BAD_CAST LSU_NS, NULL) : NULL;
    c.failed |= !c.ns;
    if (!c.failed) {
        xmlSetNs(root, c.ns);
        xmlDocSetRootElement(doc, root);
        set(&c, root, "schemaVersion", "1.0", 0);
        xmlNodePtr entete = add(&c, root, "entete");
        add_text(&c, entete, "editeur", "lsu");
        add_text(&c, entete, "application", "lsu " LSU_VERSION);
        add_text(&c, entete, "etablissement", uai);
        xmlNodePtr donnees = add(&c, root, "donnees");
        write_lists(&c, donnees);
        xmlNodePtr lists[2] = {NULL, NULL};
        static const char *const names[2] = {"bilans-periodiques", "bilans-cycle"};
        for (int kind = 0; kind < 2; kind++)
            for (size_t i = 0; i < n; i++) {
                xmlNodePtr b = bilans[i];
                if ((strcmp((const char *)b->name, "bilan-cycle") == 0) != kind)
                    continue;
                if (!lists[kind])
                    lists[kind] = add(&c, donnees, names[kind]);
                char verrou[24];
                snprintf(verrou, sizeof verrou, "%.19s", verrous[i]); /* 2025-06-30T09:00:00 */
                if (kind)
                    write_cycle(&c, lists[kind], b, verrou);
                else
                    write_periodique(&c, lists[kind], b, verrou);
            }
    }
    for (int k = 0; k < K_COUNT; k++)
        list_free(&c.lists[k]);
    if (c.failed) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
