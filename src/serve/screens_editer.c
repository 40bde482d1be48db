/* The Éditer screens of a school: the choice of what to edit (the
 * director: the school, a level or a class; a teacher: one of his
 * classes) and how to zip it (per class, per level, for the school); the
 * edition then runs in the background (jobs.c) and its page shows a
 * progress line, « 12 / 36 bilans », reloaded by a <meta refresh> (no
 * script needed), then the links of its zips, which only the user who
 * started it may download.  Editions survive a restart of the server
 * (jobs.c): one it cut short is « interrompue », with a « Relancer »
 * button. */
#include "pdf/edit.h"
#include "school/listing.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const levels[] = {"CP", "CE1", "CE2", "CM1", "CM2"};

/* 1 when g is the school's director. */
static int is_director(const lsu_grant *g)
{
    return strcmp(g->role, "directeur") == 0;
}

/* The editions of the user at this school, as a list under parent. */
static void editions_list(xmlNodePtr parent, serve_request *r, const lsu_grant *g)
{
    long long *ids = NULL;
    size_t n = 0;
    serve_editions_list(r->srv, g->uai, r->login, &ids, &n);
    if (n == 0) {
        free(ids);
        return;
    }
    serve_el(parent, "h", "Vos éditions");
    xmlNodePtr l = serve_attr(serve_el(parent, "liste", NULL), "id", "editions");
    for (size_t i = 0; i < n; i++) {
        serve_edition_view v;
        if (!serve_edition_get(r->srv, ids[i], g->uai, r->login, &v))
            continue;
        char rest[48], *url, *text;
        snprintf(rest, sizeof rest, "editions/%lld", ids[i]);
        url = serve_school_url(g->uai, rest);
        text = lsu_asprintf("n° %lld : %s (%s)", ids[i], v.what ? v.what : "?",
                            v.state == SERVE_EDITION_DONE          ? "terminée"
                            : v.state == SERVE_EDITION_FAILED      ? "sans zip"
                            : v.state == SERVE_EDITION_INTERRUPTED ? "interrompue"
                                                                   : "en cours");
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", text), "href", url);
        free(url), free(text);
        serve_edition_view_clear(&v);
    }
    free(ids);
}

/* See serve_int.h: GET /ecole/UAI/editer, the choice of what to edit. */
void serve_screen_editer(serve_request *r, serve_response *res, const lsu_grant *g)
{
    lsu_store st;
    char **labels = NULL;
    size_t n = 0;
    int k = lsu_store_open(&st, r->srv->data_dir, g->uai, 0);
    if (k == STORE_OK && lsu_school_class_labels(&st, &labels, &n) != 0) {
        lsu_class_labels_free(labels, n);
        labels = NULL, n = 0;
        k = -1;
    }
    lsu_store_close(&st);
    if (k != STORE_OK && k != STORE_ABSENT) {
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    serve_page p;
    serve_page_new(&p, r, "Éditer les bilans");
    char *home = serve_school_url(g->uai, NULL), *action = serve_school_url(g->uai, "editer");
    serve_attr(serve_el(p.fil, "lien", "Accueil"), "href", home);
    serve_el(p.fil, "lien", "Éditer");
    serve_el(p.content, "p",
             "Seuls les bilans verrouillés sont édités, en PDF rangés dans des zips. L'édition se fait en "
             "arrière-plan : sa page montre son avancement, puis le lien de téléchargement.");
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action, "post"), "id", "editer");
    xmlNodePtr sel = serve_attr(
        serve_attr(serve_attr(serve_el(f, "choix", NULL), "name", "portee"), "id", "champ-portee"), "label", "Éditer");
    if (is_director(g)) {
        serve_attr(serve_el(sel, "option", "Toute l'école"), "value", "ecole");
        for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
            char value[16], text[32];
            snprintf(value, sizeof value, "niveau:%s", levels[i]);
            snprintf(text, sizeof text, "Le niveau %s", levels[i]);
            serve_attr(serve_el(sel, "option", text), "value", value);
        }
    }
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lsu_grant_has_class(g, labels[i]))
            continue;
        char *value = lsu_asprintf("classe:%s", labels[i]), *text = lsu_asprintf("La classe %s", labels[i]);
        serve_attr(serve_el(sel, "option", text), "value", value);
        free(value), free(text);
        shown++;
    }
    xmlNodePtr by = serve_attr(serve_attr(serve_attr(serve_el(f, "choix", NULL), "name", "par"), "id", "champ-par"),
                               "label", "Un zip");
    serve_attr(serve_el(by, "option", "par classe"), "value", "classe");
    serve_attr(serve_el(by, "option", "par niveau"), "value", "niveau");
    serve_attr(serve_el(by, "option", "pour toute la sélection"), "value", "ecole");
    xmlNodePtr essai = serve_el(f, "coche", NULL);
    serve_attr(serve_attr(serve_attr(essai, "name", "essai"), "value", "1"), "id", "champ-essai");
    serve_attr(essai, "label",
               "Impression d'essai : aussi les bilans non verrouillés, sous le filigrane « Document de travail »");
    serve_el(f, "bouton", "Lancer l'édition");
    if (!is_director(g) && shown == 0)
        serve_el(p.content, "info", "Aucune de vos classes n'a encore de bilan.");
    editions_list(p.content, r, g);
    lsu_class_labels_free(labels, n);
    free(home), free(action);
    serve_page_send(&p, r, res, 200);
}

/* See serve_int.h: POST /ecole/UAI/editer: the edition started, then its
 * page (303). */
void serve_screen_editer_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    const char *portee = serve_form_get(&r->form, "portee"), *par = serve_form_get(&r->form, "par");
    const char *essai = serve_form_get(&r->form, "essai");
    serve_edition_spec spec = {
        .uai = g->uai, .login = r->login, .by = EDIT_BY_CLASS, .test_print = essai && strcmp(essai, "1") == 0};
    char *what = NULL;
    int ok = portee != NULL;
    if (portee && strcmp(portee, "ecole") == 0 && is_director(g)) {
        what = lsu_strdup_or_null("l'école");
    } else if (portee && strncmp(portee, "niveau:", 7) == 0 && is_director(g)) {
        ok = 0;
        for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
            ok |= strcmp(portee + 7, levels[i]) == 0;
        spec.niveau = portee + 7;
        what = lsu_asprintf("le niveau %s", spec.niveau);
    } else if (portee && strncmp(portee, "classe:", 7) == 0 && portee[7] && lsu_grant_has_class(g, portee + 7)) {
        spec.classe = portee + 7;
        what = lsu_asprintf("la classe %s", spec.classe);
    } else {
        ok = 0;
    }
    if (par && strcmp(par, "niveau") == 0)
        spec.by = EDIT_BY_LEVEL;
    else if (par && strcmp(par, "ecole") == 0)
        spec.by = EDIT_BY_SCHOOL;
    else if (par && strcmp(par, "classe") != 0)
        ok = 0;
    if (!ok || !what) {
        free(what);
        serve_error(r, res, is_director(g) ? 400 : 403, "Édition refusée",
                    is_director(g) ? "Choisissez l'école, un niveau ou une classe."
                                   : "Un enseignant édite ses classes, et elles seules.");
        return;
    }
    if (spec.test_print) {
        char *w = lsu_asprintf("%s (impression d'essai)", what);
        free(what);
        what = w;
    }
    spec.what = what;
    long long id = serve_edition_start(r->srv, &spec);
    free(what);
    if (id < 0) {
        serve_error(r, res, 500, "Erreur interne", "L'édition n'a pas pu démarrer ; recommencez.");
        return;
    }
    char rest[48];
    snprintf(rest, sizeof rest, "editions/%lld", id);
    char *url = serve_school_url(g->uai, rest);
    serve_redirect(res, url ? url : "/");
    free(url);
}

/* The edition number of a path segment, or -1. */
static long long edition_number(const char *s)
{
    char *end;
    errno = 0;
    long long id = strtoll(s, &end, 10);
    return errno || *end || id <= 0 || s[0] == '+' || s[0] == '0' ? -1 : id;
}

/* See serve_int.h: GET /ecole/UAI/editions/N, its progress then its
 * zips. */
void serve_screen_edition(serve_request *r, serve_response *res, const lsu_grant *g, const char *number)
{
    long long id = edition_number(number);
    serve_edition_view v;
    if (id < 0 || !serve_edition_get(r->srv, id, g->uai, r->login, &v)) {
        serve_error(r, res, 404, "Édition introuvable",
                    "Aucune de vos éditions ne porte ce numéro (une édition est gardée une heure après sa fin).");
        return;
    }
    char *title = lsu_asprintf("Édition de %s", v.what ? v.what : "?");
    serve_page p;
    serve_page_new(&p, r, title ? title : "Édition");
    free(title);
    char *back = serve_school_url(g->uai, "editer");
    serve_attr(serve_el(p.fil, "lien", "Éditer"), "href", back);
    char line[96];
    snprintf(line, sizeof line, "%zu / %zu bilans", v.done, v.total);
    if (v.state == SERVE_EDITION_WAITING) {
        serve_attr(p.root, "rafraichir", "2");
        serve_el(p.content, "info", "En attente : d'autres imports ou éditions passent avant celle-ci.");
    } else if (v.state == SERVE_EDITION_RUNNING) {
        serve_attr(p.root, "rafraichir", "2");
        serve_attr(serve_el(p.content, "p", line), "id", "progression");
        serve_el(p.content, "info", "Édition en cours : cette page se met à jour toute seule.");
    } else if (v.state == SERVE_EDITION_DONE) {
        serve_el(p.content, "p", line);
        serve_el(p.content, "info", v.message ? v.message : "Édition terminée.");
        xmlNodePtr l = serve_attr(serve_el(p.content, "liste", NULL), "id", "zips");
        for (size_t i = 0; i < v.nzips; i++) {
            char *rest = lsu_asprintf("editions/%lld/%s", id, v.zips[i]),
                 *url = rest ? serve_school_url(g->uai, rest) : NULL, *text = lsu_asprintf("Télécharger %s", v.zips[i]);
            serve_attr(serve_el(serve_el(l, "item", NULL), "lien", text), "href", url);
            free(rest), free(url), free(text);
        }
    } else if (v.state == SERVE_EDITION_INTERRUPTED) {
        serve_el(p.content, "erreur", "Interrompue (le serveur a redémarré)");
        if (v.total)
            serve_el(p.content, "p", line);
        char rest[48];
        snprintf(rest, sizeof rest, "editions/%lld", id);
        char *action = serve_school_url(g->uai, rest);
        xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action, "post"), "id", "relancer");
        serve_el(f, "bouton", "Relancer");
        free(action);
    } else {
        serve_el(p.content, "erreur", v.message ? v.message : "L'édition n'a pas abouti.");
    }
    serve_attr(serve_el(serve_el(p.content, "p", NULL), "lien", "Retour à Éditer"), "href", back);
    free(back);
    serve_edition_view_clear(&v);
    serve_page_send(&p, r, res, 200);
}

/* See serve_int.h: POST /ecole/UAI/editions/N (« Relancer »), an
 * interrupted edition started again, then its page (303). */
void serve_screen_edition_post(serve_request *r, serve_response *res, const lsu_grant *g, const char *number)
{
    long long id = edition_number(number);
    int rc = id > 0 ? serve_edition_restart(r->srv, id, g, r->login) : 1;
    if (rc == 1) {
        serve_error(r, res, 404, "Édition introuvable", "Aucune de vos éditions ne porte ce numéro.");
        return;
    }
    if (rc == 3) {
        serve_error(r, res, 403, "Édition refusée", "Cette édition porte sur des classes qui ne sont plus les vôtres.");
        return;
    }
    if (rc < 0) {
        serve_error(r, res, 500, "Erreur interne", "L'édition n'a pas pu redémarrer ; recommencez.");
        return;
    }
    char rest[48]; /* started again, or already (2): its page says how it goes */
    snprintf(rest, sizeof rest, "editions/%lld", id);
    char *url = serve_school_url(g->uai, rest);
    serve_redirect(res, url ? url : "/");
    free(url);
}

/* See serve_int.h: GET /ecole/UAI/editions/N/ZIP, to its owner only. */
void serve_screen_edition_zip(serve_request *r, serve_response *res, const lsu_grant *g, const char *number,
                              const char *name)
{
    long long id = edition_number(number);
    char *path = id > 0 ? serve_edition_zip(r->srv, id, g->uai, r->login, name) : NULL;
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    struct stat sb;
    free(path);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        serve_error(r, res, 404, "Zip introuvable", "Aucune de vos éditions terminées n'a ce zip.");
        return;
    }
    char safe[128];
    size_t k = 0;
    for (; name[k] && k + 1 < sizeof safe; k++)
        safe[k] = (strchr("._-", name[k]) || (name[k] >= '0' && name[k] <= '9') || (name[k] >= 'A' && name[k] <= 'Z') ||
                   (name[k] >= 'a' && name[k] <= 'z'))
                      ? name[k]
                      : '_';
    safe[k] = 0;
    res->fd = fd;
    res->fd_size = sb.st_size;
    res->content_type = "application/zip";
    res->status = 200;
    res->disposition = lsu_asprintf("attachment; filename=\"%s\"", safe);
}
