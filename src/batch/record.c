/* The result records of lsu batch (see record.h): one small text file
 * per export under OUT/.lsu-batch/results, written atomically by the
 * worker (or by the parent for a failed worker) and read back by the
 * scheduler, the next run and lsu merge. */
#include "batch/batch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_MAGIC "lsu-batch-resultat 1"

/* Frees the strings of a record. */
void lsu_batch_record_clear(lsu_batch_record *r)
{
    free(r->path);
    free(r->stem);
    free(r->uai);
    free(r->input);
    free(r->codes);
    free(r->failure);
    free(r->message);
    memset(r, 0, sizeof *r);
}

/* Path of the record of `stem` under out; caller frees. */
char *batch_record_path(const char *out, const char *stem)
{
    return lsu_asprintf("%s/" STATE_DIR "/results/%s.txt", out, stem);
}

/* Writes a record atomically under out; 0 or -1 (errno set). */
int batch_record_write(const char *out, const lsu_batch_record *r)
{
    lsu_buf b = {0};
    lsu_buf_printf(&b, RECORD_MAGIC "\nfichier=%s\nstem=%s\nuai=%s\nentree=%s\nstatut=%d\n", r->path, r->stem, r->uai,
                   r->input ? r->input : "", r->status);
    lsu_buf_printf(&b, "traites=%zu\nimportes=%zu\navec_alertes=%zu\nrejetes=%zu\nfichier_rejete=%d\n", r->traites,
                   r->importes, r->avec_alertes, r->rejetes, r->file_rejected);
    lsu_buf_printf(&b, "pdf=%zu\nzips=%zu\ncodes=%s\n", r->pdfs, r->zips, r->codes ? r->codes : "");
    if (r->failure)
        lsu_buf_printf(&b, "echec=%s\n", r->failure);
    if (r->message)
        lsu_buf_printf(&b, "message=%s\n", r->message);
    char *path = batch_record_path(out, r->stem);
    int rc = -1;
    if (path && !b.failed)
        rc = lsu_write_file_atomic(path, b.data, b.len);
    else
        errno = ENOMEM;
    free(path);
    lsu_buf_free(&b);
    return rc;
}

/* Parses a decimal size_t field; 0 when malformed. */
static size_t field_size(const char *v)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    return errno || end == v || *end ? 0 : (size_t)n;
}

/* Reads the record at `path` into r; 0, or -1 when absent or unreadable
 * (r is then cleared). */
int batch_record_read(const char *path, lsu_batch_record *r)
{
    memset(r, 0, sizeof *r);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int ok = 0, lineno = 0;
    while ((len = getline(&line, &cap, fp)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (lineno++ == 0) {
            ok = strcmp(line, RECORD_MAGIC) == 0;
            if (!ok)
                break;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *k = line, *v = eq + 1;
        char **s = NULL;
        if (strcmp(k, "fichier") == 0)
            s = &r->path;
        else if (strcmp(k, "stem") == 0)
            s = &r->stem;
        else if (strcmp(k, "uai") == 0)
            s = &r->uai;
        else if (strcmp(k, "entree") == 0)
            s = &r->input;
        else if (strcmp(k, "codes") == 0)
            s = &r->codes;
        else if (strcmp(k, "echec") == 0)
            s = &r->failure;
        else if (strcmp(k, "message") == 0)
            s = &r->message;
        else if (strcmp(k, "statut") == 0)
            r->status = (int)field_size(v);
        else if (strcmp(k, "traites") == 0)
            r->traites = field_size(v);
        else if (strcmp(k, "importes") == 0)
            r->importes = field_size(v);
        else if (strcmp(k, "avec_alertes") == 0)
            r->avec_alertes = field_size(v);
        else if (strcmp(k, "rejetes") == 0)
            r->rejetes = field_size(v);
        else if (strcmp(k, "fichier_rejete") == 0)
            r->file_rejected = field_size(v) != 0;
        else if (strcmp(k, "pdf") == 0)
            r->pdfs = field_size(v);
        else if (strcmp(k, "zips") == 0)
            r->zips = field_size(v);
        if (s) {
            free(*s);
            *s = strdup(v);
            ok = ok && *s;
        }
    }
    free(line);
    int failed = ferror(fp);
    fclose(fp);
    if (!ok || failed || !r->path || !r->stem || !r->uai) {
        lsu_batch_record_clear(r);
        return -1;
    }
    return 0;
}
