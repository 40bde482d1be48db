/* Éditer from the school's store (see store_edit.h): the stored bilans of
 * each class of a zip become a normalised document that the edit stage of
 * the file-based `lsu edit` renders and packs into the zip, open from one
 * class to the next. */
#include "school/store_edit.h"
#include "base/text.h"
#include "pdf/package.h"
#include "report/report.h"
#include "school/identity.h"
#include "school/school_int.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* One current bilan of the selection: the store's row (its XML is read
 * only when its zip is built) and what the edition makes of it. */
typedef struct {
    school_stored_bilan s;
    char *group;       /* the zip it goes to, named as edit.c names it */
    char *classe_safe; /* its class's name (lsu_class_names), by which edit.c orders a zip */
    char *key;         /* its place in the normalised order (see below) */
    char *eleve;       /* "NOM Prénom" */
} stored_bilan;

/* The sort key of a stored bilan in the normalised order
 * (lsu_bilan_order_key; the tie-break is the store's id).  `bkey` is the
 * store key: P:millesime:indice/nb or C:cycle:millesime.  Caller frees;
 * NULL when memory ran out. */
static char *sort_key(const char *classe, const char *nom, const char *prenom, const char *ine, const char *bkey,
                      long long id)
{
    lsu_order_fields o = {
        .classe = classe, .nom = nom, .prenom = prenom, .ine = ine, .periodique = bkey[0] == 'P', .tiebreak = id};
    if (o.periodique) {
        const char *slash = strchr(bkey + 2, ':');
        o.millesime = bkey + 2;
        o.millesime_len = slash ? (size_t)(slash - o.millesime) : 0;
        o.indice = slash ? strtol(slash + 1, NULL, 10) : 0;
    } else {
        const char *colon;
        o.cycle = bkey + (bkey[0] ? 2 : 0);
        colon = strchr(o.cycle, ':');
        o.cycle_len = colon ? (size_t)(colon - o.cycle) : strlen(o.cycle);
    }
    return lsu_bilan_order_key(&o);
}

/* Frees the strings of n stored bilans and the array. */
static void free_bilans(stored_bilan *b, size_t n)
{
    for (size_t i = 0; b && i < n; i++) {
        school_stored_bilan_clear(&b[i].s);
        free(b[i].group);
        free(b[i].classe_safe);
        free(b[i].key);
        free(b[i].eleve);
    }
    free(b);
}

/* Orders the stored bilans of one zip by class, as edit.c writes the
 * classes of a zip, then in the normalised order. */
static int cmp_class_then_key(const void *pa, const void *pb)
{
    const stored_bilan *a = pa, *b = pb;
    int c = strcmp(a->classe_safe, b->classe_safe);
    return c ? c : strcmp(a->key, b->key);
}

/* Orders stored bilans by zip, then in the normalised order. */
static int cmp_bilans(const void *pa, const void *pb)
{
    const stored_bilan *a = pa, *b = pb;
    int c = strcmp(a->group, b->group);
    return c ? c : strcmp(a->key, b->key);
}

/* The names of the classes of every current bilan of st, whatever the
 * selection (see lsu_class_names: edit.c names a file's classes from all
 * its bilans).  NULL (st->error set) when the store cannot be read or
 * memory ran out. */
static lsu_class_names *store_class_names(lsu_store *st)
{
    lsu_class_names *t = lsu_class_names_new();
    sqlite3_stmt *s =
        t ? lsu_store_prepare(st, "SELECT DISTINCT id_be, classe FROM bilans WHERE replaced_at IS NULL") : NULL;
    int rc = s ? 0 : -1, oom = !t, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = oom = lsu_class_names_add(t, lsu_store_text(s, 0), NULL, lsu_store_text(s, 1)) != 0;
    if (rc == 0 && step != SQLITE_DONE)
        rc = lsu_store_fail(st, "lecture des bilans impossible");
    else if (rc == 0)
        rc = oom = lsu_class_names_finish(t) != 0;
    if (oom) {
        free(st->error);
        st->error = lsu_asprintf("mémoire insuffisante");
    }
    sqlite3_finalize(s);
    if (rc != 0) {
        lsu_class_names_free(t);
        return NULL;
    }
    return t;
}

/* The name of a stored bilan's class (the safe form of its label when the
 * table does not hold it).  Caller frees; NULL when memory ran out. */
static char *class_name_of(const lsu_class_names *names, const char *id_be, const char *classe)
{
    const char *name = lsu_class_names_get(names, id_be, NULL);
    return name ? strdup(name) : lsu_safe_name_or(classe, id_be);
}

/* Reads the current bilans of the selection (without their XML) into *out,
 * sorted by zip and in the normalised order, their classes named from
 * `names`.  Returns their count, or -1 (st->error set, or memory). */
static long read_selection(lsu_store *st, const lsu_store_edit_options *o, const lsu_class_names *names,
                           stored_bilan **out)
{
    *out = NULL;
    school_bilan_filter f = {
        .ines = &o->sel.ine, .nines = o->sel.ine != NULL, .classe = o->sel.classe, .niveau = o->sel.niveau};
    school_stored_bilan *sb;
    size_t n;
    if (school_current_bilans(st, &f, &sb, &n) != 0)
        return -1;
    stored_bilan *b = n ? calloc(n, sizeof *b) : NULL;
    int ok = !n || b;
    for (size_t i = 0; ok && i < n; i++) {
        stored_bilan *x = &b[i];
        x->s = sb[i]; /* the row takes its texts */
        memset(&sb[i], 0, sizeof sb[i]);
        x->classe_safe = class_name_of(names, x->s.id_be, x->s.classe);
        if (o->by == EDIT_BY_CLASS)
            x->group = lsu_strdup_or_null(x->classe_safe);
        else if (o->by == EDIT_BY_LEVEL)
            x->group = lsu_safe_name_or(x->s.niveau, "sans_niveau");
        else
            x->group = lsu_asprintf("ecole_%s", st->uai);
        x->key = sort_key(x->s.classe, x->s.nom, x->s.prenom, x->s.ine, x->s.bkey, x->s.id);
        x->eleve = lsu_asprintf("%s%s%s", x->s.nom, *x->s.nom && *x->s.prenom ? " " : "", x->s.prenom);
        ok = x->group && x->classe_safe && x->key && x->eleve;
    }
    school_stored_bilans_free(sb, n);
    if (!ok) {
        free(st->error);
        st->error = lsu_asprintf("mémoire insuffisante");
        free_bilans(b, n);
        return -1;
    }
    if (n)
        qsort(b, n, sizeof *b, cmp_bilans);
    *out = b;
    return (long)n;
}

/* The stored form of bilan `id`, parsed; NULL when it cannot be read
 * (caller frees the document). */
static xmlDocPtr read_bilan(sqlite3_stmt *get, long long id)
{
    sqlite3_reset(get);
    sqlite3_bind_int64(get, 1, id);
    if (sqlite3_step(get) != SQLITE_ROW)
        return NULL;
    const char *xml = lsu_store_text(get, 0);
    xmlDocPtr d = xmlReadMemory(xml, (int)strlen(xml), "bilan.xml", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (d && !xmlDocGetRootElement(d)) {
        xmlFreeDoc(d);
        d = NULL;
    }
    return d;
}

/* The diagnostic subject of a stored bilan (borrowed strings). */
static void subject_of(const stored_bilan *b, lsu_subject *subj)
{
    memset(subj, 0, sizeof *subj);
    subj->scope = SCOPE_BILAN;
    subj->bilan_kind = b->s.cycle ? BILAN_CYCLE : BILAN_PERIODIQUE;
    subj->ine = b->s.ine;
    subj->eleve = b->eleve;
    subj->classe = b->s.classe;
    subj->periode = b->s.periode;
}

/* Records STO003 for a bilan that is not locked, with what it lacks to be
 * locked when it is incomplete. */
static void note_unlocked(lsu_diag_list *notes, sqlite3_stmt *get, const stored_bilan *b)
{
    lsu_subject subj;
    subject_of(b, &subj);
    xmlDocPtr d = read_bilan(get, b->s.id);
    lsu_buf missing = {0};
    int n = d ? lsu_bilan_missing(xmlDocGetRootElement(d), &missing) : 0;
    xmlFreeDoc(d);
    if (n > 0 && missing.data)
        lsu_diag_add(notes, DIAG_STO003, 0, &subj,
                     "Pas de PDF : le bilan n'est pas verrouillé dans la base ; pour le verrouiller, il manque : %s.",
                     missing.data);
    else
        lsu_diag_add(notes, DIAG_STO003, 0, &subj,
                     "Pas de PDF : le bilan n'est pas verrouillé dans la base (verrouillez le bilan).");
    lsu_buf_free(&missing);
}

/* Builds f's normalised tree and index from the locked bilans
 * b[0..n) of one zip (the unlocked ones are skipped, but for a test print),
 * in their order: each bilan's stored form with its index and, as
 * date-verrou, the date of its lock in the store (none when unlocked).  A bilan that cannot be read gets INT001 in
 * `notes`. Returns the number of bilans put in, or -1 when memory ran out. */
static long build_document(lsu_file *f, sqlite3_stmt *get, const stored_bilan *b, size_t n, int test_print,
                           lsu_diag_list *notes, size_t *unreadable)
{
    lsu_index *ix = &f->index;
    f->norm = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = f->norm ? xmlNewDocNode(f->norm, NULL, BAD_CAST "lsu-normalise", NULL) : NULL;
    if (!root)
        return -1;
    xmlDocSetRootElement(f->norm, root);
    xmlNewProp(root, BAD_CAST "version", BAD_CAST "1");
    xmlNewProp(root, BAD_CAST "uai", BAD_CAST f->uai);
    xmlNodePtr lists[2] = {xmlNewChild(root, NULL, BAD_CAST "bilans-periodiques", NULL),
                           xmlNewChild(root, NULL, BAD_CAST "bilans-cycle", NULL)};
    ix->bilans = calloc(n + 1, sizeof *ix->bilans);
    ix->periodiques = calloc(n + 1, sizeof(lsu_bilan *));
    ix->cycles = calloc(n + 1, sizeof(lsu_bilan *));
    if (!lists[0] || !lists[1] || !ix->bilans || !ix->periodiques || !ix->cycles)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!b[i].s.locked_at && !test_print)
            continue;
        xmlDocPtr d = read_bilan(get, b[i].s.id);
        xmlNodePtr node = d ? xmlDocCopyNode(xmlDocGetRootElement(d), f->norm, 1) : NULL;
        xmlFreeDoc(d);
        /* the pupil's date of birth, when ONDE gave it (the head prints it) */
        const char *born = node ? lsu_store_text(get, 1) : "";
        if (node && *born && !xmlSetProp(node, BAD_CAST "date-naissance", BAD_CAST born)) {
            xmlFreeNode(node);
            return -1;
        }
        if (!node) {
            lsu_subject subj;
            subject_of(&b[i], &subj);
            lsu_diag_add(notes, DIAG_INT001, 0, &subj, "Le bilan enregistré dans la base est illisible : pas de PDF.");
            ++*unreadable;
            continue;
        }
        xmlAddChild(lists[b[i].s.cycle], node);
        lsu_bilan *x = &ix->bilans[ix->bilan_count++];
        x->kind = b[i].s.cycle ? BILAN_CYCLE : BILAN_PERIODIQUE;
        x->index = (int)(b[i].s.cycle ? ++ix->cycle_count : ++ix->periodique_count);
        if (b[i].s.cycle)
            ix->cycles[x->index - 1] = x;
        else
            ix->periodiques[x->index - 1] = x;
        char number[24], verrou[24];
        snprintf(number, sizeof number, "%d", x->index);
        snprintf(verrou, sizeof verrou, "%.19s", b[i].s.locked_at ? b[i].s.locked_at : ""); /* 2025-06-30T09:00:00 */
        if (!*verrou)
            xmlUnsetProp(node, BAD_CAST "date-verrou"); /* a test print: the file's date is not a lock in the store */
        if (!xmlSetProp(node, BAD_CAST "index", BAD_CAST number) ||
            (*verrou && !xmlSetProp(node, BAD_CAST "date-verrou", BAD_CAST verrou)))
            return -1;
        x->node = node;
        /* the index owns its strings (lsu_index_free frees them) */
        x->eleve_id = lsu_strdup_or_null(lsu_attr(node, "eleve-id"));
        x->ine = lsu_strdup_or_null(lsu_attr(node, "ine"));
        x->nom = lsu_strdup_or_null(lsu_attr(node, "nom"));
        x->prenom = lsu_strdup_or_null(lsu_attr(node, "prenom"));
        x->classe_id = lsu_strdup_or_null(lsu_attr(node, "classe-id"));
        x->classe_libelle = lsu_strdup_or_null(lsu_attr(node, "classe"));
        x->eleve = strdup(b[i].eleve);
        x->periode = strdup(b[i].s.periode);
        if (!x->eleve || !x->periode)
            return -1;
    }
    return (long)ix->bilan_count;
}

/* Appends every diagnostic of a list as a stderr line. */
static void notes_text(const lsu_diag_list *l, const char *path, lsu_buf *text)
{
    for (size_t i = 0; i < l->len; i++)
        lsu_diag_text(&l->items[i], path, text);
}

/* The date of a zip's PDFs and entries, as lsu_edit_date gives it for a
 * document of the locked bilans b[0..n). */
static time_t group_date(const stored_bilan *b, size_t n)
{
    long latest = -1;
    for (size_t i = 0; i < n; i++)
        lsu_edit_latest_day(&latest, b[i].s.locked_at);
    return lsu_edit_date_for(latest);
}

/* Edits the locked bilans b[0..n) of one class into the open session: their
 * document is built, edited and freed.  Its diagnostics go to `texts`
 * (unreadable bilans to `notes`).  Returns 0, or -1 (*error set). */
static int edit_class(lsu_store *st, lsu_edit_session *session, sqlite3_stmt *get, const stored_bilan *b, size_t n,
                      int test_print, lsu_diag_list *notes, lsu_store_edit_counts *counts, lsu_buf *texts, char **error)
{
    lsu_file *f = lsu_file_new(st->path);
    long built = -1;
    if (f) {
        f->uai = st->uai;
        built = build_document(f, get, b, n, test_print, notes, &counts->unreadable);
    }
    int rc = 0;
    lsu_report r;
    if (built < 0 || notes->oom) {
        *error = lsu_asprintf("mémoire insuffisante");
        rc = -1;
    } else if (built > 0) {
        if (lsu_report_build(&r, f) != 0) {
            *error = lsu_asprintf("mémoire insuffisante");
            rc = -1;
        } else {
            rc = lsu_edit_add(session, f, error);
            lsu_report_free(&r);
        }
    }
    if (f)
        notes_text(&f->diags, lsu_basename(st->path), texts);
    lsu_file_free(f);
    return rc;
}

/* The locked bilans edited so far and their total, for o->progress. */
typedef struct {
    size_t done, total;
} edit_progress;

/* Tells o->progress that `more` locked bilans were edited; 1 when it asks
 * to stop (*error set), else 0. */
static int progress_step(const lsu_store_edit_options *o, edit_progress *pr, size_t more, char **error)
{
    pr->done += more;
    if (!o->progress || o->progress(pr->done, pr->total, o->progress_ctx) == 0)
        return 0;
    if (!*error)
        *error = lsu_asprintf("édition interrompue");
    return 1;
}

/* Edits the bilans b[0..n) of one zip: notes for the unlocked ones, then
 * the locked ones class by class (edit_class), so that memory holds one
 * class's document whatever the zip holds.  Returns 0, or -1 (*error
 * set).  b is reordered by class. */
static int edit_group(lsu_store *st, const lsu_store_edit_options *o, const lsu_render_school *school,
                      const lsu_class_names *names, sqlite3_stmt *get, stored_bilan *b, size_t n, const char *dir,
                      lsu_store_edit_counts *counts, edit_progress *pr, lsu_buf *text, char **error)
{
    lsu_diag_list notes = {0};
    size_t locked = 0;
    for (size_t i = 0; i < n; i++) {
        if (!b[i].s.locked_at && !o->render.test_print)
            note_unlocked(&notes, get, &b[i]);
        else
            locked++; /* or printed for a test print */
    }
    counts->unlocked += notes.len;
    int rc = 0;
    lsu_buf texts = {0}; /* the documents' diagnostics, written after the notes */
    if (locked > 0) {
        qsort(b, n, sizeof *b, cmp_class_then_key);
        lsu_render_options ro = o->render;
        ro.date = group_date(b, n);
        lsu_renderer *renderer = lsu_renderer_new(&ro, error);
        lsu_edit_options eo = {.by = o->by, .school = school};
        lsu_edit_session *session = renderer ? lsu_edit_begin(renderer, &eo, dir, st->uai, ro.date, error) : NULL;
        rc = session ? 0 : -1;
        if (session)
            lsu_edit_set_class_names(session, names);
        for (size_t i = 0; rc == 0 && i < n;) {
            size_t j = i + 1;
            while (j < n && strcmp(b[j].classe_safe, b[i].classe_safe) == 0)
                j++;
            rc = edit_class(st, session, get, b + i, j - i, o->render.test_print, &notes, counts, &texts, error);
            size_t edited = 0;
            for (size_t k = i; k < j; k++)
                edited += b[k].s.locked_at != NULL || o->render.test_print;
            if (rc == 0 && progress_step(o, pr, edited, error))
                rc = -1;
            i = j;
        }
        lsu_edit_counts c = {0};
        if (session && lsu_edit_end(session, &c, error) != 0)
            rc = -1;
        counts->edited.bilans += c.bilans;
        counts->edited.excluded += c.excluded;
        counts->edited.pdfs += c.pdfs;
        counts->edited.zips += c.zips;
        counts->edited.bytes += c.bytes;
        lsu_renderer_free(renderer);
    }
    notes_text(&notes, lsu_basename(st->path), text); /* 0290347V.sqlite, as a file's name */
    lsu_buf_puts(text, texts.data ? texts.data : "");
    lsu_buf_free(&texts);
    lsu_diag_list_free(&notes);
    lsu_memory_release();
    return rc;
}

/* See store_edit.h. */
int lsu_store_edit(lsu_store *st, const lsu_store_edit_options *o, const char *dir, lsu_store_edit_counts *counts,
                   lsu_buf *text, char **error)
{
    memset(counts, 0, sizeof *counts);
    *error = NULL;
    if (lsu_store_exec(st, "BEGIN") != 0) /* a read transaction: one consistent view, no writer waits */
        return -1;
    stored_bilan *b = NULL;
    lsu_school_identity id;
    if (lsu_school_identity_read(st, &id) != 0) {
        lsu_store_exec(st, "COMMIT");
        return -1;
    }
    lsu_render_school rs = {id.nom, id.adresse, id.code_postal, id.commune};
    const lsu_render_school *school = *id.nom ? &rs : NULL;
    lsu_class_names *names = store_class_names(st);
    long n = names ? read_selection(st, o, names, &b) : -1;
    sqlite3_stmt *get =
        n >= 0 ? lsu_store_prepare(
                     st,
                     "SELECT xml, (SELECT date_naissance FROM pupils p WHERE p.ine = b.ine) FROM bilans b WHERE id = ?")
               : NULL;
    int rc = get ? 0 : -1;
    counts->selected = n > 0 ? (size_t)n : 0;
    edit_progress pr = {0};
    for (size_t i = 0; i < counts->selected; i++)
        pr.total += b[i].s.locked_at != NULL || o->render.test_print;
    if (rc == 0 && progress_step(o, &pr, 0, error))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < counts->selected;) {
        size_t j = i + 1;
        while (j < counts->selected && strcmp(b[j].group, b[i].group) == 0)
            j++;
        rc = edit_group(st, o, school, names, get, b + i, j - i, dir, counts, &pr, text, error);
        i = j;
    }
    sqlite3_finalize(get);
    lsu_store_exec(st, "COMMIT");
    free_bilans(b, counts->selected);
    lsu_class_names_free(names);
    lsu_school_identity_free(&id);
    return rc;
}
