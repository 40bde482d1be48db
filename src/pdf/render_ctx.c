/* Render family (see render_int.h): the per-bilan context and its display
 * list.
 *
 * Owns the context's memory (grown on demand, emptied between bilans and
 * kept by the renderer from one bilan to the next), the display list the
 * layout appends to (rectangles, lines, texts, page numbers, on numbered
 * pages, with the continuation pages' reminder line), and the INT001
 * diagnostic of a failure. */
#include "pdf/render_int.h"

#include <hpdf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `need` elements of `size` bytes in the array whose
 * pointer is at `slot` (any T **); 0, or -1 with c->failed set. */
int render_grow(render_ctx *c, void *slot, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *old;
    memcpy(&old, slot, sizeof old);
    void *n = realloc(old, ncap * size);
    if (!n) {
        c->failed = 1;
        return -1;
    }
    memcpy(slot, &n, sizeof n);
    *cap = ncap;
    return 0;
}

/* Frees everything the context owns (not the context itself). */
static void ctx_free(render_ctx *c)
{
    lsu_buf_free(&c->arena);
    free(c->tlines);
    free(c->ops);
    free(c->page_first);
    free(c->rows);
    free(c->groups);
    free(c->elements);
    free(c->slices);
    free(c->addresses);
    free(c->cps);
    lsu_buf_free(&c->content);
    for (int f = 0; f < 2; f++) {
        free(c->glyph_cp[f]);
        free(c->uses[f]);
    }
}

/* Empties the per-bilan storage, keeping its memory for the next bilan. */
void render_ctx_reset(render_ctx *c)
{
    c->arena.len = 0;
    c->ntlines = c->nops = c->npages = c->nrows = c->ngroups = c->nelements = c->naddresses = 0;
    c->address_bottom = 0;
}

/* The renderer's bilan context, made on first use; NULL when memory ran out. */
render_ctx *render_renderer_ctx(lsu_renderer *r)
{
    if (!r->ctx && (r->ctx = calloc(1, sizeof *r->ctx)) != NULL)
        r->ctx->r = r;
    return r->ctx;
}

/* Frees the renderer's bilan context (called by lsu_renderer_free). */
void render_renderer_ctx_free(lsu_renderer *r)
{
    if (r->ctx) {
        ctx_free(r->ctx);
        free(r->ctx);
        r->ctx = NULL;
    }
}

/* Records INT001 for a failure, on the bilan being drawn (item) or on the
 * file: a libharu error (code, detail), memory, or `why`. */
void render_report_internal(lsu_diag_list *diags, const lsu_render_item *item, HPDF_STATUS code, HPDF_STATUS detail,
                            int failed, const char *why)
{
    if (!diags)
        return;
    lsu_subject file_subject;
    memset(&file_subject, 0, sizeof file_subject);
    file_subject.scope = SCOPE_FILE;
    const lsu_subject *subject = item ? &item->subject : &file_subject;
    long line = item ? render_node_line(item->bilan, 0) : 0;
    if (!why)
        why = item ? "dessin du bilan" : "enregistrement du document";
    if (code)
        lsu_diag_add(diags, DIAG_INT001, line, subject,
                     "Édition du PDF impossible : erreur libharu 0x%04X "
                     "(détail %u), %s",
                     (unsigned)code, (unsigned)detail, why);
    else if (failed)
        lsu_diag_add(diags, DIAG_INT001, line, subject, "Édition du PDF impossible : mémoire insuffisante, %s", why);
    else
        lsu_diag_add(diags, DIAG_INT001, line, subject, "Édition du PDF impossible : %s", why);
}

/* ---------------------------------------------------------------------------
 * The display list. */

/* Appends a display-list element on the current (last) page. */
static op *add_op(render_ctx *c, int kind)
{
    if (GROW(c, c->ops, c->nops, c->cap_ops) != 0)
        return NULL;
    op *o = &c->ops[c->nops++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    return o;
}

/* A rectangle filled with a palette colour (x, y: top left). */
void render_add_fill(render_ctx *c, float x, float y, float w, float h, int color)
{
    op *o = add_op(c, OP_FILL);
    if (o)
        o->x = x, o->y = y, o->w = w, o->h = h, o->color = (uint8_t)color;
}

/* A stroked rectangle: a cell or box border. */
void render_add_rect(render_ctx *c, float x, float y, float w, float h)
{
    op *o = add_op(c, OP_STROKE);
    if (o)
        o->x = x, o->y = y, o->w = w, o->h = h;
}

/* A stroked line from (x, y) to (x + w, y + h). */
void render_add_line(render_ctx *c, float x, float y, float w, float h)
{
    op *o = add_op(c, OP_LINE);
    if (o)
        o->x = x, o->y = y, o->w = w, o->h = h;
}

/* A text at baseline (x, y). */
void render_add_text(render_ctx *c, uint32_t off, uint32_t len, int font, float size, float x, float y, int color)
{
    if (len == 0)
        return;
    op *o = add_op(c, OP_TEXT);
    if (o)
        o->x = x, o->y = y, o->size = size * render_font_scale(font), o->off = off, o->len = len,
        o->font = (uint8_t)font, o->color = (uint8_t)color;
}

/* "Page n/N" (kind OP_PAGENUM) or " – Page n/N" (OP_PAGENUM_AFTER) at x,
 * filled in when drawing. */
void render_add_page_number(render_ctx *c, int kind, float x, float y, float size)
{
    op *o = add_op(c, kind);
    if (o)
        o->x = x, o->y = y, o->size = size;
}

/* Places the rows [r0, r1) of a block with its left edge at x and the top
 * of row r0 at y. */
void render_emit_block(render_ctx *c, const block *b, int r0, int r1, float x, float y, int color)
{
    float lh = b->size * LINE_FACTOR;
    for (uint32_t k = b->first; k < b->first + b->count; k++) {
        const tline *l = &c->tlines[k];
        if (l->row < r0 || l->row >= r1)
            continue;
        render_add_text(c, l->off, l->len, l->font, b->size, x + l->dx,
                        y + (float)(l->row - r0) * lh + BASE_FACTOR * b->size, color);
    }
}

/* Starts a new page of the current bilan. */
void render_new_page(render_ctx *c)
{
    if (GROW(c, c->page_first, c->npages, c->cap_pages) != 0)
        return;
    c->page_first[c->npages++] = (uint32_t)c->nops;
}

/* Where the rule under the reminder line of a continuation page lies. */
static float reminder_rule_y(const render_ctx *c)
{
    int rows = c->reminder.rows ? c->reminder.rows : 1;
    return MM(8) + (float)rows * c->reminder.size * LINE_FACTOR + MM(1);
}

/* Where the content of a continuation page starts. */
float render_continuation_top(const render_ctx *c)
{
    return reminder_rule_y(c) + MM(3);
}

/* Starts a continuation page: the reminder line, its page number, a rule;
 * the cursor goes under them. */
void render_continuation_page(render_ctx *c)
{
    render_new_page(c);
    render_emit_block(c, &c->reminder, 0, c->reminder.rows, LEFT, MM(8), COL_BLACK);
    /* the page number follows the reminder's last line */
    const block *b = &c->reminder;
    float x = LEFT, y = MM(8) + BASE_FACTOR * b->size;
    if (b->count > 0) {
        const tline *last = &c->tlines[b->first + b->count - 1];
        x += last->dx + last->w;
        y += (float)last->row * b->size * LINE_FACTOR;
    }
    render_add_page_number(c, OP_PAGENUM_AFTER, x, y, b->size);
    render_add_line(c, LEFT, reminder_rule_y(c), CONTENT_W, 0);
    c->y = render_continuation_top(c);
}
