/* The periods an export declares, for `lsu periods --from` (see
 * periods.h): the file parsed as the pipeline's first stage does, its
 * periodes read from the raw tree. */
#include "lsu.h"
#include "school/periods.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads attribute `name` of n as a whole number in [min, max] into *v;
 * 0, or -1 when it is absent or no such number. */
static int read_number(xmlNodePtr n, const char *name, long min, long max, long *v)
{
    const char *s = lsu_attr(n, name);
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    *v = strtol(s, &end, 10);
    return errno || *end || *v < min || *v > max ? -1 : 0;
}

/* Why the parse of f failed: its first diagnostic, into why. */
static void parse_failure(lsu_file *f, char *why, size_t size)
{
    lsu_diag_sort(&f->diags);
    const lsu_diag *d = f->diags.len ? &f->diags.items[0] : NULL;
    if (!d || !d->message)
        snprintf(why, size, "%s : illisible", f->path);
    else if (d->line > 0)
        snprintf(why, size, "%s:%ld : %s", f->path, d->line, d->message);
    else
        snprintf(why, size, "%s : %s", f->path, d->message);
}

/* Reads the periodes of root (the raw tree of `path`) of `kind` into out;
 * see lsu_periods_from_export. */
static int export_periods(const char *path, xmlNodePtr root, const char *kind, lsu_export_periods *out, char *why,
                          size_t size)
{
    if (!root || strcmp((const char *)root->name, "lsun-bilans") != 0) {
        snprintf(why, size, "%s n'est pas un export LSU (pas d'élément <lsun-bilans>)", path);
        return -1;
    }
    long want = !kind ? 0 : strcmp(kind, "trimestre") == 0 ? 3 : 2, nb_seen = 0, year = -1;
    xmlNodePtr by_index[LSU_MAX_PERIODS + 1] = {0};
    size_t declared = 0;
    for (xmlNodePtr p = lsu_child(lsu_child(lsu_child(root, "donnees"), "periodes"), "periode"); p;
         p = lsu_next_same(p)) {
        long m, i, nb;
        const char *id = lsu_attr_or_empty(p, "id");
        declared++;
        if (read_number(p, "millesime", 1900, 2998, &m) != 0 || read_number(p, "indice", 1, LSU_MAX_PERIODS, &i) != 0 ||
            read_number(p, "nb-periodes", 1, LSU_MAX_PERIODS, &nb) != 0) {
            snprintf(why, size, "%s : période %s : millesime, indice ou nb-periodes illisible", path, id);
            return -1;
        }
        if (want && nb != want)
            continue;
        if (nb_seen && nb != nb_seen) {
            snprintf(why, size,
                     "%s déclare des périodicités de %ld et de %ld périodes : choisissez trimestres ou "
                     "semestres",
                     path, nb_seen, nb);
            return -1;
        }
        nb_seen = nb;
        if (year >= 0 && m != year) {
            snprintf(why, size, "%s déclare des périodes des années scolaires %ld-%ld et %ld-%ld : une seule à la fois",
                     path, year, year + 1, m, m + 1);
            return -1;
        }
        year = m;
        if (i > nb) {
            snprintf(why, size, "%s : période %s : indice %ld sur %ld périodes", path, id, i, nb);
            return -1;
        }
        lsu_period d;
        if (lsu_date_read(lsu_attr(p, "date-debut"), d.debut) != 0 ||
            lsu_date_read(lsu_attr(p, "date-fin"), d.fin) != 0) {
            snprintf(why, size, "%s : période %s : date-debut ou date-fin invalide", path, id);
            return -1;
        }
        if (by_index[i]) {
            if (strcmp(out->p[i - 1].debut, d.debut) != 0 || strcmp(out->p[i - 1].fin, d.fin) != 0) {
                snprintf(why, size, "%s déclare deux fois la période %ld/%ld, à des dates différentes", path, i, nb);
                return -1;
            }
            continue;
        }
        by_index[i] = p;
        snprintf(d.libelle, sizeof d.libelle, "%s %ld", nb == 3 ? "Trimestre" : "Semestre", i);
        out->p[i - 1] = d;
    }
    if (declared == 0) {
        snprintf(why, size, "%s ne déclare aucune période", path);
        return -1;
    }
    if (nb_seen == 0) {
        snprintf(why, size, "%s ne déclare pas de %s (nb-periodes %ld)", path, want == 3 ? "trimestres" : "semestres",
                 want);
        return -1;
    }
    if (nb_seen != 3 && nb_seen != 2) {
        snprintf(why, size,
                 "%s compte %ld période%s par an : ni trimestres ni semestres (custom --name NOM --period "
                 "LIBELLÉ=D:F pour les reprendre)",
                 path, nb_seen, nb_seen > 1 ? "s" : "");
        return -1;
    }
    for (long i = 1; i <= nb_seen; i++)
        if (!by_index[i]) {
            snprintf(why, size, "%s ne déclare pas la période %ld/%ld", path, i, nb_seen);
            return -1;
        }
    out->millesime = (int)year;
    out->kind = nb_seen == 3 ? "trimestre" : "semestre";
    out->n = (size_t)nb_seen;
    return 0;
}

/* See periods.h. */
int lsu_periods_from_export(const char *path, long long max_size, const char *kind, lsu_export_periods *out, char *why,
                            size_t size)
{
    memset(out, 0, sizeof *out);
    lsu_file *f = lsu_file_new(path);
    if (!f) {
        snprintf(why, size, "%s : mémoire insuffisante", path);
        return -1;
    }
    lsu_options opt = {.max_size = max_size};
    int rc = -1;
    if (lsu_parse(f, &opt) != LSU_GO_ON || !f->doc)
        parse_failure(f, why, size);
    else
        rc = export_periods(path, xmlDocGetRootElement(f->doc), kind, out, why, size);
    lsu_file_free(f);
    return rc;
}
