/* The inbox of lsu batch: the exports found under it (or listed by
 * --files-from), their stems and input keys, and which of them an earlier
 * run already processed; the string lists that lsu merge shares. */
#include "base/hash.h"
#include "batch/batch_int.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_DEPTH 32

/* Appends an owned string; 0 or -1. */
int batch_list_add(str_list *l, char *s)
{
    if (!s)
        return -1;
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            free(s);
            return -1;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = s;
    return 0;
}

/* Frees the strings of l and the list itself, left empty. */
void batch_list_free(str_list *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Ends in ".xml", any case. */
static int is_xml_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

/* Adds the exports under root/rel (rel "" for the inbox itself) to l,
 * skipping hidden entries and the folder `skip` (the output folder when it
 * lies inside the inbox).  A subfolder that cannot be read is said on err,
 * counted in *unreadable and skipped: the rest of the inbox goes on.  0, or
 * -1 with errno (the inbox itself unreadable, or memory). */
static int list_inbox(const char *root, const char *rel, const char *skip, int depth, str_list *l, FILE *err,
                      size_t *unreadable)
{
    char *dir = rel[0] ? lsu_asprintf("%s/%s", root, rel) : strdup(root);
    if (!dir)
        return -1;
    DIR *d = opendir(dir);
    if (!d) {
        if (depth > 0) {
            fprintf(err, "lsu: %s : dossier illisible (%s) : ses exports ne sont pas traités\n", dir,
                    lsu_strerror_fr(errno));
            ++*unreadable;
        }
        free(dir);
        return depth > 0 ? 0 : -1;
    }
    int rc = 0;
    const struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = lsu_asprintf("%s/%s", dir, e->d_name);
        char *sub = rel[0] ? lsu_asprintf("%s/%s", rel, e->d_name) : strdup(e->d_name);
        struct stat st;
        if (!path || !sub) {
            rc = -1;
        } else if (stat(path, &st) == 0) {
            char *real = S_ISDIR(st.st_mode) && skip ? realpath(path, NULL) : NULL;
            if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH && !(real && strcmp(real, skip) == 0)) {
                rc = list_inbox(root, sub, skip, depth + 1, l, err, unreadable);
            } else if (S_ISREG(st.st_mode) && is_xml_name(e->d_name)) {
                rc = batch_list_add(l, sub);
                sub = NULL;
            }
            free(real);
        }
        free(path);
        free(sub);
    }
    closedir(d);
    free(dir);
    return rc;
}

/* Reads the list of --files-from (paths relative to the inbox, one a
 * line, blank lines ignored).  0, or -1 with errno. */
static int list_from_file(const char *file, str_list *l)
{
    FILE *fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, fp)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        const char *p = line;
        while (p[0] == '.' && p[1] == '/')
            p += 2;
        if (*p)
            rc = batch_list_add(l, strdup(p));
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return rc;
}

/* strcmp for qsort on char *. */
int batch_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The stem of an inbox path: each '/' turned into "__" (a double
 * underscore: "0750001A/export.xml" and "0750001A_export.xml", both
 * plausible, stay apart), ".xml" dropped.  Caller frees; NULL when memory
 * ran out. */
static char *path_stem(const char *path)
{
    size_t n = strlen(path);
    if (is_xml_name(path))
        n -= 4;
    lsu_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (path[i] == '/')
            lsu_buf_puts(&b, "__");
        else
            lsu_buf_add(&b, path + i, 1);
    }
    lsu_buf_puts(&b, "");
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* The options that shape the outputs, as stored in a record: an export is
 * skipped only when it ran with the same ones. */
static char *options_key(const lsu_batch_options *a)
{
    const lsu_edit_options *e = &a->edit;
    const lsu_render_options *r = &a->render;
    /* the list of schools prints on the bilans: another list, other PDFs */
    char list[65] = "";
    if (a->schools_path)
        lsu_sha256_file_hex(a->schools_path, list);
    return lsu_asprintf("lsu=%s data=%s max-size=%lld by=%d pupil=%s class=%s level=%s wm=%d duplex=%d guardian=%d "
                        "gray=%d%s%s%s",
                        LSU_VERSION, a->data ? a->data : "", a->opt.max_size, (int)e->by, e->ine ? e->ine : "",
                        e->classe ? e->classe : "", e->niveau ? e->niveau : "", r->watermark, r->duplex,
                        r->per_guardian, r->grayscale, r->test_print ? " test-print=1" : "",
                        a->schools_path ? " schools=" : "", list);
}

/* Builds the list of exports of the inbox with their stems and input
 * keys, marking those already processed (unless --force).  Returns the
 * array (caller frees items and array), or NULL with *status set. */
batch_item *batch_collect_items(const lsu_batch_options *a, size_t *n, size_t *skipped, size_t *unreadable, FILE *err,
                                int *status)
{
    str_list paths = {0};
    char *real_out = realpath(a->out, NULL);
    int rc = a->files_from ? list_from_file(a->files_from, &paths)
                           : list_inbox(a->inbox, "", real_out, 0, &paths, err, unreadable);
    free(real_out);
    if (rc != 0) {
        fprintf(err, "lsu: %s : lecture impossible : %s\n", a->files_from ? a->files_from : a->inbox,
                lsu_strerror_fr(errno));
        batch_list_free(&paths);
        *status = LSU_EXIT_USAGE;
        return NULL;
    }
    if (paths.len)
        qsort(paths.items, paths.len, sizeof *paths.items, batch_cmp_str);
    batch_item *items = calloc(paths.len + 1, sizeof *items);
    char *opts = options_key(a);
    if (!items || !opts) {
        free(items);
        free(opts);
        batch_list_free(&paths);
        *status = LSU_EXIT_INTERNAL;
        return NULL;
    }
    *skipped = 0;
    size_t k = 0;
    for (size_t i = 0; i < paths.len; i++) {
        if (k > 0 && strcmp(paths.items[i], items[k - 1].path) == 0)
            continue; /* listed twice in --files-from */
        batch_item *it = &items[k++];
        it->path = paths.items[i];
        paths.items[i] = NULL;
        /* stems collide only for odd names ("a/b.xml" and "a__b.xml"): a
         * suffix by listing order keeps them apart */
        char *stem = path_stem(it->path);
        for (int s = 2; stem; s++) {
            int clash = 0;
            for (size_t j = 0; j + 1 < k && !clash; j++)
                clash = strcmp(items[j].stem, stem) == 0;
            if (!clash)
                break;
            free(stem);
            char *base = path_stem(it->path);
            stem = base ? lsu_asprintf("%s-%d", base, s) : NULL;
            free(base);
        }
        it->stem = stem;
        char *full = lsu_asprintf("%s/%s", a->inbox, it->path);
        char hash[65] = "";
        if (full)
            lsu_sha256_file_hex(full, hash);
        free(full);
        it->input = lsu_asprintf("%s %s", hash[0] ? hash : "illisible", opts);
        if (!it->stem || !it->input) {
            *status = LSU_EXIT_INTERNAL;
            break;
        }
        lsu_batch_record old;
        char *rp = batch_record_path(a->out, it->stem);
        if (!a->force && hash[0] && rp && batch_record_read(rp, &old) == 0) {
            if (!old.failure && old.input && strcmp(old.input, it->input) == 0 && strcmp(old.path, it->path) == 0) {
                it->rec = old;
                it->rec.skipped = 1;
                it->done = 1;
                ++*skipped;
            } else {
                lsu_batch_record_clear(&old);
            }
        }
        free(rp);
    }
    free(opts);
    batch_list_free(&paths);
    *n = k;
    return items;
}
