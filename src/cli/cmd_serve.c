/* lsu serve and lsu users on the command line: the server started and
 * stopped (SIGTERM, SIGINT), its accounts added, listed and removed.  The
 * server and the accounts are the library's (serve/serve.h,
 * serve/accounts.h); this file prints and picks the exit status. */
#include "cli/cli_int.h"
#include "serve/accounts.h"
#include "serve/serve.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- lsu serve ---- */

typedef struct {
    const char *data, *listen, *trust_header;
    long long max_upload;
    int secure_cookies, trust_proxy, jobs;
} serve_args;

static const cli_option serve_options[] = {
    CLI_STRING("data", 0, "DOSSIER", offsetof(serve_args, data),
               "les bases des écoles et serveur.sqlite (défaut : LSU_DATA, sinon ./lsu-data)"),
    CLI_STRING("listen", 0, "ADRESSE:PORT", offsetof(serve_args, listen),
               "adresse d'écoute (défaut 127.0.0.1:8080 ; port 0 : choisi et imprimé)"),
    CLI_SIZE("max-upload", "TAILLE", offsetof(serve_args, max_upload),
             "taille maximale des fichiers d'un envoi, ensemble (défaut 64M)", 1),
    CLI_BOOL("secure-cookies", 0, offsetof(serve_args, secure_cookies),
             "cookie de session Secure (derrière un mandataire TLS)"),
    CLI_BOOL("trust-proxy", 0, offsetof(serve_args, trust_proxy),
             "l'adresse d'un client est celle de X-Forwarded-For (mandataire sur la même machine)"),
    CLI_STRING("trust-header", 0, "EN-TÊTE", offsetof(serve_args, trust_header),
               "l'identifiant est la valeur de cet en-tête, posé par le mandataire de l'académie après son "
               "authentification unique (sans mot de passe ; --listen local seulement)"),
    CLI_INT("jobs", 'j', "N", offsetof(serve_args, jobs),
            "N imports ou éditions à la fois, les autres attendent leur tour (défaut : nombre de cœurs)", 1, 1024,
            "-j : nombre de travaux invalide « %s » (1 à 1024)"),
    CLI_END,
};
static const cli_option *const serve_tables[] = {serve_options, NULL};

static volatile sig_atomic_t stop_asked;

/* SIGTERM, SIGINT: the server stops. */
static void on_stop(int sig)
{
    (void)sig;
    stop_asked = 1;
}

/* No argument beside the options. */
static int serve_extra(void *args, const char *arg, cli_ctx *c)
{
    (void)args;
    cli_usage_error(c->err, "argument inconnu « %s »", arg);
    return -1;
}

/* An address to listen on that the server takes. */
static int check_serve(void *args, cli_ctx *c)
{
    const serve_args *a = args;
    if (a->listen && !lsu_serve_listen_valid(a->listen)) {
        cli_usage_error(c->err, "--listen « %s » : attendu ADRESSE:PORT, numérique (127.0.0.1:8080, [::1]:8080)",
                        a->listen);
        return LSU_EXIT_USAGE;
    }
    if (a->trust_header && !lsu_serve_header_name_valid(a->trust_header)) {
        cli_usage_error(c->err, "--trust-header « %s » : un nom d'en-tête (lettres, chiffres, tirets)",
                        a->trust_header);
        return LSU_EXIT_USAGE;
    }
    /* anyone who reaches the port could send the header: only the proxy
     * on the same machine may reach it */
    if (a->trust_header && !lsu_serve_listen_loopback(a->listen ? a->listen : "127.0.0.1:8080")) {
        cli_usage_error(c->err, "--trust-header demande une adresse d'écoute locale (--listen 127.0.0.1:PORT ou "
                                "[::1]:PORT) : derrière le mandataire de l'académie, sur la même machine");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* `lsu serve`: runs until SIGTERM or SIGINT, then exits 0. */
static int run_serve(void *args, cli_ctx *c)
{
    const serve_args *a = args;
    lsu_serve_config cfg = {.data_dir = lsu_store_data_dir(a->data),
                            .listen = a->listen,
                            .max_upload = a->max_upload,
                            .secure_cookies = a->secure_cookies,
                            .trust_proxy = a->trust_proxy,
                            .trust_header = a->trust_header,
                            .jobs = a->jobs};
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    /* the daemon's thread inherits a mask without them: the main thread
     * alone takes the signals */
    pthread_sigmask(SIG_BLOCK, &block, &old);
    char *error = NULL;
    unsigned port = 0;
    lsu_server *s = lsu_serve_start(&cfg, &port, &error);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!s) {
        cli_error(c->err, "%s", error ? error : "démarrage du serveur impossible");
        free(error);
        return LSU_EXIT_INTERNAL;
    }
    fprintf(c->out, "%u\n", port);
    fflush(c->out);
    fprintf(c->err, "lsu serve : à l'écoute sur le port %u (données : %s) ; arrêt : SIGTERM ou Ctrl-C\n", port,
            cfg.data_dir);
    fflush(c->err);
    while (!stop_asked)
        pause();
    lsu_serve_stop(s);
    return LSU_EXIT_OK;
}

const cli_spec cmd_serve_spec = {
    .run = run_serve,
    .tables = serve_tables,
    .args_size = sizeof(serve_args),
    .check = check_serve,
    .positional = serve_extra,
    .usage = "lsu serve [--data DOSSIER] [--listen ADRESSE:PORT] [--max-upload TAILLE] [--secure-cookies]\n"
             "          [--trust-proxy] [--trust-header EN-TÊTE] [-j N]",
    .summary = "L'application LSU dans un navigateur, pour les directeurs et les enseignants (comptes : lsu "
               "users) ; imprime le port d'écoute.",
};

/* ---- lsu users ---- */

typedef struct {
    const char *data, *login, *role, *uai;
    const char *action;
    const char *classes[64];
    size_t nclasses;
    int too_many;
} users_args;

/* --class CLASSE, repeated: field is the users_args. */
static int opt_class(void *field, const char *value, cli_ctx *c)
{
    users_args *a = field;
    if (a->nclasses >= sizeof a->classes / sizeof *a->classes) {
        cli_usage_error(c->err, "trop de classes (64 au plus)");
        return -1;
    }
    a->classes[a->nclasses++] = value;
    return 0;
}

static const cli_option users_options[] = {
    CLI_STRING("data", 0, "DOSSIER", offsetof(users_args, data), "le dossier de serveur.sqlite (comme lsu serve)"),
    CLI_STRING("login", 0, "ID", offsetof(users_args, login), "l'identifiant du compte"),
    CLI_STRING("role", 0, "directeur|enseignant", offsetof(users_args, role), "son rôle dans l'école"),
    CLI_STRING("uai", 0, "UAI", offsetof(users_args, uai), "l'école"),
    CLI_CALLBACK("class", "CLASSE", 0, "une classe de l'enseignant (répétable)", opt_class),
    CLI_END,
};
static const cli_option *const users_tables[] = {users_options, NULL};

/* The action: add, list or remove. */
static int users_action(void *args, const char *arg, cli_ctx *c)
{
    users_args *a = args;
    if (!a->action && (strcmp(arg, "add") == 0 || strcmp(arg, "list") == 0 || strcmp(arg, "remove") == 0)) {
        a->action = arg;
        return 0;
    }
    cli_usage_error(c->err, "argument inconnu « %s » (add, list ou remove)", arg);
    return -1;
}

/* An action, and what it needs. */
static int check_users(void *args, cli_ctx *c)
{
    const users_args *a = args;
    if (!a->action) {
        cli_usage_error(c->err, "lsu users : add, list ou remove");
        return LSU_EXIT_USAGE;
    }
    if (strcmp(a->action, "add") == 0 && (!a->login || !a->role || !a->uai)) {
        cli_usage_error(c->err, "lsu users add demande --login, --role et --uai");
        return LSU_EXIT_USAGE;
    }
    if (strcmp(a->action, "remove") == 0 && !a->login) {
        cli_usage_error(c->err, "lsu users remove demande --login");
        return LSU_EXIT_USAGE;
    }
    return 0;
}

/* The password on the first line of standard input (never argv), without
 * its line end; NULL when there is none. */
static char *read_password(void)
{
    char line[1024];
    if (!fgets(line, sizeof line, stdin))
        return NULL;
    line[strcspn(line, "\r\n")] = 0;
    return lsu_strdup_or_null(line);
}

/* `lsu users add|list|remove`. */
static int run_users(void *args, cli_ctx *c)
{
    const users_args *a = args;
    const char *data = lsu_store_data_dir(a->data);
    lsu_accounts acc;
    int add = strcmp(a->action, "add") == 0, rc = lsu_accounts_open(&acc, data, add);
    if (rc != 0) {
        if (rc == 1 && !add)
            rc = LSU_EXIT_OK; /* no accounts yet: an empty list, nothing to remove */
        else
            cli_error(c->err, "%s", acc.error ? acc.error : "base des comptes illisible");
        lsu_accounts_close(&acc);
        return rc == LSU_EXIT_OK && strcmp(a->action, "list") == 0 ? LSU_EXIT_OK
               : rc == LSU_EXIT_OK                                 ? LSU_EXIT_BILAN_REJECTED
                                                                   : LSU_EXIT_INTERNAL;
    }
    int status = LSU_EXIT_OK;
    if (add) {
        char *pw = read_password();
        int k = lsu_accounts_add(&acc, a->login, pw, a->role, a->uai, a->classes, a->nclasses);
        if (pw)
            memset(pw, 0, strlen(pw));
        free(pw);
        if (k == 0 || k == 1)
            fprintf(c->err, "compte %s : %s %s de l'école %s\n", a->login, k == 0 ? "créé," : "existant,", a->role,
                    a->uai);
        else
            cli_error(c->err, "compte %s non %s : %s", a->login, "enregistré", acc.error ? acc.error : "?");
        status = k == 0 || k == 1 ? LSU_EXIT_OK : k == 2 ? LSU_EXIT_USAGE : LSU_EXIT_INTERNAL;
    } else if (strcmp(a->action, "remove") == 0) {
        int k = lsu_accounts_remove(&acc, a->login);
        if (k == 1)
            cli_error(c->err, "aucun compte %s", a->login);
        else if (k < 0)
            cli_error(c->err, "%s", acc.error ? acc.error : "?");
        status = k == 0 ? LSU_EXIT_OK : k == 1 ? LSU_EXIT_BILAN_REJECTED : LSU_EXIT_INTERNAL;
    } else {
        lsu_user *u = NULL;
        size_t n = 0;
        if (lsu_accounts_users(&acc, &u, &n) != 0) {
            cli_error(c->err, "%s", acc.error ? acc.error : "?");
            status = LSU_EXIT_INTERNAL;
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < u[i].ngrants; j++) {
                fprintf(c->out, "%s\t%s\t%s%s", u[i].login, u[i].grants[j].uai, u[i].grants[j].role,
                        u[i].grants[j].classes[0] ? "\t" : "");
                for (const char *p = u[i].grants[j].classes; *p; p++)
                    fputc(*p == '\n' ? ',' : *p, c->out);
                fputc('\n', c->out);
            }
        lsu_accounts_users_free(u, n);
    }
    lsu_accounts_close(&acc);
    return status;
}

const cli_spec cmd_users_spec = {
    .run = run_users,
    .tables = users_tables,
    .args_size = sizeof(users_args),
    .check = check_users,
    .positional = users_action,
    .usage = "lsu users [--data DOSSIER] add --login ID --role directeur|enseignant --uai UAI [--class CLASSE]... "
             "< MOT-DE-PASSE\n"
             "lsu users [--data DOSSIER] list\n"
             "lsu users [--data DOSSIER] remove --login ID",
    .summary = "Les comptes de lsu serve : le mot de passe est lu sur l'entrée standard, jamais en argument.",
};
