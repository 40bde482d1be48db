/* A multipart body's parts as lsu serve keeps them (see serve_int.h):
 * the files of the fields a screen reads, each streamed to its own
 * private file under one cap on their sum, the small fields into the
 * form.  No libmicrohttpd here: http.c hands over what its post processor
 * parses, tests/fuzz_serve.c and the unit tests hand over their own. */
#include "serve/serve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMALL_FIELD_MAX 4096 /* a field that is not a file */

/* The file fields the screens read: the one file of Import and of the
 * ONDE extraction, the teachers' list of Synchronisation. */
static const char *const upload_fields[] = {"fichier", "enseignants"};

/* See serve_int.h. */
void serve_multipart_init(serve_multipart *m, const char *dir, long long cap, serve_form *form, serve_uploads *up)
{
    memset(up, 0, sizeof *up);
    *m = (serve_multipart){.dir = dir, .cap = cap, .form = form, .up = up, .fd = -1, .cur = -1};
}

/* The static name of file field `key` when the screens read it and this
 * body has none yet, else NULL (the part is ignored). */
static const char *wanted_field(const serve_uploads *up, const char *key)
{
    for (size_t i = 0; i < sizeof upload_fields / sizeof *upload_fields; i++)
        if (strcmp(key, upload_fields[i]) == 0)
            return serve_upload_get(up, key) || up->n >= SERVE_UPLOAD_MAX ? NULL : upload_fields[i];
    return NULL;
}

/* A new file part: its private file opened when the field is wanted.
 * 0, or -1 when it could not be made. */
static int part_begin(serve_multipart *m, const char *key, const char *filename)
{
    serve_multipart_end(m);
    m->up->parts++;
    const char *field = m->up->too_large ? NULL : wanted_field(m->up, key);
    if (!field)
        return 0;
    serve_upload *u = &m->up->v[m->up->n];
    char name[128];
    serve_display_name(filename, name, sizeof name);
    u->path = lsu_asprintf("%s/envoi-XXXXXX", m->dir);
    u->name = lsu_strdup_or_null(name);
    int fd = u->path && u->name ? mkstemp(u->path) : -1; /* mkstemp: 0600 */
    if (fd < 0) {
        free(u->path), free(u->name);
        u->path = u->name = NULL;
        return -1;
    }
    u->field = field;
    u->size = 0;
    m->fd = fd;
    m->cur = (int)m->up->n++;
    return 0;
}

/* Writes data[0..size) to fd; 0 or -1. */
static int write_all(int fd, const char *data, size_t size)
{
    for (size_t w = 0; w < size;) {
        ssize_t k = write(fd, data + w, size - w);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        w += (size_t)k;
    }
    return 0;
}

/* A chunk of a file part. */
static int file_data(serve_multipart *m, const char *key, const char *filename, const char *data, uint64_t off,
                     size_t size)
{
    /* a new part at offset 0, unless the same one's first call brought
     * no byte (the post processor may announce a part empty) */
    int same = m->cur >= 0 && m->up->v[m->cur].size == 0 && strcmp(m->up->v[m->cur].field, key) == 0 && !m->last_small;
    if (off == 0 && !same && part_begin(m, key, filename) != 0)
        return -1;
    m->last_small = 0;
    m->up->total += (long long)size;
    if (m->up->total > m->cap) {
        m->up->too_large = 1;
        serve_multipart_end(m);
        return 0;
    }
    if (m->cur < 0 || m->fd < 0)
        return 0; /* ignored */
    if (write_all(m->fd, data, size) != 0)
        return -1;
    m->up->v[m->cur].size += (long long)size;
    return 0;
}

/* See serve_int.h. */
int serve_multipart_data(serve_multipart *m, const char *key, const char *filename, const char *data, uint64_t off,
                         size_t size)
{
    if (!key)
        return -1;
    if (filename)
        return file_data(m, key, filename, data, off, size);
    serve_form *f = m->form;
    if (off > 0 && m->last_small && f->n && strcmp(f->fields[f->n - 1].name, key) == 0) {
        serve_field *last = &f->fields[f->n - 1];
        size_t had = strlen(last->value);
        char *v = had + size <= SMALL_FIELD_MAX ? realloc(last->value, had + size + 1) : NULL;
        if (v)
            last->value = v;
        if (!v || !serve_text_ok(data, size))
            return -1;
        memcpy(v + had, data, size);
        v[had + size] = 0;
        return 0;
    }
    serve_multipart_end(m);
    if (size > SMALL_FIELD_MAX || serve_form_add(f, key, data ? data : "", size) != 0)
        return -1;
    m->last_small = 1;
    return 0;
}

/* See serve_int.h. */
void serve_multipart_end(serve_multipart *m)
{
    if (m->fd >= 0)
        close(m->fd);
    m->fd = -1;
    m->cur = -1;
}

/* See serve_int.h. */
const serve_upload *serve_upload_get(const serve_uploads *up, const char *field)
{
    for (size_t i = 0; i < up->n; i++)
        if (strcmp(up->v[i].field, field) == 0)
            return &up->v[i];
    return NULL;
}

/* See serve_int.h. */
void serve_uploads_clear(serve_uploads *up)
{
    for (size_t i = 0; i < up->n; i++) {
        if (up->v[i].path)
            unlink(up->v[i].path);
        free(up->v[i].path);
        free(up->v[i].name);
    }
    memset(up, 0, sizeof *up);
}
