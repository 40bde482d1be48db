/* The ONDE pupils' extraction, CSVExtraction.csv (see onde.h): each row
 * checked and kept, or rejected with one diagnostic (OND codes) for its
 * line; the classes the pupils name. */
#include "school/onde.h"
#include "base/diag.h"
#include "base/util.h"
#include "import/nomenclature.h"
#include "school/onde_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The number written by n digits at s, or -1 when one is not a digit. */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses "dd/mm/yyyy" or "yyyy-mm-dd" into "yyyy-mm-dd" (out: 11 bytes);
 * 0, or -1 when it is not a real date. */
static int parse_onde_date(const char *s, char out[11])
{
    int d, m, y;
    if (strlen(s) != 10)
        return -1;
    if (s[2] == '/' && s[5] == '/') {
        d = digits_value(s, 2);
        m = digits_value(s + 3, 2);
        y = digits_value(s + 6, 4);
    } else if (s[4] == '-' && s[7] == '-') {
        y = digits_value(s, 4);
        m = digits_value(s + 5, 2);
        d = digits_value(s + 8, 2);
    } else {
        return -1;
    }
    if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 || y > 2100)
        return -1;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
    memcpy(out, iso, 11);
    long days;
    return lsu_parse_date(out, &days);
}

/* The level "CP"…"CM2" of an ONDE cell (case and blanks ignored), or NULL. */
static const char *parse_niveau(const char *s)
{
    static const char *const levels[] = {"CP", "CE1", "CE2", "CM1", "CM2"};
    char folded[16];
    size_t n = 0;
    for (; *s && n + 1 < sizeof folded; s++)
        if (*s != ' ')
            folded[n++] = (char)toupper((unsigned char)*s);
    folded[n] = 0;
    for (size_t i = 0; i < 5; i++)
        if (strcmp(folded, levels[i]) == 0)
            return levels[i];
    return NULL;
}

/* The cycle of a level: 2 for CP, CE1, CE2; 3 for CM1, CM2; 0 otherwise. */
static int cycle_of_level(const char *niveau)
{
    if (!niveau || !*niveau)
        return 0;
    return niveau[1] == 'M' ? 3 : 2;
}

/* The cycle written in ONDE's " Cycle" column ("2", "Cycle 2", "CYCLE II",
 * "C3"…); 0 when none can be read. */
static int parse_cycle(const char *s)
{
    char folded[32];
    onde_fold_label(s, folded, sizeof folded);
    const char *p = folded;
    if (strncmp(p, "cycle", 5) == 0)
        p += 5;
    else if (*p == 'c')
        p++;
    while (*p == ' ')
        p++;
    if (strcmp(p, "1") == 0 || strcmp(p, "i") == 0)
        return 1;
    if (strcmp(p, "2") == 0 || strcmp(p, "ii") == 0)
        return 2;
    if (strcmp(p, "3") == 0 || strcmp(p, "iii") == 0)
        return 3;
    return 0;
}

/* 1 when s is made of digits only (and not empty). */
static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

enum {
    C_NOM,
    C_NOM_USAGE,
    C_PRENOM,
    C_NAISSANCE,
    C_SEXE,
    C_INE,
    C_CYCLE,
    C_NIVEAU,
    C_LIBELLE,
    C_ID_CLASSE,
    C_RESPONSABLE,
    C_COUNT
};

/* Adds the class of a kept pupil to the list (or updates it); records
 * OND009 when one class id carries two labels.  0, or -1 on memory. */
static int note_class(lsu_onde *o, const lsu_onde_pupil *p)
{
    for (size_t i = 0; i < o->class_count; i++) {
        lsu_onde_class *c = &o->classes[i];
        if (strcmp(c->id_be, p->classe_id_be) != 0)
            continue;
        if (strcmp(c->libelle, p->classe_libelle) != 0)
            lsu_diag_add(&o->diags, DIAG_OND009, p->line, NULL,
                         "La classe %s s'appelle « %s » ici et « %s » ligne %ld : le premier libellé est gardé.",
                         c->id_be, p->classe_libelle, c->libelle, c->line);
        if (strcmp(c->niveau, p->niveau) != 0)
            c->niveau[0] = 0; /* mixed levels (CE2-CM1…) */
        if (c->cycle != p->cycle)
            c->cycle = 0;
        c->pupils++;
        return 0;
    }
    lsu_onde_class *classes = realloc(o->classes, (o->class_count + 1) * sizeof *classes);
    if (!classes)
        return -1;
    o->classes = classes;
    lsu_onde_class *c = &classes[o->class_count];
    c->id_be = strdup(p->classe_id_be);
    c->libelle = strdup(p->classe_libelle);
    c->niveau = strdup(p->niveau);
    c->cycle = p->cycle;
    c->pupils = 1;
    c->line = p->line;
    if (!c->id_be || !c->libelle || !c->niveau) {
        free(c->id_be);
        free(c->libelle);
        free(c->niveau);
        return -1;
    }
    o->class_count++;
    return 0;
}

/* Frees one pupil's strings. */
static void pupil_free(lsu_onde_pupil *p)
{
    free(p->ine);
    free(p->nom);
    free(p->nom_usage);
    free(p->prenom);
    free(p->date_naissance);
    free(p->niveau);
    free(p->classe_id_be);
    free(p->classe_libelle);
}

/* Checks one pupil row and keeps it in o, or records why it is rejected.
 * Returns 0, or -1 when memory ran out. */
static int read_pupil_row(lsu_onde *o, const csv_row *r, column *cols, size_t header_cells)
{
    lsu_diag_list *d = &o->diags;
    long line = r->line;
    const char *nom = onde_cell(r, &cols[C_NOM]), *prenom = onde_cell(r, &cols[C_PRENOM]);
    const char *who_nom = *nom ? nom : "?", *who_prenom = *prenom ? prenom : "?";
    if (r->count < header_cells && (size_t)cols[C_ID_CLASSE].index >= r->count) {
        lsu_diag_add(d, DIAG_OND003, line, NULL,
                     "Ligne incomplète (%zu colonnes au lieu de %zu) pour %s %s : la ligne est ignorée.", r->count,
                     header_cells, who_nom, who_prenom);
        return 1;
    }
    if (!*nom || !*prenom) {
        lsu_diag_add(d, DIAG_OND003, line, NULL, "Le nom ou le prénom de l'élève est vide : la ligne est ignorée.");
        return 1;
    }
    char naissance[11];
    const char *date = onde_cell(r, &cols[C_NAISSANCE]);
    if (parse_onde_date(date, naissance) != 0) {
        lsu_diag_add(d, DIAG_OND004, line, NULL,
                     "Date de naissance « %s » invalide pour %s %s (JJ/MM/AAAA ou AAAA-MM-JJ attendu) : la ligne est "
                     "ignorée.",
                     date, nom, prenom);
        return 1;
    }
    const char *ine = onde_cell(r, &cols[C_INE]);
    if (*ine && !lsu_ine_valid(ine)) {
        lsu_diag_add(d, DIAG_OND005, line, NULL,
                     "INE « %s » invalide pour %s %s (11 caractères, chiffres et lettres majuscules) : la ligne est "
                     "ignorée.",
                     ine, nom, prenom);
        return 1;
    }
    if (*ine)
        for (size_t i = 0; i < o->pupil_count; i++)
            if (strcmp(o->pupils[i].ine, ine) == 0) {
                lsu_diag_add(d, DIAG_OND006, line, NULL,
                             "L'INE %s de %s %s est déjà celui de %s %s ligne %ld : la ligne est ignorée.", ine, nom,
                             prenom, o->pupils[i].nom, o->pupils[i].prenom, o->pupils[i].line);
                return 1;
            }
    const char *id_classe = onde_cell(r, &cols[C_ID_CLASSE]);
    if (!*id_classe) {
        lsu_diag_add(d, DIAG_OND007, line, NULL, "%s %s n'est affecté(e) à aucune classe : la ligne est ignorée.", nom,
                     prenom);
        return 1;
    }
    if (!all_digits(id_classe)) {
        lsu_diag_add(d, DIAG_OND007, line, NULL,
                     "Identifiant de classe « %s » non numérique pour %s %s : la ligne est ignorée.", id_classe, nom,
                     prenom);
        return 1;
    }
    const char *niveau_cell = onde_cell(r, &cols[C_NIVEAU]);
    const char *niveau = parse_niveau(niveau_cell);
    if (!niveau && *niveau_cell)
        lsu_diag_add(d, DIAG_OND008, line, NULL,
                     "Niveau « %s » inconnu pour %s %s (CP, CE1, CE2, CM1 ou CM2 attendu) : l'élève est gardé sans "
                     "niveau.",
                     niveau_cell, nom, prenom);
    const char *sexe_cell = onde_cell(r, &cols[C_SEXE]);
    char sexe = 0;
    if (*sexe_cell) {
        char folded[32];
        onde_fold_label(sexe_cell, folded, sizeof folded);
        if (strcmp(folded, "m") == 0 || strcmp(folded, "masculin") == 0 || strcmp(folded, "garcon") == 0)
            sexe = 'M';
        else if (strcmp(folded, "f") == 0 || strcmp(folded, "feminin") == 0 || strcmp(folded, "fille") == 0)
            sexe = 'F';
        else
            lsu_diag_add(d, DIAG_OND010, line, NULL,
                         "Sexe « %s » non reconnu pour %s %s (M ou F attendu) : l'élève est gardé sans sexe.",
                         sexe_cell, nom, prenom);
    }
    int cycle = parse_cycle(onde_cell(r, &cols[C_CYCLE]));
    if (niveau && cycle_of_level(niveau) != cycle)
        cycle = cycle_of_level(niveau);
    const char *libelle = onde_cell(r, &cols[C_LIBELLE]);
    lsu_onde_pupil p = {.ine = strdup(ine),
                        .nom = strdup(nom),
                        .nom_usage = strdup(onde_cell(r, &cols[C_NOM_USAGE])),
                        .prenom = strdup(prenom),
                        .date_naissance = strdup(naissance),
                        .sexe = sexe,
                        .niveau = strdup(niveau ? niveau : ""),
                        .cycle = cycle,
                        .classe_id_be = strdup(id_classe),
                        .classe_libelle = strdup(*libelle ? libelle : id_classe),
                        .line = line};
    lsu_onde_pupil *pupils = realloc(o->pupils, (o->pupil_count + 1) * sizeof *pupils);
    if (!pupils || !p.ine || !p.nom || !p.nom_usage || !p.prenom || !p.date_naissance || !p.niveau || !p.classe_id_be ||
        !p.classe_libelle) {
        if (pupils)
            o->pupils = pupils;
        pupil_free(&p);
        return -1;
    }
    o->pupils = pupils;
    o->pupils[o->pupil_count++] = p;
    return note_class(o, &p);
}

/* See onde.h. */
int lsu_onde_read(const char *path, const char *data, size_t len, lsu_onde *out)
{
    memset(out, 0, sizeof *out);
    csv_table t;
    if (onde_split_rows(path, data, len, &t, &out->diags, &out->encoding) != 0) {
        onde_table_free(&t);
        return -1;
    }
    column cols[C_COUNT] = {
        [C_NOM] = {{"nom eleve", "nom de famille eleve", "nom"}, "Nom élève", 1, -1},
        [C_NOM_USAGE] = {{"nom d'usage eleve", "nom usage eleve"}, "Nom d'usage élève", 0, -1},
        [C_PRENOM] = {{"prenom eleve", "prenom"}, "Prénom élève", 1, -1},
        [C_NAISSANCE] = {{"date naissance", "date de naissance"}, "Date naissance", 1, -1},
        [C_SEXE] = {{"sexe"}, "Sexe", 0, -1},
        [C_INE] = {{"ine"}, "INE", 1, -1},
        [C_CYCLE] = {{"cycle"}, "Cycle", 0, -1},
        [C_NIVEAU] = {{"niveau"}, "Niveau", 1, -1},
        [C_LIBELLE] = {{"libelle classe"}, "Libellé classe", 1, -1},
        [C_ID_CLASSE] = {{"identifiant classe", "id classe"}, "Identifiant classe", 1, -1},
        [C_RESPONSABLE] = {{"civilite responsable", "nom responsable"}, "", 0, -1},
    };
    if (t.count == 0) {
        lsu_diag_add(&out->diags, DIAG_OND001, 0, NULL, "Le fichier « %s » est vide.", lsu_basename(path));
        onde_table_free(&t);
        return -1;
    }
    if (onde_find_columns(&t.rows[0], cols, C_COUNT) > 0) {
        lsu_buf names = {0};
        onde_missing_columns(cols, C_COUNT, &names);
        if (cols[C_RESPONSABLE].index >= 0)
            lsu_diag_add(&out->diags, DIAG_OND002, t.rows[0].line, NULL,
                         "Ce fichier est l'extraction des responsables, pas celle des élèves : dans ONDE, exportez "
                         "la liste des élèves (CSVExtraction.csv).");
        else
            lsu_diag_add(&out->diags, DIAG_OND002, t.rows[0].line, NULL,
                         "Colonnes absentes de l'en-tête : %s. Ce fichier n'est pas une extraction élèves d'ONDE.",
                         names.data ? names.data : "?");
        lsu_buf_free(&names);
        onde_table_free(&t);
        return -1;
    }
    if (strcmp(out->encoding, "Windows-1252") == 0)
        lsu_diag_add(&out->diags, DIAG_OND011, 0, NULL,
                     "Le fichier est encodé en Windows-1252 (ou ISO-8859-1) : il a été converti en UTF-8.");
    int rc = 0;
    for (size_t i = 1; i < t.count && rc == 0; i++) {
        int k = read_pupil_row(out, &t.rows[i], cols, t.rows[0].count);
        if (k < 0)
            rc = -1;
        else
            out->lines_rejected += k > 0;
    }
    if (rc != 0) {
        out->diags.oom = 1;
    } else if (out->pupil_count == 0) {
        lsu_diag_add(&out->diags, DIAG_OND001, 0, NULL, "Le fichier ne contient aucun élève valable.");
        rc = -1;
    }
    onde_table_free(&t);
    lsu_diag_sort(&out->diags);
    return rc;
}

/* See onde.h. */
void lsu_onde_free(lsu_onde *o)
{
    for (size_t i = 0; i < o->pupil_count; i++)
        pupil_free(&o->pupils[i]);
    free(o->pupils);
    for (size_t i = 0; i < o->class_count; i++) {
        free(o->classes[i].id_be);
        free(o->classes[i].libelle);
        free(o->classes[i].niveau);
    }
    free(o->classes);
    lsu_diag_list_free(&o->diags);
    memset(o, 0, sizeof *o);
}

/* See onde.h. */
void lsu_onde_text(const lsu_onde *o, const char *path, lsu_buf *out)
{
    for (size_t i = 0; i < o->diags.len; i++)
        lsu_diag_text(&o->diags.items[i], path, out);
    for (size_t i = 0; i < o->class_count; i++) {
        const lsu_onde_class *c = &o->classes[i];
        lsu_buf_printf(out, "%s: classe %s (identifiant %s", path, c->libelle, c->id_be);
        if (*c->niveau)
            lsu_buf_printf(out, ", %s", c->niveau);
        if (c->cycle)
            lsu_buf_printf(out, ", cycle %d", c->cycle);
        lsu_buf_printf(out, ") : %zu élève%s\n", c->pupils, c->pupils > 1 ? "s" : "");
    }
    if (lsu_diag_worst(&o->diags) == SEV_FATAL) {
        lsu_buf_printf(out, "%s: extraction refusée, rien n'en est repris\n", path);
        return;
    }
    lsu_buf_printf(out, "%s: %zu élève%s dans %zu classe%s, %zu ligne%s ignorée%s (encodage %s)\n", path,
                   o->pupil_count, o->pupil_count > 1 ? "s" : "", o->class_count, o->class_count > 1 ? "s" : "",
                   o->lines_rejected, o->lines_rejected > 1 ? "s" : "", o->lines_rejected > 1 ? "s" : "", o->encoding);
}
