/* libFuzzer target: the spreadsheet round trip's reader (lsu enter) on
 * arbitrary bytes.  The input is read as a filled template
 * (lsu_entry_csv_read); when it reads, it is checked against a fixed
 * class of three pupils with two éléments (lsu_entry_csv_check, no store)
 * and its refusals are listed; then the template of that class is
 * written with the input's first line as an élément and a pupil's name,
 * and read back, which must take it without a refusal.  Whatever the
 * input, everything returns and is freed (make fuzz-entry_csv). */
#include "school/entry_csv.h"

#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char bilans_xml[] =
    "<bilans><bilan-periodique><liste-acquis><acquis code=\"FRA-RAC\"><appreciation>Bien.</appreciation>"
    "<sous-domaine code=\"FRA-LGO\" positionnement=\"3\"/></acquis></liste-acquis>"
    "<appreciation-generale>Sérieuse.</appreciation-generale></bilan-periodique></bilans>";

/* The input's first line as valid UTF-8 without NUL (malformed bytes
 * become '?'), at most 200 bytes; caller frees. */
static char *first_line(const uint8_t *data, size_t size)
{
    lsu_buf b = {0};
    for (size_t i = 0; i < size && b.len < 200 && data[i] != '\n';) {
        size_t at = i;
        uint32_t cp = lsu_utf8_next(data, size, &i);
        char u[4];
        if (cp == 0 || cp == 0xFFFD || data[at] == '\r')
            lsu_buf_add(&b, "?", 1);
        else
            lsu_buf_add(&b, u, lsu_utf8_put(cp, u));
    }
    lsu_buf_add(&b, "", 0);
    return b.data;
}

/* One input; see the banner. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsu_entry_scope sc = {
        .id_be = "123456", .classe = "CE1 A", .cycle = 2, .millesime = 2024, .periode = "Trimestre 1"};
    lsu_entry_view v = {0};
    v.doc = xmlReadMemory(bilans_xml, (int)strlen(bilans_xml), "bilans.xml", NULL, 0);
    char *line = first_line(data, size);
    lsu_entry_pupil pupils[3] = {{"0708123467K", "DUPONT", "Marie", NULL, xmlDocGetRootElement(v.doc)->children},
                                 {"0708123468L", "DURAND", line ? line : "", NULL, NULL},
                                 {"0708123469M", "ÉLOI", "Zoé", "2025-01-12T10:00:00Z", NULL}};
    lsu_entry_element elements[2] = {{"FRA-LGO", "Écouter pour comprendre"}, {"FRA-LGO", line ? line : ""}};
    v.pupils = pupils;
    v.npupils = 3;
    v.elements = elements;
    v.nelements = line && *line ? 2 : 1;
    memcpy(v.state, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 65);

    lsu_entry_csv f;
    lsu_buf why = {0}, lines = {0};
    if (lsu_entry_csv_read("fuzz.csv", (const char *)data, size, &f) == 0 &&
        lsu_entry_csv_check(NULL, "0290347V", &sc, &v, &f, &why) == 0)
        lsu_entry_csv_refusals(&f, NULL, &lines);
    lsu_entry_csv_free(&f);

    lsu_buf out = {0};
    lsu_entry_template_options o = {
        .uai = "0290347V", .domain = size % 2 ? "FRA-RAC" : NULL, .windows1252 = size % 3 == 0};
    if (lsu_entry_template(&sc, &v, &o, &out, &why) == 0) {
        if (lsu_entry_csv_read("modele.csv", out.data, out.len, &f) == 0 &&
            lsu_entry_csv_check(NULL, "0290347V", &sc, &v, &f, &why) == 0 && f.nrefused > 0 && line &&
            lsu_utf8_length(line) <= LSU_ENTRY_ELEMENT_MAX)
            abort(); /* a template lsu wrote must read back without a refusal */
        lsu_entry_csv_free(&f);
    }
    lsu_buf_free(&out);
    lsu_buf_free(&why);
    lsu_buf_free(&lines);
    free(line);
    xmlFreeDoc(v.doc);
    return 0;
}
