/* The school's store: opening, migrations, transactions (see store.h). */
#include "school/store.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The migrations, in order: migrations[i] brings the schema from version i
 * to version i + 1.  A released script is never edited: a change is a new
 * script appended here. */
static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL,            -- import, sync, lock, unlock, settings\n"
    "  at TEXT NOT NULL,              -- ISO 8601 UTC\n"
    "  source TEXT,                   -- the file imported or synchronised\n"
    "  summary TEXT,\n"
    "  exit_status INTEGER,\n"
    "  report_text TEXT,              -- an import's report as printed\n"
    "  report_json TEXT);\n"
    "CREATE TABLE periodicities(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,     -- Trimestre, Semestre or the custom name\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('trimestre', 'semestre', 'personnalisee')),\n"
    "  millesime INTEGER NOT NULL);\n"
    "CREATE TABLE periods(\n"
    "  periodicity_id INTEGER NOT NULL REFERENCES periodicities(id) ON DELETE CASCADE,\n"
    "  indice INTEGER NOT NULL,\n"
    "  libelle TEXT NOT NULL,\n"
    "  date_debut TEXT NOT NULL,\n"
    "  date_fin TEXT NOT NULL,\n"
    "  PRIMARY KEY(periodicity_id, indice));\n"
    "CREATE TABLE classes(\n"
    "  id_be TEXT PRIMARY KEY,        -- ONDE Identifiant classe\n"
    "  libelle TEXT NOT NULL,\n"
    "  niveau TEXT NOT NULL DEFAULT '',\n"
    "  cycle INTEGER NOT NULL DEFAULT 0,\n"
    "  import_mode TEXT CHECK(import_mode IN ('manuelle', 'logiciel')),\n"
    "  periodicity_id INTEGER REFERENCES periodicities(id),\n"
    "  sync_id INTEGER REFERENCES events(id));\n"
    "CREATE TABLE pupils(\n"
    "  ine TEXT PRIMARY KEY,\n"
    "  nom TEXT NOT NULL, nom_usage TEXT NOT NULL DEFAULT '', prenom TEXT NOT NULL,\n"
    "  date_naissance TEXT NOT NULL DEFAULT '', sexe TEXT NOT NULL DEFAULT '',\n"
    "  niveau TEXT NOT NULL DEFAULT '', cycle INTEGER NOT NULL DEFAULT 0,\n"
    "  classe_id_be TEXT NOT NULL,\n"
    "  sync_id INTEGER REFERENCES events(id));\n"
    "CREATE TABLE teachers(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  civilite TEXT NOT NULL, nom TEXT NOT NULL, prenom TEXT NOT NULL,\n"
    "  classes TEXT NOT NULL DEFAULT '',\n"
    "  event_id INTEGER REFERENCES events(id),\n"
    "  UNIQUE(civilite, nom, prenom));\n"
    "CREATE TABLE bilans(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  ine TEXT NOT NULL,\n"
    "  bkey TEXT NOT NULL,            -- P:millesime:indice/nb or C:cycle:millesime\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('periodique', 'cycle')),\n"
    "  nom TEXT NOT NULL, prenom TEXT NOT NULL,\n"
    "  classe TEXT NOT NULL, id_be TEXT NOT NULL, niveau TEXT NOT NULL,\n"
    "  periode TEXT NOT NULL,         -- Trimestre 1 2024-2025, Fin de cycle 2 2024-2025\n"
    "  xml TEXT NOT NULL,             -- the bilan in normalised form (docs/NORMALISED.md)\n"
    "  event_id INTEGER NOT NULL REFERENCES events(id),\n"
    "  created_at TEXT NOT NULL,\n"
    "  replaced_at TEXT,              -- NULL for the current version\n"
    "  locked_at TEXT);\n"
    "CREATE UNIQUE INDEX bilans_current ON bilans(ine, bkey) WHERE replaced_at IS NULL;\n"
    "CREATE INDEX bilans_ine ON bilans(ine);\n"
    "CREATE TABLE bilan_log(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  bilan_id INTEGER NOT NULL REFERENCES bilans(id),\n"
    "  event_id INTEGER NOT NULL REFERENCES events(id),\n"
    "  action TEXT NOT NULL,          -- verrouillage, deverrouillage, refus (locked, not replaced)\n"
    "  at TEXT NOT NULL);\n"
    "CREATE INDEX bilan_log_bilan ON bilan_log(bilan_id);\n",
    /* 2: the defaults of the school and of its levels, which a class
     * without its own setting takes (the effective one: class_settings) */
    "CREATE TABLE defaults(\n"
    "  niveau TEXT PRIMARY KEY,       -- '': the school; else a level (CE1)\n"
    "  import_mode TEXT CHECK(import_mode IN ('manuelle', 'logiciel')),\n"
    "  periodicity_id INTEGER REFERENCES periodicities(id));\n"
    "CREATE VIEW class_settings AS SELECT c.id_be, c.libelle, c.niveau,\n"
    "  coalesce(c.import_mode, l.import_mode, e.import_mode) AS import_mode,\n"
    "  CASE WHEN c.import_mode IS NOT NULL THEN 'classe' WHEN l.import_mode IS NOT NULL\n"
    "    THEN 'niveau ' || c.niveau WHEN e.import_mode IS NOT NULL THEN 'école' END AS import_mode_from,\n"
    "  coalesce(c.periodicity_id, l.periodicity_id, e.periodicity_id) AS periodicity_id,\n"
    "  CASE WHEN c.periodicity_id IS NOT NULL THEN 'classe' WHEN l.periodicity_id IS NOT NULL\n"
    "    THEN 'niveau ' || c.niveau WHEN e.periodicity_id IS NOT NULL THEN 'école' END AS periodicity_from\n"
    "FROM classes c LEFT JOIN defaults l ON l.niveau = c.niveau AND c.niveau <> ''\n"
    "  LEFT JOIN defaults e ON e.niveau = '';\n",
    /* 3: the school's identity (printed on the bilans, the directeur of the
     * bilans born in the store and of the exports to LSU), the teachers'
     * entry of a class for a period (éléments du programme per domain, in
     * their order, and the parcours projets), and who made each event */
    "CREATE TABLE school(\n"
    "  id INTEGER PRIMARY KEY CHECK(id = 1),\n"
    "  nom TEXT NOT NULL DEFAULT '',  -- École élémentaire Jules Ferry\n"
    "  adresse TEXT NOT NULL DEFAULT '', code_postal TEXT NOT NULL DEFAULT '',\n"
    "  commune TEXT NOT NULL DEFAULT '',\n"
    "  directeur_civilite TEXT NOT NULL DEFAULT '' CHECK(directeur_civilite IN ('', 'M', 'MME')),\n"
    "  directeur_nom TEXT NOT NULL DEFAULT '', directeur_prenom TEXT NOT NULL DEFAULT '',\n"
    "  event_id INTEGER REFERENCES events(id));\n"
    "CREATE TABLE class_elements(\n"
    "  id_be TEXT NOT NULL,           -- the class (ONDE id)\n"
    "  bkey TEXT NOT NULL,            -- the period, as bilans.bkey (P:2024:1/3)\n"
    "  domain TEXT NOT NULL,          -- a domain or sub-domain code (FRA-LGO)\n"
    "  position INTEGER NOT NULL,     -- 1, 2, ... within (id_be, bkey, domain)\n"
    "  libelle TEXT NOT NULL,         -- at most 300 code points\n"
    "  event_id INTEGER REFERENCES events(id),\n"
    "  PRIMARY KEY(id_be, bkey, domain, libelle));\n"
    "CREATE TABLE class_parcours(\n"
    "  id_be TEXT NOT NULL, bkey TEXT NOT NULL,\n"
    "  code TEXT NOT NULL CHECK(code IN ('PAR_CIT', 'PAR_ART', 'PAR_SAN')),\n"
    "  projet TEXT NOT NULL,          -- at most 600 code points\n"
    "  event_id INTEGER REFERENCES events(id),\n"
    "  PRIMARY KEY(id_be, bkey, code));\n"
    "ALTER TABLE events ADD COLUMN author TEXT; -- who: --author, the server's user\n",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof *migrations))
_Static_assert(sizeof migrations / sizeof *migrations == LSU_STORE_SCHEMA_VERSION,
               "LSU_STORE_SCHEMA_VERSION is the number of migrations");

/* See store.h. */
const char *lsu_store_data_dir(const char *option)
{
    if (option && *option)
        return option;
    const char *env = getenv("LSU_DATA");
    if (env && *env)
        return env;
    return "lsu-data";
}

/* See store.h. */
const char *lsu_store_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* See store.h. */
int lsu_store_dup(sqlite3_stmt *s, int i, char **out)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    *out = t ? strdup((const char *)t) : NULL;
    return t && !*out ? -1 : 0;
}

/* Replaces st->error with a formatted message. */
static void set_error(lsu_store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_error(lsu_store *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(st->error);
    st->error = lsu_vasprintf(fmt, ap);
    va_end(ap);
}

/* A French reason for SQLite's result code rc (the English message of
 * SQLite is kept only for the codes not listed). */
static const char *reason_fr(sqlite3 *db, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB: return "le fichier n'est pas une base SQLite";
    case SQLITE_CORRUPT: return "la base est endommagée";
    case SQLITE_CANTOPEN:
        return "ouverture impossible (dossier absent, fichier à la place du dossier, ou droits insuffisants)";
    case SQLITE_READONLY: return "la base est en lecture seule";
    case SQLITE_FULL: return "le disque est plein";
    case SQLITE_BUSY: return "la base est occupée par un autre traitement depuis trop longtemps";
    case SQLITE_IOERR: return "erreur d'entrée-sortie";
    default: return db ? sqlite3_errmsg(db) : "erreur inconnue";
    }
}

/* See store.h. */
int lsu_store_fail(lsu_store *st, const char *what)
{
    set_error(st, "%s : %s", what, st->db ? reason_fr(st->db, sqlite3_extended_errcode(st->db)) : "base non ouverte");
    return -1;
}

/* See store.h. */
int lsu_store_exec(lsu_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        set_error(st, "%s : %s", "requête refusée", reason_fr(st->db, sqlite3_extended_errcode(st->db)));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* See store.h. */
sqlite3_stmt *lsu_store_prepare(lsu_store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        lsu_store_fail(st, "requête invalide");
        return NULL;
    }
    return s;
}

/* See store.h. */
long long lsu_store_int(lsu_store *st, const char *sql, long long fallback)
{
    sqlite3_stmt *s = lsu_store_prepare(st, sql);
    long long v = fallback;
    if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Applies the migrations the database lacks, in one transaction.  Returns
 * a lsu_store_status. */
static int migrate(lsu_store *st)
{
    if (lsu_store_exec(st, "BEGIN IMMEDIATE") != 0)
        return STORE_CANNOT_OPEN;
    int version = (int)lsu_store_int(st, "PRAGMA user_version", 0);
    if (version > MIGRATION_COUNT) {
        char v[16], known[16];
        snprintf(v, sizeof v, "%d", version);
        snprintf(known, sizeof known, "%d", MIGRATION_COUNT);
        set_error(st, "la base est au schéma %s, cette version de lsu ne connaît que le schéma %s", v, known);
        lsu_store_exec(st, "ROLLBACK");
        return STORE_TOO_NEW;
    }
    for (int i = version; i < MIGRATION_COUNT; i++) {
        if (lsu_store_exec(st, migrations[i]) != 0) {
            lsu_store_exec(st, "ROLLBACK");
            return STORE_SQL;
        }
    }
    if (version < MIGRATION_COUNT) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", MIGRATION_COUNT);
        if (lsu_store_exec(st, sql) != 0) {
            lsu_store_exec(st, "ROLLBACK");
            return STORE_SQL;
        }
    }
    if (lsu_store_exec(st, "COMMIT") != 0) {
        lsu_store_exec(st, "ROLLBACK");
        return STORE_SQL;
    }
    return STORE_OK;
}

/* See store.h. */
int lsu_store_open(lsu_store *st, const char *dir, const char *uai, int create)
{
    memset(st, 0, sizeof *st);
    st->uai = lsu_strdup_or_null(uai);
    st->path = lsu_asprintf("%s/%s.sqlite", dir, uai);
    if (!st->uai || !st->path) {
        set_error(st, "%s%s", "mémoire insuffisante", "");
        return STORE_SQL;
    }
    struct stat sb;
    if (stat(st->path, &sb) != 0) {
        if (!create) {
            set_error(st, "aucune base pour l'école %s (%s) : %s", uai, st->path, lsu_remedy_words(LSU_REMEDY_IMPORT));
            lsu_remedy_set(&st->remedy, LSU_REMEDY_IMPORT, uai, NULL, NULL);
            return STORE_ABSENT;
        }
        if (lsu_mkdir_p(dir) != 0) {
            set_error(st, "création du dossier %s impossible : %s", dir, lsu_strerror_fr(errno));
            return STORE_CANNOT_OPEN;
        }
        /* the store holds pupils' names, INE and guardians' addresses: made
         * 0600 before SQLite opens it (its journal files take its mode) */
        int fd = open(st->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    } else if (sb.st_mode & 007) {
        /* a store made readable by all (by an older lsu, or by hand): no
         * longer; a group the académie gave it keeps its access */
        (void)chmod(st->path, sb.st_mode & 0770);
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    int orc = sqlite3_open_v2(st->path, &st->db, flags, NULL);
    if (orc != SQLITE_OK) {
        set_error(st, "%s : %s", st->path, reason_fr(st->db, orc));
        return STORE_CANNOT_OPEN;
    }
    sqlite3_busy_timeout(st->db, 60000);
    sqlite3_extended_result_codes(st->db, 1);
    /* WAL: readers never block the writer; the mode is kept in the file.
     * This is the first read of the file: a file that is not a database
     * fails here. */
    sqlite3_stmt *s = lsu_store_prepare(st, "PRAGMA journal_mode = WAL");
    int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) {
        set_error(st, "%s : %s", st->path, reason_fr(st->db, sqlite3_extended_errcode(st->db)));
        return STORE_CANNOT_OPEN;
    }
    if (lsu_store_exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL") != 0)
        return STORE_CANNOT_OPEN;
    int status = migrate(st);
    if (status == STORE_SQL)
        set_error(st, "%s : mise à jour du schéma impossible : %s", st->path,
                  reason_fr(st->db, sqlite3_extended_errcode(st->db)));
    else if (status == STORE_CANNOT_OPEN)
        set_error(st, "%s : %s", st->path, reason_fr(st->db, sqlite3_extended_errcode(st->db)));
    return status;
}

/* See store.h. */
void lsu_store_close(lsu_store *st)
{
    if (st->db) {
        if (st->in_tx)
            lsu_store_rollback(st);
        sqlite3_close_v2(st->db);
    }
    free(st->path);
    free(st->uai);
    free(st->error);
    memset(st, 0, sizeof *st);
}

/* See store.h. */
int lsu_store_begin(lsu_store *st)
{
    if (lsu_store_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    st->in_tx = 1;
    return 0;
}

/* See store.h. */
int lsu_store_commit(lsu_store *st)
{
    if (lsu_store_exec(st, "COMMIT") != 0) {
        lsu_store_rollback(st);
        return -1;
    }
    st->in_tx = 0;
    return 0;
}

/* See store.h. */
void lsu_store_rollback(lsu_store *st)
{
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
}

/* See store.h. */
void lsu_store_now(char out[21])
{
    lsu_format_datetime_iso(lsu_run_time(), out);
}

/* See store.h. */
long long lsu_store_event(lsu_store *st, const char *kind, const char *source, const char *summary)
{
    char now[21];
    lsu_store_now(now);
    sqlite3_stmt *s =
        lsu_store_prepare(st, "INSERT INTO events(kind, at, source, summary, author) VALUES (?, ?, ?, ?, ?)");
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, st->author, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return lsu_store_fail(st, "enregistrement de l'événement impossible");
    return sqlite3_last_insert_rowid(st->db);
}
