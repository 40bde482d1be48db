/* The page model of lsu serve and its HTML: a libxml2 tree per page,
 * turned into HTML by xslt/serve-page.xsl (embedded), so that every text
 * is escaped by construction; the style sheet /lsu.css (embedded). */
#include "school/identity.h"
#include "school/store.h"
#include "serve/serve_int.h"

#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const unsigned char res_serve_page[];
extern const unsigned long res_serve_page_len;

/* See serve_int.h: compiles the page stylesheet (LSU_XSLT_DIR/serve-page.xsl
 * instead when set, as the runtime's).  0, or -1 with *error. */
int serve_pages_init(struct lsu_server *s, char **error)
{
    const char *dev = getenv("LSU_XSLT_DIR");
    xmlDocPtr doc;
    if (dev && *dev) {
        char *path = lsu_asprintf("%s/serve-page.xsl", dev);
        doc = path ? xmlReadFile(path, NULL, XML_PARSE_NONET) : NULL;
        free(path);
    } else {
        doc = xmlReadMemory((const char *)res_serve_page, (int)res_serve_page_len, "serve-page.xsl", "UTF-8",
                            XML_PARSE_NONET);
    }
    s->page_xsl = doc ? xsltParseStylesheetDoc(doc) : NULL;
    if (!s->page_xsl) {
        xmlFreeDoc(doc); /* taken only on success */
        *error = lsu_strdup_or_null("erreur interne : feuille de style serve-page.xsl invalide");
        return -1;
    }
    return 0;
}

/* See serve_int.h. */
void serve_pages_free(struct lsu_server *s)
{
    if (s->page_xsl)
        xsltFreeStylesheet(s->page_xsl);
    s->page_xsl = NULL;
}

/* See serve_int.h. */
xmlNodePtr serve_el(xmlNodePtr parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, NULL, BAD_CAST name, text ? BAD_CAST text : NULL);
}

/* See serve_int.h. */
xmlNodePtr serve_attr(xmlNodePtr n, const char *name, const char *value)
{
    if (n && value)
        xmlSetProp(n, BAD_CAST name, BAD_CAST value);
    return n;
}

/* The school year of now, "2024-2025" (a year begins on 1 September). */
static void school_year(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int y = tm.tm_year + 1900 - (tm.tm_mon < 8);
    snprintf(out, 32, "%d-%d", y, y + 1);
}

/* See serve_int.h. */
void serve_page_new(serve_page *p, serve_request *r, const char *title)
{
    p->doc = xmlNewDoc(BAD_CAST "1.0");
    p->root = xmlNewDocNode(p->doc, NULL, BAD_CAST "page", NULL);
    xmlDocSetRootElement(p->doc, p->root);
    serve_attr(p->root, "titre", title);
    if (r && r->login) {
        xmlNodePtr e = serve_el(p->root, "entete", NULL);
        serve_attr(e, "login", r->login);
        serve_attr(e, "csrf", r->csrf);
        if (r->user.ngrants > 1)
            serve_attr(e, "plusieurs", "1");
        const char *uai = r->path.n >= 2 && strcmp(r->path.seg[0], "ecole") == 0 ? r->path.seg[1] : NULL;
        const lsu_grant *g = lsu_user_grant(&r->user, uai);
        if (g) {
            char year[32], *name = NULL;
            school_year(year);
            lsu_store st;
            if (lsu_store_open(&st, r->srv->data_dir, g->uai, 0) == STORE_OK) {
                lsu_school_identity id;
                if (lsu_school_identity_read(&st, &id) == 0) {
                    if (id.nom && id.nom[0])
                        name = lsu_strdup_or_null(id.nom);
                    lsu_school_identity_free(&id);
                }
            }
            lsu_store_close(&st);
            serve_attr(e, "uai", g->uai);
            serve_attr(e, "ecole", name ? name : "école sans nom (paramétrage de l'identité à faire)");
            serve_attr(e, "role", g->role);
            serve_attr(e, "annee", year);
            free(name);
        }
    }
    p->fil = serve_el(p->root, "fil", NULL);
    p->content = serve_el(p->root, "contenu", NULL);
}

/* See serve_int.h. */
xmlNodePtr serve_form_el(xmlNodePtr parent, serve_request *r, const char *action, const char *method)
{
    xmlNodePtr f = serve_el(parent, "formulaire", NULL);
    serve_attr(f, "action", action);
    serve_attr(f, "method", method);
    if (strcmp(method, "post") == 0 && r && r->login)
        serve_attr(f, "csrf", r->csrf);
    return f;
}

/* See serve_int.h. */
xmlNodePtr serve_field_el(xmlNodePtr f, const char *type, const char *name, const char *label, const char *value)
{
    xmlNodePtr c = serve_el(f, "champ", NULL);
    char id[80];
    snprintf(id, sizeof id, "champ-%s", name);
    serve_attr(c, "type", type);
    serve_attr(c, "name", name);
    serve_attr(c, "id", id);
    serve_attr(c, "label", label);
    serve_attr(c, "value", value);
    return c;
}

/* See serve_int.h. */
void serve_page_send(serve_page *p, serve_request *r, serve_response *res, unsigned status)
{
    (void)r;
    struct lsu_server *s = r ? r->srv : NULL;
    xmlDocPtr html = s && p->doc ? xsltApplyStylesheet(s->page_xsl, p->doc, NULL) : NULL;
    xmlChar *out = NULL;
    int len = 0;
    if (html && xsltSaveResultToString(&out, &len, html, s->page_xsl) == 0 && out) {
        lsu_buf_add(&res->body, (const char *)out, (size_t)len);
        res->status = status;
    } else {
        lsu_buf_puts(&res->body, "<!DOCTYPE html><html lang=\"fr\"><title>Erreur interne</title><p>Erreur interne "
                                 "du serveur.</p></html>");
        res->status = 500;
    }
    res->content_type = "text/html; charset=utf-8";
    xmlFree(out);
    xmlFreeDoc(html);
    xmlFreeDoc(p->doc);
    memset(p, 0, sizeof *p);
}

/* See serve_int.h. */
void serve_error(serve_request *r, serve_response *res, unsigned status, const char *title, const char *message)
{
    serve_page p;
    lsu_buf_free(&res->body);
    serve_page_new(&p, r, title);
    serve_el(p.content, "erreur", message);
    xmlNodePtr back = serve_el(p.content, "p", NULL);
    serve_attr(serve_el(back, "lien", r && r->login ? "Retour à l'accueil" : "Connexion"), "href",
               r && r->login ? "/" : "/connexion");
    serve_page_send(&p, r, res, status);
}
