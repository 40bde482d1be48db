/* The director's « Identité de l'école » screen: the school's name,
 * address, commune and directeur, printed at the head of every bilan and
 * named in the bilans born in the store (the saisie asks for the
 * directeur).  The same functions as `lsu school` (school/identity.h);
 * each change is an event of the store by the user and a line of the
 * server's audit log.  The LSU guide has no such screen (LSU takes the
 * identity from the base élèves): the words are those of `lsu school`. */
#include "school/identity.h"
#include "serve/serve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The values a form shows: the typed ones after a refusal, else the
 * stored ones (none owned). */
typedef struct {
    const char *nom, *adresse, *code_postal, *commune, *civilite, *dnom, *dprenom;
} ecole_values;

/* The page: the identity's form filled with v, a message (error, or done
 * when error is NULL and done is not). */
static void ecole_page(serve_request *r, serve_response *res, const lsu_grant *g, const ecole_values *v,
                       const char *error, const char *done, unsigned status)
{
    serve_page p;
    serve_page_new(&p, r, "Identité de l'école");
    serve_param_fil(&p, g, "Identité de l'école");
    if (error)
        serve_el(p.content, "erreur", error);
    else if (done)
        serve_el(p.content, "info", done);
    serve_el(p.content, "p",
             "Le nom, l'adresse et la commune de l'école sont imprimés en tête de chaque bilan. Le directeur ou la "
             "directrice est nommé(e) dans les bilans saisis dans l'application : la saisie le demande.");
    char *action = serve_school_url(g->uai, "parametrage/ecole");
    xmlNodePtr f = serve_attr(serve_form_el(p.content, r, action, "post"), "id", "identite");
    free(action);
    serve_field_el(f, "text", "nom", "Nom de l'école (150 caractères au plus)", v->nom);
    serve_field_el(f, "text", "adresse", "Adresse, sur une ligne", v->adresse);
    serve_attr(serve_field_el(f, "text", "code_postal", "Code postal (5 chiffres)", v->code_postal), "autocomplete",
               "postal-code");
    serve_field_el(f, "text", "commune", "Commune", v->commune);
    xmlNodePtr civ =
        serve_attr(serve_attr(serve_attr(serve_el(f, "choix", NULL), "name", "civilite"), "id", "champ-civilite"),
                   "label", "Directeur ou directrice : civilité");
    static const char *const civs[][2] = {{"", "(non renseigné)"}, {"MME", "Mme"}, {"M", "M."}};
    for (size_t i = 0; i < 3; i++) {
        xmlNodePtr o = serve_attr(serve_el(civ, "option", civs[i][1]), "value", civs[i][0]);
        if (strcmp(v->civilite ? v->civilite : "", civs[i][0]) == 0)
            serve_attr(o, "selected", "1");
    }
    serve_field_el(f, "text", "directeur_nom", "Nom du directeur (en capitales)", v->dnom);
    serve_field_el(f, "text", "directeur_prenom", "Prénom du directeur", v->dprenom);
    serve_el(f, "bouton", "Enregistrer");
    serve_page_send(&p, r, res, status);
}

/* Shows the stored identity with a message; a store that cannot be read
 * gets its error page. */
static void ecole_stored(serve_request *r, serve_response *res, const lsu_grant *g, const char *done)
{
    lsu_store st;
    if (serve_open_store(r, res, g, 1, &st) != 0)
        return;
    lsu_school_identity id;
    int bad = lsu_school_identity_read(&st, &id) != 0;
    lsu_store_close(&st);
    if (bad) {
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    ecole_values v = {id.nom,           id.adresse,         id.code_postal, id.commune, id.directeur_civilite,
                      id.directeur_nom, id.directeur_prenom};
    ecole_page(r, res, g, &v, NULL, done, 200);
    lsu_school_identity_free(&id);
}

/* See serve_int.h: GET /ecole/UAI/parametrage/ecole. */
void serve_screen_ecole(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (serve_param_director(r, res, g))
        ecole_stored(r, res, g, serve_form_get(&r->query, "enregistre") ? "Identité de l'école enregistrée." : NULL);
}

/* A form's field, "" when absent. */
static const char *field(serve_request *r, const char *name)
{
    const char *v = serve_form_get(&r->form, name);
    return v ? v : "";
}

/* See serve_int.h: POST /ecole/UAI/parametrage/ecole, as `lsu school --uai
 * UAI --nom … --adresse … --code-postal … --commune … --directeur "MME NOM
 * Prénom"` with every field given (an empty one clears it).  The
 * directeur is all three parts or none. */
void serve_screen_ecole_post(serve_request *r, serve_response *res, const lsu_grant *g)
{
    if (!serve_param_director(r, res, g))
        return;
    ecole_values v = {field(r, "nom"),      field(r, "adresse"),       field(r, "code_postal"),     field(r, "commune"),
                      field(r, "civilite"), field(r, "directeur_nom"), field(r, "directeur_prenom")};
    int parts = (*v.civilite != 0) + (*v.dnom != 0) + (*v.dprenom != 0);
    if (parts != 0 && parts != 3) {
        ecole_page(
            r, res, g, &v,
            "Identité refusée : pour le directeur, donnez la civilité, le nom et le prénom (ou aucun des trois).", NULL,
            400);
        return;
    }
    char *dir = parts ? lsu_asprintf("%s %s %s", v.civilite, v.dnom, v.dprenom) : NULL;
    if (parts && !dir) {
        serve_error(r, res, 500, "Erreur interne", "Mémoire insuffisante.");
        return;
    }
    lsu_school_identity_change ch = {.nom = v.nom,
                                     .adresse = v.adresse,
                                     .code_postal = v.code_postal,
                                     .commune = v.commune,
                                     .directeur = parts ? dir : ""};
    char *why = NULL;
    if (lsu_school_identity_check(&ch, &why) != 0) {
        char *t = lsu_asprintf("Identité refusée : %s.", why ? why : "mémoire insuffisante");
        ecole_page(r, res, g, &v, t ? t : "Identité refusée.", NULL, 400);
        free(t), free(why), free(dir);
        return;
    }
    lsu_store st;
    if (serve_open_store(r, res, g, 1, &st) != 0) {
        free(dir);
        return;
    }
    char *what = NULL;
    long long changed = lsu_school_identity_write(&st, &ch, &what, &why);
    lsu_store_close(&st);
    free(dir);
    if (changed == -2) {
        char *t = lsu_asprintf("Identité refusée : %s.", why ? why : "");
        ecole_page(r, res, g, &v, t ? t : "Identité refusée.", NULL, 400);
        free(t);
    } else if (changed < 0) {
        serve_error(r, res, 500, "Erreur interne", "L'identité de l'école n'a pas pu être enregistrée.");
    } else if (changed == 0) {
        ecole_stored(r, res, g, "Identité de l'école inchangée.");
    } else {
        char *a = lsu_asprintf("identité de l'école : %s", what ? what : "");
        lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, a ? a : "identité de l'école", time(NULL));
        free(a);
        char *u = serve_school_url(g->uai, "parametrage/ecole?enregistre=1");
        serve_redirect(res, u ? u : "/");
        free(u);
    }
    free(what), free(why);
}
