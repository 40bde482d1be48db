/* ONDE extractions and the teachers' CSV, read with libcsv (see onde.h).
 *
 * Reading goes in three steps: the bytes are read and turned into UTF-8
 * (decode_bytes), libcsv splits them into rows of cells that remember the
 * file line they start on (split_rows), then each reader finds its columns
 * by header label and checks every row, recording one diagnostic per
 * rejected line and keeping the others. */
#include "school/onde.h"
#include "base/util.h"
#include "import/check.h"
#include "report/report.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONDE_MAX_BYTES (64L * 1024 * 1024)

/* One CSV row: its cells (owned, NUL-terminated UTF-8) and the file line
 * it starts on. */
typedef struct {
    char **cells;
    size_t count;
    long line;
} csv_row;

typedef struct {
    csv_row *rows;
    size_t count, cap;
    /* the row being read */
    char **cells;
    size_t ncells, cells_cap;
    long line;       /* current physical line */
    long row_line;   /* line the current row started on */
    long row_breaks; /* line breaks inside the current row's quoted cells */
    int oom;
} csv_table;

/* Frees every row of the table and the row being read. */
static void table_free(csv_table *t)
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
        t->cells = NULL;
        t->ncells = t->cells_cap = 0;
    }
    t->line += t->row_breaks;
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

/* The separator of the header line: ';' as ONDE writes, else ',' or a tab
 * when the line holds one of those and no ';'. */
static unsigned char detect_delimiter(const char *text)
{
    size_t semi = 0, comma = 0, tab = 0;
    for (const char *p = text; *p && *p != '\n'; p++) {
        semi += *p == ';';
        comma += *p == ',';
        tab += *p == '\t';
    }
    if (semi)
        return ';';
    if (tab >= comma && tab)
        return '\t';
    return comma ? ',' : ';';
}

/* Reads the input (file or memory) and splits it into rows.  Returns 0,
 * or -1 with an OND001 diagnostic; *encoding is set in both cases. */
static int split_rows(const char *path, const char *data, size_t len, csv_table *t, lsu_diag_list *diags,
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

/* A header label folded for comparison: lower case ASCII, accents of
 * French letters removed, typographic apostrophes made straight, spaces
 * trimmed and collapsed.  Writes into out. */
static void fold_label(const char *s, char *out, size_t size)
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
        for (k = 0; k < sizeof accents / sizeof *accents; k++) {
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

/* A column the reader looks for: folded labels it answers to, whether it
 * is required, and the index found in the header (-1 when absent). */
typedef struct {
    const char *labels[4];
    const char *display;
    int required;
    long index;
} column;

/* Finds every column in the header row; returns the number of required
 * columns missing. */
static int find_columns(const csv_row *header, column *cols, size_t ncols)
{
    int missing = 0;
    for (size_t c = 0; c < ncols; c++)
        cols[c].index = -1;
    for (size_t k = 0; k < header->count; k++) {
        char folded[128];
        fold_label(header->cells[k], folded, sizeof folded);
        for (size_t c = 0; c < ncols; c++)
            for (size_t l = 0; l < 4 && cols[c].labels[l]; l++)
                if (cols[c].index < 0 && strcmp(folded, cols[c].labels[l]) == 0)
                    cols[c].index = (long)k;
    }
    for (size_t c = 0; c < ncols; c++)
        missing += cols[c].required && cols[c].index < 0;
    return missing;
}

/* The cell of a row for a column, trimmed of surrounding blanks (libcsv
 * leaves them inside quotes); "" when the column or the cell is absent.
 * Trims in place. */
static const char *cell(const csv_row *r, const column *col)
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

/* Lists the display names of the missing required columns into b. */
static void missing_columns(const column *cols, size_t ncols, lsu_buf *b)
{
    for (size_t c = 0; c < ncols; c++)
        if (cols[c].required && cols[c].index < 0) {
            if (b->len)
                lsu_buf_puts(b, ", ");
            lsu_buf_printf(b, "« %s »", cols[c].display);
        }
}

/* The number written by n digits at s, or -1 when one is not a digit. */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses "dd/mm/yyyy" or "yyyy-mm-dd" into "yyyy-mm-dd" (out: 11 bytes);
 * 0, or -1 when it is not a real date. */
static int parse_onde_date(const char *s, char out[11])
{
    int d, m, y;
    if (strlen(s) != 10)
        return -1;
    if (s[2] == '/' && s[5] == '/') {
        d = digits_value(s, 2);
        m = digits_value(s + 3, 2);
        y = digits_value(s + 6, 4);
    } else if (s[4] == '-' && s[7] == '-') {
        y = digits_value(s, 4);
        m = digits_value(s + 5, 2);
        d = digits_value(s + 8, 2);
    } else {
        return -1;
    }
    if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 || y > 2100)
        return -1;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    memcpy(out, iso, 11);
    long days;
    return lsu_parse_date(out, &days);
}

/* The level "CP"…"CM2" of an ONDE cell (case and blanks ignored), or NULL. */
static const char *parse_niveau(const char *s)
{
    static const char *const levels[] = {"CP", "CE1", "CE2", "CM1", "CM2"};
    char folded[16];
    size_t n = 0;
    for (; *s && n + 1 < sizeof folded; s++)
        if (*s != ' ')
            folded[n++] = (char)toupper((unsigned char)*s);
    folded[n] = 0;
    for (size_t i = 0; i < 5; i++)
        if (strcmp(folded, levels[i]) == 0)
            return levels[i];
    return NULL;
}

/* The cycle of a level: 2 for CP, CE1, CE2; 3 for CM1, CM2; 0 otherwise. */
static int cycle_of_level(const char *niveau)
{
    if (!niveau || !*niveau)
        return 0;
    return niveau[1] == 'M' ? 3 : 2;
}

/* The cycle written in ONDE's " Cycle" column ("2", "Cycle 2", "CYCLE II",
 * "C3"…); 0 when none can be read. */
static int parse_cycle(const char *s)
{
    char folded[32];
    fold_label(s, folded, sizeof folded);
    const char *p = folded;
    if (strncmp(p, "cycle", 5) == 0)
        p += 5;
    else if (*p == 'c')
        p++;
    while (*p == ' ')
        p++;
    if (strcmp(p, "1") == 0 || strcmp(p, "i") == 0)
        return 1;
    if (strcmp(p, "2") == 0 || strcmp(p, "ii") == 0)
        return 2;
    if (strcmp(p, "3") == 0 || strcmp(p, "iii") == 0)
        return 3;
    return 0;
}

/* 1 when s is made of digits only (and not empty). */
static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

enum {
    C_NOM,
    C_NOM_USAGE,
    C_PRENOM,
    C_NAISSANCE,
    C_SEXE,
    C_INE,
    C_CYCLE,
    C_NIVEAU,
    C_LIBELLE,
    C_ID_CLASSE,
    C_RESPONSABLE,
    C_COUNT
};

/* Adds the class of a kept pupil to the list (or updates it); records
 * OND009 when one class id carries two labels.  0, or -1 on memory. */
static int note_class(lsu_onde *o, const lsu_onde_pupil *p)
{
    for (size_t i = 0; i < o->class_count; i++) {
        lsu_onde_class *c = &o->classes[i];
        if (strcmp(c->id_be, p->classe_id_be) != 0)
            continue;
        if (strcmp(c->libelle, p->classe_libelle) != 0)
            lsu_diag_add(&o->diags, DIAG_OND009, p->line, NULL,
                         "La classe %s s'appelle « %s » ici et « %s » ligne %ld : le premier libellé est gardé.",
                         c->id_be, p->classe_libelle, c->libelle, c->line);
        if (strcmp(c->niveau, p->niveau) != 0)
            c->niveau[0] = 0; /* mixed levels (CE2-CM1…) */
        if (c->cycle != p->cycle)
            c->cycle = 0;
        c->pupils++;
        return 0;
    }
    lsu_onde_class *classes = realloc(o->classes, (o->class_count + 1) * sizeof *classes);
    if (!classes)
        return -1;
    o->classes = classes;
    lsu_onde_class *c = &classes[o->class_count];
    c->id_be = strdup(p->classe_id_be);
    c->libelle = strdup(p->classe_libelle);
    c->niveau = strdup(p->niveau);
    c->cycle = p->cycle;
    c->pupils = 1;
    c->line = p->line;
    if (!c->id_be || !c->libelle || !c->niveau) {
        free(c->id_be);
        free(c->libelle);
        free(c->niveau);
        return -1;
    }
    o->class_count++;
    return 0;
}

/* Frees one pupil's strings. */
static void pupil_free(lsu_onde_pupil *p)
{
    free(p->ine);
    free(p->nom);
    free(p->nom_usage);
    free(p->prenom);
    free(p->date_naissance);
    free(p->niveau);
    free(p->classe_id_be);
    free(p->classe_libelle);
}

/* Checks one pupil row and keeps it in o, or records why it is rejected.
 * Returns 0, or -1 when memory ran out. */
static int read_pupil_row(lsu_onde *o, const csv_row *r, column *cols, size_t header_cells)
{
    lsu_diag_list *d = &o->diags;
    long line = r->line;
    const char *nom = cell(r, &cols[C_NOM]), *prenom = cell(r, &cols[C_PRENOM]);
    const char *who_nom = *nom ? nom : "?", *who_prenom = *prenom ? prenom : "?";
    if (r->count < header_cells && (size_t)cols[C_ID_CLASSE].index >= r->count) {
        lsu_diag_add(d, DIAG_OND003, line, NULL,
                     "Ligne incomplète (%zu colonnes au lieu de %zu) pour %s %s : la ligne est ignorée.", r->count,
                     header_cells, who_nom, who_prenom);
        return 1;
    }
    if (!*nom || !*prenom) {
        lsu_diag_add(d, DIAG_OND003, line, NULL, "Le nom ou le prénom de l'élève est vide : la ligne est ignorée.");
        return 1;
    }
    char naissance[11];
    const char *date = cell(r, &cols[C_NAISSANCE]);
    if (parse_onde_date(date, naissance) != 0) {
        lsu_diag_add(d, DIAG_OND004, line, NULL,
                     "Date de naissance « %s » invalide pour %s %s (JJ/MM/AAAA ou AAAA-MM-JJ attendu) : la ligne est "
                     "ignorée.",
                     date, nom, prenom);
        return 1;
    }
    const char *ine = cell(r, &cols[C_INE]);
    if (*ine && !lsu_ine_valid(ine)) {
        lsu_diag_add(d, DIAG_OND005, line, NULL,
                     "INE « %s » invalide pour %s %s (11 caractères, chiffres et lettres majuscules) : la ligne est "
                     "ignorée.",
                     ine, nom, prenom);
        return 1;
    }
    if (*ine)
        for (size_t i = 0; i < o->pupil_count; i++)
            if (strcmp(o->pupils[i].ine, ine) == 0) {
                lsu_diag_add(d, DIAG_OND006, line, NULL,
                             "L'INE %s de %s %s est déjà celui de %s %s ligne %ld : la ligne est ignorée.", ine, nom,
                             prenom, o->pupils[i].nom, o->pupils[i].prenom, o->pupils[i].line);
                return 1;
            }
    const char *id_classe = cell(r, &cols[C_ID_CLASSE]);
    if (!*id_classe) {
        lsu_diag_add(d, DIAG_OND007, line, NULL, "%s %s n'est affecté(e) à aucune classe : la ligne est ignorée.", nom,
                     prenom);
        return 1;
    }
    if (!all_digits(id_classe)) {
        lsu_diag_add(d, DIAG_OND007, line, NULL,
                     "Identifiant de classe « %s » non numérique pour %s %s : la ligne est ignorée.", id_classe, nom,
                     prenom);
        return 1;
    }
    const char *niveau_cell = cell(r, &cols[C_NIVEAU]);
    const char *niveau = parse_niveau(niveau_cell);
    if (!niveau && *niveau_cell)
        lsu_diag_add(d, DIAG_OND008, line, NULL,
                     "Niveau « %s » inconnu pour %s %s (CP, CE1, CE2, CM1 ou CM2 attendu) : l'élève est gardé sans "
                     "niveau.",
                     niveau_cell, nom, prenom);
    const char *sexe_cell = cell(r, &cols[C_SEXE]);
    char sexe = 0;
    if (*sexe_cell) {
        char folded[32];
        fold_label(sexe_cell, folded, sizeof folded);
        if (strcmp(folded, "m") == 0 || strcmp(folded, "masculin") == 0 || strcmp(folded, "garcon") == 0)
            sexe = 'M';
        else if (strcmp(folded, "f") == 0 || strcmp(folded, "feminin") == 0 || strcmp(folded, "fille") == 0)
            sexe = 'F';
        else
            lsu_diag_add(d, DIAG_OND010, line, NULL,
                         "Sexe « %s » non reconnu pour %s %s (M ou F attendu) : l'élève est gardé sans sexe.",
                         sexe_cell, nom, prenom);
    }
    int cycle = parse_cycle(cell(r, &cols[C_CYCLE]));
    if (niveau && cycle_of_level(niveau) != cycle)
        cycle = cycle_of_level(niveau);
    const char *libelle = cell(r, &cols[C_LIBELLE]);
    lsu_onde_pupil p = {.ine = strdup(ine),
                        .nom = strdup(nom),
                        .nom_usage = strdup(cell(r, &cols[C_NOM_USAGE])),
                        .prenom = strdup(prenom),
                        .date_naissance = strdup(naissance),
                        .sexe = sexe,
                        .niveau = strdup(niveau ? niveau : ""),
                        .cycle = cycle,
                        .classe_id_be = strdup(id_classe),
                        .classe_libelle = strdup(*libelle ? libelle : id_classe),
                        .line = line};
    lsu_onde_pupil *pupils = realloc(o->pupils, (o->pupil_count + 1) * sizeof *pupils);
    if (!pupils || !p.ine || !p.nom || !p.nom_usage || !p.prenom || !p.date_naissance || !p.niveau || !p.classe_id_be ||
        !p.classe_libelle) {
        if (pupils)
            o->pupils = pupils;
        pupil_free(&p);
        return -1;
    }
    o->pupils = pupils;
    o->pupils[o->pupil_count++] = p;
    return note_class(o, &p);
}

/* See onde.h. */
int lsu_onde_read(const char *path, const char *data, size_t len, lsu_onde *out)
{
    memset(out, 0, sizeof *out);
    csv_table t;
    if (split_rows(path, data, len, &t, &out->diags, &out->encoding) != 0) {
        table_free(&t);
        return -1;
    }
    column cols[C_COUNT] = {
        [C_NOM] = {{"nom eleve", "nom de famille eleve", "nom"}, "Nom élève", 1, -1},
        [C_NOM_USAGE] = {{"nom d'usage eleve", "nom usage eleve"}, "Nom d'usage élève", 0, -1},
        [C_PRENOM] = {{"prenom eleve", "prenom"}, "Prénom élève", 1, -1},
        [C_NAISSANCE] = {{"date naissance", "date de naissance"}, "Date naissance", 1, -1},
        [C_SEXE] = {{"sexe"}, "Sexe", 0, -1},
        [C_INE] = {{"ine"}, "INE", 1, -1},
        [C_CYCLE] = {{"cycle"}, "Cycle", 0, -1},
        [C_NIVEAU] = {{"niveau"}, "Niveau", 1, -1},
        [C_LIBELLE] = {{"libelle classe"}, "Libellé classe", 1, -1},
        [C_ID_CLASSE] = {{"identifiant classe", "id classe"}, "Identifiant classe", 1, -1},
        [C_RESPONSABLE] = {{"civilite responsable", "nom responsable"}, "", 0, -1},
    };
    if (t.count == 0) {
        lsu_diag_add(&out->diags, DIAG_OND001, 0, NULL, "Le fichier « %s » est vide.", lsu_basename(path));
        table_free(&t);
        return -1;
    }
    if (find_columns(&t.rows[0], cols, C_COUNT) > 0) {
        lsu_buf names = {0};
        missing_columns(cols, C_COUNT, &names);
        if (cols[C_RESPONSABLE].index >= 0)
            lsu_diag_add(&out->diags, DIAG_OND002, t.rows[0].line, NULL,
                         "Ce fichier est l'extraction des responsables, pas celle des élèves : dans ONDE, exportez "
                         "la liste des élèves (CSVExtraction.csv).");
        else
            lsu_diag_add(&out->diags, DIAG_OND002, t.rows[0].line, NULL,
                         "Colonnes absentes de l'en-tête : %s. Ce fichier n'est pas une extraction élèves d'ONDE.",
                         names.data ? names.data : "?");
        lsu_buf_free(&names);
        table_free(&t);
        return -1;
    }
    if (strcmp(out->encoding, "Windows-1252") == 0)
        lsu_diag_add(&out->diags, DIAG_OND011, 0, NULL,
                     "Le fichier est encodé en Windows-1252 (ou ISO-8859-1) : il a été converti en UTF-8.");
    int rc = 0;
    for (size_t i = 1; i < t.count && rc == 0; i++) {
        int k = read_pupil_row(out, &t.rows[i], cols, t.rows[0].count);
        if (k < 0)
            rc = -1;
        else
            out->lines_rejected += k > 0;
    }
    if (rc != 0) {
        out->diags.oom = 1;
    } else if (out->pupil_count == 0) {
        lsu_diag_add(&out->diags, DIAG_OND001, 0, NULL, "Le fichier ne contient aucun élève valable.");
        rc = -1;
    }
    table_free(&t);
    lsu_diag_sort(&out->diags);
    return rc;
}

/* See onde.h. */
void lsu_onde_free(lsu_onde *o)
{
    for (size_t i = 0; i < o->pupil_count; i++)
        pupil_free(&o->pupils[i]);
    free(o->pupils);
    for (size_t i = 0; i < o->class_count; i++) {
        free(o->classes[i].id_be);
        free(o->classes[i].libelle);
        free(o->classes[i].niveau);
    }
    free(o->classes);
    lsu_diag_list_free(&o->diags);
    memset(o, 0, sizeof *o);
}

/* "M." or "Mme" for the ways a civilité is written; NULL when unknown. */
static const char *parse_civilite(const char *s)
{
    char folded[32];
    fold_label(s, folded, sizeof folded);
    static const char *const men[] = {"m", "m.", "mr", "mr.", "monsieur"};
    static const char *const women[] = {"mme", "mme.", "madame", "mlle", "mademoiselle"};
    for (size_t i = 0; i < sizeof men / sizeof *men; i++)
        if (strcmp(folded, men[i]) == 0)
            return "M.";
    for (size_t i = 0; i < sizeof women / sizeof *women; i++)
        if (strcmp(folded, women[i]) == 0)
            return "Mme";
    return NULL;
}

/* Frees one teacher's strings. */
static void teacher_free(lsu_teacher *t)
{
    free(t->civilite);
    free(t->nom);
    free(t->prenom);
    for (size_t k = 0; k < t->class_count; k++)
        free(t->classes[k]);
    free(t->classes);
}

/* Splits a "classes" cell on commas, spaces and slashes into te's list;
 * 0, or -1 when memory ran out. */
static int split_classes(const char *s, lsu_teacher *te)
{
    while (*s) {
        while (*s == ',' || *s == ' ' || *s == '/' || *s == '\n' || *s == '\r' || *s == '\t' || *s == '|')
            s++;
        size_t n = strcspn(s, ", /\n\r\t|");
        if (!n)
            break;
        char **classes = realloc(te->classes, (te->class_count + 1) * sizeof *classes);
        if (!classes)
            return -1;
        te->classes = classes;
        if (!(classes[te->class_count] = strndup(s, n)))
            return -1;
        te->class_count++;
        s += n;
    }
    return 0;
}

/* See onde.h. */
int lsu_teachers_read(const char *path, const char *data, size_t len, lsu_teachers *out)
{
    memset(out, 0, sizeof *out);
    csv_table t;
    if (split_rows(path, data, len, &t, &out->diags, &out->encoding) != 0) {
        table_free(&t);
        return -1;
    }
    column cols[4] = {{{"civilite"}, "Civilité", 1, -1},
                      {{"nom", "nom d'usage", "nom enseignant"}, "Nom", 1, -1},
                      {{"prenom", "prenom enseignant"}, "Prénom", 1, -1},
                      {{"classes", "classe"}, "Classes", 1, -1}};
    if (t.count == 0 || find_columns(&t.rows[0], cols, 4) > 0) {
        lsu_buf names = {0};
        missing_columns(cols, 4, &names);
        if (t.count == 0)
            lsu_diag_add(&out->diags, DIAG_OND001, 0, NULL, "Le fichier « %s » est vide.", lsu_basename(path));
        else
            lsu_diag_add(&out->diags, DIAG_OND002, t.rows[0].line, NULL,
                         "Colonnes absentes de l'en-tête : %s. La liste des enseignants doit avoir les colonnes "
                         "Civilité ; Nom ; Prénom ; Classes.",
                         names.data ? names.data : "?");
        lsu_buf_free(&names);
        table_free(&t);
        return -1;
    }
    int rc = 0;
    for (size_t i = 1; i < t.count && rc == 0; i++) {
        const csv_row *r = &t.rows[i];
        const char *civ_cell = cell(r, &cols[0]), *nom = cell(r, &cols[1]), *prenom = cell(r, &cols[2]);
        const char *civilite = parse_civilite(civ_cell);
        if (!*nom) {
            lsu_diag_add(&out->diags, DIAG_OND012, r->line, NULL,
                         "Le nom de l'enseignant est vide : la ligne est ignorée.");
            out->lines_rejected++;
            continue;
        }
        if (!civilite) {
            lsu_diag_add(&out->diags, DIAG_OND012, r->line, NULL,
                         "Civilité « %s » non reconnue pour %s (M. ou Mme attendu ; LSU reconnaît un enseignant à "
                         "sa civilité et à son nom) : la ligne est ignorée.",
                         civ_cell, nom);
            out->lines_rejected++;
            continue;
        }
        lsu_teacher te = {.civilite = strdup(civilite), .nom = strdup(nom), .prenom = strdup(prenom), .line = r->line};
        lsu_teacher *list = realloc(out->teachers, (out->teacher_count + 1) * sizeof *list);
        if (list)
            out->teachers = list;
        if (!list || !te.civilite || !te.nom || !te.prenom || split_classes(cell(r, &cols[3]), &te) != 0) {
            teacher_free(&te);
            out->diags.oom = 1;
            rc = -1;
            break;
        }
        out->teachers[out->teacher_count++] = te;
    }
    table_free(&t);
    lsu_diag_sort(&out->diags);
    return rc;
}

/* See onde.h. */
void lsu_teachers_free(lsu_teachers *t)
{
    for (size_t i = 0; i < t->teacher_count; i++)
        teacher_free(&t->teachers[i]);
    free(t->teachers);
    lsu_diag_list_free(&t->diags);
    memset(t, 0, sizeof *t);
}

/* See onde.h. */
void lsu_onde_text(const lsu_onde *o, const char *path, lsu_buf *out)
{
    for (size_t i = 0; i < o->diags.len; i++)
        lsu_diag_text(&o->diags.items[i], path, out);
    for (size_t i = 0; i < o->class_count; i++) {
        const lsu_onde_class *c = &o->classes[i];
        lsu_buf_printf(out, "%s: classe %s (identifiant %s", path, c->libelle, c->id_be);
        if (*c->niveau)
            lsu_buf_printf(out, ", %s", c->niveau);
        if (c->cycle)
            lsu_buf_printf(out, ", cycle %d", c->cycle);
        lsu_buf_printf(out, ") : %zu élève%s\n", c->pupils, c->pupils > 1 ? "s" : "");
    }
    if (lsu_diag_worst(&o->diags) == SEV_FATAL) {
        lsu_buf_printf(out, "%s: extraction refusée, rien n'en est repris\n", path);
        return;
    }
    lsu_buf_printf(out, "%s: %zu élève%s dans %zu classe%s, %zu ligne%s ignorée%s (encodage %s)\n", path,
                   o->pupil_count, o->pupil_count > 1 ? "s" : "", o->class_count, o->class_count > 1 ? "s" : "",
                   o->lines_rejected, o->lines_rejected > 1 ? "s" : "", o->lines_rejected > 1 ? "s" : "", o->encoding);
}

/* See onde.h. */
void lsu_teachers_text(const lsu_teachers *t, const char *path, lsu_buf *out)
{
    for (size_t i = 0; i < t->diags.len; i++)
        lsu_diag_text(&t->diags.items[i], path, out);
    for (size_t i = 0; i < t->teacher_count; i++) {
        const lsu_teacher *te = &t->teachers[i];
        lsu_buf_printf(out, "%s: %s %s %s :", path, te->civilite, te->nom, te->prenom);
        for (size_t k = 0; k < te->class_count; k++)
            lsu_buf_printf(out, " %s", te->classes[k]);
        lsu_buf_puts(out, te->class_count ? "\n" : " aucune classe\n");
    }
    if (lsu_diag_worst(&t->diags) == SEV_FATAL) {
        lsu_buf_printf(out, "%s: liste refusée, rien n'en est repris\n", path);
        return;
    }
    lsu_buf_printf(out, "%s: %zu enseignant%s, %zu ligne%s ignorée%s (encodage %s)\n", path, t->teacher_count,
                   t->teacher_count > 1 ? "s" : "", t->lines_rejected, t->lines_rejected > 1 ? "s" : "",
                   t->lines_rejected > 1 ? "s" : "", t->encoding);
}
