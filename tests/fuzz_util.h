/* What the fuzz targets that take several strings, or write files, share
 * (tests/fuzz_*.c): the input cut into NUL-terminated parts, a scratch
 * folder, and the periods read from the lines of a part as `lsu periods`
 * takes them.  Header-only: each target is its own program under
 * libFuzzer and they all link into build/fuzz-replay. */
#ifndef LSU_FUZZ_UTIL_H
#define LSU_FUZZ_UTIL_H

#include "base/util.h"
#include "school/periods.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies data into one heap block (*block, caller frees) cut at each `sep`
 * into at most `max` NUL-terminated parts: parts[i] points into the block,
 * parts left over point to "".  Returns the number of parts found (at
 * least 1), 0 when memory ran out (*block NULL). */
static inline size_t fuzz_split(const uint8_t *data, size_t size, char sep, char **block, char **parts, size_t max)
{
    static char empty[1];
    *block = malloc(size + 1);
    if (!*block)
        return 0;
    memcpy(*block, data, size);
    (*block)[size] = '\0';
    size_t n = 1;
    parts[0] = *block;
    for (size_t i = 0; i < size && n < max; i++) {
        if ((*block)[i] == sep) {
            (*block)[i] = '\0';
            parts[n++] = *block + i + 1;
        }
    }
    for (size_t i = n; i < max; i++)
        parts[i] = empty;
    return n;
}

/* A new empty folder under $TMPDIR (else /tmp) into dir; 0, or -1. */
static inline int fuzz_tempdir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/lsu-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

/* Reads the lines of `text` (cut in place) as `lsu periods --period`
 * arguments, LIBELLÉ=DÉBUT:FIN, into p[0..LSU_MAX_PERIODS) with
 * lsu_period_parse, the parser of the command.  Returns the number of
 * periods read; stops at the first line that is not one. */
static inline size_t fuzz_read_periods(char *text, lsu_period *p)
{
    size_t n = 0;
    char *line = text;
    while (line && *line && n < LSU_MAX_PERIODS) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (lsu_period_parse(line, &p[n]) != 0)
            break;
        n++;
        line = next;
    }
    return n;
}

#endif
