/* Small helpers shared by every stage: strings, a growable buffer, UTF-8,
 * dates, and files written atomically (temporary name, then rename). */
#ifndef LSU_UTIL_H
#define LSU_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

/* Copy of `s`, or NULL when s is NULL or memory ran out. Caller frees. */
char *lsu_strdup_or_null(const char *s);
/* printf into a fresh string; NULL when memory ran out. Caller frees. */
char *lsu_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *lsu_vasprintf(const char *fmt, va_list ap);
/* strcmp where NULL sorts before every string. */
int lsu_strcmp_null(const char *a, const char *b);

/* A growable byte buffer; always NUL-terminated once anything was added.
 * `failed` is set when memory ran out; later appends are then no-ops. */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} lsu_buf;

void lsu_buf_add(lsu_buf *b, const char *s, size_t n);
void lsu_buf_puts(lsu_buf *b, const char *s);
void lsu_buf_printf(lsu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends `s` as a JSON string literal, quotes included; NULL gives null. */
void lsu_buf_json_string(lsu_buf *b, const char *s);
/* Appends `s` as one CSV cell (quoted when it holds ; " or a line break;
 * an apostrophe before a leading = + - @ so that no spreadsheet takes it for
 * a formula). */
void lsu_buf_csv_cell(lsu_buf *b, const char *s);
/* Appends `n` CSV cells separated by ';' (no line end). */
void lsu_buf_csv_cells(lsu_buf *b, const char *const *cells, size_t n);
void lsu_buf_free(lsu_buf *b);
/* Makes room for n more bytes plus the terminator; 0, or -1 with
 * b->failed set when memory ran out. */
int lsu_buf_reserve(lsu_buf *b, size_t n);

/* Decodes the UTF-8 character at s (at most n bytes; a NUL byte ends a
 * sequence) into *cp.  Returns its length (1 to 4), or 0 when the bytes
 * are not valid UTF-8 (overlong forms, surrogates, beyond U+10FFFF, cut
 * sequences) or n is 0. */
size_t lsu_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* The character of s[*i..n) and *i moved past it; a malformed sequence
 * gives U+FFFD and moves one byte. */
uint32_t lsu_utf8_next(const unsigned char *s, size_t n, size_t *i);
/* Writes the UTF-8 form of cp into out; returns its length (1 to 4). */
size_t lsu_utf8_put(uint32_t cp, char out[4]);
/* The code points of Windows-1252 bytes 0x80..0x9F (0 where the code page
 * has none); every other byte stands for the code point of its value. */
extern const uint16_t lsu_cp1252_high[32];

/* Number of code points in a UTF-8 string (invalid bytes count as one). */
size_t lsu_utf8_length(const char *s);
/* Copies at most `max_chars` code points of `s` and appends "…" when it cut.
 * Caller frees; NULL when memory ran out. */
char *lsu_utf8_shorten(const char *s, size_t max_chars);

/* The French name of a character that does not show, or shows as
 * something else, when printed: C0 controls, DEL, C1 controls and the
 * bidirectional marks and overrides (U+061C, U+200E, U+200F, U+202A to
 * U+202E, U+2066 to U+2069); NULL for any other character. */
const char *lsu_invisible_name(uint32_t cp);
/* The first such character of s (tab, line feed and carriage return only
 * when `controls_too`; texts keep their line breaks) and its byte offset in
 * *at; 0 when there is none. */
uint32_t lsu_utf8_first_invisible(const char *s, int controls_too, size_t *at);
/* Appends s with every character lsu_invisible_name names written as
 * <U+XXXX>, and malformed UTF-8 bytes as <0xNN>: what goes to a terminal
 * cannot move its cursor, ring, or turn the line's direction. */
void lsu_buf_puts_visible(lsu_buf *b, const char *s);

/* Copies the next blank-separated token of *p into token (at most size-1
 * bytes) and moves *p past it; returns 0 when no token is left.  Reads the
 * IDREFS lists of the format. */
int lsu_next_token(const char **p, char *token, size_t size);

/* "2024-2025" for a millésime "2024" into out; "" for anything else. */
void lsu_school_year(const char *millesime, char *out, size_t size);
/* "Trimestre 1", "Semestre 2" or "Période 3/5" into out ("" without index). */
void lsu_period_name(const char *indice, const char *nb_periodes, char *out, size_t size);

/* Parses an xs:date prefix "YYYY-MM-DD" into a day number (days since
 * 1970-01-01) ; returns 0 on success, -1 when malformed. */
int lsu_parse_date(const char *s, long *days);
/* Formats a day number as "JJ/MM/AAAA" into out (at least 11 bytes). */
void lsu_format_date_fr(long days, char out[11]);
/* "01/09/2024" from "2024-09-01" into out (the input as it is when malformed). */
void lsu_date_fr_from_iso(const char *iso, char out[11]);

/* The time a run stamps its reports with: SOURCE_DATE_EPOCH when set and
 * valid (reproducible builds convention), the clock otherwise. */
time_t lsu_run_time(void);
/* "le 07 juillet 2016 à 15:47:01" in UTC into out. */
void lsu_format_datetime_fr(time_t t, char *out, size_t size);
/* ISO 8601 UTC "2016-07-07T15:47:01Z" into out (at least 21 bytes). */
void lsu_format_datetime_iso(time_t t, char out[21]);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * folder, flushed and closed with checks, then renamed over `path`.  On
 * failure nothing is left under either name.  Returns 0 or -1 (errno set). */
int lsu_write_file_atomic(const char *path, const char *data, size_t len);
/* The same with the file's mode given (0600 for a file of pupils' data
 * that only its writer reads, whatever the umask). */
int lsu_write_file_atomic_mode(const char *path, const char *data, size_t len, mode_t mode);
/* Removes from `dir` the temporaries lsu_write_file_atomic and the zip
 * writer left when a process was killed between writing and renaming:
 * NAME.tmp.XXXXXX where NAME starts with `prefix` and ends with `suffix`.
 * A temporary still being written is locked by its writer (lsu_temp_lock)
 * and left alone.  Returns how many went. */
int lsu_remove_atomic_leftovers(const char *dir, const char *prefix, const char *suffix);
/* Locks a temporary file being written (flock, released when it is
 * closed), so that lsu_remove_atomic_leftovers knows it is alive.  0 or -1. */
int lsu_temp_lock(int fd);
/* The mode of the files lsu writes: 0666 less the process's umask (0600
 * under umask 077: reports and zips hold pupils' data). */
mode_t lsu_output_mode(void);
/* fsync of the folder that holds path, so that a rename into it is on the
 * disk.  0 or -1 (errno set). */
int lsu_fsync_parent(const char *path);
/* Gives the memory freed with a file back to the system, so that the
 * process's footprint stays flat over a batch of files (jemalloc keeps
 * freed pages for a while, glibc keeps its heap top). */
void lsu_memory_release(void);
/* Routes libxml2's and libxslt's allocations through lsu, and calls
 * on_failure (a front-end's: it reports and exits) when one fails: those
 * libraries do not survive a failed allocation everywhere (a NULL
 * dereferenced inside an XPath evaluation), so a failure there must end the
 * process cleanly rather than later and badly.  Call it before any other
 * libxml2 call; NULL keeps the failing allocation's NULL. */
void lsu_memory_setup(void (*on_failure)(void));

/* A French description of an errno value, for messages. */
const char *lsu_strerror_fr(int errnum);
/* Creates `dir` and its parents as needed; 0 on success. */
int lsu_mkdir_p(const char *dir);
/* Removes `path` and everything under it (symbolic links not followed);
 * absent is fine.  0 or -1. */
int lsu_remove_tree(const char *path);
/* Last path component of `path` (a pointer into it). */
const char *lsu_basename(const char *path);

#endif
