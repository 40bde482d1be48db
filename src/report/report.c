/* Stage report: see report.h.  Every format is made from the same
 * lsu_report, so that HTML, JSON, CSV and the stderr lines always agree. */
#include "report/report.h"

#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const lsu_unchecked_rule lsu_unchecked_rules[] = {
    {"Paramétrage incohérent", "demande le mode d'import (saisie manuelle ou import logiciel) de chaque classe"},
    {"Classe non trouvée", "demande les classes d'ONDE (synchronisation base élèves)"},
    {"Périodes non paramétrées", "demande la périodicité paramétrée pour chaque classe"},
    {"Dates périodes incohérentes", "demande les dates des périodes paramétrées pour chaque classe"},
    {"Enseignant inconnu", "demande les enseignants d'ONDE"},
    {"INE inconnu d'ONDE", "demande les élèves d'ONDE (synchronisation base élèves)"},
};
const size_t lsu_unchecked_rule_count = sizeof lsu_unchecked_rules / sizeof *lsu_unchecked_rules;

static const char *const status_names[] = {"importe", "importe_avec_alertes", "rejete"};

/* Worst severity per bilan (indexed like f->index.bilans), in one pass
 * over the diagnostics; a pupil-wide diagnostic counts for each of the
 * pupil's bilans.  With skip_schema, the schema errors are left out (the
 * bilans as they would be once those are fixed).  Returns an owned array,
 * NULL when memory ran out. */
static lsu_severity *bilan_worst(const lsu_file *f, int skip_schema)
{
    lsu_index *ix = (lsu_index *)&f->index;
    lsu_severity *worst = calloc(ix->bilan_count + 1, sizeof *worst);
    xmlHashTablePtr pupils = xmlHashCreate(64);
    if (!worst || !pupils) {
        free(worst);
        if (pupils)
            xmlHashFree(pupils, NULL);
        return NULL;
    }
    for (size_t i = 0; i < f->diags.len; i++) {
        const lsu_diag *d = &f->diags.items[i];
        if (skip_schema && lsu_code_is_schema(d->code))
            continue;
        if (d->scope == SCOPE_BILAN) {
            lsu_bilan *b = lsu_index_bilan(ix, d->bilan_kind, d->bilan_index);
            if (b && d->severity > worst[b - ix->bilans])
                worst[b - ix->bilans] = d->severity;
        } else if (d->scope == SCOPE_ELEVE && d->eleve_id) {
            uintptr_t prev = (uintptr_t)xmlHashLookup(pupils, BAD_CAST d->eleve_id);
            if ((uintptr_t)d->severity + 1 > prev)
                xmlHashUpdateEntry(pupils, BAD_CAST d->eleve_id, (void *)((uintptr_t)d->severity + 1), NULL);
        }
    }
    for (size_t i = 0; i < ix->bilan_count; i++) {
        const char *id = ix->bilans[i].eleve_id;
        uintptr_t p = id ? (uintptr_t)xmlHashLookup(pupils, BAD_CAST id) : 0;
        if (p && (lsu_severity)(p - 1) > worst[i])
            worst[i] = (lsu_severity)(p - 1);
    }
    xmlHashFree(pupils, NULL);
    return worst;
}

/* qsort comparator for class labels. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills r->order from the normalised tree's order when there is one. */
static int build_order(lsu_report *r)
{
    lsu_file *f = r->file;
    size_t n = f->index.bilan_count, k = 0;
    r->order = calloc(n + 1, sizeof(lsu_bilan *));
    if (!r->order)
        return -1;
    xmlNodePtr root = f->norm ? xmlDocGetRootElement(f->norm) : NULL;
    for (xmlNodePtr list = root ? root->children : NULL; list; list = list->next) {
        lsu_bilan_kind kind = BILAN_NONE;
        if (list->type == XML_ELEMENT_NODE && strcmp((const char *)list->name, "bilans-periodiques") == 0)
            kind = BILAN_PERIODIQUE;
        if (list->type == XML_ELEMENT_NODE && strcmp((const char *)list->name, "bilans-cycle") == 0)
            kind = BILAN_CYCLE;
        if (kind == BILAN_NONE)
            continue;
        for (xmlNodePtr b = list->children; b; b = b->next) {
            const char *index = b->type == XML_ELEMENT_NODE ? lsu_attr(b, "index") : NULL;
            lsu_bilan *bilan = index ? lsu_index_bilan(&f->index, kind, strtol(index, NULL, 10)) : NULL;
            if (bilan && k < n && !bilan->status) { /* status used as a 'seen' mark until computed */
                bilan->status = 1;
                r->order[k++] = bilan;
            }
        }
    }
    for (size_t i = 0; i < n; i++) { /* anything the normalised tree missed, in document order */
        if (!f->index.bilans[i].status && k < n)
            r->order[k++] = &f->index.bilans[i];
        f->index.bilans[i].status = STATUS_IMPORTE;
    }
    return 0;
}

/* Status a worst severity gives a bilan. */
static lsu_bilan_status status_of(lsu_severity worst)
{
    return worst >= SEV_BLOQUANT ? STATUS_REJETE : worst == SEV_ALERTE ? STATUS_IMPORTE_AVEC_ALERTES : STATUS_IMPORTE;
}

/* Fills the if_fixed part of r when the file is refused for schema
 * reasons only; 0, or -1 when memory ran out. */
static int build_if_fixed(lsu_report *r)
{
    lsu_file *f = r->file;
    if (!r->file_rejected || r->internal_error || !(f->stages_run & LSU_STAGE_CHECK))
        return 0;
    for (size_t i = 0; i < f->diags.len; i++) {
        const lsu_diag *d = &f->diags.items[i];
        if (lsu_code_is_schema(d->code))
            r->schema_errors += d->omitted ? d->omitted : 1;
        else if (d->severity == SEV_FATAL)
            return 0; /* refused for another reason as well */
    }
    if (!r->schema_errors)
        return 0;
    size_t n = f->index.bilan_count;
    lsu_severity *worst = bilan_worst(f, 1);
    r->fixed_status = calloc(n + 1, sizeof *r->fixed_status);
    if (!worst || !r->fixed_status) {
        free(worst);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r->fixed_status[i] = status_of(worst[i]);
        if (r->fixed_status[i] == STATUS_REJETE)
            r->fixed_rejetes++;
        else if (r->fixed_status[i] == STATUS_IMPORTE_AVEC_ALERTES)
            r->fixed_avec_alertes++;
        else
            r->fixed_avec_succes++;
    }
    free(worst);
    r->fixed_importes = r->fixed_avec_succes + r->fixed_avec_alertes;
    r->if_fixed = 1;
    return 0;
}

/* See report.h. */
int lsu_report_build(lsu_report *r, lsu_file *f)
{
    memset(r, 0, sizeof *r);
    r->file = f;
    r->file_rejected = f->file_rejected;
    for (size_t i = 0; i < f->diags.len; i++)
        if (f->diags.items[i].code == DIAG_INT001)
            r->internal_error = 1;
    if (build_order(r) < 0)
        return -1;
    size_t n = f->index.bilan_count;
    r->classes = calloc(n + 1, sizeof *r->classes);
    lsu_severity *worst_of = bilan_worst(f, 0);
    if (!r->classes || !worst_of) {
        free(worst_of);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        lsu_bilan *b = &f->index.bilans[i];
        lsu_severity worst = r->file_rejected ? SEV_FATAL : worst_of[i];
        b->status = status_of(worst);
        r->traites++;
        if (b->status == STATUS_REJETE)
            r->rejetes++;
        else if (b->status == STATUS_IMPORTE_AVEC_ALERTES)
            r->avec_alertes++;
        else
            r->avec_succes++;
        const char *label = b->classe_libelle;
        if (label) {
            int seen = 0;
            for (size_t c = 0; c < r->class_count && !seen; c++)
                seen = r->classes[c] && strcmp(r->classes[c], label) == 0;
            if (!seen && !(r->classes[r->class_count++] = strdup(label))) {
                free(worst_of);
                return -1;
            }
        }
    }
    free(worst_of);
    qsort(r->classes, r->class_count, sizeof *r->classes, cmp_str);
    r->importes = r->avec_succes + r->avec_alertes;
    r->conforme = !r->file_rejected && r->rejetes == 0 && !r->internal_error;
    return build_if_fixed(r);
}

/* See report.h. */
void lsu_report_free(lsu_report *r)
{
    for (size_t i = 0; i < r->class_count; i++)
        free(r->classes[i]);
    free(r->classes);
    free(r->order);
    free(r->fixed_status);
    memset(r, 0, sizeof *r);
}

/* See report.h. */
int lsu_report_exit_status(const lsu_report *r)
{
    if (r->internal_error)
        return LSU_EXIT_INTERNAL;
    if (r->file_rejected)
        return LSU_EXIT_FILE_REJECTED;
    if (r->rejetes)
        return LSU_EXIT_BILAN_REJECTED;
    return LSU_EXIT_OK;
}

/* "38,54 ko" for a size in bytes. */
static void format_size(long long bytes, char *out, size_t size)
{
    if (bytes < 0) {
        snprintf(out, size, "taille inconnue");
        return;
    }
    long long hundredths = (bytes * 100 + 512) / 1024;
    snprintf(out, size, "%lld,%02lld ko", hundredths / 100, hundredths % 100);
}

static const char *const scope_names[] = {"fichier", "eleve", "bilan"};
static const char *const kind_names[] = {"", "periodique", "cycle"};

/* Appends `"key": "value"` (value may be NULL: null). */
static void json_field(lsu_buf *out, const char *key, const char *value, int comma)
{
    lsu_buf_json_string(out, key);
    lsu_buf_puts(out, ": ");
    lsu_buf_json_string(out, value);
    if (comma)
        lsu_buf_puts(out, ", ");
}

/* Appends the "si_corrige" member (and its comma) when the file is
 * refused for schema reasons only: the counts and each bilan's status once
 * those errors are fixed, apart from the verdict. */
static void json_if_fixed(const lsu_report *r, lsu_buf *out)
{
    if (!r->if_fixed)
        return;
    const lsu_file *f = r->file;
    lsu_buf_printf(out,
                   "\n  \"si_corrige\": {\"erreurs_schema\": %zu, \"counts\": {\"traites\": %zu, \"importes\": %zu, "
                   "\"avec_succes\": %zu, \"avec_alertes\": %zu, \"rejetes\": %zu}, \"bilans\": [",
                   r->schema_errors, r->traites, r->fixed_importes, r->fixed_avec_succes, r->fixed_avec_alertes,
                   r->fixed_rejetes);
    for (size_t i = 0; i < f->index.bilan_count; i++) {
        const lsu_bilan *b = r->order[i];
        lsu_buf_puts(out, i ? ",\n    {" : "\n    {");
        json_field(out, "type", kind_names[b->kind], 1);
        lsu_buf_printf(out, "\"index\": %d, ", b->index);
        json_field(out, "eleve", b->eleve, 1);
        json_field(out, "status", status_names[r->fixed_status[b - f->index.bilans]], 0);
        lsu_buf_puts(out, "}");
    }
    lsu_buf_puts(out, f->index.bilan_count ? "\n  ]}," : "]},");
}

/* Marks the codes the file's diagnostics use, for the « que faire » part
 * of every report: each code's remedy once, in catalogue order. */
static void codes_used(const lsu_file *f, unsigned char used[DIAG_COUNT])
{
    memset(used, 0, DIAG_COUNT);
    for (size_t i = 0; i < f->diags.len; i++)
        used[f->diags.items[i].code] = 1;
}

/* See report.h. */
void lsu_report_json(const lsu_report *r, lsu_buf *out)
{
    const lsu_file *f = r->file;
    char size[32], date_iso[21], date_fr[64];
    format_size(f->size, size, sizeof size);
    lsu_format_datetime_iso(f->run_time, date_iso);
    lsu_format_datetime_fr(f->run_time, date_fr, sizeof date_fr);
    lsu_buf_puts(out, "{\n  \"outil\": \"lsu " LSU_VERSION "\",\n  \"fichier\": {");
    json_field(out, "nom", f->name, 1);
    json_field(out, "chemin", f->path, 1);
    if (f->size >= 0)
        lsu_buf_printf(out, "\"octets\": %lld, ", f->size);
    else
        lsu_buf_puts(out, "\"octets\": null, ");
    json_field(out, "taille", size, 1);
    json_field(out, "date", date_iso, 1);
    json_field(out, "date_texte", date_fr, 1);
    json_field(out, "uai", f->uai, 1);
    json_field(out, "editeur", f->editeur, 1);
    json_field(out, "application", f->application, 1);
    json_field(out, "version_schema", f->schema_version, 0);
    lsu_buf_puts(out, "},\n  \"verdict\": ");
    lsu_buf_json_string(out, r->conforme ? "conforme" : "non_conforme");
    lsu_buf_printf(out, ",\n  \"fichier_rejete\": %s,\n  \"exit_status\": %d,\n  \"classes\": [",
                   r->file_rejected ? "true" : "false", lsu_report_exit_status(r));
    for (size_t i = 0; i < r->class_count; i++) {
        lsu_buf_puts(out, i ? ", " : "");
        lsu_buf_json_string(out, r->classes[i]);
    }
    lsu_buf_printf(out,
                   "],\n  \"counts\": {\"traites\": %zu, \"importes\": %zu, \"avec_succes\": %zu, "
                   "\"avec_alertes\": %zu, \"rejetes\": %zu},\n  \"bilans\": [",
                   r->traites, r->importes, r->avec_succes, r->avec_alertes, r->rejetes);
    for (size_t i = 0; i < f->index.bilan_count; i++) {
        const lsu_bilan *b = r->order[i];
        lsu_buf_puts(out, i ? ",\n    {" : "\n    {");
        json_field(out, "type", kind_names[b->kind], 1);
        lsu_buf_printf(out, "\"index\": %d, \"line\": %ld, ", b->index, b->line);
        json_field(out, "ine", b->ine, 1);
        json_field(out, "eleve", b->eleve, 1);
        json_field(out, "classe", b->classe_libelle, 1);
        json_field(out, "periode", b->periode, 1);
        json_field(out, "status", status_names[b->status], 0);
        lsu_buf_puts(out, "}");
    }
    lsu_buf_puts(out, f->index.bilan_count ? "\n  ]," : "],");
    json_if_fixed(r, out);
    lsu_buf_puts(out, "\n  \"diagnostics\": [");
    for (size_t i = 0; i < f->diags.len; i++) {
        const lsu_diag *d = &f->diags.items[i];
        lsu_buf_puts(out, i ? ",\n    {" : "\n    {");
        json_field(out, "code", lsu_code_lookup(d->code)->code, 1);
        json_field(out, "severity", lsu_severity_name(d->severity), 1);
        lsu_buf_printf(out, "\"line\": %ld, ", d->line);
        json_field(out, "title", lsu_code_lookup(d->code)->title, 1);
        json_field(out, "scope", scope_names[d->scope], 1);
        if (d->scope == SCOPE_BILAN) {
            json_field(out, "bilan_type", kind_names[d->bilan_kind], 1);
            lsu_buf_printf(out, "\"bilan_index\": %d, ", d->bilan_index);
        }
        json_field(out, "ine", d->ine, 1);
        json_field(out, "eleve", d->eleve, 1);
        json_field(out, "classe", d->classe, 1);
        json_field(out, "periode", d->periode, 1);
        json_field(out, "message", d->message, 0);
        if (d->omitted) /* stands for that many diagnostics left out */
            lsu_buf_printf(out, ", \"omis\": %zu", d->omitted);
        lsu_buf_puts(out, "}");
    }
    lsu_buf_puts(out, f->diags.len ? "\n  ],\n  \"non_verifiees\": [" : "],\n  \"non_verifiees\": [");
    for (size_t i = 0, n = 0; i < lsu_unchecked_rule_count; i++) {
        if (f->rules_checked & (1u << i))
            continue; /* checked against the school's store */
        lsu_buf_puts(out, n++ ? ", {" : "{");
        json_field(out, "regle", lsu_unchecked_rules[i].name, 1);
        json_field(out, "raison", lsu_unchecked_rules[i].why, 0);
        lsu_buf_puts(out, "}");
    }
    /* what to do, once per code the diagnostics use */
    unsigned char used[DIAG_COUNT];
    codes_used(f, used);
    lsu_buf_puts(out, "],\n  \"que_faire\": [");
    for (int c = 0, n = 0; c < DIAG_COUNT; c++) {
        if (!used[c])
            continue;
        const lsu_code_info *info = lsu_code_lookup((lsu_code)c);
        lsu_buf_puts(out, n++ ? ",\n    {" : "\n    {");
        json_field(out, "code", info->code, 1);
        json_field(out, "title", info->title, 1);
        json_field(out, "action", info->action, 0);
        lsu_buf_puts(out, "}");
    }
    lsu_buf_puts(out, f->diags.len ? "\n  ]\n}" : "]\n}");
}

#define SI_CORRIGE "si corrigé"
#define QUE_FAIRE "que faire"
static const char *const fixed_labels[] = {"serait importé", "serait importé avec alerte(s)", "serait rejeté"};

/* "une fois ces 3 erreurs de schéma corrigées : 11 bilans seraient importés
 * (…), 1 rejeté" for a file r->if_fixed describes. */
static void if_fixed_words(const lsu_report *r, char *out, size_t size)
{
    char errors[64];
    if (r->schema_errors == 1)
        snprintf(errors, sizeof errors, "cette erreur de schéma corrigée");
    else
        snprintf(errors, sizeof errors, "ces %zu erreurs de schéma corrigées", r->schema_errors);
    int plural = r->fixed_importes > 1;
    snprintf(
        out, size, "une fois %s : %zu bilan%s serai%s importé%s (%zu avec succès, %zu avec alerte%s), %zu rejeté%s",
        errors, r->fixed_importes, plural ? "s" : "", plural ? "ent" : "t", plural ? "s" : "", r->fixed_avec_succes,
        r->fixed_avec_alertes, r->fixed_avec_alertes > 1 ? "s" : "", r->fixed_rejetes, r->fixed_rejetes > 1 ? "s" : "");
}

/* See report.h. */
void lsu_report_csv(const lsu_report *r, lsu_buf *out)
{
    const lsu_file *f = r->file;
    lsu_buf_puts(out, "\xEF\xBB\xBF"
                      "Fichier;Ligne;Gravité;Code;Intitulé;INE;Élève;Classe;Période;Message\r\n");
    for (size_t i = 0; i < f->diags.len; i++) {
        const lsu_diag *d = &f->diags.items[i];
        lsu_buf_csv_cell(out, f->name);
        lsu_buf_printf(out, ";%ld;%s;%s;", d->line, lsu_severity_name(d->severity), lsu_code_lookup(d->code)->code);
        /* an INE made of digits would lose its leading zeros in a spreadsheet:
         * it always has a letter at the end, so it stays text */
        const char *cells[] = {lsu_code_lookup(d->code)->title, d->ine, d->eleve, d->classe, d->periode, d->message};
        lsu_buf_csv_cells(out, cells, sizeof cells / sizeof *cells);
        lsu_buf_puts(out, "\r\n");
    }
    /* then what to do, one row per code the diagnostics use */
    unsigned char used[DIAG_COUNT];
    codes_used(f, used);
    for (int c = 0; c < DIAG_COUNT; c++) {
        if (!used[c])
            continue;
        const lsu_code_info *info = lsu_code_lookup((lsu_code)c);
        lsu_buf_csv_cell(out, f->name);
        const char *cells[] = {"", QUE_FAIRE, info->code, info->title, "", "", "", "", info->action};
        lsu_buf_puts(out, ";");
        lsu_buf_csv_cells(out, cells, sizeof cells / sizeof *cells);
        lsu_buf_puts(out, "\r\n");
    }
    if (!r->if_fixed)
        return;
    /* then, apart from the diagnostics, one row for the counts and one per
     * bilan: its status once the schema errors are fixed */
    char counts[256];
    if_fixed_words(r, counts, sizeof counts);
    lsu_buf_csv_cell(out, f->name);
    const char *total[] = {"", SI_CORRIGE, "", "Une fois les erreurs de schéma corrigées", "", "", "", "", counts};
    lsu_buf_puts(out, ";");
    lsu_buf_csv_cells(out, total, sizeof total / sizeof *total);
    lsu_buf_puts(out, "\r\n");
    for (size_t i = 0; i < f->index.bilan_count; i++) {
        const lsu_bilan *b = r->order[i];
        lsu_buf_csv_cell(out, f->name);
        lsu_buf_printf(out, ";%ld;", b->line);
        const char *cells[] = {
            SI_CORRIGE,        "",         "Statut du bilan une fois les erreurs de schéma corrigées", b->ine, b->eleve,
            b->classe_libelle, b->periode, fixed_labels[r->fixed_status[b - f->index.bilans]]};
        lsu_buf_csv_cells(out, cells, sizeof cells / sizeof *cells);
        lsu_buf_puts(out, "\r\n");
    }
}

/* Sets an attribute when the value is non-NULL. */
static void set_attr(xmlNodePtr n, const char *name, const char *value)
{
    if (value)
        xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

/* Sets a numeric attribute. */
static void set_num(xmlNodePtr n, const char *name, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v);
    xmlNewProp(n, BAD_CAST name, BAD_CAST num);
}

static const char *const status_sev[] = {"ok", "alerte", "rejet"};
static const char *const status_labels[] = {"Importé", "Importé avec alerte(s)", "Rejeté"};

/* Category of a severity in the HTML page: rejet, alerte or info. */
static const char *severity_category(lsu_severity sev)
{
    return sev >= SEV_BLOQUANT ? "rejet" : sev == SEV_ALERTE ? "alerte" : "info";
}

/* Adds a <lien> to diagnostic number n under the row of every bilan the
 * diagnostic concerns (one bilan, or each bilan of a pupil); a diagnostic
 * the page does not list (!shown) is marked affiche="non". */
static void link_diagnostic(const lsu_file *f, xmlNodePtr *bilan_nodes, const lsu_diag *d, size_t n, int shown)
{
    lsu_index *ix = (lsu_index *)&f->index;
    const lsu_bilan *one = d->scope == SCOPE_BILAN ? lsu_index_bilan(ix, d->bilan_kind, d->bilan_index) : NULL;
    size_t first = one ? (size_t)(one - ix->bilans) : 0;
    size_t last = one ? first + 1 : d->scope == SCOPE_ELEVE ? ix->bilan_count : 0;
    for (size_t k = first; k < last; k++) {
        const lsu_bilan *b = &ix->bilans[k];
        if (!one && !(d->eleve_id && b->eleve_id && strcmp(d->eleve_id, b->eleve_id) == 0))
            continue;
        if (!bilan_nodes[k])
            continue;
        xmlNodePtr l = xmlNewChild(bilan_nodes[k], NULL, BAD_CAST "lien", NULL);
        set_num(l, "n", (long long)n);
        set_attr(l, "code", lsu_code_lookup(d->code)->code);
        set_attr(l, "titre", lsu_code_lookup(d->code)->title);
        set_attr(l, "cat", severity_category(d->severity));
        if (!shown)
            set_attr(l, "affiche", "non");
    }
}

/* The HTML page lists at most HTML_LIST_MAX diagnostics in each of its
 * lists (rejets, alertes, infos of the bilans périodiques, of the bilans de
 * fin de cycle and of the file) and HTML_BILANS_MAX rows in its table of
 * bilans, the first ones in file order; the counts stay exact and the page
 * says where the rest is (the CSV and JSON reports list everything).  A
 * real school is far below (about 1 500 bilans); a hostile file of empty
 * bilans no longer makes a page whose tree costs gigabytes (issue 15). */
#define HTML_LIST_MAX 2000
#define HTML_BILANS_MAX 5000

enum { LIST_PERIODIQUES, LIST_CYCLE, LIST_FICHIER };
static const char *const list_sections[] = {"bilans-periodiques", "bilans-cycle", "fichier"};
static const char *const list_groups[] = {"rejets", "alertes", "infos"};
static const char *const list_sevs[] = {"rejet", "alerte", "info"};

/* The list of the page a diagnostic goes to, section * 3 + group, by the
 * rules of xslt/rapport-html.xsl: a pupil's or a bilan's diagnostic goes to
 * the section of its kind of bilan; in doubt, to the bilans périodiques
 * unless the file holds only bilans de fin de cycle (doubt_to_cycle). */
static int html_list_of(const lsu_diag *d, int doubt_to_cycle)
{
    int section = LIST_FICHIER;
    if (d->scope == SCOPE_BILAN || d->scope == SCOPE_ELEVE) {
        lsu_bilan_kind k = d->scope == SCOPE_BILAN ? d->bilan_kind : 0;
        section = k == BILAN_PERIODIQUE ? LIST_PERIODIQUES
                  : k == BILAN_CYCLE    ? LIST_CYCLE
                  : doubt_to_cycle      ? LIST_CYCLE
                                        : LIST_PERIODIQUES;
    }
    int group = d->severity >= SEV_BLOQUANT ? 0 : d->severity == SEV_ALERTE ? 1 : 2;
    return section * 3 + group;
}

/* Adds to node the counts of the bilans of kind k: n-KIND, and by status
 * n-KIND-importe, n-KIND-importe_avec_alertes, n-KIND-rejete. */
static void set_kind_counts(xmlNodePtr node, const lsu_file *f, lsu_bilan_kind k)
{
    size_t n = 0, by[3] = {0, 0, 0};
    for (size_t i = 0; i < f->index.bilan_count; i++) {
        const lsu_bilan *b = &f->index.bilans[i];
        if (b->kind != k)
            continue;
        n++;
        by[b->status]++;
    }
    char name[64];
    snprintf(name, sizeof name, "n-%s", kind_names[k]);
    set_num(node, name, (long long)n);
    for (int st = 0; st < 3; st++) {
        snprintf(name, sizeof name, "n-%s-%s", kind_names[k], status_names[st]);
        set_num(node, name, (long long)by[st]);
    }
}

/* See report.h. */
xmlDocPtr lsu_report_xml(const lsu_report *r)
{
    const lsu_file *f = r->file;
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    if (!doc)
        return NULL;
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "rapport");
    xmlDocSetRootElement(doc, root);
    set_attr(root, "outil", "lsu");
    set_attr(root, "version", LSU_VERSION);
    char size[32], date_iso[21], date_fr[64];
    format_size(f->size, size, sizeof size);
    lsu_format_datetime_iso(f->run_time, date_iso);
    lsu_format_datetime_fr(f->run_time, date_fr, sizeof date_fr);
    xmlNodePtr fichier = xmlNewChild(root, NULL, BAD_CAST "fichier", NULL);
    set_attr(fichier, "nom", f->name);
    set_attr(fichier, "chemin", f->path);
    set_num(fichier, "octets", f->size);
    set_attr(fichier, "taille", size);
    set_attr(fichier, "date", date_iso);
    set_attr(fichier, "date-texte", date_fr);
    set_attr(fichier, "uai", f->uai);
    set_attr(fichier, "editeur", f->editeur);
    set_attr(fichier, "application", f->application);
    set_attr(fichier, "version-schema", f->schema_version);
    xmlNodePtr verdict = xmlNewChild(root, NULL, BAD_CAST "verdict", NULL);
    set_attr(verdict, "code", r->conforme ? "conforme" : "non_conforme");
    set_attr(verdict, "fichier-rejete", r->file_rejected ? "oui" : "non");
    xmlNodePtr classes = xmlNewChild(root, NULL, BAD_CAST "classes", NULL);
    for (size_t i = 0; i < r->class_count; i++)
        xmlNewTextChild(classes, NULL, BAD_CAST "classe", BAD_CAST r->classes[i]);
    xmlNodePtr counts = xmlNewChild(root, NULL, BAD_CAST "compteurs", NULL);
    set_num(counts, "traites", (long long)r->traites);
    set_num(counts, "importes", (long long)r->importes);
    set_num(counts, "avec-succes", (long long)r->avec_succes);
    set_num(counts, "avec-alertes", (long long)r->avec_alertes);
    set_num(counts, "rejetes", (long long)r->rejetes);
    xmlNodePtr fixed = NULL;
    if (r->if_fixed) {
        char words[256];
        if_fixed_words(r, words, sizeof words);
        fixed = xmlNewTextChild(root, NULL, BAD_CAST "si-corrige", BAD_CAST words);
        set_num(fixed, "erreurs-schema", (long long)r->schema_errors);
        set_num(fixed, "importes", (long long)r->fixed_importes);
        set_num(fixed, "avec-succes", (long long)r->fixed_avec_succes);
        set_num(fixed, "avec-alertes", (long long)r->fixed_avec_alertes);
        set_num(fixed, "rejetes", (long long)r->fixed_rejetes);
    }
    xmlNodePtr bilans = xmlNewChild(root, NULL, BAD_CAST "bilans", NULL);
    set_num(bilans, "total", (long long)f->index.bilan_count);
    set_kind_counts(bilans, f, BILAN_PERIODIQUE);
    set_kind_counts(bilans, f, BILAN_CYCLE);
    xmlNodePtr *bilan_nodes = calloc(f->index.bilan_count + 1, sizeof(xmlNodePtr));
    if (!bilan_nodes) {
        xmlFreeDoc(doc);
        return NULL;
    }
    for (size_t i = 0; i < f->index.bilan_count && i < HTML_BILANS_MAX; i++) {
        const lsu_bilan *b = r->order[i];
        xmlNodePtr n = xmlNewChild(bilans, NULL, BAD_CAST "bilan", NULL);
        bilan_nodes[b - f->index.bilans] = n;
        set_num(n, "n", (long long)i + 1);
        set_attr(n, "type", kind_names[b->kind]);
        set_attr(n, "type-libelle", b->kind == BILAN_CYCLE ? "Fin de cycle" : "Périodique");
        set_attr(n, "sev", status_sev[b->status]);
        set_attr(n, "statut-libelle", status_labels[b->status]);
        set_attr(n, "ine", b->ine);
        set_attr(n, "eleve", b->eleve);
        set_attr(n, "classe", b->classe_libelle);
        set_attr(n, "periode", b->periode);
        set_attr(n, "statut", status_names[b->status]);
        set_num(n, "ligne", b->line);
        if (fixed) {
            lsu_bilan_status st = r->fixed_status[b - f->index.bilans];
            set_attr(n, "statut-si-corrige", status_names[st]);
            set_attr(n, "statut-si-corrige-libelle", fixed_labels[st]);
        }
    }
    xmlNodePtr diags = xmlNewChild(root, NULL, BAD_CAST "diagnostics", NULL);
    int doubt_to_cycle = 0, any_periodique = 0;
    for (size_t i = 0; i < f->index.bilan_count; i++) {
        any_periodique |= f->index.bilans[i].kind == BILAN_PERIODIQUE;
        doubt_to_cycle |= f->index.bilans[i].kind == BILAN_CYCLE;
    }
    doubt_to_cycle &= !any_periodique;
    size_t list_total[9] = {0};
    for (size_t i = 0; i < f->diags.len; i++) {
        const lsu_diag *d = &f->diags.items[i];
        if (++list_total[html_list_of(d, doubt_to_cycle)] > HTML_LIST_MAX) {
            link_diagnostic(f, bilan_nodes, d, i + 1, 0);
            continue;
        }
        xmlNodePtr n = xmlNewTextChild(diags, NULL, BAD_CAST "diagnostic", BAD_CAST d->message);
        set_num(n, "n", (long long)i + 1);
        set_attr(n, "code", lsu_code_lookup(d->code)->code);
        set_attr(n, "severite", lsu_severity_name(d->severity));
        set_attr(n, "titre", lsu_code_lookup(d->code)->title);
        set_attr(n, "portee", scope_names[d->scope]);
        set_attr(n, "type-bilan", kind_names[d->scope == SCOPE_BILAN ? d->bilan_kind : 0]);
        if (d->line)
            set_num(n, "ligne", d->line);
        set_attr(n, "ine", d->ine);
        set_attr(n, "eleve", d->eleve);
        set_attr(n, "classe", d->classe);
        set_attr(n, "periode", d->periode);
        link_diagnostic(f, bilan_nodes, d, i + 1, 1);
    }
    free(bilan_nodes);
    /* every list's exact size, for the counts and the « N autres » line */
    xmlNodePtr lists = xmlNewChild(root, NULL, BAD_CAST "listes", NULL);
    for (int l = 0; l < 9; l++) {
        if (!list_total[l])
            continue;
        char id[64];
        snprintf(id, sizeof id, "%s-%s", list_sections[l / 3], list_groups[l % 3]);
        xmlNodePtr n = xmlNewChild(lists, NULL, BAD_CAST "liste", NULL);
        set_attr(n, "id", id);
        set_attr(n, "sev", list_sevs[l % 3]);
        set_num(n, "total", (long long)list_total[l]);
        set_num(n, "affiches", (long long)(list_total[l] > HTML_LIST_MAX ? HTML_LIST_MAX : list_total[l]));
    }
    xmlNodePtr todo = xmlNewChild(root, NULL, BAD_CAST "que-faire", NULL);
    unsigned char used[DIAG_COUNT];
    codes_used(f, used);
    for (int c = 0; c < DIAG_COUNT; c++) {
        if (!used[c])
            continue;
        const lsu_code_info *info = lsu_code_lookup((lsu_code)c);
        xmlNodePtr n = xmlNewTextChild(todo, NULL, BAD_CAST "code", BAD_CAST info->action);
        set_attr(n, "code", info->code);
        set_attr(n, "titre", info->title);
        set_attr(n, "severite", lsu_severity_name(info->severity));
    }
    xmlNodePtr unchecked = xmlNewChild(root, NULL, BAD_CAST "non-verifiees", NULL);
    for (size_t i = 0; i < lsu_unchecked_rule_count; i++) {
        if (f->rules_checked & (1u << i))
            continue; /* checked against the school's store */
        xmlNodePtr n = xmlNewTextChild(unchecked, NULL, BAD_CAST "regle", BAD_CAST lsu_unchecked_rules[i].why);
        set_attr(n, "nom", lsu_unchecked_rules[i].name);
    }
    return doc;
}

/* See report.h. */
int lsu_report_html(const lsu_report *r, lsu_runtime *rt, lsu_buf *out)
{
    xmlDocPtr xml = lsu_report_xml(r);
    if (!xml)
        return -1;
    xmlDocPtr html = xsltApplyStylesheet(rt->report_html, xml, NULL);
    xmlFreeDoc(xml);
    if (!html)
        return -1;
    xmlChar *mem = NULL;
    int len = 0;
    int rc = xsltSaveResultToString(&mem, &len, html, rt->report_html);
    xmlFreeDoc(html);
    if (rc != 0 || !mem) {
        xmlFree(mem);
        return -1;
    }
    lsu_buf_add(out, (const char *)mem, (size_t)len);
    xmlFree(mem);
    return out->failed ? -1 : 0;
}

/* See report.h. */
void lsu_report_text(const lsu_report *r, lsu_buf *out)
{
    for (size_t i = 0; i < r->file->diags.len; i++)
        lsu_diag_text(&r->file->diags.items[i], r->file->path, out);
}

/* See report.h. */
void lsu_report_summary(const lsu_report *r, lsu_buf *out)
{
    lsu_buf_puts_visible(out, r->file->path);
    lsu_buf_printf(out, ": %zu traité%s, %zu importé%s (%zu avec succès, %zu avec alerte%s), %zu rejeté%s : %s%s\n",
                   r->traites, r->traites > 1 ? "s" : "", r->importes, r->importes > 1 ? "s" : "", r->avec_succes,
                   r->avec_alertes, r->avec_alertes > 1 ? "s" : "", r->rejetes, r->rejetes > 1 ? "s" : "",
                   r->conforme ? "conforme" : "non conforme", r->file_rejected ? " (fichier rejeté)" : "");
    if (r->if_fixed) {
        char words[256];
        if_fixed_words(r, words, sizeof words);
        lsu_buf_puts_visible(out, r->file->path);
        lsu_buf_printf(out, ": %s\n", words);
    }
}
