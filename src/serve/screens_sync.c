/* « Synchronisation élèves enseignants » (the ONDE extraction uploaded,
 * and the teachers' list when given, the classes chosen, then the guide's
 * Statut / Message table: the same lsu_onde_read, lsu_teachers_read and
 * lsu_school_sync as `lsu sync --teachers`), the school's
 * Historique (the store's events, newest first, paged: lsu_school_events,
 * as `lsu history --school`) and the list of every import's Rapport
 * d'exécution (lsu_school_imports, as `lsu reports`). */
#include "school/onde.h"
#include "school/school.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HISTORY_PAGE 50 /* events per page of the Historique */

/* The guide's words above the form. */
static const char *const sync_words[] = {
    "Vos bilans en préparation présentent des données relatives aux élèves ou enseignants qui ne sont plus à "
    "jour ?",
    "Vous avez modifié des données administratives de certains élèves (nom, prénoms, date de naissance, sexe) "
    "après avoir importé ou créé des bilans.",
    "Cette fonction vous permet de resynchroniser les bilans d'une ou plusieurs classes avec les données "
    "présentes dans la base élèves (l'extraction ONDE, CSVExtraction.csv).",
    "Important : les bilans verrouillés ne seront pas impactés par la mise à jour.",
};

/* The Synchronisation page: the box, the form (file, classes, force),
 * with a message or a report text (preformatted) above. */
static void sync_page(serve_request *r, serve_response *res, const lsu_grant *g, const char *error, const char *report,
                      int offer_force, unsigned status)
{
    lsu_class_mode *m = NULL;
    size_t n = 0;
    lsu_store st;
    if (lsu_store_open(&st, r->srv->data_dir, g->uai, 0) == STORE_OK)
        (void)lsu_school_import_modes(&st, &m, &n); /* no store yet: no class to choose */
    lsu_store_close(&st);
    serve_page p;
    serve_page_new(&p, r, "Synchronisation élèves enseignants");
    serve_param_fil(&p, g, "Synchronisation élèves enseignants");
    if (error)
        serve_el(p.content, "erreur", error);
    if (report)
        serve_attr(serve_el(p.content, "pre", report), "id", "compte-rendu");
    xmlNodePtr box = serve_el(p.content, "encadre", NULL);
    for (size_t i = 0; i < sizeof sync_words / sizeof *sync_words; i++)
        serve_el(box, "p", sync_words[i]);
    char *action = serve_school_url(g->uai, "synchronisation"), cap[64];
    snprintf(cap, sizeof cap, "%.2f Mo", (double)r->srv->cfg.max_upload / (1024.0 * 1024.0));
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action, "post"), "enctype", "multipart/form-data");
    serve_attr(f, "id", "synchronisation");
    free(action);
    serve_attr(serve_attr(serve_field_el(f, "file", "fichier", "Extraction ONDE des élèves (CSVExtraction.csv)", NULL),
                          "accept", ".csv,text/csv"),
               "requis", "1");
    serve_attr(serve_field_el(f, "file", "enseignants", "Fichier des enseignants (facultatif)", NULL), "accept",
               ".csv,text/csv");
    serve_el(f, "p",
             "La liste des enseignants a les colonnes Civilité ; Nom ; Prénom ; Classes ; elle remplace celle qui "
             "est enregistrée.");
    char *note = lsu_asprintf("Taille maximale (les deux fichiers ensemble) : %s.", cap);
    serve_el(f, "p", note);
    free(note);
    if (n > 0) {
        serve_el(f, "p",
                 "Sélectionnez les classes à synchroniser (aucune case cochée : toute l'école, l'extraction est "
                 "alors la base élèves et un élève qui n'y figure plus en est retiré) :");
        xmlNodePtr l = serve_attr(serve_el(f, "liste", NULL), "id", "classes-a-synchroniser");
        for (size_t i = 0; i < n; i++) {
            char id[80];
            snprintf(id, sizeof id, "classe-%zu", i + 1);
            xmlNodePtr c = serve_el(serve_el(l, "item", NULL), "coche", NULL);
            serve_attr(serve_attr(serve_attr(serve_attr(c, "name", "classe"), "value", m[i].id_be), "id", id), "label",
                       m[i].libelle);
        }
    } else {
        serve_el(f, "p", "Aucune classe encore : la première synchronisation apporte toutes celles de l'extraction.");
    }
    if (offer_force) {
        xmlNodePtr c = serve_el(f, "coche", NULL);
        serve_attr(serve_attr(serve_attr(c, "name", "confirmer"), "value", "1"), "id", "confirmer");
        serve_attr(c, "label", "Confirmer : synchroniser quand même (les élèves absents de l'extraction sont retirés)");
    }
    serve_el(f, "bouton", "Synchroniser");
    lsu_school_import_modes_free(m, n);
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h: GET /ecole/UAI/synchronisation. */
void serve_screen_sync(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (serve_param_director(r, res, g))
        sync_page(r, res, g, NULL, NULL, 0, 200);
}

/* The words of a line's statut. */
static const char *statut_words(const char *statut)
{
    return strcmp(statut, "succes") == 0 ? "Succès" : strcmp(statut, "alerte") == 0 ? "Alerte" : "Information";
}

/* The result page: « Synchronisation lancée pour : … », the Statut /
 * Message table (with a line for the teachers' lines ignored, when
 * `ignored`), the extraction's own notes and the teachers' list as read
 * (each NULL: none), « Retour ». */
static void sync_result(serve_request *r, serve_response *res, const lsu_grant *g, const char *text,
                        const lsu_sync_lines *lines, const char *notes, const char *teachers, size_t ignored)
{
    serve_page p;
    serve_page_new(&p, r, "Synchronisation élèves enseignants");
    serve_param_fil(&p, g, "Synchronisation élèves enseignants");
    const char *launched = strstr(text, "Synchronisation lancée pour : ");
    if (launched) {
        size_t k = strcspn(launched, "\n");
        char *t = lsu_asprintf("%.*s", (int)k, launched);
        serve_attr(serve_el(p.content, "info", t), "id", NULL);
        free(t);
    }
    xmlNodePtr t = serve_attr(serve_attr(serve_el(p.content, "tableau", NULL), "legende", "Compte rendu par classe"),
                              "id", "statuts");
    xmlNodePtr h = serve_el(t, "entetes", NULL);
    serve_el(h, "c", "Statut");
    serve_el(h, "c", "Classe");
    serve_el(h, "c", "Message");
    for (size_t i = 0; i < lines->n; i++) {
        xmlNodePtr row = serve_el(t, "ligne", NULL);
        serve_el(row, "c", statut_words(lines->v[i].statut));
        serve_el(row, "c", lines->v[i].classe ? lines->v[i].classe : "(école)");
        serve_el(row, "c", lines->v[i].message);
    }
    if (ignored) {
        xmlNodePtr row = serve_el(t, "ligne", NULL);
        char *m = lsu_asprintf("%zu ligne%s de la liste des enseignants ignorée%s : voir « Lecture de la liste des "
                               "enseignants ».",
                               ignored, ignored > 1 ? "s" : "", ignored > 1 ? "s" : "");
        serve_el(row, "c", statut_words("alerte"));
        serve_el(row, "c", "(école)");
        serve_el(row, "c", m);
        free(m);
    }
    if (notes)
        serve_attr(serve_attr(serve_el(p.content, "details", notes), "resume", "Lecture de l'extraction"), "titre",
                   "Les lignes lues, et celles qui sont ignorées");
    if (teachers)
        serve_attr(
            serve_attr(serve_el(p.content, "details", teachers), "resume", "Lecture de la liste des enseignants"),
            "titre", "Les enseignants lus et leurs classes, les lignes ignorées");
    char *back = serve_school_url(g->uai, "synchronisation");
    serve_attr(serve_el(serve_el(p.content, "p", NULL), "lien", "Retour"), "href", back);
    free(back);
    serve_page_send(&p, r, res, 200);
}

/* The files of a sync read as `lsu sync [--teachers F]` reads them: the
 * extraction (and the teachers' list when one was sent, *has_t) into *o
 * and *t, their diagnostics and lines in French into *notes and *tnotes.
 * NULL when both are taken, else the refusal's words (static). */
static const char *sync_read(const serve_upload *pupils, const serve_upload *teachers, lsu_onde *o, lsu_teachers *t,
                             int *has_t, lsu_buf *notes, lsu_buf *tnotes)
{
    int bad_o = lsu_onde_read(pupils->path, NULL, 0, o) != 0, bad_t = 0;
    lsu_onde_text(o, pupils->name, notes);
    *has_t = teachers && teachers->size > 0;
    memset(t, 0, sizeof *t);
    if (*has_t) {
        bad_t = lsu_teachers_read(teachers->path, NULL, 0, t) != 0;
        lsu_teachers_text(t, teachers->name, tnotes);
    }
    return bad_o && bad_t ? "Synchronisation non effectuée : l'extraction ONDE et la liste des enseignants sont "
                            "refusées ; rien n'est enregistré."
           : bad_o        ? "Synchronisation non effectuée : l'extraction ONDE est refusée ; rien n'est enregistré."
           : bad_t        ? "Synchronisation non effectuée : la liste des enseignants est refusée ; rien n'est "
                            "enregistré (ni les élèves ni les enseignants)."
                          : NULL;
}

/* See serve_int.h: POST /ecole/UAI/synchronisation, as `lsu sync --uai
 * UAI [--class CLASSE]... [--force] CSVExtraction.csv [--teachers F]`:
 * a file refused (the extraction or the teachers' list) and nothing is
 * synchronised, its diagnostics shown. */
void serve_screen_sync_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    const serve_upload *pupils = serve_upload_get(&r->uploads, "fichier"),
                       *teachers = serve_upload_get(&r->uploads, "enseignants");
    if (!pupils || pupils->size == 0) {
        sync_page(r, res, g, "Choisissez l'extraction ONDE avant « Synchroniser ».", NULL, 0, 400);
        return;
    }
    lsu_onde o;
    lsu_teachers t;
    int has_t;
    lsu_buf notes = {0}, tnotes = {0}, text = {0};
    const char *refusal = sync_read(pupils, teachers, &o, &t, &has_t, &notes, &tnotes);
    if (refusal) {
        lsu_buf all = {0};
        lsu_buf_puts(&all, notes.data ? notes.data : "");
        lsu_buf_puts(&all, tnotes.data ? tnotes.data : "");
        sync_page(r, res, g, refusal, all.data, 0, 400);
        lsu_buf_free(&all);
        lsu_onde_free(&o), lsu_teachers_free(&t);
        lsu_buf_free(&notes), lsu_buf_free(&tnotes);
        return;
    }
    const char **classes = calloc(r->form.n + 1, sizeof *classes);
    size_t nc = 0;
    for (size_t i = 0; classes && i < r->form.n; i++)
        if (strcmp(r->form.fields[i].name, "classe") == 0)
            classes[nc++] = r->form.fields[i].value;
    lsu_sync_lines lines = {0};
    lsu_sync_options so = {
        .classes = classes, .class_count = nc, .force = serve_form_get(&r->form, "confirmer") != NULL, .lines = &lines};
    lsu_store st;
    int k = -1, opened = 0;
    if (!classes)
        serve_error(r, res, 500, "Erreur interne", "Mémoire insuffisante.");
    else if (serve_open_store(r, res, g, 1, &st) == 0)
        opened = 1;
    if (opened) {
        k = lsu_school_sync(&st, &o, has_t ? &t : NULL, &so, pupils->name, &text);
        lsu_store_close(&st);
        char *files = has_t ? lsu_asprintf("%s et %s", pupils->name, teachers->name) : NULL;
        char *what = lsu_asprintf("synchronisation de %s : %s", files ? files : pupils->name,
                                  k == 0  ? "effectuée"
                                  : k > 0 ? "refusée"
                                          : "en échec");
        lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, what ? what : "synchronisation", time(NULL));
        free(what), free(files);
    }
    if (k == 0)
        sync_result(r, res, g, text.data ? text.data : "", &lines, o.lines_rejected ? notes.data : NULL,
                    has_t ? tnotes.data : NULL, has_t ? t.lines_rejected : 0);
    else if (k == 1)
        sync_page(r, res, g,
                  "Rien n'est synchronisé. Pour une extraction de quelques classes, cochez-les ; pour confirmer, "
                  "cochez « Confirmer » et recommencez.",
                  text.data, 1, 409);
    else if (k == 2)
        sync_page(r, res, g, "Rien n'est synchronisé.", text.data, 0, 400);
    else if (opened)
        serve_error(r, res, 500, "Erreur interne",
                    "La synchronisation n'a pas pu aller jusqu'au bout ; rien n'est enregistré.");
    lsu_sync_lines_free(&lines);
    free(classes);
    lsu_onde_free(&o), lsu_teachers_free(&t);
    lsu_buf_free(&notes), lsu_buf_free(&tnotes), lsu_buf_free(&text);
}

/* "07/07/2016 à 15:47:01" from an ISO 8601 UTC stamp into out. */
static void stamp_fr(const char *iso, char out[40])
{
    if (iso && strlen(iso) >= 19)
        snprintf(out, 40, "%.2s/%.2s/%.4s à %.8s", iso + 8, iso + 5, iso, iso + 11);
    else
        snprintf(out, 40, "%s", iso ? iso : "?");
}

/* The page number of ?page=N (1 when absent or malformed). */
static long long page_number(serve_request *r)
{
    const char *v = serve_form_get(&r->query, "page");
    char *end;
    errno = 0;
    long long n = v ? strtoll(v, &end, 10) : 1;
    return !v || errno || *end || n < 1 || n > 1000000 ? 1 : n;
}

/* See serve_int.h: GET /ecole/UAI/historique[?page=N]. */
void serve_screen_history(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    long long page = page_number(r), total = 0;
    lsu_event_entry *e = NULL;
    size_t n = 0;
    int rc = lsu_school_events(&st, (page - 1) * HISTORY_PAGE, HISTORY_PAGE, &e, &n, &total);
    lsu_store_close(&st);
    if (rc != 0) {
        lsu_school_events_free(e, n);
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    long long pages = total ? (total + HISTORY_PAGE - 1) / HISTORY_PAGE : 1;
    serve_page p;
    serve_page_new(&p, r, "Historique");
    serve_param_fil(&p, g, "Historique");
    char *t = lsu_asprintf("%lld événement%s dans la base de l'école, du plus récent au plus ancien ; page %lld sur "
                           "%lld.",
                           total, total > 1 ? "s" : "", page, pages);
    serve_el(p.content, "p", t);
    free(t);
    xmlNodePtr tab = serve_attr(serve_attr(serve_el(p.content, "tableau", NULL), "legende", "Événements de l'école"),
                                "id", "historique");
    xmlNodePtr h = serve_el(tab, "entetes", NULL);
    const char *cols[] = {"Date", "Qui", "Quoi", "Fichier", "Détail"};
    for (size_t i = 0; i < 5; i++)
        serve_el(h, "c", cols[i]);
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr row = serve_el(tab, "ligne", NULL);
        char when[40], *what = lsu_asprintf("%s n° %lld", lsu_event_kind_label(e[i].kind), e[i].number);
        stamp_fr(e[i].at, when);
        serve_el(row, "c", when);
        serve_el(row, "c", e[i].author ? e[i].author : "ligne de commande");
        xmlNodePtr c = serve_el(row, "c", NULL);
        if (strcmp(e[i].kind, "import") == 0) {
            char *rest = lsu_asprintf("rapports/%lld", e[i].number), *u = rest ? serve_school_url(g->uai, rest) : NULL;
            serve_attr(serve_el(c, "lien", what), "href", u);
            free(rest), free(u);
        } else {
            xmlNodeAddContent(c, BAD_CAST(what ? what : ""));
        }
        free(what);
        serve_el(row, "c", e[i].source ? e[i].source : "");
        const char *sum = e[i].summary ? e[i].summary : "";
        size_t first = strcspn(sum, "\n");
        if (sum[first]) {
            char *head = lsu_asprintf("%.*s", (int)first, sum);
            serve_attr(serve_attr(serve_el(serve_el(row, "c", NULL), "details", sum), "resume", head), "titre",
                       "Tout le compte rendu");
            free(head);
        } else {
            serve_el(row, "c", sum);
        }
    }
    lsu_school_events_free(e, n);
    xmlNodePtr nav = serve_attr(serve_el(p.content, "p", NULL), "id", NULL);
    if (page > 1) {
        char *rest = lsu_asprintf("historique?page=%lld", page - 1), *u = rest ? serve_school_url(g->uai, rest) : NULL;
        serve_attr(serve_el(nav, "lien", "Page précédente"), "href", u);
        free(rest), free(u);
    }
    if (page < pages) {
        if (page > 1)
            xmlNodeAddContent(nav, BAD_CAST " · ");
        char *rest = lsu_asprintf("historique?page=%lld", page + 1), *u = rest ? serve_school_url(g->uai, rest) : NULL;
        serve_attr(serve_el(nav, "lien", "Page suivante"), "href", u);
        free(rest), free(u);
    }
    serve_page_send(&p, r, res, 200);
}

/* See serve_int.h: GET /ecole/UAI/rapports, every import's report. */
void serve_screen_reports(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    lsu_import_entry *e = NULL;
    size_t n = 0;
    lsu_store st;
    int rc = 0;
    if (lsu_store_open(&st, r->srv->data_dir, g->uai, 0) == STORE_OK)
        rc = lsu_school_imports(&st, &e, &n);
    lsu_store_close(&st);
    if (rc != 0) {
        lsu_school_imports_free(e, n);
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    serve_page p;
    serve_page_new(&p, r, "Rapports d'exécution");
    serve_param_fil(&p, g, "Rapports d'exécution");
    if (n == 0)
        serve_el(p.content, "info", "Aucun import pour l'instant.");
    xmlNodePtr t =
        serve_attr(serve_attr(serve_el(p.content, "tableau", NULL), "legende", "Imports de l'école"), "id", "rapports");
    xmlNodePtr h = serve_el(t, "entetes", NULL);
    const char *cols[] = {"n°", "Date", "Fichier", "Résumé", "Rapport"};
    for (size_t i = 0; i < 5; i++)
        serve_el(h, "c", cols[i]);
    for (size_t i = n; i-- > 0;) {
        xmlNodePtr row = serve_el(t, "ligne", NULL);
        char num[24], when[40];
        snprintf(num, sizeof num, "%lld", e[i].id);
        stamp_fr(e[i].at, when);
        serve_el(row, "c", num);
        serve_el(row, "c", when);
        serve_el(row, "c", e[i].source);
        serve_el(row, "c", e[i].summary);
        char *rest = lsu_asprintf("rapports/%lld", e[i].id), *u = rest ? serve_school_url(g->uai, rest) : NULL;
        serve_attr(serve_el(serve_el(row, "c", NULL), "lien", "Rapport d'exécution"), "href", u);
        free(rest), free(u);
    }
    lsu_school_imports_free(e, n);
    serve_page_send(&p, r, res, 200);
}
