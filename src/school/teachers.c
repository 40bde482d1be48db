/* The teachers' CSV (civilité;nom;prénom;classes, see onde.h), read with
 * the same CSV layer as the ONDE extraction. */
#include "base/diag.h"
#include "base/util.h"
#include "school/onde.h"
#include "school/onde_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "M." or "Mme" for the ways a civilité is written; NULL when unknown. */
static const char *parse_civilite(const char *s)
{
    char folded[32];
    onde_fold_label(s, folded, sizeof folded);
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

/* Appends the class s[0..n) to te's list, blanks around it trimmed;
 * 0, or -1 when memory ran out. */
static int add_class(const char *s, size_t n, lsu_teacher *te)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return 0;
    char **classes = realloc(te->classes, (te->class_count + 1) * sizeof *classes);
    if (!classes)
        return -1;
    te->classes = classes;
    if (!(classes[te->class_count] = strndup(s, n)))
        return -1;
    te->class_count++;
    return 0;
}

/* Is s[0..n) only digits and blanks: a list of ONDE class ids? */
static int ids_only(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits = 1;
        else if (s[i] != ' ' && s[i] != '\t')
            return 0;
    }
    return digits;
}

/* Splits a "classes" cell into te's list: on commas, slashes, bars and
 * line breaks; on spaces too only in a part made of ONDE ids ("740052
 * 230399"), since a label has spaces ("CP A").  0, or -1 when memory ran
 * out. */
static int split_classes(const char *s, lsu_teacher *te)
{
    while (*s) {
        size_t n = strcspn(s, ",/|\n\r");
        if (ids_only(s, n)) {
            for (size_t i = 0; i < n;) {
                while (i < n && (s[i] == ' ' || s[i] == '\t'))
                    i++;
                size_t j = i;
                while (j < n && s[j] != ' ' && s[j] != '\t')
                    j++;
                if (j > i && add_class(s + i, j - i, te) != 0)
                    return -1;
                i = j;
            }
        } else if (add_class(s, n, te) != 0) {
            return -1;
        }
        s += n;
        if (*s)
            s++;
    }
    return 0;
}

/* See onde.h. */
int lsu_teachers_read(const char *path, const char *data, size_t len, lsu_teachers *out)
{
    memset(out, 0, sizeof *out);
    csv_table t;
    if (onde_split_rows(path, data, len, &t, &out->diags, &out->encoding) != 0) {
        onde_table_free(&t);
        return -1;
    }
    column cols[4] = {{{"civilite"}, "Civilité", 1, -1},
                      {{"nom", "nom d'usage", "nom enseignant"}, "Nom", 1, -1},
                      {{"prenom", "prenom enseignant"}, "Prénom", 1, -1},
                      {{"classes", "classe"}, "Classes", 1, -1}};
    if (t.count == 0 || onde_find_columns(&t.rows[0], cols, 4) > 0) {
        lsu_buf names = {0};
        onde_missing_columns(cols, 4, &names);
        if (t.count == 0)
            lsu_diag_add(&out->diags, DIAG_OND001, 0, NULL, "Le fichier « %s » est vide.", lsu_basename(path));
        else
            lsu_diag_add(&out->diags, DIAG_OND002, t.rows[0].line, NULL,
                         "Colonnes absentes de l'en-tête : %s. La liste des enseignants doit avoir les colonnes "
                         "Civilité ; Nom ; Prénom ; Classes.",
                         names.data ? names.data : "?");
        lsu_buf_free(&names);
        onde_table_free(&t);
        return -1;
    }
    int rc = 0;
    for (size_t i = 1; i < t.count && rc == 0; i++) {
        const csv_row *r = &t.rows[i];
        const char *civ_cell = onde_cell(r, &cols[0]), *nom = onde_cell(r, &cols[1]), *prenom = onde_cell(r, &cols[2]);
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
        if (!list || !te.civilite || !te.nom || !te.prenom || split_classes(onde_cell(r, &cols[3]), &te) != 0) {
            teacher_free(&te);
            out->diags.oom = 1;
            rc = -1;
            break;
        }
        out->teachers[out->teacher_count++] = te;
    }
    onde_table_free(&t);
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
void lsu_teachers_text(const lsu_teachers *t, const char *path, lsu_buf *out)
{
    for (size_t i = 0; i < t->diags.len; i++)
        lsu_diag_text(&t->diags.items[i], path, out);
    for (size_t i = 0; i < t->teacher_count; i++) {
        const lsu_teacher *te = &t->teachers[i];
        lsu_buf_printf(out, "%s: %s %s %s :", path, te->civilite, te->nom, te->prenom);
        for (size_t k = 0; k < te->class_count; k++)
            lsu_buf_printf(out, "%s%s", k ? ", " : " ", te->classes[k]);
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
