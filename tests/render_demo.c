/* render_demo: renders the bilans of a normalised file (docs/NORMALISED.md)
 * with src/render.c, for looking at the pages and measuring speed and size.
 *
 *   render_demo NORMALISED.xml OUT.pdf [--watermark] [--duplex] [--per-guardian]
 *               [--grayscale] [--date EPOCH] [--each] [--repeat N]
 *
 * Default: every bilan into one PDF written to OUT.pdf.  --each renders one
 * PDF per bilan (in memory; OUT.pdf gets the last one) and prints the time
 * per bilan and the sizes, with and without the embedded DejaVu font.
 * Prints the diagnostics the renderer recorded.  Exit status 0, or 1. */
#include "base/diag.h"
#include "base/util.h"
#include "pdf/render.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Monotonic time in milliseconds. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* First element child named `name`. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, name) == 0)
            return k;
    return NULL;
}

static const char *attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, (const xmlChar *)name);
    return a && a->children ? (const char *)a->children->content : NULL;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds the bilans (bilan-periodique or bilan-cycle) under `list` to items. */
static size_t add_items(xmlNodePtr list, const char *name, lsu_bilan_kind kind, lsu_render_item *items, size_t n,
                        char (*names)[200])
{
    for (xmlNodePtr b = list ? list->children : NULL; b; b = b->next) {
        if (b->type != XML_ELEMENT_NODE || strcmp((const char *)b->name, name) != 0)
            continue;
        lsu_render_item *it = &items[n];
        memset(it, 0, sizeof *it);
        it->bilan = b;
        it->subject.scope = SCOPE_BILAN;
        it->subject.bilan_kind = kind;
        const char *index = attr(b, "index");
        it->subject.bilan_index = index ? (int)strtol(index, NULL, 10) : 0;
        it->subject.ine = attr(b, "ine");
        it->subject.classe = attr(b, "classe");
        it->subject.periode = attr(b, "libelle");
        snprintf(names[n], sizeof names[n], "%s %s", attr(b, "nom") ? attr(b, "nom") : "",
                 attr(b, "prenom") ? attr(b, "prenom") : "");
        it->subject.eleve = names[n];
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    lsu_render_options opt = {0};
    opt.date = 1751274000; /* 2025-06-30 09:00:00 UTC */
    int each = 0, repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--watermark") == 0)
            opt.watermark = 1;
        else if (strcmp(argv[i], "--duplex") == 0)
            opt.duplex = 1;
        else if (strcmp(argv[i], "--per-guardian") == 0)
            opt.per_guardian = 1;
        else if (strcmp(argv[i], "--grayscale") == 0)
            opt.grayscale = 1;
        else if (strcmp(argv[i], "--each") == 0)
            each = 1;
        else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc)
            opt.date = (time_t)strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = (int)strtol(argv[++i], NULL, 10);
        else if (!in)
            in = argv[i];
        else if (!out)
            out = argv[i];
        else {
            fprintf(stderr, "render_demo: unexpected argument %s\n", argv[i]);
            return 1;
        }
    }
    if (!in || !out || repeat < 1) {
        fprintf(stderr, "usage: render_demo NORMALISED.xml OUT.pdf [--watermark] [--duplex] [--per-guardian] "
                        "[--grayscale] [--date EPOCH] [--each] [--repeat N]\n");
        return 1;
    }
    xmlDocPtr doc = xmlReadFile(in, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (!doc) {
        fprintf(stderr, "render_demo: cannot read %s\n", in);
        return 1;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    size_t cap = 0;
    for (xmlNodePtr k = root->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            cap += (size_t)xmlChildElementCount(k);
    lsu_render_item *items = calloc(cap + 1, sizeof *items);
    char(*names)[200] = calloc(cap + 1, sizeof *names);
    size_t n = 0;
    if (items && names) {
        n = add_items(child(root, "bilans-periodiques"), "bilan-periodique", BILAN_PERIODIQUE, items, 0, names);
        n = add_items(child(root, "bilans-cycle"), "bilan-cycle", BILAN_CYCLE, items, n, names);
    }
    if (n == 0) {
        fprintf(stderr, "render_demo: no bilan in %s\n", in);
        free(items);
        free(names);
        xmlFreeDoc(doc);
        return 1;
    }

    double t0 = now_ms();
    lsu_diag_list diags = {0};
    char *error = NULL;
    lsu_renderer *r = lsu_renderer_new(&opt, &error);
    if (!r) {
        fprintf(stderr, "render_demo: %s\n", error);
        free(error);
        free(items);
        free(names);
        xmlFreeDoc(doc);
        return 1;
    }
    double t1 = now_ms();
    int status = 0;
    if (!each) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        int pages = 0;
        double best = 1e30;
        for (int k = 0; k < repeat && status == 0; k++) {
            lsu_diag_list_free(&diags);
            free(pdf);
            double a = now_ms();
            if (lsu_render_pdf(r, items, n, &diags, &pdf, &len, &pages) != 0)
                status = 1;
            double d = now_ms() - a;
            best = d < best ? d : best;
        }
        if (status == 0) {
            if (lsu_write_file_atomic(out, (const char *)pdf, len) != 0) {
                fprintf(stderr, "render_demo: cannot write %s\n", out);
                status = 1;
            }
            printf("%zu bilans, %d pages, %zu bytes, renderer %.1f ms, render %.1f ms (%.3f ms/page)\n", n, pages, len,
                   t1 - t0, best, best / pages);
        }
        free(pdf);
    } else {
        size_t *sizes = calloc(n, sizeof *sizes);
        size_t with_font = 0, with_font_bytes = 0, plain_bytes = 0, total_pages = 0, plain_pages = 0;
        double total_ms = 0, plain_ms = 0;
        for (int k = 0; k < repeat && status == 0; k++) {
            with_font = with_font_bytes = plain_bytes = total_pages = plain_pages = 0;
            plain_ms = 0;
            lsu_diag_list_free(&diags);
            double a = now_ms();
            for (size_t i = 0; i < n; i++) {
                unsigned char *pdf = NULL;
                size_t len = 0;
                int pages = 0;
                double b = now_ms();
                int rc = lsu_render_pdf(r, &items[i], 1, &diags, &pdf, &len, &pages);
                double took = now_ms() - b;
                if (rc != 0) {
                    status = 1;
                    break;
                }
                sizes[i] = len;
                total_pages += (size_t)pages;
                if (memmem(pdf, len, "FontFile2", 9)) {
                    with_font++;
                    with_font_bytes += len;
                } else {
                    plain_bytes += len;
                    plain_ms += took;
                    plain_pages += (size_t)pages;
                }
                if (i == n - 1 && lsu_write_file_atomic(out, (const char *)pdf, len) != 0)
                    status = 1;
                free(pdf);
            }
            total_ms = now_ms() - a;
        }
        if (status == 0) {
            size_t plain = n - with_font;
            qsort(sizes, n, sizeof *sizes, cmp_size);
            printf("%zu bilans, %zu pages, %.1f ms: %.3f ms/bilan, %.3f ms/page (renderer made in %.1f ms)\n", n,
                   total_pages, total_ms, total_ms / (double)n, total_ms / (double)total_pages, t1 - t0);
            printf("without embedded font: %zu PDFs, mean %zu bytes, %.3f ms/bilan, %.3f ms/page\n", plain,
                   plain ? plain_bytes / plain : 0, plain ? plain_ms / (double)plain : 0,
                   plain_pages ? plain_ms / (double)plain_pages : 0);
            printf("with DejaVu embedded: %zu PDFs, mean %zu bytes, %.3f ms/bilan\n", with_font,
                   with_font ? with_font_bytes / with_font : 0,
                   with_font ? (total_ms - plain_ms) / (double)with_font : 0);
            printf("sizes: median %zu, max %zu bytes\n", sizes[n / 2], sizes[n - 1]);
        }
        free(sizes);
    }
    for (size_t i = 0; i < diags.len; i++) {
        const lsu_diag *d = &diags.items[i];
        printf("%s line %ld [%s, %s]: %s\n", lsu_code_lookup(d->code)->code, d->line, d->eleve ? d->eleve : "-",
               d->periode ? d->periode : "-", d->message);
    }
    lsu_diag_list_free(&diags);
    lsu_renderer_free(r);
    free(items);
    free(names);
    xmlFreeDoc(doc);
    xmlCleanupParser();
    return status;
}
