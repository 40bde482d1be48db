/* The teachers' entry, applied: a list of changes checked with the
 * import's rules and written to the bilans of a class and period in one
 * transaction, the missing bilans born first (see entry.h). */
#include "base/text.h"
#include "school/entry_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One bilan of the scope as the changes make it. */
typedef struct {
    entry_pupil *p;
    xmlDocPtr doc;
    xmlNodePtr b;
    char *before; /* its saved form before the changes (the born form for a new bilan) */
    int born;
    int skipped; /* locked, a collective change went past it */
    char *after; /* its saved form after the changes, once settle made it */
    int same;    /* after is the same content as before */
} work_bilan;

/* Everything one apply works on. */
typedef struct {
    lsu_store *st;
    const lsu_entry_scope *sc;
    entry_pupil *roster;
    size_t npupils;
    work_bilan *w;
    lsu_entry_element *el; /* the class's éléments, sorted by domain, each domain's in order */
    size_t nel, capel;
    char *parcours[3];
    int class_changed;
    lsu_buf class_diff;
    lsu_entry_result *res;
    int oom;
} apply_ctx;

/* Records the refusal of change i, printf-style. */
static void refuse(apply_ctx *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(apply_ctx *c, size_t i, const char *fmt, ...)
{
    lsu_entry_result *r = c->res;
    lsu_entry_refusal *grown = realloc(r->refused, (r->nrefused + 1) * sizeof *grown);
    va_list ap;
    va_start(ap, fmt);
    char *why = lsu_vasprintf(fmt, ap);
    va_end(ap);
    if (!grown || !why) {
        free(why);
        if (grown)
            r->refused = grown;
        c->oom = 1;
        return;
    }
    r->refused = grown;
    r->refused[r->nrefused].index = i;
    r->refused[r->nrefused].why = why;
    memset(&r->refused[r->nrefused].remedy, 0, sizeof r->refused[r->nrefused].remedy);
    r->nrefused++;
}

/* The cleaned text of a change (lsu_text_normalise) into out, checked:
 * valid UTF-8, at most max code points, and not blank when `label` (an
 * élément's) or when the text given was not empty.  Returns 0, or 1 with
 * the change refused. */
static int clean_text(apply_ctx *c, size_t i, const char *text, size_t max, int label, lsu_buf *out)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)s);
    for (size_t k = 0; k < n;) {
        uint32_t cp;
        size_t len = lsu_utf8_decode(s + k, n - k, &cp);
        if (!len) {
            refuse(c, i, "texte illisible : octet 0x%02X hors UTF-8 au caractère %zu", s[k],
                   lsu_utf8_length((const char *)s) ? k + 1 : 1);
            return 1;
        }
        k += len;
    }
    out->len = 0;
    if (label) {
        /* a label is an attribute of the format: its line breaks and tabs
         * are spaces, as an XML parser makes them (CRLF one space) */
        lsu_buf flat = {0};
        lsu_buf_add(&flat, "", 0);
        for (size_t k = 0; k < n; k++) {
            if (s[k] == '\r' && s[k + 1] == '\n')
                continue;
            lsu_buf_add(&flat, s[k] == '\r' || s[k] == '\n' || s[k] == '\t' ? " " : (const char *)s + k, 1);
        }
        lsu_text_normalise(flat.data ? flat.data : "", out);
        out->failed |= flat.failed;
        lsu_buf_free(&flat);
    } else {
        lsu_text_normalise((const char *)s, out);
    }
    if (out->failed) {
        c->oom = 1;
        return 1;
    }
    if (!out->data)
        lsu_buf_add(out, "", 0);
    if ((label || n) && !out->data[0]) {
        refuse(c, i,
               label ? "libellé vide : un élément du programme a un texte"
                     : "texte fait seulement de blancs (un texte vide efface)");
        return 1;
    }
    size_t cps = lsu_utf8_length(out->data);
    if (cps > max) {
        refuse(c, i, "%zu caractères pour %zu au plus", cps, max);
        return 1;
    }
    return 0;
}

/* The bilan of pupil `ine` for change i, refused when the pupil is not of
 * the class or the bilan is locked; NULL then. */
static work_bilan *pupil_bilan(apply_ctx *c, size_t i, const char *ine)
{
    for (size_t k = 0; k < c->npupils; k++) {
        if (strcmp(c->roster[k].ine, ine) != 0)
            continue;
        if (c->roster[k].locked_at) {
            char iso[11], day[11];
            snprintf(iso, sizeof iso, "%.10s", c->roster[k].locked_at);
            lsu_date_fr_from_iso(iso, day);
            size_t before = c->res->nrefused;
            refuse(c, i, "bilan verrouillé le %s (%s %s) : %s pour le modifier", day, c->roster[k].nom,
                   c->roster[k].prenom, lsu_remedy_words(LSU_REMEDY_UNLOCK));
            if (c->res->nrefused > before)
                lsu_remedy_set(&c->res->refused[before].remedy, LSU_REMEDY_UNLOCK, c->st->uai, c->sc->classe, ine);
            return NULL;
        }
        return &c->w[k];
    }
    sqlite3_stmt *s = lsu_store_prepare(c->st, "SELECT p.nom, p.prenom, coalesce(c.libelle, p.classe_id_be) FROM "
                                               "pupils p LEFT JOIN classes c ON c.id_be = p.classe_id_be WHERE "
                                               "p.ine = ?");
    if (s) {
        sqlite3_bind_text(s, 1, ine, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            refuse(c, i, "l'élève %s %s (%s) est dans la classe %s, pas dans la classe %s", lsu_store_text(s, 0),
                   lsu_store_text(s, 1), ine, lsu_store_text(s, 2), c->sc->classe);
        else
            refuse(c, i, "élève inconnu dans la classe %s : INE %s", c->sc->classe, ine);
    } else {
        c->oom = 1;
    }
    sqlite3_finalize(s);
    return NULL;
}

/* The domain of change i: known, taught in `cycle`, and, when `entries`,
 * one that takes positionnement and éléments itself (no sub-domains in
 * that cycle); NULL with the change refused otherwise. */
static const lsu_domain *check_domain(apply_ctx *c, size_t i, const char *code, int cycle, int entries)
{
    const lsu_domain *d = lsu_domain_find(code);
    if (!d) {
        refuse(c, i, "domaine inconnu : « %s »", code ? code : "");
        return NULL;
    }
    if (d->legacy) {
        refuse(c, i, "%s (%s) : sous-domaine des programmes d'avant 2017, qui ne se saisit plus", d->label, d->code);
        return NULL;
    }
    if (!entry_domain_in_cycle(d, cycle)) {
        refuse(c, i, "%s (%s) n'est pas enseigné au cycle %d", d->label, d->code, cycle);
        return NULL;
    }
    if (entries && !entry_domain_takes_entries(d, cycle)) {
        lsu_buf subs = {0};
        const lsu_domain *s;
        for (size_t k = 0; (s = lsu_domain_at(k)) != NULL; k++)
            if (s->parent && !s->legacy && strcmp(s->parent, d->code) == 0 && entry_domain_in_cycle(s, cycle))
                lsu_buf_printf(&subs, "%s%s", subs.len ? ", " : "", s->code);
        refuse(c, i, "%s (%s) se renseigne par sous-domaine : %s", d->label, d->code, subs.data ? subs.data : "");
        lsu_buf_free(&subs);
        return NULL;
    }
    return d;
}

/* ---- the class's éléments ---- */

/* The index of the class's élément `libelle` of domain d, -1 when none;
 * *first and *count: where the domain's éléments are in c->el. */
static long class_find(apply_ctx *c, const char *domain, const char *libelle, size_t *first, size_t *count)
{
    long found = -1;
    *first = c->nel;
    *count = 0;
    for (size_t k = 0; k < c->nel; k++) {
        int cmp = strcmp(c->el[k].domain, domain);
        if (cmp < 0)
            continue;
        if (cmp > 0) {
            if (*first == c->nel)
                *first = k;
            break;
        }
        if (!*count)
            *first = k;
        ++*count;
        if (found < 0 && libelle && entry_label_same(c->el[k].libelle, libelle))
            found = (long)k;
    }
    return found;
}

/* Inserts élément (domain, libelle) at index at of c->el; -1 when memory ran out. */
static int class_insert(apply_ctx *c, size_t at, const char *domain, const char *libelle)
{
    char *d = strdup(domain), *l = strdup(libelle);
    if (!d || !l || school_grow((void **)&c->el, c->nel, &c->capel, sizeof *c->el) != 0) {
        free(d), free(l);
        return -1;
    }
    memmove(&c->el[at + 1], &c->el[at], (c->nel - at) * sizeof *c->el);
    c->el[at].domain = d;
    c->el[at].libelle = l;
    c->nel++;
    return 0;
}

/* Removes c->el[at]. */
static void class_remove(apply_ctx *c, size_t at)
{
    free(c->el[at].domain), free(c->el[at].libelle);
    memmove(&c->el[at], &c->el[at + 1], (c->nel - at - 1) * sizeof *c->el);
    c->nel--;
}

/* "de Langage oral" / "d'Écriture" of a domain. */
static const char *de(const char *label)
{
    static const char *const vowels[] = {"A", "E", "I", "O", "U", "É", "È", "Ê", "a", "e", "i", "o", "u", "é"};
    for (size_t i = 0; i < sizeof vowels / sizeof *vowels; i++)
        if (strncmp(label, vowels[i], strlen(vowels[i])) == 0)
            return "d'";
    return "de ";
}

/* ---- one change ---- */

/* An élément change (add, remove, rename, move) on one bilan's domain
 * node: the bilan's own when `own` (then a missing or duplicate élément
 * refuses change i), else a collective change passing by (silently). */
static void element_on_bilan(apply_ctx *c, size_t i, const lsu_entry_change *ch, work_bilan *w, const lsu_domain *d,
                             const char *label, const char *label2, int own)
{
    xmlNodePtr dom = entry_domain_node(w->b, d, ch->kind == LSU_ENTRY_ELEMENT_ADD);
    xmlNodePtr e = dom ? entry_element_find(dom, label) : NULL;
    if (ch->kind == LSU_ENTRY_ELEMENT_ADD) {
        if (e) {
            if (own)
                refuse(c, i, "élément déjà présent %s%s : « %s »", de(d->label), d->label,
                       lsu_attr_or_empty(e, "libelle"));
        } else if (!dom || !entry_element_add(dom, label)) {
            c->oom = 1;
        }
        return;
    }
    if (!e) {
        if (own)
            refuse(c, i, "élément inconnu %s%s pour cet élève : « %s »", de(d->label), d->label, label);
        return;
    }
    if (ch->kind == LSU_ENTRY_ELEMENT_REMOVE) {
        xmlUnlinkNode(e);
        xmlFreeNode(e);
        entry_prune(dom);
    } else if (ch->kind == LSU_ENTRY_ELEMENT_RENAME) {
        xmlNodePtr other = entry_element_find(dom, label2);
        if (other && other != e) {
            if (own) {
                refuse(c, i, "élément déjà présent %s%s : « %s »", de(d->label), d->label,
                       lsu_attr_or_empty(other, "libelle"));
                return;
            }
            xmlUnlinkNode(e); /* the bilan has the new label already */
            xmlFreeNode(e);
        } else if (entry_element_rename(e, label2) != 0) {
            c->oom = 1;
        }
    } else {
        long count = 0;
        for (xmlNodePtr x = lsu_child(dom, "element-programme"); x; x = lsu_next_same(x))
            count++;
        if (own && (ch->value < 1 || ch->value > count)) {
            refuse(c, i, "position %d : attendu 1 à %ld", ch->value, count);
            return;
        }
        entry_element_move(e, ch->value);
    }
}

/* A collective élément change: the class's list, then every unlocked
 * bilan whose pupil's cycle takes the domain. */
static void element_on_class(apply_ctx *c, size_t i, const lsu_entry_change *ch, const lsu_domain *d, const char *label,
                             const char *label2)
{
    size_t first, count;
    long at = class_find(c, d->code, label, &first, &count);
    if (ch->kind == LSU_ENTRY_ELEMENT_ADD) {
        if (at >= 0) {
            refuse(c, i, "élément déjà présent pour la classe %s%s : « %s »", de(d->label), d->label,
                   c->el[at].libelle);
            return;
        }
        if (class_insert(c, first + count, d->code, label) != 0) {
            c->oom = 1;
            return;
        }
        lsu_buf_printf(&c->class_diff, "Classe %s : élément du programme ajouté %s%s : « %s »\n", c->sc->classe,
                       de(d->label), d->label, label);
    } else if (at < 0) {
        refuse(c, i, "élément inconnu de la classe %s%s : « %s »", de(d->label), d->label, label);
        return;
    } else if (ch->kind == LSU_ENTRY_ELEMENT_REMOVE) {
        lsu_buf_printf(&c->class_diff, "Classe %s : élément du programme retiré %s%s : « %s »\n", c->sc->classe,
                       de(d->label), d->label, c->el[at].libelle);
        class_remove(c, (size_t)at);
    } else if (ch->kind == LSU_ENTRY_ELEMENT_RENAME) {
        size_t f2, n2;
        long other = class_find(c, d->code, label2, &f2, &n2);
        if (other >= 0 && other != at) {
            refuse(c, i, "élément déjà présent pour la classe %s%s : « %s »", de(d->label), d->label,
                   c->el[other].libelle);
            return;
        }
        char *l = strdup(label2);
        if (!l) {
            c->oom = 1;
            return;
        }
        lsu_buf_printf(&c->class_diff, "Classe %s : élément du programme renommé %s%s : « %s » → « %s »\n",
                       c->sc->classe, de(d->label), d->label, c->el[at].libelle, label2);
        free(c->el[at].libelle);
        c->el[at].libelle = l;
    } else {
        if (ch->value < 1 || (size_t)ch->value > count) {
            refuse(c, i, "position %d : attendu 1 à %zu", ch->value, count);
            return;
        }
        lsu_entry_element moved = c->el[at];
        memmove(&c->el[at], &c->el[at + 1], (c->nel - (size_t)at - 1) * sizeof *c->el);
        size_t to = first + (size_t)ch->value - 1;
        memmove(&c->el[to + 1], &c->el[to], (c->nel - 1 - to) * sizeof *c->el);
        c->el[to] = moved;
        lsu_buf_printf(&c->class_diff, "Classe %s : élément du programme déplacé %s%s en position %d : « %s »\n",
                       c->sc->classe, de(d->label), d->label, ch->value, moved.libelle);
    }
    c->class_changed = 1;
    for (size_t k = 0; k < c->npupils; k++) {
        work_bilan *w = &c->w[k];
        if (!entry_domain_in_cycle(d, w->p->cycle) || !entry_domain_takes_entries(d, w->p->cycle))
            continue;
        if (w->p->locked_at) {
            w->skipped = 1;
            continue;
        }
        element_on_bilan(c, i, ch, w, d, label, label2, 0);
    }
}

/* Applies change i to the working bilans and class entries, or refuses it. */
static void apply_one(apply_ctx *c, size_t i, const lsu_entry_change *ch)
{
    static const size_t limits[] = {
        [LSU_ENTRY_ELEMENT_ADD] = LSU_ENTRY_ELEMENT_MAX,       [LSU_ENTRY_ELEMENT_REMOVE] = LSU_ENTRY_ELEMENT_MAX,
        [LSU_ENTRY_ELEMENT_RENAME] = LSU_ENTRY_ELEMENT_MAX,    [LSU_ENTRY_ELEMENT_MOVE] = LSU_ENTRY_ELEMENT_MAX,
        [LSU_ENTRY_APPRECIATION] = LSU_ENTRY_APPRECIATION_MAX, [LSU_ENTRY_GENERALE] = LSU_ENTRY_GENERALE_MAX,
        [LSU_ENTRY_PARCOURS] = LSU_ENTRY_PARCOURS_MAX,
    };
    int element = ch->kind <= LSU_ENTRY_ELEMENT_MOVE;
    lsu_buf t1 = {0}, t2 = {0};
    if ((int)ch->kind < 0 || ch->kind > LSU_ENTRY_PARCOURS) {
        refuse(c, i, "changement inconnu");
        return;
    }
    if (ch->kind != LSU_ENTRY_POSITION && clean_text(c, i, ch->text, limits[ch->kind], element, &t1) != 0)
        goto done;
    if (ch->kind == LSU_ENTRY_ELEMENT_RENAME && clean_text(c, i, ch->text2, LSU_ENTRY_ELEMENT_MAX, 1, &t2) != 0)
        goto done;
    if (!ch->ine &&
        (ch->kind == LSU_ENTRY_POSITION || ch->kind == LSU_ENTRY_APPRECIATION || ch->kind == LSU_ENTRY_GENERALE)) {
        refuse(c, i, "ce changement porte sur un élève : INE manquant");
        goto done;
    }
    work_bilan *w = ch->ine ? pupil_bilan(c, i, ch->ine) : NULL;
    if (ch->ine && !w)
        goto done;
    int cycle = w ? w->p->cycle : c->sc->cycle;
    if (ch->kind == LSU_ENTRY_PARCOURS) {
        int k = entry_parcours_index(ch->domain);
        if (k < 0) {
            refuse(c, i, "parcours inconnu : « %s » (PAR_CIT, PAR_ART ou PAR_SAN)", ch->domain ? ch->domain : "");
            goto done;
        }
        const char *what = w ? "implication" : "projet";
        if (!w && lsu_strcmp_null(c->parcours[k], t1.data[0] ? t1.data : NULL) != 0) {
            /* the class's projet, then every unlocked bilan's (an imported
             * one may hold another) */
            lsu_buf_printf(&c->class_diff, "Classe %s : projet du %s %s\n", c->sc->classe,
                           lsu_code_label("parcours", ch->domain),
                           !t1.data[0]      ? "retiré"
                           : c->parcours[k] ? "modifié"
                                            : "ajouté");
            free(c->parcours[k]);
            c->parcours[k] = t1.data[0] ? strdup(t1.data) : NULL;
            c->oom |= t1.data[0] && !c->parcours[k];
            c->class_changed = 1;
        }
        for (size_t p = 0; p < c->npupils; p++) {
            work_bilan *x = w ? w : &c->w[p];
            if (!w && x->p->locked_at) {
                x->skipped = 1;
                continue;
            }
            xmlNodePtr pn = entry_parcours_node(x->b, ch->domain, t1.data[0] != 0);
            if (pn && entry_set_text(pn, what, t1.data) != 0)
                c->oom = 1;
            entry_prune(pn);
            if (w)
                break;
        }
        goto done;
    }
    if (ch->kind == LSU_ENTRY_GENERALE) {
        if (entry_set_text(w->b, "appreciation-generale", t1.data) != 0)
            c->oom = 1;
        goto done;
    }
    const lsu_domain *d = check_domain(c, i, ch->domain, cycle, ch->kind != LSU_ENTRY_APPRECIATION);
    if (!d)
        goto done;
    if (ch->kind == LSU_ENTRY_APPRECIATION) {
        if (d->parent) {
            const lsu_domain *p = lsu_domain_find(d->parent);
            refuse(c, i, "l'appréciation se donne au domaine %s (%s), pas au sous-domaine %s", p ? p->label : "?",
                   d->parent, d->label);
            goto done;
        }
        xmlNodePtr dom = entry_domain_node(w->b, d, t1.data[0] != 0);
        if (dom && entry_set_text(dom, "appreciation", t1.data) != 0)
            c->oom = 1;
        entry_prune(dom);
    } else if (ch->kind == LSU_ENTRY_POSITION) {
        if (ch->value < -1 || ch->value > 4) {
            refuse(c, i, "positionnement %d : attendu 1 à 4, 0 (non évalué) ou -1 (effacé)", ch->value);
            goto done;
        }
        xmlNodePtr dom = entry_domain_node(w->b, d, ch->value >= 0);
        if (!dom) {
            c->oom |= ch->value >= 0;
            goto done;
        }
        xmlUnsetProp(dom, BAD_CAST "positionnement");
        xmlUnsetProp(dom, BAD_CAST "non-evalue");
        char v[4];
        snprintf(v, sizeof v, "%d", ch->value);
        if (ch->value > 0 && !xmlSetProp(dom, BAD_CAST "positionnement", BAD_CAST v))
            c->oom = 1;
        if (ch->value == 0 && !xmlSetProp(dom, BAD_CAST "non-evalue", BAD_CAST "oui"))
            c->oom = 1;
        entry_prune(dom);
    } else if (w) {
        element_on_bilan(c, i, ch, w, d, t1.data, t2.data, 1);
    } else {
        element_on_class(c, i, ch, d, t1.data, t2.data);
    }
done:
    lsu_buf_free(&t1), lsu_buf_free(&t2);
}

/* The number of items a saved form lacks to be locked (lsu_bilan_missing). */
static int missing_of(const char *xml)
{
    xmlDocPtr d;
    xmlNodePtr b = entry_bilan_parse(xml, &d);
    lsu_buf out = {0};
    int n = b ? lsu_bilan_missing(b, &out) : 1;
    lsu_buf_free(&out);
    xmlFreeDoc(d);
    return n;
}

/* The number of items the working bilan b lacks to be locked: its tree is
 * what its saved form says (no need to parse that again). */
static int missing_in(xmlNodePtr b)
{
    lsu_buf out = {0};
    int n = lsu_bilan_missing(b, &out);
    lsu_buf_free(&out);
    return n;
}

/* Compares every working bilan with its form before, fills the counts,
 * the diff and the completed list, and (when `event` > 0) writes the new
 * versions.  The first call (event 0) makes each saved form and compares
 * it; the writing call reuses both.  Returns the number of bilans to
 * write, or -1. */
static long long settle(apply_ctx *c, long long event, const char *now)
{
    lsu_entry_result *r = c->res;
    long long writes = 0;
    for (size_t k = 0; k < c->npupils; k++) {
        work_bilan *w = &c->w[k];
        if (w->p->locked_at) {
            if (event == 0) {
                r->locked += w->skipped;
                r->unchanged++;
            }
            continue;
        }
        /* the saved form and its comparison, made once for both passes */
        if (!w->after && !(w->after = school_bilan_xml(w->b, NULL)))
            return -1;
        if (event == 0)
            w->same = school_bilan_same(w->before, w->after);
        const char *after = w->after;
        int same = w->same;
        if (event > 0 && (w->born || !same) &&
            school_bilan_write_version(c->st, w->b, w->p->bilan_id, after, event, now) != 0)
            return -1;
        if (event == 0) {
            writes += w->born || !same;
            r->created += w->born;
            r->changed += !w->born && !same;
            r->unchanged += !w->born && same;
            lsu_buf line = {0};
            size_t n = same ? 0 : school_bilan_changes(w->before, after, &line);
            if (w->born || n)
                lsu_buf_printf(&r->diff, "%s %s : %s%s%s\n", w->p->nom, w->p->prenom, w->born ? "bilan créé" : "",
                               w->born && n ? " ; " : "", n && line.data ? line.data : "");
            lsu_buf_free(&line);
            if (!same && missing_of(w->before) > 0 && missing_in(w->b) == 0)
                lsu_buf_printf(&r->completed, "%s %s\n", w->p->nom, w->p->prenom);
        }
    }
    return writes;
}

/* See entry.h. */
void lsu_entry_result_free(lsu_entry_result *res)
{
    for (size_t i = 0; i < res->nrefused; i++)
        free(res->refused[i].why);
    free(res->refused);
    lsu_buf_free(&res->diff), lsu_buf_free(&res->completed);
    free(res->stale_author), free(res->stale_at), free(res->why);
    memset(res, 0, sizeof *res);
}

/* Makes the working bilans of the roster: the current ones parsed, the
 * missing ones born.  0, 3 when one must be born without a directeur
 * (res->why), -1. */
static int make_work(apply_ctx *c, const char *today)
{
    c->w = calloc(c->npupils ? c->npupils : 1, sizeof *c->w);
    if (!c->w)
        return -1;
    entry_signers signers = {0};
    int have_signers = 0;
    for (size_t k = 0; k < c->npupils; k++) {
        work_bilan *w = &c->w[k];
        w->p = &c->roster[k];
        if (w->p->xml) {
            w->b = entry_bilan_parse(w->p->xml, &w->doc);
            w->before = strdup(w->p->xml);
            if (!w->b || !w->before) {
                entry_signers_free(&signers);
                return lsu_store_fail(c->st, "bilan enregistré illisible");
            }
            continue;
        }
        if (!have_signers) {
            if (entry_signers_read(c->st, c->sc, &signers) != 0)
                return -1;
            have_signers = 1;
            if (!signers.has_directeur) {
                entry_signers_free(&signers);
                c->res->why = lsu_asprintf("Le directeur de l'école n'est pas renseigné : %s",
                                           lsu_remedy_words(LSU_REMEDY_SCHOOL));
                lsu_remedy_set(&c->res->remedy, LSU_REMEDY_SCHOOL, c->st->uai, NULL, NULL);
                return c->res->why ? 3 : -1;
            }
        }
        w->born = 1;
        w->b = entry_bilan_new(c->sc, w->p, &signers, c->el, c->nel, c->parcours, today, &w->doc);
        w->before = w->b ? school_bilan_xml(w->b, NULL) : NULL;
        if (!w->before) {
            entry_signers_free(&signers);
            return -1;
        }
    }
    entry_signers_free(&signers);
    return 0;
}

/* See entry.h. */
int lsu_entry_apply(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_change *changes, size_t n,
                    const lsu_entry_options *opt, lsu_entry_result *res)
{
    memset(res, 0, sizeof *res);
    static const lsu_entry_options none = {0};
    if (!opt)
        opt = &none;
    if (lsu_store_begin(st) != 0)
        return -1;
    apply_ctx c = {.st = st, .sc = sc, .res = res};
    char now[21], today[11];
    lsu_store_now(now);
    snprintf(today, sizeof today, "%.10s", now);
    int rc = 0;
    if (opt->expect_state) {
        char token[65];
        char *author = NULL, *at = NULL;
        rc = lsu_entry_state(st, sc, token, &author, &at);
        if (rc == 0 && strcmp(token, opt->expect_state) != 0) {
            res->stale = 1;
            res->stale_author = author;
            res->stale_at = at;
            lsu_store_rollback(st);
            return 2;
        }
        free(author), free(at);
    }
    if (rc == 0)
        rc = entry_roster_read(st, sc, &c.roster, &c.npupils);
    if (rc == 0)
        rc = entry_class_read(st, sc, &c.el, &c.nel, c.parcours);
    c.capel = c.nel;
    if (rc == 0)
        rc = make_work(&c, today);
    for (size_t i = 0; rc == 0 && i < n && !c.oom; i++)
        apply_one(&c, i, &changes[i]);
    if (rc == 0 && c.oom)
        rc = lsu_store_fail(st, "mémoire insuffisante");
    long long writes = 0;
    if (rc == 0 && !res->nrefused) {
        lsu_buf_puts(&res->diff, c.class_diff.data ? c.class_diff.data : "");
        writes = settle(&c, 0, now);
        rc = writes < 0 ? -1 : 0;
        if (rc == 0 && !res->diff.len)
            lsu_buf_puts(&res->diff, "Aucune différence.\n");
        if (res->diff.failed || res->completed.failed)
            rc = lsu_store_fail(st, "mémoire insuffisante");
    }
    int status = rc == 3 ? 3 : rc != 0 ? -1 : res->nrefused ? 1 : 0;
    if (status == 0 && !opt->dry_run && (writes > 0 || c.class_changed)) {
        long long event = entry_write_event(st, sc, res, opt, now);
        rc = event < 0 || settle(&c, event, now) < 0 ||
                     (c.class_changed && entry_write_class(st, sc, c.el, c.nel, c.parcours, event) != 0)
                 ? -1
                 : 0;
        if (rc == 0)
            rc = lsu_store_commit(st);
        if (rc != 0)
            status = -1;
    }
    if (st->in_tx)
        lsu_store_rollback(st);
    for (size_t k = 0; c.w && k < c.npupils; k++)
        xmlFreeDoc(c.w[k].doc), free(c.w[k].before), free(c.w[k].after);
    free(c.w);
    entry_roster_free(c.roster, c.npupils);
    entry_elements_free(c.el, c.nel);
    for (int k = 0; k < 3; k++)
        free(c.parcours[k]);
    lsu_buf_free(&c.class_diff);
    return status;
}
