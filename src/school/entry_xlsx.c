/* The template of the spreadsheet round trip as an .xlsx workbook (lsu
 * template -o F.xlsx; docs/SAISIE-TABLEUR.md): the very rows and cells of
 * the CSV template (entry_template.c), written by libxlsxwriter, with
 * what a spreadsheet adds: a drop-down list on every positionnement of a
 * pupil, the length of every text checked as it is typed (300, 600 or
 * 1 500 characters, the library's limits), a second sheet that counts the
 * characters of each text live, the header and the pupils' names frozen.
 * It is read back as its CSV export (lsu enter), the first sheet only, as
 * Excel and LibreOffice save it.
 *
 * Owns nothing past the call. */
#include "school/entry.h"
#include "school/entry_csv.h"
#include "school/onde_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* What a column of the pupils' rows holds, from its header. */
typedef enum { COL_OTHER = 0, COL_POSITION, COL_TEXT } column_kind;

/* Does s end with suffix? */
static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* The kind of a header cell and, for a text, its limit in characters. */
static column_kind header_kind(const char *h, int *limit)
{
    static const struct {
        const char *suffix; /* the header's end, or the whole header */
        int limit;
    } texts[] = {
        {" : appréciation", LSU_ENTRY_APPRECIATION_MAX},
        {"Appréciation générale", LSU_ENTRY_GENERALE_MAX},
        {" : implication de l'élève", LSU_ENTRY_PARCOURS_MAX},
    };
    *limit = 0;
    if (ends_with(h, " : positionnement"))
        return COL_POSITION;
    for (size_t i = 0; i < sizeof texts / sizeof *texts && !*limit; i++)
        if (ends_with(h, texts[i].suffix))
            *limit = texts[i].limit;
    return *limit ? COL_TEXT : COL_OTHER;
}

/* The spreadsheet row (0-based) of the table's row r: the reader drops
 * the empty lines, the sheet keeps them. */
static lxw_row_t sheet_row(const csv_table *t, size_t r)
{
    return (lxw_row_t)(t->rows[r].sheet_row > 0 ? t->rows[r].sheet_row - 1 : (long)r);
}

/* The cell r, c of the table, "" past its end. */
static const char *cell(const csv_table *t, size_t r, size_t c)
{
    return r < t->count && c < t->rows[r].count ? t->rows[r].cells[c] : "";
}

/* "Saisie!E12" for the count sheet's formulas. */
static void cell_name(lxw_row_t r, size_t c, char *out, size_t size)
{
    char col[8];
    size_t n = 0;
    for (size_t k = c + 1; k > 0 && n < sizeof col - 1; k = (k - 1) / 26)
        col[n++] = (char)('A' + (k - 1) % 26);
    char name[16];
    for (size_t i = 0; i < n; i++)
        name[i] = col[n - 1 - i];
    name[n] = '\0';
    snprintf(out, size, "Saisie!%s%lu", name, (unsigned long)r + 1);
}

/* A length check on one range: at most `limit` characters, refused
 * beyond with a message in French. */
static lxw_error length_rule(lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, size_t c, int limit)
{
    char message[160], title[64];
    snprintf(title, sizeof title, "%d caractères au plus", limit);
    snprintf(message, sizeof message,
             "LSU n'accepte pas plus de %d caractères dans cette case (lsu enter la refuserait).", limit);
    lxw_data_validation v = {0};
    v.validate = LXW_VALIDATION_TYPE_LENGTH;
    v.criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
    v.value_number = limit;
    v.error_title = title;
    v.error_message = message;
    return worksheet_data_validation_range(ws, r0, (lxw_col_t)c, r1, (lxw_col_t)c, &v);
}

/* The drop-down of a positionnement column over the pupils' rows. */
static lxw_error position_rule(lxw_worksheet *ws, lxw_row_t r0, lxw_row_t r1, size_t c)
{
    const char *values[] = {"1", "2", "3", "4", "NE", "effacer", NULL};
    lxw_data_validation v = {0};
    v.validate = LXW_VALIDATION_TYPE_LIST;
    v.value_list = (char **)values;
    v.input_title = "Positionnement";
    v.input_message = "1 : Non atteints, 2 : Partiellement atteints, 3 : Atteints, 4 : Dépassés, NE : Non évalué";
    v.error_title = "Positionnement";
    v.error_message = "Choisissez 1, 2, 3, 4, NE ou « effacer » dans la liste.";
    return worksheet_data_validation_range(ws, r0, (lxw_col_t)c, r1, (lxw_col_t)c, &v);
}

/* Writes the rows of t into the workbook: sheet « Saisie » (the template)
 * and sheet « Nombre de caractères ».  Returns LXW_NO_ERROR or the first
 * error. */
static lxw_error fill(lxw_workbook *wb, const csv_table *t)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Saisie");
    lxw_worksheet *count = workbook_add_worksheet(wb, "Nombre de caractères");
    lxw_format *text = workbook_add_format(wb), *bold = workbook_add_format(wb), *wrap = workbook_add_format(wb);
    if (!ws || !count || !text || !bold || !wrap)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    /* every cell is text: 1 stays « 1 », an INE is never a number */
    format_set_num_format(text, "@");
    format_set_num_format(bold, "@");
    format_set_bold(bold);
    format_set_num_format(wrap, "@");
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    size_t head = t->count, end = t->count, width = 0;
    for (size_t r = 0; r < t->count && head == t->count; r++)
        if (strcmp(cell(t, r, 0), "NOM") == 0 && strcmp(cell(t, r, 1), "Prénom") == 0)
            head = r;
    /* the pupils' rows: up to the empty line after them */
    for (size_t r = head + 1; r < t->count && end == t->count; r++)
        if (sheet_row(t, r) != sheet_row(t, r - 1) + 1)
            end = r;
    lxw_error e = LXW_NO_ERROR;
    for (size_t r = 0; r < t->count && !e; r++) {
        if (t->rows[r].count > width)
            width = t->rows[r].count;
        for (size_t c = 0; c < t->rows[r].count && !e; c++) {
            const char *s = t->rows[r].cells[c];
            lxw_format *f = r == head ? bold : r > head && r < end && c >= 4 ? wrap : text;
            e = *s ? worksheet_write_string(ws, sheet_row(t, r), (lxw_col_t)c, s, f)
                   : worksheet_write_blank(ws, sheet_row(t, r), (lxw_col_t)c, f);
        }
    }
    /* the columns: names narrow, the texts wide */
    for (size_t c = 0; c < width && !e; c++)
        e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, c < 4 ? 18 : 30, NULL);
    if (head < t->count && !e) {
        worksheet_freeze_panes(ws, sheet_row(t, head) + 1, 2);
        e = worksheet_write_string(count, 0, 0, "Nombre de caractères des cases de la feuille « Saisie » (calculé)",
                                   bold);
        for (size_t c = 0; c < 2 && !e; c++)
            e = worksheet_write_string(count, 1, (lxw_col_t)c, cell(t, head, c), bold);
        size_t out_col = 2;
        for (size_t c = 4; c < t->rows[head].count && !e; c++) {
            int limit;
            column_kind k = header_kind(cell(t, head, c), &limit);
            if (k == COL_POSITION && end > head + 1)
                e = position_rule(ws, sheet_row(t, head + 1), sheet_row(t, end - 1), c);
            if (k != COL_TEXT || e)
                continue;
            if (end > head + 1)
                e = length_rule(ws, sheet_row(t, head + 1), sheet_row(t, end - 1), c, limit);
            char title[400];
            snprintf(title, sizeof title, "%s (%d au plus)", cell(t, head, c), limit);
            if (!e)
                e = worksheet_write_string(count, 1, (lxw_col_t)out_col, title, bold);
            for (size_t r = head + 1; r < end && !e; r++) {
                char ref[48], formula[64];
                cell_name(sheet_row(t, r), c, ref, sizeof ref);
                snprintf(formula, sizeof formula, "=LEN(%s)", ref);
                if (out_col == 2) {
                    e = worksheet_write_string(count, (lxw_row_t)(r - head + 1), 0, cell(t, r, 0), text);
                    if (!e)
                        e = worksheet_write_string(count, (lxw_row_t)(r - head + 1), 1, cell(t, r, 1), text);
                }
                if (!e)
                    /* its value now, for a reader that does not recompute */
                    e = worksheet_write_formula_num(count, (lxw_row_t)(r - head + 1), (lxw_col_t)out_col, formula, NULL,
                                                    (double)lsu_utf8_length(cell(t, r, c)));
            }
            out_col++;
        }
    }
    /* the éléments du programme and projets: 300 and 600 characters, in
     * their libellé column */
    for (size_t r = end; r < t->count && !e; r++) {
        if (strcmp(cell(t, r, 0), "Élément du programme") == 0)
            e = length_rule(ws, sheet_row(t, r), sheet_row(t, r), 3, LSU_ENTRY_ELEMENT_MAX);
        else if (strcmp(cell(t, r, 0), "Projet de parcours") == 0)
            e = length_rule(ws, sheet_row(t, r), sheet_row(t, r), 2, LSU_ENTRY_PARCOURS_MAX);
    }
    worksheet_activate(ws);
    return e;
}

/* See entry_csv.h. */
int lsu_entry_template_xlsx(const char *csv, size_t len, const char *path, time_t date, char **error)
{
    *error = NULL;
    csv_table t;
    lsu_diag_list diags = {0};
    const char *encoding;
    if (onde_split_rows(path, csv, len, &t, &diags, &encoding) != 0 || t.oom) {
        lsu_diag_list_free(&diags);
        onde_table_free(&t);
        *error = lsu_asprintf("mémoire insuffisante");
        return -1;
    }
    lsu_diag_list_free(&diags);
    char *tmp = lsu_asprintf("%s.tmp.XXXXXX", path);
    int fd = tmp ? mkstemp(tmp) : -1; /* 0600: the name reserved, libxlsxwriter writes over it */
    if (fd < 0) {
        *error = lsu_asprintf("%s : %s", path, lsu_strerror_fr(tmp ? errno : ENOMEM));
        free(tmp);
        onde_table_free(&t);
        return -1;
    }
    close(fd);
    lxw_workbook *wb = workbook_new(tmp);
    lxw_error e = wb ? LXW_NO_ERROR : LXW_ERROR_CREATING_XLSX_FILE;
    if (wb) {
        /* the properties' date: the caller's (SOURCE_DATE_EPOCH), else now */
        lxw_doc_properties props = {
            .title = "Livret scolaire unique : saisie des bilans périodiques", .author = "lsu", .created = date};
        workbook_set_properties(wb, &props);
        e = fill(wb, &t);
        lxw_error closed = workbook_close(wb); /* writes the file, frees the workbook */
        if (!e)
            e = closed;
    }
    onde_table_free(&t);
    if (e || chmod(tmp, 0600) != 0 || rename(tmp, path) != 0) {
        *error =
            e ? lsu_asprintf("%s : %s", path, lxw_strerror(e)) : lsu_asprintf("%s : %s", path, lsu_strerror_fr(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    (void)lsu_fsync_parent(path);
    free(tmp);
    return 0;
}
