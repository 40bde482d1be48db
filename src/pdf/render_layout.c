/* Render family (see render_int.h): the layout of a bilan.
 *
 * Owns what the header and title of a bilan show (bilan_info), the parts
 * every bilan shares (header, title block, bands, boxes, visas, the
 * guardians' addresses) and the layout of the two kinds of bilan, périodique
 * (its acquis table in render_acquis.c) and de fin de cycle, into the
 * display list (render_layout_bilan); and the reading of the normalised tree's
 * elements (render_child_el, render_next_el, render_node_line). */
#include "base/util.h"
#include "lsu.h"
#include "pdf/render_int.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * What every bilan shares: names, header, title block, bands, boxes. */

/* What the header and title block of a bilan show, in UTF-8. */
typedef struct {
    xmlNodePtr node;
    int cycle_bilan;
    long line;
    const char *cycle, *niveau, *classe, *ine, *uai;
    lsu_buf who;   /* "NOM Prénom" */
    lsu_buf level; /* "Cycle 2 – Classe de CE1" */
    lsu_buf period;
} bilan_info;

/* First element child of n named `name` (any name when NULL). */
xmlNodePtr render_child_el(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && (!name || strcmp((const char *)k->name, name) == 0))
            return k;
    return NULL;
}

/* Next element sibling of n with the same name. */
xmlNodePtr render_next_el(xmlNodePtr n)
{
    for (xmlNodePtr k = n ? n->next : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, (const char *)n->name) == 0)
            return k;
    return NULL;
}

/* The source line of a normalised element (its `ligne`), else `fallback`. */
long render_node_line(xmlNodePtr n, long fallback)
{
    const char *l = lsu_attr(n, "ligne");
    if (!l || !*l)
        return fallback;
    char *end;
    long v = strtol(l, &end, 10);
    return *end == '\0' && v > 0 ? v : fallback;
}

/* Upper case of a letter for names (Latin, Vietnamese, Greek, Cyrillic);
 * other code points are returned unchanged. */
static uint32_t upper_cp(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0xE0)
        return c;
    if (c <= 0xFE)
        return c == 0xF7 ? c : c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c == 0x131) /* dotless ı: its capital is the plain I (Yılmaz, YILMAZ) */
        return 'I';
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) || (c >= 0x1DE && c <= 0x1EF) ||
        (c >= 0x1F8 && c <= 0x21F) || (c >= 0x222 && c <= 0x233) || (c >= 0x1E00 && c <= 0x1E95) ||
        (c >= 0x1EA0 && c <= 0x1EFF) || (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
        (c >= 0x4D0 && c <= 0x52F))
        return (c & 1) ? c - 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x1CD && c <= 0x1DC))
        return (c & 1) ? c : c - 1;
    if (c == 0x3C2)
        return 0x3A3;
    if ((c >= 0x3B1 && c <= 0x3C9) || (c >= 0x430 && c <= 0x44F))
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

/* Appends s to b in upper case (see upper_cp). */
static void buf_add_upper(lsu_buf *b, const char *s)
{
    if (!s)
        return;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        char out[4];
        size_t k = lsu_utf8_put(upper_cp(lsu_utf8_next(u, n, &i)), out);
        lsu_buf_add(b, out, k);
    }
}

/* Appends "NOM Prénom" (or what exists of it) to b. */
static void add_name(lsu_buf *b, const char *nom, const char *prenom)
{
    if (nom && *nom)
        buf_add_upper(b, nom);
    if (prenom && *prenom) {
        if (nom && *nom)
            lsu_buf_puts(b, " ");
        lsu_buf_puts(b, prenom);
    }
}

/* Appends "M. NOM Prénom" for a person element (teacher, director). */
static void add_person(lsu_buf *b, xmlNodePtr p)
{
    const char *civ = lsu_attr(p, "civilite");
    if (civ && strcmp(civ, "M") == 0)
        lsu_buf_puts(b, "M. ");
    else if (civ && strcmp(civ, "MME") == 0)
        lsu_buf_puts(b, "Mme ");
    else if (civ && *civ)
        lsu_buf_printf(b, "%s ", civ);
    add_name(b, lsu_attr(p, "nom"), lsu_attr(p, "prenom"));
}

/* Reads what the header and title show; the buffers are freed by info_free. */
static void info_read(bilan_info *b, xmlNodePtr node)
{
    memset(b, 0, sizeof *b);
    b->node = node;
    b->cycle_bilan = strcmp((const char *)node->name, "bilan-cycle") == 0;
    b->line = render_node_line(node, 0);
    b->cycle = lsu_attr(node, "cycle-classe");
    if ((!b->cycle || !*b->cycle) && b->cycle_bilan)
        b->cycle = lsu_attr(node, "cycle");
    if (b->cycle && !*b->cycle)
        b->cycle = NULL;
    b->niveau = lsu_attr(node, "niveau");
    if (b->niveau && !*b->niveau)
        b->niveau = NULL;
    b->classe = lsu_attr(node, "classe");
    b->ine = lsu_attr(node, "ine");
    xmlNodePtr root = node->doc ? xmlDocGetRootElement(node->doc) : NULL;
    b->uai = root ? lsu_attr(root, "uai") : NULL;
    add_name(&b->who, lsu_attr(node, "nom"), lsu_attr(node, "prenom"));
    if (b->cycle)
        lsu_buf_printf(&b->level, "Cycle %s – ", b->cycle);
    if (b->niveau || (b->classe && *b->classe))
        lsu_buf_printf(&b->level, "Classe de %s", b->niveau ? b->niveau : b->classe);
    const char *annee = lsu_attr(node, "annee");
    if (annee && *annee)
        lsu_buf_printf(&b->period, "%s – ", annee);
    if (b->cycle_bilan) {
        const char *cy = lsu_attr(node, "cycle");
        lsu_buf_printf(&b->period, "Fin de cycle %s", cy && *cy ? cy : "2");
    } else {
        const char *lib = lsu_attr(node, "libelle");
        lsu_buf_puts(&b->period, lib && *lib ? lib : "");
    }
}

/* Frees the buffers of a bilan_info. */
static void info_free(bilan_info *b)
{
    lsu_buf_free(&b->who);
    lsu_buf_free(&b->level);
    lsu_buf_free(&b->period);
}

/* A coloured band with a bold title across the page at the cursor; keeps
 * `keep` points under it on the same page. */
static void band(render_ctx *c, const char *title, float keep)
{
    if (c->y + BAND_H + keep > BOTTOM)
        render_continuation_page(c);
    ptext t = render_constant(c, title, 1);
    const float size = 9.5f;
    render_add_fill(c, LEFT, c->y, CONTENT_W, BAND_H, COL_BAND);
    render_add_text(c, t.off, t.len, t.font, size, LEFT + MM(2), c->y + BAND_H / 2 + 0.35f * size, COL_BLACK);
    c->y += BAND_H + MM(1.5);
}

/* A bordered box holding a block, `min_h` points tall at least, at x and
 * `w` wide; split at line boundaries over as many pages as it needs. */
static void box(render_ctx *c, const block *b, float x, float w, float min_h)
{
    const float pad = MM(1.5), lh = b->size * LINE_FACTOR;
    int r = 0, total = b->rows;
    for (;;) {
        float avail = BOTTOM - c->y;
        int left = total - r, fit = (int)floorf((avail - 2 * pad) / lh);
        int need = left < 2 ? left : 2; /* never leave a lone line */
        if (fit < need || (left == 0 && avail < min_h)) {
            render_continuation_page(c);
            continue;
        }
        int m = left < fit ? left : fit;
        float h = (float)m * lh + 2 * pad;
        if (r + m == total && h < min_h)
            h = min_h < avail ? min_h : avail;
        render_add_rect(c, x, c->y, w, h);
        render_emit_block(c, b, r, r + m, x + HPAD, c->y + pad, COL_BLACK);
        c->y += h;
        r += m;
        if (r >= total)
            break;
        render_continuation_page(c);
    }
    c->y += MM(2);
}

/* Side-by-side boxes of equal height (the visas), never split. */
static void visa_boxes(render_ctx *c, const block *b, int n, float min_h)
{
    const float pad = MM(1.5), gap = MM(3);
    float w = (CONTENT_W - gap * (float)(n - 1)) / (float)n, h = min_h;
    for (int i = 0; i < n; i++) {
        float bh = (float)b[i].rows * b[i].size * LINE_FACTOR + 2 * pad;
        if (bh > h)
            h = bh;
    }
    if (c->y + h > BOTTOM)
        render_continuation_page(c);
    for (int i = 0; i < n; i++) {
        float x = LEFT + (float)i * (w + gap);
        render_add_rect(c, x, c->y, w, h);
        render_emit_block(c, &b[i], 0, b[i].rows, x + HPAD, c->y + pad, COL_BLACK);
    }
    c->y += h + MM(2);
}

/* A visa box's content: a bold title, then lines. */
static block visa_block(render_ctx *c, const char *title, const ptext *lines, int n, float w)
{
    block b = render_block_open(c, BODY_SIZE);
    ptext t = render_constant(c, title, 1);
    int rows = render_wrap(c, &t, BODY_SIZE, w, 0, 0, ALIGN_LEFT, 0) + 1; /* a blank row under the title */
    for (int i = 0; i < n; i++)
        rows += render_wrap(c, &lines[i], BODY_SIZE, w, 0, 0, ALIGN_LEFT, rows);
    render_block_close(c, &b, rows);
    return b;
}

/* The school's lines of the header, when it has a name: the name (bold),
 * the address, then the code postal, the commune and the UAI.  A line too
 * long for the space beside the cycle grid is set smaller (down to 7
 * points); the name may then take two rows, another line is cut. */
static void school_head(render_ctx *c, const bilan_info *b, const lsu_render_school *sc)
{
    const float x = MM(62), w = MM(78);
    lsu_buf lines[3] = {{0}, {0}, {0}};
    lsu_buf_puts(&lines[0], sc->nom);
    if (sc->adresse && *sc->adresse)
        lsu_buf_puts(&lines[1], sc->adresse);
    const char *cp = sc->code_postal && *sc->code_postal ? sc->code_postal : NULL;
    const char *commune = sc->commune && *sc->commune ? sc->commune : NULL;
    lsu_buf_printf(&lines[2], "%s%s%s", cp ? cp : "", cp && commune ? " " : "", commune ? commune : "");
    if (b->uai && *b->uai)
        lsu_buf_printf(&lines[2], "%sUAI : %s", lines[2].len ? " – " : "", b->uai);
    static const char *const where[3] = {"nom de l'école", "adresse de l'école", "commune de l'école"};
    float y = MM(13.5);
    for (int i = 0; i < 3; i++) {
        if (lines[i].len == 0 && !lines[i].failed)
            continue;
        ptext t;
        float size = i == 0 ? 9.5f : 8;
        render_prepare(c, render_buf_text(c, &lines[i]), i == 0, b->line, where[i], NULL, &t);
        block bl = render_block_text(c, &t, size, w, ALIGN_LEFT);
        while (bl.rows > 1 && size > 7.01f) {
            size -= 0.5f;
            bl = render_block_text(c, &t, size, w, ALIGN_LEFT);
        }
        int rows = bl.rows < (i == 0 ? 2 : 1) ? bl.rows : (i == 0 ? 2 : 1);
        render_emit_block(c, &bl, 0, rows, x, y - BASE_FACTOR * size, COL_BLACK);
        y += MM(3.6) + (float)(rows - 1) * size * LINE_FACTOR;
    }
    for (int i = 0; i < 3; i++)
        lsu_buf_free(&lines[i]);
}

/* The header of a first page: ministry mark, school, page number, cycle grid. */
static void recto_header(render_ctx *c, const bilan_info *b)
{
    render_new_page(c);
    /* the ministry mark */
    render_add_fill(c, LEFT, MM(10), MM(0.8), MM(11.5), COL_MARK);
    static const char *const mark[3] = {"MINISTÈRE", "DE L'ÉDUCATION", "NATIONALE"};
    for (int i = 0; i < 3; i++) {
        ptext t = render_constant(c, mark[i], 1);
        render_add_text(c, t.off, t.len, t.font, 8, LEFT + MM(2.5), MM(12.8) + (float)i * MM(3.6), COL_BLACK);
    }
    /* the school: the 1d export names no school, only its UAI; the store
     * or the académie's list may name it */
    const lsu_render_school *sc = c->item ? c->item->school : NULL;
    if (sc && sc->nom && *sc->nom) {
        school_head(c, b, sc);
    } else {
        ptext school = render_constant(c, "École", 1);
        render_add_text(c, school.off, school.len, school.font, 9.5f, MM(62), MM(13.5), COL_BLACK);
    }
    if ((!sc || !sc->nom || !*sc->nom) && b->uai && *b->uai) {
        lsu_buf s = {0};
        lsu_buf_printf(&s, "UAI : %s", b->uai);
        ptext t;
        render_prepare(c, render_buf_text(c, &s), 0, b->line, "UAI de l'école", NULL, &t);
        lsu_buf_free(&s);
        block bl = render_block_text(c, &t, 8.5f, MM(70), ALIGN_LEFT);
        render_emit_block(c, &bl, 0, bl.rows < 2 ? bl.rows : 2, MM(62), MM(18) - BASE_FACTOR * 8.5f, COL_BLACK);
    }
    render_add_page_number(c, OP_PAGENUM, RIGHT, MM(12.3), 7.5f);
    /* the cycle grid */
    if (b->cycle && (strcmp(b->cycle, "2") == 0 || strcmp(b->cycle, "3") == 0)) {
        static const char *const levels[2][3] = {{"CP", "CE1", "CE2"}, {"CM1", "CM2", "6e"}};
        const char *const *lv = levels[b->cycle[0] == '3'];
        const float top = MM(14.5), h = MM(6), cw = MM(12), first_w = MM(16);
        float x = RIGHT - first_w - 3 * cw;
        ptext t = render_constant(c, b->cycle[0] == '3' ? "Cycle 3" : "Cycle 2", 1);
        render_add_fill(c, x, top, first_w, h, COL_CYCLE);
        render_add_rect(c, x, top, first_w, h);
        render_add_text(c, t.off, t.len, t.font, 8, x + (first_w - render_ptext_width(c, &t, 8)) / 2,
                        top + h / 2 + 2.9f, COL_WHITE);
        x += first_w;
        for (int i = 0; i < 3; i++, x += cw) {
            int current = b->niveau && strcmp(b->niveau, lv[i]) == 0;
            if (current)
                render_add_fill(c, x, top, cw, h, COL_LEVEL);
            render_add_rect(c, x, top, cw, h);
            t = render_constant(c, lv[i], current);
            render_add_text(c, t.off, t.len, t.font, 8, x + (cw - render_ptext_width(c, &t, 8)) / 2, top + h / 2 + 2.9f,
                            COL_BLACK);
        }
    }
}

/* One centred paragraph of the title block at the cursor. */
static void title_line(render_ctx *c, const ptext *t, float size, float x, float w)
{
    block b = render_block_text(c, t, size, w, ALIGN_CENTER);
    render_emit_block(c, &b, 0, b.rows, x, c->y, COL_BLACK);
    c->y += (float)b.rows * size * LINE_FACTOR;
}

/* The title block (LIVRET SCOLAIRE, cycle and class, year and period, name,
 * INE), centred on the page, or in the left half beside the address
 * window when copies go to each guardian. */
static void title_block(render_ctx *c, const bilan_info *b)
{
    float x = LEFT, w = c->r->opt.per_guardian ? MM(95) : CONTENT_W;
    c->y = MM(25);
    ptext t = render_constant(c, "LIVRET SCOLAIRE", 1);
    title_line(c, &t, 15, x, w);
    c->y += MM(1);
    render_prepare(c, render_buf_text(c, &b->level), 0, b->line, "classe", NULL, &t);
    title_line(c, &t, 10, x, w);
    render_prepare(c, render_buf_text(c, &b->period), 0, b->line, "période", NULL, &t);
    title_line(c, &t, 10, x, w);
    c->y += MM(0.8);
    lsu_buf s = {0};
    lsu_buf_puts(&s, b->who.data ? b->who.data : "");
    if (b->classe && *b->classe)
        lsu_buf_printf(&s, " (%s)", b->classe);
    render_prepare(c, render_buf_text(c, &s), 1, b->line, "nom de l'élève", NULL, &t);
    lsu_buf_free(&s);
    title_line(c, &t, 11, x, w);
    if (b->ine && *b->ine) {
        lsu_buf i = {0};
        lsu_buf_printf(&i, "INE : %s", b->ine);
        const char *born = lsu_attr(b->node, "date-naissance");
        long day;
        if (born && *born && lsu_parse_date(born, &day) == 0) {
            char fr[11];
            lsu_format_date_fr(day, fr);
            lsu_buf_printf(&i, " – Né(e) le %s", fr);
        }
        render_prepare(c, render_buf_text(c, &i), 0, b->line, "INE", NULL, &t);
        lsu_buf_free(&i);
        c->y += MM(0.8);
        title_line(c, &t, 8.5f, x, w);
    }
    c->y += MM(3);
    if (c->r->opt.per_guardian && c->y < ADDRESS_BOTTOM)
        c->y = ADDRESS_BOTTOM;
    if (c->y < c->address_bottom + MM(3))
        c->y = c->address_bottom + MM(3);
}

/* The reminder line of the continuation pages: "LIVRET SCOLAIRE – Cycle 2 –
 * Classe de CE1 – NOM Prénom" (its page number is added when drawn). */
static void make_reminder(render_ctx *c, const bilan_info *b)
{
    lsu_buf s = {0};
    lsu_buf_puts(&s, "LIVRET SCOLAIRE");
    if (b->level.len)
        lsu_buf_printf(&s, " – %s", b->level.data);
    if (b->who.len)
        lsu_buf_printf(&s, " – %s", b->who.data);
    ptext t;
    render_prepare(c, render_buf_text(c, &s), 0, b->line, NULL, NULL, &t); /* already reported with the title */
    lsu_buf_free(&s);
    c->reminder = render_block_text(c, &t, 7.5f, CONTENT_W - MM(22), ALIGN_LEFT);
}

/* The address blocks of the legal guardians (one per copy), for the window
 * of an envelope: civilité NOM prénom, address lines, code postal commune. */
static void make_addresses(render_ctx *c, xmlNodePtr bilan, long line)
{
    xmlNodePtr list = render_child_el(bilan, "responsables");
    for (xmlNodePtr p = render_child_el(list, "responsable"); p; p = render_next_el(p)) {
        long pline = render_node_line(p, line);
        const char *civ = lsu_attr(p, "civilite");
        lsu_buf name = {0};
        if (civ && strcmp(civ, "M") == 0)
            lsu_buf_puts(&name, "Monsieur ");
        else if (civ && strcmp(civ, "MME") == 0)
            lsu_buf_puts(&name, "Madame ");
        add_name(&name, lsu_attr(p, "nom"), lsu_attr(p, "prenom"));
        xmlNodePtr a = render_child_el(p, "adresse");
        const char *fields[4] = {lsu_attr(a, "ligne1"), lsu_attr(a, "ligne2"), lsu_attr(a, "ligne3"),
                                 lsu_attr(a, "ligne4")};
        lsu_buf town = {0};
        const char *cp = lsu_attr(a, "code-postal"), *commune = lsu_attr(a, "commune");
        lsu_buf_printf(&town, "%s%s%s", cp ? cp : "", cp && commune ? " " : "", commune ? commune : "");
        ptext lines[6];
        int n = 0;
        render_prepare(c, render_buf_text(c, &name), 0, pline, "responsable légal", NULL, &lines[n++]);
        for (int i = 0; i < 4; i++)
            if (fields[i] && *fields[i])
                render_prepare(c, fields[i], 0, pline, "adresse du responsable légal", NULL, &lines[n++]);
        if (town.len)
            render_prepare(c, render_buf_text(c, &town), 0, pline, "adresse du responsable légal", NULL, &lines[n++]);
        lsu_buf_free(&name);
        lsu_buf_free(&town);
        /* shrink the type if the lines would not fit above the acquis band */
        static const float sizes[3] = {10, 9, 8};
        for (int s = 0; s < 3; s++) {
            size_t mark = c->ntlines;
            block b = render_block_open(c, sizes[s]);
            int rows = 0;
            for (int i = 0; i < n; i++)
                rows += render_wrap(c, &lines[i], sizes[s], ADDRESS_W, 0, 0, ALIGN_LEFT, rows);
            render_block_close(c, &b, rows);
            float bottom = ADDRESS_Y + (float)rows * sizes[s] * LINE_FACTOR;
            if (bottom <= ADDRESS_BOTTOM - MM(2) || s == 2) {
                if (GROW(c, c->addresses, c->naddresses, c->cap_addresses) == 0)
                    c->addresses[c->naddresses++] = b;
                if (bottom > c->address_bottom)
                    c->address_bottom = bottom; /* too long even in 8 pt: the band moves down */
                break;
            }
            c->ntlines = mark;
        }
    }
}

/* ---------------------------------------------------------------------------
 * The two kinds of bilan. */

/* Teachers' names and the lock date for the teacher's visa. */
static int teacher_lines(render_ctx *c, const bilan_info *b, ptext *lines, int max)
{
    int n = 0;
    xmlNodePtr list = render_child_el(b->node, "enseignants");
    for (xmlNodePtr e = render_child_el(list, "enseignant"); e && n < max - 1; e = render_next_el(e)) {
        lsu_buf s = {0};
        add_person(&s, e);
        render_prepare(c, render_buf_text(c, &s), 0, b->line, "enseignant", NULL, &lines[n++]);
        lsu_buf_free(&s);
    }
    const char *verrou = lsu_attr(b->node, "date-verrou");
    if (verrou && *verrou) {
        long days;
        char date[11];
        lsu_buf s = {0};
        if (lsu_parse_date(verrou, &days) == 0) {
            lsu_format_date_fr(days, date);
            lsu_buf_printf(&s, "le %s", date);
        } else {
            lsu_buf_printf(&s, "le %s", verrou);
        }
        render_prepare(c, render_buf_text(c, &s), 0, b->line, "date de verrouillage", NULL, &lines[n++]);
        lsu_buf_free(&s);
    }
    return n;
}

/* Lays out a bilan périodique: recto (header, title, acquis), verso
 * (parcours, modalités, appréciation générale, visas). */
static void layout_periodique(render_ctx *c, const bilan_info *b)
{
    xmlNodePtr node = b->node;
    recto_header(c, b);
    title_block(c, b);
    band(c, "Suivi des acquis scolaires de l'élève", MM(20));
    render_acquis_read(c, node, b->line);
    render_acquis_table(c);

    /* verso: on the back of the recto; when the table already ran over,
     * right after it */
    if (c->npages == 1)
        render_continuation_page(c);
    else
        c->y += MM(4);
    const float w = CONTENT_W - 2 * HPAD;
    band(c, "Parcours éducatifs", MM(15));
    xmlNodePtr parcours = render_child_el(render_child_el(node, "liste-parcours"), "parcours");
    if (!parcours) {
        block empty = render_block_open(c, BODY_SIZE);
        render_block_close(c, &empty, 1);
        box(c, &empty, LEFT, CONTENT_W, MM(8));
    }
    ptext projet_lead = render_constant(c, "Projet mis en œuvre : ", 1);
    ptext impl_lead = render_constant(c, "Implication de l'élève : ", 1);
    for (xmlNodePtr p = parcours; p; p = render_next_el(p)) {
        long pline = render_node_line(p, b->line);
        const char *label = lsu_attr(p, "libelle");
        if (!label || !*label)
            label = lsu_attr(p, "code");
        ptext title, projet, impl;
        render_prepare(c, label, 1, pline, "parcours", NULL, &title);
        render_prepare_node(c, render_child_el(p, "projet"), 0, pline, "projet du parcours", label, &projet);
        render_prepare_node(c, render_child_el(p, "implication"), 0, pline, "implication de l'élève", label, &impl);
        block bl = render_block_open(c, BODY_SIZE);
        int rows = render_wrap(c, &title, BODY_SIZE, w, 0, 0, ALIGN_LEFT, 0);
        if (projet.len)
            rows += render_wrap_lead(c, &projet_lead, &projet, BODY_SIZE, w, 0, rows);
        if (impl.len)
            rows += render_wrap_lead(c, &impl_lead, &impl, BODY_SIZE, w, 0, rows);
        render_block_close(c, &bl, rows);
        box(c, &bl, LEFT, CONTENT_W, 0);
    }

    /* « Modalités spécifiques d'accompagnement »: LSU prints the dispositifs
     * ONDE gives, never the file's, which it ignores with an alert (REG010,
     * FORMAT.md §4); lsu does not read ONDE's dispositifs yet, so a bilan
     * printed here has none, as LSU's would have none of the file's. */

    band(c, "Bilan de l'acquisition des connaissances et compétences", MM(25));
    {
        ptext sub = render_constant(c, "Appréciation générale sur la progression de l'élève", 1), text;
        render_prepare_node(c, render_child_el(node, "appreciation-generale"), 0, b->line, "appréciation générale",
                            NULL, &text);
        block bl = render_block_open(c, BODY_SIZE);
        int rows = render_wrap(c, &sub, BODY_SIZE, w, 0, 0, ALIGN_LEFT, 0);
        rows += render_wrap(c, &text, BODY_SIZE, w, 0, 0, ALIGN_LEFT, rows);
        render_block_close(c, &bl, rows);
        box(c, &bl, LEFT, CONTENT_W, MM(35));
    }

    band(c, "Communication avec la famille", MM(30));
    ptext lines[17];
    int n = teacher_lines(c, b, lines, 17);
    float vw = (CONTENT_W - MM(3)) / 2 - 2 * HPAD;
    block visas[2] = {visa_block(c, "Visa de l'enseignant(e)", lines, n, vw),
                      visa_block(c, "Visa des parents / du responsable légal", NULL, 0, vw)};
    visa_boxes(c, visas, 2, MM(30));
}

/* Lays out a bilan de fin de cycle: header, title, socle table, synthèse,
 * visas of the teacher, the director and the guardians. */
static void layout_cycle(render_ctx *c, const bilan_info *b)
{
    xmlNodePtr node = b->node;
    const char *cy = lsu_attr(node, "cycle");
    lsu_buf title = {0};
    lsu_buf_printf(&title, "Maîtrise des composantes du socle en fin de cycle %s", cy && *cy ? cy : "2");
    recto_header(c, b);
    title_block(c, b);
    band(c, render_buf_text(c, &title), MM(40));
    lsu_buf_free(&title);

    /* the socle table: component | 4 levels of mastery */
    static const char *const levels[4] = {"Maîtrise insuffisante", "Maîtrise fragile", "Maîtrise satisfaisante",
                                          "Très bonne maîtrise"};
    const float lw = CONTENT_W - 4 * MM(20), cw = MM(20), pad = MM(1.8), hpad = MM(0.8);
    const float lh = BODY_SIZE * LINE_FACTOR, hlh = HEAD_SIZE * LINE_FACTOR;
    block heads[4];
    int head_rows = 1;
    for (int k = 0; k < 4; k++) {
        ptext t = render_constant(c, levels[k], 1);
        heads[k] = render_block_text(c, &t, HEAD_SIZE, cw - 2 * hpad, ALIGN_CENTER);
        if (heads[k].rows > head_rows)
            head_rows = heads[k].rows;
    }
    float head_h = (float)head_rows * hlh + 2 * MM(1);
    int need_head = 1;
    for (xmlNodePtr d = render_child_el(render_child_el(node, "socle"), "domaine"); d; d = render_next_el(d)) {
        long dline = render_node_line(d, b->line);
        const char *label = lsu_attr(d, "libelle");
        ptext t;
        render_prepare(c, label && *label ? label : lsu_attr(d, "code"), 0, dline, "composante du socle", NULL, &t);
        block lb = render_block_text(c, &t, BODY_SIZE, lw - 2 * HPAD, ALIGN_LEFT);
        float h = (float)(lb.rows ? lb.rows : 1) * lh + 2 * pad;
        if (c->y + (need_head ? head_h : 0) + h > BOTTOM) {
            render_continuation_page(c);
            need_head = 1;
        }
        if (need_head) {
            render_add_fill(c, LEFT, c->y, CONTENT_W, head_h, COL_HEAD);
            render_add_rect(c, LEFT, c->y, lw, head_h);
            for (int k = 0; k < 4; k++) {
                float x = LEFT + lw + (float)k * cw;
                render_add_rect(c, x, c->y, cw, head_h);
                render_emit_block(c, &heads[k], 0, heads[k].rows, x + hpad,
                                  c->y + (head_h - (float)heads[k].rows * hlh) / 2, COL_BLACK);
            }
            c->y += head_h;
            need_head = 0;
        }
        render_add_rect(c, LEFT, c->y, lw, h);
        render_emit_block(c, &lb, 0, lb.rows, LEFT + HPAD, c->y + pad, COL_BLACK);
        const char *pos = lsu_attr(d, "positionnement");
        int p = pos && pos[0] >= '0' && pos[0] <= '4' && pos[1] == '\0' ? pos[0] - '0' : -1;
        float x = LEFT + lw;
        if (p == 0) {
            ptext ds = render_constant(c, "Dispensé", 0);
            render_add_rect(c, x, c->y, 4 * cw, h);
            render_add_text(c, ds.off, ds.len, ds.font, BODY_SIZE,
                            x + (4 * cw - render_ptext_width(c, &ds, BODY_SIZE)) / 2, c->y + h / 2 + 0.35f * BODY_SIZE,
                            COL_BLACK);
        } else {
            for (int k = 0; k < 4; k++) {
                render_add_rect(c, x + (float)k * cw, c->y, cw, h);
                if (p == k + 1) {
                    ptext xm = render_constant(c, "X", 1);
                    render_add_text(c, xm.off, xm.len, xm.font, 11,
                                    x + (float)k * cw + (cw - render_ptext_width(c, &xm, 11)) / 2,
                                    c->y + h / 2 + 0.36f * 11, COL_BLACK);
                }
            }
        }
        c->y += h;
    }
    c->y += MM(4);

    lsu_buf syn_title = {0};
    lsu_buf_printf(&syn_title, "Synthèse des acquis scolaires de l'élève en fin de cycle %s", cy && *cy ? cy : "2");
    band(c, render_buf_text(c, &syn_title), MM(25));
    lsu_buf_free(&syn_title);
    ptext text;
    render_prepare_node(c, render_child_el(node, "synthese"), 0, b->line, "synthèse", NULL, &text);
    block bl = render_block_text(c, &text, BODY_SIZE, CONTENT_W - 2 * HPAD, ALIGN_LEFT);
    box(c, &bl, LEFT, CONTENT_W, MM(45));

    band(c, "Communication avec la famille", MM(30));
    ptext lines[17];
    int n = teacher_lines(c, b, lines, 17);
    float vw = (CONTENT_W - 2 * MM(3)) / 3 - 2 * HPAD;
    ptext dir[1];
    int nd = 0;
    xmlNodePtr d = render_child_el(node, "directeur");
    if (d) {
        lsu_buf s = {0};
        add_person(&s, d);
        render_prepare(c, render_buf_text(c, &s), 0, b->line, "directeur", NULL, &dir[nd++]);
        lsu_buf_free(&s);
    }
    block visas[3] = {visa_block(c, "Visa de l'enseignant(e)", lines, n, vw),
                      visa_block(c, "Visa du directeur ou de la directrice", dir, nd, vw),
                      visa_block(c, "Visa des parents / du responsable légal", NULL, 0, vw)};
    visa_boxes(c, visas, 3, MM(32));
}

/* Lays one bilan out into the display list; 0, or -1 (memory, or not a
 * bilan element). */
int render_layout_bilan(render_ctx *c, const lsu_render_item *item)
{
    render_ctx_reset(c);
    c->item = item;
    xmlNodePtr node = item->bilan;
    if (!node || node->type != XML_ELEMENT_NODE ||
        (strcmp((const char *)node->name, "bilan-periodique") != 0 &&
         strcmp((const char *)node->name, "bilan-cycle") != 0)) {
        c->why = "élément bilan-periodique ou bilan-cycle attendu";
        return -1;
    }
    bilan_info b;
    info_read(&b, node);
    if (b.who.failed || b.level.failed || b.period.failed)
        c->failed = 1;
    make_reminder(c, &b);
    if (c->r->opt.per_guardian)
        make_addresses(c, node, b.line);
    if (b.cycle_bilan)
        layout_cycle(c, &b);
    else
        layout_periodique(c, &b);
    info_free(&b);
    return c->failed || c->arena.failed ? -1 : 0;
}
