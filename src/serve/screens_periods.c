/* « Paramétrage des périodes »: the banner of the classes without a
 * periodicity, the predefined periodicities (Trimestre, Semestre) with
 * their dates and « Classes associées », the custom ones, the forms
 * that set them for a class, a level or the school, as `lsu periods`
 * does (lsu_periods_check says what is refused, lsu_school_set_periodicity
 * writes), and the table of every class with its periodicity. */
#include "school/listing.h"
#include "school/periods.h"
#include "school/school.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CUSTOM_ROWS 6 /* the empty rows of « Ajouter une nouvelle périodicité » */

/* "02/09/2024" from a stored yyyy-mm-dd into out. */
static void day_fr(const char *iso, char out[11])
{
    long day;
    if (iso && lsu_parse_date(iso, &day) == 0)
        lsu_format_date_fr(day, out);
    else
        snprintf(out, 11, "%s", iso ? iso : "?");
}

/* The periods of pe as a list under parent: « T1 : 02/09/2024, 30/11/2024 »
 * as the guide's Paramétrage shows them, or with `du_au` « T1 : du … au … ». */
static void periods_list(xmlNodePtr parent, const lsu_periodicity *pe, int du_au)
{
    xmlNodePtr l = serve_el(parent, "liste", NULL);
    for (size_t j = 0; j < pe->nperiods; j++) {
        char d[11], f[11];
        day_fr(pe->periods[j].debut, d);
        day_fr(pe->periods[j].fin, f);
        char *t = lsu_asprintf(du_au ? "%s : du %s au %s" : "%s : %s, %s", pe->periods[j].libelle, d, f);
        serve_el(l, "item", t);
        free(t);
    }
}

/* A periodicity's dates and classes under parent, as the guide shows them. */
static void periodicity_facts(xmlNodePtr parent, const lsu_periodicity *pe)
{
    periods_list(parent, pe, 0);
    char *t = !pe->classes && pe->school_default
                  ? lsu_strdup_or_null("Périodicité de l'école : aucune classe encore, les classes synchronisées "
                                       "la prendront.")
              : !pe->classes ? lsu_strdup_or_null("Aucune classe associée à cette périodicité.")
                             : lsu_asprintf("Classes associées : %s", pe->classes);
    serve_el(parent, "p", t);
    free(t);
}

/* The periods of periodicity `name` as a list under cell c (NULL: none). */
static void periods_cell(xmlNodePtr c, const lsu_periodicities *all, const char *name)
{
    const lsu_periodicity *pe = NULL;
    for (size_t i = 0; name && i < all->n && !pe; i++)
        if (strcmp(all->list[i].name, name) == 0)
            pe = &all->list[i];
    if (!pe || !pe->nperiods) {
        xmlNodeAddContent(c, BAD_CAST "—");
        return;
    }
    periods_list(c, pe, 1);
}

/* One row of the classes' table: the class, its level, its periodicity
 * (« non définie » when none) and where it comes from, its periods. */
static void class_row(xmlNodePtr t, const lsu_periodicities *all, const char *libelle, const char *niveau,
                      const char *periodicity, const char *from)
{
    xmlNodePtr row = serve_el(t, "ligne", NULL);
    serve_el(row, "c", libelle);
    serve_el(row, "c", niveau && *niveau ? niveau : "—");
    char *pt = periodicity ? lsu_asprintf("%s (%s)", periodicity, from ? from : "?") : NULL;
    serve_el(row, "c", pt ? pt : "non définie");
    free(pt);
    periods_cell(serve_el(row, "c", NULL), all, periodicity);
}

/* The table « Classe · Niveau · Périodicité · Périodes » under parent:
 * every class of the school, those of the base élèves (m) with their
 * settings, then those only named by bilans (labels) without any. */
static void classes_table(xmlNodePtr parent, const lsu_periodicities *all, const lsu_class_mode *m, size_t n,
                          char **labels, size_t nl)
{
    xmlNodePtr sec = serve_attr(serve_el(parent, "section", NULL), "titre", "Périodicité de chaque classe");
    serve_attr(sec, "id", "periodicite-des-classes");
    if (n == 0 && nl == 0) {
        serve_el(sec, "p", "Aucune classe encore : elles viennent de la base élèves (Synchronisation).");
        return;
    }
    xmlNodePtr t = serve_attr(serve_attr(serve_el(sec, "tableau", NULL), "legende", "Les classes de l'école"), "id",
                              "classes-periodes");
    xmlNodePtr h = serve_el(t, "entetes", NULL);
    const char *cols[] = {"Classe", "Niveau", "Périodicité", "Périodes"};
    for (size_t i = 0; i < 4; i++)
        serve_el(h, "c", cols[i]);
    for (size_t i = 0; i < n; i++)
        class_row(t, all, m[i].libelle, m[i].niveau, m[i].periodicity, m[i].periodicity_from);
    for (size_t i = 0; i < nl; i++) {
        int known = 0;
        for (size_t k = 0; k < n && !known; k++)
            known = strcmp(m[k].libelle, labels[i]) == 0;
        if (!known)
            class_row(t, all, labels[i], NULL, NULL, NULL);
    }
}

/* The fields of one period (row i, from 1) of a form: its dates (and its
 * label for a custom periodicity), with the ids of the form `key`. */
static void period_fields(xmlNodePtr f, const char *key, int i, const char *libelle, const char *debut, const char *fin,
                          int custom)
{
    char name[32], id[64], label[128];
    if (custom) {
        snprintf(name, sizeof name, "libelle%d", i);
        snprintf(id, sizeof id, "%s-libelle%d", key, i);
        snprintf(label, sizeof label, "Période %d : libellé", i);
        serve_attr(serve_field_el(f, "text", name, label, libelle), "id", id);
    }
    snprintf(name, sizeof name, "debut%d", i);
    snprintf(id, sizeof id, "%s-debut%d", key, i);
    snprintf(label, sizeof label, "%s : début", custom ? "Période" : libelle);
    if (custom)
        snprintf(label, sizeof label, "Période %d : début", i);
    serve_attr(serve_field_el(f, "date", name, label, debut), "id", id);
    snprintf(name, sizeof name, "fin%d", i);
    snprintf(id, sizeof id, "%s-fin%d", key, i);
    snprintf(label, sizeof label, "%s : fin", custom ? "Période" : libelle);
    if (custom)
        snprintf(label, sizeof label, "Période %d : fin", i);
    serve_attr(serve_field_el(f, "date", name, label, fin), "id", id);
}

/* The « Pour » choice and the « changer les dates » box of a form. */
static void target_fields(xmlNodePtr f, const char *key, const lsu_class_mode *m, size_t n)
{
    char id[64];
    snprintf(id, sizeof id, "%s-pour", key);
    serve_param_target(f, id, m, n);
    snprintf(id, sizeof id, "%s-changer", key);
    xmlNodePtr c = serve_el(f, "coche", NULL);
    serve_attr(serve_attr(serve_attr(c, "name", "changer"), "value", "1"), "id", id);
    serve_attr(c, "label", "Changer aussi les dates des classes déjà associées à cette périodicité");
}

/* The page, with a message: error (refusal) or info (done). */
static void periods_page(serve_request *r, serve_response *res, const lsu_grant *g, const char *error, const char *done,
                         unsigned status)
{
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    lsu_periodicities all;
    lsu_class_mode *m = NULL;
    char **labels = NULL;
    size_t n = 0, nl = 0;
    int bad = lsu_school_periodicities(&st, &all) != 0;
    bad |= lsu_school_import_modes(&st, &m, &n) != 0;
    bad |= lsu_school_class_labels(&st, &labels, &nl) != 0;
    lsu_store_close(&st);
    if (bad) {
        lsu_school_periodicities_free(&all);
        lsu_school_import_modes_free(m, n);
        lsu_class_labels_free(labels, nl);
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    serve_page p;
    serve_page_new(&p, r, "Paramétrage des périodes");
    serve_param_fil(&p, g, "Paramétrage des périodes");
    if (error)
        serve_el(p.content, "erreur", error);
    if (done)
        serve_el(p.content, "info", done);
    if (all.unset) {
        char *t = lsu_asprintf("Classe(s) dont la périodicité n'est pas définie : %s", all.unset);
        serve_el(p.content, "erreur", t);
        free(t);
    } else if (n > 0) {
        serve_el(p.content, "info", "Toutes les classes ont une périodicité.");
    }
    char *action = serve_school_url(g->uai, "parametrage/periodes");
    int year = lsu_school_year_of((long)(lsu_run_time() / 86400));
    xmlNodePtr pre = serve_attr(serve_el(p.content, "section", NULL), "titre", "Périodes prédéfinies");
    for (int k = 0; k < 2; k++) {
        const char *name = k == 0 ? "Trimestre" : "Semestre", *kind = k == 0 ? "trimestre" : "semestre";
        const char *key = k == 0 ? "trimestres" : "semestres";
        xmlNodePtr sec = serve_attr(serve_attr(serve_el(pre, "section", NULL), "titre", name), "id", key);
        const lsu_periodicity *pe = NULL;
        for (size_t i = 0; i < all.n && !pe; i++)
            if (strcmp(all.list[i].name, name) == 0)
                pe = &all.list[i];
        lsu_period def[LSU_MAX_PERIODS];
        size_t nd = lsu_periods_default(kind, year, def);
        if (pe)
            periodicity_facts(sec, pe);
        else
            serve_el(sec, "p", "Aucune classe associée à cette périodicité.");
        xmlNodePtr f = serve_attr(serve_form_el(sec, r, action, "post"), "id", key);
        serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "type"), "value", key);
        serve_el(f, "p", "Les dates des périodes (celles de l'export du logiciel de suivi, exactement) :");
        for (size_t j = 0; j < nd; j++) {
            const lsu_stored_period *sp = pe && j < pe->nperiods ? &pe->periods[j] : NULL;
            period_fields(f, key, (int)j + 1, def[j].libelle, sp ? sp->debut : def[j].debut, sp ? sp->fin : def[j].fin,
                          0);
        }
        serve_el(f, "p", "Sélectionnez les classes associées à cette périodicité :");
        target_fields(f, key, m, n);
        serve_el(f, "bouton", "Enregistrer");
    }
    xmlNodePtr cus = serve_attr(serve_el(p.content, "section", NULL), "titre", "Périodes personnalisées");
    serve_attr(cus, "id", "personnalisees");
    for (size_t i = 0; i < all.n; i++) {
        const lsu_periodicity *pe = &all.list[i];
        if (strcmp(pe->name, "Trimestre") == 0 || strcmp(pe->name, "Semestre") == 0)
            continue;
        char *t = lsu_asprintf("%s (%d-%d)", pe->name, pe->millesime, pe->millesime + 1);
        serve_el(cus, "h", t);
        free(t);
        periodicity_facts(cus, pe);
    }
    serve_el(cus, "h", "Ajouter une nouvelle périodicité");
    xmlNodePtr f = serve_attr(serve_form_el(cus, r, action, "post"), "id", "personnalisee");
    serve_attr(serve_attr(serve_el(f, "cache", NULL), "name", "type"), "value", "custom");
    serve_attr(serve_field_el(f, "text", "nom", "Libellé de la périodicité", NULL), "id", "custom-nom");
    for (int i = 1; i <= CUSTOM_ROWS; i++)
        period_fields(f, "custom", i, NULL, NULL, NULL, 1);
    serve_el(f, "p", "Sélectionnez les classes associées à cette périodicité :");
    target_fields(f, "custom", m, n);
    serve_el(f, "bouton", "Ajouter");
    free(action);
    classes_table(p.content, &all, m, n, labels, nl);
    lsu_school_periodicities_free(&all);
    lsu_school_import_modes_free(m, n);
    lsu_class_labels_free(labels, nl);
    serve_page_send(&p, r, res, status);
}

/* See serve_int.h: GET /ecole/UAI/parametrage/periodes. */
void serve_screen_periods(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (serve_param_director(r, res, g))
        periods_page(r, res, g, NULL, NULL, 200);
}

/* The periods of the form into a: a predefined periodicity's dates (its
 * labels from lsu_periods_default) or a custom one's rows.  0, or -1 with
 * the reason in why (French). */
static int read_periods(serve_request *r, const char *type, lsu_periodicity_request *a, lsu_period *p, char *why,
                        size_t size)
{
    int custom = strcmp(type, "custom") == 0;
    size_t n = custom ? CUSTOM_ROWS : lsu_periods_default(a->kind, 2000, p), k = 0;
    for (size_t i = 1; i <= n; i++) {
        char f[32];
        snprintf(f, sizeof f, "libelle%zu", i);
        const char *lib = custom ? serve_form_get(&r->form, f) : p[i - 1].libelle;
        snprintf(f, sizeof f, "debut%zu", i);
        const char *d = serve_form_get(&r->form, f);
        snprintf(f, sizeof f, "fin%zu", i);
        const char *e = serve_form_get(&r->form, f);
        if (custom && (!lib || !*lib) && (!d || !*d) && (!e || !*e))
            continue; /* an empty row */
        if (custom && (!lib || !*lib)) {
            snprintf(why, size, "période %zu : le libellé manque", i);
            return -1;
        }
        if (strlen(lib) >= sizeof p[k].libelle) {
            snprintf(why, size, "période %zu : libellé trop long (%zu caractères au plus)", i, sizeof p[k].libelle - 1);
            return -1;
        }
        memcpy(p[k].libelle, lib, strlen(lib) + 1); /* fits: checked above */
        const char *label = p[k].libelle;
        int bad_d = !d || lsu_date_read(d, p[k].debut) != 0, bad_e = !e || lsu_date_read(e, p[k].fin) != 0;
        if (bad_d || bad_e) {
            snprintf(why, size, "%s : date %s « %s » invalide (JJ/MM/AAAA)", label, bad_d ? "de début" : "de fin",
                     bad_d ? (d ? d : "") : (e ? e : ""));
            return -1;
        }
        k++;
    }
    if (k == 0) {
        snprintf(why, size, "aucune période : donnez au moins un libellé et ses dates");
        return -1;
    }
    long first;
    lsu_parse_date(p[0].debut, &first);
    a->year = lsu_school_year_of(first);
    a->p = p;
    a->n = k;
    return lsu_periods_check(p, k, a->year, why, size);
}

/* See serve_int.h: POST /ecole/UAI/parametrage/periodes, as `lsu periods
 * --uai UAI (--class|--level|--school) trimestres|semestres --dates …` or
 * `custom --name NOM --period …`. */
void serve_screen_periods_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    const char *type = serve_form_get(&r->form, "type"), *nom = serve_form_get(&r->form, "nom");
    const char *who = NULL;
    lsu_selection sel;
    int custom = type && strcmp(type, "custom") == 0, no_target = serve_param_target_read(r, &sel, &who) != 0;
    if (!type || (!custom && strcmp(type, "trimestres") != 0 && strcmp(type, "semestres") != 0) || no_target) {
        periods_page(r, res, g, "Choisissez la périodicité et les classes concernées.", NULL, 400);
        return;
    }
    lsu_periodicity_request a = {.kind = custom                            ? "personnalisee"
                                         : strcmp(type, "trimestres") == 0 ? "trimestre"
                                                                           : "semestre",
                                 .change_others = serve_form_get(&r->form, "changer") != NULL};
    a.name = custom ? nom : strcmp(type, "trimestres") == 0 ? "Trimestre" : "Semestre";
    if (custom && nom && strlen(nom) > 100) {
        periods_page(r, res, g, "Périodes refusées : le libellé de la périodicité dépasse 100 caractères.", NULL, 400);
        return;
    }
    if (custom && (!nom || !*nom || strcmp(nom, "Trimestre") == 0 || strcmp(nom, "Semestre") == 0)) {
        periods_page(r, res, g, "Périodes refusées : donnez le libellé de la périodicité (ni Trimestre ni Semestre).",
                     NULL, 400);
        return;
    }
    lsu_period p[LSU_MAX_PERIODS];
    char why[256];
    if (read_periods(r, type, &a, p, why, sizeof why) != 0) {
        char *t = lsu_asprintf("Périodes refusées : %s.", why);
        periods_page(r, res, g, t, NULL, 400);
        free(t);
        return;
    }
    lsu_store st;
    if (serve_open_store(r, res, g, 1, &st) != 0)
        return;
    lsu_periodicity_done d;
    int k = lsu_school_set_periodicity(&st, &a, &sel, &d);
    lsu_store_close(&st);
    if (k == 0) {
        lsu_buf t = {0};
        lsu_buf_printf(&t, "%s enregistré pour %s", a.name, who);
        if (d.attached > 0)
            lsu_buf_printf(&t, " : %lld classe%s associée%s", d.attached, d.attached > 1 ? "s" : "",
                           d.attached > 1 ? "s" : "");
        if (d.written && d.classes)
            lsu_buf_printf(&t, " ; dates modifiées pour %lld classe%s : %s", d.nclasses, d.nclasses > 1 ? "s" : "",
                           d.classes);
        lsu_buf_puts(&t, ".");
        char *what = lsu_asprintf("paramétrage des périodes : %s pour %s", a.name, who);
        lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, what ? what : "paramétrage des périodes", time(NULL));
        free(what);
        periods_page(r, res, g, NULL, t.data, 200);
        lsu_buf_free(&t);
    } else if (k == -2) {
        periods_page(r, res, g,
                     "Aucune classe ne correspond (les classes viennent de la base élèves : synchronisez-la).", NULL,
                     400);
    } else if (k == -3) {
        char *t = lsu_asprintf("%s : ces dates changeraient aussi celles de %lld classe%s hors de la sélection (%s) : "
                               "sélectionnez l'école, ou cochez « Changer aussi les dates des classes déjà "
                               "associées ».",
                               a.name, d.nclasses, d.nclasses > 1 ? "s" : "", d.classes ? d.classes : "");
        periods_page(r, res, g, t, NULL, 409);
        free(t);
    } else {
        serve_error(r, res, 500, "Erreur interne", "Le paramétrage n'a pas pu être enregistré.");
    }
    lsu_periodicity_done_free(&d);
}
