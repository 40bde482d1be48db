/* Unit tests of the aide à la saisie: every line of the embedded
 * data/aide-saisie.tsv checked on its own terms (read here from the raw
 * bytes, not through the library's parser), then the parser's refusals and
 * lsu_aide_find's choice of lines by cycle, level, domain and year. */
#include "school/aide.h"
#include "base/util.h"
#include "import/nomenclature.h"
#include "test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 4096

typedef struct {
    char *cell[LSU_AIDE_COLUMNS];
    int line, debut, fin, cycle;
} raw_line;

/* 1 when s is valid UTF-8 throughout. */
static int valid_utf8(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lsu_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* 1 when s has no space, tab or no-break space at either end. */
static int trimmed(const char *s)
{
    size_t n = strlen(s);
    if (!n)
        return 1;
    if (s[0] == ' ' || s[n - 1] == ' ')
        return 0;
    if (strncmp(s, "\xC2\xA0", 2) == 0 || (n >= 2 && strcmp(s + n - 2, "\xC2\xA0") == 0))
        return 0;
    return 1;
}

/* A millésime cell: the year, 0 for an empty one, -1 when malformed. */
static int year_of(const char *s)
{
    if (!*s)
        return 0;
    if (strlen(s) != 4)
        return -1;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    int y = (int)strtol(s, NULL, 10);
    return y >= 2015 && y <= 2100 ? y : -1;
}

/* The level's cycle, 0 when not a level. */
static int cycle_of_level(const char *n)
{
    if (!strcmp(n, "CP") || !strcmp(n, "CE1") || !strcmp(n, "CE2"))
        return 2;
    if (!strcmp(n, "CM1") || !strcmp(n, "CM2"))
        return 3;
    return 0;
}

/* Checks one line's cells; returns the problem or NULL. */
static const char *line_problem(raw_line *r)
{
    char **c = r->cell;
    r->debut = year_of(c[1]);
    r->fin = year_of(c[2]);
    r->cycle = !strcmp(c[3], "2") ? 2 : !strcmp(c[3], "3") ? 3 : 0;
    for (int i = 0; i < LSU_AIDE_COLUMNS; i++)
        if (!valid_utf8(c[i]) || !trimmed(c[i]) || strchr(c[i], '\r'))
            return "cellule en UTF-8 invalide ou avec des blancs aux extrémités";
    if (!*c[0] || !*c[6] || !*c[7] || !*c[8])
        return "édition, thème, libellé ou source vide";
    if (r->debut <= 0 || r->fin < 0)
        return "millésime invalide";
    if (r->fin && r->fin < r->debut)
        return "millésimes dans le désordre";
    if (!r->cycle)
        return "cycle autre que 2 ou 3";
    if (*c[4] && cycle_of_level(c[4]) != r->cycle)
        return "niveau d'un autre cycle";
    const lsu_domain *d = lsu_domain_find(c[5]);
    if (!d || !(d->cycles & LSU_CYCLE_BIT(r->cycle)))
        return "domaine inconnu de la nomenclature pour ce cycle";
    if (!lsu_aide_domain_ok(c[5], r->cycle))
        return "domaine qui ne reçoit pas d'éléments (domaine à sous-domaines ou ancien sous-domaine de langue)";
    if (lsu_utf8_length(c[7]) > 300)
        return "libellé de plus de 300 caractères";
    if (strstr(c[7], "  ") || strstr(c[6], "  "))
        return "double espace";
    return NULL;
}

/* Splits the embedded file into raw lines; returns how many data lines,
 * -1 on a structural problem (reported). */
static int read_raw(char *copy, raw_line *lines, int max)
{
    int n = 0, lineno = 0, header = 0;
    char *p = copy;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (!nl) {
            expect(0, "aide file ends with a line feed", NULL);
            return -1;
        }
        *nl = '\0';
        lineno++;
        char *cur = p;
        p = nl + 1;
        if (*cur == '#')
            continue;
        if (!header) {
            header = 1;
            if (!expect_str(cur, LSU_AIDE_HEADER, "aide header line"))
                return -1;
            continue;
        }
        if (*cur == '\0') {
            test_reportf(0, "aide", "no blank line", "line %d is blank", lineno);
            return -1;
        }
        if (n == max)
            return -1;
        raw_line *r = &lines[n];
        r->line = lineno;
        int k = 0;
        char *q = cur;
        for (;;) {
            char *tab = strchr(q, '\t');
            if (k < LSU_AIDE_COLUMNS)
                r->cell[k] = q;
            k++;
            if (!tab)
                break;
            *tab = '\0';
            q = tab + 1;
        }
        if (k != LSU_AIDE_COLUMNS) {
            test_reportf(0, "aide", "column count", "line %d: %d columns", lineno, k);
            return -1;
        }
        n++;
    }
    return n;
}

/* Do lines a and b say the same thing in the same place? */
static int same_place(const raw_line *a, const raw_line *b)
{
    for (int i = 0; i < LSU_AIDE_COLUMNS; i++)
        if (i != 1 && i != 2 && i != 6 && i != 8 && strcmp(a->cell[i], b->cell[i]) != 0)
            return 0;
    return 1;
}

/* Do two editions of one domain apply to one level in one year? */
static int editions_overlap(const raw_line *a, const raw_line *b)
{
    if (strcmp(a->cell[0], b->cell[0]) == 0 || a->cycle != b->cycle || strcmp(a->cell[5], b->cell[5]) != 0)
        return 0;
    if (*a->cell[4] && *b->cell[4] && strcmp(a->cell[4], b->cell[4]) != 0)
        return 0;
    int a_end = a->fin ? a->fin : 9999, b_end = b->fin ? b->fin : 9999;
    return a->debut <= b_end && b->debut <= a_end;
}

/* Group "aide-lines": every line of the embedded file. */
void test_aide_lines(void)
{
    size_t len;
    const char *text = lsu_aide_text(&len);
    expect(len > 0 && strlen(text) == len, "aide file embedded, no NUL inside", NULL);
    char *copy = malloc(len + 1);
    raw_line *lines = calloc(MAX_LINES, sizeof *lines);
    if (!copy || !lines) {
        free(copy);
        free(lines);
        expect(0, "aide memory", NULL);
        return;
    }
    memcpy(copy, text, len + 1);
    int n = read_raw(copy, lines, MAX_LINES);
    expect(n >= 300, "aide file has several hundred proposals", NULL);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        const char *why = line_problem(&lines[i]);
        if (why) {
            test_reportf(0, "aide", "line", "line %d: %s", lines[i].line, why);
            bad++;
        }
    }
    expect(n > 0 && bad == 0, "aide every line valid (columns, cycle, level, domain, text, millésimes, source)", NULL);
    int dup = 0, overlap = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            if (same_place(&lines[i], &lines[j])) {
                test_reportf(0, "aide", "duplicate",
                             "lines %d and %d: same text in the same edition, cycle, "
                             "level and domain",
                             lines[i].line, lines[j].line);
                dup++;
            }
            if (editions_overlap(&lines[i], &lines[j]) && overlap++ < 3)
                test_reportf(0, "aide", "editions", "lines %d and %d: two editions in force the same year",
                             lines[i].line, lines[j].line);
        }
    expect(n > 0 && dup == 0, "aide no duplicate within (edition, cycle, level, domain)", NULL);
    expect(n > 0 && overlap == 0, "aide one edition per domain, level and year", NULL);

    const lsu_aide_entry *all;
    size_t total;
    char why[256] = "";
    int rc = lsu_aide_table(&all, &total, why, sizeof why);
    test_reportf(rc == 0 && (int)total == n, "aide", "table parsed, one entry per line",
                 "rc %d, %zu entries, "
                 "%d lines: %s",
                 rc, total, n, why);
    int same = rc == 0 && (int)total == n;
    for (int i = 0; same && i < n; i++)
        same = all[i].line == lines[i].line && strcmp(all[i].libelle, lines[i].cell[7]) == 0 &&
               all[i].debut == lines[i].debut && all[i].fin == lines[i].fin;
    expect(same, "aide table matches the raw lines", NULL);
    free(copy);
    free(lines);
}

/* Parses text and expects a refusal naming `line`. */
static void expect_refused(const char *text, const char *line, const char *name)
{
    lsu_aide_entry *e;
    size_t n;
    char *storage;
    char why[256] = "";
    int rc = lsu_aide_parse(text, strlen(text), &e, &n, &storage, why, sizeof why);
    test_reportf(rc == -1 && strstr(why, line) != NULL, "aide", name, "rc %d, why [%s]", rc, why);
    if (rc == 0) {
        free(e);
        free(storage);
    }
}

/* Every entry of out[0..n) is of that cycle, domain and level (or the
 * whole cycle), in force that year, in file order. */
static int all_match(const lsu_aide_entry **out, long n, int cycle, const char *niveau, const char *dom, int year)
{
    for (long i = 0; i < n; i++) {
        const lsu_aide_entry *e = out[i];
        if (e->cycle != cycle || strcmp(e->domaine, dom) != 0 || !lsu_aide_in_force(e, year) ||
            (*e->niveau && strcmp(e->niveau, niveau) != 0) || (i && out[i - 1]->line >= e->line))
            return 0;
    }
    return 1;
}

/* How many proposals for (cycle, level, domain, year), -1 unless they all
 * belong to `edition` (and there is at least one). */
static long count_edition(int cycle, const char *niveau, const char *dom, int year, const char *edition)
{
    const lsu_aide_entry *out[512];
    long n = lsu_aide_find(cycle, niveau, dom, year, out, 512);
    if (n <= 0 || n > 512 || !all_match(out, n, cycle, niveau, dom, year))
        return -1;
    for (long i = 0; i < n; i++)
        if (strcmp(out[i]->edition, edition) != 0)
            return -1;
    return n;
}

/* Whether lsu_aide_find offers, for (cycle, level, domain, year), a line
 * of `edition` with exactly that libellé. */
static int offers(int cycle, const char *niveau, const char *dom, int year, const char *edition, const char *libelle)
{
    const lsu_aide_entry *out[512];
    long n = lsu_aide_find(cycle, niveau, dom, year, out, 512);
    for (long i = 0; i < n && i < 512; i++)
        if (strcmp(out[i]->edition, edition) == 0 && strcmp(out[i]->libelle, libelle) == 0)
            return 1;
    return 0;
}

/* Group "aide-find": the parser's refusals and the look-ups. */
void test_aide_find(void)
{
#define H LSU_AIDE_HEADER "\n"
    expect_refused("edition\tcycle\n", "ligne 1", "refuses a bad header");
    expect_refused("# commentaire\n", "sans en-tête", "refuses a file without header");
    expect_refused(H "2020\t2020\t\t2\t\tFRA-LEC\tT\tL\n", "ligne 2", "refuses 8 columns");
    expect_refused(H "# c\n2020\t2020\t\t4\t\tFRA-LEC\tT\tL\tS\n", "ligne 3", "refuses cycle 4");
    expect_refused(H "2020\t2022\t2021\t2\t\tFRA-LEC\tT\tL\tS\n", "ligne 2", "refuses fin before debut");
    expect_refused(H "2020\t20\t\t2\t\tFRA-LEC\tT\tL\tS\n", "ligne 2", "refuses a short millésime");
    expect_refused(H "2020\t2020\t\t2\tCM1\tFRA-LEC\tT\tL\tS\n", "ligne 2", "refuses a level of another cycle");
    expect_refused(H "2020\t2020\t\t2\t\tFRA-LEC\tT\t\tS\n", "ligne 2", "refuses an empty text");
    {
        lsu_aide_entry *e;
        size_t n;
        char *storage;
        char why[256];
        const char *ok = "# c\r\n" H "2020\t2020\t\t2\t\tFRA-LEC\tT\tL\tS\r\n\n";
        int rc = lsu_aide_parse(ok, strlen(ok), &e, &n, &storage, why, sizeof why);
        expect(rc == 0 && n == 1 && strcmp(e[0].source, "S") == 0 && e[0].line == 3 && e[0].fin == 0,
               "aide parse CRLF, comments, blank lines", NULL);
        if (rc == 0) {
            free(e);
            free(storage);
        }
    }
#undef H
    expect(lsu_aide_domain_ok("FRA-LEC", 2) && !lsu_aide_domain_ok("FRA-RAC", 2) && lsu_aide_domain_ok("LGV-RAC", 3) &&
               !lsu_aide_domain_ok("LGV-ECO", 3) && !lsu_aide_domain_ok("STC-RAC", 2) &&
               !lsu_aide_domain_ok("ART-HAR", 2) && lsu_aide_domain_ok("ART-HAR", 3) &&
               !lsu_aide_domain_ok("QLM-VMO", 3) && !lsu_aide_domain_ok("XXX-RAC", 2),
           "aide domains that take éléments", NULL);
    expect(lsu_aide_level_cycle("CE2") == 2 && lsu_aide_level_cycle("CM1") == 3 && lsu_aide_level_cycle("6E") == 0,
           "aide level cycles", NULL);

    const lsu_aide_entry *out[512];
    long n = lsu_aide_find(2, "CE1", "FRA-LEC", 2024, out, 512);
    expect(n > 5 && all_match(out, n, 2, "CE1", "FRA-LEC", 2024), "aide find CE1 FRA-LEC 2024-2025", NULL);
    expect(
        count_edition(2, "CE1", "FRA-LEC", 2024, "2020") > 5 && count_edition(2, "CE1", "FRA-LEC", 2025, "2024") > 0 &&
            count_edition(2, "CE1", "FRA-LEC", 2026, "2024") > 0 && count_edition(2, "CP", "MAT-NBC", 2026, "2024") > 0,
        "aide find cycle 2 français, mathématiques: 2020 edition until 2024-2025, 2024 programme after", NULL);
    expect(lsu_aide_find(2, "CE1", "QLM-VMO", 2025, out, 512) > 0, "aide find QLM still in force in 2025", NULL);
    static const struct {
        const char *level;
        int cycle, first;
    } emc[] = {{"CP", 2, 2024}, {"CE1", 2, 2025}, {"CE2", 2, 2026}, {"CM1", 3, 2024}, {"CM2", 3, 2025}};
    int emc_ok = 1;
    for (size_t i = 0; i < sizeof emc / sizeof emc[0]; i++)
        if (count_edition(emc[i].cycle, emc[i].level, "EMC-RAC", emc[i].first - 1, "2018") <= 0 ||
            count_edition(emc[i].cycle, emc[i].level, "EMC-RAC", emc[i].first, "2024") <= 0) {
            test_reportf(0, "aide", "find EMC", "%s: not 2018 edition in %d then 2024 edition in %d", emc[i].level,
                         emc[i].first - 1, emc[i].first);
            emc_ok = 0;
        }
    expect(emc_ok, "aide find EMC per level (2024 programme: CP, CM1 2024; CE1, CM2 2025; CE2 2026)", NULL);
    expect(count_edition(3, "CM1", "FRA-LEC", 2024, "2020") > 0 &&
               lsu_aide_find(3, "CM1", "FRA-LEC", 2025, out, 512) == 0 &&
               lsu_aide_find(3, "CM2", "FRA-LEC", 2026, out, 512) == 0,
           "aide find cycle 3 français: 2020 edition until CM1 2024, CM2 2025 (2025 programme not transcribed)", NULL);
    expect(count_edition(3, "CM1", "MAT-NBC", 2024, "2020") > 0 &&
               count_edition(3, "CM1", "MAT-NBC", 2025, "2025") > 0 &&
               count_edition(3, "CM2", "MAT-NBC", 2025, "2020") > 0 &&
               count_edition(3, "CM2", "MAT-NBC", 2026, "2025") > 0 &&
               count_edition(3, "CM2", "MAT-GEO", 2026, "2025") > 0,
           "aide find cycle 3 mathématiques: 2020 edition until CM1 2024, CM2 2025; 2025 programme after", NULL);
    expect(
        offers(2, "CE1", "MAT-NBC", 2026, "2024", "Connaitre dans les deux sens les tables de multiplication") &&
            !offers(2, "CE1", "MAT-NBC", 2024, "2024", "Connaitre dans les deux sens les tables de multiplication") &&
            !offers(2, "CP", "MAT-NBC", 2026, "2024", "Connaitre dans les deux sens les tables de multiplication"),
        "aide find a cycle 2 objectif of 2024 for CE1 from 2025-2026, not before nor for CP", NULL);
    static const char multiples[] = "Déterminer des multiples communs à deux nombres entiers inférieurs à 15";
    expect(offers(3, "CM2", "MAT-NBC", 2026, "2025", multiples) &&
               !offers(3, "CM2", "MAT-NBC", 2025, "2025", multiples) &&
               !offers(3, "CM1", "MAT-NBC", 2026, "2025", multiples) &&
               offers(3, "CM1", "MAT-GEO", 2025, "2025",
                      "Utiliser les outils géométriques usuels : règle, règle graduée, équerre et compas"),
           "aide find cycle 3 objectifs of 2025: CM1 from 2025-2026, CM2 from 2026-2027", NULL);
    n = lsu_aide_find(3, "CM1", "HIG-RAC", 2024, out, 512);
    int cm2 = 0, whole = 0, cm1 = 0;
    for (long i = 0; i < n && i < 512; i++) {
        cm2 += strcmp(out[i]->niveau, "CM2") == 0;
        whole += out[i]->niveau[0] == '\0';
        cm1 += strcmp(out[i]->niveau, "CM1") == 0;
    }
    expect(cm2 == 0 && whole > 0 && cm1 > 0 && all_match(out, n, 3, "CM1", "HIG-RAC", 2024),
           "aide find CM1 HIG: CM1 and whole-cycle lines, no CM2", NULL);
    long all_levels = lsu_aide_find(3, NULL, "HIG-RAC", 2024, out, 512);
    expect(all_levels > n, "aide find without a level: every level", NULL);
    long stc22 = lsu_aide_find(3, "CM2", "STC-RAC", 2022, out, 512);
    int ed2020 = stc22 > 0 && strcmp(out[0]->edition, "2020") == 0;
    long stc23 = lsu_aide_find(3, "CM2", "STC-RAC", 2023, out, 512);
    int ed2023 = stc23 > 0 && strcmp(out[0]->edition, "2023") == 0;
    expect(ed2020 && ed2023, "aide find sciences: 2020 edition until 2022-2023, 2023 edition from 2023-2024", NULL);
    expect(lsu_aide_find(3, NULL, "FRA-LGO", 2019, out, 512) == 0, "aide find nothing before 2020", NULL);
    long some = lsu_aide_find(2, NULL, NULL, 2024, out, 3);
    expect(some > 3, "aide find counts beyond max", NULL);
}
