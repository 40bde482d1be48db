/* Small shared helpers (see util.h). */
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libxml/xmlmemory.h>
#ifdef LSU_JEMALLOC
#include <jemalloc/jemalloc.h>
#else
#include <malloc.h>
#endif
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Returns a heap copy of s (NULL for NULL). */
char *lsu_strdup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* vprintf into a fresh heap string. */
char *lsu_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    /* the analyzer loses track of a va_copy of a va_list parameter */
    int n = vsnprintf(NULL, 0, fmt, ap2); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    /* ap is initialised by the caller; the analyzer loses track of it */
    vsnprintf(s, (size_t)n + 1, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    return s;
}

/* printf into a fresh heap string. */
char *lsu_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = lsu_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* strcmp with NULL first. */
int lsu_strcmp_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* See util.h. */
int lsu_buf_reserve(lsu_buf *b, size_t n)
{
    if (b->failed)
        return -1;
    if (b->len + n + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

/* Appends n bytes of s. */
void lsu_buf_add(lsu_buf *b, const char *s, size_t n)
{
    if (lsu_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Appends a C string. */
void lsu_buf_puts(lsu_buf *b, const char *s)
{
    lsu_buf_add(b, s, strlen(s));
}

/* Appends formatted text. */
void lsu_buf_printf(lsu_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap2);
    if (n >= 0 && lsu_buf_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
        b->len += (size_t)n;
    }
    va_end(ap);
}

/* Appends a JSON string literal (UTF-8 passed through, controls escaped). */
void lsu_buf_json_string(lsu_buf *b, const char *s)
{
    if (!s) {
        lsu_buf_puts(b, "null");
        return;
    }
    lsu_buf_add(b, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char tmp[8];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                snprintf(tmp, sizeof tmp, "\\u%04x", *p);
                esc = tmp;
            } else if (*p >= 0x80) {
                /* a file name from the command line may be in any
                 * encoding: malformed UTF-8 becomes U+FFFD, so that the
                 * report stays JSON */
                uint32_t cp;
                size_t len = lsu_utf8_decode(p, 4, &cp);
                if (len > 1) {
                    p += len - 1;
                    continue;
                }
                esc = "\\ufffd";
            }
        }
        if (esc) {
            lsu_buf_add(b, run, (size_t)((const char *)p - run));
            lsu_buf_puts(b, esc);
            run = (const char *)p + 1;
        }
    }
    lsu_buf_puts(b, run);
    lsu_buf_add(b, "\"", 1);
}

/* Appends one CSV cell for a ';'-separated file.  A cell that a
 * spreadsheet would take for a formula (it starts with = + - @ or a tab)
 * gets a leading apostrophe, so that opening a report never runs one. */
void lsu_buf_csv_cell(lsu_buf *b, const char *s)
{
    if (!s)
        return;
    int formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    if (!strpbrk(s, ";\"\r\n")) {
        if (formula)
            lsu_buf_add(b, "'", 1);
        lsu_buf_puts(b, s);
        return;
    }
    lsu_buf_add(b, "\"", 1);
    if (formula)
        lsu_buf_add(b, "'", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            lsu_buf_add(b, "\"\"", 2);
        else
            lsu_buf_add(b, p, 1);
    }
    lsu_buf_add(b, "\"", 1);
}

/* Appends cells separated by ';'. */
void lsu_buf_csv_cells(lsu_buf *b, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            lsu_buf_add(b, ";", 1);
        lsu_buf_csv_cell(b, cells[i]);
    }
}

/* Frees the buffer's memory and resets it. */
void lsu_buf_free(lsu_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Counts code points (continuation bytes are not counted). */
size_t lsu_utf8_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

/* Copies at most max_chars code points, adding an ellipsis when cut. */
char *lsu_utf8_shorten(const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t chars = 0;
    while (*p) {
        if ((*p & 0xC0) != 0x80) {
            if (chars == max_chars)
                break;
            chars++;
        }
        p++;
    }
    size_t n = (size_t)((const char *)p - s);
    int cut = *p != '\0';
    char *out = malloc(n + 4);
    if (!out)
        return NULL;
    memcpy(out, s, n);
    if (cut)
        memcpy(out + n, "\xE2\x80\xA6", 4);
    else
        out[n] = '\0';
    return out;
}

/* See util.h. */
int lsu_next_token(const char **p, char *token, size_t size)
{
    *p += strspn(*p, " \t\r\n");
    size_t n = strcspn(*p, " \t\r\n");
    if (n == 0)
        return 0;
    snprintf(token, size, "%.*s", (int)(n < size ? n : size - 1), *p);
    *p += n;
    return 1;
}

/* See util.h. */
void lsu_school_year(const char *millesime, char *out, size_t size)
{
    out[0] = '\0';
    if (millesime && strlen(millesime) == 4) {
        char *end;
        long y = strtol(millesime, &end, 10);
        if (*end == '\0' && y >= 1000)
            snprintf(out, size, "%ld-%ld", y, y + 1);
    }
}

/* See util.h. */
void lsu_period_name(const char *indice, const char *nb_periodes, char *out, size_t size)
{
    const char *i = indice ? indice : "", *n = nb_periodes ? nb_periodes : "?";
    out[0] = '\0';
    if (!i[0])
        return;
    if (strcmp(n, "3") == 0)
        snprintf(out, size, "Trimestre %.20s", i);
    else if (strcmp(n, "2") == 0)
        snprintf(out, size, "Semestre %.20s", i);
    else
        snprintf(out, size, "Période %.20s/%.20s", i, n);
}

/* Days from civil date (proleptic Gregorian), Howard Hinnant's algorithm. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Parses "YYYY-MM-DD" at the start of s. */
int lsu_parse_date(const char *s, long *days)
{
    if (!s)
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return -1;
        } else if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
    }
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    long m = (s[5] - '0') * 10 + (s[6] - '0');
    long d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

/* Formats a day number as JJ/MM/AAAA. */
void lsu_format_date_fr(long days, char out[11])
{
    time_t t = (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%02d/%02d/%04d", tm.tm_mday % 100, (tm.tm_mon + 1) % 100, (tm.tm_year + 1900) % 10000);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* SOURCE_DATE_EPOCH when valid, else now. */
time_t lsu_run_time(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno == 0 && *end == '\0' && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}

/* "le 07 juillet 2016 à 15:47:01" (UTC). */
void lsu_format_datetime_fr(time_t t, char *out, size_t size)
{
    static const char *months[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                   "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, size, "le %02d %s %04d à %02d:%02d:%02d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "2016-07-07T15:47:01Z". */
void lsu_format_datetime_iso(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* See util.h. */
mode_t lsu_output_mode(void)
{
    static mode_t mode = (mode_t)-1;
    if (mode == (mode_t)-1) {
        /* umask can only be read by setting it: set it back at once (lsu
         * reads it once, before any thread is started) */
        mode_t mask = umask(077);
        umask(mask);
        mode = 0666 & ~mask;
    }
    return mode;
}

/* See util.h. */
int lsu_fsync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? lsu_asprintf("%.*s", slash == path ? 1 : (int)(slash - path), path) : strdup(".");
    if (!dir)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* See util.h. */
int lsu_temp_lock(int fd)
{
    return flock(fd, LOCK_EX | LOCK_NB);
}

/* True when nobody holds the lock of the temporary file at path: the
 * process that wrote it is gone (a live writer holds it, lsu_temp_lock). */
static int is_stale(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return 0;
    int stale = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return stale;
}

/* See util.h. */
int lsu_remove_atomic_leftovers(const char *dir, const char *prefix, const char *suffix)
{
    static const char mark[] = ".tmp.";
    const size_t random_len = 6; /* mkstemp's XXXXXX */
    DIR *d = opendir(dir);
    int removed = 0;
    if (!d)
        return 0;
    size_t plen = strlen(prefix), slen = strlen(suffix), mlen = sizeof mark - 1;
    for (const struct dirent *e; (e = readdir(d)) != NULL;) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (len < plen + slen + mlen + random_len || strncmp(name, prefix, plen) != 0)
            continue;
        const char *tail = name + len - random_len - mlen; /* ".tmp.XXXXXX" */
        if (strncmp(tail, mark, mlen) != 0 || strncmp(tail - slen, suffix, slen) != 0)
            continue;
        char *path = lsu_asprintf("%s/%s", dir, name);
        if (path && is_stale(path) && unlink(path) == 0)
            removed++;
        free(path);
    }
    closedir(d);
    return removed;
}

/* lsu_write_file_atomic_mode with the mode of lsu's outputs. */
int lsu_write_file_atomic(const char *path, const char *data, size_t len)
{
    return lsu_write_file_atomic_mode(path, data, len, lsu_output_mode());
}

/* Writes data to a temporary sibling of path, then renames it. */
int lsu_write_file_atomic_mode(const char *path, const char *data, size_t len, mode_t mode)
{
    char *tmp = lsu_asprintf("%s.tmp.XXXXXX", path);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    (void)lsu_temp_lock(fd); /* held until fclose: lsu_remove_atomic_leftovers leaves it alone */
    (void)fchmod(fd, mode);
    FILE *fp = fdopen(fd, "wb");
    if (!fp) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        errno = e;
        return -1;
    }
    int failed = len && fwrite(data, 1, len, fp) != len;
    failed |= fflush(fp) != 0;
    failed |= ferror(fp) != 0;
    /* on the disk before the rename: a power cut leaves the old file or
     * the new one under path, never an empty one */
    failed |= fsync(fileno(fp)) != 0;
    int e = errno;
    failed |= fclose(fp) != 0;
    if (!failed && rename(tmp, path) == 0) {
        (void)lsu_fsync_parent(path); /* and the rename itself */
        free(tmp);
        return 0;
    }
    if (!e)
        e = errno ? errno : EIO;
    unlink(tmp);
    free(tmp);
    errno = e;
    return -1;
}

/* See util.h. */
void lsu_memory_release(void)
{
#ifdef LSU_JEMALLOC
    char name[64];
    snprintf(name, sizeof name, "arena.%u.purge", (unsigned)MALLCTL_ARENAS_ALL);
    mallctl(name, NULL, NULL, NULL, 0);
#else
    malloc_trim(0);
#endif
}

static void (*memory_failure)(void);

/* libxml2's allocators (xmlMemSetup): the C library's, and the front-end's
 * handler when one fails. */
static void *xml_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p && memory_failure)
        memory_failure();
    return p;
}

static void *xml_realloc(void *old, size_t n)
{
    void *p = realloc(old, n);
    if (!p && n && memory_failure)
        memory_failure();
    return p;
}

static char *xml_strdup(const char *s)
{
    char *p = strdup(s);
    if (!p && memory_failure)
        memory_failure();
    return p;
}

/* See util.h. */
void lsu_memory_setup(void (*on_failure)(void))
{
    memory_failure = on_failure;
    xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup);
}

/* French descriptions of the errors a user meets; strerror otherwise. */
const char *lsu_strerror_fr(int errnum)
{
    switch (errnum) {
    case ENOENT: return "fichier ou dossier introuvable";
    case EACCES: return "permission refusée";
    case EPERM: return "opération non permise";
    case EISDIR: return "c'est un dossier";
    case ENOTDIR: return "un élément du chemin n'est pas un dossier";
    case ENOSPC: return "plus de place sur le disque";
    case EDQUOT: return "quota de disque dépassé";
    case EROFS: return "système de fichiers en lecture seule";
    case ENOMEM: return "mémoire insuffisante";
    case EIO: return "erreur d'entrée-sortie";
    case ENAMETOOLONG: return "nom de fichier trop long";
    case EMFILE:
    case ENFILE: return "trop de fichiers ouverts";
    default: return strerror(errnum);
    }
}

/* mkdir -p. */
int lsu_mkdir_p(const char *dir)
{
    char *copy = strdup(dir);
    if (!copy)
        return -1;
    for (char *p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
                free(copy);
                return -1;
            }
            *p = '/';
        }
    }
    int rc = mkdir(copy, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}

/* nftw callback of lsu_remove_tree: removes one entry, children first. */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes `path` and everything under it; absent is fine.  0 or -1. */
int lsu_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Returns the part of path after its last '/'. */
const char *lsu_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* See util.h. */
const uint16_t lsu_cp1252_high[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* See util.h. */
size_t lsu_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, *cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, *cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at a terminator */
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

/* See util.h. */
uint32_t lsu_utf8_next(const unsigned char *s, size_t n, size_t *i)
{
    uint32_t cp;
    size_t len = *i < n ? lsu_utf8_decode(s + *i, n - *i, &cp) : 0;
    if (len == 0) {
        (*i)++;
        return 0xFFFD;
    }
    *i += len;
    return cp;
}

/* See util.h. */
size_t lsu_utf8_put(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* See util.h. */
const char *lsu_invisible_name(uint32_t cp)
{
    switch (cp) {
    case 0x09: return "tabulation";
    case 0x0A: return "saut de ligne";
    case 0x0D: return "retour chariot";
    case 0x7F: return "caractère de suppression (DEL)";
    case 0x061C: return "marque de lettre arabe";
    case 0x200E: return "marque gauche-à-droite";
    case 0x200F: return "marque droite-à-gauche";
    case 0x202A: return "début d'enchâssement gauche-à-droite";
    case 0x202B: return "début d'enchâssement droite-à-gauche";
    case 0x202C: return "fin d'enchâssement ou de forçage";
    case 0x202D: return "forçage gauche-à-droite";
    case 0x202E: return "forçage droite-à-gauche";
    case 0x2066: return "isolat gauche-à-droite";
    case 0x2067: return "isolat droite-à-gauche";
    case 0x2068: return "isolat de direction";
    case 0x2069: return "fin d'isolat";
    }
    if (cp < 0x20)
        return "caractère de contrôle";
    if (cp >= 0x80 && cp <= 0x9F)
        return "caractère de contrôle C1";
    return NULL;
}

/* See util.h. */
uint32_t lsu_utf8_first_invisible(const char *s, int controls_too, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        /* fast path: printable ASCII, continuation bytes, and lead bytes of
         * no listed character (C2: C1 controls, D8: U+061C, E2: U+20xx) */
        if ((c >= 0x20 && c < 0x7F) || (c >= 0x80 && c != 0xC2 && c != 0xD8 && c != 0xE2)) {
            i++;
            continue;
        }
        size_t start = i;
        uint32_t cp = lsu_utf8_next(p, n, &i);
        if (!controls_too && (cp == 0x09 || cp == 0x0A || cp == 0x0D))
            continue;
        if (lsu_invisible_name(cp)) {
            *at = start;
            return cp;
        }
    }
    return 0;
}

/* See util.h. */
void lsu_buf_puts_visible(lsu_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = s ? strlen(s) : 0, run = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] >= 0x20 && p[i] < 0x7F) {
            i++;
            continue;
        }
        size_t start = i;
        uint32_t cp;
        size_t len = lsu_utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            lsu_buf_add(b, s + run, start - run);
            lsu_buf_printf(b, "<0x%02X>", p[i]);
            run = ++i;
            continue;
        }
        i += len;
        if (lsu_invisible_name(cp)) {
            lsu_buf_add(b, s + run, start - run);
            lsu_buf_printf(b, "<U+%04X>", (unsigned)cp);
            run = i;
        }
    }
    lsu_buf_add(b, s ? s + run : "", n - run);
}

/* See util.h. */
void lsu_date_fr_from_iso(const char *iso, char out[11])
{
    long d;
    if (lsu_parse_date(iso, &d) == 0)
        lsu_format_date_fr(d, out);
    else
        snprintf(out, 11, "%s", iso);
}
