/* lsu aide: prints the aide à la saisie (school/aide.h) for a cycle, a
 * level, a domain and a school year, grouped by domain and thème as the
 * guide's « Propositions de connaissances et compétences travaillées ». */
#include "cli/cli_int.h"
#include "import/nomenclature.h"
#include "school/aide.h"
#include "school/periods.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    long cycle, year;
    const char *level, *domain;
    unsigned levels;                  /* --level as a set of levels (lsu_class_levels) */
    const char *single;               /* the one level of --level, NULL for several */
    char level_up[32], domain_up[16]; /* --level as printed: "CE1", "CP et CE1" */
    int cycles[2], ncycles;
} aide_args;

/* A copy of s in capitals into out (cut to size). */
static void upper_copy(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = (char)toupper((unsigned char)s[i]);
    out[i] = '\0';
}

/* "CP et CE1" for a set of levels, into out. */
static void level_names(unsigned levels, char *out, size_t size)
{
    static const char *const names[] = {"CP", "CE1", "CE2", "CM1", "CM2"};
    lsu_buf b = {0};
    int n = 0, total = 0;
    for (int i = 0; i < 5; i++)
        total += (levels >> i) & 1u;
    for (int i = 0; i < 5; i++)
        if ((levels >> i) & 1u) {
            n++;
            lsu_buf_printf(&b, "%s%s", n == 1 ? "" : n == total ? " et " : ", ", names[i]);
        }
    snprintf(out, size, "%s", b.data && !b.failed ? b.data : "");
    lsu_buf_free(&b);
}

/* Keeps, in order, the entries of found[0..n) for the whole cycle or for
 * one of `levels` (0: keeps them all); returns how many are kept. */
static long keep_levels(const lsu_aide_entry **found, long n, unsigned levels)
{
    if (!levels || n <= 0)
        return n;
    long kept = 0;
    for (long i = 0; i < n; i++)
        if (!*found[i]->niveau || (lsu_class_levels(found[i]->niveau) & levels))
            found[kept++] = found[i];
    return kept;
}

/* Is `code` asked for: equal to --domain, or --domain is its parent. */
static int domain_wanted(const char *code, const char *asked)
{
    if (!asked)
        return 1;
    if (strcmp(code, asked) == 0)
        return 1;
    const lsu_domain *d = lsu_domain_find(code);
    return d && d->parent && strcmp(d->parent, asked) == 0;
}

/* The cycles --domain exists in that take éléments (itself or its
 * sub-domains), as a bit set. */
static unsigned domain_cycles(const char *asked)
{
    unsigned bits = 0;
    for (size_t i = 0; lsu_aide_domains[i]; i++)
        for (int cy = 2; cy <= 3; cy++)
            if (domain_wanted(lsu_aide_domains[i], asked) && lsu_aide_domain_ok(lsu_aide_domains[i], cy))
                bits |= LSU_CYCLE_BIT(cy);
    return bits;
}

/* The options checked together: a level of the cycle, a domain of it;
 * the cycles to print.  An exit status. */
static int check_aide(void *args, cli_ctx *c)
{
    aide_args *a = args;
    if (c->npos > 0) {
        cli_usage_error(c->err, "lsu aide ne prend pas d'argument « %s »", c->pos[0]);
        return LSU_EXIT_USAGE;
    }
    int level_cycle = 0;
    if (a->level) {
        a->levels = lsu_class_levels(a->level);
        if (!a->levels) {
            cli_error(c->err, "--level : niveau « %s » inconnu (CP, CE1, CE2, CM1, CM2)", a->level);
            return LSU_EXIT_USAGE;
        }
        if (!*lsu_class_cycle(a->level)) {
            cli_error(c->err, "--level %s : niveaux de deux cycles ; choisissez l'un d'eux", a->level);
            return LSU_EXIT_USAGE;
        }
        level_cycle = lsu_class_cycle(a->level)[0] - '0';
        a->single = *lsu_class_level(a->level) ? lsu_class_level(a->level) : NULL;
        level_names(a->levels, a->level_up, sizeof a->level_up);
        if (a->cycle && a->cycle != level_cycle) {
            cli_error(c->err, "--level %s : %s du cycle %d, pas du cycle %ld", a->single ? a->single : a->level,
                      a->single ? "niveau" : "niveaux", level_cycle, a->cycle);
            return LSU_EXIT_USAGE;
        }
    }
    unsigned bits = LSU_CYCLE_BIT(2) | LSU_CYCLE_BIT(3);
    if (a->domain) {
        upper_copy(a->domain, a->domain_up, sizeof a->domain_up);
        bits = domain_cycles(a->domain_up);
        const lsu_domain *d = lsu_domain_find(a->domain_up);
        if (!bits && d && d->parent && strcmp(d->parent, "LGV-RAC") == 0) {
            cli_error(c->err,
                      "--domain %s : sous-domaine de langue des fichiers d'avant 2017 ; les éléments du programme "
                      "de langue vivante vont sur LGV-RAC",
                      a->domain_up);
            return LSU_EXIT_USAGE;
        }
        if (!bits) {
            cli_error(c->err,
                      "--domain : domaine « %s » inconnu ou sans éléments du programme (FRA-LGO, FRA-LEC, "
                      "FRA-ECR, FRA-ETL, MAT-NBC, MAT-GDM, MAT-GEO, EPS-RAC, ART-PLA, ART-MUS, ART-HAR, "
                      "QLM-VMO, QLM-ETP, STC-RAC, HIG-RAC, EMC-RAC, LGV-RAC ; ou FRA-RAC, MAT-RAC, ART-RAC, "
                      "QLM-RAC pour tous leurs sous-domaines)",
                      a->domain);
            return LSU_EXIT_USAGE;
        }
    }
    int want = a->cycle ? (int)a->cycle : level_cycle;
    if (want && !(bits & LSU_CYCLE_BIT(want))) {
        cli_error(c->err, "--domain %s : domaine du cycle %d, pas du cycle %d", a->domain_up, want == 2 ? 3 : 2, want);
        return LSU_EXIT_USAGE;
    }
    for (int cy = 2; cy <= 3; cy++)
        if ((!want || want == cy) && (bits & LSU_CYCLE_BIT(cy)))
            a->cycles[a->ncycles++] = cy;
    if (!a->year)
        a->year = lsu_school_year_of((long)(lsu_run_time() / 86400));
    return 0;
}

/* Is entry x printed under the same heading as entry y (same thème, and
 * same level when the listing covers several)? */
static int same_group(const lsu_aide_entry *x, const lsu_aide_entry *y)
{
    return strcmp(x->theme, y->theme) == 0 && strcmp(x->niveau, y->niveau) == 0;
}

/* Appends one domain's proposals: the guide's heading, then each thème
 * (in the order of its first proposal) with its proposals, then the
 * sources.  `e[0..n)` are the domain's entries in file order. */
static void print_domain(lsu_buf *b, const aide_args *a, int cycle, const char *code, const lsu_aide_entry **e,
                         size_t n)
{
    lsu_buf_printf(b, "Propositions de connaissances et compétences travaillées en « %s » pour ",
                   lsu_code_label("domaine", code));
    if (a->single)
        lsu_buf_printf(b, "le niveau %s :\n", a->level_up);
    else if (a->level)
        lsu_buf_printf(b, "les niveaux %s :\n", a->level_up);
    else
        lsu_buf_printf(b, "le cycle %d :\n", cycle);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && !same_group(e[j], e[i]))
            j++;
        if (j < i)
            continue; /* its thème is printed already */
        if (*e[i]->niveau && !a->single)
            lsu_buf_printf(b, "  %s (%s)\n", e[i]->theme, e[i]->niveau);
        else
            lsu_buf_printf(b, "  %s\n", e[i]->theme);
        for (size_t k = i; k < n; k++)
            if (same_group(e[k], e[i]))
                lsu_buf_printf(b, "    + %s\n", e[k]->libelle);
    }
    lsu_buf_puts(b, "  Source");
    size_t nsources = 0;
    for (size_t i = 0; i < n; i++)
        nsources += strcmp(e[i]->source, e[0]->source) != 0;
    lsu_buf_puts(b, nsources ? "s :\n" : " : ");
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && strcmp(e[j]->source, e[i]->source) != 0)
            j++;
        if (j == i)
            lsu_buf_printf(b, "%s%s\n", nsources ? "    " : "", e[i]->source);
    }
}

/* `lsu aide`: the proposals of the asked cycles, level and domains in
 * force in the asked school year. */
static int run_aide(void *args, cli_ctx *c)
{
    aide_args *a = args;
    const lsu_aide_entry *all;
    size_t total;
    char why[256];
    if (lsu_aide_table(&all, &total, why, sizeof why) != 0) {
        cli_error(c->err, "aide à la saisie illisible : %s", why);
        return LSU_EXIT_INTERNAL;
    }
    const lsu_aide_entry **found = calloc(total ? total : 1, sizeof(const lsu_aide_entry *));
    if (!found) {
        cli_error(c->err, "mémoire insuffisante");
        return LSU_EXIT_INTERNAL;
    }
    lsu_buf b = {0};
    long printed = 0;
    lsu_buf_printf(&b, "Aide à la saisie, programmes en vigueur en %ld-%ld.\n", a->year, a->year + 1);
    for (int ic = 0; ic < a->ncycles; ic++) {
        int cy = a->cycles[ic];
        for (size_t d = 0; lsu_aide_domains[d]; d++) {
            const char *code = lsu_aide_domains[d];
            if (!lsu_aide_domain_ok(code, cy) || !domain_wanted(code, a->domain ? a->domain_up : NULL))
                continue;
            long n = lsu_aide_find(cy, a->single, code, (int)a->year, found, total);
            n = keep_levels(found, n, a->single ? 0 : a->levels);
            if (n <= 0)
                continue;
            lsu_buf_puts(&b, "\n");
            print_domain(&b, a, cy, code, found, (size_t)n);
            printed += n;
        }
    }
    int first = 0;
    for (size_t i = 0; i < total; i++)
        if (!first || all[i].debut < first)
            first = all[i].debut;
    if (!printed && a->year < first)
        lsu_buf_printf(&b,
                       "Aucune proposition en %ld-%ld : l'aide à la saisie couvre les programmes en vigueur "
                       "depuis la rentrée %d.\n",
                       a->year, a->year + 1, first);
    else if (!printed)
        lsu_buf_printf(&b,
                       "Aucune proposition pour cette sélection en %ld-%ld : les programmes qui s'y appliquent "
                       "ne sont pas encore transcrits dans l'aide à la saisie (docs/AIDE-SAISIE.md).\n",
                       a->year, a->year + 1);
    free(found);
    int rc = print_buf(&b, c->out, LSU_EXIT_OK);
    if (rc != LSU_EXIT_OK)
        cli_error(c->err, "écriture impossible sur la sortie standard");
    lsu_buf_free(&b);
    return rc;
}

static const cli_option aide_options[] = {
    CLI_INT("cycle", 0, "2|3", offsetof(aide_args, cycle), "seulement ce cycle", 2, 3,
            "--cycle : « %s » n'est pas un cycle de l'école (2 ou 3)"),
    CLI_STRING("level", 0, "NIVEAU", offsetof(aide_args, level),
               "ce niveau (CP, CE1, CE2, CM1, CM2) ou ceux d'une classe (CP-CE1) : leurs propositions et celles du "
               "cycle"),
    CLI_STRING("domain", 0, "CODE", offsetof(aide_args, domain),
               "seulement ce domaine ou sous-domaine (FRA-LEC, MAT-NBC… ; FRA-RAC : tous ses sous-domaines)"),
    CLI_INT("year", 0, "ANNÉE", offsetof(aide_args, year),
            "l'année scolaire (2025 pour 2025-2026 ; défaut : l'année en cours)", 2000, 2100,
            "--year : « %s » n'est pas une année (2025 pour 2025-2026)"),
    CLI_END,
};
static const cli_option *const aide_tables[] = {aide_options, NULL};

const cli_spec cmd_aide_spec = {
    .run = run_aide,
    .tables = aide_tables,
    .args_size = sizeof(aide_args),
    .check = check_aide,
    .usage = "lsu aide [--cycle 2|3] [--level NIVEAU] [--domain CODE] [--year ANNÉE]",
    .summary = "Aide à la saisie : les éléments du programme proposés pour un cycle, un niveau et un domaine, "
               "d'après les programmes officiels en vigueur dans l'année scolaire.",
};
