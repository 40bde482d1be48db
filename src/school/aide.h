/* The « aide à la saisie » (issue 13, ENTRY-AND-WEB.md §B.1, §B.4 item 3):
 * the suggested éléments du programme per cycle, level and LSU domain or
 * sub-domain, taken from the official programmes of each school year.
 * The data is data/aide-saisie.tsv (docs/AIDE-SAISIE.md), embedded in the
 * binary at build time and parsed once; this part never prints. */
#ifndef LSU_AIDE_H
#define LSU_AIDE_H

#include <stddef.h>

/* One line of the file.  Strings point into the parsed table and live as
 * long as the process. */
typedef struct {
    const char *edition; /* the programme's edition: "2020", "2023", "2024" */
    int debut, fin;      /* first and last millésime in force (fin 0: still in force) */
    int cycle;           /* 2 or 3 */
    const char *niveau;  /* "CP" … "CM2", or "" for the whole cycle */
    const char *domaine; /* LSU code of the domain or sub-domain that takes éléments */
    const char *theme;   /* the programme's heading the proposal sits under */
    const char *libelle; /* the proposal, at most 300 code points */
    const char *source;  /* BO reference, NOR, programme heading */
    int line;            /* its line in data/aide-saisie.tsv */
} lsu_aide_entry;

/* Number of columns of a line, and the header line the file starts with
 * (after its comment lines, which start with '#'). */
#define LSU_AIDE_COLUMNS 9
#define LSU_AIDE_HEADER "edition\tmillesime_debut\tmillesime_fin\tcycle\tniveau\tdomaine\ttheme\tlibelle\tsource"

/* The raw embedded file (NUL-terminated) and its length. */
const char *lsu_aide_text(size_t *len);

/* Parses a text in the file's format into a new array of entries (strings
 * inside *storage, one block; caller frees both with free()).  0, or -1
 * with the first problem in why (French, with its line number): header,
 * column count, cycle, millésimes, empty domain or text. */
int lsu_aide_parse(const char *text, size_t len, lsu_aide_entry **entries, size_t *n, char **storage, char *why,
                   size_t size);

/* The embedded table, parsed on the first call (thread-safe) and kept.
 * 0, or -1 when the embedded file does not parse (why says where). */
int lsu_aide_table(const lsu_aide_entry **entries, size_t *n, char *why, size_t size);

/* Is `code` a domain or sub-domain that takes éléments du programme in
 * this cycle (a sub-domain, or a domain without sub-domains; never the
 * language sub-domains used before 2017)? */
int lsu_aide_domain_ok(const char *code, int cycle);

/* The codes that take éléments, in the nomenclature's order (the order
 * of a listing), NULL-terminated. */
extern const char *const lsu_aide_domains[];

/* The cycle of a level ("CE1" gives 2, "CM2" 3), 0 when not a level of
 * the école. */
int lsu_aide_level_cycle(const char *niveau);

/* Is the entry in force in the school year starting in `millesime`? */
int lsu_aide_in_force(const lsu_aide_entry *e, int millesime);

/* The entries of cycle `cycle`, in force in `millesime`, for `domaine`
 * (NULL: every domain), for `niveau` (NULL or "": every level; else the
 * level's own entries and the whole-cycle ones), in file order.  Fills
 * out[0..max) and returns how many match (possibly more than max); -1
 * when the embedded table does not parse. */
long lsu_aide_find(int cycle, const char *niveau, const char *domaine, int millesime, const lsu_aide_entry **out,
                   size_t max);

#endif
