/* The template of the spreadsheet round trip (lsu template; see
 * entry_csv.h and docs/SAISIE-TABLEUR.md): the lines that name the scope
 * and the state of the store, the header row, one row per pupil with his
 * current values (the guide's « rappel »), the class's éléments du
 * programme with room for new ones, the projets of the parcours; and the
 * domains' columns the reader takes back. */
#include "import/nomenclature.h"
#include "school/aide.h"
#include "school/entry_csv_int.h"
#include "school/onde_int.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* See entry_csv.h. */
const char *lsu_entry_csv_domain(const char *name, int parcours)
{
    static const char *const par[] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};
    if (!name || !*name)
        return NULL;
    /* a code anywhere in the text: "Langage oral (FRA-LGO)", "fra-lgo" */
    size_t n = strlen(name);
    for (size_t i = 0; i + 7 <= n; i++) {
        char code[8];
        for (size_t k = 0; k < 7; k++)
            code[k] = (char)toupper((unsigned char)name[i + k]);
        code[7] = 0;
        if (i > 0 && isalnum((unsigned char)name[i - 1]))
            continue;
        if (i + 7 < n && isalnum((unsigned char)name[i + 7]))
            continue;
        const lsu_domain *d = lsu_domain_find(code);
        if (d && !parcours)
            return d->code;
        for (size_t k = 0; parcours && k < 3; k++)
            if (strcmp(code, par[k]) == 0)
                return par[k];
    }
    /* a label: "Langage oral", "parcours citoyen" */
    char folded[256], label[256];
    onde_fold_label(name, folded, sizeof folded);
    for (size_t k = 0; parcours && k < 3; k++) {
        onde_fold_label(lsu_code_label("parcours", par[k]), label, sizeof label);
        if (strcmp(folded, label) == 0)
            return par[k];
    }
    for (size_t i = 0; !parcours && lsu_domain_at(i); i++) {
        const lsu_domain *d = lsu_domain_at(i);
        onde_fold_label(d->label, label, sizeof label);
        if (strcmp(folded, label) == 0 && strncmp(d->code, "LGV-", 4) != 0)
            return d->code;
        if (strcmp(folded, label) == 0 && strcmp(d->code, "LGV-RAC") == 0)
            return d->code;
    }
    return NULL;
}

/* Is domain d taught in cycle (0: either), and not one of the language
 * sub-domains used before 2017? */
static int domain_in_cycle(const lsu_domain *d, int cycle)
{
    if (d->parent && strcmp(d->parent, "LGV-RAC") == 0)
        return 0;
    return cycle == 2 || cycle == 3 ? (d->cycles & LSU_CYCLE_BIT(cycle)) != 0
                                    : (d->cycles & (LSU_CYCLE_BIT(2) | LSU_CYCLE_BIT(3))) != 0;
}

/* Adds the columns of top-level domain d. */
static size_t domain_columns(const lsu_domain *d, int cycle, const char **codes, char *kinds, size_t n, size_t max)
{
    size_t subs = 0;
    for (size_t i = 0; lsu_domain_at(i); i++) {
        const lsu_domain *s = lsu_domain_at(i);
        if (s->parent && strcmp(s->parent, d->code) == 0 && domain_in_cycle(s, cycle) && n < max) {
            codes[n] = s->code;
            kinds[n++] = 'P';
            subs++;
        }
    }
    if (!subs && n < max) {
        codes[n] = d->code;
        kinds[n++] = 'P';
    }
    if (n < max) {
        codes[n] = d->code;
        kinds[n++] = 'A';
    }
    return n;
}

/* See entry_csv.h. */
size_t lsu_entry_csv_columns(const char *domain, int cycle, const char **codes, char *kinds, size_t max)
{
    size_t n = 0;
    const lsu_domain *only = domain ? lsu_domain_find(domain) : NULL;
    if (domain && (!only || !domain_in_cycle(only, cycle)))
        return 0;
    if (only && only->parent) {
        codes[0] = only->code;
        kinds[0] = 'P';
        return max > 0;
    }
    for (size_t i = 0; lsu_domain_at(i); i++) {
        const lsu_domain *d = lsu_domain_at(i);
        if (!d->parent && domain_in_cycle(d, cycle) && (!only || d == only))
            n = domain_columns(d, cycle, codes, kinds, n, max);
    }
    return n;
}

/* The first element child of n named `name` whose code is `code` (NULL:
 * any). */
static xmlNodePtr child(xmlNodePtr n, const char *name, const char *code)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, name) != 0)
            continue;
        if (!code)
            return c;
        xmlChar *v = xmlGetProp(c, (const xmlChar *)"code");
        int same = v && strcmp((const char *)v, code) == 0;
        xmlFree(v);
        if (same)
            return c;
    }
    return NULL;
}

/* Appends the text of node n (nothing when NULL). */
static void put_text(lsu_buf *cell, xmlNodePtr n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    if (t)
        lsu_buf_puts(cell, (const char *)t);
    xmlFree(t);
}

/* The acquis or sous-domaine of a bilan for a domain code. */
static xmlNodePtr acquis_of(xmlNodePtr bilan, const char *code)
{
    const lsu_domain *d = lsu_domain_find(code);
    xmlNodePtr list = child(bilan, "liste-acquis", NULL);
    if (d && d->parent)
        return child(child(list, "acquis", d->parent), "sous-domaine", code);
    return child(list, "acquis", code);
}

/* Appends a pupil's current positionnement for a domain: 1 to 4, NE. */
static void put_position(lsu_buf *cell, xmlNodePtr bilan, const char *code)
{
    xmlNodePtr a = acquis_of(bilan, code);
    if (!a)
        return;
    xmlChar *p = xmlGetProp(a, (const xmlChar *)"positionnement");
    xmlChar *ne = xmlGetProp(a, (const xmlChar *)"non-evalue");
    if (p && *p)
        lsu_buf_puts(cell, (const char *)p);
    else if (ne && strcmp((const char *)ne, "oui") == 0)
        lsu_buf_puts(cell, "NE");
    xmlFree(p);
    xmlFree(ne);
}

/* See entry_csv_int.h. */
void entry_csv_current(xmlNodePtr bilan, const lsu_entry_change *ch, lsu_buf *out, lsu_buf *wanted)
{
    lsu_buf_add(out, "", 0);
    lsu_buf_add(wanted, "", 0);
    switch (ch->kind) {
    case LSU_ENTRY_POSITION:
        put_position(out, bilan, ch->domain);
        if (ch->value >= 1 && ch->value <= 4)
            lsu_buf_printf(wanted, "%d", ch->value);
        else if (ch->value == 0)
            lsu_buf_puts(wanted, "NE");
        return;
    case LSU_ENTRY_APPRECIATION: put_text(out, child(acquis_of(bilan, ch->domain), "appreciation", NULL)); break;
    case LSU_ENTRY_GENERALE: put_text(out, child(bilan, "appreciation-generale", NULL)); break;
    case LSU_ENTRY_PARCOURS:
        put_text(out, child(child(child(bilan, "liste-parcours", NULL), "parcours", ch->domain), "implication", NULL));
        break;
    default:
        lsu_buf_puts(out, "\x01"); /* an élément: never the same as a cell */
        return;
    }
    lsu_buf_puts(wanted, ch->text ? ch->text : "");
}

/* Ends a row: ';' between cells was written by put_cell; CRLF. */
static void end_row(lsu_buf *out)
{
    lsu_buf_add(out, "\r\n", 2);
}

/* Appends one cell, with the ';' before it unless it is the row's first. */
static void put_cell(lsu_buf *out, int first, const char *s)
{
    if (!first)
        lsu_buf_add(out, ";", 1);
    lsu_buf_csv_cell(out, s ? s : "");
}

/* Appends a row of n cells. */
static void put_row(lsu_buf *out, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_cell(out, i == 0, cells[i]);
    end_row(out);
}

/* "Langage oral (FRA-LGO)" into out. */
static void domain_title(const char *code, char *out, size_t size)
{
    const char *label = lsu_code_label("domaine", code);
    if (!*label)
        label = lsu_code_label("parcours", code);
    snprintf(out, size, "%s (%s)", label, code);
}

static const char *const parcours_codes[3] = {"PAR_CIT", "PAR_ART", "PAR_SAN"};

/* The lines on top: the scope, the state, how to fill. */
static void put_top(lsu_buf *out, const lsu_entry_scope *sc, const lsu_entry_view *v, const char *uai,
                    const char *domain)
{
    char year[16], dom[256], id[64];
    snprintf(year, sizeof year, "%d-%d", sc->millesime, sc->millesime + 1);
    snprintf(id, sizeof id, "%s", sc->id_be ? sc->id_be : "");
    if (domain)
        domain_title(domain, dom, sizeof dom);
    else
        snprintf(dom, sizeof dom, "Tous les domaines");
    const char *title[] = {"Livret scolaire unique", "Saisie des bilans périodiques : remplissez les cases puis "
                                                     "enregistrez au format CSV (lsu enter FICHIER.csv)"};
    put_row(out, title, 2);
    const char *school[] = {"École", uai ? uai : ""};
    put_row(out, school, 2);
    const char *classe[] = {"Classe", sc->classe, id};
    put_row(out, classe, 3);
    const char *periode[] = {"Période", sc->periode, year};
    put_row(out, periode, 3);
    const char *domaine[] = {"Domaine", dom};
    put_row(out, domaine, 2);
    const char *state[] = {"État de la base", v->state,
                           "Ne modifiez pas ces lignes : lsu enter refuse un fichier fait avant une autre saisie "
                           "dans la classe."};
    put_row(out, state, 3);
    const char *legend[] = {"Positionnement",    "1 ou NA : Non atteints", "2 ou PA : Partiellement atteints",
                            "3 ou A : Atteints", "4 ou D : Dépassés",      "NE : Non évalué"};
    put_row(out, legend, 6);
    const char *how[] = {"Cases",
                         "Une case laissée telle quelle ou vide ne change rien ; pour la vider, écrivez "
                         "« effacer ».",
                         "Appréciations : 600 caractères au plus ; appréciation générale : 1500."};
    put_row(out, how, 3);
    end_row(out);
}

/* The header row and one row per pupil with his current values. */
static void put_pupils(lsu_buf *out, const lsu_entry_view *v, const char **codes, const char *kinds, size_t n, int all)
{
    char title[300];
    const char *ident[] = {"NOM", "Prénom", "INE", "Statut"};
    for (size_t i = 0; i < 4; i++)
        put_cell(out, i == 0, ident[i]);
    for (size_t i = 0; i < n; i++) {
        domain_title(codes[i], title, sizeof title);
        size_t len = strlen(title);
        snprintf(title + len, sizeof title - len, kinds[i] == 'P' ? " : positionnement" : " : appréciation");
        put_cell(out, 0, title);
    }
    if (all) {
        put_cell(out, 0, "Appréciation générale");
        for (size_t i = 0; i < 3; i++) {
            domain_title(parcours_codes[i], title, sizeof title);
            size_t len = strlen(title);
            snprintf(title + len, sizeof title - len, " : implication de l'élève");
            put_cell(out, 0, title);
        }
    }
    end_row(out);
    lsu_buf cell = {0};
    for (size_t p = 0; p < v->npupils; p++) {
        const lsu_entry_pupil *pu = &v->pupils[p];
        char status[64] = "";
        if (pu->locked_at) {
            char day[11];
            lsu_date_fr_from_iso(pu->locked_at, day);
            snprintf(status, sizeof status, "verrouillé le %s", day);
        }
        const char *ident_cells[] = {pu->nom, pu->prenom, pu->ine, status};
        for (size_t i = 0; i < 4; i++)
            put_cell(out, i == 0, ident_cells[i]);
        for (size_t i = 0; i < n; i++) {
            cell.len = 0;
            lsu_buf_add(&cell, "", 0);
            if (kinds[i] == 'P')
                put_position(&cell, pu->bilan, codes[i]);
            else
                put_text(&cell, child(acquis_of(pu->bilan, codes[i]), "appreciation", NULL));
            put_cell(out, 0, cell.data);
        }
        if (all) {
            cell.len = 0;
            lsu_buf_add(&cell, "", 0);
            put_text(&cell, child(pu->bilan, "appreciation-generale", NULL));
            put_cell(out, 0, cell.data);
            xmlNodePtr list = child(pu->bilan, "liste-parcours", NULL);
            for (size_t i = 0; i < 3; i++) {
                cell.len = 0;
                lsu_buf_add(&cell, "", 0);
                put_text(&cell, child(child(list, "parcours", parcours_codes[i]), "implication", NULL));
                put_cell(out, 0, cell.data);
            }
        }
        end_row(out);
    }
    out->failed |= cell.failed;
    lsu_buf_free(&cell);
}

/* The class's éléments du programme of each positionnement's domain,
 * numbered, and two empty rows each for new ones. */
static void put_elements(lsu_buf *out, const lsu_entry_view *v, const char **codes, const char *kinds, size_t n)
{
    end_row(out);
    const char *head[] = {"Éléments du programme travaillés (toute la classe)", "Domaine", "N°",
                          "Libellé (300 caractères au plus ; « effacer » le retire ; sans N° : un nouvel élément)"};
    put_row(out, head, 4);
    char title[300], number[24];
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] != 'P')
            continue;
        domain_title(codes[i], title, sizeof title);
        long k = 0;
        for (size_t e = 0; e < v->nelements; e++)
            if (strcmp(v->elements[e].domain, codes[i]) == 0) {
                snprintf(number, sizeof number, "%ld", ++k);
                const char *row[] = {"Élément du programme", title, number, v->elements[e].libelle};
                put_row(out, row, 4);
            }
        for (int spare = 0; spare < 2; spare++) {
            const char *row[] = {"Élément du programme", title, "", ""};
            put_row(out, row, 4);
        }
    }
}

/* The class's projets of the three parcours. */
static void put_parcours(lsu_buf *out, const lsu_entry_view *v)
{
    end_row(out);
    const char *head[] = {"Projets des parcours éducatifs (toute la classe)", "Parcours",
                          "Projet (600 caractères au plus)"};
    put_row(out, head, 3);
    char title[300];
    for (size_t i = 0; i < 3; i++) {
        domain_title(parcours_codes[i], title, sizeof title);
        const char *row[] = {"Projet de parcours", title, v->parcours[i] ? v->parcours[i] : ""};
        put_row(out, row, 3);
    }
}

/* Can Windows-1252 write every character of s? */
static int fits_cp1252(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t c = lsu_utf8_next((const unsigned char *)s, len, &i);
        int ok = c < 0x80 || (c >= 0xA0 && c <= 0xFF);
        for (size_t k = 0; !ok && k < 32; k++)
            ok = lsu_cp1252_high[k] && lsu_cp1252_high[k] == c;
        if (!ok)
            return 0;
    }
    return 1;
}

/* The aide à la saisie (school/aide.h) under the file: for each
 * positionnement's domain, the éléments the programmes in force in the
 * period's school year propose for the class's level(s), one a row, the
 * libellé in the column of the éléments' libellé so that it can be copied
 * over a spare « Élément du programme » row.  The reader never takes
 * these rows (their first cell starts with « Aide à la saisie »).  In
 * Windows-1252, a proposal the code page cannot write is left out. */
static void put_aide(lsu_buf *out, const lsu_entry_scope *sc, const char **codes, const char *kinds, size_t n,
                     int cp1252)
{
    unsigned levels = lsu_class_levels(sc->niveau && *sc->niveau ? sc->niveau : sc->classe);
    int several = levels & (levels - 1);
    char year[16], head[128], title[300], theme[300];
    snprintf(year, sizeof year, "%d-%d", sc->millesime, sc->millesime + 1);
    int any = 0;
    const char *last_source = NULL;
    for (size_t i = 0; i < n; i++) {
        if (kinds[i] != 'P')
            continue;
        long nf = lsu_aide_find(sc->cycle, NULL, codes[i], sc->millesime, NULL, 0);
        const lsu_aide_entry **found = nf > 0 ? malloc((size_t)nf * sizeof(const lsu_aide_entry *)) : NULL;
        if (nf > 0 && !found) {
            out->failed = 1;
            return;
        }
        nf = found ? lsu_aide_find(sc->cycle, NULL, codes[i], sc->millesime, found, (size_t)nf) : 0;
        domain_title(codes[i], title, sizeof title);
        for (long k = 0; k < nf; k++) {
            const lsu_aide_entry *e = found[k];
            if (levels && *e->niveau && !(lsu_class_levels(e->niveau) & levels))
                continue;
            if (cp1252 && (!fits_cp1252(e->libelle) || !fits_cp1252(e->theme) || !fits_cp1252(e->source)))
                continue;
            if (!any++) {
                end_row(out);
                snprintf(head, sizeof head, "Élément proposé (programmes en vigueur en %s)", year);
                static const char aide_title[] = "Aide à la saisie : éléments du programme proposés, à recopier "
                                                 "dans une ligne « Élément du programme » (ces lignes ne sont pas "
                                                 "lues)";
                const char *h[] = {aide_title, "Domaine", "", head, "Thème du programme", "Source"};
                put_row(out, h, 6);
            }
            if (several && *e->niveau)
                snprintf(theme, sizeof theme, "%s (%s)", e->theme, e->niveau);
            else
                snprintf(theme, sizeof theme, "%s", e->theme);
            /* the source once, on the first row that has it */
            const char *row[] = {
                "Aide à la saisie", title, "",
                e->libelle,         theme, last_source && strcmp(last_source, e->source) == 0 ? "" : e->source};
            put_row(out, row, 6);
            last_source = e->source;
        }
        free(found);
    }
}

/* Converts UTF-8 text into Windows-1252 bytes in out; 0, or the 1-based
 * row (CRLF-counted) of a character the code page lacks, with *cp. */
static long to_cp1252(const lsu_buf *in, lsu_buf *out, uint32_t *cp)
{
    long row = 1;
    for (size_t i = 0; i < in->len;) {
        uint32_t c = lsu_utf8_next((const unsigned char *)in->data, in->len, &i);
        unsigned char byte = 0;
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF))
            byte = (unsigned char)c;
        for (size_t k = 0; !byte && k < 32; k++)
            if (lsu_cp1252_high[k] && lsu_cp1252_high[k] == c)
                byte = (unsigned char)(0x80 + k);
        if (!byte) {
            *cp = c;
            return row;
        }
        row += c == '\n' && i >= 2 && in->data[i - 2] == '\r';
        lsu_buf_add(out, (const char *)&byte, 1);
    }
    return 0;
}

/* See entry_csv.h. */
int lsu_entry_template(const lsu_entry_scope *sc, const lsu_entry_view *v, const lsu_entry_template_options *o,
                       lsu_buf *out, lsu_buf *why)
{
    const char *domain = NULL;
    if (o->domain && !(domain = lsu_entry_csv_domain(o->domain, 0))) {
        lsu_buf_printf(why,
                       "domaine « %s » inconnu (un code comme FRA-RAC ou MAT-NBC, ou un libellé comme "
                       "« Langage oral » ; lsu codes les liste)",
                       o->domain);
        return 2;
    }
    const char *codes[64];
    char kinds[64];
    size_t n = lsu_entry_csv_columns(domain, sc->cycle, codes, kinds, 64);
    if (!n) {
        lsu_buf_printf(why, "le domaine %s (%s) n'est pas enseigné au cycle %d (classe %s)",
                       lsu_code_label("domaine", domain), domain, sc->cycle, sc->classe);
        return 2;
    }
    lsu_buf text = {0};
    put_top(&text, sc, v, o->uai, domain);
    put_pupils(&text, v, codes, kinds, n, domain == NULL);
    put_elements(&text, v, codes, kinds, n);
    if (!domain)
        put_parcours(&text, v);
    put_aide(&text, sc, codes, kinds, n, o->windows1252);
    if (text.failed) {
        lsu_buf_free(&text);
        return -1;
    }
    long bad = 0;
    uint32_t cp = 0;
    if (o->windows1252)
        bad = to_cp1252(&text, out, &cp);
    else {
        lsu_buf_add(out, "\xEF\xBB\xBF", 3);
        lsu_buf_add(out, text.data, text.len);
    }
    lsu_buf_free(&text);
    if (bad) {
        char u[5] = {0};
        lsu_utf8_put(cp, u);
        lsu_buf_printf(why,
                       "ligne %ld du modèle : « %s » (U+%04X) n'existe pas en Windows-1252 ; faites le modèle en "
                       "UTF-8 (sans --encoding)",
                       bad, u, (unsigned)cp);
        return 2;
    }
    return out->failed ? -1 : 0;
}
