/* libFuzzer target: the PDF and zip writers (lsu edit) with hostile
 * names and texts.  The input is cut at form feeds (\f) into a pupil's
 * last name, first name, class label, appréciation générale and options;
 * the four texts, made valid XML character data (malformed UTF-8 and the
 * controls XML 1.0 forbids become '?', the specials escaped; DEL, C1
 * controls and bidi marks stay), go into a small valid export (the
 * golden case valide-aucun-diagnostic cut down to one bilan), which runs
 * through the whole chain of lsu edit (lsu_job_run with .edit) into a
 * scratch folder, removed afterwards.  Options, one letter each: n by
 * level, e by school (else by class), w watermark, d duplex, g grayscale,
 * r one copy per guardian, h the reports too.  Set TMPDIR to a tmpfs
 * (/dev/shm) for speed. */
#include "base/util.h"
#include "fuzz_util.h"
#include "job/job.h"
#include "lsu.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The export, with @1@ to @4@ where the texts go. */
static const char template_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" schemaVersion=\"1.0\">\n"
    "  <entete>\n"
    "    <editeur>Éditions du Préau</editeur>\n"
    "    <application>Carnet d'École 4.1</application>\n"
    "    <etablissement>0291234K</etablissement>\n"
    "  </entete>\n"
    "  <donnees>\n"
    "    <directeurs>\n"
    "      <directeur id=\"DIR1\" civilite=\"MME\" nom=\"Guéguen\" prenom=\"Anne-Laure\"/>\n"
    "    </directeurs>\n"
    "    <classes>\n"
    "      <classe id=\"CL1\" id-be=\"482913\" libelle=\"@3@\"/>\n"
    "    </classes>\n"
    "    <eleves>\n"
    "      <eleve id=\"EL1\" ine=\"070812345AB\" classe-ref=\"CL1\" nom=\"@1@\" prenom=\"@2@\"/>\n"
    "    </eleves>\n"
    "    <periodes>\n"
    "      <periode id=\"P1\" millesime=\"2024\" indice=\"1\" nb-periodes=\"3\" date-debut=\"2024-09-02\" "
    "date-fin=\"2024-11-29\"/>\n"
    "    </periodes>\n"
    "    <enseignants>\n"
    "      <enseignant id=\"ENS1\" civilite=\"MME\" nom=\"Kerhervé\" prenom=\"Françoise\"/>\n"
    "    </enseignants>\n"
    "    <elements-programme>\n"
    "      <element-programme id=\"EP1\" libelle=\"Lire et comprendre un texte adapté à la maturité de "
    "l'élève.\"/>\n"
    "      <element-programme id=\"EP2\" libelle=\"Calculer avec des nombres entiers : additions et "
    "soustractions.\"/>\n"
    "    </elements-programme>\n"
    "    <bilans-periodiques>\n"
    "      <bilan-periodique eleve-ref=\"EL1\" periode-ref=\"P1\" enseignant-refs=\"ENS1\" "
    "date-creation=\"2024-11-25\" date-scolarite=\"2024-09-02\" date-verrou=\"2024-11-28T17:30:00\" "
    "directeur-ref=\"DIR1\">\n"
    "        <liste-acquis>\n"
    "          <acquis code-domaine=\"FRA-RAC\">\n"
    "            <appreciation>@4@</appreciation>\n"
    "            <sous-domaines>\n"
    "              <sous-domaine code-domaine=\"FRA-LEC\" element-programme-refs=\"EP1\" positionnement=\"3\"/>\n"
    "            </sous-domaines>\n"
    "          </acquis>\n"
    "          <acquis code-domaine=\"MAT-RAC\">\n"
    "            <sous-domaines>\n"
    "              <sous-domaine code-domaine=\"MAT-NBC\" element-programme-refs=\"EP2\" positionnement=\"4\"/>\n"
    "            </sous-domaines>\n"
    "          </acquis>\n"
    "          <acquis code-domaine=\"QLM-RAC\">\n"
    "            <appreciation>Très curieuse lors de l'élevage des escargots.</appreciation>\n"
    "          </acquis>\n"
    "        </liste-acquis>\n"
    "        <appreciation-generale>@4@</appreciation-generale>\n"
    "      </bilan-periodique>\n"
    "    </bilans-periodiques>\n"
    "  </donnees>\n"
    "</lsun-bilans>\n";

static lsu_runtime rt;
static int ready;

/* Appends s as XML character data (see the banner). */
static void xml_text(lsu_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = lsu_utf8_decode(p + i, n - i, &cp);
        if (len == 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF) {
            lsu_buf_puts(b, "?");
            i += len ? len : 1;
            continue;
        }
        switch (cp) {
        case '&': lsu_buf_puts(b, "&amp;"); break;
        case '<': lsu_buf_puts(b, "&lt;"); break;
        case '>': lsu_buf_puts(b, "&gt;"); break;
        case '"': lsu_buf_puts(b, "&quot;"); break;
        default: lsu_buf_add(b, s + i, len);
        }
        i += len;
    }
}

/* The template with its @k@ replaced by texts[k - 1]. */
static void fill(lsu_buf *b, char *const *texts)
{
    for (const char *p = template_xml; *p;) {
        if (p[0] == '@' && p[1] >= '1' && p[1] <= '4' && p[2] == '@') {
            xml_text(b, texts[p[1] - '1']);
            p += 3;
        } else {
            lsu_buf_add(b, p, 1);
            p++;
        }
    }
}

/* Runs one input; see the banner. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        if (lsu_runtime_init(&rt) != 0)
            abort();
        ready = 1;
    }
    char *block, *parts[5], dir[4096];
    if (size > 16384 || fuzz_split(data, size, '\f', &block, parts, 5) == 0)
        return 0;
    const char *o = parts[4];
    lsu_buf xml = {0};
    fill(&xml, parts);
    if (xml.failed || fuzz_tempdir(dir, sizeof dir) != 0) {
        lsu_buf_free(&xml);
        free(block);
        return 0;
    }
    lsu_job_options jo = {.output_dir = dir,
                          .write_reports = strchr(o, 'h') != NULL,
                          .edit = 1,
                          .quiet = 0,
                          .release_normalised = 1,
                          .opt = {.max_size = LSU_DEFAULT_MAX_SIZE},
                          .edit_opt = {.by = strchr(o, 'e')   ? EDIT_BY_SCHOOL
                                             : strchr(o, 'n') ? EDIT_BY_LEVEL
                                                              : EDIT_BY_CLASS},
                          .render = {.watermark = strchr(o, 'w') != NULL,
                                     .duplex = strchr(o, 'd') != NULL,
                                     .per_guardian = strchr(o, 'r') != NULL,
                                     .grayscale = strchr(o, 'g') != NULL}};
    lsu_file *f = lsu_file_new("fuzz.xml");
    if (f) {
        f->memory = xml.data;
        f->memory_len = xml.len;
        lsu_buf text = {0};
        lsu_job_result res;
        lsu_job_run(f, &rt, &jo, "fuzz", &text, NULL, &res);
        lsu_buf_free(&text);
        lsu_file_free(f);
    }
    lsu_remove_tree(dir);
    lsu_buf_free(&xml);
    free(block);
    return 0;
}
