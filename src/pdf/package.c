/* Stage package: see package.h.  This file owns the zips of PDF bilans
 * (one per class or per level) and their manifests, MANIFEST.csv and
 * manifeste.json, written with libzip; the safe file names made from
 * pupils' names; the SHA-256 of each entry (base/hash.c).
 *
 * Same calls, same bytes: entries are stored (PDFs are already
 * compressed, and deflate would tie the bytes to the zlib version), dated
 * with the caller's mtime written as UTC fields (never the clock, never
 * the machine's time zone), and carry no extra field (no UNIX uid/gid, no
 * timestamps).  A zip is written under a temporary name in the folder of
 * its final name and renamed only once complete. */
#include "pdf/package.h"
#include "base/hash.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

/* Longest name lsu_safe_name returns, in bytes. */
#define SAFE_NAME_MAX 80

#define MANIFEST_CSV "MANIFEST.csv"
#define MANIFEST_JSON "manifeste.json"

/* One line of the manifest; every string is owned (NULL stays NULL). */
typedef struct {
    char *fichier, *eleve, *ine, *classe, *periode;
    size_t octets;
    char sha256[65];
} manifest_line;

struct lsu_package {
    zip_t *za;                       /* writes into tmp_fd; NULL once closed */
    char *path;                      /* final name */
    char *tmp;                       /* temporary name, same folder */
    int tmp_fd;                      /* open on tmp, written by libzip through target_callback */
    zip_error_t target_error;        /* the last error of target_callback */
    zip_uint16_t dos_time, dos_date; /* every entry's date */
    time_t mtime;
    manifest_line *lines;
    size_t count, cap;
    /* the manifests' bytes: libzip reads them only in zip_close, and they
     * are freed after it (or after zip_discard), never before */
    void **blocks;
    size_t block_count, block_cap;
    /* the entries' bytes wait in the spool, an unlinked temporary file,
     * until zip_close copies them into the zip: memory does not grow with
     * the number of entries */
    int spool;
    uint64_t spool_len;
    int broken; /* an entry could not be taken back out: close refuses */
};

/* libzip's callback for the zip itself: the archive is new (nothing to
 * read: size 0) and written straight into the temporary file lsu made
 * with mkstemp.  Given a file name instead, libzip would write into a
 * temporary file of its own and rename it over ours, and drawing that
 * file's random name set up OpenSSL's generator: 2 MB of memory in every
 * process that writes a zip. */
static zip_int64_t target_callback(void *state, void *data, zip_uint64_t n, zip_source_cmd_t cmd)
{
    lsu_package *p = state;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
    case ZIP_SOURCE_REMOVE: /* an empty zip: lsu always adds the manifests */
    case ZIP_SOURCE_READ:
    case ZIP_SOURCE_TELL:
    case ZIP_SOURCE_SEEK: return 0; /* the archive libzip opens is empty */
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        if (n < sizeof *st) {
            zip_error_set(&p->target_error, ZIP_ER_INVAL, 0);
            return -1;
        }
        zip_stat_init(st);
        st->size = 0;
        st->valid = ZIP_STAT_SIZE;
        return sizeof *st;
    }
    case ZIP_SOURCE_BEGIN_WRITE:
    case ZIP_SOURCE_ROLLBACK_WRITE:
        if (ftruncate(p->tmp_fd, 0) != 0 || lseek(p->tmp_fd, 0, SEEK_SET) != 0) {
            zip_error_set(&p->target_error, ZIP_ER_WRITE, errno);
            return -1;
        }
        return 0;
    case ZIP_SOURCE_COMMIT_WRITE: return 0; /* synced and renamed by lsu_package_close */
    case ZIP_SOURCE_WRITE: {
        size_t done = 0;
        while (done < n) {
            ssize_t put = write(p->tmp_fd, (const char *)data + done, (size_t)n - done);
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0) {
                zip_error_set(&p->target_error, ZIP_ER_WRITE, put < 0 ? errno : EIO);
                return -1;
            }
            done += (size_t)put;
        }
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_SEEK_WRITE: {
        zip_source_args_seek_t *args = ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, n, &p->target_error);
        if (!args)
            return -1;
        if (lseek(p->tmp_fd, (off_t)args->offset, args->whence) < 0) {
            zip_error_set(&p->target_error, ZIP_ER_SEEK, errno);
            return -1;
        }
        return 0;
    }
    case ZIP_SOURCE_TELL_WRITE: {
        off_t at = lseek(p->tmp_fd, 0, SEEK_CUR);
        if (at < 0) {
            zip_error_set(&p->target_error, ZIP_ER_TELL, errno);
            return -1;
        }
        return (zip_int64_t)at;
    }
    case ZIP_SOURCE_ERROR: return zip_error_to_data(&p->target_error, data, n);
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL,
                                              ZIP_SOURCE_SUPPORTS, ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_COMMIT_WRITE,
                                              ZIP_SOURCE_ROLLBACK_WRITE, ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
                                              ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
    default: zip_error_set(&p->target_error, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
}

/* An entry's bytes in the spool, [start, start + len), read by libzip
 * through a source function (zip_source_function). */
typedef struct {
    int fd;
    uint64_t start, len, pos;
    time_t mtime;
    zip_error_t error;
} spool_source;

/* libzip's callback for an entry in the spool: open, read (pread at the
 * entry's place), stat (its size, stored), error, free. */
static zip_int64_t spool_read(void *state, void *data, zip_uint64_t n, zip_source_cmd_t cmd)
{
    spool_source *s = state;
    switch (cmd) {
    case ZIP_SOURCE_OPEN: s->pos = 0; return 0;
    case ZIP_SOURCE_READ: {
        if (n > s->len - s->pos)
            n = s->len - s->pos;
        size_t done = 0;
        while (done < n) {
            ssize_t got = pread(s->fd, (char *)data + done, (size_t)n - done, (off_t)(s->start + s->pos + done));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                zip_error_set(&s->error, ZIP_ER_READ, got < 0 ? errno : EIO);
                return -1;
            }
            done += (size_t)got;
        }
        s->pos += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE: return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        if (n < sizeof *st) {
            zip_error_set(&s->error, ZIP_ER_INVAL, 0);
            return -1;
        }
        zip_stat_init(st);
        st->mtime = s->mtime;
        st->size = s->len;
        st->comp_size = s->len;
        st->comp_method = ZIP_CM_STORE;
        st->encryption_method = ZIP_EM_NONE;
        st->valid =
            ZIP_STAT_MTIME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR: return zip_error_to_data(&s->error, data, n);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&s->error);
        free(s);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default: zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0); return -1;
    }
}

/* Sets *error (when error is not NULL) to a fresh formatted message; the
 * caller of the public function owns it. */
__attribute__((format(printf, 2, 3))) static void set_error(char **error, const char *fmt, ...)
{
    if (!error)
        return;
    va_list ap;
    va_start(ap, fmt);
    *error = lsu_vasprintf(fmt, ap);
    va_end(ap);
}

/* A French reason for a libzip error: the errno text when the error came
 * from the system, a translation of the common libzip codes, libzip's own
 * (English) text otherwise.  The string lives as long as `ze`. */
static const char *zip_reason(zip_error_t *ze)
{
    if (zip_error_system_type(ze) == ZIP_ET_SYS && zip_error_code_system(ze) != 0)
        return lsu_strerror_fr(zip_error_code_system(ze));
    switch (zip_error_code_zip(ze)) {
    case ZIP_ER_OK: return "erreur non précisée par libzip";
    case ZIP_ER_MEMORY: return "mémoire insuffisante";
    case ZIP_ER_EXISTS: return "l'entrée existe déjà";
    case ZIP_ER_INVAL: return "argument invalide";
    case ZIP_ER_NOENT: return "fichier ou entrée introuvable";
    case ZIP_ER_WRITE: return "erreur d'écriture";
    case ZIP_ER_RDONLY: return "archive en lecture seule";
    default: return zip_error_strerror(ze);
    }
}

/* Is the code point kept as is in a safe name?  ASCII letters and digits,
 * '-', and the letters (and combining accents, for names in NFD) of the
 * scripts pupils' names are written in.  This is a list of what is kept,
 * not of what is refused: anything unknown (punctuation, spaces such as
 * U+00A0 and U+202F, apostrophes ’ ʼ, bidi controls, symbols) becomes
 * '_', which is always safe, at worst less pretty. */
static int kept_in_name(uint32_t cp)
{
    static const struct {
        uint32_t lo, hi;
    } letters[] = {
        {0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x02AF}, /* Latin-1, Latin Extended-A/B, IPA */
        {0x0300, 0x036F},                                     /* combining diacritics */
        {0x0370, 0x0373}, {0x0376, 0x0377}, {0x037B, 0x037D}, {0x0386, 0x0386}, {0x0388, 0x03F5},
        {0x03F7, 0x03FF},                   /* Greek */
        {0x0400, 0x0481}, {0x048A, 0x052F}, /* Cyrillic */
        {0x0531, 0x0556}, {0x0561, 0x0587}, /* Armenian */
        {0x05D0, 0x05EA},                   /* Hebrew */
        {0x0620, 0x065F}, {0x0671, 0x06D3}, /* Arabic */
        {0x1E00, 0x1EFF},                   /* Latin Extended Additional (Vietnamese) */
        {0x1F00, 0x1FBC}, {0x1FC2, 0x1FCC}, {0x1FD0, 0x1FDB}, {0x1FE0, 0x1FEC}, {0x1FF2, 0x1FFC}, /* Greek Extended */
        {0x2C60, 0x2C7F}, {0xA722, 0xA7FF}, /* Latin Extended-C/D */
        {0x3041, 0x3096}, {0x30A1, 0x30FA}, /* kana */
        {0x4E00, 0x9FFF},                   /* CJK */
        {0xAC00, 0xD7A3},                   /* Hangul */
    };
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '-';
    for (size_t i = 0; i < sizeof letters / sizeof *letters; i++)
        if (cp >= letters[i].lo && cp <= letters[i].hi)
            return 1;
    return 0;
}

/* Is `s` a name Windows reserves for a device (CON, NUL, COM1…), which no
 * file may bear there, with or without an extension? */
static int windows_device_name(const char *s)
{
    static const char *const names[] = {"CON", "PRN", "AUX", "NUL"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(s, names[i]) == 0)
            return 1;
    return strlen(s) == 4 && (strncasecmp(s, "COM", 3) == 0 || strncasecmp(s, "LPT", 3) == 0) && s[3] >= '1' &&
           s[3] <= '9';
}

/* Makes a file name from free text (see package.h): kept characters are
 * copied, every run of other characters (and of '_', and invalid UTF-8
 * bytes) becomes one '_', '_' and '-' are dropped at the start and '_' at
 * the end, the result stops before the character that would take it past
 * 80 bytes, a Windows device name gets a '_' appended, and an empty result
 * is "_".  As '.' is never kept, "." and ".." cannot come out.  NULL text
 * is taken as "".  Returns a heap string the caller frees, NULL when
 * memory ran out. */
char *lsu_safe_name(const char *text)
{
    lsu_buf b = {0};
    int gap = 0; /* a '_' is owed before the next kept character */
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        uint32_t cp = 0;
        size_t n = lsu_utf8_decode(s, 4, &cp);
        if (n == 0) { /* one invalid byte, then try again after it */
            gap = 1;
            s++;
            continue;
        }
        s += n;
        if (!kept_in_name(cp) || (cp == '-' && b.len == 0)) {
            gap = 1;
            continue;
        }
        size_t sep = gap && b.len > 0;
        if (b.len + sep + n > SAFE_NAME_MAX)
            break;
        if (sep)
            lsu_buf_add(&b, "_", 1);
        lsu_buf_add(&b, (const char *)s - n, n);
        gap = 0;
    }
    if (b.len == 0 || windows_device_name(b.data))
        lsu_buf_add(&b, "_", 1);
    if (b.failed) {
        lsu_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* See package.h. */
char *lsu_safe_name_or(const char *label, const char *fallback)
{
    return lsu_safe_name(label && *label ? label : fallback);
}

/* MS-DOS date and time of `t`, from its UTC fields: libzip's
 * zip_file_set_mtime converts with localtime(), which would make the bytes
 * depend on the machine's time zone (and its DST rules).  DOS dates cover
 * 1980 to 2107 with 2-second steps: earlier times give 1980-01-01
 * 00:00:00, later ones 2107-12-31 23:59:58, odd seconds are rounded
 * down. */
static void dos_datetime(time_t t, zip_uint16_t *dos_time, zip_uint16_t *dos_date)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year < 80) {
        *dos_time = 0;
        *dos_date = (1 << 5) | 1;
        return;
    }
    if (tm.tm_year > 207) {
        *dos_time = (zip_uint16_t)((23 << 11) | (59 << 5) | 29);
        *dos_date = (zip_uint16_t)((127 << 9) | (12 << 5) | 31);
        return;
    }
    *dos_time = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *dos_date = (zip_uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* Frees the strings of one manifest line (not the line itself). */
static void manifest_line_free(manifest_line *l)
{
    free(l->fichier);
    free(l->eleve);
    free(l->ine);
    free(l->classe);
    free(l->periode);
}

/* Frees the manifest lines, the data blocks and the package itself; the
 * zip must be closed or discarded already. */
static void package_free(lsu_package *p)
{
    for (size_t i = 0; i < p->count; i++)
        manifest_line_free(&p->lines[i]);
    free(p->lines);
    for (size_t i = 0; i < p->block_count; i++)
        free(p->blocks[i]);
    free(p->blocks);
    if (p->spool >= 0)
        close(p->spool);
    if (p->tmp_fd >= 0)
        close(p->tmp_fd);
    zip_error_fini(&p->target_error);
    free(p->path);
    free(p->tmp);
    free(p);
}

/* Creates the temporary file with mkstemp (so that no other file is
 * taken over), then a new zip written into it (target_callback).  Returns the
 * package, which the caller ends with lsu_package_close or
 * lsu_package_abort; NULL with *error on failure, nothing left on disk. */
lsu_package *lsu_package_open(const char *path, time_t mtime, char **error)
{
    lsu_package *p = calloc(1, sizeof *p);
    if (p) {
        p->spool = -1;
        p->tmp_fd = -1;
        zip_error_init(&p->target_error);
    }
    if (!p || !(p->path = strdup(path)) || !(p->tmp = lsu_asprintf("%s.tmp.XXXXXX", path))) {
        set_error(error, "création du zip impossible : %s : mémoire insuffisante", path);
        if (p)
            package_free(p);
        return NULL;
    }
    p->tmp_fd = mkstemp(p->tmp);
    if (p->tmp_fd < 0) {
        set_error(error, "création du zip impossible : %s : %s", path, lsu_strerror_fr(errno));
        package_free(p);
        return NULL;
    }
    /* the mode lsu_write_file_atomic gives (the umask decides who reads
     * pupils' data), and the lock that tells a live temporary from the
     * leftover of a killed run */
    (void)fchmod(p->tmp_fd, lsu_output_mode());
    (void)lsu_temp_lock(p->tmp_fd);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *target = zip_source_function_create(target_callback, p, &ze);
    p->za = target ? zip_open_from_source(target, ZIP_TRUNCATE, &ze) : NULL;
    if (!p->za) {
        set_error(error, "création du zip impossible : %s : %s", path, zip_reason(&ze));
        zip_error_fini(&ze);
        zip_source_free(target); /* still ours when the open failed */
        unlink(p->tmp);
        package_free(p);
        return NULL;
    }
    zip_error_fini(&ze);
    /* the spool: a second temporary file, unlinked at once (it is only
     * read back through its descriptor) */
    char *spool = lsu_asprintf("%s.tmp.XXXXXX", path);
    p->spool = spool ? mkstemp(spool) : -1;
    if (p->spool < 0) {
        set_error(error, "création du zip impossible : %s : %s", path,
                  spool ? lsu_strerror_fr(errno) : "mémoire insuffisante");
        free(spool);
        lsu_package_abort(p);
        return NULL;
    }
    unlink(spool);
    free(spool);
    p->mtime = mtime;
    dos_datetime(mtime, &p->dos_time, &p->dos_date);
    return p;
}

/* Makes the package the owner of `block` (malloc'd, or NULL): it is
 * freed by package_free.  Returns 0, or -1 when memory ran out, and then
 * the caller still owns the block. */
static int keep_block(lsu_package *p, void *block)
{
    if (!block)
        return 0;
    if (p->block_count == p->block_cap) {
        size_t cap = p->block_cap ? 2 * p->block_cap : 32;
        void **blocks = realloc(p->blocks, cap * sizeof *blocks);
        if (!blocks)
            return -1;
        p->blocks = blocks;
        p->block_cap = cap;
    }
    p->blocks[p->block_count++] = block;
    return 0;
}

/* The source of `len` bytes at `data`, a block the package keeps (see
 * keep_block); NULL with *error set. */
static zip_source_t *buffer_source(lsu_package *p, const char *name, const void *data, size_t len, char **error)
{
    /* freep = 0: the package, not the source, owns data.  libzip 1.7.3
     * does not keep the promise of freep = 1 when zip_source_buffer fails
     * (depending on which of its allocations failed, data is freed or
     * not: a double free found by malloc fault injection), so data stays
     * in p->blocks until zip_close or zip_discard is done with it. */
    zip_source_t *src = zip_source_buffer(p->za, data, len, 0);
    if (!src) {
        zip_error_t *ze = zip_get_error(p->za);
        set_error(error, "ajout de %s au zip %s impossible : %s", name, p->path,
                  zip_error_code_zip(ze) == ZIP_ER_OK ? "mémoire insuffisante" : zip_reason(ze));
    }
    return src;
}

/* Appends `len` bytes to the spool and returns the source that reads them
 * back; NULL with *error set (the spool may keep unused bytes). */
static zip_source_t *spool_source_new(lsu_package *p, const char *name, const unsigned char *data, size_t len,
                                      char **error)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pwrite(p->spool, data + done, len - done, (off_t)(p->spool_len + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            set_error(error, "ajout de %s au zip %s impossible : %s", name, p->path,
                      lsu_strerror_fr(n < 0 ? errno : EIO));
            return NULL;
        }
        done += (size_t)n;
    }
    spool_source *s = calloc(1, sizeof *s);
    zip_source_t *src = NULL;
    if (s) {
        s->fd = p->spool, s->start = p->spool_len, s->len = len, s->mtime = p->mtime;
        zip_error_init(&s->error);
        src = zip_source_function(p->za, spool_read, s);
        if (!src) {
            zip_error_fini(&s->error);
            free(s);
        }
    }
    if (!src) {
        set_error(error, "ajout de %s au zip %s impossible : mémoire insuffisante", name, p->path);
        return NULL;
    }
    p->spool_len += len;
    return src;
}

/* Adds the bytes of source `src` (which the archive takes in every case)
 * as entry `name`: stored, dated, rw-r--r--, without extra fields.
 * Returns 0, or -1 with *error set and no entry added. */
static int add_entry(lsu_package *p, const char *name, zip_source_t *src, char **error)
{
    if (!src)
        return -1; /* *error set where the source was made */
    zip_int64_t idx = zip_file_add(p->za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        /* zip_file_add takes the source only on success: on failure it is
         * still ours to free (which leaves data alone, freep = 0) */
        set_error(error, "ajout de %s au zip %s impossible : %s", name, p->path, zip_reason(zip_get_error(p->za)));
        zip_source_free(src);
        return -1;
    }
    /* from here the archive owns src */
    zip_uint64_t i = (zip_uint64_t)idx;
    zip_flags_t both = ZIP_FL_LOCAL | ZIP_FL_CENTRAL;
    /* the date from the UTC fields (see dos_datetime), and a plain file,
     * rw-r--r--, whatever libzip's default and the umask */
    int failed = zip_set_file_compression(p->za, i, ZIP_CM_STORE, 0) != 0 ||
                 zip_file_set_dostime(p->za, i, p->dos_time, p->dos_date, 0) != 0 ||
                 zip_file_set_external_attributes(p->za, i, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) != 0;
    /* a new entry has no extra field; kept as a guard in case a libzip
     * version adds some (uid/gid, timestamps): they would tie the bytes to
     * the machine */
    if (!failed && zip_file_extra_fields_count(p->za, i, both) > 0)
        failed = zip_file_extra_field_delete(p->za, i, ZIP_EXTRA_FIELD_ALL, both) != 0;
    if (failed) {
        set_error(error, "ajout de %s au zip %s impossible : %s", name, p->path, zip_reason(zip_get_error(p->za)));
        /* leave the archive as it was; if even that fails, the zip would
         * hold an entry the manifest does not list: never write it */
        if (zip_delete(p->za, i) != 0)
            p->broken = 1;
        return -1;
    }
    return 0;
}

/* Why an entry name is refused, or NULL when it is fine: entries are flat
 * (no folder), valid UTF-8 (they are marked so), without control
 * characters, and unique without regard to ASCII case (the zip is
 * unpacked on Windows and macOS, whose file systems ignore it).  The
 * manifests' names are reserved. */
static const char *entry_problem(const lsu_package *p, const char *name)
{
    if (!name || !*name)
        return "nom vide";
    if (name[0] == '/')
        return "chemin absolu";
    if (strstr(name, ".."))
        return "« .. » dans le nom";
    if (strchr(name, '/'))
        return "« / » dans le nom (les entrées sont à plat)";
    if (strchr(name, '\\'))
        return "« \\ » dans le nom";
    if (strchr(name, ':'))
        return "« : » dans le nom";
    for (const unsigned char *s = (const unsigned char *)name; *s;) {
        uint32_t cp = 0;
        size_t n = lsu_utf8_decode(s, 4, &cp);
        if (n == 0)
            return "UTF-8 invalide dans le nom";
        if (cp < 0x20 || cp == 0x7F)
            return "caractère de contrôle dans le nom";
        s += n;
    }
    if (strcasecmp(name, MANIFEST_CSV) == 0 || strcasecmp(name, MANIFEST_JSON) == 0)
        return "nom réservé au manifeste";
    for (size_t i = 0; i < p->count; i++)
        if (strcasecmp(name, p->lines[i].fichier) == 0)
            return "entrée en double";
    return NULL;
}

/* Checks the name, adds a copy of the data (owned by the package until
 * it is closed or aborted) and records the manifest line (copies of every
 * string; NULL strings stay NULL: an empty CSV cell, a JSON null).
 * Returns 0, or -1 with *error set; a refused or failed entry leaves the
 * package usable. */
int lsu_package_add(lsu_package *p, const char *entry, const unsigned char *data, size_t len, const char *eleve,
                    const char *ine, const char *classe, const char *periode, char **error)
{
    if (!p || !p->za) {
        set_error(error, "ajout au zip impossible : zip non ouvert");
        return -1;
    }
    if (!data && len > 0) {
        set_error(error, "ajout de %s au zip %s impossible : données absentes", entry ? entry : "(null)", p->path);
        return -1;
    }
    const char *problem = entry_problem(p, entry);
    if (problem) {
        /* a name with invalid bytes or controls is not echoed to a terminal */
        if (strstr(problem, "UTF-8") || strstr(problem, "contrôle") || !entry || !*entry)
            set_error(error, "entrée refusée dans le zip %s : %s", p->path, problem);
        else
            set_error(error, "entrée « %s » refusée dans le zip %s : %s", entry, p->path, problem);
        return -1;
    }
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 32;
        manifest_line *lines = realloc(p->lines, cap * sizeof *lines);
        if (!lines) {
            set_error(error, "ajout de %s au zip %s impossible : mémoire insuffisante", entry, p->path);
            return -1;
        }
        p->lines = lines;
        p->cap = cap;
    }
    manifest_line *l = &p->lines[p->count];
    memset(l, 0, sizeof *l);
    l->octets = len;
    lsu_sha256_hex(data, len, l->sha256);
    l->fichier = strdup(entry);
    l->eleve = lsu_strdup_or_null(eleve);
    l->ine = lsu_strdup_or_null(ine);
    l->classe = lsu_strdup_or_null(classe);
    l->periode = lsu_strdup_or_null(periode);
    if (!l->fichier || (eleve && !l->eleve) || (ine && !l->ine) || (classe && !l->classe) || (periode && !l->periode) ||
        !l->sha256[0]) {
        set_error(error, "ajout de %s au zip %s impossible : %s", entry, p->path,
                  l->sha256[0] ? "mémoire insuffisante" : "calcul du SHA-256 impossible");
        manifest_line_free(l);
        return -1;
    }
    /* the bytes go to the spool (an empty entry needs none) */
    zip_source_t *src = len ? spool_source_new(p, entry, data, len, error) : buffer_source(p, entry, "", 0, error);
    if (add_entry(p, entry, src, error) != 0) {
        manifest_line_free(l);
        return -1;
    }
    p->count++;
    return 0;
}

/* MANIFEST.csv: UTF-8 with a BOM (so that a spreadsheet reads the
 * accents), ';' separated, CRLF, one line per entry in the order added. */
static void manifest_csv(const lsu_package *p, lsu_buf *b)
{
    lsu_buf_puts(b, "\xEF\xBB\xBF"
                    "Fichier;Élève;INE;Classe;Période;Octets;SHA-256\r\n");
    for (size_t i = 0; i < p->count; i++) {
        const manifest_line *l = &p->lines[i];
        const char *cells[] = {l->fichier, l->eleve, l->ine, l->classe, l->periode};
        lsu_buf_csv_cells(b, cells, sizeof cells / sizeof *cells);
        lsu_buf_printf(b, ";%zu;%s\r\n", l->octets, l->sha256);
    }
}

/* manifeste.json: an array of {fichier, eleve, ine, classe, periode,
 * octets, sha256}, one object a line, in the order added. */
static void manifest_json(const lsu_package *p, lsu_buf *b)
{
    lsu_buf_puts(b, "[");
    for (size_t i = 0; i < p->count; i++) {
        const manifest_line *l = &p->lines[i];
        lsu_buf_puts(b, i ? ",\n  {\"fichier\": " : "\n  {\"fichier\": ");
        lsu_buf_json_string(b, l->fichier);
        lsu_buf_puts(b, ", \"eleve\": ");
        lsu_buf_json_string(b, l->eleve);
        lsu_buf_puts(b, ", \"ine\": ");
        lsu_buf_json_string(b, l->ine);
        lsu_buf_puts(b, ", \"classe\": ");
        lsu_buf_json_string(b, l->classe);
        lsu_buf_puts(b, ", \"periode\": ");
        lsu_buf_json_string(b, l->periode);
        lsu_buf_printf(b, ", \"octets\": %zu, \"sha256\": \"%s\"}", l->octets, l->sha256);
    }
    lsu_buf_puts(b, p->count ? "\n]\n" : "]\n");
}

/* Adds the manifests, writes the zip (zip_close), syncs it and renames it
 * to its final name.  Frees p in every case.  Returns 0, or -1 with
 * *error set and neither the temporary nor the final file left. */
int lsu_package_close(lsu_package *p, char **error)
{
    if (!p || !p->za) {
        set_error(error, "écriture du zip impossible : zip non ouvert");
        lsu_package_abort(p);
        return -1;
    }
    if (p->broken) {
        set_error(error, "écriture du zip impossible : %s : une entrée en échec n'a pu être retirée", p->path);
        lsu_package_abort(p);
        return -1;
    }
    lsu_buf csv = {0}, json = {0};
    manifest_csv(p, &csv);
    manifest_json(p, &json);
    if (csv.failed || json.failed) {
        lsu_buf_free(&csv);
        lsu_buf_free(&json);
        set_error(error, "écriture du zip impossible : %s : mémoire insuffisante", p->path);
        lsu_package_abort(p);
        return -1;
    }
    /* the package keeps the buffers' memory (malloc'd by lsu_buf) */
    if (keep_block(p, csv.data) != 0) {
        lsu_buf_free(&csv);
        lsu_buf_free(&json);
        set_error(error, "écriture du zip impossible : %s : mémoire insuffisante", p->path);
        lsu_package_abort(p);
        return -1;
    }
    if (keep_block(p, json.data) != 0) {
        lsu_buf_free(&json);
        set_error(error, "écriture du zip impossible : %s : mémoire insuffisante", p->path);
        lsu_package_abort(p);
        return -1;
    }
    if (add_entry(p, MANIFEST_CSV, buffer_source(p, MANIFEST_CSV, csv.data, csv.len, error), error) != 0 ||
        add_entry(p, MANIFEST_JSON, buffer_source(p, MANIFEST_JSON, json.data, json.len, error), error) != 0) {
        lsu_package_abort(p);
        return -1;
    }
    if (zip_close(p->za) != 0) {
        set_error(error, "écriture du zip impossible : %s : %s", p->path, zip_reason(zip_get_error(p->za)));
        lsu_package_abort(p); /* zip_discard and unlink */
        return -1;
    }
    p->za = NULL; /* zip_close freed it */
    /* flushed to the disk before the rename, so that a power cut cannot
     * leave an empty or partial zip under the final name */
    if (fsync(p->tmp_fd) != 0 || rename(p->tmp, p->path) != 0) {
        set_error(error, "écriture du zip impossible : %s : %s", p->path, lsu_strerror_fr(errno));
        unlink(p->tmp);
        package_free(p);
        return -1;
    }
    (void)lsu_fsync_parent(p->path);
    package_free(p);
    return 0;
}

/* Discards the zip (nothing is written), removes the temporary file and
 * frees p.  NULL is a no-op. */
void lsu_package_abort(lsu_package *p)
{
    if (!p)
        return;
    if (p->za)
        zip_discard(p->za);
    unlink(p->tmp);
    package_free(p);
}
