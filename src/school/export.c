/* Export to LSU (see export.h): the current locked bilans of the store,
 * grouped into files (one per class, or one), each file's references
 * rebuilt from its bilans' stored forms (docs/NORMALISED.md) with the ids
 * those forms name, the file made as a libxml2 tree in the LSU import
 * format, serialised, checked against the schema and written; when it is
 * not valid, each of its bilans is checked alone and those invalid left
 * out (STO004) before it is made again. */
#include "school/export.h"
#include "lsu.h"
#include "pdf/edit.h"
#include "pdf/package.h"
#include "school/export_int.h"
#include "school/school_int.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

/* ---- the bilans of the selection ---- */

/* One current bilan of the selection: the store's row and what the
 * export makes of it. */
typedef struct {
    school_stored_bilan s; /* without its xml, read when its file is made */
    size_t order;          /* its place in the reader's order */
    char *name;            /* its class's name (lsu_class_names) */
    char *group;           /* its file: its class's name, or "" for one file */
    char *eleve;           /* "NOM Prénom" */
    xmlDocPtr doc;         /* its stored form, while its file is made */
} export_row;

/* Frees n rows and the array. */
static void rows_free(export_row *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        school_stored_bilan_clear(&r[i].s);
        free(r[i].name);
        free(r[i].group);
        free(r[i].eleve);
        xmlFreeDoc(r[i].doc);
    }
    free(r);
}

/* Orders rows by file, then as the query gave them. */
static int cmp_rows(const void *pa, const void *pb)
{
    const export_row *a = pa, *b = pb;
    int c = strcmp(a->group, b->group);
    return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

/* Does the store key `bkey` (P:2024:2/3, C:2:2024) pass the period filter? */
static int period_selected(const lsu_export_options *o, const char *bkey)
{
    if (o->cycle)
        return bkey[0] == 'C';
    if (!o->periode)
        return 1;
    const char *colon = bkey[0] == 'P' ? strchr(bkey + 2, ':') : NULL;
    return colon && strtol(colon + 1, NULL, 10) == o->periode;
}

/* The names of the classes of every current bilan (as lsu edit --uai names
 * its zips).  NULL when the store cannot be read or memory ran out. */
static lsu_class_names *class_names(lsu_store *st)
{
    lsu_class_names *t = lsu_class_names_new();
    sqlite3_stmt *s =
        t ? lsu_store_prepare(st, "SELECT DISTINCT id_be, classe FROM bilans WHERE replaced_at IS NULL") : NULL;
    int rc = s ? 0 : -1, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = lsu_class_names_add(t, lsu_store_text(s, 0), NULL, lsu_store_text(s, 1));
    if (rc == 0)
        rc = step == SQLITE_DONE ? lsu_class_names_finish(t) : lsu_store_fail(st, "lecture des bilans impossible");
    sqlite3_finalize(s);
    if (rc != 0) {
        lsu_class_names_free(t);
        return NULL;
    }
    return t;
}

/* Reads the current bilans of the selection (without their XML) into *out,
 * sorted by file.  Returns their count, or -1. */
static long read_rows(lsu_store *st, const lsu_export_options *o, const lsu_class_names *names, export_row **out)
{
    *out = NULL;
    school_bilan_filter f = {
        .ines = o->ines, .nines = o->nines, .classe = o->classe, .classe_id = 1, .niveau = o->niveau};
    school_stored_bilan *b;
    size_t nb;
    if (school_current_bilans(st, &f, &b, &nb) != 0)
        return -1;
    export_row *r = nb ? calloc(nb, sizeof *r) : NULL;
    size_t n = 0;
    int ok = !nb || r;
    for (size_t i = 0; ok && i < nb; i++) {
        if (!period_selected(o, b[i].bkey))
            continue;
        export_row *x = &r[n];
        x->s = b[i]; /* the row takes its texts */
        memset(&b[i], 0, sizeof b[i]);
        x->order = n++;
        const char *name = lsu_class_names_get(names, x->s.id_be, NULL);
        x->name = name ? strdup(name) : lsu_safe_name_or(x->s.classe, x->s.id_be);
        x->group = strdup(o->all || !x->name ? "" : x->name);
        x->eleve = lsu_asprintf("%s%s%s", x->s.nom, *x->s.nom && *x->s.prenom ? " " : "", x->s.prenom);
        ok = x->name && x->group && x->eleve;
    }
    school_stored_bilans_free(b, nb);
    if (!ok) {
        free(st->error);
        st->error = lsu_asprintf("mémoire insuffisante");
        rows_free(r, n);
        return -1;
    }
    if (n)
        qsort(r, n, sizeof *r, cmp_rows);
    *out = r;
    return (long)n;
}

/* Parses the stored form of bilan `id` into *out (NULL when it is no
 * XML).  0, or -1 when the store could not give it (st->error): a bilan
 * the store failed to read is not an unreadable bilan, and the export
 * stops rather than leave it out.  (libxml2 running out of memory ends
 * the process: lsu_memory_setup.) */
static int read_xml(lsu_store *st, sqlite3_stmt *get, long long id, xmlDocPtr *out)
{
    *out = NULL;
    sqlite3_reset(get);
    sqlite3_bind_int64(get, 1, id);
    const unsigned char *xml = sqlite3_step(get) == SQLITE_ROW ? sqlite3_column_text(get, 0) : NULL;
    if (!xml)
        return lsu_store_fail(st, "lecture d'un bilan impossible");
    xmlDocPtr d = xmlReadMemory((const char *)xml, (int)strlen((const char *)xml), "bilan.xml", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (d && !xmlDocGetRootElement(d)) {
        xmlFreeDoc(d);
        d = NULL;
    }
    *out = d;
    return 0;
}

/* Appends the line of a bilan left out: why, and whose. */
static void note(lsu_buf *text, const char *store, const export_row *r, const char *why, const char *missing)
{
    lsu_buf_printf(text, "%s: non exporté : %s%s%s. (%s, %s, %s)\n", store, why,
                   missing ? " ; pour le verrouiller, il manque : " : "", missing ? missing : "", r->eleve, r->s.classe,
                   r->s.periode);
}

/* Keeps the first schema error of a validation. */
static void first_error(void *ctx, xmlErrorPtr e)
{
    char **msg = ctx;
    if (!*msg && e && e->message) {
        *msg = lsu_asprintf("ligne %d : %s", e->line, e->message);
        size_t len = *msg ? strlen(*msg) : 0;
        if (len && (*msg)[len - 1] == '\n')
            (*msg)[len - 1] = '\0';
    }
}

/* Checks serialised bytes against the schema: NULL when valid, else why
 * (owned). */
static char *schema_error(xmlSchemaPtr schema, const char *data, int len)
{
    xmlDocPtr d = xmlReadMemory(data, len, "export.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR);
    xmlSchemaValidCtxtPtr v = d ? xmlSchemaNewValidCtxt(schema) : NULL;
    char *msg = NULL;
    if (v) {
        xmlSchemaSetValidStructuredErrors(v, first_error, &msg);
        if (xmlSchemaValidateDoc(v, d) != 0 && !msg)
            msg = lsu_asprintf("non valide");
    } else {
        msg = lsu_asprintf("relecture impossible");
    }
    xmlSchemaFreeValidCtxt(v);
    xmlFreeDoc(d);
    return msg;
}

/* See export.h. */
char *lsu_export_file_name(const char *uai, const char *group, const lsu_export_options *o)
{
    char *level = !group && o->niveau ? lsu_safe_name_or(o->niveau, "niveau") : NULL;
    char *pupil = o->nines == 1 ? lsu_safe_name_or(o->ines[0], "eleve") : NULL;
    char pupils[32] = "";
    if (o->nines > 1)
        snprintf(pupils, sizeof pupils, "_%zu_eleves", o->nines);
    char period[32] = "";
    if (o->cycle)
        snprintf(period, sizeof period, "_cycle");
    else if (o->periode)
        snprintf(period, sizeof period, "_periode%d", o->periode);
    char *name = (group || level || !o->niveau) && (pupil || o->nines != 1)
                     ? lsu_asprintf("%s_%s%s%s%s%s.xml", uai,
                                    group   ? group
                                    : level ? level
                                            : "ecole",
                                    pupil ? "_" : "", pupil ? pupil : "", pupils, period)
                     : NULL;
    free(level);
    free(pupil);
    return name;
}

/* Appends a line for each pupil whose bilans among rows r[0..n) (those
 * with a doc) are in two classes: a file gives a pupil one class, the
 * first one, which LSU takes for all his bilans. */
static void note_two_classes(lsu_buf *text, const char *store, const export_row *r, size_t n)
{
    xmlHashTablePtr noted = NULL;
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr b = r[i].doc ? xmlDocGetRootElement(r[i].doc) : NULL;
        const char *ine = b ? lsu_attr_or_empty(b, "ine") : "";
        for (size_t j = 0; *ine && j < i; j++) {
            xmlNodePtr a = r[j].doc ? xmlDocGetRootElement(r[j].doc) : NULL;
            if (!a || strcmp(lsu_attr_or_empty(a, "ine"), ine) != 0)
                continue;
            if (strcmp(lsu_attr_or_empty(a, "id-be"), lsu_attr_or_empty(b, "id-be")) != 0 &&
                (noted || (noted = xmlHashCreate(16))) && !xmlHashLookup(noted, BAD_CAST ine) &&
                xmlHashAddEntry(noted, BAD_CAST ine, (void *)1) == 0)
                lsu_buf_printf(text,
                               "%s: l'élève %s (%s) a des bilans dans deux classes (%s, %s) : un fichier ne lui en "
                               "donne qu'une, %s, que LSU prendra pour tous ses bilans ; exportez une classe à la "
                               "fois (sans --all).\n",
                               store, r[i].eleve, ine, r[j].s.classe, r[i].s.classe, r[j].s.classe);
            break;
        }
    }
    if (noted)
        xmlHashFree(noted, NULL);
}

/* The serialised file of the rows r[0..n) that have a doc (`in` of
 * them), into *len bytes.  xmlFree it; NULL when memory ran out. */
static xmlChar *group_bytes(lsu_store *st, const lsu_school_identity *school, const export_row *r, size_t n, size_t in,
                            int *len)
{
    xmlNodePtr *bilans = calloc(in, sizeof(xmlNodePtr));
    const char **verrous = calloc(in, sizeof(const char *));
    for (size_t i = 0, k = 0; bilans && verrous && i < n; i++)
        if (r[i].doc && k < in) {
            bilans[k] = xmlDocGetRootElement(r[i].doc);
            verrous[k++] = r[i].s.locked_at;
        }
    xmlDocPtr doc = bilans && verrous ? school_export_doc(st->uai, school, bilans, verrous, in) : NULL;
    free(bilans);
    free(verrous);
    xmlChar *mem = NULL;
    *len = 0;
    if (doc)
        xmlDocDumpFormatMemoryEnc(doc, &mem, len, "UTF-8", 1);
    xmlFreeDoc(doc);
    return mem;
}

/* What makes serialised bytes invalid, in lsu check's words: the first
 * schema error (« XSD005 : Le texte de <appreciation> compte… »), with how
 * many others.  Caller frees; NULL when lsu check finds none (or memory
 * ran out). */
static char *schema_words(xmlSchemaPtr schema, const char *data, int len)
{
    lsu_file *f = lsu_file_new("bilan.xml");
    if (!f)
        return NULL;
    f->memory = data;
    f->memory_len = (size_t)len;
    lsu_options opt = {.max_size = LSU_DEFAULT_MAX_SIZE};
    lsu_runtime rt = {.schema = schema};
    if (lsu_parse(f, &opt) == LSU_GO_ON && lsu_detect(f) == LSU_GO_ON && lsu_index_build(f) == LSU_GO_ON)
        lsu_validate(f, &rt);
    lsu_diag_sort(&f->diags);
    const lsu_diag *first = NULL;
    size_t others = 0;
    for (size_t i = 0; i < f->diags.len; i++)
        if (lsu_code_is_schema(f->diags.items[i].code)) {
            if (first)
                others += 1 + f->diags.items[i].omitted;
            else
                first = &f->diags.items[i], others += first->omitted;
        }
    char *words = NULL;
    if (first) {
        size_t mlen = strlen(first->message);
        int dot = mlen && first->message[mlen - 1] == '.';
        char more[64] = "";
        if (others)
            snprintf(more, sizeof more, " (et %zu autre%s erreur%s de schéma)", others, others > 1 ? "s" : "",
                     others > 1 ? "s" : "");
        words = lsu_asprintf("%s : %.*s%s.", lsu_code_lookup(first->code)->code, (int)(mlen - (size_t)dot),
                             first->message, more);
    }
    lsu_file_free(f);
    return words;
}

/* Leaves out of their file the bilans among rows r[0..n) (those with a
 * doc) that are invalid against the schema on their own, each said by
 * STO004 with what is wrong.  Returns how many, or -1 when memory ran
 * out. */
static long leave_out_invalid(lsu_store *st, xmlSchemaPtr schema, const lsu_school_identity *school, export_row *r,
                              size_t n, lsu_buf *text)
{
    lsu_diag_list notes = {0};
    long bad = 0;
    for (size_t i = 0; i < n && bad >= 0; i++) {
        if (!r[i].doc)
            continue;
        int len = 0;
        xmlChar *mem = group_bytes(st, school, &r[i], 1, 1, &len);
        char *invalid = mem ? schema_error(schema, (const char *)mem, len) : NULL;
        char *words = invalid ? schema_words(schema, (const char *)mem, len) : NULL;
        if (!mem) {
            bad = -1;
        } else if (invalid) {
            lsu_subject subj = {.scope = SCOPE_BILAN,
                                .bilan_kind = r[i].s.bkey[0] == 'C' ? BILAN_CYCLE : BILAN_PERIODIQUE,
                                .ine = r[i].s.ine,
                                .eleve = r[i].eleve,
                                .classe = r[i].s.classe,
                                .periode = r[i].s.periode};
            if (words)
                lsu_diag_add(&notes, DIAG_STO004, 0, &subj,
                             "Non exporté : le bilan enregistré dans la base n'est pas conforme au schéma d'import "
                             "LSU. %s",
                             words);
            else
                lsu_diag_add(&notes, DIAG_STO004, 0, &subj,
                             "Non exporté : le bilan enregistré dans la base n'est pas conforme au schéma d'import "
                             "LSU (détail technique : %s).",
                             invalid);
            xmlFreeDoc(r[i].doc);
            r[i].doc = NULL;
            bad++;
        }
        free(words);
        free(invalid);
        xmlFree(mem);
    }
    const char *store = lsu_basename(st->path);
    for (size_t i = 0; i < notes.len; i++)
        lsu_diag_text(&notes.items[i], store, text);
    if (notes.oom)
        bad = -1;
    lsu_diag_list_free(&notes);
    return bad;
}

/* Makes, checks and writes the file of rows r[0..n) (one group); appends
 * its line.  0, or -1 (*error set). */
static int export_group(lsu_store *st, const lsu_export_options *o, const lsu_school_identity *school,
                        sqlite3_stmt *get, export_row *r, size_t n, const char *dir, lsu_export_counts *counts,
                        lsu_buf *text, char **error)
{
    const char *store = lsu_basename(st->path);
    size_t in = 0;
    for (size_t i = 0; i < n; i++) {
        xmlDocPtr d;
        if (read_xml(st, get, r[i].s.id, &d) != 0) {
            for (size_t j = 0; j < i; j++) {
                xmlFreeDoc(r[j].doc);
                r[j].doc = NULL;
            }
            return -1;
        }
        xmlNodePtr b = d ? xmlDocGetRootElement(d) : NULL;
        if (!r[i].s.locked_at) {
            lsu_buf missing = {0};
            int k = b ? lsu_bilan_missing(b, &missing) : 0;
            /* the words of LSU_REMEDY_LOCK: the command line names its
             * command there (lsu_export_counts.unlocked) */
            note(text, store, &r[i],
                 k > 0 && missing.data ? "le bilan n'est pas verrouillé dans la base"
                                       : "le bilan n'est pas verrouillé dans la base (verrouillez le bilan)",
                 k > 0 && missing.data ? missing.data : NULL);
            lsu_buf_free(&missing);
            counts->unlocked++;
            xmlFreeDoc(d);
        } else if (!b) {
            note(text, store, &r[i], "le bilan enregistré dans la base est illisible", NULL);
            counts->unreadable++;
        } else if (!lsu_child(lsu_child(b, "enseignants"), "enseignant") ||
                   !school_export_person_ok(lsu_child(lsu_child(b, "enseignants"), "enseignant"))) {
            note(text, store, &r[i], "le bilan ne nomme aucun enseignant (civilité, nom et prénom)", NULL);
            counts->skipped++;
            xmlFreeDoc(d);
        } else {
            r[i].doc = d;
            in++;
        }
    }
    if (!in)
        return 0;
    int len = 0;
    xmlChar *mem = group_bytes(st, school, r, n, in, &len);
    char *invalid = mem && o->schema ? schema_error(o->schema, (const char *)mem, len) : NULL;
    if (invalid) {
        /* leave out the bilans that make it invalid, then remake it */
        long bad = leave_out_invalid(st, o->schema, school, r, n, text);
        if (bad < 0) {
            *error = lsu_asprintf("mémoire insuffisante");
            free(invalid);
            xmlFree(mem);
            for (size_t i = 0; i < n; i++) {
                xmlFreeDoc(r[i].doc);
                r[i].doc = NULL;
            }
            return -1;
        }
        if (bad > 0) {
            counts->invalid += (size_t)bad;
            in -= (size_t)bad;
            free(invalid);
            invalid = NULL;
            xmlFree(mem);
            mem = in ? group_bytes(st, school, r, n, in, &len) : NULL;
            invalid = mem ? schema_error(o->schema, (const char *)mem, len) : NULL;
        }
    }
    if (!in)
        return 0;
    note_two_classes(text, store, r, n);
    /* one file for the selection: named by its class when it is one */
    char *name = mem ? lsu_export_file_name(st->uai, !o->all || o->classe ? r[0].name : NULL, o) : NULL;
    char *path = name ? lsu_asprintf("%s/%s", dir, name) : NULL;
    int rc = -1;
    if (!path)
        *error = lsu_asprintf("mémoire insuffisante");
    else if (invalid)
        *error = lsu_asprintf("%s ne serait pas conforme au schéma LSU (%s) : rien n'est écrit", path, invalid);
    else if (lsu_mkdir_p(dir) != 0)
        *error = lsu_asprintf("%s : dossier impossible à créer : %s", dir, lsu_strerror_fr(errno));
    else if (lsu_write_file_atomic_mode(path, (const char *)mem, (size_t)len, 0600) != 0)
        *error = lsu_asprintf("%s : écriture impossible : %s", path, lsu_strerror_fr(errno));
    else
        rc = 0;
    if (rc == 0) {
        counts->exported += in;
        counts->files++;
        lsu_buf_printf(text, "%s : %zu bilan%s\n", path, in, in > 1 ? "s" : "");
    }
    free(invalid);
    free(path);
    free(name);
    xmlFree(mem);
    for (size_t i = 0; i < n; i++) {
        xmlFreeDoc(r[i].doc);
        r[i].doc = NULL;
    }
    return rc;
}

/* Does `classe` name a class of the store (label or ONDE id, in the ONDE
 * classes or among the bilans)?  1, 0, or -1 (st->error). */
static int class_known(lsu_store *st, const char *classe)
{
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT 1 FROM classes WHERE libelle = ?1 OR id_be = ?1 UNION ALL "
                                            "SELECT 1 FROM bilans WHERE classe = ?1 OR id_be = ?1 LIMIT 1");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, classe, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : lsu_store_fail(st, "lecture des classes impossible");
}

/* Does `ine` name a pupil of the store (in the ONDE roster or among the
 * bilans)?  1, 0, or -1 (st->error). */
static int pupil_known(lsu_store *st, const char *ine)
{
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT 1 FROM pupils WHERE ine = ?1 UNION ALL "
                                            "SELECT 1 FROM bilans WHERE ine = ?1 LIMIT 1");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, ine, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : lsu_store_fail(st, "lecture des élèves impossible");
}

/* The INEs of o->ines that name no pupil of the store, into *unknown
 * (« A », « B »; caller frees; NULL when all are known).  0, or -1
 * (st->error, or memory). */
static int pupils_unknown(lsu_store *st, const lsu_export_options *o, char **unknown)
{
    *unknown = NULL;
    lsu_buf b = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < o->nines; i++) {
        int k = pupil_known(st, o->ines[i]);
        if (k < 0)
            rc = -1;
        else if (k == 0)
            lsu_buf_printf(&b, "%s« %s »", b.data ? ", " : "", o->ines[i]);
    }
    if (rc == 0 && b.failed)
        rc = lsu_store_fail(st, "mémoire insuffisante");
    if (rc != 0)
        lsu_buf_free(&b);
    else
        *unknown = b.data;
    return rc;
}

/* See export.h. */
int lsu_school_export(lsu_store *st, const lsu_export_options *o, const char *dir, lsu_export_counts *counts,
                      lsu_buf *text, char **error)
{
    memset(counts, 0, sizeof *counts);
    *error = NULL;
    if (lsu_store_exec(st, "BEGIN") != 0) /* one consistent view */
        return -1;
    lsu_school_identity school = {0};
    int rc = o->classe ? class_known(st, o->classe) : 1;
    if (rc == 0)
        rc = -2;
    else if (rc > 0 && (rc = pupils_unknown(st, o, error)) == 0 && *error)
        rc = -4;
    else if (rc == 0)
        rc = lsu_school_identity_read(st, &school);
    if (rc == 0 && !lsu_school_identity_has_directeur(&school)) {
        lsu_school_identity_free(&school);
        rc = -3;
    }
    if (rc != 0) {
        lsu_store_exec(st, "COMMIT");
        return rc;
    }
    lsu_class_names *names = class_names(st);
    export_row *r = NULL;
    long n = names ? read_rows(st, o, names, &r) : -1;
    sqlite3_stmt *get = n > 0 ? lsu_store_prepare(st, "SELECT xml FROM bilans WHERE id = ?") : NULL;
    rc = n < 0 || (n > 0 && !get) ? -1 : 0;
    counts->selected = n > 0 ? (size_t)n : 0;
    for (size_t i = 0; rc == 0 && i < counts->selected;) {
        size_t j = i + 1;
        while (j < counts->selected && strcmp(r[j].group, r[i].group) == 0)
            j++;
        rc = export_group(st, o, &school, get, r + i, j - i, dir, counts, text, error);
        i = j;
    }
    sqlite3_finalize(get);
    lsu_store_exec(st, "COMMIT");
    rows_free(r, counts->selected);
    lsu_class_names_free(names);
    lsu_school_identity_free(&school);
    return rc;
}
