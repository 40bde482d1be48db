/* Render family (see render_int.h): the acquis table of a bilan périodique.
 *
 * Owns the reading of the acquis into rows and groups (render_acquis_read), the
 * choice of the largest type that fits the table on the recto, and its
 * placing over as many pages as it needs, headers and legend repeated
 * (render_acquis_table). */
#include "lsu.h"
#include "pdf/render_int.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * The acquis table (bilan périodique, recto). */

/* Acquis table columns (mm): domain, éléments, appreciation, 4 × positionnement. */
static const float acq_w[3] = {MM(36), MM(63), MM(65)};
#define POS_W MM(6.5)

/* The table's (font size, vertical padding) settings, tried in turn until the
 * acquis fit the recto; the last one is the readable minimum. */
static const float table_sizes[][2] = {{8.0f, MM(1.0)}, {7.5f, MM(0.8)}, {7.0f, MM(0.6)}, {7.0f, MM(0.45)}};
#define TABLE_SIZES (sizeof table_sizes / sizeof table_sizes[0])

/* Reads the acquis of a bilan into rows and groups, texts prepared. */
void render_acquis_read(render_ctx *c, xmlNodePtr bilan, long line)
{
    xmlNodePtr list = render_child_el(bilan, "liste-acquis");
    for (xmlNodePtr a = render_child_el(list, "acquis"); a; a = render_next_el(a)) {
        if (GROW(c, c->groups, c->ngroups, c->cap_groups) != 0)
            return;
        acq_group *g = &c->groups[c->ngroups++];
        memset(g, 0, sizeof *g);
        long aline = render_node_line(a, line);
        const char *label = lsu_domain_name(a);
        lsu_buf suite = {0};
        lsu_buf_printf(&suite, "%s (suite)", label);
        render_prepare(c, render_buf_text(c, &suite), 1, aline, NULL, NULL, &g->suite);
        lsu_buf_free(&suite);
        render_prepare_node(c, render_child_el(a, "appreciation"), 0, aline, "appréciation", label, &g->appreciation);
        g->row_first = (uint32_t)c->nrows;
        /* the domain's own row, then its sub-domains */
        for (xmlNodePtr n = a; n; n = n == a ? render_child_el(a, "sous-domaine") : render_next_el(n)) {
            if (GROW(c, c->rows, c->nrows, c->cap_rows) != 0)
                return;
            acq_row *row = &c->rows[c->nrows++];
            memset(row, 0, sizeof *row);
            row->sub = n != a;
            long nline = render_node_line(n, aline);
            const char *lab = lsu_domain_name(n);
            render_prepare(c, lab, !row->sub, nline, "domaine d'enseignement", NULL, &row->label);
            const char *pos = lsu_attr(n, "positionnement"), *ne = lsu_attr(n, "non-evalue");
            row->non_evalue = ne && strcmp(ne, "oui") == 0;
            if (!row->non_evalue && pos && pos[0] >= '1' && pos[0] <= '4' && pos[1] == '\0')
                row->pos = pos[0] - '0';
            row->el_first = (uint32_t)c->nelements;
            for (xmlNodePtr e = render_child_el(n, "element-programme"); e; e = render_next_el(e)) {
                if (GROW(c, c->elements, c->nelements, c->cap_elements) != 0)
                    return;
                render_prepare(c, lsu_element_libelle(e, c->item->element_labels), 0, nline, "élément du programme",
                               lab, &c->elements[c->nelements++]);
            }
            row->el_count = (uint32_t)(c->nelements - row->el_first);
            g->row_count++;
        }
    }
}

/* Wraps every cell of the table at size s; returns the table's height
 * (groups only, header and legend excluded). */
static float acquis_wrap(render_ctx *c, float s, float pad)
{
    const float lh = s * LINE_FACTOR, indent = MM(3);
    ptext bullet = render_constant(c, "• ", 0);
    float total = 0;
    for (size_t gi = 0; gi < c->ngroups; gi++) {
        acq_group *g = &c->groups[gi];
        float rows_h = 0;
        for (uint32_t k = 0; k < g->row_count; k++) {
            acq_row *row = &c->rows[g->row_first + k];
            float lw = acq_w[0] - 2 * HPAD - (row->sub ? indent : 0);
            row->label_b = render_block_open(c, s);
            render_block_close(c, &row->label_b, render_wrap(c, &row->label, s, lw, 0, 0, ALIGN_LEFT, 0));
            row->el_b = render_block_open(c, s);
            int rows = 0;
            for (uint32_t e = 0; e < row->el_count; e++)
                rows += render_wrap_lead(c, &bullet, &c->elements[row->el_first + e], s, acq_w[1] - 2 * HPAD, 1, rows);
            render_block_close(c, &row->el_b, rows);
            int r = row->label_b.rows > row->el_b.rows ? row->label_b.rows : row->el_b.rows;
            row->rows = r > 0 ? r : 1;
            rows_h += (float)row->rows * lh + 2 * pad;
        }
        g->app_b = render_block_text(c, &g->appreciation, s, acq_w[2] - 2 * HPAD, ALIGN_LEFT);
        g->suite_b = render_block_text(c, &g->suite, s, acq_w[0] - 2 * HPAD, ALIGN_LEFT);
        float app_h = g->app_b.rows ? (float)g->app_b.rows * lh + 2 * pad : 0;
        total += rows_h > app_h ? rows_h : app_h;
    }
    return total;
}

/* Natural height of one group at the current settings. */
static float group_height(const render_ctx *c, const acq_group *g)
{
    float rows_h = 0;
    for (uint32_t k = 0; k < g->row_count; k++)
        rows_h += (float)c->rows[g->row_first + k].rows * c->lh + 2 * c->pad;
    float app_h = g->app_b.rows ? (float)g->app_b.rows * c->lh + 2 * c->pad : 0;
    return rows_h > app_h ? rows_h : app_h;
}

/* Wraps the table's column headers (once per bilan). */
static void acquis_head_make(render_ctx *c)
{
    static const char *const heads[4] = {"Domaines d'enseignement", "Principaux éléments du programme travaillés",
                                         "Acquisitions, progrès et difficultés éventuelles", "Positionnement [*]"};
    const float pad = MM(0.8), lh = HEAD_SIZE * LINE_FACTOR;
    float h = 0;
    for (int i = 0; i < 4; i++) {
        ptext t = render_constant(c, heads[i], 1);
        float w = (i < 3 ? acq_w[i] : 4 * POS_W) - 2 * MM(0.6);
        c->head[i] = render_block_text(c, &t, HEAD_SIZE, w, ALIGN_CENTER);
        float need = (float)c->head[i].rows * lh + 2 * pad;
        if (i == 3)
            need += lh + 2 * pad; /* the row of 1 2 3 4 */
        if (need > h)
            h = need;
    }
    c->head_h = h;
}

/* Draws the column headers at the cursor and moves under them. */
static void acquis_head(render_ctx *c)
{
    const float pad = MM(0.8), lh = HEAD_SIZE * LINE_FACTOR, y = c->y, h = c->head_h;
    float x = LEFT;
    for (int i = 0; i < 3; i++) {
        render_add_fill(c, x, y, acq_w[i], h, COL_HEAD);
        render_add_rect(c, x, y, acq_w[i], h);
        float th = (float)c->head[i].rows * lh;
        render_emit_block(c, &c->head[i], 0, c->head[i].rows, x + MM(0.6), y + (h - th) / 2, COL_BLACK);
        x += acq_w[i];
    }
    float digits_h = lh + 2 * pad, top_h = h - digits_h;
    render_add_fill(c, x, y, 4 * POS_W, top_h, COL_HEAD);
    render_add_rect(c, x, y, 4 * POS_W, top_h);
    float th = (float)c->head[3].rows * lh;
    render_emit_block(c, &c->head[3], 0, c->head[3].rows, x + MM(0.6), y + (top_h - th) / 2, COL_BLACK);
    for (int k = 0; k < 4; k++) {
        float px = x + (float)k * POS_W;
        char digit[2] = {(char)('1' + k), 0};
        ptext t = render_constant(c, digit, 1);
        render_add_fill(c, px, y + top_h, POS_W, digits_h, COL_POS1 + k);
        render_add_rect(c, px, y + top_h, POS_W, digits_h);
        render_add_text(c, t.off, t.len, t.font, HEAD_SIZE, px + (POS_W - render_ptext_width(c, &t, HEAD_SIZE)) / 2,
                        y + top_h + pad + BASE_FACTOR * HEAD_SIZE, COL_BLACK);
    }
    c->y = y + h;
}

/* The legend under the table (on every page the table occupies). */
static void acquis_legend(render_ctx *c)
{
    block b = render_block_text(c, &c->legend, LEGEND_SIZE, CONTENT_W, ALIGN_LEFT);
    render_emit_block(c, &b, 0, b.rows, LEFT, c->y + MM(1), COL_BLACK);
    c->y += MM(1) + (float)b.rows * LEGEND_SIZE * LINE_FACTOR;
}

/* Height the legend takes under the table. */
static float legend_height(void)
{
    return MM(1) + 2 * LEGEND_SIZE * LINE_FACTOR;
}

/* Ends a page of the table and starts the next with the headers again. */
static void acquis_next_page(render_ctx *c)
{
    acquis_legend(c);
    render_continuation_page(c);
    acquis_head(c);
}

/* Draws one slice of a group at the cursor. */
static void emit_slice(render_ctx *c, const acq_group *g, const slice *s)
{
    const float y = c->y, x1 = LEFT + acq_w[0], x2 = x1 + acq_w[1], xp = x2 + acq_w[2];
    render_add_rect(c, LEFT, y, acq_w[0], s->h);
    render_add_rect(c, x1, y, acq_w[1], s->h);
    if (!s->row) {
        render_emit_block(c, &g->suite_b, 0, g->suite_b.rows, LEFT + HPAD, y + c->pad, COL_BLACK);
        for (int k = 0; k < 4; k++)
            render_add_rect(c, xp + (float)k * POS_W, y, POS_W, s->h);
        return;
    }
    const acq_row *row = s->row;
    render_emit_block(c, &row->label_b, s->r0, s->r1, LEFT + HPAD + (row->sub ? MM(3) : 0), y + c->pad, COL_BLACK);
    render_emit_block(c, &row->el_b, s->r0, s->r1, x1 + HPAD, y + c->pad, COL_BLACK);
    if (row->non_evalue && s->r0 == 0) {
        ptext t = render_constant(c, "Non évalué", 0);
        float size = c->size - 0.5f;
        render_add_rect(c, xp, y, 4 * POS_W, s->h);
        render_add_text(c, t.off, t.len, t.font, size, xp + (4 * POS_W - render_ptext_width(c, &t, size)) / 2,
                        y + s->h / 2 + 0.35f * size, COL_BLACK);
        return;
    }
    for (int k = 0; k < 4; k++) {
        float px = xp + (float)k * POS_W;
        render_add_rect(c, px, y, POS_W, s->h);
        if (row->pos == k + 1 && s->r0 == 0) {
            ptext t = render_constant(c, "X", 1);
            float size = c->size + 1.5f;
            render_add_text(c, t.off, t.len, t.font, size, px + (POS_W - render_ptext_width(c, &t, size)) / 2,
                            y + s->h / 2 + 0.36f * size, COL_BLACK);
        }
    }
}

/* Places one domain: whole on this page, else whole on the next page, else
 * (taller than a page) split over pages at row and line boundaries, the
 * domain's label repeated with "(suite)" on the next page. */
static void acquis_group(render_ctx *c, const acq_group *g, float fresh_avail)
{
    const float lh = c->lh, pad = c->pad, bottom = BOTTOM - legend_height();
    float natural = group_height(c, g);
    if (c->y + natural > bottom && (natural <= fresh_avail || bottom - c->y < 4 * lh + 2 * pad))
        acquis_next_page(c);
    uint32_t i = 0;
    int r = 0, a = 0, first = 1;
    const int app_rows = g->app_b.rows;
    while (!c->failed) {
        float avail = bottom - c->y, rows_h = 0;
        size_t n = 0;
        int real = 0;
        if (!first) {
            if (GROW(c, c->slices, n, c->cap_slices) != 0)
                return;
            int suite_rows = g->suite_b.rows > 0 ? g->suite_b.rows : 1;
            c->slices[n++] = (slice){NULL, 0, suite_rows, (float)suite_rows * lh + 2 * pad};
            rows_h = c->slices[0].h;
        }
        while (i < g->row_count) {
            const acq_row *row = &c->rows[g->row_first + i];
            float h = (float)(row->rows - r) * lh + 2 * pad;
            if (GROW(c, c->slices, n, c->cap_slices) != 0)
                return;
            if (rows_h + h <= avail + 0.01f) {
                c->slices[n++] = (slice){row, r, row->rows, h};
                rows_h += h, i++, r = 0, real++;
                continue;
            }
            int m = (int)floorf((avail - rows_h - 2 * pad) / lh);
            if (real == 0 && m >= 1) { /* a row taller than the page: cut it between lines */
                c->slices[n++] = (slice){row, r, r + m, (float)m * lh + 2 * pad};
                rows_h += (float)m * lh + 2 * pad, r += m, real++;
            }
            break;
        }
        /* the appreciation: as many of its lines as the piece can hold */
        float h = rows_h;
        int app_left = app_rows - a;
        if (app_left > 0) {
            float need = (float)app_left * lh + 2 * pad;
            if (need > h)
                h = need < avail ? need : (avail > rows_h ? avail : rows_h);
        }
        int shown = app_left > 0 ? (int)floorf((h - 2 * pad) / lh + 0.001f) : 0;
        shown = shown < 0 ? 0 : shown > app_left ? app_left : shown;
        if (real == 0 && shown == 0) {
            if (avail >= fresh_avail - 0.01f)
                return; /* nothing fits even a fresh page: cannot happen, never loop */
            acquis_next_page(c);
            continue;
        }
        c->slices[n - 1].h += h - rows_h;
        float top = c->y;
        for (size_t k = 0; k < n; k++) {
            emit_slice(c, g, &c->slices[k]);
            c->y += c->slices[k].h;
        }
        float xa = LEFT + acq_w[0] + acq_w[1];
        render_add_rect(c, xa, top, acq_w[2], h);
        render_emit_block(c, &g->app_b, a, a + shown, xa + HPAD, top + pad, COL_BLACK);
        c->y = top + h;
        a += shown;
        first = 0;
        if (i >= g->row_count && a >= app_rows)
            return;
        acquis_next_page(c);
    }
}

/* Lays the acquis table out from the cursor: the largest settings that fit
 * it on this page, else the smallest, continued over pages. */
void render_acquis_table(render_ctx *c)
{
    acquis_head_make(c);
    c->legend = render_constant(c,
                                "[*] Positionnement par objectifs d'apprentissage : 1 = Non atteints 2 = Partiellement "
                                "atteints 3 = Atteints 4 = Dépassés",
                                0);
    const float avail = BOTTOM - legend_height() - c->y - c->head_h;
    size_t mark = c->ntlines;
    for (size_t k = 0; k < TABLE_SIZES; k++) {
        c->ntlines = mark;
        c->size = table_sizes[k][0], c->pad = table_sizes[k][1], c->lh = c->size * LINE_FACTOR;
        if (acquis_wrap(c, c->size, c->pad) <= avail)
            break;
    }
    /* the room a group has on a fresh continuation page, under the headers */
    float fresh = BOTTOM - legend_height() - render_continuation_top(c) - c->head_h;
    acquis_head(c);
    for (size_t gi = 0; gi < c->ngroups && !c->failed; gi++)
        acquis_group(c, &c->groups[gi], fresh);
    acquis_legend(c);
}
