/* Stage package: zips of PDF bilans with a manifest, written with libzip,
 * and the safe file names they hold. */
#ifndef LSU_PACKAGE_H
#define LSU_PACKAGE_H

#include <stddef.h>
#include <time.h>

typedef struct lsu_package lsu_package;

/* Starts a zip that will be at `path` once closed (it is written under a
 * temporary name in the same folder).  Every entry gets `mtime` as its
 * date, so that the same input gives the same bytes.  NULL with *error
 * (owned by the caller) on failure. */
lsu_package *lsu_package_open(const char *path, time_t mtime, char **error);

/* Adds one file, stored (PDFs are already compressed), and its manifest
 * line: entry name, pupil, INE, class, period, size and SHA-256.  The data
 * is copied.  The entry name must come from lsu_safe_name.  0, or -1 with
 * *error set. */
int lsu_package_add(lsu_package *p, const char *entry, const unsigned char *data, size_t len, const char *eleve,
                    const char *ine, const char *classe, const char *periode, char **error);

/* Writes MANIFEST.csv (and manifeste.json) into the zip, closes it and
 * renames it to its final name; frees p in every case.  0, or -1 with
 * *error set and nothing left under either name. */
int lsu_package_close(lsu_package *p, char **error);

/* Abandons the zip: frees p, removes the temporary file. */
void lsu_package_abort(lsu_package *p);

/* A file name made safe from free text: letters (accents kept, UTF-8),
 * digits, '-' and '_' only; spaces, apostrophes and separators become '_';
 * never empty, never "." or "..", at most 80 bytes, no '/' or '\\'.
 * Caller frees; NULL when memory ran out. */
char *lsu_safe_name(const char *text);
/* lsu_safe_name of `label`, or of `fallback` when the label is empty or NULL. */
char *lsu_safe_name_or(const char *label, const char *fallback);

#endif
