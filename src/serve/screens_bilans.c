/* The Bilans screens: the classes of the school (a teacher sees his
 * own), per class and period the list ☐ · # · Nom · Prénom · Statut ·
 * Actions with the « ? » of what is missing, « Actions d'ensemble »
 * (verrouiller, déverrouiller: the director's, lsu_school_lock), and
 * Éditer: a pupil's PDF and the class's zip as `lsu edit --uai` makes
 * them (lsu_store_edit into a private folder, then sent). */
#include "school/listing.h"
#include "school/school.h"
#include "school/store.h"
#include "school/store_edit.h"
#include "serve/serve_int.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

/* See serve_int.h: GET /ecole/UAI/bilans, the classes. */
void serve_screen_bilans(serve_request *r, serve_response *res, const lsu_grant *g)
{
    char **labels;
    size_t n;
    if (serve_class_labels(r, res, g, &labels, &n) != 0)
        return;
    serve_page p;
    serve_page_new(&p, r, "Bilans");
    serve_el(p.content, "p", "Choisissez la classe :");
    xmlNodePtr l = serve_attr(serve_el(p.content, "liste", NULL), "id", "classes");
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lsu_grant_has_class(g, labels[i]))
            continue;
        char *rest = lsu_asprintf("bilans/%s", labels[i]), *url = rest ? serve_school_url(g->uai, rest) : NULL;
        serve_attr(serve_el(serve_el(l, "item", NULL), "lien", labels[i]), "href", url);
        free(rest), free(url);
        shown++;
    }
    if (shown == 0)
        serve_el(p.content, "info", "Aucune classe : synchronisez ONDE ou importez un export.");
    lsu_class_labels_free(labels, n);
    serve_page_send(&p, r, res, 200);
}

/* "12/01/2025" from an ISO 8601 date-time into out. */
static void date_fr(const char *iso, char out[11])
{
    if (iso && strlen(iso) >= 10)
        snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(out, 11, "%s", "?");
}

/* See serve_int.h: GET /ecole/UAI/bilans/CLASSE[?periode=BKEY]. */
void serve_screen_class(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    lsu_bilan_row *rows = NULL;
    size_t n = 0;
    int rc = lsu_school_bilan_rows(&st, classe, &rows, &n);
    lsu_store_close(&st);
    if (rc != 0) {
        lsu_bilan_rows_free(rows, n);
        serve_error(r, res, 500, "Erreur interne", "La base de l'école est illisible.");
        return;
    }
    const char *want = serve_form_get(&r->query, "periode");
    const char *bkey = NULL;
    for (size_t i = 0; i < n && !bkey; i++)
        if (!want || strcmp(rows[i].bkey, want) == 0)
            bkey = rows[i].bkey;
    if (!bkey && n > 0) /* a period the class has no bilan of: its first one */
        bkey = rows[0].bkey;
    if (!bkey)
        bkey = "";
    char *title = lsu_asprintf("Bilans de la classe %s", classe);
    serve_page p;
    serve_page_new(&p, r, title ? title : "Bilans");
    free(title);
    char *home = serve_school_url(g->uai, "bilans"), *rest = lsu_asprintf("bilans/%s", classe);
    char *self = rest ? serve_school_url(g->uai, rest) : NULL;
    serve_attr(serve_el(p.fil, "lien", "Bilans"), "href", home);
    serve_el(p.fil, "lien", classe);
    char *srest = lsu_asprintf("saisie/%s", classe), *grid = srest ? serve_school_url(g->uai, srest) : NULL;
    serve_attr(serve_attr(serve_el(serve_el(p.content, "p", NULL), "lien", "Saisie collective des acquis scolaires"),
                          "href", grid),
               "titre", "Saisie d'ensemble des acquis scolaires de la classe, par domaine d'enseignement");
    free(srest), free(grid);
    if (n == 0) {
        serve_el(p.content, "info", "Aucun bilan dans cette classe pour l'instant.");
    } else {
        /* the period: a GET form, no script needed */
        xmlNodePtr pf = serve_attr(serve_form_el(p.content, r, self, "get"), "id", "periode");
        xmlNodePtr sel =
            serve_attr(serve_attr(serve_attr(serve_el(pf, "choix", NULL), "name", "periode"), "id", "champ-periode"),
                       "label", "Période");
        for (size_t i = 0; i < n; i++) {
            if (!rows[i].bkey || (i > 0 && rows[i - 1].bkey && strcmp(rows[i].bkey, rows[i - 1].bkey) == 0))
                continue;
            xmlNodePtr o = serve_attr(serve_el(sel, "option", rows[i].periode), "value", rows[i].bkey);
            if (strcmp(rows[i].bkey, bkey) == 0)
                serve_attr(o, "selected", "1");
        }
        serve_el(pf, "bouton", "Afficher");
        char *lock = lsu_asprintf("%s/verrou", self ? self : "");
        xmlNodePtr f = serve_attr(serve_form_el(p.content, r, lock, "post"), "id", "bilans");
        free(lock);
        xmlNodePtr t = serve_attr(serve_attr(serve_el(f, "tableau", NULL), "legende", "Élèves de la classe"), "id",
                                  "liste-bilans");
        xmlNodePtr h = serve_el(t, "entetes", NULL);
        const char *cols[] = {"☐", "#", "Nom", "Prénom", "Statut", "Actions"};
        for (size_t i = 0; i < 6; i++)
            serve_el(h, "c", cols[i]);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            lsu_bilan_row *b = &rows[i];
            if (!b->bkey || strcmp(b->bkey, bkey) != 0)
                continue;
            xmlNodePtr row = serve_attr(serve_el(t, "ligne", NULL), "id", b->ine);
            char num[16], id[64], *label = lsu_asprintf("Choisir %s %s", b->nom, b->prenom);
            snprintf(num, sizeof num, "%zu", ++k);
            snprintf(id, sizeof id, "choix-%s", b->ine);
            xmlNodePtr c = serve_el(serve_el(row, "c", NULL), "case", NULL);
            serve_attr(serve_attr(serve_attr(serve_attr(c, "name", "ine"), "value", b->ine), "id", id), "label", label);
            free(label);
            serve_el(row, "c", num);
            char *consult = lsu_asprintf("%s/eleve/%s?periode=%s", self ? self : "", b->ine, b->bkey);
            serve_attr(serve_attr(serve_el(serve_el(row, "c", NULL), "lien", b->nom), "href", consult), "titre",
                       "Consulter et saisir le bilan de l'élève");
            free(consult);
            serve_el(row, "c", b->prenom);
            xmlNodePtr status = serve_el(row, "c", NULL);
            if (b->locked_at) {
                char d[11], *s;
                date_fr(b->locked_at, d);
                s = lsu_asprintf("🔒 Verrouillé le %s", d);
                serve_el(status, "p", s);
                free(s);
            } else if (b->missing[0]) {
                serve_el(status, "p", "Incomplet");
                serve_attr(serve_attr(serve_el(status, "details", b->missing), "resume", "?"), "titre",
                           "Ce qui manque pour verrouiller");
            } else {
                serve_el(status, "p", "Complet, à verrouiller");
            }
            /* an unlocked bilan: the test print (« Document de travail » on every page) */
            char *pdf = lsu_asprintf("%s/pdf/%s?periode=%s%s", self ? self : "", b->ine, b->bkey,
                                     b->locked_at ? "" : "&essai=1");
            xmlNodePtr a = serve_el(serve_el(row, "c", NULL), "lien", b->locked_at ? "Éditer" : "Impression d'essai");
            serve_attr(serve_attr(a, "href", pdf), "titre",
                       b->locked_at ? "Editer le bilan de l'élève (PDF)"
                                    : "Bilan non verrouillé : PDF sous le filigrane « Document de travail »");
            free(pdf);
        }
        if (strcmp(g->role, "directeur") == 0) {
            serve_el(f, "h", "Actions d'ensemble");
            serve_el(f, "p", "Sur les élèves cochés (aucun coché : toute la classe, toutes périodes) :");
            serve_attr(serve_attr(serve_el(f, "bouton", "Verrouiller"), "name", "action"), "value", "verrouiller");
            serve_attr(serve_attr(serve_el(f, "bouton", "Déverrouiller"), "name", "action"), "value", "deverrouiller");
        }
        char *zip = lsu_asprintf("%s/zip", self ? self : "");
        xmlNodePtr ed = serve_el(p.content, "p", NULL);
        serve_attr(serve_el(ed, "lien", "Éditer la classe (zip des bilans verrouillés)"), "href", zip);
        free(zip);
        serve_el(ed, "sep", NULL);
        zip = lsu_asprintf("%s/zip?essai=1", self ? self : "");
        serve_attr(serve_el(ed, "lien",
                            "Impression d'essai de la classe (tous les bilans, filigrane « Document de "
                            "travail »)"),
                   "href", zip);
        free(zip);
    }
    /* the class's collective entry (screens_elements.c) */
    static const char *const entry[][2] = {{"elements", "Saisie collective des éléments du programme"},
                                           {"parcours", "Saisie collective des parcours éducatifs"}};
    xmlNodePtr el = serve_attr(serve_el(p.content, "liste", NULL), "id", "saisie-collective");
    for (size_t i = 0; i < 2; i++) {
        char *er = lsu_asprintf("%s/%s", entry[i][0], classe), *eu = er ? serve_school_url(g->uai, er) : NULL;
        serve_attr(serve_el(serve_el(el, "item", NULL), "lien", entry[i][1]), "href", eu);
        free(er), free(eu);
    }
    free(home), free(rest), free(self);
    lsu_bilan_rows_free(rows, n);
    serve_page_send(&p, r, res, 200);
}

/* See serve_int.h: POST /ecole/UAI/bilans/CLASSE/verrou (the director's):
 * lsu_school_lock on the pupils ticked, or the class. */
void serve_screen_lock(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    if (strcmp(g->role, "directeur") != 0) {
        serve_error(r, res, 403, "Accès refusé", "Seul le directeur verrouille et déverrouille les bilans.");
        return;
    }
    const char *action = serve_form_get(&r->form, "action");
    int unlock = action && strcmp(action, "deverrouiller") == 0;
    if (!action || (!unlock && strcmp(action, "verrouiller") != 0)) {
        serve_error(r, res, 400, "Action inconnue", "Choisissez Verrouiller ou Déverrouiller.");
        return;
    }
    lsu_store st;
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return;
    lsu_buf text = {0};
    int rc = 0, any = 0;
    for (size_t i = 0; i < r->form.n && rc >= 0; i++) {
        if (strcmp(r->form.fields[i].name, "ine") != 0)
            continue;
        lsu_selection sel = {.ine = r->form.fields[i].value, .classe = classe};
        rc = lsu_school_lock(&st, &sel, unlock, &text);
        any = 1;
    }
    if (!any) {
        lsu_selection sel = {.classe = classe};
        rc = lsu_school_lock(&st, &sel, unlock, &text);
    }
    lsu_store_close(&st);
    char *what = lsu_asprintf("%s %s", unlock ? "déverrouillage" : "verrouillage", classe);
    lsu_accounts_audit(&r->srv->accounts, r->login, g->uai, what ? what : "verrouillage", time(NULL));
    free(what);
    if (rc < 0) {
        lsu_buf_free(&text);
        serve_error(r, res, 500, "Erreur interne", "Le verrouillage n'a pas pu être enregistré ; rien n'a changé.");
        return;
    }
    serve_page p;
    serve_page_new(&p, r, unlock ? "Déverrouillage" : "Verrouillage");
    serve_attr(serve_el(p.content, "pre", text.data ? text.data : ""), "id", "resultat");
    char *rest = lsu_asprintf("bilans/%s", classe), *back = rest ? serve_school_url(g->uai, rest) : NULL;
    serve_attr(serve_el(serve_el(p.content, "p", NULL), "lien", "Retour à la liste"), "href", back);
    free(rest), free(back);
    lsu_buf_free(&text);
    serve_page_send(&p, r, res, 200);
}

/* Is r a test print (?essai=1)? */
static int is_test_print(serve_request *r)
{
    const char *essai = serve_form_get(&r->query, "essai");
    return essai && strcmp(essai, "1") == 0;
}

/* Edits the locked bilans of sel (every bilan, watermarked, for a test
 * print: ?essai=1) into a private folder and returns the path of its one
 * zip (owned; *dir the folder to remove), or NULL with an error page in
 * res. */
static char *edit_zip(serve_request *r, serve_response *res, const lsu_grant *g, const lsu_selection *sel, char **dir)
{
    lsu_store st;
    *dir = lsu_asprintf("%s/edition-XXXXXX", r->srv->upload_dir);
    if (!*dir || !mkdtemp(*dir)) {
        free(*dir);
        *dir = NULL;
        serve_error(r, res, 500, "Erreur interne", "Dossier temporaire impossible à créer.");
        return NULL;
    }
    if (serve_open_store(r, res, g, 0, &st) != 0)
        return NULL;
    lsu_store_edit_options o = {.by = EDIT_BY_CLASS, .sel = *sel};
    o.render.test_print = is_test_print(r);
    lsu_store_edit_counts n;
    lsu_buf text = {0};
    char *error = NULL, *zip = NULL;
    int rc = lsu_store_edit(&st, &o, *dir, &n, &text, &error);
    lsu_store_close(&st);
    free(error);
    lsu_buf_free(&text);
    char *sub = lsu_asprintf("%s/%s", *dir, g->uai);
    DIR *d = rc == 0 && sub ? opendir(sub) : NULL;
    for (struct dirent *e; d && !zip && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".zip") == 0)
            zip = lsu_asprintf("%s/%s", sub, e->d_name);
    }
    if (d)
        closedir(d);
    free(sub);
    if (!zip) {
        if (rc != 0)
            serve_error(r, res, 500, "Erreur interne", "L'édition n'a pas pu aller jusqu'au bout.");
        else
            serve_error(r, res, 409, "Rien à éditer",
                        "Seuls les bilans verrouillés sont édités : verrouillez-les d'abord (Actions d'ensemble), "
                        "ou demandez une impression d'essai (filigrane « Document de travail »).");
    }
    return zip;
}

/* Sends the file at path as type (the caller may remove it: the open
 * file stays readable until sent). */
static void send_file(serve_response *res, const char *path, const char *type, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0) {
        res->fd = fd;
        res->fd_size = sb.st_size;
        res->content_type = type;
        res->status = 200;
        res->disposition = lsu_asprintf("attachment; filename=\"%s\"", name);
    } else if (fd >= 0) {
        close(fd);
    }
}

/* Removes a private edition folder (its zips and PDFs). */
static void remove_dir(const char *dir)
{
    if (dir)
        (void)lsu_remove_tree(dir);
}

/* A name safe in a Content-Disposition header: [A-Za-z0-9._-] kept, the
 * rest '_'. */
static void header_name(const char *in, char *out, size_t size)
{
    size_t k = 0;
    for (; in[k] && k + 1 < size; k++)
        out[k] = (strchr("._-", in[k]) || (in[k] >= '0' && in[k] <= '9') || (in[k] >= 'A' && in[k] <= 'Z') ||
                  (in[k] >= 'a' && in[k] <= 'z'))
                     ? in[k]
                     : '_';
    out[k] = 0;
}

/* See serve_int.h: GET /ecole/UAI/bilans/CLASSE/zip. */
void serve_screen_zip(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe)
{
    lsu_selection sel = {.classe = classe};
    char *dir = NULL, *zip = edit_zip(r, res, g, &sel, &dir);
    if (zip) {
        char name[128];
        header_name(lsu_basename(zip), name, sizeof name);
        send_file(res, zip, "application/zip", name);
    }
    remove_dir(dir); /* the open file stays readable until sent */
    free(zip), free(dir);
}

/* The zip entry of pupil ine's PDF for bkey ("P:2024:1/3": *_INE_T1.pdf). */
static zip_int64_t find_pdf(zip_t *z, const char *ine, const char *bkey)
{
    char mid[40], suffix[16] = "";
    snprintf(mid, sizeof mid, "_%s_", ine);
    /* P:2024:1/3: the period's number after the second ':', their count after '/' */
    const char *colon = bkey && bkey[0] == 'P' ? strrchr(bkey, ':') : NULL, *slash = colon ? strchr(colon, '/') : NULL;
    if (slash) {
        char *end;
        long indice = strtol(colon + 1, &end, 10), nb = strtol(slash + 1, NULL, 10);
        if (end == slash && indice > 0 && indice < 100)
            snprintf(suffix, sizeof suffix, "%s%ld.pdf", nb == 3 ? "T" : nb == 2 ? "S" : "P", indice);
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t len = name ? strlen(name) : 0, sl = strlen(suffix);
        if (name && strstr(name, mid) && len > sl && strcmp(name + len - sl, suffix) == 0 &&
            strcmp(name + len - 4, ".pdf") == 0)
            return i;
    }
    return -1;
}

/* See serve_int.h: GET /ecole/UAI/bilans/CLASSE/pdf/INE?periode=BKEY[&essai=1]. */
void serve_screen_pdf(serve_request *r, serve_response *res, const lsu_grant *g, const char *classe, const char *ine,
                      const char *bkey)
{
    lsu_selection sel = {.classe = classe, .ine = ine};
    char *dir = NULL, *zip = edit_zip(r, res, g, &sel, &dir);
    if (!zip) {
        remove_dir(dir);
        free(dir);
        return;
    }
    int err = 0;
    zip_t *z = zip_open(zip, ZIP_RDONLY, &err);
    zip_int64_t i = z ? find_pdf(z, ine, bkey) : -1;
    lsu_buf pdf = {0};
    zip_file_t *zf = i >= 0 ? zip_fopen_index(z, (zip_uint64_t)i, 0) : NULL;
    char chunk[65536];
    for (zip_int64_t k; zf && (k = zip_fread(zf, chunk, sizeof chunk)) > 0;)
        lsu_buf_add(&pdf, chunk, (size_t)k);
    if (zf) {
        char name[128];
        header_name(zip_get_name(z, (zip_uint64_t)i, 0), name, sizeof name);
        zip_fclose(zf);
        res->body = pdf;
        res->content_type = "application/pdf";
        res->status = 200;
        res->disposition = lsu_asprintf("inline; filename=\"%s\"", name);
    } else {
        serve_error(r, res, 404, "Bilan introuvable",
                    is_test_print(r)
                        ? "Aucun bilan de cet élève pour cette période."
                        : "Aucun bilan verrouillé de cet élève pour cette période (un bilan non verrouillé : "
                          "impression d'essai).");
    }
    if (z)
        zip_discard(z);
    remove_dir(dir);
    free(zip), free(dir);
}
