/* Run-wide resources: the école schema and the stylesheets, embedded in the
 * binary at build time (tools/embed.c) and compiled once per run.  Also the
 * libxslt security policy: stylesheets may neither read nor write files nor
 * reach the network. */
#include "base/util.h"
#include "lsu.h"

#include <libxslt/security.h>
#include <libxslt/xsltutils.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char res_schema_1d[], res_normalise[], res_report_html[];
extern const unsigned long res_schema_1d_len, res_normalise_len, res_report_html_len;

#include "import/normalise_int.h"

/* Collects the first compile error of the embedded resources. */
static void on_compile_error(void *data, xmlErrorPtr e)
{
    lsu_runtime *rt = data;
    if (!rt->error && e && e->level >= XML_ERR_ERROR)
        rt->error = lsu_asprintf("ligne %d : %s", e->line, e->message ? e->message : "?");
}

/* Parses and compiles one embedded stylesheet; NULL on failure.  For
 * developing the stylesheets without rebuilding, LSU_XSLT_DIR names a
 * folder whose NAME replaces the embedded copy. */
static xsltStylesheetPtr compile_stylesheet(lsu_runtime *rt, const unsigned char *data, unsigned long len,
                                            const char *name)
{
    const char *dev_dir = getenv("LSU_XSLT_DIR");
    xmlDocPtr doc;
    if (dev_dir && *dev_dir) {
        char *path = lsu_asprintf("%s/%s", dev_dir, name);
        doc = path ? xmlReadFile(path, NULL, XML_PARSE_NONET) : NULL;
        free(path);
    } else {
        doc = xmlReadMemory((const char *)data, (int)len, name, "UTF-8", XML_PARSE_NONET);
    }
    if (!doc)
        return NULL;
    xsltStylesheetPtr ss = xsltParseStylesheetDoc(doc);
    if (!ss) { /* xsltParseStylesheetDoc takes the doc only on success */
        xmlFreeDoc(doc);
        if (!rt->error)
            rt->error = lsu_asprintf("feuille de style %s invalide", name);
    }
    return ss;
}

/* Compiles everything; see lsu.h. */
int lsu_runtime_init(lsu_runtime *rt)
{
    memset(rt, 0, sizeof *rt);
    xmlSetStructuredErrorFunc(rt, on_compile_error);
    xsltSetGenericErrorFunc(NULL, NULL);

    xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
    if (sec) {
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid);
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
        xsltSetDefaultSecurityPrefs(sec);
    }
    lsu_normalise_register();

    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewMemParserCtxt((const char *)res_schema_1d, (int)res_schema_1d_len);
    if (pctxt) {
        xmlSchemaSetParserStructuredErrors(pctxt, on_compile_error, rt);
        rt->schema = xmlSchemaParse(pctxt);
        xmlSchemaFreeParserCtxt(pctxt);
    }
    if (rt->schema)
        rt->normalise = compile_stylesheet(rt, res_normalise, res_normalise_len, "normalise.xsl");
    if (rt->normalise)
        rt->report_html = compile_stylesheet(rt, res_report_html, res_report_html_len, "rapport-html.xsl");
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!rt->schema || !rt->normalise || !rt->report_html) {
        if (!rt->error)
            rt->error = lsu_asprintf("ressources internes (schéma, feuilles de style) inutilisables");
        return -1;
    }
    return 0;
}

/* Frees everything lsu_runtime_init made. */
void lsu_runtime_free(lsu_runtime *rt)
{
    if (rt->schema)
        xmlSchemaFree(rt->schema);
    if (rt->normalise)
        xsltFreeStylesheet(rt->normalise);
    if (rt->report_html)
        xsltFreeStylesheet(rt->report_html);
    xsltSecurityPrefsPtr sec = xsltGetDefaultSecurityPrefs();
    if (sec) {
        xsltSetDefaultSecurityPrefs(NULL);
        xsltFreeSecurityPrefs(sec);
    }
    free(rt->error);
    memset(rt, 0, sizeof *rt);
}
