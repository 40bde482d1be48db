/* The teachers' entry, written: the class's collective entries and the
 * event of an apply, in the caller's transaction (see entry_int.h); a
 * bilan's new version is school_bilan_write_version, as for an import. */
#include "school/entry_int.h"

#include <stdlib.h>
#include <string.h>

/* See entry_int.h. */
int entry_write_class(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_element *el, size_t nel,
                      char *const parcours[3], long long event)
{
    sqlite3_stmt *del[2] = {lsu_store_prepare(st, "DELETE FROM class_elements WHERE id_be = ? AND bkey = ?"),
                            lsu_store_prepare(st, "DELETE FROM class_parcours WHERE id_be = ? AND bkey = ?")};
    sqlite3_stmt *ins = lsu_store_prepare(st, "INSERT INTO class_elements(id_be, bkey, domain, position, libelle, "
                                              "event_id) VALUES (?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *par = lsu_store_prepare(st, "INSERT INTO class_parcours(id_be, bkey, code, projet, event_id) "
                                              "VALUES (?, ?, ?, ?, ?)");
    int rc = del[0] && del[1] && ins && par ? 0 : -1;
    for (int k = 0; rc == 0 && k < 2; k++) {
        sqlite3_bind_text(del[k], 1, sc->id_be, -1, SQLITE_STATIC);
        sqlite3_bind_text(del[k], 2, sc->bkey, -1, SQLITE_STATIC);
        rc = sqlite3_step(del[k]) == SQLITE_DONE ? 0 : -1;
    }
    long position = 0;
    for (size_t k = 0; rc == 0 && k < nel; k++) {
        position = k && strcmp(el[k].domain, el[k - 1].domain) == 0 ? position + 1 : 1;
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, sc->id_be, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, sc->bkey, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, el[k].domain, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 4, position);
        sqlite3_bind_text(ins, 5, el[k].libelle, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 6, event);
        rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : -1;
    }
    for (int k = 0; rc == 0 && k < 3; k++) {
        if (!parcours[k])
            continue;
        sqlite3_reset(par);
        sqlite3_bind_text(par, 1, sc->id_be, -1, SQLITE_STATIC);
        sqlite3_bind_text(par, 2, sc->bkey, -1, SQLITE_STATIC);
        sqlite3_bind_text(par, 3, entry_parcours_codes[k], -1, SQLITE_STATIC);
        sqlite3_bind_text(par, 4, parcours[k], -1, SQLITE_STATIC);
        sqlite3_bind_int64(par, 5, event);
        rc = sqlite3_step(par) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(del[0]), sqlite3_finalize(del[1]), sqlite3_finalize(ins), sqlite3_finalize(par);
    return rc == 0 ? 0 : lsu_store_fail(st, "enregistrement des saisies de la classe");
}

/* See entry_int.h. */
long long entry_write_event(lsu_store *st, const lsu_entry_scope *sc, const lsu_entry_result *r,
                            const lsu_entry_options *opt, const char *now)
{
    char *summary =
        lsu_asprintf("classe %s, %s %d-%d : %lld bilan%s créé%s, %lld modifié%s, %lld inchangé%s, %lld "
                     "verrouillé%s non modifié%s",
                     sc->classe, sc->periode, sc->millesime, sc->millesime + 1, r->created, r->created > 1 ? "s" : "",
                     r->created > 1 ? "s" : "", r->changed, r->changed > 1 ? "s" : "", r->unchanged,
                     r->unchanged > 1 ? "s" : "", r->locked, r->locked > 1 ? "s" : "", r->locked > 1 ? "s" : "");
    sqlite3_stmt *s = lsu_store_prepare(st, "INSERT INTO events(kind, at, source, summary, author) VALUES "
                                            "('saisie', ?, ?, ?, ?)");
    long long id = -1;
    if (s && summary) {
        sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, opt->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, summary, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, opt->author, -1, SQLITE_STATIC);
        id = sqlite3_step(s) == SQLITE_DONE ? sqlite3_last_insert_rowid(st->db)
                                            : lsu_store_fail(st, "enregistrement de la saisie");
    }
    sqlite3_finalize(s);
    free(summary);
    return id;
}
