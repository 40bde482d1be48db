/* lsu merge, once its arguments are parsed: the records and outputs of
 * the shards of a batch brought into one OUT (hard links where it can),
 * then the académie summary over all of them. */
#include "batch/batch_int.h"
#include "batch/summary.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Puts a copy of the file `from` at `to` through a temporary name: a hard
 * link when both are on one file system (no bytes copied), a copy
 * otherwise.  0 or -1. */
static int link_or_copy(const char *from, const char *to)
{
    char *tmp = lsu_asprintf("%s.tmp.lien", to);
    if (!tmp)
        return -1;
    unlink(tmp);
    int rc = link(from, tmp);
    if (rc == 0) {
        rc = rename(tmp, to);
    } else {
        FILE *fp = fopen(from, "rb");
        lsu_buf b = {0};
        char buf[65536];
        size_t n;
        while (fp && (n = fread(buf, 1, sizeof buf, fp)) > 0)
            lsu_buf_add(&b, buf, n);
        rc = !fp || ferror(fp) || b.failed ? -1 : lsu_write_file_atomic(to, b.data ? b.data : "", b.len);
        if (fp)
            fclose(fp);
        lsu_buf_free(&b);
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* Copies the tree `from` into `to` (created) with link_or_copy. */
static int copy_tree(const char *from, const char *to)
{
    struct stat st;
    if (stat(from, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return link_or_copy(from, to);
    if (lsu_mkdir_p(to) != 0)
        return -1;
    DIR *d = opendir(from);
    if (!d)
        return -1;
    int rc = 0;
    const struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *f = lsu_asprintf("%s/%s", from, e->d_name);
        char *t = lsu_asprintf("%s/%s", to, e->d_name);
        rc = f && t ? copy_tree(f, t) : -1;
        free(f);
        free(t);
    }
    closedir(d);
    return rc;
}

/* Brings one shard's export (record r) into out: its outputs staged then
 * moved as a worker does, then its record.  0, or -1 (said on err). */
static int merge_one(const char *out, const char *shard, const lsu_batch_record *r, FILE *err)
{
    char *staging = lsu_asprintf("%s/" STATE_DIR "/tmp/%s", out, r->stem);
    char *dest = lsu_asprintf("%s/%s", out, r->uai);
    int rc = staging && dest && lsu_remove_tree(staging) == 0 && lsu_mkdir_p(staging) == 0 ? 0 : -1;
    static const char *const ext[] = {".rapport.html", ".rapport.json", ".rapport.csv", ""};
    for (size_t i = 0; i < sizeof ext / sizeof *ext && rc == 0 && !r->failure; i++) {
        char *from = lsu_asprintf("%s/%s/%s%s", shard, r->uai, r->stem, ext[i]);
        char *to = lsu_asprintf("%s/%s%s", staging, r->stem, ext[i]);
        struct stat st;
        if (!from || !to)
            rc = -1;
        else if (stat(from, &st) == 0)
            rc = copy_tree(from, to);
        free(from);
        free(to);
    }
    if (rc == 0 && !r->failure)
        rc = batch_move_outputs(staging, dest, r->stem);
    if (rc == 0)
        rc = batch_record_write(out, r);
    if (rc != 0)
        fprintf(err, "lsu: %s : l'export %s n'a pas pu être rassemblé dans %s : %s\n", shard, r->path, out,
                lsu_strerror_fr(errno));
    if (staging)
        lsu_remove_tree(staging);
    free(staging);
    free(dest);
    return rc;
}

/* Reads every record of the folder `dir`/.lsu-batch/results into l (a
 * growing array of records).  0, or -1 when the folder is unreadable. */
static int read_records(const char *dir, lsu_batch_record **l, size_t *n, size_t *cap)
{
    char *results = lsu_asprintf("%s/" STATE_DIR "/results", dir);
    DIR *d = results ? opendir(results) : NULL;
    if (!d) {
        free(results);
        return -1;
    }
    str_list names = {0};
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] != '.' && len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0)
            batch_list_add(&names, lsu_asprintf("%s/%s", results, e->d_name));
    }
    closedir(d);
    free(results);
    if (names.len)
        qsort(names.items, names.len, sizeof *names.items, batch_cmp_str);
    for (size_t i = 0; i < names.len; i++) {
        if (*n == *cap) {
            size_t c = *cap ? *cap * 2 : 64;
            lsu_batch_record *g = realloc(*l, c * sizeof *g);
            if (!g)
                break;
            *l = g;
            *cap = c;
        }
        if (batch_record_read(names.items[i], &(*l)[*n]) == 0)
            ++*n;
    }
    batch_list_free(&names);
    return 0;
}

/* See batch.h: lsu merge once its arguments are parsed (the CLI says its
 * usage errors). */
int lsu_batch_merge(const char *dest, const char *const *shards, size_t nshards, const lsu_school_list *list, FILE *err)
{
    if (lsu_mkdir_p(dest) != 0) {
        fprintf(err, "lsu: %s : création du dossier impossible : %s\n", dest, lsu_strerror_fr(errno));
        return LSU_EXIT_INTERNAL;
    }
    int lock = batch_open_state(dest, err);
    if (lock < 0)
        return LSU_EXIT_INTERNAL;
    int status = LSU_EXIT_OK;
    char *real_dest = realpath(dest, NULL);
    for (size_t s = 0; s < nshards && status == LSU_EXIT_OK; s++) {
        lsu_batch_record *recs = NULL;
        size_t n = 0, cap = 0;
        char *real = realpath(shards[s], NULL);
        int same = real && real_dest && strcmp(real, real_dest) == 0;
        free(real);
        if (read_records(shards[s], &recs, &n, &cap) != 0) {
            fprintf(err, "lsu: %s : pas un dossier de lsu batch (%s/" STATE_DIR "/results illisible)\n", shards[s],
                    shards[s]);
            status = LSU_EXIT_USAGE;
        }
        for (size_t i = 0; i < n; i++) {
            if (!same && status == LSU_EXIT_OK && merge_one(dest, shards[s], &recs[i], err) != 0)
                status = LSU_EXIT_INTERNAL;
            lsu_batch_record_clear(&recs[i]);
        }
        free(recs);
    }
    free(real_dest);
    if (status == LSU_EXIT_OK) {
        lsu_batch_record *recs = NULL;
        size_t n = 0, cap = 0;
        read_records(dest, &recs, &n, &cap);
        for (size_t i = 0; i < n; i++)
            if (recs[i].status > status)
                status = recs[i].status;
        if (lsu_summary_write(dest, recs, n, list, err) != 0)
            status = LSU_EXIT_INTERNAL;
        for (size_t i = 0; i < n; i++)
            lsu_batch_record_clear(&recs[i]);
        free(recs);
    }
    batch_close_state(dest, lock);
    return status;
}
