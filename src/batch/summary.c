/* The académie summary of a batch (see summary.h): per school the counters,
 * the verdict, the most frequent diagnostics and the links to its reports,
 * as academie.html (self-contained), academie.json and academie.csv, and
 * one screen on stderr.  Everything is sorted (school, then file) and
 * dated from SOURCE_DATE_EPOCH when set: same records, same bytes. */
#include "batch/summary.h"
#include "base/diag.h"
#include "base/util.h"
#include "lsu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TOP_CODES 5
#define SCREEN_SCHOOLS 10

typedef enum { V_CONFORME = 0, V_NON_CONFORME, V_FICHIER_REJETE, V_ECHEC } school_verdict;

static const char *const verdict_key[] = {"conforme", "non_conforme", "fichier_rejete", "echec"};
static const char *const verdict_label[] = {"conforme", "non conforme", "fichier rejeté", "en échec"};

typedef struct {
    const char *code, *title;
    size_t count;
    int rank; /* place in the catalogue (catalog.def) */
} code_count;

/* One school: a run of records with the same UAI in the sorted array. */
typedef struct {
    const char *uai;
    lsu_batch_record *first;
    size_t files;
    size_t traites, importes, avec_alertes, rejetes, failed, pdfs;
    school_verdict verdict;
    code_count *codes; /* owned, in the catalogue's order (cmp_code_count) */
    size_t ncodes;
    const lsu_school_entry *listed; /* in the académie's list (--schools), else NULL */
} school;

/* Orders records by school, then file path. */
static int cmp_record(const void *a, const void *b)
{
    const lsu_batch_record *x = a, *y = b;
    int c = strcmp(x->uai, y->uai);
    return c ? c : strcmp(x->path, y->path);
}

/* Orders a school's codes as the catalogue lists them (src/base/catalog.def):
 * its families in the order the checks run (reading, format, schema,
 * references, rules, PDF, ONDE, batch, settings, store) and, within a
 * family, a cause before the codes it causes: a file refused whole (LEC,
 * FMT, XSD) before what its bilans would have had, PAR002 (Classe non
 * trouvée) before PAR003 (Périodes non paramétrées, its consequence for
 * every other bilan of the class), PAR003 before PAR004 (the periods'
 * dates).  The cause of a cascade is then read first, whatever its count. */
static int cmp_code_count(const void *a, const void *b)
{
    const code_count *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Adds the "CODE:n …" list of a record into the school's counts; 0 or -1. */
static int add_codes(school *s, const char *list)
{
    const char *p = list ? list : "";
    char token[64];
    while (lsu_next_token(&p, token, sizeof token)) {
        char *colon = strchr(token, ':');
        if (!colon)
            continue;
        *colon = '\0';
        const lsu_code_info *info = lsu_code_find(token);
        /* notes (info) are not what a school has to fix */
        if (!info || info->severity == SEV_INFO)
            continue;
        size_t n = (size_t)strtoull(colon + 1, NULL, 10);
        size_t i = 0;
        while (i < s->ncodes && strcmp(s->codes[i].code, info->code) != 0)
            i++;
        if (i == s->ncodes) {
            code_count *c = realloc(s->codes, (s->ncodes + 1) * sizeof *c);
            if (!c)
                return -1;
            s->codes = c;
            s->codes[s->ncodes++] =
                (code_count){info->code, info->title, 0, (int)(info - lsu_code_lookup((lsu_code)0))};
        }
        s->codes[i].count += n;
    }
    return 0;
}

/* Groups the sorted records into schools; returns the array (caller frees
 * it and each codes array) and its length, or NULL when memory ran out. */
static school *group_schools(lsu_batch_record *r, size_t n, const lsu_school_list *list, size_t *nschools)
{
    school *s = calloc(n + 1, sizeof *s);
    if (!s)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        school *c = &s[k++];
        c->uai = r[i].uai;
        c->first = &r[i];
        c->listed = lsu_school_list_find(list, c->uai);
        size_t j = i;
        int any_rejected_file = 0;
        for (; j < n && strcmp(r[j].uai, c->uai) == 0; j++) {
            c->files++;
            c->traites += r[j].traites;
            c->importes += r[j].importes;
            c->avec_alertes += r[j].avec_alertes;
            c->rejetes += r[j].rejetes;
            c->pdfs += r[j].pdfs;
            c->failed += r[j].failure != NULL;
            any_rejected_file |= r[j].file_rejected;
            if (add_codes(c, r[j].codes) != 0) {
                for (size_t m = 0; m < k; m++)
                    free(s[m].codes);
                free(s);
                return NULL;
            }
            if (r[j].failure) {
                /* a failed file is one more code of its school */
                char failed_code[32];
                snprintf(failed_code, sizeof failed_code, "%s:1", r[j].failure);
                add_codes(c, failed_code);
            }
        }
        c->verdict = c->failed           ? V_ECHEC
                     : any_rejected_file ? V_FICHIER_REJETE
                     : c->rejetes        ? V_NON_CONFORME
                                         : V_CONFORME;
        if (c->ncodes)
            qsort(c->codes, c->ncodes, sizeof *c->codes, cmp_code_count);
        i = j;
    }
    *nschools = k;
    return s;
}

/* The report of a record, relative to the summary's folder; caller frees.
 * NULL for a failed file (no report). */
static char *report_link(const lsu_batch_record *r)
{
    return r->failure ? NULL : lsu_asprintf("%s/%s.rapport.html", r->uai, r->stem);
}

/* "PAR002 Classe non trouvée (1), PAR003 Périodes non paramétrées (3)":
 * a school's codes in the catalogue's order into b, at most `max` of them
 * (0: all), and « … » when some are left out. */
static void codes_text(lsu_buf *b, const school *s, size_t max)
{
    for (size_t i = 0; i < s->ncodes && (max == 0 || i < max); i++)
        lsu_buf_printf(b, "%s%s %s (%zu)", i ? ", " : "", s->codes[i].code, s->codes[i].title, s->codes[i].count);
    if (max && s->ncodes > max)
        lsu_buf_printf(b, ", … (%zu autre%s)", s->ncodes - max, s->ncodes - max > 1 ? "s" : "");
}

/* Appends s with the five HTML special characters escaped. */
static void html_text(lsu_buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': lsu_buf_puts(b, "&amp;"); break;
        case '<': lsu_buf_puts(b, "&lt;"); break;
        case '>': lsu_buf_puts(b, "&gt;"); break;
        case '"': lsu_buf_puts(b, "&quot;"); break;
        case '\'': lsu_buf_puts(b, "&#39;"); break;
        default: lsu_buf_add(b, p, 1);
        }
    }
}

/* Appends a link target: the path with each segment percent-encoded where
 * a URL needs it (UTF-8 bytes and specials), '/' kept. */
static void url_path(lsu_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-_.~", *p)) {
            lsu_buf_add(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            lsu_buf_add(b, e, 3);
        }
    }
}

typedef struct {
    size_t schools, files, traites, importes, avec_alertes, rejetes, failed, pdfs;
    size_t by_verdict[4];
} totals;

/* Sums the schools. */
static totals sum_schools(const school *s, size_t n)
{
    totals t = {0};
    t.schools = n;
    for (size_t i = 0; i < n; i++) {
        t.files += s[i].files;
        t.traites += s[i].traites;
        t.importes += s[i].importes;
        t.avec_alertes += s[i].avec_alertes;
        t.rejetes += s[i].rejetes;
        t.failed += s[i].failed;
        t.pdfs += s[i].pdfs;
        t.by_verdict[s[i].verdict]++;
    }
    return t;
}

/* academie.json. */
static void write_json(lsu_buf *b, const school *s, size_t n, const totals *t, const char *date)
{
    lsu_buf_printf(b, "{\n \"outil\": \"lsu %s\",\n \"date\": \"%s\",\n", LSU_VERSION, date);
    lsu_buf_printf(b,
                   " \"totaux\": {\"ecoles\": %zu, \"fichiers\": %zu, \"traites\": %zu, \"importes\": %zu, "
                   "\"avec_alertes\": %zu, \"rejetes\": %zu, \"fichiers_en_echec\": %zu, \"pdf\": %zu, "
                   "\"ecoles_conformes\": %zu, \"ecoles_non_conformes\": %zu, \"ecoles_fichier_rejete\": %zu, "
                   "\"ecoles_en_echec\": %zu},\n \"ecoles\": [",
                   t->schools, t->files, t->traites, t->importes, t->avec_alertes, t->rejetes, t->failed, t->pdfs,
                   t->by_verdict[V_CONFORME], t->by_verdict[V_NON_CONFORME], t->by_verdict[V_FICHIER_REJETE],
                   t->by_verdict[V_ECHEC]);
    for (size_t i = 0; i < n; i++) {
        const school *c = &s[i];
        lsu_buf_puts(b, i ? ",\n  {\"uai\": " : "\n  {\"uai\": ");
        lsu_buf_json_string(b, c->uai);
        lsu_buf_puts(b, ", \"nom\": ");
        lsu_buf_json_string(b, c->listed ? c->listed->nom : NULL);
        lsu_buf_puts(b, ", \"commune\": ");
        lsu_buf_json_string(b, c->listed ? c->listed->commune : NULL);
        lsu_buf_printf(b,
                       ", \"verdict\": \"%s\", \"fichiers\": %zu, \"traites\": %zu, \"importes\": %zu, "
                       "\"avec_alertes\": %zu, \"rejetes\": %zu, \"fichiers_en_echec\": %zu, \"pdf\": %zu,\n"
                       "   \"diagnostics\": [",
                       verdict_key[c->verdict], c->files, c->traites, c->importes, c->avec_alertes, c->rejetes,
                       c->failed, c->pdfs);
        for (size_t k = 0; k < c->ncodes; k++) {
            lsu_buf_printf(b, "%s{\"code\": \"%s\", \"titre\": ", k ? ", " : "", c->codes[k].code);
            lsu_buf_json_string(b, c->codes[k].title);
            lsu_buf_printf(b, ", \"nombre\": %zu}", c->codes[k].count);
        }
        lsu_buf_puts(b, "],\n   \"exports\": [");
        for (size_t k = 0; k < c->files; k++) {
            const lsu_batch_record *r = &c->first[k];
            char *link = report_link(r);
            lsu_buf_puts(b, k ? ",\n    {\"fichier\": " : "\n    {\"fichier\": ");
            lsu_buf_json_string(b, r->path);
            lsu_buf_puts(b, ", \"rapport\": ");
            lsu_buf_json_string(b, link);
            lsu_buf_printf(b,
                           ", \"statut\": %d, \"traites\": %zu, \"importes\": %zu, \"avec_alertes\": %zu, "
                           "\"rejetes\": %zu, \"fichier_rejete\": %s, \"pdf\": %zu, \"zips\": %zu, \"echec\": ",
                           r->status, r->traites, r->importes, r->avec_alertes, r->rejetes,
                           r->file_rejected ? "true" : "false", r->pdfs, r->zips);
            lsu_buf_json_string(b, r->failure);
            lsu_buf_puts(b, ", \"message\": ");
            lsu_buf_json_string(b, r->message);
            lsu_buf_puts(b, "}");
            free(link);
        }
        lsu_buf_puts(b, "\n   ]}");
    }
    lsu_buf_puts(b, "\n ]\n}\n");
}

/* academie.csv: one row per school, BOM, ';', CRLF, as the report CSV. */
static void write_csv(lsu_buf *b, const school *s, size_t n)
{
    lsu_buf_puts(b, "\xEF\xBB\xBF");
    static const char *const head[] = {"UAI",     "Nom",         "Commune",      "Verdict", "Exports",
                                       "Traités", "Importés",    "Avec alertes", "Rejetés", "Fichiers en échec",
                                       "PDF",     "Diagnostics", "Rapports"};
    lsu_buf_csv_cells(b, head, sizeof head / sizeof *head);
    lsu_buf_puts(b, "\r\n");
    for (size_t i = 0; i < n; i++) {
        const school *c = &s[i];
        char num[7][32];
        size_t v[7] = {c->files, c->traites, c->importes, c->avec_alertes, c->rejetes, c->failed, c->pdfs};
        for (int k = 0; k < 7; k++)
            snprintf(num[k], sizeof num[k], "%zu", v[k]);
        lsu_buf codes = {0}, links = {0};
        lsu_buf_puts(&codes, "");
        lsu_buf_puts(&links, "");
        codes_text(&codes, c, 0);
        for (size_t k = 0; k < c->files; k++) {
            char *link = report_link(&c->first[k]);
            if (link)
                lsu_buf_printf(&links, "%s%s", links.len ? " " : "", link);
            free(link);
        }
        const char *cells[] = {c->uai,
                               c->listed ? c->listed->nom : "",
                               c->listed ? c->listed->commune : "",
                               verdict_label[c->verdict],
                               num[0],
                               num[1],
                               num[2],
                               num[3],
                               num[4],
                               num[5],
                               num[6],
                               codes.data ? codes.data : "",
                               links.data ? links.data : ""};
        lsu_buf_csv_cells(b, cells, sizeof cells / sizeof *cells);
        lsu_buf_puts(b, "\r\n");
        lsu_buf_free(&codes);
        lsu_buf_free(&links);
    }
}

static const char css[] =
    "body{margin:0;background:#f6f6f6;color:#161616;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"Noto Sans\",Arial,sans-serif;line-height:1.5}\n"
    ".conteneur{max-width:80rem;margin:0 auto;padding:1rem 1.5rem}\n"
    "header{background:#fff;border-bottom:1px solid #ddd}\n"
    "h1{font-size:1.75rem;margin:.5rem 0}\n"
    ".discret{color:#5e5e5e;font-size:.875rem}\n"
    ".totaux{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;list-style:none;"
    "padding:0;margin:1rem 0}\n"
    ".totaux li{background:#fff;border:1px solid #ddd;border-top:4px solid #000091;border-radius:6px;padding:.6rem "
    ".9rem}\n"
    ".totaux strong{display:block;font-size:1.5rem}\n"
    "table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}\n"
    "th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}\n"
    "th{background:#f5f5fe}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".v{font-weight:700;white-space:nowrap}\n"
    ".v-conforme{color:#18753c}.v-non_conforme{color:#a94100}.v-fichier_rejete,.v-echec{color:#ce0500}\n"
    "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}\n"
    "ul.liens{margin:0;padding-left:1rem}\n"
    ".tri-filtre{margin:1rem 0;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}\n"
    ".tri-filtre[hidden]{display:none}\n"
    "@media print{body{background:#fff}}\n";

/* The sort and filter of academie.html: shown by the script only (the
 * table reads fully without it); the script reads the rows' data-*
 * attributes, no value of the records is pasted into it. */
static const char html_script[] =
    "(function(){var f=document.getElementById('tri-filtre');if(!f)return;f.hidden=false;\n"
    "var tb=document.querySelector('#ecoles tbody'),rows=Array.prototype.slice.call(tb.rows);\n"
    "var tri=document.getElementById('tri'),filtre=document.getElementById('filtre'),"
    "etat=document.getElementById('etat');\n"
    "function k(r,n){return r.getAttribute('data-'+n)||'';}\n"
    "function apply(){var by=tri.value,v=filtre.value,n=0;\n"
    "rows.slice().sort(function(a,b){var c=by==='rejetes'?(+k(b,by))-(+k(a,by)):"
    "k(a,by).localeCompare(k(b,by),'fr');\n"
    "return c||(k(a,'uai')<k(b,'uai')?-1:k(a,'uai')>k(b,'uai')?1:0);}).forEach(function(r){\n"
    "var show=v===''||(v==='rejets'?(+k(r,'rejetes')>0||k(r,'verdict')==='fichier_rejete'||"
    "k(r,'verdict')==='echec'):(' '+k(r,'codes')+' ').indexOf(' '+v+' ')>=0);\n"
    "r.hidden=!show;if(show)n++;tb.appendChild(r);});\n"
    "etat.textContent=n+(n>1?' écoles affichées':' école affichée')+' sur '+rows.length+'.';}\n"
    "tri.addEventListener('change',apply);filtre.addEventListener('change',apply);apply();})();\n";

/* Appends the sort and filter form: the sorts, then « toutes », « avec des
 * rejets » and one entry per code met in the académie (catalogue order). */
static void html_controls(lsu_buf *b, const school *s, size_t n, int named)
{
    lsu_buf_puts(b, "<form id=\"tri-filtre\" class=\"tri-filtre\" hidden>\n<label for=\"tri\">Trier par</label> "
                    "<select id=\"tri\"><option value=\"uai\">UAI</option>");
    if (named)
        lsu_buf_puts(b, "<option value=\"nom\">nom de l’école</option><option value=\"commune\">commune</option>");
    lsu_buf_puts(b, "<option value=\"rejetes\">bilans rejetés (le plus d’abord)</option></select>\n"
                    "<label for=\"filtre\">Afficher</label> <select id=\"filtre\"><option value=\"\">toutes les "
                    "écoles</option><option value=\"rejets\">les écoles avec des rejets</option>");
    for (int rank = 0; rank < DIAG_COUNT; rank++) {
        int met = 0;
        for (size_t i = 0; i < n && !met; i++)
            for (size_t k = 0; k < s[i].ncodes && !met; k++)
                met = s[i].codes[k].rank == rank;
        if (!met)
            continue;
        const lsu_code_info *info = lsu_code_lookup((lsu_code)rank);
        lsu_buf_printf(b, "<option value=\"%s\">les écoles avec %s – ", info->code, info->code);
        html_text(b, info->title);
        lsu_buf_puts(b, "</option>");
    }
    lsu_buf_puts(b, "</select>\n<span id=\"etat\" class=\"discret\" aria-live=\"polite\"></span>\n</form>\n");
}

/* academie.html: one self-contained page; `named`: the académie's list
 * was given (the name and commune columns). */
static void write_html(lsu_buf *b, const school *s, size_t n, const totals *t, const char *date_fr, int named)
{
    lsu_buf_printf(b,
                   "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"UTF-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"lsu %s\">\n"
                   "<title>Synthèse de l’académie – Livret scolaire unique</title>\n<style>\n%s</style>\n</head>\n"
                   "<body>\n<header><div class=\"conteneur\"><strong>Livret scolaire unique</strong> · "
                   "Import des bilans · École élémentaire</div></header>\n<main class=\"conteneur\">\n"
                   "<h1>Synthèse de l’académie</h1>\n<p class=\"discret\">Produite par lsu %s %s.</p>\n",
                   LSU_VERSION, css, LSU_VERSION, date_fr);
    lsu_buf_printf(b,
                   "<ul class=\"totaux\">\n<li><strong>%zu</strong> école%s</li>\n<li><strong>%zu</strong> "
                   "export%s</li>\n<li><strong>%zu</strong> bilans traités</li>\n<li><strong>%zu</strong> "
                   "importés</li>\n<li><strong>%zu</strong> avec alertes</li>\n<li><strong>%zu</strong> "
                   "rejetés</li>\n<li><strong>%zu</strong> fichier%s en échec</li>\n</ul>\n",
                   t->schools, t->schools > 1 ? "s" : "", t->files, t->files > 1 ? "s" : "", t->traites, t->importes,
                   t->avec_alertes, t->rejetes, t->failed, t->failed > 1 ? "s" : "");
    lsu_buf_printf(b,
                   "<p>Écoles conformes : %zu ; non conformes : %zu ; avec un fichier rejeté : %zu ; en échec : "
                   "%zu.</p>\n",
                   t->by_verdict[V_CONFORME], t->by_verdict[V_NON_CONFORME], t->by_verdict[V_FICHIER_REJETE],
                   t->by_verdict[V_ECHEC]);
    html_controls(b, s, n, named);
    lsu_buf_printf(b,
                   "<table id=\"ecoles\">\n<thead><tr><th scope=\"col\">UAI</th>%s<th scope=\"col\">Verdict</th>"
                   "<th scope=\"col\">Traités</th><th scope=\"col\">Importés</th><th scope=\"col\">Avec alertes</th>"
                   "<th scope=\"col\">Rejetés</th><th scope=\"col\">PDF</th>"
                   "<th scope=\"col\">Diagnostics (la cause avant ses conséquences)</th>"
                   "<th scope=\"col\">Rapports</th></tr></thead>\n<tbody>\n",
                   named ? "<th scope=\"col\">École</th><th scope=\"col\">Commune</th>" : "");
    for (size_t i = 0; i < n; i++) {
        const school *c = &s[i];
        lsu_buf_puts(b, "<tr data-uai=\"");
        html_text(b, c->uai);
        lsu_buf_puts(b, "\" data-nom=\"");
        html_text(b, c->listed ? c->listed->nom : "");
        lsu_buf_puts(b, "\" data-commune=\"");
        html_text(b, c->listed ? c->listed->commune : "");
        lsu_buf_printf(b, "\" data-rejetes=\"%zu\" data-verdict=\"%s\" data-codes=\"", c->rejetes,
                       verdict_key[c->verdict]);
        for (size_t k = 0; k < c->ncodes; k++)
            lsu_buf_printf(b, "%s%s", k ? " " : "", c->codes[k].code);
        lsu_buf_puts(b, "\"><th scope=\"row\"><code>");
        html_text(b, strcmp(c->uai, LSU_BATCH_NO_UAI) == 0 ? "École non identifiée" : c->uai);
        lsu_buf_puts(b, "</code></th>");
        if (named) {
            lsu_buf_puts(b, "<td>");
            html_text(b, c->listed ? c->listed->nom : "");
            lsu_buf_puts(b, "</td><td>");
            html_text(b, c->listed ? c->listed->commune : "");
            lsu_buf_puts(b, "</td>");
        }
        lsu_buf_printf(b,
                       "<td class=\"v v-%s\">%s</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                       "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td>",
                       verdict_key[c->verdict], verdict_label[c->verdict], c->traites, c->importes, c->avec_alertes,
                       c->rejetes, c->pdfs);
        for (size_t k = 0; k < c->ncodes; k++) {
            lsu_buf_printf(b, "%s<code>%s</code> ", k ? ", " : "", c->codes[k].code);
            html_text(b, c->codes[k].title);
            lsu_buf_printf(b, " (%zu)", c->codes[k].count);
        }
        lsu_buf_puts(b, "</td><td><ul class=\"liens\">");
        for (size_t k = 0; k < c->files; k++) {
            const lsu_batch_record *r = &c->first[k];
            char *link = report_link(r);
            lsu_buf_puts(b, "<li>");
            if (link) {
                lsu_buf_puts(b, "<a href=\"");
                url_path(b, link);
                lsu_buf_puts(b, "\">");
                html_text(b, r->path);
                lsu_buf_puts(b, "</a>");
            } else {
                html_text(b, r->path);
                lsu_buf_printf(b, " : <code>%s</code> ", r->failure);
                html_text(b, r->message);
            }
            lsu_buf_puts(b, "</li>");
            free(link);
        }
        lsu_buf_puts(b, "</ul></td></tr>\n");
    }
    lsu_buf_printf(b, "</tbody>\n</table>\n</main>\n<script>\n%s</script>\n</body>\n</html>\n", html_script);
}

/* The one-screen summary on err. */
static void write_screen(FILE *err, const char *out_dir, const school *s, size_t n, const totals *t)
{
    fprintf(err,
            "Académie : %zu école%s, %zu export%s ; %zu bilan%s traité%s, %zu importé%s (%zu avec alerte%s), %zu "
            "rejeté%s ; %zu PDF.\n",
            t->schools, t->schools > 1 ? "s" : "", t->files, t->files > 1 ? "s" : "", t->traites,
            t->traites > 1 ? "s" : "", t->traites > 1 ? "s" : "", t->importes, t->importes > 1 ? "s" : "",
            t->avec_alertes, t->avec_alertes > 1 ? "s" : "", t->rejetes, t->rejetes > 1 ? "s" : "", t->pdfs);
    fprintf(err,
            "Écoles : %zu conforme%s, %zu non conforme%s, %zu avec un fichier rejeté, %zu en échec (%zu "
            "fichier%s non traité%s).\n",
            t->by_verdict[V_CONFORME], t->by_verdict[V_CONFORME] > 1 ? "s" : "", t->by_verdict[V_NON_CONFORME],
            t->by_verdict[V_NON_CONFORME] > 1 ? "s" : "", t->by_verdict[V_FICHIER_REJETE], t->by_verdict[V_ECHEC],
            t->failed, t->failed > 1 ? "s" : "", t->failed > 1 ? "s" : "");
    size_t shown = 0, todo = n - t->by_verdict[V_CONFORME];
    /* the worst first: failures, rejected files, then rejected bilans */
    for (int v = V_ECHEC; v > V_CONFORME; v--) {
        for (size_t i = 0; i < n && shown < SCREEN_SCHOOLS; i++) {
            if ((int)s[i].verdict != v)
                continue;
            if (shown++ == 0)
                fprintf(err, "À revoir :\n");
            lsu_buf codes = {0};
            lsu_buf_puts(&codes, "");
            codes_text(&codes, &s[i], TOP_CODES);
            fprintf(err, "  %s%s%s%s%s%s : %s, %zu traité%s, %zu rejeté%s%s%s\n", s[i].uai, s[i].listed ? " " : "",
                    s[i].listed ? s[i].listed->nom : "", s[i].listed && *s[i].listed->commune ? " (" : "",
                    s[i].listed ? s[i].listed->commune : "", s[i].listed && *s[i].listed->commune ? ")" : "",
                    verdict_label[s[i].verdict], s[i].traites, s[i].traites > 1 ? "s" : "", s[i].rejetes,
                    s[i].rejetes > 1 ? "s" : "", codes.len ? " ; " : "", codes.data ? codes.data : "");
            lsu_buf_free(&codes);
        }
    }
    if (todo > shown)
        fprintf(err, "  … et %zu autre%s école%s à revoir.\n", todo - shown, todo - shown > 1 ? "s" : "",
                todo - shown > 1 ? "s" : "");
    fprintf(err, "Synthèse : %s/academie.html, academie.json, academie.csv\n", out_dir);
}

/* Writes one summary file; 0, or -1 (said on err). */
static int write_out(const char *dir, const char *name, const lsu_buf *b, FILE *err)
{
    char *path = lsu_asprintf("%s/%s", dir, name);
    int rc = -1;
    if (path && !b->failed && (rc = lsu_write_file_atomic(path, b->data, b->len)) != 0)
        fprintf(err, "lsu: écriture de %s impossible : %s\n", path, lsu_strerror_fr(errno));
    else if (!path || b->failed)
        fprintf(err, "lsu: %s/%s : mémoire insuffisante\n", dir, name);
    free(path);
    return rc;
}

/* See summary.h. */
int lsu_summary_write(const char *out_dir, lsu_batch_record *records, size_t n, const lsu_school_list *list, FILE *err)
{
    if (n)
        qsort(records, n, sizeof *records, cmp_record);
    size_t nschools = 0;
    school *s = group_schools(records, n, list, &nschools);
    if (!s) {
        fprintf(err, "lsu: mémoire insuffisante pour la synthèse\n");
        return -1;
    }
    totals t = sum_schools(s, nschools);
    time_t now = lsu_run_time();
    char iso[21], fr[64];
    lsu_format_datetime_iso(now, iso);
    lsu_format_datetime_fr(now, fr, sizeof fr);
    lsu_buf b = {0};
    int rc = 0;
    write_json(&b, s, nschools, &t, iso);
    rc |= write_out(out_dir, "academie.json", &b, err);
    b.len = 0;
    write_csv(&b, s, nschools);
    rc |= write_out(out_dir, "academie.csv", &b, err);
    b.len = 0;
    write_html(&b, s, nschools, &t, fr, list != NULL);
    rc |= write_out(out_dir, "academie.html", &b, err);
    lsu_buf_free(&b);
    write_screen(err, out_dir, s, nschools, &t);
    for (size_t i = 0; i < nschools; i++)
        free(s[i].codes);
    free(s);
    return rc ? -1 : 0;
}
