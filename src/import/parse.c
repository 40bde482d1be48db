/* Stage parse: reads one file into a libxml2 tree, safely.
 *
 * The file is read whole (after a size check) and parsed without network
 * access, without entity substitution and without XML_PARSE_HUGE (so
 * libxml2's depth and size limits hold).  A DOCTYPE is refused as soon as
 * the parser meets it: an LSU export never has one, and refusing it removes
 * every entity attack (billion laughs, external entities) at the root.
 * Every parser error is recorded with its line, in French. */
#include "base/util.h"
#include "lsu.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PARSE_DIAGS 50
/* attributes of one start tag, namespace declarations included (see
 * too_many_attributes) */
#define MAX_ATTRIBUTES 64

typedef struct {
    lsu_file *file;
    xmlParserCtxtPtr ctxt;
    int doctype_seen;
    long doctype_line;
    int recorded;
    int tag_not_finished;
    int invalid_char; /* a forbidden character was reported: what follows is its cascade */
} parse_state;

/* French name of a control character, for the director. */
static const char *control_name(int c)
{
    switch (c) {
    case 0x0B: return "tabulation verticale : le saut de ligne manuel de Word, Maj+Entrée";
    case 0x0C: return "saut de page";
    case 0x00: return "caractère nul";
    case 0x08: return "retour arrière";
    case 0x1B: return "échappement";
    }
    return "caractère de contrôle";
}

/* SAX hook: called when the parser meets <!DOCTYPE ...>; stops the parse. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr ctxt = ctx;
    parse_state *st = ctxt->_private;
    st->doctype_seen = 1;
    st->doctype_line = xmlSAX2GetLineNumber(ctxt);
    xmlStopParser(ctxt);
}

/* Copies the bytes quoted by libxml2's "Bytes: 0xE9 0x20 ..." into out. */
static void quoted_bytes(const char *msg, char *out, size_t size)
{
    const char *b = msg ? strstr(msg, "Bytes: ") : NULL;
    out[0] = '\0';
    if (!b)
        return;
    b += 7;
    size_t n = strcspn(b, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

/* Translates one libxml2 parser error into a French diagnostic. */
static void record_parse_error(parse_state *st, const xmlError *e)
{
    lsu_file *f = st->file;
    long line = e->line > 0 ? e->line : 0;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "");
    msg[strcspn(msg, "\n")] = '\0';
    const char *s1 = e->str1 ? e->str1 : "";
    const char *s2 = e->str2 ? e->str2 : "";
    char bytes[64];

    switch (e->code) {
    case XML_ERR_DOCUMENT_EMPTY:
        lsu_diag_add(&f->diags, DIAG_LEC002, line, NULL, "Le fichier ne contient aucun élément XML.");
        return;
    case XML_ERR_TAG_NAME_MISMATCH:
        lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL, "La balise <%s> ouverte ligne %d est fermée par </%s>.", s1,
                     e->int1, s2);
        return;
    case XML_ERR_TAG_NOT_FINISHED:
        /* libxml2 then reports every enclosing element too: the first,
         * innermost one is the useful one */
        if (st->tag_not_finished++)
            return;
        lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL,
                     "La balise <%s> ouverte ligne %d n'est jamais fermée : le fichier est tronqué ou incomplet.", s1,
                     e->int1);
        return;
    case XML_ERR_DOCUMENT_END:
        lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL,
                     "Du contenu suit la fin du document (un seul élément racine est permis).");
        return;
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_ENCODING:
        if (strstr(msg, "UTF-8") || strstr(msg, "encoding")) {
            quoted_bytes(e->message, bytes, sizeof bytes);
            lsu_diag_add(&f->diags, DIAG_LEC005, line, NULL,
                         "Octets invalides en UTF-8 (%s) : le fichier n'est pas enregistré dans l'encodage "
                         "qu'il déclare.",
                         bytes[0] ? bytes : "?");
        } else if (strstr(msg, "Char value") && e->int1 >= 0 && e->int1 < 0x20) {
            const xmlChar *in = st->ctxt ? st->ctxt->name : NULL;
            lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL,
                         "Le texte de <%s> contient le caractère U+%04X (%s), interdit en XML : retirez-le du texte "
                         "dans le logiciel de suivi (souvent copié d'un traitement de texte).",
                         in ? (const char *)in : "?", (unsigned)e->int1, control_name(e->int1));
        } else if (strstr(msg, "attribute value")) {
            lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL,
                         "Une valeur d'attribut contient un caractère de contrôle interdit en XML (par exemple U+000B, "
                         "le saut de ligne manuel de Word) : retirez-le dans le logiciel de suivi.");
        } else {
            lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL, "Caractère interdit en XML (caractère de contrôle) : %s.",
                         msg);
        }
        st->invalid_char = 1;
        return;
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_UNKNOWN_ENCODING:
        lsu_diag_add(&f->diags, DIAG_LEC005, line, NULL, "Encodage déclaré inconnu ou non pris en charge (%s).",
                     s1[0] ? s1 : msg);
        return;
    case XML_ERR_INTERNAL_ERROR:
        if (strstr(msg, "depth")) {
            lsu_diag_add(&f->diags, DIAG_LEC007, line, NULL,
                         "Plus de 256 niveaux d'éléments imbriqués : ce n'est pas un export LSU.");
            return;
        }
        break;
    default: break;
    }
    if (e->domain == XML_FROM_I18N || e->domain == XML_FROM_IO) {
        lsu_diag_add(&f->diags, DIAG_LEC005, line, NULL, "Conversion d'encodage impossible (%s).", msg);
        return;
    }
    lsu_diag_add(&f->diags, DIAG_LEC004, line, NULL, "Le XML n'est pas correct à cet endroit (détail : %s).", msg);
}

/* Structured error callback for the parse: records errors, ignores
 * warnings, stops recording after MAX_PARSE_DIAGS. */
static void on_parse_error(void *data, xmlErrorPtr e)
{
    parse_state *st = data;
    if (!e || e->level < XML_ERR_ERROR || st->doctype_seen || st->invalid_char)
        return;
    if (st->recorded == MAX_PARSE_DIAGS) {
        lsu_diag_add(&st->file->diags, DIAG_LEC004, e->line, NULL,
                     "Trop d'erreurs : les suivantes ne sont pas listées.");
    }
    if (st->recorded++ >= MAX_PARSE_DIAGS)
        return;
    record_parse_error(st, e);
}

/* Reads the whole file into a heap buffer after checking its size.
 * Returns the buffer (caller frees) or NULL with a diagnostic recorded. */
static char *read_input(lsu_file *f, const lsu_options *opt, size_t *len)
{
    int fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        lsu_diag_add(&f->diags, DIAG_LEC001, 0, NULL, "Impossible d'ouvrir le fichier : %s.", lsu_strerror_fr(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        lsu_diag_add(&f->diags, DIAG_LEC001, 0, NULL, "%s n'est pas un fichier ordinaire.", f->name);
        close(fd);
        return NULL;
    }
    f->size = (long long)sb.st_size;
    if (sb.st_size == 0) {
        lsu_diag_add(&f->diags, DIAG_LEC002, 0, NULL, "Le fichier est vide (0 octet).");
        close(fd);
        return NULL;
    }
    if ((long long)sb.st_size > opt->max_size) {
        lsu_diag_add(&f->diags, DIAG_LEC003, 0, NULL,
                     "Le fichier fait %lld octets ; la limite est de %lld octets (option --max-size).",
                     (long long)sb.st_size, opt->max_size);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)sb.st_size;
    char *buf = malloc(size + 1);
    if (!buf) {
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante pour lire le fichier.");
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            lsu_diag_add(&f->diags, DIAG_LEC001, 0, NULL, "Lecture interrompue : %s.",
                         r < 0 ? lsu_strerror_fr(errno) : "fichier raccourci pendant la lecture");
            free(buf);
            close(fd);
            return NULL;
        }
        got += (size_t)r;
    }
    close(fd);
    buf[size] = '\0';
    *len = size;
    return buf;
}

/* Where one start tag carries more than MAX_ATTRIBUTES attributes: libxml2
 * checks each attribute of a tag against all the others, so a tag with a
 * million of them holds the parser for minutes, while no LSU element has
 * more than about ten.  One pass over the bytes, before the parser: start
 * tags are found outside comments, CDATA sections and processing
 * instructions, and their '=' counted outside quoted values.  Returns the
 * byte offset of the first such tag's '<', or -1 when there is none. */
static long long too_many_attributes(const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        const char *close = NULL;
        size_t left = (size_t)(end - p);
        if (left >= 4 && memcmp(p, "<!--", 4) == 0)
            close = memmem(p + 4, left - 4, "-->", 3);
        else if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
            close = memmem(p + 9, left - 9, "]]>", 3);
        else if (left >= 2 && p[1] == '?')
            close = memmem(p + 2, left - 2, "?>", 2);
        else if (left >= 2 && (p[1] == '!' || p[1] == '/'))
            close = memchr(p + 1, '>', left - 1);
        if (close || (left >= 2 && (p[1] == '!' || p[1] == '/' || p[1] == '?'))) {
            if (!close)
                return -1; /* unterminated: the parser says so */
            p = close + 1;
            continue;
        }
        /* no '<' inside a start tag (a parse error): a tag that ends
         * before the next '<' comes within 5 bytes an attribute (" a=''")
         * of the limit cannot pass it, which skips nearly every tag */
        const char *next = left > 1 ? memchr(p + 1, '<', left - 1) : NULL;
        if ((size_t)((next ? next : end) - p) <= (size_t)5 * MAX_ATTRIBUTES) {
            p = next ? next : end;
            continue;
        }
        int count = 0;
        const char *q = p + 1;
        for (; q < end; q++) {
            if (*q == '"' || *q == '\'') {
                /* a quoted value: jump to its end (memchr is the fast part) */
                const char *v = memchr(q + 1, *q, (size_t)(end - q - 1));
                if (!v)
                    return -1;
                q = v;
            } else if (*q == '=') {
                if (++count > MAX_ATTRIBUTES)
                    return (long long)(p - buf);
            } else if (*q == '>') {
                break;
            }
        }
        p = q;
    }
    return -1;
}

/* Does the input hold bytes that may make an invisible character
 * (lsu_invisible_name) in the tree: DEL, a C1 control (C2 80..9F), U+061C
 * (D8 9C), U+200E/F, U+202A..E (E2 80 ..), U+2066..9 (E2 81 A6..A9), or a
 * character reference ("&#")?  Raw C0 controls are not XML, and raw tabs
 * and line breaks in attributes become spaces.  A few memchr passes: most
 * files have none, and the characters stage then has nothing to walk. */
static int maybe_invisible(const char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf, *end = b + len;
    if (memchr(b, 0x7F, len))
        return 1;
    for (const unsigned char *p = b; (p = memchr(p, '&', (size_t)(end - p))) != NULL; p++)
        if (p + 1 < end && p[1] == '#')
            return 1;
    for (const unsigned char *p = b; (p = memchr(p, 0xC2, (size_t)(end - p))) != NULL; p++)
        if (p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9F)
            return 1;
    for (const unsigned char *p = b; (p = memchr(p, 0xD8, (size_t)(end - p))) != NULL; p++)
        if (p + 1 < end && p[1] == 0x9C)
            return 1;
    for (const unsigned char *p = b; (p = memchr(p, 0xE2, (size_t)(end - p))) != NULL; p++) {
        if (p + 2 >= end)
            break;
        if (p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
            return 1;
        if (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
            return 1;
    }
    return 0;
}

/* The line (1-based) of byte offset `at`, and the element name written
 * there after '<' (at most size - 1 bytes) into name. */
static long line_and_name(const char *buf, size_t at, char *name, size_t size)
{
    long line = 1;
    for (const char *p = buf; (p = memchr(p, '\n', at - (size_t)(p - buf))) != NULL; p++)
        line++;
    size_t n = 0;
    for (const char *q = buf + at + 1; *q && !strchr(" \t\r\n/>", *q) && n + 1 < size; q++)
        name[n++] = *q;
    name[n] = '\0';
    return line;
}

/* Is the buffer only white space (and maybe a BOM)? */
static int only_blanks(const char *buf, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < len; i++)
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
            return 0;
    return 1;
}

/* Parses f->path into f->doc; see the top of this file. */
lsu_stage_status lsu_parse(lsu_file *f, const lsu_options *opt)
{
    size_t len = 0;
    char *buf;
    if (f->memory) {
        f->size = (long long)f->memory_len;
        buf = malloc(f->memory_len + 1);
        if (!buf || f->memory_len == 0) {
            free(buf);
            lsu_diag_add(&f->diags, buf ? DIAG_LEC002 : DIAG_INT001, 0, NULL, "Le fichier est vide (0 octet).");
            return LSU_STOP_FILE;
        }
        memcpy(buf, f->memory, f->memory_len);
        buf[f->memory_len] = '\0';
        len = f->memory_len;
    } else {
        buf = read_input(f, opt, &len);
    }
    if (!buf)
        return LSU_STOP_FILE;
    if (only_blanks(buf, len)) {
        lsu_diag_add(&f->diags, DIAG_LEC002, 0, NULL, "Le fichier ne contient que des blancs.");
        free(buf);
        return LSU_STOP_FILE;
    }
    long long crowded = too_many_attributes(buf, len);
    if (crowded >= 0) {
        char name[48];
        long line = line_and_name(buf, (size_t)crowded, name, sizeof name);
        lsu_diag_add(&f->diags, DIAG_LEC008, line, NULL,
                     "L'élément <%s> porte plus de %d attributs : ce n'est pas un export LSU (aucun élément LSU "
                     "n'en a plus d'une quinzaine).",
                     name, MAX_ATTRIBUTES);
        free(buf);
        return LSU_STOP_FILE;
    }
    f->maybe_invisible = maybe_invisible(buf, len);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        free(buf);
        lsu_diag_add(&f->diags, DIAG_INT001, 0, NULL, "Mémoire insuffisante pour créer l'analyseur XML.");
        return LSU_STOP_FILE;
    }
    parse_state st = {.file = f, .ctxt = ctxt};
    ctxt->_private = &st;
    ctxt->sax->internalSubset = on_doctype;
    xmlSetStructuredErrorFunc(&st, on_parse_error);
    /* NOBLANKS drops the indentation between elements (a fifth of the
     * tree's memory): the LSU schema has no mixed content, and a text made
     * only of blanks (<appreciation> </appreciation>) is kept. */
    int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS;
    xmlDocPtr doc =
        xmlCtxtReadMemory(ctxt, buf, (int)(len > (size_t)INT32_MAX ? INT32_MAX : len), f->name, NULL, options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    int well_formed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    free(buf);
    if (st.doctype_seen) {
        lsu_diag_add(&f->diags, DIAG_LEC006, st.doctype_line, NULL,
                     "Le fichier contient une déclaration DOCTYPE : elle est refusée (un export LSU n'en a "
                     "jamais, et elle peut cacher des entités dangereuses).");
        xmlFreeDoc(doc);
        return LSU_STOP_FILE;
    }
    if (!doc || !well_formed) {
        if (st.recorded == 0)
            lsu_diag_add(&f->diags, DIAG_LEC004, 0, NULL, "Le fichier n'est pas un document XML correct.");
        xmlFreeDoc(doc);
        return LSU_STOP_FILE;
    }
    f->doc = doc;
    return LSU_GO_ON;
}
