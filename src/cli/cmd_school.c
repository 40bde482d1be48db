/* lsu school: the school's identity (name, address, commune, directeur),
 * set field by field or shown.  Setting makes the store when missing;
 * showing is a reading command and never makes one.  The library checks
 * and writes (school/identity.c); this file prints. */
#include "cli/cli_int.h"
#include "school/identity.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    lsu_school_identity_change ch;
} school_args;

static const cli_option school_options[] = {
    CLI_STRING("nom", 0, "NOM", offsetof(school_args, ch.nom), "le nom de l'école (École élémentaire Jules Ferry)"),
    CLI_STRING("adresse", 0, "TEXTE", offsetof(school_args, ch.adresse), "l'adresse, sur une ligne (3 rue de la Paix)"),
    CLI_STRING("code-postal", 0, "CP", offsetof(school_args, ch.code_postal), "le code postal (5 chiffres)"),
    CLI_STRING("commune", 0, "COMMUNE", offsetof(school_args, ch.commune), "la commune"),
    CLI_STRING("directeur", 0, "\"MME NOM Prénom\"", offsetof(school_args, ch.directeur),
               "le directeur ou la directrice : civilité (M ou MME), nom en capitales, prénom"),
    CLI_END,
};
static const cli_option *const school_tables[] = {school_options, NULL};

/* lsu school takes no file. */
static int school_argument(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    cli_usage_error(c->err, "argument inconnu ou incomplet « %s »", arg);
    return -1;
}

/* The school named, no selection (the identity is the school's), and
 * the fields given acceptable: a refused one makes no store. */
static int check_school(void *args, cli_ctx *c)
{
    const school_args *a = args;
    if (!c->uai) {
        cli_usage_error(c->err, "cette commande demande l'école : --uai UAI");
        return LSU_EXIT_USAGE;
    }
    if (c->sel.ine || c->sel.classe || c->sel.niveau || c->sel.school) {
        cli_usage_error(c->err, "l'identité est celle de l'école : ni --pupil, ni --class, ni --level, ni --school");
        return LSU_EXIT_USAGE;
    }
    char *why = NULL;
    if (lsu_school_identity_check(&a->ch, &why) != 0) {
        cli_error(c->err, "%s", why ? why : "mémoire insuffisante");
        free(why);
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* Appends one line of the identity: the value, or « non renseigné ». */
static void show_line(lsu_buf *text, const char *label, const char *value)
{
    lsu_buf_printf(text, "  %-14s %s\n", label, value && *value ? value : "(non renseigné)");
}

/* Appends the school's identity as lsu school shows it. */
static void show_identity(lsu_buf *text, const char *uai, const lsu_school_identity *id)
{
    lsu_buf_printf(text, "Identité de l'école %s :\n", uai);
    show_line(text, "Nom :", id->nom);
    show_line(text, "Adresse :", id->adresse);
    show_line(text, "Code postal :", id->code_postal);
    show_line(text, "Commune :", id->commune);
    char *dir = lsu_school_identity_has_directeur(id)
                    ? lsu_asprintf("%s %s %s", lsu_school_civilite_label(id->directeur_civilite), id->directeur_nom,
                                   id->directeur_prenom)
                    : NULL;
    show_line(text, "Directeur :", dir);
    free(dir);
    if (!*id->nom)
        lsu_buf_printf(text, "Sans nom, les bilans portent « École » et l'UAI : lsu school --uai %s --nom NOM\n", uai);
}

/* `lsu school --uai U [--nom …]…`: writes the given fields (one
 * transaction, a "settings" event), then shows the identity.  Exit
 * status: 0, 64 a field refused or no store to show, 70 the store failed. */
static int run_school(void *args, cli_ctx *c)
{
    const school_args *a = args;
    const lsu_school_identity_change *ch = &a->ch;
    int sets = ch->nom || ch->adresse || ch->code_postal || ch->commune || ch->directeur;
    int rc = store_open(c, sets);
    if (rc != 0)
        return rc;
    lsu_buf text = {0};
    if (sets) {
        char *what = NULL, *why = NULL;
        long long changed = lsu_school_identity_write(&c->st, ch, &what, &why);
        if (changed == -2) {
            cli_error(c->err, "%s", why);
            rc = LSU_EXIT_USAGE;
        } else if (changed < 0) {
            store_error(c);
            rc = LSU_EXIT_INTERNAL;
        } else if (changed == 0) {
            lsu_buf_printf(&text, "Identité de l'école %s inchangée.\n", c->uai);
        } else {
            lsu_buf_printf(&text, "Identité de l'école %s enregistrée (%s).\n", c->uai, what);
        }
        free(what);
        free(why);
    }
    if (rc == 0) {
        lsu_school_identity id;
        if (lsu_school_identity_read(&c->st, &id) != 0) {
            store_error(c);
            rc = LSU_EXIT_INTERNAL;
        } else {
            show_identity(&text, c->uai, &id);
            lsu_school_identity_free(&id);
            rc = print_buf(&text, c->out, LSU_EXIT_OK);
        }
    }
    lsu_buf_free(&text);
    lsu_store_close(&c->st);
    return rc;
}

const cli_spec cmd_school_spec = {
    .run = run_school,
    .tables = school_tables,
    .args_size = sizeof(school_args),
    .check = check_school,
    .positional = school_argument,
    .unknown = school_argument,
    .usage = "lsu school --uai UAI [--nom NOM] [--adresse TEXTE] [--code-postal CP] [--commune COMMUNE]\n"
             "           [--directeur \"MME NOM Prénom\" | \"M NOM Prénom\"]",
    .summary = "Identité de l'école (nom, adresse, commune, directeur), imprimée en tête des bilans ; "
               "sans option : l'identité enregistrée.",
};
