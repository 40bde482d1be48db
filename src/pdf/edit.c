/* Stage edit: see edit.h.  Works on the normalised tree, in its order
 * (class, name, first name, period), so that zips and class PDFs list the
 * pupils as the class list does. */
#include "pdf/edit.h"
#include "base/util.h"
#include "pdf/package.h"

#include <stdlib.h>
#include <string.h>

/* One bilan chosen for printing. */
typedef struct {
    xmlNodePtr node;  /* in the normalised tree */
    lsu_bilan *bilan; /* in the index (status, subject) */
    char *group;      /* zip it goes to (safe name) */
    char *class_key;  /* class and period it is printed with: "CE1_A|T1" */
    char *entry;      /* its own PDF's name in the zip */
    size_t order;     /* place in the normalised tree: sorts stay stable */
    lsu_drawn *drawn; /* its pages, drawn once, while its class is written */
} edit_item;

/* What every zip of one lsu_edit call shares. */
typedef struct {
    lsu_file *f;
    lsu_renderer *renderer;
    xmlHashTablePtr element_labels; /* lsu_element_labels of f->norm (owned) */
    const lsu_render_school *school;
} edit_run;

/* "T1", "S2", "P3" for a period, "fin_de_cycle_2" for a bilan de cycle. */
static char *period_tag(xmlNodePtr b)
{
    if (strcmp((const char *)b->name, "bilan-cycle") == 0)
        return lsu_asprintf("fin_de_cycle_%s", lsu_attr_or_empty(b, "cycle"));
    const char *nb = lsu_attr_or_empty(b, "nb-periodes");
    const char *prefix = strcmp(nb, "3") == 0 ? "T" : strcmp(nb, "2") == 0 ? "S" : "P";
    return lsu_asprintf("%s%s", prefix, lsu_attr_or_empty(b, "indice"));
}

/* Fills an item's names, its class's from `names` (the safe form of its
 * label when the table does not hold it); 0 or -1 when memory ran out. */
static int name_item(edit_item *it, const lsu_file *f, const lsu_edit_options *opt, const lsu_class_names *names)
{
    xmlNodePtr b = it->node;
    char *tag = period_tag(b);
    const char *unique = lsu_class_names_get(names, lsu_attr_or_empty(b, "id-be"), lsu_attr_or_empty(b, "classe-id"));
    char *classe =
        unique ? strdup(unique) : lsu_safe_name_or(lsu_attr_or_empty(b, "classe"), lsu_attr_or_empty(b, "id-be"));
    char *nom = lsu_safe_name_or(lsu_attr_or_empty(b, "nom"), "eleve");
    char *prenom = lsu_safe_name_or(lsu_attr_or_empty(b, "prenom"), "");
    char *ine = lsu_safe_name_or(lsu_attr_or_empty(b, "ine"), "sans_INE");
    int ok = tag && classe && nom && prenom && ine;
    if (ok) {
        if (opt->by == EDIT_BY_CLASS)
            it->group = lsu_strdup_or_null(classe);
        else if (opt->by == EDIT_BY_LEVEL)
            it->group = lsu_safe_name_or(lsu_attr_or_empty(b, "niveau"), "sans_niveau");
        else
            it->group = lsu_asprintf("ecole_%s", f->uai && *f->uai ? f->uai : "sans_UAI");
        it->class_key = lsu_asprintf("%s|%s", classe, tag);
        it->entry = lsu_asprintf("%s_%s_%s_%s.pdf", nom, prenom, ine, tag);
        ok = it->group && it->class_key && it->entry;
    }
    free(tag);
    free(classe);
    free(nom);
    free(prenom);
    free(ine);
    return ok ? 0 : -1;
}

/* Does the bilan match the selection (pupil, class, level)? */
static int selected(xmlNodePtr b, const lsu_edit_options *opt)
{
    if (opt->ine && strcmp(lsu_attr_or_empty(b, "ine"), opt->ine) != 0)
        return 0;
    if (opt->classe && strcmp(lsu_attr_or_empty(b, "classe"), opt->classe) != 0)
        return 0;
    if (opt->niveau && strcmp(lsu_attr_or_empty(b, "niveau"), opt->niveau) != 0)
        return 0;
    return 1;
}

/* Makes the class names of every bilan of f's normalised tree (see
 * lsu_class_names); NULL when memory ran out. */
static lsu_class_names *document_class_names(const lsu_file *f)
{
    lsu_class_names *t = lsu_class_names_new();
    xmlNodePtr root = f->norm ? xmlDocGetRootElement(f->norm) : NULL;
    int rc = t ? 0 : -1;
    for (xmlNodePtr list = root ? root->children : NULL; rc == 0 && list; list = list->next) {
        if (list->type != XML_ELEMENT_NODE || (strcmp((const char *)list->name, "bilans-periodiques") != 0 &&
                                               strcmp((const char *)list->name, "bilans-cycle") != 0))
            continue;
        for (xmlNodePtr b = list->children; rc == 0 && b; b = b->next)
            if (b->type == XML_ELEMENT_NODE)
                rc = lsu_class_names_add(t, lsu_attr_or_empty(b, "id-be"), lsu_attr_or_empty(b, "classe-id"),
                                         lsu_attr_or_empty(b, "classe"));
    }
    if (rc == 0)
        rc = lsu_class_names_finish(t);
    if (rc != 0) {
        lsu_class_names_free(t);
        return NULL;
    }
    return t;
}

/* Collects the printable bilans of the normalised tree, in its order, their
 * classes named from `names`; notes the rejected ones and, but for a test
 * print, the unlocked ones (PDF002).  Returns the count, -1 on memory. */
static long collect(lsu_file *f, const lsu_edit_options *opt, int test_print, const lsu_class_names *names,
                    edit_item **out, lsu_edit_counts *counts)
{
    xmlNodePtr root = f->norm ? xmlDocGetRootElement(f->norm) : NULL;
    size_t n = 0, cap = f->index.bilan_count + 1;
    edit_item *items = calloc(cap, sizeof *items);
    if (!items)
        return -1;
    for (xmlNodePtr list = root ? root->children : NULL; list; list = list->next) {
        lsu_bilan_kind kind = BILAN_NONE;
        if (list->type == XML_ELEMENT_NODE && strcmp((const char *)list->name, "bilans-periodiques") == 0)
            kind = BILAN_PERIODIQUE;
        else if (list->type == XML_ELEMENT_NODE && strcmp((const char *)list->name, "bilans-cycle") == 0)
            kind = BILAN_CYCLE;
        if (kind == BILAN_NONE)
            continue;
        for (xmlNodePtr b = list->children; b; b = b->next) {
            if (b->type != XML_ELEMENT_NODE || !selected(b, opt))
                continue;
            lsu_bilan *bilan = lsu_index_bilan(&f->index, kind, strtol(lsu_attr_or_empty(b, "index"), NULL, 10));
            if (!bilan)
                continue;
            lsu_subject subj;
            lsu_subject_for_bilan(bilan, &subj);
            if (bilan->status == STATUS_REJETE || (!test_print && !lsu_attr_or_empty(b, "date-verrou")[0])) {
                counts->excluded++;
                lsu_diag_add(&f->diags, DIAG_PDF002, bilan->line, &subj,
                             bilan->status == STATUS_REJETE
                                 ? "Pas de PDF : le bilan est rejeté (voir ses erreurs bloquantes)."
                                 : "Pas de PDF : le bilan n'est pas verrouillé.");
                continue;
            }
            if (n == cap)
                break;
            items[n].node = b;
            items[n].bilan = bilan;
            items[n].order = n;
            if (name_item(&items[n], f, opt, names) < 0) {
                *out = items;
                return -1;
            }
            n++;
        }
    }
    *out = items;
    return (long)n;
}

/* Length of the class part of a class key ("CE1_A|T1": 5). */
static size_t class_part(const char *key)
{
    const char *bar = strchr(key, '|');
    return bar ? (size_t)(bar - key) : strlen(key);
}

/* Orders items by zip, then class, keeping the tree's order inside a
 * class (the tree lists the pupils class by class already: this only
 * makes sure that a class is never split). */
static int cmp_group(const void *pa, const void *pb)
{
    const edit_item *a = pa, *b = pb;
    int c = strcmp(a->group, b->group);
    if (c)
        return c;
    size_t la = class_part(a->class_key), lb = class_part(b->class_key);
    c = memcmp(a->class_key, b->class_key, la < lb ? la : lb);
    if (c || la != lb)
        return c ? c : la < lb ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Orders item pointers by class and period, then the tree's order. */
static int cmp_class(const void *pa, const void *pb)
{
    const edit_item *a = *(const edit_item *const *)pa, *b = *(const edit_item *const *)pb;
    int c = strcmp(a->class_key, b->class_key);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Adds the PDFs of one class to the zip: each pupil's, then one per
 * period with all its pupils.  items[0..count) are the class's items.
 * Each bilan is drawn once, for its pupil's PDF, and kept for the class
 * PDF until the class is done: memory does not grow with the number of
 * classes in a zip.  `by_class` and `group` have room for count items.
 * 0 or -1 with *error. */
static int write_class(const edit_run *run, edit_item *items, size_t count, lsu_package *zip, edit_item **by_class,
                       lsu_drawn **group, lsu_edit_counts *counts, char **error)
{
    lsu_file *f = run->f;
    lsu_renderer *renderer = run->renderer;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        int pages = 0;
        edit_item *one = &items[i];
        lsu_bilan *b = one->bilan;
        by_class[i] = one;
        lsu_render_item ri = {one->node, {0}, run->element_labels, run->school};
        lsu_subject_for_bilan(b, &ri.subject);
        one->drawn = lsu_render_bilan(renderer, &ri, &f->diags);
        if (!one->drawn || lsu_render_assemble(renderer, &one->drawn, 1, &f->diags, &pdf, &len, &pages) != 0 ||
            lsu_package_add(zip, one->entry, pdf, len, b->eleve, b->ine, b->classe_libelle, b->periode, error) != 0) {
            if (!*error)
                *error = lsu_asprintf("le PDF du bilan de %s n'a pas pu être produit", b->eleve ? b->eleve : "?");
            rc = -1;
        } else {
            counts->bilans++;
            counts->pdfs++;
            counts->bytes += len;
        }
        free(pdf);
    }
    /* the class's PDFs, one per period, pupils in class order */
    if (rc == 0)
        qsort(by_class, count, sizeof(edit_item *), cmp_class);
    for (size_t i = 0; i < count && rc == 0;) {
        size_t j = i + 1;
        while (j < count && strcmp(by_class[j]->class_key, by_class[i]->class_key) == 0)
            j++;
        for (size_t k = i; k < j; k++)
            group[k - i] = by_class[k]->drawn;
        unsigned char *pdf = NULL;
        size_t len = 0;
        int pages = 0;
        const char *key = by_class[i]->class_key;
        size_t cl = class_part(key);
        char *entry = lsu_asprintf("Classe_%.*s_%s.pdf", (int)cl, key, key[cl] ? key + cl + 1 : "");
        lsu_bilan *b = by_class[i]->bilan;
        if (!entry || lsu_render_assemble(renderer, group, j - i, &f->diags, &pdf, &len, &pages) != 0 ||
            lsu_package_add(zip, entry, pdf, len, "", "", b->classe_libelle, b->periode, error) != 0) {
            if (!*error)
                *error = lsu_asprintf("le PDF de la classe %s n'a pas pu être produit", b->classe_libelle);
            rc = -1;
        } else {
            counts->pdfs++;
            counts->bytes += len;
        }
        free(pdf);
        free(entry);
        i = j;
    }
    for (size_t i = 0; i < count; i++) {
        lsu_drawn_free(items[i].drawn);
        items[i].drawn = NULL;
    }
    return rc;
}

/* See edit.h. */
void lsu_edit_latest_day(long *latest, const char *stamp)
{
    long day;
    if (stamp && lsu_parse_date(stamp, &day) == 0 && day > *latest)
        *latest = day;
}

/* See edit.h. */
time_t lsu_edit_date_for(long latest)
{
    if (getenv("SOURCE_DATE_EPOCH"))
        return lsu_run_time();
    return latest >= 0 ? (time_t)latest * 86400 : (time_t)315532800;
}

/* See edit.h. */
time_t lsu_edit_date(const lsu_file *f)
{
    long latest = -1;
    xmlNodePtr root = f->norm ? xmlDocGetRootElement(f->norm) : NULL;
    for (xmlNodePtr list = root ? root->children : NULL; list; list = list->next)
        for (xmlNodePtr b = list->children; b; b = b->next)
            if (b->type == XML_ELEMENT_NODE)
                lsu_edit_latest_day(&latest, lsu_attr(b, "date-verrou"));
    return lsu_edit_date_for(latest);
}

/* See edit.h. */
struct lsu_edit_session {
    lsu_renderer *renderer;
    lsu_edit_options opt;
    char *folder; /* dir/stem, made with the first zip */
    int folder_made;
    time_t mtime;                 /* every zip's date */
    const lsu_class_names *names; /* the classes' names (borrowed); NULL: each document's own */
    char *group;                  /* the open zip's group; NULL when none is open */
    lsu_package *zip;             /* the open zip */
    int failed;                   /* a zip could not be written: the open one is discarded */
    lsu_edit_counts counts;
};

/* See edit.h. */
lsu_edit_session *lsu_edit_begin(lsu_renderer *renderer, const lsu_edit_options *opt, const char *dir, const char *stem,
                                 time_t mtime, char **error)
{
    lsu_edit_session *s = calloc(1, sizeof *s);
    if (s)
        s->folder = lsu_asprintf("%s/%s", dir, stem);
    if (!s || !s->folder) {
        free(s);
        *error = lsu_asprintf("mémoire insuffisante");
        return NULL;
    }
    s->renderer = renderer;
    s->opt = *opt;
    s->mtime = mtime;
    return s;
}

/* Closes the open zip, if any (see lsu_package_close); 0 or -1 with *error. */
static int close_zip(lsu_edit_session *s, char **error)
{
    lsu_package *zip = s->zip;
    s->zip = NULL;
    free(s->group);
    s->group = NULL;
    if (!zip)
        return 0;
    if (lsu_package_close(zip, error) != 0)
        return -1;
    s->counts.zips++;
    return 0;
}

/* Makes the zip of `group` the open one: the zip open until now is closed
 * (a zip is written once: its bilans come together).  0 or -1 with *error. */
static int enter_zip(lsu_edit_session *s, const char *group, char **error)
{
    if (s->group && strcmp(s->group, group) == 0)
        return 0;
    if (close_zip(s, error) != 0)
        return -1;
    if (!s->folder_made) {
        if (lsu_mkdir_p(s->folder) != 0) {
            *error = lsu_asprintf("%s : création du dossier impossible", s->folder);
            return -1;
        }
        /* the zips a killed run left half-written (no live writer holds them) */
        lsu_remove_atomic_leftovers(s->folder, "", ".zip");
        s->folder_made = 1;
    }
    char *path = lsu_asprintf("%s/%s.zip", s->folder, group);
    s->group = strdup(group);
    s->zip = path && s->group ? lsu_package_open(path, s->mtime, error) : NULL;
    free(path);
    if (!s->zip) {
        if (!*error)
            *error = lsu_asprintf("mémoire insuffisante");
        return -1;
    }
    return 0;
}

/* See edit.h. */
void lsu_edit_set_class_names(lsu_edit_session *s, const lsu_class_names *names)
{
    s->names = names;
}

/* See edit.h. */
int lsu_edit_add(lsu_edit_session *s, lsu_file *f, char **error)
{
    edit_item *items = NULL;
    lsu_class_names *own = s->names ? NULL : document_class_names(f);
    long n = s->names || own ? collect(f, &s->opt, lsu_renderer_options(s->renderer)->test_print,
                                       s->names ? s->names : own, &items, &s->counts)
                             : -1;
    edit_run run = {f, s->renderer, NULL, s->opt.school};
    edit_item **by_class = NULL;
    lsu_drawn **group = NULL;
    int rc = 0;
    if (n > 0) {
        by_class = calloc((size_t)n + 1, sizeof(edit_item *));
        group = calloc((size_t)n + 1, sizeof(lsu_drawn *));
    }
    if (n < 0 || (n > 0 && (!by_class || !group || lsu_element_labels(f->norm, &run.element_labels) != 0))) {
        *error = lsu_asprintf("mémoire insuffisante");
        rc = -1;
    }
    if (rc == 0 && n > 0)
        qsort(items, (size_t)n, sizeof *items, cmp_group);
    /* class by class (see write_class), each into its zip */
    for (size_t i = 0; rc == 0 && i < (size_t)n;) {
        size_t j = i + 1, cl = class_part(items[i].class_key);
        while (j < (size_t)n && strcmp(items[j].group, items[i].group) == 0 && class_part(items[j].class_key) == cl &&
               memcmp(items[j].class_key, items[i].class_key, cl) == 0)
            j++;
        rc = enter_zip(s, items[i].group, error);
        if (rc == 0)
            rc = write_class(&run, items + i, j - i, s->zip, by_class, group, &s->counts, error);
        i = j;
    }
    if (run.element_labels)
        xmlHashFree(run.element_labels, NULL);
    free(group);
    free(by_class);
    for (long i = 0; items && i <= n && i < (long)f->index.bilan_count + 1; i++) {
        free(items[i].group);
        free(items[i].class_key);
        free(items[i].entry);
    }
    free(items);
    lsu_class_names_free(own);
    if (rc != 0)
        s->failed = 1;
    return rc;
}

/* See edit.h. */
int lsu_edit_end(lsu_edit_session *s, lsu_edit_counts *counts, char **error)
{
    if (!s)
        return -1;
    int rc = 0;
    if (s->failed) {
        lsu_package_abort(s->zip); /* nothing half-written stays */
        s->zip = NULL;
        rc = -1;
    } else {
        rc = close_zip(s, error);
    }
    if (counts)
        *counts = s->counts;
    free(s->group);
    free(s->folder);
    free(s);
    return rc;
}

/* See edit.h. */
int lsu_edit(lsu_file *f, const lsu_report *r, lsu_renderer *renderer, const lsu_edit_options *opt, const char *dir,
             const char *stem, lsu_edit_counts *counts, char **error)
{
    (void)r; /* statuses were stored in the index by lsu_report_build */
    memset(counts, 0, sizeof *counts);
    *error = NULL;
    lsu_edit_session *s = lsu_edit_begin(renderer, opt, dir, stem, lsu_edit_date(f), error);
    if (!s)
        return -1;
    int rc = lsu_edit_add(s, f, error);
    if (lsu_edit_end(s, counts, error) != 0)
        rc = -1;
    return rc;
}
