/* The director's Import screens: « Démarrage de l'import » (the file
 * chosen, « Importer »), the import itself through the same functions as
 * `lsu import` (lsu_job_run with the store's hook, then
 * lsu_import_finish), the Rapport d'exécution page (the report's own
 * HTML, xslt/rapport-html.xsl, kept per import), and the list of every
 * import of the school (lsu_school_imports). */
#include "job/job.h"
#include "school/school.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Appends to csp the hash source of every <TAG>...</TAG> body in html
 * ("'sha256-...'"), so that the report's own inline style and script run
 * under a policy that allows nothing else inline. */
static void add_hashes(lsu_buf *csp, const char *html, size_t len, const char *tag)
{
    char open[16], close[16];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *end = html + len;
    for (const char *p = html; p && p < end;) {
        const char *a = memmem(p, (size_t)(end - p), open, strlen(open));
        if (!a)
            break;
        a += strlen(open);
        const char *b = memmem(a, (size_t)(end - a), close, strlen(close));
        if (!b)
            break;
        unsigned char h[crypto_hash_sha256_BYTES];
        char b64[64];
        crypto_hash_sha256(h, (const unsigned char *)a, (unsigned long long)(b - a));
        sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
        lsu_buf_printf(csp, " 'sha256-%s'", b64);
        p = b + strlen(close);
    }
}

/* Answers with the report's HTML page: its inline style and script
 * allowed by their hashes, a link back to the school's Import screen
 * put after <body>. */
static void send_report_html(serve_response *res, const char *uai, const char *html, size_t len)
{
    lsu_buf csp = {0};
    lsu_buf_puts(&csp, "default-src 'self'; frame-ancestors 'none'; form-action 'self'; style-src");
    add_hashes(&csp, html, len, "style");
    lsu_buf_puts(&csp, "; script-src");
    add_hashes(&csp, html, len, "script");
    res->csp = csp.data;
    const char *body = memmem(html, len, "<body", 5);
    const char *gt = body ? memchr(body, '>', len - (size_t)(body - html)) : NULL;
    size_t head = gt ? (size_t)(gt + 1 - html) : 0;
    lsu_buf_add(&res->body, html, head);
    lsu_buf_printf(&res->body,
                   "<nav class=\"retour\"><a href=\"/ecole/%s/import\">Retour à l'import</a> · <a "
                   "href=\"/ecole/%s\">Accueil</a></nav>",
                   uai, uai);
    lsu_buf_add(&res->body, html + head, len - head);
    res->content_type = "text/html; charset=utf-8";
    res->status = 200;
}

/* The imports of the school as a table under parent (none: a line). */
static void imports_table(xmlNodePtr parent, serve_request *r, const lsu_grant *g)
{
    lsu_store st;
    lsu_import_entry *e = NULL;
    size_t n = 0;
    if (lsu_store_open(&st, r->srv->data_dir, g->uai, 0) == STORE_OK)
        (void)lsu_school_imports(&st, &e, &n);
    lsu_store_close(&st);
    serve_el(parent, "h", "Imports de l'école");
    if (n == 0) {
        serve_el(parent, "p", "Aucun import pour l'instant.");
        return;
    }
    xmlNodePtr t = serve_attr(serve_el(parent, "tableau", NULL), "legende", "Rapports d'exécution");
    serve_attr(t, "id", "imports");
    xmlNodePtr h = serve_el(t, "entetes", NULL);
    const char *cols[] = {"n°", "Date", "Fichier", "Résumé", "Rapport"};
    for (size_t i = 0; i < 5; i++)
        serve_el(h, "c", cols[i]);
    for (size_t i = n; i-- > 0;) {
        xmlNodePtr row = serve_el(t, "ligne", NULL);
        char num[24], date[32], *url;
        snprintf(num, sizeof num, "%lld", e[i].id);
        snprintf(date, sizeof date, "%.10s %.8s", e[i].at ? e[i].at : "",
                 e[i].at && strlen(e[i].at) > 11 ? e[i].at + 11 : "");
        serve_el(row, "c", num);
        serve_el(row, "c", date);
        serve_el(row, "c", e[i].source);
        serve_el(row, "c", e[i].summary);
        url = lsu_asprintf("/ecole/%s/rapports/%lld", g->uai, e[i].id);
        serve_attr(serve_el(serve_el(row, "c", NULL), "lien", "Rapport d'exécution"), "href", url);
        free(url);
    }
    lsu_school_imports_free(e, n);
}

/* 403 unless g is the school's director; 1 when he is. */
static int director_only(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (strcmp(g->role, "directeur") == 0)
        return 1;
    serve_error(r, res, 403, "Accès refusé", "Seul le directeur de l'école importe les exports.");
    return 0;
}

/* See serve_int.h: GET /ecole/UAI/import, « Démarrage de l'import ». */
void serve_screen_import(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!director_only(r, res, g))
        return;
    serve_page p;
    serve_page_new(&p, r, "Démarrage de l'import");
    char *home = serve_school_url(g->uai, NULL);
    serve_attr(serve_el(p.fil, "lien", "Accueil"), "href", home);
    serve_el(p.fil, "lien", "Bilans > Import > Démarrage de l'import");
    free(home);
    char *action = serve_school_url(g->uai, "import"), cap[64];
    snprintf(cap, sizeof cap, "%.2f Mo", (double)r->srv->cfg.max_upload / (1024.0 * 1024.0));
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action, "post"), "enctype", "multipart/form-data");
    serve_attr(f, "id", "import");
    serve_attr(serve_attr(serve_field_el(f, "file", "fichier", "Fichier exporté par le logiciel de suivi (.xml)", NULL),
                          "accept", ".xml,text/xml,application/xml"),
               "requis", "1");
    char *note = lsu_asprintf("Taille maximale : %s. Le fichier passe par les mêmes contrôles que lsu import ; "
                              "les bilans acceptés sont enregistrés dans la base de l'école.",
                              cap);
    serve_el(f, "p", note);
    free(note);
    serve_el(f, "bouton", "Importer");
    free(action);
    imports_table(p.content, r, g);
    serve_page_send(&p, r, res, 200);
}

/* The number of imports of the school so far (0 when it has no store). */
static long long import_count(struct lsu_server *s, const char *uai)
{
    lsu_store st;
    long long n = 0;
    if (lsu_store_open(&st, s->data_dir, uai, 0) == STORE_OK)
        n = lsu_store_int(&st, "SELECT count(*) FROM events WHERE kind = 'import'", 0);
    lsu_store_close(&st);
    return n;
}

/* Reads a whole small file into b; 0 or -1. */
static int read_file(const char *path, lsu_buf *b)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
        lsu_buf_add(b, chunk, k);
    int bad = ferror(fp) || b->failed;
    fclose(fp);
    return bad ? -1 : 0;
}

/* See serve_int.h: POST /ecole/UAI/import.  The export received runs
 * through the pipeline, the settings rules and the store as `lsu import
 * --uai UAI` runs it; the answer is the Rapport d'exécution. */
void serve_screen_import_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!director_only(r, res, g))
        return;
    if (!r->upload_path || r->upload_size == 0) {
        serve_error(r, res, 400, "Aucun fichier", "Choisissez le fichier de l'export avant « Importer ».");
        return;
    }
    struct lsu_server *s = r->srv;
    char *out = lsu_asprintf("%s/rapport-XXXXXX", s->upload_dir);
    if (!out || !mkdtemp(out)) {
        free(out);
        serve_error(r, res, 500, "Erreur interne", "Dossier temporaire impossible à créer.");
        return;
    }
    int marked = serve_school_import_begin(s->jobs, g->uai) == 0; /* one import of the school at a time */
    long long before = import_count(s, g->uai);
    lsu_file *f = lsu_file_new(r->upload_path);
    lsu_import_ctx ctx = {.data_dir = s->data_dir, .uai = g->uai, .author = r->login};
    lsu_job_options jo = {.output_dir = out,
                          .write_reports = 1,
                          .opt = {.max_size = LSU_DEFAULT_MAX_SIZE},
                          .after_pipeline = lsu_import_hook,
                          .ctx = &ctx};
    lsu_buf text = {0}, json = {0}, html = {0};
    lsu_job_result jr;
    int ok = f != NULL;
    if (f) {
        f->name = r->upload_name;   /* what the report and the store show: the client's name, never a path */
        serve_job_acquire(s->jobs); /* its turn among the heavy jobs (--jobs) */
        lsu_job_run(f, &s->rt, &jo, "rapport", &text, &json, &jr);
        char *printed = lsu_strdup_or_null(text.data ? text.data : "");
        ok = printed && lsu_import_finish(&ctx, f, printed, json.data, jr.exit_status, &text) == 0;
        serve_job_release(s->jobs);
        free(printed);
        lsu_file_free(f);
    }
    lsu_import_ctx_free(&ctx);
    char *report = lsu_asprintf("%s/rapport.rapport.html", out);
    ok = ok && report && read_file(report, &html) == 0 && html.len > 0;
    if (report)
        unlink(report);
    for (const char *ext = "json"; ext; ext = strcmp(ext, "json") == 0 ? "csv" : NULL) {
        char *other = lsu_asprintf("%s/rapport.rapport.%s", out, ext);
        if (other)
            unlink(other);
        free(other);
    }
    rmdir(out);
    long long after = import_count(s, g->uai);
    if (ok && after > before) {
        char *dir = lsu_asprintf("%s/%s", s->reports_dir, g->uai), *path = lsu_asprintf("%s/%lld.html", dir, after);
        if (dir && path && lsu_mkdir_p(dir) == 0)
            (void)lsu_write_file_atomic(path, html.data, html.len);
        free(dir), free(path);
    }
    if (marked)
        serve_school_import_end(s->jobs, g->uai);
    char *what = lsu_asprintf("import de %s : %s", r->upload_name,
                              after > before ? "enregistré" : "non enregistré (fichier rejeté ou base illisible)");
    lsu_accounts_audit(&s->accounts, r->login, g->uai, what ? what : "import", time(NULL));
    free(what);
    if (ok)
        send_report_html(res, g->uai, html.data, html.len);
    else
        serve_error(r, res, 500, "Erreur interne",
                    "L'import n'a pas pu aller jusqu'au bout ; rien n'est perdu, "
                    "recommencez ou prévenez l'administrateur.");
    lsu_buf_free(&text), lsu_buf_free(&json), lsu_buf_free(&html);
    free(report);
    free(out);
}

/* See serve_int.h: GET /ecole/UAI/rapports/N, the Rapport d'exécution of
 * import n° N: the HTML kept by the server, else the report's text as
 * `lsu reports --show N` prints it (an import from the command line). */
void serve_screen_report(serve_request *r, serve_response *res, const lsu_grant *g, const char *number)
{
    char *end;
    errno = 0;
    long long id = strtoll(number, &end, 10);
    if (errno || *end || id <= 0 || number[0] == '+' || number[0] == '0') {
        serve_error(r, res, 404, "Rapport introuvable", "Aucun import ne porte ce numéro.");
        return;
    }
    if (!director_only(r, res, g))
        return;
    char *path = lsu_asprintf("%s/%s/%lld.html", r->srv->reports_dir, g->uai, id);
    lsu_buf html = {0};
    if (path && read_file(path, &html) == 0 && html.len) {
        send_report_html(res, g->uai, html.data, html.len);
        lsu_buf_free(&html);
        free(path);
        return;
    }
    lsu_buf_free(&html);
    free(path);
    lsu_store st;
    char *text = NULL;
    int k =
        lsu_store_open(&st, r->srv->data_dir, g->uai, 0) == STORE_OK ? lsu_school_import_report(&st, id, 0, &text) : 0;
    lsu_store_close(&st);
    if (k <= 0) {
        serve_error(r, res, 404, "Rapport introuvable", "Aucun import ne porte ce numéro.");
        free(text);
        return;
    }
    serve_page p;
    serve_page_new(&p, r, "Rapport d'exécution");
    serve_el(p.content, "pre", text ? text : "");
    serve_page_send(&p, r, res, 200);
    free(text);
}
