/* The teachers' entry (saisie collective et individuelle of the LSU guide):
 * bilans périodiques born in the school's store for a class and a period,
 * and every change a teacher makes to them — éléments du programme of the
 * class or of a pupil, positionnements, appréciations, appréciation
 * générale, parcours of the class and a pupil's implication.
 *
 * One place for the rules: the command line (lsu template / lsu enter, a
 * spreadsheet round trip) and the server (lsu serve, its grids and forms)
 * both hand a list of changes to lsu_entry_apply, which checks them with
 * the import's rules, refuses each bad one with the reason, and writes all
 * of them in one transaction or none.  A bilan entered and a bilan
 * imported are the same normalised form (docs/NORMALISED.md) in the same
 * table: lock, edit, history and the PDFs do not tell them apart.  Locked
 * bilans never change.
 *
 * These functions never print: they append French text to buffers and
 * return statuses. */
#ifndef LSU_ENTRY_H
#define LSU_ENTRY_H

#include "base/util.h"
#include "school/store.h"

#include <libxml/tree.h>
#include <stddef.h>

/* Limits of the texts, in code points (the import's rules, FORMAT.md). */
#define LSU_ENTRY_ELEMENT_MAX 300
#define LSU_ENTRY_APPRECIATION_MAX 600
#define LSU_ENTRY_GENERALE_MAX 1500
#define LSU_ENTRY_PARCOURS_MAX 600

/* Where entries go: a class of the store and a period of its periodicity,
 * resolved by lsu_entry_scope_open (texts owned). */
typedef struct {
    char *id_be, *classe, *niveau; /* ONDE id, label, level ("" when several) */
    int cycle;                     /* 2 or 3, 0 when unknown */
    int millesime, indice, nb;     /* 2024, 1, 3 */
    char *periode;                 /* "Trimestre 1" */
    char *date_debut, *date_fin;   /* yyyy-mm-dd */
    char bkey[64];                 /* the bilans' store key, "P:2024:1/3" */
    /* the class's effective import mode: "manuelle", "logiciel" or "" when
     * not set (the entry does not refuse a class in import logiciel, whose
     * next import replaces its unlocked bilans: a caller may warn) */
    char *import_mode;
    /* when lsu_entry_scope_open returns 2, what to do (a class unknown:
     * LSU_REMEDY_SYNC, no periodicity: LSU_REMEDY_PERIODS); else NONE */
    lsu_remedy remedy;
} lsu_entry_scope;

/* Resolves `classe` (label or ONDE id) and `period` (its number in the
 * class's periodicity, "1", or its label, "Trimestre 1", or the format's
 * name of it, letter case aside) into *sc; sc->periode is the label the
 * school gave the period (the bilans carry the format's: Trimestre 1,
 * Semestre 2, Période 3/5).
 * Returns 0; 2 when the class is unknown, has no periodicity or no such
 * period (why says so, in French); -1 on a store failure (st->error). */
int lsu_entry_scope_open(lsu_store *st, const char *classe, const char *period, lsu_entry_scope *sc, lsu_buf *why);
void lsu_entry_scope_free(lsu_entry_scope *sc);

typedef enum {
    LSU_ENTRY_ELEMENT_ADD,    /* domain, text: an élément du programme (at the end) */
    LSU_ENTRY_ELEMENT_REMOVE, /* domain, text: the élément with that label */
    LSU_ENTRY_ELEMENT_RENAME, /* domain, text (old label), text2 (new label) */
    LSU_ENTRY_ELEMENT_MOVE,   /* domain, text, value: its new position, from 1 */
    /* (an élément is found by its label, letter case and blanks aside) */
    LSU_ENTRY_POSITION,     /* ine, domain: value 1-4, 0 non évalué, -1 cleared */
    LSU_ENTRY_APPRECIATION, /* ine, domain (a domain, XXX-RAC): text, "" clears */
    LSU_ENTRY_GENERALE,     /* ine: the appréciation générale, "" clears */
    LSU_ENTRY_PARCOURS,     /* domain PAR_CIT | PAR_ART | PAR_SAN, text, "" clears:
                             * ine NULL the class's projet, else the pupil's implication */
} lsu_entry_kind;

/* One change.  ine NULL on an élément change: the class's (collective)
 * élément, which goes into every unlocked bilan of the class for the
 * period and domain, and into the bilans made later; with an ine, that
 * pupil's bilan only.  `domain` is a domain or sub-domain code of the
 * nomenclature (positionnement and éléments go where LSU takes them: on
 * the sub-domain when the domain has sub-domains in the pupil's cycle).
 * row and col say where the change came from (a CSV cell, 1-based; 0 when
 * none), for refusals.  Texts borrowed. */
typedef struct {
    lsu_entry_kind kind;
    const char *ine;
    const char *domain;
    const char *text, *text2;
    int value;
    long row;
    int col;
} lsu_entry_change;

typedef struct {
    const char *author; /* who made the changes: « Mme Martin », a login, a file name */
    const char *source; /* the file applied, NULL when none */
    /* the state (lsu_entry_state) the changes were made from: when the
     * scope's state differs, nothing is done (stale); NULL: not checked */
    const char *expect_state;
    int dry_run; /* check and describe the changes, write nothing */
} lsu_entry_options;

/* A change refused: its index in the list, and why in French (« 312
 * caractères pour 300 au plus », « élève inconnu dans la classe CE1 A :
 * INE … », « bilan verrouillé le 12/01/2025 (Nom Prénom) : … »,
 * « positionnement 5 : attendu 1 à 4, … »).  Each change is checked
 * against what the changes before it made; every refusal is listed. */
typedef struct {
    size_t index;
    char *why;
    lsu_remedy remedy; /* what to do, when why names an action (remedy.h) */
} lsu_entry_refusal;

/* What lsu_entry_apply did or would do (texts owned:
 * lsu_entry_result_free). */
typedef struct {
    lsu_entry_refusal *refused;
    size_t nrefused;
    long long created;   /* bilans made for pupils of the roster who had none */
    long long changed;   /* bilans with a new version */
    long long unchanged; /* bilans the changes left as they were */
    long long locked;    /* locked bilans a collective change skipped (counted in unchanged too) */
    /* per pupil, what changes (« Dupont Marie : positionnement de Langage
     * oral : 2 → 3 »), or « Aucune différence. » */
    lsu_buf diff;
    /* the bilans that became complete (lockable) with these changes,
     * "Nom Prénom" per line */
    lsu_buf completed;
    int stale;                     /* expect_state differed; nothing done */
    char *stale_author, *stale_at; /* who changed the scope last, and when */
    /* why nothing could be done at all (return 3): « Le directeur de
     * l'école n'est pas renseigné : renseignez le directeur de l'école » */
    char *why;
    lsu_remedy remedy; /* what to do about why (LSU_REMEDY_SCHOOL) */
} lsu_entry_result;

/* Applies changes[0..n) to the bilans of scope sc in one transaction:
 * makes the missing bilans of the class's pupils (ONDE roster) for the
 * period (with the class's teachers and the school's director), checks
 * every change (lengths in code points, texts trimmed and line breaks
 * cleaned as the normalisation does, blank refused, a duplicate élément
 * label refused, pupil of the class, bilan not locked, values), and, when
 * none is refused and not opt->dry_run, writes a new version of each
 * bilan whose content changed, with one event (kind "saisie", the author
 * and the source) in the history; nothing at all when nothing changes.
 * Changes apply in order, each to what the ones before it made.  Returns
 * 0 applied (or simulated), 1 some change refused (nothing written;
 * res->refused says which), 2 stale (nothing written), 3 a bilan must be
 * born and the school names no directeur (nothing written; res->why says
 * what to do), -1 on a store failure (rolled back; st->error). */
int lsu_entry_apply(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_change *changes, size_t n,
                    const lsu_entry_options *opt, lsu_entry_result *res);
void lsu_entry_result_free(lsu_entry_result *res);

/* The state of scope sc: the hex SHA-256 of its roster, its current
 * bilans (with their locks) and the class's collective entries for the
 * period, into token; it changes whenever anything there does.  The last
 * change is named by its event's author, else by what it was (« import
 * (ecole.xml) », « verrouillage »).  *author and *at (owned; may be NULL when
 * not wanted) name the last change.  Returns 0, -1 on a store failure. */
int lsu_entry_state(lsu_store *st, const lsu_entry_scope *sc, char token[65], char **author, char **at);

/* A pupil of the scope as the grid and the template show him. */
typedef struct {
    char *ine, *nom, *prenom; /* owned */
    char *locked_at;          /* owned; NULL when not locked */
    xmlNodePtr bilan;         /* current bilan in normalised form (in view->doc), NULL when none yet */
} lsu_entry_pupil;

/* An élément du programme of the class for a domain (texts owned). */
typedef struct {
    char *domain, *libelle;
} lsu_entry_element;

/* What a grid, the « rappel » and the template show of a scope. */
typedef struct {
    lsu_entry_pupil *pupils; /* the class's roster: name, first name, INE */
    size_t npupils;
    lsu_entry_element *elements; /* the class's éléments, by domain then position */
    size_t nelements;
    char *parcours[3]; /* the class's projet for PAR_CIT, PAR_ART, PAR_SAN; NULL when none */
    char state[65];    /* lsu_entry_state */
    xmlDocPtr doc;     /* owns the bilans */
} lsu_entry_view;

/* Reads the view of scope sc into *v (zeroed first; lsu_entry_view_free).
 * Returns 0, -1 on a store failure. */
int lsu_entry_view_read(lsu_store *st, const lsu_entry_scope *sc, lsu_entry_view *v);
void lsu_entry_view_free(lsu_entry_view *v);

/* The « ? » of a class and period: for every pupil of the roster, what
 * his bilan lacks to be locked (lsu_bilan_missing), one line each
 * (« DUPONT Marie : domaines complets … : 2 sur 3 exigés … ; appréciation
 * générale sur la progression de l'élève »; « complet » when nothing is
 * missing, « verrouillé le 12/01/2025 » when locked, « aucun bilan » when
 * none yet).  Returns the number of pupils whose bilan is not complete
 * (none yet included, locked ones not), -1 on a store failure. */
long lsu_entry_missing(lsu_store *st, const lsu_entry_scope *sc, lsu_buf *table);

#endif
