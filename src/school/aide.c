/* The aide à la saisie's table (see aide.h): the embedded TSV parsed once,
 * and the look-ups the command line and the server make in it. */
#include "school/aide.h"

#include "import/nomenclature.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char res_aide_saisie[];
extern const unsigned long res_aide_saisie_len;

/* The embedded data/aide-saisie.tsv; *len its length without the NUL. */
const char *lsu_aide_text(size_t *len)
{
    if (len)
        *len = (size_t)res_aide_saisie_len;
    return (const char *)res_aide_saisie;
}

/* A millésime cell: 0 for an empty one when `empty_ok`, the year when it
 * is four digits within 2000..2100, else -1. */
static int parse_millesime(const char *s, int empty_ok)
{
    if (!*s)
        return empty_ok ? 0 : -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end - s != 4 || v < 2000 || v > 2100)
        return -1;
    return (int)v;
}

/* Splits one line (NUL-terminated, in place) at its tabs into cells[0..max);
 * returns the number of cells found (more than max means too many). */
static size_t split_tabs(char *line, char **cells, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n < max)
            cells[n] = p;
        n++;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

/* Fills one entry from a line's cells; 0, or -1 with why set. */
static int fill_entry(lsu_aide_entry *e, char **cell, int line, char *why, size_t size)
{
    e->edition = cell[0];
    e->debut = parse_millesime(cell[1], 0);
    e->fin = parse_millesime(cell[2], 1);
    e->cycle = (strcmp(cell[3], "2") == 0) ? 2 : (strcmp(cell[3], "3") == 0) ? 3 : 0;
    e->niveau = cell[4];
    e->domaine = cell[5];
    e->theme = cell[6];
    e->libelle = cell[7];
    e->source = cell[8];
    e->line = line;
    const char *bad = NULL;
    if (!*e->edition)
        bad = "édition vide";
    else if (e->debut < 0 || e->fin < 0)
        bad = "millésime invalide (quatre chiffres, fin vide si toujours en vigueur)";
    else if (e->fin && e->fin < e->debut)
        bad = "millésime de fin avant le millésime de début";
    else if (!e->cycle)
        bad = "cycle autre que 2 ou 3";
    else if (*e->niveau && lsu_aide_level_cycle(e->niveau) != e->cycle)
        bad = "niveau absent du cycle";
    else if (!*e->domaine || !*e->theme || !*e->libelle || !*e->source)
        bad = "domaine, thème, libellé ou source vide";
    if (bad) {
        snprintf(why, size, "ligne %d : %s", line, bad);
        return -1;
    }
    return 0;
}

/* See aide.h.  Blank lines and lines starting with '#' are skipped; the
 * first other line must be the header; a CR before a line end is dropped. */
int lsu_aide_parse(const char *text, size_t len, lsu_aide_entry **entries, size_t *n, char **storage, char *why,
                   size_t size)
{
    *entries = NULL;
    *n = 0;
    *storage = NULL;
    char *copy = malloc(len + 1);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    lsu_aide_entry *out = calloc(lines, sizeof *out);
    if (!copy || !out) {
        free(copy);
        free(out);
        snprintf(why, size, "mémoire insuffisante");
        return -1;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    size_t count = 0;
    int header = 0, line = 0;
    char *p = copy;
    while (p < copy + len) {
        char *nl = memchr(p, '\n', (size_t)(copy + len - p));
        char *end = nl ? nl : copy + len;
        *end = '\0';
        if (end > p && end[-1] == '\r')
            end[-1] = '\0';
        line++;
        char *cur = p;
        p = end + 1;
        if (!*cur || *cur == '#')
            continue;
        if (!header) {
            if (strcmp(cur, LSU_AIDE_HEADER) != 0) {
                snprintf(why, size, "ligne %d : en-tête attendu « %s »", line, LSU_AIDE_HEADER);
                goto fail;
            }
            header = 1;
            continue;
        }
        char *cell[LSU_AIDE_COLUMNS];
        size_t nc = split_tabs(cur, cell, LSU_AIDE_COLUMNS);
        if (nc != LSU_AIDE_COLUMNS) {
            snprintf(why, size, "ligne %d : %zu colonnes au lieu de %d", line, nc, LSU_AIDE_COLUMNS);
            goto fail;
        }
        if (fill_entry(&out[count], cell, line, why, size) != 0)
            goto fail;
        count++;
    }
    if (!header) {
        snprintf(why, size, "fichier sans en-tête");
        goto fail;
    }
    *entries = out;
    *n = count;
    *storage = copy;
    return 0;
fail:
    free(copy);
    free(out);
    return -1;
}

static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static lsu_aide_entry *table;
static size_t table_n;
static char *table_storage;
static char table_why[256];
static int table_rc;

/* pthread_once's callback: parses the embedded file into the table. */
static void load_table(void)
{
    size_t len;
    const char *text = lsu_aide_text(&len);
    table_rc = lsu_aide_parse(text, len, &table, &table_n, &table_storage, table_why, sizeof table_why);
}

/* See aide.h.  The table is kept for the life of the process. */
int lsu_aide_table(const lsu_aide_entry **entries, size_t *n, char *why, size_t size)
{
    pthread_once(&table_once, load_table);
    *entries = table;
    *n = table_n;
    if (table_rc != 0 && why)
        snprintf(why, size, "%s", table_why);
    return table_rc;
}

const char *const lsu_aide_domains[] = {"FRA-LGO", "FRA-LEC", "FRA-ECR", "FRA-ETL", "MAT-NBC", "MAT-GDM",
                                        "MAT-GEO", "EPS-RAC", "ART-PLA", "ART-MUS", "ART-HAR", "QLM-VMO",
                                        "QLM-ETP", "STC-RAC", "HIG-RAC", "EMC-RAC", "LGV-RAC", NULL};

/* See aide.h: the language sub-domains (LGV-*) are those of files before
 * 2017 (FORMAT.md §3), the language domain itself takes the éléments. */
int lsu_aide_domain_ok(const char *code, int cycle)
{
    const lsu_domain *d = code ? lsu_domain_find(code) : NULL;
    if (!d || (cycle != 2 && cycle != 3) || !(d->cycles & LSU_CYCLE_BIT(cycle)))
        return 0;
    if (d->parent)
        return strcmp(d->parent, "LGV-RAC") != 0;
    static const char *const with_subdomains[] = {"FRA-RAC", "MAT-RAC", "ART-RAC", "QLM-RAC"};
    for (size_t i = 0; i < sizeof with_subdomains / sizeof *with_subdomains; i++)
        if (strcmp(code, with_subdomains[i]) == 0)
            return 0;
    return 1;
}

/* See aide.h. */
int lsu_aide_level_cycle(const char *niveau)
{
    static const char *const levels[] = {"CP", "CE1", "CE2", "CM1", "CM2"};
    for (size_t i = 0; niveau && i < 5; i++)
        if (strcmp(niveau, levels[i]) == 0)
            return i < 3 ? 2 : 3;
    return 0;
}

/* See aide.h. */
int lsu_aide_in_force(const lsu_aide_entry *e, int millesime)
{
    return millesime >= e->debut && (!e->fin || millesime <= e->fin);
}

/* See aide.h. */
long lsu_aide_find(int cycle, const char *niveau, const char *domaine, int millesime, const lsu_aide_entry **out,
                   size_t max)
{
    const lsu_aide_entry *all;
    size_t n;
    if (lsu_aide_table(&all, &n, NULL, 0) != 0)
        return -1;
    long found = 0;
    for (size_t i = 0; i < n; i++) {
        const lsu_aide_entry *e = &all[i];
        if (e->cycle != cycle || !lsu_aide_in_force(e, millesime))
            continue;
        if (domaine && strcmp(e->domaine, domaine) != 0)
            continue;
        if (niveau && *niveau && *e->niveau && strcmp(e->niveau, niveau) != 0)
            continue;
        if ((size_t)found < max)
            out[found] = e;
        found++;
    }
    return found;
}
