/* Private header of the render family (src/pdf/render*.c, the stage whose
 * public API is render.h): what only its files share, as SQLite's
 * whereInt.h does for where*.c.
 *
 *   render.c         the public API: the renderer, lsu_render_bilan,
 *                    lsu_render_pdf, the drawn bilans
 *   render_font.c    font metrics: DejaVu Sans files, Helvetica widths
 *   render_text.c    text preparation (fonts, PDF001) and wrapping
 *   render_ctx.c     the per-bilan context and its display list; INT001
 *   render_layout.c  the layout of the two kinds of bilan
 *   render_acquis.c  the acquis table of a bilan périodique
 *   render_stream.c  page content streams, compressed into drawn bilans
 *   render_subset.c  DejaVu subsets
 *   render_pdf.c     a PDF put together from drawn bilans
 *
 * Holds the page geometry, the font and colour ids, the renderer, the
 * per-bilan context and its display list, the drawn bilans, and the
 * functions one file of the family calls in another (defined there, with
 * what they own and return). */
#ifndef LSU_RENDER_INT_H
#define LSU_RENDER_INT_H

#include "base/util.h"
#include "pdf/render.h"

#include <hpdf.h>
#include <libxml/tree.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* ---------------------------------------------------------------------------
 * Page geometry, in PDF points; y is measured from the top of the page while
 * laying out and turned upside down only when drawing. */

#define MM(v) ((float)(v) * (72.0f / 25.4f))

static const float page_w = 595.276f; /* A4 as libharu sets it */
static const float page_h = 841.89f;
#define LEFT MM(10)
#define RIGHT (page_w - MM(10))
#define CONTENT_W (RIGHT - LEFT)
#define BOTTOM (page_h - MM(10))
#define LINE_FACTOR 1.18f /* line height / font size */
#define BASE_FACTOR 0.85f /* baseline below the top of a line / font size */
#define HPAD MM(1.2)      /* left and right padding in cells and boxes */

#define HEAD_SIZE 7.5f /* table headers */
#define BODY_SIZE 8.5f /* verso boxes */
#define LEGEND_SIZE 7.0f
#define BAND_H MM(6)
#define ADDRESS_X MM(110)
#define ADDRESS_Y MM(45)
#define ADDRESS_W MM(88)
#define ADDRESS_BOTTOM MM(78) /* the acquis band starts below the envelope window */

/* ---------------------------------------------------------------------------
 * Fonts and colours. */

/* Fonts of a document.  The base-14 Helvetica faces (nothing embedded) come
 * in four single-byte encodings, tried in this order for each text: CP1252
 * (French and Western Europe), CP1254 (the same plus Turkish: Şule, Yılmaz),
 * ISO 8859-16 (French with Polish and Romanian: Łukasz, Ștefan) and CP1250
 * (Central Europe, for a name alone).  Only a text none of them holds
 * (Vietnamese, Greek, Cyrillic…) needs the embedded DejaVu faces (a
 * subset costs about 1 ms and 6 KB per face and document).  A base font
 * index is encoding * 2 + bold. */
enum {
    F_REG = 0,
    F_BOLD = 1,
    F_BASE_COUNT = 8, /* 4 encodings x regular, bold */
    F_TTF_REG = 8,
    F_TTF_BOLD = 9,
    F_COUNT = 10
};
#define ENCODINGS 4

/* Colours of the palette (their values, in render_stream.c, for put_fill). */
enum {
    COL_BLACK,
    COL_WHITE,
    COL_BAND,
    COL_HEAD,
    COL_POS1,
    COL_POS2,
    COL_POS3,
    COL_POS4,
    COL_CYCLE,
    COL_LEVEL,
    COL_MARK,
    COL_WATERMARK,
    COL_COUNT
};

/* ---------------------------------------------------------------------------
 * The renderer: made once per run. */

#define BMP 65536
#define BASE_MAP 0x2200 /* every code point of the four base encodings is below */

/* A DejaVu face: the font file (mapped, read only) and what the layout and
 * the subsets need of it. */
typedef struct {
    unsigned char *data; /* the whole file, mmap'd (or malloc'd when mapping fails) */
    size_t size;
    int mapped;
    const unsigned char *glyf, *loca, *hmtx, *head, *hhea, *maxp;
    size_t glyf_len, loca_len, hmtx_len, head_len, hhea_len, maxp_len;
    int long_loca;
    uint32_t glyphs, hmetrics, upem;
    int bbox[4], ascent, descent, cap_height; /* 1/1000 em */
    char name[64];                            /* PostScript name, for BaseFont */
} ttf_face;

struct lsu_renderer {
    lsu_render_options opt;
    char *ttf_path[2];                      /* DejaVuSans.ttf, DejaVuSans-Bold.ttf */
    uint16_t base_width[F_BASE_COUNT][256]; /* Helvetica faces by byte of their encoding, 1/1000 em; 0 = no glyph */
    uint16_t high_unicode[ENCODINGS][128];  /* code point of each byte 0x80-0xFF of each encoding (0: none) */
    unsigned char *base_byte[ENCODINGS];    /* byte of each code point below BASE_MAP in each encoding (0: none) */
    char *base_dict[F_BASE_COUNT];          /* body of each Helvetica font dictionary, as libharu writes it */
    uint16_t *ttf_width[2];                 /* DejaVu by BMP code point, 1/1000 em, truncated (as the /W widths) */
    unsigned char *ttf_has[2];              /* bit set of the BMP code points the font maps to a glyph */
    uint16_t *ttf_gid[2];                   /* glyph of each BMP code point */
    ttf_face face[2];
    z_stream z; /* deflate state, reset for each stream */
    int z_ready, z_level;
    struct render_ctx *ctx; /* the bilan being drawn: its memory is kept for the next one */
};

/* The first libharu error of a document. */
typedef struct {
    HPDF_STATUS code, detail;
} hpdf_error;

/* ---------------------------------------------------------------------------
 * The per-call context: the document, and the layout of the current bilan. */

/* A text prepared for one font: its bytes (CP1252 for Helvetica, UTF-8 for
 * DejaVu) live in the context's arena. */
typedef struct {
    uint32_t off, len;
    uint8_t font;
} ptext;

/* One line of wrapped text, placed within its block: visual row `row`,
 * `dx` points from the block's left edge, `w` points wide. */
typedef struct {
    uint32_t off, len;
    uint8_t font;
    int row;
    float dx, w;
} tline;

/* A block of wrapped text: tlines [first, first + count), `rows` visual rows. */
typedef struct {
    uint32_t first, count;
    int rows;
    float size;
} block;

enum {
    OP_TEXT,
    OP_FILL,
    OP_STROKE,
    OP_LINE,
    OP_PAGENUM,      /* "Page n/N" right-aligned at x */
    OP_PAGENUM_AFTER /* " – Page n/N" from x on (after the reminder line) */
};

/* One element of the display list (y from the top; a text's y is its baseline). */
typedef struct {
    uint8_t kind, font, color;
    float x, y, w, h, size;
    uint32_t off, len;
} op;

/* A row of the acquis table: a domain or a sub-domain. */
typedef struct {
    int sub;        /* sub-domain (indented label) */
    int pos;        /* 1-4, or 0 */
    int non_evalue; /* « Non évalué » across the positionnement */
    ptext label;
    uint32_t el_first, el_count; /* éléments du programme in ctx->elements */
    block label_b, el_b;
    int rows;
} acq_row;

/* A domain of the acquis table: its rows and its appreciation. */
typedef struct {
    ptext suite; /* "Français (suite)", for a domain continued on the next page */
    ptext appreciation;
    uint32_t row_first, row_count;
    block app_b, suite_b;
} acq_group;

/* One row slice of a table piece: visual rows [r0, r1) of a row (row NULL:
 * the "(suite)" label of a continued domain), `h` points tall. */
typedef struct {
    const acq_row *row;
    int r0, r1;
    float h;
} slice;

/* A DejaVu glyph shown, and the code point it shows. */
typedef struct {
    uint16_t gid;
    uint32_t cp;
} glyph_use;

/* The context of one bilan being laid out and drawn; the renderer keeps
 * one, and its memory, from bilan to bilan. */
typedef struct render_ctx {
    lsu_renderer *r;
    lsu_diag_list *diags;
    const lsu_render_item *item;
    int failed;      /* memory ran out */
    const char *why; /* what failed, for INT001 */

    /* per bilan, emptied between bilans */
    lsu_buf arena;
    tline *tlines;
    size_t ntlines, cap_tlines;
    op *ops;
    size_t nops, cap_ops;
    uint32_t *page_first; /* first op of each page */
    size_t npages, cap_pages;
    acq_row *rows;
    size_t nrows, cap_rows;
    acq_group *groups;
    size_t ngroups, cap_groups;
    ptext *elements;
    size_t nelements, cap_elements;
    slice *slices; /* pieces of the acquis table being placed */
    size_t cap_slices;
    block *addresses; /* one per legal guardian */
    size_t naddresses, cap_addresses;
    float address_bottom; /* the lowest address block's bottom */
    uint32_t *cps;        /* decoding scratch */
    size_t cap_cps;

    /* layout state */
    float y;        /* cursor, from the top */
    block reminder; /* reminder line of the continuation pages */
    block head[4];  /* acquis table headers */
    float head_h;
    float size, pad, lh; /* acquis table settings */
    ptext legend;

    /* drawing: one page's content stream, and the DejaVu glyphs the bilan
     * shows (each glyph's first code point, for the ToUnicode map) */
    lsu_buf content;
    uint32_t *glyph_cp[2]; /* by glyph: code point + 1 of its first use, 0 when unused */
    glyph_use *uses[2];
    size_t nuses[2], cap_uses[2];
} render_ctx;

#define GROW(c, arr, n, cap) render_grow((c), &(arr), &(cap), (n) + 1, sizeof *(arr))

/* Alignment of a wrapped text in its block (render_wrap, render_block_text). */
enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* ---------------------------------------------------------------------------
 * Drawn bilans: their pages' content streams, written from the display list
 * and compressed once (render_stream.c), then put as they are into every
 * PDF that shows the bilan (render_pdf.c). */

/* Compression of the page streams: on the generated school, zlib's level 6
 * makes the PDFs 4 % smaller than level 1 (7.9 KB against 8.2 KB for a
 * two-page bilan) for 30 % more rendering time; level 9 gains nothing
 * more.  The embedded font subsets, rare, get the default. */
#define PAGE_LEVEL 1
#define FONT_LEVEL 6

/* A page of a drawn bilan: its compressed content stream in the bilan's
 * data, and the fonts it uses (bit f: font id f). */
typedef struct {
    size_t off, len;
    uint16_t fonts;
} drawn_page;

struct lsu_drawn {
    lsu_buf data; /* the pages' compressed streams */
    drawn_page *pages;
    size_t npages, cap_pages;
    glyph_use *uses[2]; /* DejaVu glyphs shown, by face, sorted by glyph */
    size_t nuses[2];
};

/* ---------------------------------------------------------------------------
 * Functions one file of the family calls in another. */

/* Big-endian 16- and 32-bit reads (TrueType tables). */
static inline uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static inline uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* render_font.c */
const unsigned char *render_ttf_table(const unsigned char *data, size_t size, const char *tag, size_t *len);
int render_ttf_load(lsu_renderer *r, int which, char **error);
void render_on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *data);
int render_base_metrics(lsu_renderer *r, char **error);
int render_find_fonts(lsu_renderer *r);

/* render_text.c */
int render_prepare(render_ctx *c, const char *s, int bold, long line, const char *where, const char *detail,
                   ptext *out);
ptext render_constant(render_ctx *c, const char *s, int bold);
int render_prepare_node(render_ctx *c, xmlNodePtr n, int bold, long fallback, const char *where, const char *detail,
                        ptext *out);
float render_font_scale(int font);
float render_ptext_width(render_ctx *c, const ptext *t, float size);
int render_wrap(render_ctx *c, const ptext *t, float size, float width, float first_dx, float hang_dx, int align,
                int row0);
int render_wrap_lead(render_ctx *c, const ptext *lead, const ptext *text, float size, float width, int hang, int row0);
block render_block_open(render_ctx *c, float size);
void render_block_close(render_ctx *c, block *b, int rows);
block render_block_text(render_ctx *c, const ptext *t, float size, float width, int align);

/* render_ctx.c */
int render_grow(render_ctx *c, void *slot, size_t *cap, size_t need, size_t size);
void render_ctx_reset(render_ctx *c);
render_ctx *render_renderer_ctx(lsu_renderer *r);
void render_renderer_ctx_free(lsu_renderer *r);
void render_report_internal(lsu_diag_list *diags, const lsu_render_item *item, HPDF_STATUS code, HPDF_STATUS detail,
                            int failed, const char *why);
void render_add_fill(render_ctx *c, float x, float y, float w, float h, int color);
void render_add_rect(render_ctx *c, float x, float y, float w, float h);
void render_add_line(render_ctx *c, float x, float y, float w, float h);
void render_add_text(render_ctx *c, uint32_t off, uint32_t len, int font, float size, float x, float y, int color);
void render_add_page_number(render_ctx *c, int kind, float x, float y, float size);
void render_emit_block(render_ctx *c, const block *b, int r0, int r1, float x, float y, int color);
void render_new_page(render_ctx *c);
float render_continuation_top(const render_ctx *c);
void render_continuation_page(render_ctx *c);

/* render_layout.c */
xmlNodePtr render_child_el(xmlNodePtr n, const char *name);
xmlNodePtr render_next_el(xmlNodePtr n);
long render_node_line(xmlNodePtr n, long fallback);
int render_layout_bilan(render_ctx *c, const lsu_render_item *item);

/* render_acquis.c */
void render_acquis_read(render_ctx *c, xmlNodePtr bilan, long line);
void render_acquis_table(render_ctx *c);

/* render_stream.c */
int render_deflate_into(lsu_renderer *r, int level, const void *in, size_t n, lsu_buf *out);
int render_add_drawn_page(render_ctx *c, lsu_drawn *d, size_t p, const block *address, long same);

/* render_subset.c */
HPDF_STATUS render_write_flate_filter(HPDF_Dict dict, HPDF_Stream stream);
HPDF_Dict render_subset_font(lsu_renderer *r, HPDF_Doc pdf, int f, const glyph_use *uses, size_t n);

/* Hot and small: defined here so that every file of the family inlines them
 * (they were static in one render.c; out of line they cost 4 % of a run). */
/* Is code point cp shown by TrueType font `which` (0 regular, 1 bold)? */
static inline int render_ttf_has(const lsu_renderer *r, int which, uint32_t cp)
{
    return cp < BMP && (r->ttf_has[which][cp >> 3] & (1u << (cp & 7)));
}

/* The byte of code point cp in base encoding e, or 0 when it has none. */
static inline unsigned char render_encoding_byte(const lsu_renderer *r, int e, uint32_t cp)
{
    return cp < BASE_MAP ? r->base_byte[e][cp] : 0;
}

/* Is cp shown by base font f (an encoding of Helvetica, bold or not)? */
static inline int render_base_has(const lsu_renderer *r, int f, uint32_t cp)
{
    unsigned char b = render_encoding_byte(r, f / 2, cp);
    return b && r->base_width[f][b] != 0;
}

/* Width of one character of a prepared text, in 1/1000 em. */
static inline unsigned render_char_width(const lsu_renderer *r, int font, uint32_t cp)
{
    if (font < F_TTF_REG)
        return r->base_width[font][cp & 0xFF];
    return cp < BMP ? r->ttf_width[font - F_TTF_REG][cp] : 0;
}

/* A text built in a local buffer, for render_prepare or band: its data,
 * and the context's sticky failure set when the buffer ran out of memory
 * (a text silently missing from a bilan would be worse than no PDF). */
static inline const char *render_buf_text(render_ctx *c, const lsu_buf *b)
{
    if (b->failed)
        c->failed = 1;
    return b->data;
}

#endif
