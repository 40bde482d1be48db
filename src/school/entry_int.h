/* What the files of the teachers' entry (src/school/entry_*.c) share and
 * nothing else uses: the scope's roster with its current bilans, the
 * class's collective entries, the people a bilan born in the store signs
 * with, and the edits of a bilan's tree.  Private to the family; the
 * public API is entry.h. */
#ifndef LSU_ENTRY_INT_H
#define LSU_ENTRY_INT_H

#include "import/nomenclature.h"
#include "school/entry.h"
#include "school/school_int.h"

#include <libxml/tree.h>
#include <stddef.h>

/* A pupil of the scope's roster (ONDE) with his current bilan for the
 * scope's period (texts owned). */
typedef struct {
    char *ine, *nom, *prenom;
    int cycle;             /* the pupil's (ONDE), else the class's; 0 when unknown */
    long long bilan_id;    /* 0: no bilan yet */
    char *xml;             /* the current bilan's saved form, NULL when none */
    char *locked_at;       /* NULL when not locked */
    char *bilan_classe;    /* the class the current bilan names, NULL when none */
    long long bilan_event; /* the event of the current version */
} entry_pupil;

/* Reads the roster of sc (pupils.classe_id_be), sorted by name, first
 * name and INE, with their current bilans, into a new array *out of *n.
 * Returns 0, -1 on a store failure (st->error; *out freed). */
int entry_roster_read(lsu_store *st, const lsu_entry_scope *sc, entry_pupil **out, size_t *n);
void entry_roster_free(entry_pupil *p, size_t n);

/* The class's éléments (class_elements of sc) by domain then position,
 * into a new array *out of *n; and its projets (PAR_CIT, PAR_ART, PAR_SAN)
 * into parcours[3] (owned, NULL when none).  Returns 0, -1 on a store
 * failure (st->error). */
int entry_class_read(lsu_store *st, const lsu_entry_scope *sc, lsu_entry_element **out, size_t *n, char *parcours[3]);
void entry_elements_free(lsu_entry_element *e, size_t n);

/* The parcours codes the entry takes, in the printed order; index 0..2. */
extern const char *const entry_parcours_codes[3];
/* The index of a parcours code in entry_parcours_codes, -1 when another. */
int entry_parcours_index(const char *code);

/* Who signs a bilan born in the store: the class's teachers (teachers
 * whose classes name the class by label or ONDE id, sorted by name) and
 * the school's directeur (texts owned). */
typedef struct {
    size_t n;
    char **civilite, **nom, **prenom; /* civilité as the format writes it: M, MME */
    char *dir_civilite, *dir_nom, *dir_prenom;
    int has_directeur;
} entry_signers;

/* Reads the signers of sc into *s (zeroed first; entry_signers_free).
 * Returns 0, -1 on a store failure (st->error). */
int entry_signers_read(lsu_store *st, const lsu_entry_scope *sc, entry_signers *s);
void entry_signers_free(entry_signers *s);

/* A new bilan périodique of pupil p for scope sc in the normalised form an
 * imported bilan has (docs/NORMALISED.md, without the file's layout:
 * index, ligne, date-verrou), root of a new document *doc: signed by s,
 * with the class's éléments e[0..ne) and projets parcours[3] where the
 * pupil's cycle takes them; ids derived from the INE, the class, the
 * period, the people and the labels; date-creation `today` (yyyy-mm-dd)
 * held within the period.  Returns the root, NULL when memory ran out. */
xmlNodePtr entry_bilan_new(const lsu_entry_scope *sc, const entry_pupil *p, const entry_signers *s,
                           const lsu_entry_element *e, size_t ne, char *const parcours[3], const char *today,
                           xmlDocPtr *doc);

/* Parses a saved form into a new document; its root, NULL when the form
 * is not XML (doc then NULL). */
xmlNodePtr entry_bilan_parse(const char *xml, xmlDocPtr *doc);

/* Does the domain (domain or sub-domain code) go into a bilan of a pupil
 * of `cycle` (0: either)?  Does it take positionnement and éléments
 * itself, i.e. has it no current sub-domain in that cycle? */
int entry_domain_in_cycle(const lsu_domain *d, int cycle);
int entry_domain_takes_entries(const lsu_domain *d, int cycle);

/* The acquis (a domain) or sous-domaine (a sub-domain, inside its
 * domain's acquis) of code d in bilan b, made in the nomenclature's order
 * when `create` (NULL when absent and not made, or memory ran out). */
xmlNodePtr entry_domain_node(xmlNodePtr b, const lsu_domain *d, int create);

/* The element-programme of domain node dom whose label matches `libelle`
 * (entry_label_same), or NULL. */
xmlNodePtr entry_element_find(xmlNodePtr dom, const char *libelle);
/* Appends an element-programme `libelle` (its id derived from it) to dom,
 * after its other éléments; NULL when memory ran out. */
xmlNodePtr entry_element_add(xmlNodePtr dom, const char *libelle);
/* Sets the label (and the id derived from it) of element-programme e;
 * 0, or -1 when memory ran out. */
int entry_element_rename(xmlNodePtr e, const char *libelle);
/* Moves element-programme e to position pos (from 1) among its domain's
 * éléments (the last when pos is past them). */
void entry_element_move(xmlNodePtr e, long pos);

/* Sets the text child `name` of n (appreciation, appreciation-generale,
 * projet, implication) to text, or removes it when text is "", keeping
 * the normalised order of n's children.  0, or -1 when memory ran out. */
int entry_set_text(xmlNodePtr n, const char *name, const char *text);

/* The parcours `code` of bilan b (in liste-parcours, made in the printed
 * order when `create`), or NULL. */
xmlNodePtr entry_parcours_node(xmlNodePtr b, const char *code, int create);

/* Removes domain node dom (and its acquis when it is a sous-domaine left
 * empty) when nothing is left in it; the same for a parcours node. */
void entry_prune(xmlNodePtr n);

/* Replaces the class's éléments el[0..nel) (sorted by domain, each
 * domain's in order) and projets of scope sc under event.  0, or -1. */
int entry_write_class(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_element *el, size_t nel,
                      char *const parcours[3], long long event);
/* Records the « saisie » event of an apply (its author, source and
 * counts r); its id, or -1. */
long long entry_write_event(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_result *r,
                            const lsu_entry_options *opt, const char *now);

/* Do labels a and b name the same élément (letter case and blanks
 * aside)?  1 when they do. */
int entry_label_same(const char *a, const char *b);

#endif
