/* The file names of the classes of one edition (see edit.h): a class is
 * known by its identity, its ONDE id, and named by the safe form of its
 * label; two classes whose labels give one safe name ("CP A", "CP/A") get
 * CP_A and CP_A-2, in the classes' order (label, then id), so that the same
 * bilans give the same names whatever order they come in. */
#include "base/text.h"
#include "base/util.h"
#include "pdf/edit.h"
#include "pdf/package.h"

#include <libxml/hash.h>
#include <stdlib.h>
#include <string.h>

/* One class. */
typedef struct {
    char *id;    /* its identity: the ONDE id, or "\x01" and its XML id */
    char *label; /* the least of its labels (in the order of cmp_label) */
    char *sort;  /* lsu_sort_key of the label */
    char *base;  /* safe form of the label (of the ONDE id when it is empty) */
    char *name;  /* unique among the table's classes, once finished */
} class_name;

struct lsu_class_names {
    class_name **items;
    size_t count, cap;
    xmlHashTablePtr by_id; /* id → class_name (borrowed) */
    int finished;
    int failed; /* memory ran out: every later call fails */
};

/* The identity of a class: its ONDE id, or its XML id when it has none.
 * Caller frees; NULL when memory ran out. */
static char *identity(const char *id_be, const char *xml_id)
{
    if (id_be && *id_be)
        return strdup(id_be);
    return lsu_asprintf("\x01%s", xml_id ? xml_id : "");
}

/* Compares two labels as the classes are sorted (sort key, then bytes). */
static int cmp_label(const char *sa, const char *la, const char *sb, const char *lb)
{
    int c = strcmp(sa, sb);
    return c ? c : strcmp(la, lb);
}

/* Orders classes by safe name, then label, then id (numeric ids by value). */
static int cmp_class_name(const void *pa, const void *pb)
{
    const class_name *a = *(const class_name *const *)pa, *b = *(const class_name *const *)pb;
    int c = strcmp(a->base, b->base);
    if (c)
        return c;
    c = cmp_label(a->sort, a->label, b->sort, b->label);
    if (c)
        return c;
    size_t la = strlen(a->id), lb = strlen(b->id);
    return la != lb ? (la < lb ? -1 : 1) : strcmp(a->id, b->id);
}

/* Frees one class. */
static void class_name_free(class_name *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->label);
    free(c->sort);
    free(c->base);
    free(c->name);
    free(c);
}

/* Sets a class's label and what comes of it; 0 or -1 when memory ran out. */
static int set_label(class_name *c, const char *label, const char *id_be)
{
    lsu_buf key = {0};
    lsu_sort_key(label, &key);
    char *copy = strdup(label);
    char *base = lsu_safe_name(*label ? label : id_be ? id_be : "");
    if (key.failed || !copy || !base) {
        lsu_buf_free(&key);
        free(copy);
        free(base);
        return -1;
    }
    free(c->label);
    free(c->sort);
    free(c->base);
    c->label = copy;
    c->sort = key.data ? key.data : strdup("");
    c->base = base;
    return c->sort ? 0 : -1;
}

/* See edit.h. */
lsu_class_names *lsu_class_names_new(void)
{
    lsu_class_names *t = calloc(1, sizeof *t);
    if (t)
        t->by_id = xmlHashCreate(16);
    if (!t || !t->by_id) {
        free(t);
        return NULL;
    }
    return t;
}

/* See edit.h. */
int lsu_class_names_add(lsu_class_names *t, const char *id_be, const char *xml_id, const char *label)
{
    if (t->failed || t->finished)
        return -1;
    label = label ? label : "";
    char *id = identity(id_be, xml_id);
    class_name *c = id ? xmlHashLookup(t->by_id, BAD_CAST id) : NULL;
    if (c) { /* known: keep the least label, whatever order the bilans come in */
        free(id);
        if (strcmp(label, c->label) == 0)
            return 0;
        lsu_buf key = {0};
        lsu_sort_key(label, &key);
        int rc = 0;
        if (key.failed)
            rc = -1;
        else if (cmp_label(key.data ? key.data : "", label, c->sort, c->label) < 0)
            rc = set_label(c, label, id_be);
        lsu_buf_free(&key);
        t->failed = rc != 0;
        return rc;
    }
    if (id && t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        class_name **items = realloc(t->items, cap * sizeof(class_name *));
        if (items) {
            t->items = items;
            t->cap = cap;
        }
    }
    c = id && t->count < t->cap ? calloc(1, sizeof *c) : NULL;
    if (c)
        c->id = id;
    if (!c || set_label(c, label, id_be) != 0 || xmlHashAddEntry(t->by_id, BAD_CAST id, c) != 0) {
        if (c)
            class_name_free(c);
        else
            free(id);
        t->failed = 1;
        return -1;
    }
    t->items[t->count++] = c;
    return 0;
}

/* See edit.h. */
int lsu_class_names_finish(lsu_class_names *t)
{
    if (t->failed)
        return -1;
    if (t->finished)
        return 0;
    t->finished = 1;
    if (t->count)
        qsort(t->items, t->count, sizeof(class_name *), cmp_class_name);
    /* every safe name is taken by the first class that gives it */
    xmlHashTablePtr taken = xmlHashCreate((int)t->count + 1);
    int rc = taken ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < t->count; i++)
        if (i == 0 || strcmp(t->items[i]->base, t->items[i - 1]->base) != 0) {
            t->items[i]->name = strdup(t->items[i]->base);
            if (!t->items[i]->name || xmlHashAddEntry(taken, BAD_CAST t->items[i]->name, t->items[i]) != 0)
                rc = -1;
        }
    /* the next ones get -2, -3… a number no other class's name bears */
    unsigned long next = 2;
    for (size_t i = 0; rc == 0 && i < t->count; i++) {
        class_name *c = t->items[i];
        if (c->name) {
            next = 2;
            continue;
        }
        do {
            free(c->name);
            c->name = lsu_asprintf("%s-%lu", c->base, next++);
        } while (c->name && xmlHashLookup(taken, BAD_CAST c->name));
        if (!c->name || xmlHashAddEntry(taken, BAD_CAST c->name, c) != 0)
            rc = -1;
    }
    if (taken)
        xmlHashFree(taken, NULL);
    t->failed = rc != 0;
    return rc;
}

/* See edit.h. */
const char *lsu_class_names_get(const lsu_class_names *t, const char *id_be, const char *xml_id)
{
    if (!t || !t->finished || t->failed)
        return NULL;
    char *id = identity(id_be, xml_id);
    const class_name *c = id ? xmlHashLookup(t->by_id, BAD_CAST id) : NULL;
    free(id);
    return c ? c->name : NULL;
}

/* See edit.h. */
void lsu_class_names_free(lsu_class_names *t)
{
    if (!t)
        return;
    if (t->by_id)
        xmlHashFree(t->by_id, NULL);
    for (size_t i = 0; i < t->count; i++)
        class_name_free(t->items[i]);
    free(t->items);
    free(t);
}
