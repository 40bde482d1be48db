/* Diagnostics: the catalogue and the per-file list (see diag.h). */
#include "base/diag.h"
#include "base/util.h"

#include <libxml/hash.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const lsu_code_info catalogue[DIAG_COUNT] = {
#define DIAG(id, code, sev, title, meaning, action) {code, sev, title, meaning, action},
#include "base/catalog.def"
#undef DIAG
};

/* Returns the catalogue entry of a code (never NULL for a valid code). */
const lsu_code_info *lsu_code_lookup(lsu_code code)
{
    if ((int)code < 0 || code >= DIAG_COUNT)
        return NULL;
    return &catalogue[code];
}

/* Returns the catalogue entry whose text is `text`, or NULL. */
const lsu_code_info *lsu_code_find(const char *text)
{
    for (int i = 0; i < DIAG_COUNT; i++)
        if (strcmp(catalogue[i].code, text) == 0)
            return &catalogue[i];
    return NULL;
}

/* Returns the French name of a severity (static string). */
const char *lsu_severity_name(lsu_severity sev)
{
    switch (sev) {
    case SEV_INFO: return "info";
    case SEV_ALERTE: return "alerte";
    case SEV_BLOQUANT: return "bloquant";
    case SEV_FATAL: return "fatal";
    }
    return "?";
}

/* See diag.h: the XSD family, and the two reference errors (to nothing,
 * empty) that the official schema rejects under a Java validator. */
int lsu_code_is_schema(lsu_code code)
{
    if (code == DIAG_REF001 || code == DIAG_REF002)
        return 1;
    const char *text = catalogue[code].code;
    return strncmp(text, "XSD", 3) == 0;
}

/* How many diagnostics of one key (code, severity, subject) a list holds:
 * listed ones, and the index + 1 of the entry counting those left out (0
 * while none was). */
typedef struct {
    size_t listed, summary;
} seen_count;

/* The key of a diagnostic for the per-subject cap, written into buf. */
static const char *seen_key(lsu_code code, lsu_severity severity, const lsu_subject *s, lsu_buf *buf)
{
    buf->len = 0;
    lsu_buf_printf(buf, "%d|%d", (int)code, (int)severity);
    if (s)
        lsu_buf_printf(buf, "|%d|%d|%d|%s|%s|%s", (int)s->scope, (int)s->bilan_kind, s->bilan_index,
                       s->eleve_id ? s->eleve_id : "", s->ine ? s->ine : "", s->eleve ? s->eleve : "");
    return buf->failed ? NULL : buf->data;
}

/* The counts of a key, created when new (NULL when memory ran out).  The
 * table is made from the entries when absent (after a sort, which moves
 * them). */
static seen_count *seen_lookup(lsu_diag_list *list, const char *key)
{
    if (!list->seen) {
        if (!(list->seen = xmlHashCreate(64)))
            return NULL;
        lsu_buf k = {0};
        for (size_t i = 0; i < list->len; i++) {
            const lsu_diag *d = &list->items[i];
            lsu_subject s = {.scope = d->scope,
                             .bilan_kind = d->bilan_kind,
                             .bilan_index = d->bilan_index,
                             .eleve_id = d->eleve_id,
                             .ine = d->ine,
                             .eleve = d->eleve};
            seen_count *c = seen_lookup(list, seen_key(d->code, d->severity, &s, &k) ? k.data : "");
            if (c && d->omitted)
                c->summary = i + 1;
            else if (c)
                c->listed++;
        }
        lsu_buf_free(&k);
    }
    seen_count *c = xmlHashLookup(list->seen, BAD_CAST key);
    if (!c && (c = calloc(1, sizeof *c)) != NULL && xmlHashAddEntry(list->seen, BAD_CAST key, c) != 0) {
        free(c);
        c = NULL;
    }
    return c;
}

/* The message of the entry that counts what was left out. */
static char *omitted_message(const lsu_diag *d)
{
    const char *where = d->scope == SCOPE_BILAN   ? "pour ce bilan"
                        : d->scope == SCOPE_ELEVE ? "pour cet élève"
                        : d->eleve || d->ine      ? "pour cet élève"
                                                  : "dans le fichier";
    int many = d->omitted > 1;
    return lsu_asprintf("Et %zu autre%s diagnostic%s %s du même type %s, non listé%s : seuls les %d premiers le "
                        "sont.",
                        d->omitted, many ? "s" : "", many ? "s" : "", catalogue[d->code].code, where, many ? "s" : "",
                        LSU_DIAG_PER_SUBJECT);
}

/* Frees a seen_count (xmlHashFree's deallocator). */
static void seen_free(void *payload, const xmlChar *name)
{
    (void)name;
    free(payload);
}

/* Appends one entry with a formatted message; shared by the two public
 * adders.  Owns nothing on failure (everything allocated is freed).  Past
 * LSU_DIAG_PER_SUBJECT entries of one key, counts the diagnostic in the
 * key's summary entry instead (returned). */
static lsu_diag *diag_vadd(lsu_diag_list *list, lsu_code code, lsu_severity severity, long line,
                           const lsu_subject *subject, const char *fmt, va_list ap)
{
    lsu_buf kb = {0};
    const char *key = seen_key(code, severity, subject, &kb);
    seen_count *seen = key ? seen_lookup(list, key) : NULL;
    lsu_buf_free(&kb);
    if (!seen) {
        list->oom = 1;
        return NULL;
    }
    if (seen->summary) {
        lsu_diag *sum = &list->items[seen->summary - 1];
        sum->omitted++;
        char *msg = omitted_message(sum);
        if (!msg) {
            list->oom = 1;
            return NULL;
        }
        free(sum->message);
        sum->message = msg;
        return sum;
    }
    int summary = seen->listed >= LSU_DIAG_PER_SUBJECT;
    if (list->len == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 32;
        lsu_diag *items = realloc(list->items, cap * sizeof *items);
        if (!items) {
            list->oom = 1;
            return NULL;
        }
        list->items = items;
        list->cap = cap;
    }
    lsu_diag *d = &list->items[list->len];
    memset(d, 0, sizeof *d);
    d->code = code;
    d->line = line;
    if (subject) {
        d->scope = subject->scope;
        d->bilan_kind = subject->bilan_kind;
        d->bilan_index = subject->bilan_index;
        d->eleve_id = lsu_strdup_or_null(subject->eleve_id);
        d->ine = lsu_strdup_or_null(subject->ine);
        d->eleve = lsu_strdup_or_null(subject->eleve);
        d->classe = lsu_strdup_or_null(subject->classe);
        d->periode = lsu_strdup_or_null(subject->periode);
    }
    d->severity = severity;
    d->omitted = summary ? 1 : 0;
    d->message = summary ? omitted_message(d) : lsu_vasprintf(fmt, ap);
    if (!d->message) {
        free(d->eleve_id);
        free(d->ine);
        free(d->eleve);
        free(d->classe);
        free(d->periode);
        list->oom = 1;
        return NULL;
    }
    list->len++;
    if (summary)
        seen->summary = list->len;
    else
        seen->listed++;
    return d;
}

/* Records a diagnostic with the catalogue's severity (see diag.h). */
lsu_diag *lsu_diag_add(lsu_diag_list *list, lsu_code code, long line, const lsu_subject *subject, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lsu_diag *d = diag_vadd(list, code, catalogue[code].severity, line, subject, fmt, ap);
    va_end(ap);
    return d;
}

/* Records a diagnostic with an explicit severity (see diag.h). */
lsu_diag *lsu_diag_add_sev(lsu_diag_list *list, lsu_code code, lsu_severity severity, long line,
                           const lsu_subject *subject, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lsu_diag *d = diag_vadd(list, code, severity, line, subject, fmt, ap);
    va_end(ap);
    return d;
}

/* Order: line, worse severity first, code, then message (total order so
 * that qsort's instability never shows). */
static int diag_cmp(const void *pa, const void *pb)
{
    const lsu_diag *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    int c = strcmp(a->message, b->message);
    if (c)
        return c;
    return lsu_strcmp_null(a->ine, b->ine);
}

/* Sorts the list in report order. */
void lsu_diag_sort(lsu_diag_list *list)
{
    if (list->len > 1)
        qsort(list->items, list->len, sizeof *list->items, diag_cmp);
    if (list->seen) { /* its indexes moved: made anew by the next add */
        xmlHashFree(list->seen, seen_free);
        list->seen = NULL;
    }
}

/* Frees every entry and the array. */
void lsu_diag_list_free(lsu_diag_list *list)
{
    for (size_t i = 0; i < list->len; i++) {
        lsu_diag *d = &list->items[i];
        free(d->eleve_id);
        free(d->ine);
        free(d->eleve);
        free(d->classe);
        free(d->periode);
        free(d->message);
    }
    free(list->items);
    if (list->seen)
        xmlHashFree(list->seen, seen_free);
    memset(list, 0, sizeof *list);
}

/* Returns the worst severity recorded. */
lsu_severity lsu_diag_worst(const lsu_diag_list *list)
{
    lsu_severity worst = SEV_INFO;
    for (size_t i = 0; i < list->len; i++)
        if (list->items[i].severity > worst)
            worst = list->items[i].severity;
    return worst;
}

/* See diag.h. */
void lsu_diag_text(const lsu_diag *d, const char *path, lsu_buf *out)
{
    lsu_buf_puts_visible(out, path);
    if (d->line)
        lsu_buf_printf(out, ":%ld: ", d->line);
    else
        lsu_buf_puts(out, ": ");
    lsu_buf_printf(out, "%s [%s] ", lsu_severity_name(d->severity), lsu_code_lookup(d->code)->code);
    lsu_buf_puts_visible(out, d->message);
    const char *parts[] = {d->eleve ? d->eleve : d->ine, d->classe, d->periode};
    int any = 0;
    for (int k = 0; k < 3; k++) {
        if (parts[k] && *parts[k]) {
            lsu_buf_puts(out, any ? ", " : " (");
            lsu_buf_puts_visible(out, parts[k]);
            any = 1;
        }
    }
    lsu_buf_puts(out, any ? ")\n" : "\n");
}
