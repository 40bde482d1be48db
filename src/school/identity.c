/* The school's identity: read from the store and written by lsu school,
 * its fields checked (see identity.h). */
#include "school/identity.h"
#include "base/util.h"
#include "school/onde_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* See identity.h. */
void lsu_school_identity_free(lsu_school_identity *id)
{
    char **f[] = {&id->nom,           &id->adresse,         &id->code_postal, &id->commune, &id->directeur_civilite,
                  &id->directeur_nom, &id->directeur_prenom};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
}

/* See identity.h. */
int lsu_school_identity_read(lsu_store *st, lsu_school_identity *id)
{
    memset(id, 0, sizeof *id);
    sqlite3_stmt *s = lsu_store_prepare(st, "SELECT nom, adresse, code_postal, commune, directeur_civilite,"
                                            " directeur_nom, directeur_prenom FROM school WHERE id = 1");
    if (!s)
        return -1;
    int rc = sqlite3_step(s);
    char **f[] = {&id->nom,           &id->adresse,         &id->code_postal, &id->commune, &id->directeur_civilite,
                  &id->directeur_nom, &id->directeur_prenom};
    int failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    for (int i = 0; i < (int)(sizeof f / sizeof *f) && !failed; i++) {
        *f[i] = strdup(rc == SQLITE_ROW ? lsu_store_text(s, i) : "");
        failed = !*f[i];
    }
    sqlite3_finalize(s);
    if (failed) {
        lsu_school_identity_free(id);
        return lsu_store_fail(st, "lecture de l'identité de l'école");
    }
    return 0;
}

/* See identity.h. */
int lsu_school_identity_has_directeur(const lsu_school_identity *id)
{
    return id->directeur_civilite && *id->directeur_civilite && id->directeur_nom && *id->directeur_nom &&
           id->directeur_prenom && *id->directeur_prenom;
}

/* See identity.h. */
const char *lsu_school_civilite_label(const char *civilite)
{
    if (civilite && strcmp(civilite, "M") == 0)
        return "M.";
    if (civilite && strcmp(civilite, "MME") == 0)
        return "Mme";
    return "";
}

/* A copy of `in` trimmed of blanks into *out (owned), refused (-1, *why
 * set) when it is not UTF-8, holds a line break, a control or an invisible
 * character, or is longer than max code points.  opt names the option in
 * the refusal. */
static int clean_text(const char *opt, const char *in, size_t max, char **out, char **why)
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = lsu_utf8_decode((const unsigned char *)in + i, n - i, &cp);
        if (l == 0) {
            *why = lsu_asprintf("%s : le texte n'est pas en UTF-8 (octet 0x%02X)", opt, (unsigned char)in[i]);
            return -1;
        }
        i += l;
    }
    *out = strndup(in, n);
    if (!*out)
        return -1;
    size_t at;
    uint32_t bad = lsu_utf8_first_invisible(*out, 1, &at);
    const char *what = bad ? lsu_invisible_name(bad) : NULL;
    if (bad || lsu_utf8_length(*out) > max) {
        *why = bad ? lsu_asprintf("%s : le texte contient un caractère de contrôle ou invisible (%s, U+%04X) ; "
                                  "écrivez-le sur une ligne",
                                  opt, what ? what : "un caractère invisible", (unsigned)bad)
                   : lsu_asprintf("%s : %zu caractères, au plus %zu", opt, lsu_utf8_length(*out), max);
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Does the word hold a letter and no lower-case one (ASCII, Latin-1 and
 * Latin Extended-A, which French names use)?  The nom of "MME LE GALL
 * Anne" is its words in capitals. */
static int is_caps_word(const char *w, size_t n)
{
    int letter = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = lsu_utf8_next((const unsigned char *)w, n, &i);
        int lower = (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
                    (cp >= 0x100 && cp <= 0x137 && (cp & 1)) || (cp >= 0x139 && cp <= 0x148 && !(cp & 1)) ||
                    (cp >= 0x14A && cp <= 0x177 && (cp & 1)) || (cp >= 0x179 && cp <= 0x17F && !(cp & 1));
        if (lower)
            return 0;
        letter |= (cp >= 'A' && cp <= 'Z') || cp >= 0xC0;
    }
    return letter;
}

/* The directeur's words: "MME NOM Prénom" into the three owned fields;
 * -1 with *why set when it is not of that form. */
static int parse_directeur(const char *text, lsu_school_identity *id, char **why)
{
    char *all = NULL;
    if (clean_text("--directeur", text, 250, &all, why) != 0)
        return -1;
    if (!*all) { /* cleared */
        id->directeur_civilite = strdup("");
        id->directeur_nom = strdup("");
        id->directeur_prenom = all;
        return id->directeur_civilite && id->directeur_nom ? 0 : -1;
    }
    /* the civilité: the first word */
    size_t civ_len = strcspn(all, " \t");
    char civ[32], folded[32];
    snprintf(civ, sizeof civ, "%.*s", (int)(civ_len < sizeof civ ? civ_len : sizeof civ - 1), all);
    onde_fold_label(civ, folded, sizeof folded);
    static const char *const men[] = {"m", "m.", "mr", "mr.", "monsieur"};
    static const char *const women[] = {"mme", "mme.", "madame"};
    const char *c = NULL;
    for (size_t i = 0; i < sizeof men / sizeof *men; i++)
        if (strcmp(folded, men[i]) == 0)
            c = "M";
    for (size_t i = 0; i < sizeof women / sizeof *women; i++)
        if (strcmp(folded, women[i]) == 0)
            c = "MME";
    const char *rest = all + civ_len;
    rest += strspn(rest, " \t");
    /* the nom: the words in capitals; the prénom: the words after them
     * (all in capitals: the last word is the prénom) */
    const char *p = rest, *nom_end = rest, *last_start = NULL;
    size_t words = 0, caps = 0;
    while (*p) {
        size_t l = strcspn(p, " \t");
        words++;
        if (caps + 1 == words && is_caps_word(p, l)) {
            caps++;
            nom_end = p + l;
        }
        last_start = p;
        p += l;
        p += strspn(p, " \t");
    }
    if (caps == words && words >= 2) {
        nom_end = last_start;
        while (nom_end > rest && (nom_end[-1] == ' ' || nom_end[-1] == '\t'))
            nom_end--;
        caps--;
    }
    if (!c || caps == 0 || caps == words) {
        *why = lsu_asprintf("--directeur : « %s » : %s (« MME NOM Prénom » ou « M NOM Prénom »)", all,
                            !c           ? "la civilité est M ou MME"
                            : words == 0 ? "le nom et le prénom manquent"
                            : caps == 0  ? "le nom s'écrit en capitales, avant le prénom"
                                         : "le prénom manque");
        free(all);
        return -1;
    }
    const char *prenom = nom_end + strspn(nom_end, " \t");
    id->directeur_civilite = strdup(c);
    id->directeur_nom = strndup(rest, (size_t)(nom_end - rest));
    id->directeur_prenom = strdup(prenom);
    int too_long = id->directeur_nom && id->directeur_prenom &&
                   (lsu_utf8_length(id->directeur_nom) > 100 || lsu_utf8_length(id->directeur_prenom) > 100);
    if (too_long)
        *why = lsu_asprintf("--directeur : le nom et le prénom ont au plus 100 caractères chacun");
    free(all);
    return too_long || !id->directeur_civilite || !id->directeur_nom || !id->directeur_prenom ? -1 : 0;
}

/* The change checked into *to (owned texts, NULL where not given); 0, or
 * -1 with *why set (NULL *why: memory ran out). */
static int check_change(const lsu_school_identity_change *ch, lsu_school_identity *to, char **why)
{
    memset(to, 0, sizeof *to);
    if ((ch->nom && clean_text("--nom", ch->nom, 150, &to->nom, why) != 0) ||
        (ch->adresse && clean_text("--adresse", ch->adresse, 200, &to->adresse, why) != 0) ||
        (ch->commune && clean_text("--commune", ch->commune, 100, &to->commune, why) != 0) ||
        (ch->code_postal && clean_text("--code-postal", ch->code_postal, 5, &to->code_postal, why) != 0) ||
        (ch->directeur && parse_directeur(ch->directeur, to, why) != 0))
        return -1;
    if (to->code_postal && *to->code_postal &&
        (strlen(to->code_postal) != 5 || strspn(to->code_postal, "0123456789") != 5)) {
        *why = lsu_asprintf("--code-postal : « %s » n'est pas un code postal (5 chiffres, 29000)", to->code_postal);
        return -1;
    }
    if (ch->code_postal && !to->code_postal)
        return -1;
    return 0;
}

/* See identity.h. */
int lsu_school_identity_check(const lsu_school_identity_change *ch, char **why)
{
    lsu_school_identity to;
    *why = NULL;
    int rc = check_change(ch, &to, why);
    lsu_school_identity_free(&to);
    return rc != 0 && !*why ? (*why = strdup("mémoire insuffisante"), -1) : rc;
}

/* st->error says memory ran out; returns -1. */
static long long out_of_memory(lsu_store *st)
{
    free(st->error);
    st->error = strdup("mémoire insuffisante");
    return -1;
}

/* See identity.h. */
long long lsu_school_identity_write(lsu_store *st, const lsu_school_identity_change *ch, char **what, char **why)
{
    *why = NULL;
    if (what)
        *what = NULL;
    lsu_school_identity to, cur;
    if (check_change(ch, &to, why) != 0) {
        lsu_school_identity_free(&to);
        return *why ? -2 : out_of_memory(st);
    }
    if (lsu_store_begin(st) != 0) {
        lsu_school_identity_free(&to);
        return -1;
    }
    if (lsu_school_identity_read(st, &cur) != 0) {
        lsu_store_rollback(st);
        lsu_school_identity_free(&to);
        return -1;
    }
    static const char *const names[] = {"nom", "adresse", "code postal", "commune", "directeur", NULL, NULL};
    char **f_to[] = {&to.nom,           &to.adresse,         &to.code_postal, &to.commune, &to.directeur_civilite,
                     &to.directeur_nom, &to.directeur_prenom};
    char **f_cur[] = {&cur.nom,           &cur.adresse,         &cur.code_postal, &cur.commune, &cur.directeur_civilite,
                      &cur.directeur_nom, &cur.directeur_prenom};
    lsu_buf summary = {0}, fields = {0};
    long long changed = 0;
    for (int i = 0; i < 7; i++) {
        int is_dir = i == 4;
        int differs = 0;
        for (int k = i; k < (is_dir ? 7 : i + 1); k++)
            differs |= *f_to[k] && strcmp(*f_to[k], *f_cur[k]) != 0;
        if (differs) {
            changed++;
            lsu_buf_printf(&fields, "%s%s", fields.len ? ", " : "", names[i]);
            lsu_buf_printf(&summary, "%s%s : ", summary.len ? " ; " : "", names[i]);
            for (int side = 0; side < 2; side++) {
                char ***f = side ? f_to : f_cur;
                char *v = is_dir && **f[4] ? lsu_asprintf("%s %s %s", lsu_school_civilite_label(*f[4]), *f[5], *f[6])
                                           : strdup(*f[i]);
                if (side == 0 && v && *v)
                    lsu_buf_printf(&summary, "%s → ", v);
                else if (side == 1)
                    lsu_buf_puts(&summary, v && *v ? v : "(effacé)");
                free(v);
            }
        }
        for (int k = i; k < (is_dir ? 7 : i + 1); k++)
            if (*f_to[k]) { /* the given value replaces the current one */
                free(*f_cur[k]);
                *f_cur[k] = *f_to[k];
                *f_to[k] = NULL;
            }
        if (is_dir)
            i = 6;
    }
    lsu_school_identity_free(&to);
    long long rc = changed;
    if (summary.failed || fields.failed) {
        rc = -3;
    } else if (changed > 0) {
        long long event = lsu_store_event(st, "settings", NULL, summary.data);
        sqlite3_stmt *s = event > 0 ? lsu_store_prepare(st, "INSERT INTO school(id, nom, adresse, code_postal, commune,"
                                                            " directeur_civilite, directeur_nom, directeur_prenom,"
                                                            " event_id) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)"
                                                            " ON CONFLICT(id) DO UPDATE SET nom = excluded.nom,"
                                                            " adresse = excluded.adresse, code_postal ="
                                                            " excluded.code_postal, commune = excluded.commune,"
                                                            " directeur_civilite = excluded.directeur_civilite,"
                                                            " directeur_nom = excluded.directeur_nom,"
                                                            " directeur_prenom = excluded.directeur_prenom,"
                                                            " event_id = excluded.event_id")
                                    : NULL;
        rc = -1;
        if (s) {
            for (int k = 0; k < 7; k++)
                sqlite3_bind_text(s, k + 1, *f_cur[k], -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 8, event);
            int ok = sqlite3_step(s) == SQLITE_DONE;
            sqlite3_finalize(s);
            if (!ok)
                lsu_store_fail(st, "enregistrement de l'identité de l'école");
            else if (lsu_store_commit(st) == 0)
                rc = changed;
        }
    }
    if (st->in_tx)
        lsu_store_rollback(st);
    lsu_school_identity_free(&cur);
    lsu_buf_free(&summary);
    if (rc >= 0 && what) {
        *what = fields.data ? fields.data : strdup("");
        fields.data = NULL;
    }
    lsu_buf_free(&fields);
    return rc == -3 ? out_of_memory(st) : rc;
}
