/* A filled template read back (entry_csv.c) held against the scope it
 * names and that scope's view (see entry_csv.h): the school, class and
 * period on top, each pupil's row found in the class, the éléments' rows
 * turned into changes against the class's éléments. */
#include "base/text.h"
#include "import/nomenclature.h"
#include "school/entry_csv_int.h"
#include "school/onde_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Two texts compared as a label (case, accents, spaces folded). */
static int same_label(const char *a, const char *b)
{
    char x[256], y[256];
    onde_fold_label(a ? a : "", x, sizeof x);
    onde_fold_label(b ? b : "", y, sizeof y);
    return strcmp(x, y) == 0;
}

/* Is the change one of a pupil's bilan? */
static int pupil_change(const lsu_entry_change *ch)
{
    return ch->kind == LSU_ENTRY_POSITION || ch->kind == LSU_ENTRY_APPRECIATION || ch->kind == LSU_ENTRY_GENERALE ||
           (ch->kind == LSU_ENTRY_PARCOURS && ch->ine) ||
           ((ch->kind >= LSU_ENTRY_ELEMENT_ADD && ch->kind <= LSU_ENTRY_ELEMENT_MOVE) && ch->ine);
}

/* The pupil of the view a row names: by INE, else by "NOM Prénom"
 * (case and accents folded); NULL when none. */
static const lsu_entry_pupil *find_pupil(const lsu_entry_view *v, const char *ine, const char *who)
{
    for (size_t i = 0; ine && *ine && i < v->npupils; i++)
        if (strcasecmp(v->pupils[i].ine, ine) == 0)
            return &v->pupils[i];
    for (size_t i = 0; who && i < v->npupils; i++) {
        char name[512];
        snprintf(name, sizeof name, "%s %s", v->pupils[i].nom, v->pupils[i].prenom);
        if (same_label(name, who))
            return &v->pupils[i];
    }
    return NULL;
}

/* The label of the class of the store that holds pupil `ine` (owned),
 * NULL when none or st is NULL. */
static char *other_class(lsu_store *st, const char *ine)
{
    if (!st || !ine || !*ine)
        return NULL;
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT c.libelle FROM pupils p JOIN classes c ON c.id_be = p.classe_id_be "
                                            "WHERE p.ine = ?1 COLLATE NOCASE");
    if (!s)
        return NULL;
    sqlite3_bind_text(s, 1, ine, -1, SQLITE_STATIC);
    char *label = NULL;
    if (sqlite3_step(s) == SQLITE_ROW)
        label = lsu_strdup_or_null(lsu_store_text(s, 0));
    sqlite3_finalize(s);
    return label;
}

/* Is the change's cell what the pupil's bilan holds now? */
static int same_as_now(const lsu_entry_pupil *p, const lsu_entry_change *ch)
{
    lsu_buf now = {0}, wanted = {0};
    entry_csv_current(p->bilan, ch, &now, &wanted);
    int same = !now.failed && !wanted.failed && strcmp(now.data, wanted.data) == 0;
    lsu_buf_free(&now);
    lsu_buf_free(&wanted);
    return same;
}

/* Resolves each pupil's row into the view's pupils; refuses (once per
 * row) the rows of a pupil not in the class or whose bilan is locked
 * (the cells of a locked bilan left as they were are dropped silently).
 * Keeps flags in drop[] for the changes refused. */
static void check_pupils(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_view *v, lsu_entry_csv *f,
                         unsigned char *drop)
{
    long refused_row = 0;
    for (size_t i = 0; i < f->nchanges; i++) {
        lsu_entry_change *ch = &f->changes[i];
        if (!pupil_change(ch))
            continue;
        const lsu_entry_pupil *p = find_pupil(v, ch->ine, f->who[i]);
        if (p && !p->locked_at) {
            ch->ine = p->ine;
            continue;
        }
        drop[i] = 1;
        if (p && same_as_now(p, ch))
            continue; /* a locked bilan's cell left as the template wrote it */
        if (ch->row == refused_row)
            continue;
        refused_row = ch->row;
        if (p) {
            char day[11];
            lsu_date_fr_from_iso(p->locked_at, day);
            entry_csv_refuse(f, ch->row, 0, f->who[i], "bilan verrouillé le %s : ses cases ne sont pas lues", day);
            continue;
        }
        char *other = other_class(st, ch->ine);
        if (other)
            entry_csv_refuse(f, ch->row, 0, f->who[i],
                             "élève de la classe %s, pas de la classe %s : ses cases ne sont pas lues", other,
                             sc->classe);
        else
            entry_csv_refuse(f, ch->row, 0, f->who[i],
                             "élève inconnu dans la classe %s (INE « %s ») : ses cases ne sont pas lues", sc->classe,
                             ch->ine && *ch->ine ? ch->ine : "vide");
        free(other);
    }
}

/* The k-th (1-based) élément of the view for a domain, NULL when none;
 * *count says how many the domain has. */
static const lsu_entry_element *nth_element(const lsu_entry_view *v, const char *domain, long k, long *count)
{
    const lsu_entry_element *found = NULL;
    *count = 0;
    for (size_t i = 0; i < v->nelements; i++)
        if (strcmp(v->elements[i].domain, domain) == 0 && ++*count == k)
            found = &v->elements[i];
    return found;
}

/* Turns the éléments' rows into changes of the class's éléments: a
 * numbered row renames or removes the view's élément of that number, a
 * row without number adds one. */
static void check_elements(const lsu_entry_view *v, lsu_entry_csv *f)
{
    for (size_t i = 0; i < f->nelements; i++) {
        const lsu_entry_csv_element *e = &f->elements[i];
        lsu_entry_change ch = {.domain = e->domain, .row = e->row, .col = e->col};
        if (e->number == 0) {
            if (e->clear) {
                entry_csv_refuse(f, e->row, e->col, NULL,
                                 "« effacer » sur un élément sans numéro : il n'y a rien à effacer");
                continue;
            }
            if (!*e->text)
                continue;
            ch.kind = LSU_ENTRY_ELEMENT_ADD;
            ch.text = e->text;
            entry_csv_add(f, ch, NULL);
            continue;
        }
        long count;
        const lsu_entry_element *old = nth_element(v, e->domain, e->number, &count);
        if (!old) {
            if (count)
                entry_csv_refuse(f, e->row, 3, NULL,
                                 "élément n° %ld de %s : la classe n'en a que %ld pour ce domaine (laissez le numéro "
                                 "vide pour un nouvel élément)",
                                 e->number, lsu_code_label("domaine", e->domain), count);
            else
                entry_csv_refuse(f, e->row, 3, NULL,
                                 "élément n° %ld de %s : la classe n'a pas encore d'élément pour ce domaine (laissez "
                                 "le numéro vide pour un nouvel élément)",
                                 e->number, lsu_code_label("domaine", e->domain));
            continue;
        }
        int twice = 0;
        for (size_t j = 0; j < i && !twice; j++)
            twice = f->elements[j].number == e->number && strcmp(f->elements[j].domain, e->domain) == 0;
        if (twice) {
            entry_csv_refuse(f, e->row, 3, NULL, "élément n° %ld de %s en double : une seule ligne par élément",
                             e->number, lsu_code_label("domaine", e->domain));
            continue;
        }
        if (e->clear) {
            ch.kind = LSU_ENTRY_ELEMENT_REMOVE;
            ch.text = old->libelle;
        } else if (*e->text && strcmp(e->text, old->libelle) != 0) {
            ch.kind = LSU_ENTRY_ELEMENT_RENAME;
            ch.text = old->libelle;
            ch.text2 = e->text;
        } else
            continue;
        entry_csv_add(f, ch, NULL);
    }
}

/* Removes the changes flagged in drop[]. */
static void compact(lsu_entry_csv *f, const unsigned char *drop, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < f->nchanges; i++) {
        if (i < n && drop[i]) {
            free(f->who[i]);
            continue;
        }
        f->changes[k] = f->changes[i];
        f->who[k++] = f->who[i];
    }
    f->nchanges = k;
}

/* See entry_csv.h. */
int lsu_entry_csv_check(lsu_store *st, const char *uai, const lsu_entry_scope *sc, const lsu_entry_view *v,
                        lsu_entry_csv *f, lsu_buf *why)
{
    if (uai && f->uai && *f->uai && strcasecmp(uai, f->uai) != 0) {
        lsu_buf_printf(why, "ce fichier a été fait pour l'école %s, pas pour l'école %s", f->uai, uai);
        return 2;
    }
    if (f->id_be && *f->id_be && sc->id_be && strcmp(f->id_be, sc->id_be) != 0) {
        lsu_buf_printf(why,
                       "ce fichier a été fait pour la classe « %s » (identifiant ONDE %s), pas pour la classe "
                       "« %s » (identifiant ONDE %s)",
                       f->classe, f->id_be, sc->classe, sc->id_be);
        return 2;
    }
    char year[16];
    snprintf(year, sizeof year, "%d-%d", sc->millesime, sc->millesime + 1);
    if (!same_label(f->periode, sc->periode) || (f->annee && *f->annee && strcmp(f->annee, year) != 0)) {
        lsu_buf_printf(why, "ce fichier a été fait pour la période « %s%s%s », pas pour « %s %s »", f->periode,
                       f->annee && *f->annee ? " " : "", f->annee ? f->annee : "", sc->periode, year);
        return 2;
    }
    size_t n = f->nchanges;
    unsigned char *drop = calloc(n ? n : 1, 1);
    if (!drop)
        return -1;
    check_pupils(st, sc, v, f, drop);
    compact(f, drop, n);
    free(drop);
    check_elements(v, f);
    return f->oom ? -1 : 0;
}

/* Spreadsheet name of column col (1-based): A, B… Z, AA… into out. */
void lsu_entry_csv_column_name(int col, char out[8])
{
    char tmp[8];
    size_t n = 0;
    for (; col > 0 && n < sizeof tmp - 1; col = (col - 1) / 26)
        tmp[n++] = (char)('A' + (col - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
}

/* A refusal to print, borrowed from the file or the result. */
typedef struct {
    long row;
    int col;
    const char *who, *why;
} refusal_line;

/* Orders refusals by row, then column. */
static int by_place(const void *a, const void *b)
{
    const refusal_line *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* See entry_csv.h. */
size_t lsu_entry_csv_refusals(const lsu_entry_csv *f, const lsu_entry_result *res, lsu_buf *out)
{
    size_t n = f->nrefused + (res ? res->nrefused : 0);
    if (!n)
        return 0;
    refusal_line *lines = calloc(n, sizeof *lines);
    if (!lines) {
        out->failed = 1;
        return n;
    }
    size_t k = 0;
    for (size_t i = 0; i < f->nrefused; i++)
        lines[k++] = (refusal_line){f->refused[i].row, f->refused[i].col, f->refused[i].who, f->refused[i].why};
    for (size_t i = 0; res && i < res->nrefused; i++) {
        size_t c = res->refused[i].index;
        const lsu_entry_change *ch = c < f->nchanges ? &f->changes[c] : NULL;
        lines[k++] = (refusal_line){ch ? ch->row : 0, ch ? ch->col : 0, ch ? f->who[c] : NULL, res->refused[i].why};
    }
    qsort(lines, n, sizeof *lines, by_place);
    for (size_t i = 0; i < n; i++) {
        char letters[8];
        lsu_entry_csv_column_name(lines[i].col, letters);
        if (lines[i].row > 0)
            lsu_buf_printf(out, "ligne %ld", lines[i].row);
        if (lines[i].row > 0 && lines[i].col > 0)
            lsu_buf_printf(out, ", colonne %s", letters);
        if (lines[i].who)
            lsu_buf_printf(out, " (%s)", lines[i].who);
        lsu_buf_printf(out, "%s%s\n", lines[i].row > 0 ? " : " : "", lines[i].why ? lines[i].why : "?");
    }
    free(lines);
    return n;
}
