/* The CSV layer of the ONDE readers (see onde.h): the bytes are read and
 * turned into UTF-8 (decode_bytes), libcsv splits them into rows of cells
 * that remember the file line they start on (onde_split_rows), and each
 * reader finds its columns by header label (onde_find_columns). */
#include "base/diag.h"
#include "base/util.h"
#include "school/onde.h"
#include "school/onde_int.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* See onde_int.h. */
void onde_table_free(csv_table *t)
{
    for (size_t i = 0; i < t->count; i++) {
        for (size_t k = 0; k < t->rows[i].count; k++)
            free(t->rows[i].cells[k]);
        free(t->rows[i].cells);
    }
    free(t->rows);
    for (size_t k = 0; k < t->ncells; k++)
        free(t->cells[k]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* libcsv's per-cell callback: copies the cell into the current row and
 * counts the line breaks it holds. */
static void on_cell(void *data, size_t len, void *ctx)
{
    csv_table *t = ctx;
    if (t->oom)
        return;
    if (t->ncells == t->cells_cap) {
        size_t cap = t->cells_cap ? t->cells_cap * 2 : 32;
        char **cells = realloc(t->cells, cap * sizeof *cells);
        if (!cells) {
            t->oom = 1;
            return;
        }
        t->cells = cells;
        t->cells_cap = cap;
    }
    char *cell = malloc(len + 1);
    if (!cell) {
        t->oom = 1;
        return;
    }
    if (len)
        memcpy(cell, data, len);
    cell[len] = 0;
    for (size_t i = 0; i < len; i++)
        if (cell[i] == '\n')
            t->row_breaks++;
    t->cells[t->ncells++] = cell;
}

/* libcsv's end-of-row callback (called for every unquoted CR and LF with
 * CSV_REPALL_NL): stores the row when it has cells, and keeps count of
 * the physical lines. */
static void on_row_end(int c, void *ctx)
{
    csv_table *t = ctx;
    if (t->ncells > 0 && !t->oom) {
        if (t->count == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            csv_row *rows = realloc(t->rows, cap * sizeof *rows);
            if (!rows) {
                t->oom = 1;
                return;
            }
            t->rows = rows;
            t->cap = cap;
        }
        csv_row *r = &t->rows[t->count++];
        r->cells = t->cells;
        r->count = t->ncells;
        r->line = t->row_line;
        r->sheet_row = t->row_line - t->cell_breaks;
        t->cells = NULL;
        t->ncells = t->cells_cap = 0;
    }
    t->line += t->row_breaks;
    t->cell_breaks += t->row_breaks;
    t->row_breaks = 0;
    if (c == '\n')
        t->line++;
    t->row_line = t->line;
}

/* 1 when the n bytes are well-formed UTF-8. */
static int is_utf8(const unsigned char *s, size_t n)
{
    uint32_t cp;
    for (size_t i = 0, len; i < n; i += len)
        if ((len = lsu_utf8_decode(s + i, n - i, &cp)) == 0)
            return 0;
    return 1;
}

/* Appends code point cp as UTF-8. */
static void put_utf8(lsu_buf *b, uint32_t cp)
{
    char u[4];
    lsu_buf_add(b, u, lsu_utf8_put(cp, u));
}

/* Turns the file's bytes into UTF-8 in `out`, without a BOM; sets
 * *encoding to the name of what was found. */
static void decode_bytes(const unsigned char *s, size_t n, lsu_buf *out, const char **encoding)
{
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF && is_utf8(s + 3, n - 3)) {
        *encoding = "UTF-8 (BOM)";
        lsu_buf_add(out, (const char *)s + 3, n - 3);
    } else if (is_utf8(s, n)) {
        *encoding = "UTF-8";
        lsu_buf_add(out, (const char *)s, n);
    } else {
        *encoding = "Windows-1252";
        for (size_t i = 0; i < n; i++) {
            unsigned char c = s[i];
            if (c >= 0x80 && c <= 0x9F && lsu_cp1252_high[c - 0x80])
                put_utf8(out, lsu_cp1252_high[c - 0x80]);
            else
                put_utf8(out, c);
        }
    }
    lsu_buf_add(out, "", 0);
}

/* The separator of the header line: ';' as ONDE writes, else a tab when
 * the line holds one, else ',' when it holds one (what quoted cells hold
 * is not counted). */
static unsigned char detect_delimiter(const char *text)
{
    size_t semi = 0, comma = 0, tab = 0;
    int quoted = 0;
    for (const char *p = text; *p && (quoted || *p != '\n'); p++) {
        quoted ^= *p == '"';
        if (quoted)
            continue;
        semi += *p == ';';
        comma += *p == ',';
        tab += *p == '\t';
    }
    if (semi)
        return ';';
    if (tab) /* a tab is no text: a title with commas saved with tabs */
        return '\t';
    return comma ? ',' : ';';
}

/* See onde_int.h. */
int onde_split_rows(const char *path, const char *data, size_t len, csv_table *t, lsu_diag_list *diags,
                    const char **encoding)
{
    char *owned = NULL;
    *encoding = "UTF-8";
    memset(t, 0, sizeof *t);
    if (!data) {
        FILE *fp = fopen(path, "rb");
        if (!fp) {
            lsu_diag_add(diags, DIAG_OND001, 0, NULL, "Le fichier « %s » ne peut pas être ouvert : %s.",
                         lsu_basename(path), lsu_strerror_fr(errno));
            return -1;
        }
        lsu_buf raw = {0};
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && raw.len <= (size_t)ONDE_MAX_BYTES)
            lsu_buf_add(&raw, chunk, got);
        int read_error = ferror(fp);
        fclose(fp);
        if (read_error || raw.failed || raw.len > (size_t)ONDE_MAX_BYTES) {
            lsu_diag_add(diags, DIAG_OND001, 0, NULL,
                         read_error   ? "Le fichier « %s » n'a pas pu être lu."
                         : raw.failed ? "Mémoire insuffisante pour lire « %s »."
                                      : "Le fichier « %s » dépasse 64 Mo : ce n'est pas une extraction ONDE.",
                         lsu_basename(path));
            lsu_buf_free(&raw);
            return -1;
        }
        owned = raw.data;
        data = raw.data ? raw.data : "";
        len = raw.len;
    }
    lsu_buf text = {0};
    decode_bytes((const unsigned char *)data, len, &text, encoding);
    free(owned);
    if (text.failed) {
        lsu_diag_add(diags, DIAG_OND001, 0, NULL, "Mémoire insuffisante pour lire « %s ».", lsu_basename(path));
        lsu_buf_free(&text);
        return -1;
    }
    if (memchr(text.data, 0, text.len)) {
        lsu_diag_add(diags, DIAG_OND001, 0, NULL,
                     "Le fichier « %s » contient des octets nuls : ce n'est pas un fichier CSV (UTF-16 ou binaire ?).",
                     lsu_basename(path));
        lsu_buf_free(&text);
        return -1;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        lsu_buf_free(&text);
        lsu_diag_add(diags, DIAG_OND001, 0, NULL, "Mémoire insuffisante pour lire « %s ».", lsu_basename(path));
        return -1;
    }
    csv_set_delim(&p, detect_delimiter(text.data));
    t->line = t->row_line = 1;
    int rc = 0;
    size_t parsed = csv_parse(&p, text.data, text.len, on_cell, on_row_end, t);
    if (parsed == text.len && !t->oom && csv_fini(&p, on_cell, on_row_end, t) != 0 && !t->oom) {
        lsu_diag_add(diags, DIAG_OND001, t->row_line, NULL,
                     "Un guillemet ouvert ligne %ld n'est jamais fermé : le fichier ne peut pas être lu.", t->row_line);
        rc = -1;
    } else if (parsed != text.len && !t->oom) {
        long line = 1;
        for (size_t i = 0; i < parsed && i < text.len; i++)
            line += text.data[i] == '\n';
        lsu_diag_add(diags, DIAG_OND001, line, NULL,
                     "Guillemet mal placé ligne %ld (un guillemet dans une case doit être doublé et la case mise "
                     "entre guillemets) : le fichier ne peut pas être lu.",
                     line);
        rc = -1;
    }
    if (t->oom) {
        lsu_diag_add(diags, DIAG_OND001, 0, NULL, "Mémoire insuffisante pour lire « %s ».", lsu_basename(path));
        rc = -1;
    }
    csv_free(&p);
    lsu_buf_free(&text);
    return rc;
}

/* See onde_int.h. */
void onde_fold_label(const char *s, char *out, size_t size)
{
    static const struct {
        const char *from;
        char to;
    } accents[] = {{"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"É", 'e'}, {"È", 'e'},  {"Ê", 'e'}, {"à", 'a'},
                   {"â", 'a'}, {"À", 'a'}, {"Â", 'a'}, {"î", 'i'}, {"ï", 'i'}, {"Î", 'i'},  {"ô", 'o'}, {"Ô", 'o'},
                   {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'}, {"ç", 'c'}, {"Ç", 'c'}, {"’", '\''}, {"‘", '\''}};
    size_t n = 0;
    int space = 0;
    while (*s && n + 1 < size) {
        size_t k, matched = 0;
        char c = 0;
        /* every accented letter starts with a byte >= 0x80 */
        for (k = 0; (unsigned char)*s >= 0x80 && k < sizeof accents / sizeof *accents; k++) {
            size_t l = strlen(accents[k].from);
            if (strncmp(s, accents[k].from, l) == 0) {
                matched = l;
                c = accents[k].to;
                break;
            }
        }
        if (!matched) {
            c = (char)tolower((unsigned char)*s);
            matched = 1;
        }
        s += matched;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '_') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < size)
            out[n++] = ' ';
        space = 0;
        out[n++] = c;
    }
    out[n] = 0;
}

/* See onde_int.h. */
int onde_find_columns(const csv_row *header, column *cols, size_t ncols)
{
    int missing = 0;
    for (size_t c = 0; c < ncols; c++)
        cols[c].index = -1;
    for (size_t k = 0; k < header->count; k++) {
        char folded[128];
        onde_fold_label(header->cells[k], folded, sizeof folded);
        for (size_t c = 0; c < ncols; c++)
            for (size_t l = 0; l < 4 && cols[c].labels[l]; l++)
                if (cols[c].index < 0 && strcmp(folded, cols[c].labels[l]) == 0)
                    cols[c].index = (long)k;
    }
    for (size_t c = 0; c < ncols; c++)
        missing += cols[c].required && cols[c].index < 0;
    return missing;
}

/* See onde_int.h. */
const char *onde_cell(const csv_row *r, const column *col)
{
    if (col->index < 0 || (size_t)col->index >= r->count)
        return "";
    char *s = r->cells[col->index];
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

/* See onde_int.h. */
void onde_missing_columns(const column *cols, size_t ncols, lsu_buf *b)
{
    for (size_t c = 0; c < ncols; c++)
        if (cols[c].required && cols[c].index < 0) {
            if (b->len)
                lsu_buf_puts(b, ", ");
            lsu_buf_printf(b, "« %s »", cols[c].display);
        }
}
