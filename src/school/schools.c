/* The académie's list of its schools (see schools.h), read with the CSV
 * layer of the ONDE readers (onde_csv.c). */
#include "school/schools.h"
#include "base/diag.h"
#include "import/nomenclature.h"
#include "school/onde_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Bounds of a name and a commune, in code points (as lsu school's). */
#define NOM_MAX 150
#define COMMUNE_MAX 100

/* See schools.h. */
void lsu_school_list_free(lsu_school_list *l)
{
    for (size_t i = 0; l->items && i < l->count; i++) {
        free(l->items[i].uai);
        free(l->items[i].nom);
        free(l->items[i].commune);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Orders entries by UAI, then line. */
static int cmp_entry(const void *a, const void *b)
{
    const lsu_school_entry *x = a, *y = b;
    int c = strcmp(x->uai, y->uai);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Checks one text cell: a refusal line appended to why (and 1 returned)
 * when it holds a control character or is longer than max code points. */
static int bad_text(lsu_buf *why, const char *path, long line, const char *what, const char *s, size_t max)
{
    size_t at;
    if (lsu_utf8_first_invisible(s, 1, &at)) {
        lsu_buf_printf(why, "%s:%ld: %s : un caractère de contrôle ou invisible ; écrivez-le sur une ligne\n", path,
                       line, what);
        return 1;
    }
    if (lsu_utf8_length(s) > max) {
        lsu_buf_printf(why, "%s:%ld: %s : %zu caractères, au plus %zu\n", path, line, what, lsu_utf8_length(s), max);
        return 1;
    }
    return 0;
}

/* See schools.h. */
int lsu_school_list_read(const char *path, lsu_school_list *out, lsu_buf *why)
{
    memset(out, 0, sizeof *out);
    csv_table t;
    lsu_diag_list diags = {0};
    size_t before = why->len;
    if (onde_split_rows(path, NULL, 0, &t, &diags, &out->encoding) != 0) {
        for (size_t i = 0; i < diags.len; i++)
            if (diags.items[i].line > 0)
                lsu_buf_printf(why, "%s:%ld: %s\n", path, diags.items[i].line, diags.items[i].message);
            else
                lsu_buf_printf(why, "%s: %s\n", path, diags.items[i].message);
        lsu_diag_list_free(&diags);
        onde_table_free(&t);
        return -1;
    }
    lsu_diag_list_free(&diags);
    column cols[3] = {{{"uai", "code uai", "numero uai", "rne"}, "UAI", 1, -1},
                      {{"nom", "nom de l'ecole", "libelle", "appellation"}, "Nom", 1, -1},
                      {{"commune", "ville", "localite"}, "Commune", 1, -1}};
    if (t.count == 0) {
        lsu_buf_printf(why, "%s: la liste des écoles est vide (en-tête UAI ; Nom ; Commune attendu)\n", path);
    } else if (onde_find_columns(&t.rows[0], cols, 3) > 0) {
        lsu_buf names = {0};
        onde_missing_columns(cols, 3, &names);
        lsu_buf_printf(why,
                       "%s:%ld: colonnes absentes de l'en-tête : %s (la liste des écoles a les colonnes UAI ; "
                       "Nom ; Commune)\n",
                       path, t.rows[0].line, names.data ? names.data : "?");
        lsu_buf_free(&names);
    } else if (t.count == 1) {
        lsu_buf_printf(why, "%s: la liste des écoles n'a aucune école sous son en-tête\n", path);
    }
    out->items = why->len == before ? calloc(t.count + 1, sizeof *out->items) : NULL;
    if (why->len == before && !out->items)
        lsu_buf_printf(why, "%s: mémoire insuffisante\n", path);
    for (size_t i = 1; out->items && i < t.count; i++) {
        const csv_row *r = &t.rows[i];
        const char *uai = onde_cell(r, &cols[0]), *nom = onde_cell(r, &cols[1]), *commune = onde_cell(r, &cols[2]);
        char up[9] = "";
        if (strlen(uai) == 8)
            for (int k = 0; k < 9; k++)
                up[k] = (char)toupper((unsigned char)uai[k]);
        if (!lsu_uai_valid(up)) {
            lsu_buf_printf(why, "%s:%ld: « %s » n'est pas un UAI (7 chiffres et une lettre, 0290347V)\n", path, r->line,
                           uai);
            continue;
        }
        if (lsu_uai_key(up) != up[7]) {
            lsu_buf_printf(why, "%s:%ld: UAI « %s » : la lettre de contrôle de %.7s est %c ; vérifiez l'UAI\n", path,
                           r->line, uai, up, lsu_uai_key(up));
            continue;
        }
        if (!*nom) {
            lsu_buf_printf(why, "%s:%ld: UAI %s : le nom de l'école manque\n", path, r->line, up);
            continue;
        }
        if (bad_text(why, path, r->line, "nom", nom, NOM_MAX) ||
            bad_text(why, path, r->line, "commune", commune, COMMUNE_MAX))
            continue;
        lsu_school_entry *e = &out->items[out->count++];
        e->uai = strdup(up);
        e->nom = strdup(nom);
        e->commune = strdup(commune);
        e->line = r->line;
        if (!e->uai || !e->nom || !e->commune) {
            lsu_buf_printf(why, "%s: mémoire insuffisante\n", path);
            break;
        }
    }
    if (out->items && out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, cmp_entry);
    for (size_t i = 1; out->items && i < out->count; i++)
        if (strcmp(out->items[i].uai, out->items[i - 1].uai) == 0)
            lsu_buf_printf(why, "%s:%ld: UAI %s déjà donné ligne %ld\n", path, out->items[i].line, out->items[i].uai,
                           out->items[i - 1].line);
    onde_table_free(&t);
    if (why->len != before || why->failed) {
        const char *enc = out->encoding;
        lsu_school_list_free(out);
        out->encoding = enc;
        return -1;
    }
    return 0;
}

/* See schools.h. */
const lsu_school_entry *lsu_school_list_find(const lsu_school_list *l, const char *uai)
{
    if (!l || !uai || strlen(uai) != 8)
        return NULL;
    char up[9];
    for (int k = 0; k < 9; k++)
        up[k] = (char)toupper((unsigned char)uai[k]);
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->items[mid].uai, up);
        if (c == 0)
            return &l->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
