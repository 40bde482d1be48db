/* The director's Paramétrage screens: the menu, « Paramétrage de
 * l'import » (saisie manuelle / import d'un logiciel de suivi, per class,
 * level or the school: lsu_school_set_import_mode), « Paramétrage des
 * périodes » (the predefined trimestres and semestres with their dates,
 * custom periodicities, the « classes dont la périodicité n'est pas
 * définie » banner: lsu_school_set_periodicity, the dates checked by
 * lsu_periods_check) and « Paramétrage du type de positionnement » (the
 * école's scale, read-only).  The same functions as `lsu import-mode` and
 * `lsu periods`; each change is an event of the store by the user and a
 * line of the server's audit log. */
#include "school/periods.h"
#include "school/school.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* See serve_int.h. */
int serve_param_director(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (strcmp(g->role, "directeur") == 0)
        return 1;
    serve_error(r, res, 403, "Accès refusé", "Seul le directeur de l'école accède au paramétrage.");
    return 0;
}

/* See serve_int.h. */
void serve_param_fil(serve_page *p, const lsu_grant *g, const char *here)
{
    char *home = serve_school_url(g->uai, NULL), *menu = serve_school_url(g->uai, "parametrage");
    serve_attr(serve_el(p->fil, "lien", "Accueil"), "href", home);
    xmlNodePtr m = serve_el(p->fil, "lien", "Paramétrage");
    if (here)
        serve_attr(m, "href", menu);
    if (here)
        serve_el(p->fil, "lien", here);
    free(home), free(menu);
}

/* An item of a list under l: a link to the school's screen `rest`. */
static void menu_item(xmlNodePtr l, const lsu_grant *g, const char *rest, const char *text)
{
    char *u = serve_school_url(g->uai, rest);
    serve_attr(serve_el(serve_el(l, "item", NULL), "lien", text), "href", u);
    free(u);
}

/* See serve_int.h: the settings' entries, as the guide's Paramétrage menu
 * (under parent). */
void serve_param_menu(xmlNodePtr parent, const lsu_grant *g)
{
    xmlNodePtr l = serve_attr(serve_el(parent, "liste", NULL), "id", "menu-parametrage");
    menu_item(l, g, "parametrage/import", "Paramétrage de l'import");
    menu_item(l, g, "parametrage/periodes", "Paramétrage des périodes");
    menu_item(l, g, "parametrage/positionnement", "Paramétrage du type de positionnement");
    menu_item(l, g, "parametrage/ecole", "Identité de l'école");
    menu_item(l, g, "synchronisation", "Synchronisation élèves enseignants");
    menu_item(l, g, "historique", "Historique");
    menu_item(l, g, "rapports", "Rapports d'exécution des imports");
}

/* See serve_int.h: GET /ecole/UAI/parametrage. */
void serve_screen_param(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    serve_page p;
    serve_page_new(&p, r, "Paramétrage");
    serve_param_fil(&p, g, NULL);
    serve_param_menu(p.content, g);
    serve_page_send(&p, r, res, 200);
}

/* The words of a stored import mode. */
static const char *mode_words(const char *mode)
{
    return !mode || !*mode                 ? "non paramétré"
           : strcmp(mode, "logiciel") == 0 ? "Import d'un logiciel de suivi"
           : strcmp(mode, "manuelle") == 0 ? "Saisie manuelle"
                                           : mode;
}

/* See serve_int.h: the « Pour » choice of a settings form: the school, a
 * level, a class (value "ecole", "niveau:CE1", "classe:ID"). */
void serve_param_target(xmlNodePtr f, const char *id, const lsu_class_mode *m, size_t n)
{
    xmlNodePtr sel =
        serve_attr(serve_attr(serve_attr(serve_el(f, "choix", NULL), "name", "pour"), "id", id), "label", "Pour");
    serve_attr(serve_el(sel, "option", "L'école (toutes les classes, et celles que la synchronisation apportera)"),
               "value", "ecole");
    static const char *const levels[] = {"CP", "CE1", "CE2", "CM1", "CM2"};
    for (size_t i = 0; i < 5; i++) {
        char v[16], t[32];
        snprintf(v, sizeof v, "niveau:%s", levels[i]);
        snprintf(t, sizeof t, "Le niveau %s", levels[i]);
        serve_attr(serve_el(sel, "option", t), "value", v);
    }
    for (size_t i = 0; i < n; i++) {
        char *v = lsu_asprintf("classe:%s", m[i].libelle), *t = lsu_asprintf("La classe %s", m[i].libelle);
        serve_attr(serve_el(sel, "option", t), "value", v);
        free(v), free(t);
    }
}

/* See serve_int.h. */
int serve_param_target_read(serve_request *r, lsu_selection *sel, const char **words)
{
    const char *v = serve_form_get(&r->form, "pour");
    memset(sel, 0, sizeof *sel);
    if (v && strcmp(v, "ecole") == 0) {
        sel->school = 1;
        *words = "l'école";
    } else if (v && strncmp(v, "niveau:", 7) == 0 && v[7]) {
        sel->niveau = v + 7;
        *words = v + 7;
    } else if (v && strncmp(v, "classe:", 7) == 0 && v[7]) {
        sel->classe = v + 7;
        *words = v + 7;
    } else
        return -1;
    return 0;
}

/* Records a change in the server's audit log. */
static void audit(serve_request *r, const lsu_grant *g, const char *what)
{
    lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, what, time(NULL));
}

/* The page of « Paramétrage de l'import », with a message (error or done). */
static void import_mode_page(serve_request *r, serve_response *res, const lsu_grant *g, const char *error,
                             unsigned status)
{
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    lsu_class_mode *m = NULL;
    size_t n = 0;
    int bad = lsu_school_import_modes(&st, &m, &n) != 0;
    char *school_mode = NULL;
    bad |= lsu_school_default_import_mode(&st, &school_mode) != 0;
    lsu_periodicities all;
    bad |= lsu_school_periodicities(&st, &all) != 0;
    lsu_store_close(&st);
    if (bad) {
        lsu_school_import_modes_free(m, n);
        lsu_school_periodicities_free(&all);
        free(school_mode);
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    serve_page p;
    serve_page_new(&p, r, "Paramétrage de l'import");
    serve_param_fil(&p, g, "Paramétrage de l'import");
    if (error)
        serve_el(p.content, "erreur", error);
    else if (serve_form_get(&r->query, "enregistre"))
        serve_el(p.content, "info", "Paramétrage de l'import enregistré.");
    int manual = 0;
    for (size_t i = 0; i < n; i++)
        manual |= strcmp(m[i].mode, "manuelle") == 0;
    if (manual && all.unset) {
        xmlNodePtr w = serve_el(p.content, "erreur",
                                "Veuillez paramétrer les périodes pour utiliser l'application en saisie manuelle. "
                                "Pour ceci, ");
        char *u = serve_school_url(g->uai, "parametrage/periodes");
        serve_attr(serve_el(w, "lien", "cliquez ici"), "href", u);
        xmlNodeAddContent(w, BAD_CAST ".");
        free(u);
    }
    char *action = serve_school_url(g->uai, "parametrage/import");
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action, "post"), "id", "import-mode");
    free(action);
    xmlNodePtr rad = serve_attr(serve_attr(serve_el(f, "radios", NULL), "name", "mode"), "label", "Mode de saisie");
    /* checked: the school's mode when it has one, else the import (the usual case) */
    int manual_school = school_mode && strcmp(school_mode, "manuelle") == 0;
    xmlNodePtr om = serve_attr(serve_el(rad, "option", "Saisie manuelle"), "value", "manuelle");
    xmlNodePtr ol = serve_attr(serve_el(rad, "option", "Import d'un logiciel de suivi"), "value", "logiciel");
    serve_attr(manual_school ? om : ol, "selected", "1");
    serve_param_target(f, "champ-pour-import", m, n);
    serve_el(f, "bouton", "Enregistrer");
    xmlNodePtr t = serve_attr(serve_attr(serve_el(p.content, "tableau", NULL), "legende", "Mode d'import des classes"),
                              "id", "modes");
    xmlNodePtr h = serve_el(t, "entetes", NULL);
    serve_el(h, "c", "Classe");
    serve_el(h, "c", "Mode d'import");
    serve_el(h, "c", "Paramétré pour");
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr row = serve_el(t, "ligne", NULL);
        serve_el(row, "c", m[i].libelle);
        serve_el(row, "c", mode_words(m[i].mode));
        serve_el(row, "c", m[i].from ? m[i].from : "");
    }
    if (n == 0) {
        char *s = lsu_asprintf("Aucune classe encore : synchronisez d'abord la base élèves. L'école : %s.",
                               school_mode ? mode_words(school_mode) : "non paramétrée");
        serve_el(p.content, "info", s);
        free(s);
    }
    lsu_school_import_modes_free(m, n);
    lsu_school_periodicities_free(&all);
    free(school_mode);
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h: GET /ecole/UAI/parametrage/import. */
void serve_screen_import_mode(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (serve_param_director(r, res, g))
        import_mode_page(r, res, g, NULL, 200);
}

/* See serve_int.h: POST /ecole/UAI/parametrage/import, as `lsu
 * import-mode --uai UAI (--class|--level|--school) MODE`. */
void serve_screen_import_mode_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    const char *mode = serve_form_get(&r->form, "mode"), *words = NULL;
    lsu_selection sel;
    if (!mode || (strcmp(mode, "manuelle") != 0 && strcmp(mode, "logiciel") != 0) ||
        serve_param_target_read(r, &sel, &words) != 0) {
        import_mode_page(r, res, g, "Choisissez le mode de saisie et les classes concernées.", 400);
        return;
    }
    lsu_store st;
    if (serve_open_store(r, res, g, 1, &st) != 0)
        return;
    long long changed = lsu_school_set_import_mode(&st, mode, &sel);
    lsu_store_close(&st);
    if (changed == -2) {
        import_mode_page(
            r, res, g, "Aucune classe ne correspond (les classes viennent de la base élèves : synchronisez-la).", 400);
        return;
    }
    if (changed < 0) {
        serve_error(r, res, 500, "Erreur interne", "Le paramétrage n'a pas pu être enregistré.");
        return;
    }
    char *what = lsu_asprintf("paramétrage de l'import : %s en %s", words,
                              strcmp(mode, "logiciel") == 0 ? "import logiciel" : "saisie manuelle");
    audit(r, g, what ? what : "paramétrage de l'import");
    free(what);
    char *u = serve_school_url(g->uai, "parametrage/import?enregistre=1");
    serve_redirect(res, u ? u : "/");
    free(u);
}

/* See serve_int.h: GET /ecole/UAI/parametrage/positionnement, the école's
 * scale (fixed). */
void serve_screen_scale(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    serve_page p;
    serve_page_new(&p, r, "Paramétrage du type de positionnement");
    serve_param_fil(&p, g, "Paramétrage du type de positionnement");
    serve_el(p.content, "p",
             "À l'école, du CP au CM2, le bilan périodique positionne l'élève au regard des objectifs "
             "d'apprentissage : ce type de positionnement est le seul possible, il n'y a rien à choisir.");
    xmlNodePtr t = serve_attr(
        serve_attr(serve_el(p.content, "tableau", NULL), "legende", "Positionnement par objectifs d'apprentissage"),
        "id", "positionnement");
    xmlNodePtr h = serve_el(t, "entetes", NULL);
    serve_el(h, "c", "Positionnement");
    serve_el(h, "c", "Abréviation");
    serve_el(h, "c", "Objectifs d'apprentissage");
    for (size_t i = 0; i < LSU_SCALE_LEVELS; i++) {
        xmlNodePtr row = serve_el(t, "ligne", NULL);
        char v[8];
        snprintf(v, sizeof v, "%d", lsu_school_scale[i].value);
        serve_el(row, "c", v);
        serve_el(row, "c", lsu_school_scale[i].code);
        serve_el(row, "c", lsu_school_scale[i].label);
    }
    serve_el(p.content, "p", "Un élément non évalué sur la période est noté « Non évalué » (NE).");
    serve_page_send(&p, r, res, 200);
}
