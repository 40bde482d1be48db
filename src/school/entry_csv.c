/* The reader of the spreadsheet round trip (see entry_csv.h): the ONDE
 * readers' CSV layer (onde_split_rows: encodings, separators, quoted
 * cells over several lines) splits the file into rows; the lines on top
 * name the file's scope, the header row names the columns, and every
 * pupil's cell, élément and projet becomes a change or a refusal. */
#include "base/diag.h"
#include "base/text.h"
#include "import/nomenclature.h"
#include "school/entry_csv_int.h"
#include "school/onde_int.h"
#include "school/school_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file bigger than this is no template (a class is 30 rows). */
#define ENTRY_CSV_MAX_BYTES (16L * 1024 * 1024)

/* What a column of the header row holds. */
typedef enum {
    COL_NONE,    /* empty header */
    COL_IGNORED, /* refused at the header: its cells are not read */
    COL_NOM,
    COL_PRENOM,
    COL_INE,
    COL_POSITION,
    COL_APPRECIATION,
    COL_GENERALE,
    COL_IMPLICATION
} col_kind;

typedef struct {
    col_kind kind;
    const char *code; /* domain or parcours */
} col_info;

/* Keeps a copy of s among the strings the changes borrow; NULL when
 * memory ran out (f->oom set). */
static char *keep(lsu_entry_csv *f, const char *s)
{
    char *c = lsu_strdup_or_null(s ? s : "");
    if (!c || school_grow((void **)&f->strings, f->nstrings, &f->strings_cap, sizeof *f->strings) != 0) {
        free(c);
        f->oom = 1;
        return NULL;
    }
    f->strings[f->nstrings++] = c;
    return c;
}

/* See entry_csv_int.h. */
void entry_csv_refuse(lsu_entry_csv *f, long row, int col, const char *who, const char *fmt, ...)
{
    if (f->nrefused == f->refused_cap) {
        size_t cap = f->refused_cap ? f->refused_cap * 2 : 16;
        lsu_entry_csv_refusal *r = realloc(f->refused, cap * sizeof *r);
        if (!r) {
            f->oom = 1;
            return;
        }
        f->refused = r;
        f->refused_cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *why = lsu_vasprintf(fmt, ap);
    va_end(ap);
    char *w = who && *who ? lsu_strdup_or_null(who) : NULL;
    if (!why || (who && *who && !w)) {
        free(why);
        free(w);
        f->oom = 1;
        return;
    }
    f->refused[f->nrefused++] = (lsu_entry_csv_refusal){row, col, w, why};
}

/* See entry_csv_int.h. */
void entry_csv_add(lsu_entry_csv *f, lsu_entry_change ch, const char *who)
{
    if (f->nchanges == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        lsu_entry_change *c = realloc(f->changes, cap * sizeof *c);
        char **w = c ? realloc(f->who, cap * sizeof *w) : NULL;
        if (c)
            f->changes = c;
        if (!c || !w) {
            f->oom = 1;
            return;
        }
        f->who = w;
        f->cap = cap;
    }
    char *w = who && *who ? lsu_strdup_or_null(who) : NULL;
    if (who && *who && !w) {
        f->oom = 1;
        return;
    }
    f->changes[f->nchanges] = ch;
    f->who[f->nchanges++] = w;
}

/* The label of a domain code for the messages: "Français (FRA-RAC)". */
static void domain_name(const char *code, char *out, size_t size)
{
    const char *label = lsu_code_label("domaine", code);
    if (!*label)
        label = lsu_code_label("parcours", code);
    snprintf(out, size, "%s (%s)", label, code);
}

/* Is `code` with kind ('P', 'A') a column of a file for domain (NULL:
 * all)? */
static int column_allowed(const char *domain, const char *code, char kind)
{
    const char *codes[64];
    char kinds[64];
    size_t n = lsu_entry_csv_columns(domain, 0, codes, kinds, 64);
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0 && kinds[i] == kind)
            return 1;
    return 0;
}

/* What a header cell names; refuses what cannot be read. */
static col_info read_header_cell(lsu_entry_csv *f, const csv_row *r, size_t k, const col_info *seen)
{
    col_info c = {COL_IGNORED, NULL};
    const char *cell = r->cells[k];
    char folded[256];
    onde_fold_label(cell, folded, sizeof folded);
    int col = (int)k + 1;
    if (!*folded)
        return (col_info){COL_NONE, NULL};
    if (strcmp(folded, "nom") == 0)
        c.kind = COL_NOM;
    else if (strcmp(folded, "prenom") == 0)
        c.kind = COL_PRENOM;
    else if (strcmp(folded, "ine") == 0)
        c.kind = COL_INE;
    else if (strcmp(folded, "statut") == 0)
        return c; /* the template's information, not read back */
    else if (strncmp(folded, "appreciation generale", 21) == 0)
        c.kind = COL_GENERALE;
    else if ((c.code = lsu_entry_csv_domain(cell, 1)) != NULL && strstr(folded, "implication"))
        c.kind = COL_IMPLICATION;
    else if ((c.code = lsu_entry_csv_domain(cell, 0)) != NULL &&
             (strstr(folded, "position") || strstr(folded, "apprec"))) {
        char kind = strstr(folded, "position") ? 'P' : 'A';
        c.kind = kind == 'P' ? COL_POSITION : COL_APPRECIATION;
        if (!column_allowed(f->domain, c.code, kind)) {
            char name[256], file_domain[256];
            domain_name(c.code, name, sizeof name);
            const lsu_domain *d = lsu_domain_find(c.code);
            int family =
                !f->domain || strcmp(c.code, f->domain) == 0 || (d->parent && strcmp(d->parent, f->domain) == 0);
            if (!family) {
                domain_name(f->domain, file_domain, sizeof file_domain);
                entry_csv_refuse(f, r->sheet_row, col, NULL,
                                 "colonne « %s » : ce fichier est celui du domaine %s, %s n'en fait pas partie ; ses "
                                 "cases ne sont pas lues",
                                 cell, file_domain, name);
            } else if (kind == 'P' && !d->parent)
                entry_csv_refuse(f, r->sheet_row, col, NULL,
                                 "colonne « %s » : le positionnement de %s se donne pour chacun de ses sous-domaines ; "
                                 "ses cases ne sont pas lues",
                                 cell, name);
            else if (kind == 'A' && d->parent)
                entry_csv_refuse(f, r->sheet_row, col, NULL,
                                 "colonne « %s » : l'appréciation se donne pour le domaine, pas pour le sous-domaine "
                                 "%s ; ses cases ne sont pas lues",
                                 cell, name);
            else
                entry_csv_refuse(
                    f, r->sheet_row, col, NULL,
                    "colonne « %s » : %s n'a pas cette colonne dans le modèle ; ses cases ne sont pas lues", cell,
                    name);
            return (col_info){COL_IGNORED, NULL};
        }
    } else {
        entry_csv_refuse(
            f, r->sheet_row, col, NULL,
            "colonne « %s » inconnue : ses cases ne sont pas lues (les colonnes du modèle sont NOM, Prénom, "
            "INE, « Domaine (CODE) : positionnement », « Domaine (CODE) : appréciation », « Appréciation "
            "générale »)",
            cell);
        return c;
    }
    for (size_t j = 0; j < k; j++)
        if (seen[j].kind == c.kind && lsu_strcmp_null(seen[j].code, c.code) == 0) {
            char letters[8];
            lsu_entry_csv_column_name((int)j + 1, letters);
            entry_csv_refuse(f, r->sheet_row, col, NULL,
                             "colonne « %s » en double (déjà colonne %s) : ses cases ne sont pas lues", cell, letters);
            return (col_info){COL_IGNORED, NULL};
        }
    return c;
}

/* The cell k of a row, trimmed, and without the apostrophe a spreadsheet
 * writer puts before a leading = + - @ (lsu_buf_csv_cell). */
static const char *cell_at(const csv_row *r, size_t k)
{
    column col = {.index = (long)k};
    const char *s = onde_cell(r, &col);
    if (s[0] == '\'' && s[1] && strchr("=+-@\t", s[1]))
        s++;
    return s;
}

/* Is the cell the word that clears? */
static int is_clear(const char *cell)
{
    char folded[32];
    onde_fold_label(cell, folded, sizeof folded);
    return strcmp(folded, LSU_ENTRY_CSV_CLEAR) == 0 || strcmp(folded, "\xc2\xab effacer \xc2\xbb") == 0;
}

/* Reads a positionnement: 1 to 4, the labels (any case, accents or
 * not, singular too), NA PA A D (DE), « Non évalué » or NE: 0, effacer:
 * -1.  Returns 1 with *value, 0 when the cell is none of these. */
static int read_position(const char *cell, int *value)
{
    static const struct {
        const char *word;
        int value;
    } words[] = {{"1", 1},
                 {"2", 2},
                 {"3", 3},
                 {"4", 4},
                 {"na", 1},
                 {"pa", 2},
                 {"a", 3},
                 {"d", 4},
                 {"de", 4},
                 {"non atteints", 1},
                 {"non atteint", 1},
                 {"partiellement atteints", 2},
                 {"partiellement atteint", 2},
                 {"atteints", 3},
                 {"atteint", 3},
                 {"depasses", 4},
                 {"depasse", 4},
                 {"objectifs non atteints", 1},
                 {"objectifs partiellement atteints", 2},
                 {"objectifs atteints", 3},
                 {"objectifs depasses", 4},
                 {"ne", 0},
                 {"non evalue", 0},
                 {"non evaluee", 0},
                 {LSU_ENTRY_CSV_CLEAR, -1}};
    char folded[64];
    onde_fold_label(cell, folded, sizeof folded);
    size_t n = strlen(folded);
    while (n && (folded[n - 1] == '.' || folded[n - 1] == ' '))
        folded[--n] = 0;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(folded, words[i].word) == 0) {
            *value = words[i].value;
            return 1;
        }
    /* "3 - Atteints", "3 Atteints": the number leads */
    if (folded[0] >= '1' && folded[0] <= '4' && (folded[1] == ' ' || folded[1] == '-')) {
        *value = folded[0] - '0';
        return 1;
    }
    return 0;
}

/* Reads a text cell for a limit of max code points into a kept string:
 * "" for « effacer », the text as the normalisation cleans it otherwise.
 * NULL when refused (too long) or memory ran out. */
static const char *read_text(lsu_entry_csv *f, const csv_row *r, int col, const char *who, const char *cell, size_t max,
                             const char *what)
{
    if (is_clear(cell))
        return keep(f, "");
    lsu_buf clean = {0};
    lsu_text_normalise(cell, &clean);
    if (clean.failed) {
        f->oom = 1;
        return NULL;
    }
    const char *text = clean.data ? clean.data : "";
    size_t n = lsu_utf8_length(text);
    const char *kept = NULL;
    if (n > max)
        entry_csv_refuse(f, r->sheet_row, col, who, "%s de %zu caractères pour %zu au plus", what, n, max);
    else
        kept = keep(f, text);
    lsu_buf_free(&clean);
    return kept;
}

/* Reads the cells of a pupil's row. */
static void read_pupil_row(lsu_entry_csv *f, const csv_row *r, const col_info *cols, size_t ncols)
{
    const char *nom = "", *prenom = "", *ine = "";
    for (size_t k = 0; k < ncols && k < r->count; k++) {
        if (cols[k].kind == COL_NOM)
            nom = cell_at(r, k);
        else if (cols[k].kind == COL_PRENOM)
            prenom = cell_at(r, k);
        else if (cols[k].kind == COL_INE)
            ine = cell_at(r, k);
    }
    char who[512];
    snprintf(who, sizeof who, "%s%s%s", nom, *nom && *prenom ? " " : "", prenom);
    const char *kept_ine = keep(f, ine);
    if (!kept_ine)
        return;
    int orphan = 0;
    for (size_t k = 0; k < r->count; k++) {
        const char *cell = cell_at(r, k);
        int col = (int)k + 1;
        if (!*cell)
            continue;
        col_kind kind = k < ncols ? cols[k].kind : COL_NONE;
        lsu_entry_change ch = {
            .ine = kept_ine, .domain = k < ncols ? cols[k].code : NULL, .row = r->sheet_row, .col = col};
        if (kind == COL_NONE) {
            entry_csv_refuse(f, r->sheet_row, col, who,
                             "case hors des colonnes du modèle (colonne sans titre) : non lue");
            continue;
        }
        if (kind == COL_IGNORED || kind == COL_NOM || kind == COL_PRENOM || kind == COL_INE)
            continue;
        if (!*ine && !*nom) {
            orphan = 1;
            continue;
        }
        if (kind == COL_POSITION) {
            ch.kind = LSU_ENTRY_POSITION;
            if (!read_position(cell, &ch.value)) {
                entry_csv_refuse(
                    f, r->sheet_row, col, who,
                    "positionnement « %s » : attendu 1 à 4 (ou NA, PA, A, D, ou les mots Non atteints, "
                    "Partiellement atteints, Atteints, Dépassés), NE pour non évalué, « effacer » pour effacer",
                    cell);
                continue;
            }
        } else {
            size_t max = LSU_ENTRY_APPRECIATION_MAX;
            if (kind == COL_GENERALE)
                max = LSU_ENTRY_GENERALE_MAX;
            else if (kind == COL_IMPLICATION)
                max = LSU_ENTRY_PARCOURS_MAX;
            ch.kind = kind == COL_GENERALE      ? LSU_ENTRY_GENERALE
                      : kind == COL_IMPLICATION ? LSU_ENTRY_PARCOURS
                                                : LSU_ENTRY_APPRECIATION;
            if (kind == COL_GENERALE)
                ch.domain = NULL;
            if (!(ch.text = read_text(f, r, col, who, cell, max,
                                      kind == COL_GENERALE      ? "appréciation générale"
                                      : kind == COL_IMPLICATION ? "implication"
                                                                : "appréciation")))
                continue;
        }
        entry_csv_add(f, ch, who);
    }
    if (orphan)
        entry_csv_refuse(f, r->sheet_row, 0, NULL, "ligne sans élève (NOM et INE vides) : ses cases ne sont pas lues");
}

/* Reads a row of the éléments du programme: domain, number, text. */
static void read_element_row(lsu_entry_csv *f, const csv_row *r)
{
    const char *dom = cell_at(r, 1), *num = cell_at(r, 2), *text = cell_at(r, 3);
    if (!*num && !*text)
        return;
    const char *code = lsu_entry_csv_domain(dom, 0);
    if (!code) {
        entry_csv_refuse(f, r->sheet_row, 2, NULL, "élément du programme : domaine « %s » inconnu", dom);
        return;
    }
    if (!column_allowed(f->domain, code, 'P')) {
        char name[256], file_domain[256];
        domain_name(code, name, sizeof name);
        if (f->domain) {
            domain_name(f->domain, file_domain, sizeof file_domain);
            entry_csv_refuse(f, r->sheet_row, 2, NULL,
                             "élément du programme de %s : ce fichier est celui du domaine %s", name, file_domain);
        } else
            entry_csv_refuse(f, r->sheet_row, 2, NULL,
                             "élément du programme de %s : les éléments se donnent pour chacun de ses sous-domaines",
                             name);
        return;
    }
    char *end = NULL;
    errno = 0;
    long number = *num ? strtol(num, &end, 10) : 0;
    if (*num && (errno || !end || *end || number < 1)) {
        entry_csv_refuse(f, r->sheet_row, 3, NULL,
                         "élément du programme : numéro « %s » illisible (laissez la case vide pour un "
                         "nouvel élément)",
                         num);
        return;
    }
    lsu_entry_csv_element e = {r->sheet_row, 4, NULL, number, NULL, is_clear(text)};
    const char *kept =
        e.clear || !*text ? keep(f, "") : read_text(f, r, 4, NULL, text, LSU_ENTRY_ELEMENT_MAX, "élément du programme");
    if (!kept)
        return;
    if (school_grow((void **)&f->elements, f->nelements, &f->elements_cap, sizeof *f->elements) != 0) {
        f->oom = 1;
        return;
    }
    e.domain = code;
    e.text = (char *)kept;
    f->elements[f->nelements++] = e;
}

/* Reads a row of the parcours' projets: parcours, text. */
static void read_parcours_row(lsu_entry_csv *f, const csv_row *r)
{
    const char *par = cell_at(r, 1), *text = cell_at(r, 2);
    if (!*text)
        return;
    const char *code = lsu_entry_csv_domain(par, 1);
    if (!code) {
        entry_csv_refuse(f, r->sheet_row, 2, NULL,
                         "projet de parcours : parcours « %s » inconnu (PAR_CIT, PAR_ART, PAR_SAN)", par);
        return;
    }
    lsu_entry_change ch = {.kind = LSU_ENTRY_PARCOURS, .domain = code, .row = r->sheet_row, .col = 3};
    if ((ch.text = read_text(f, r, 3, NULL, text, LSU_ENTRY_PARCOURS_MAX, "projet de parcours")))
        entry_csv_add(f, ch, NULL);
}

/* Reads the lines on top, before the header row; returns the header
 * row's index, or count when there is none. */
static size_t read_top(lsu_entry_csv *f, const csv_table *t)
{
    size_t i;
    int domain_seen = 0;
    for (i = 0; i < t->count; i++) {
        const csv_row *r = &t->rows[i];
        char key[64];
        onde_fold_label(cell_at(r, 0), key, sizeof key);
        char **slot = NULL, **second = NULL;
        if (strcmp(key, "nom") == 0)
            return i;
        if (strcmp(key, "ecole") == 0)
            slot = &f->uai;
        else if (strcmp(key, "classe") == 0) {
            slot = &f->classe;
            second = &f->id_be;
        } else if (strcmp(key, "periode") == 0) {
            slot = &f->periode;
            second = &f->annee;
        } else if (strcmp(key, "etat de la base") == 0)
            slot = &f->state;
        else if (strcmp(key, "domaine") == 0 && !domain_seen++) { /* the first line only */
            const char *d = cell_at(r, 1);
            char folded[64];
            onde_fold_label(d, folded, sizeof folded);
            if (strncmp(folded, "tous", 4) == 0)
                continue;
            const char *code = lsu_entry_csv_domain(d, 0);
            if (!code) {
                free(f->error);
                f->error = lsu_asprintf("ligne %ld : domaine « %s » inconnu", r->sheet_row, d);
                return t->count;
            }
            f->domain = lsu_strdup_or_null(code);
            f->oom |= !f->domain;
        }
        if (slot && !*slot) {
            *slot = lsu_strdup_or_null(cell_at(r, 1));
            f->oom |= !*slot;
        }
        if (second && !*second) {
            *second = lsu_strdup_or_null(cell_at(r, 2));
            f->oom |= !*second;
        }
    }
    return i;
}

/* The first diagnostic's message without its final full stop, or a
 * default. */
static char *diag_message(const lsu_diag_list *d)
{
    char *m = lsu_strdup_or_null(d->len && d->items[0].message ? d->items[0].message : "fichier illisible");
    size_t n = m ? strlen(m) : 0;
    if (n && m[n - 1] == '.') /* the command line goes on after it */
        m[n - 1] = 0;
    return m;
}

/* Reads a file into a buffer, at most ENTRY_CSV_MAX_BYTES; 0, or 2 with
 * f->error. */
static int read_file(const char *path, lsu_buf *raw, lsu_entry_csv *f)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        f->error = lsu_asprintf("ne peut pas être ouvert : %s", lsu_strerror_fr(errno));
        return 2;
    }
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && raw->len <= (size_t)ENTRY_CSV_MAX_BYTES)
        lsu_buf_add(raw, chunk, got);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || raw->failed || raw->len > (size_t)ENTRY_CSV_MAX_BYTES) {
        f->error = lsu_strdup_or_null(bad           ? "le fichier n'a pas pu être lu"
                                      : raw->failed ? "mémoire insuffisante pour le lire"
                                                    : "le fichier dépasse 16 Mo : ce n'est pas un modèle de saisie");
        return 2;
    }
    return 0;
}

/* Checks the lines on top were all there; 0, or 2 with f->error. */
static int check_top(lsu_entry_csv *f, size_t header, size_t count)
{
    const char *missing = header >= count               ? "la ligne d'en-tête « NOM ; Prénom ; INE ; … »"
                          : !f->classe || !*f->classe   ? "la ligne « Classe »"
                          : !f->periode || !*f->periode ? "la ligne « Période »"
                          : !f->state || !*f->state     ? "la ligne « État de la base »"
                                                        : NULL;
    if (missing) {
        f->error = lsu_asprintf("ce n'est pas un modèle de saisie de lsu : il y manque %s (faites le modèle avec "
                                "lsu template, puis remplissez-le sans changer ses lignes du haut)",
                                missing);
        return 2;
    }
    size_t n = strlen(f->state);
    int hex = n == 64;
    for (size_t i = 0; hex && i < n; i++)
        hex = isxdigit((unsigned char)f->state[i]) != 0;
    if (!hex) {
        f->error = lsu_asprintf("l'état de la base « %s » a été modifié (64 chiffres hexadécimaux attendus) ; "
                                "refaites le modèle avec lsu template",
                                f->state);
        return 2;
    }
    for (size_t i = 0; i < n; i++)
        f->state[i] = (char)tolower((unsigned char)f->state[i]);
    return 0;
}

/* See entry_csv.h. */
int lsu_entry_csv_read(const char *path, const char *data, size_t len, lsu_entry_csv *f)
{
    memset(f, 0, sizeof *f);
    f->encoding = "UTF-8";
    lsu_buf raw = {0};
    if (!data) {
        int rc = read_file(path, &raw, f);
        if (rc) {
            lsu_buf_free(&raw);
            return f->error ? rc : -1;
        }
        data = raw.data ? raw.data : "";
        len = raw.len;
    }
    csv_table t;
    lsu_diag_list diags = {0};
    int split = onde_split_rows(path, data, len, &t, &diags, &f->encoding);
    lsu_buf_free(&raw);
    if (split != 0) {
        f->error = diag_message(&diags);
        lsu_diag_list_free(&diags);
        onde_table_free(&t);
        return f->error ? 2 : -1;
    }
    lsu_diag_list_free(&diags);
    size_t header = read_top(f, &t);
    int rc = f->error ? 2 : check_top(f, header, t.count);
    col_info *cols = NULL;
    size_t ncols = 0;
    if (rc == 0 && !f->oom) {
        const csv_row *h = &t.rows[header];
        ncols = h->count;
        cols = calloc(ncols ? ncols : 1, sizeof *cols);
        f->oom |= !cols;
        for (size_t k = 0; cols && k < ncols; k++)
            cols[k] = read_header_cell(f, h, k, cols);
    }
    for (size_t i = header + 1; rc == 0 && cols && i < t.count && !f->oom; i++) {
        const csv_row *r = &t.rows[i];
        int empty = 1;
        for (size_t k = 0; k < r->count && empty; k++)
            empty = !*cell_at(r, k);
        if (empty)
            continue;
        char key[64];
        onde_fold_label(cell_at(r, 0), key, sizeof key);
        if (strncmp(key, "elements du programme", 21) == 0 || strncmp(key, "projets des parcours", 20) == 0)
            continue;
        if (strncmp(key, "aide a la saisie", 16) == 0)
            continue; /* the proposals of the aide à la saisie: to copy from, never read */
        if (strcmp(key, "element du programme") == 0)
            read_element_row(f, r);
        else if (strcmp(key, "projet de parcours") == 0)
            read_parcours_row(f, r);
        else
            read_pupil_row(f, r, cols, ncols);
    }
    free(cols);
    onde_table_free(&t);
    if (f->oom)
        return -1;
    if (rc == 0 && f->error)
        rc = 2;
    return rc;
}

/* See entry_csv.h. */
void lsu_entry_csv_free(lsu_entry_csv *f)
{
    free(f->uai);
    free(f->classe);
    free(f->id_be);
    free(f->periode);
    free(f->annee);
    free(f->domain);
    free(f->state);
    for (size_t i = 0; i < f->nchanges; i++)
        free(f->who[i]);
    free(f->changes);
    free(f->who);
    free(f->elements);
    for (size_t i = 0; i < f->nrefused; i++) {
        free(f->refused[i].who);
        free(f->refused[i].why);
    }
    free(f->refused);
    for (size_t i = 0; i < f->nstrings; i++)
        free(f->strings[i]);
    free(f->strings);
    free(f->error);
    memset(f, 0, sizeof *f);
}
