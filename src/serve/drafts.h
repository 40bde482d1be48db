/* The drafts of lsu serve's entry screens (the autosave of the saisie
 * collective des acquis, des éléments du programme and of a pupil's
 * bilan), in DATA/serveur.sqlite beside the accounts (accounts.h): per
 * user and screen (its path and query), the form's fields as typed, the
 * state token the page was shown with and the time.  A draft is never
 * saved into a school's store by itself: the user saves it, with its
 * state token, and a stale one is refused as any other form.  Drafts
 * expire after LSU_DRAFT_SECONDS and go with their user; at most
 * LSU_DRAFT_MAX_BYTES each and LSU_DRAFT_PER_USER per user (the oldest
 * go first).  These functions never print. */
#ifndef LSU_DRAFTS_H
#define LSU_DRAFTS_H

#include "serve/accounts.h"

#include <stddef.h>
#include <time.h>

#define LSU_DRAFT_MAX_BYTES (64L * 1024) /* a draft's fields (an urlencoded form's cap) */
#define LSU_DRAFT_PER_USER 20            /* drafts a user keeps, the newest */
#define LSU_DRAFT_SECONDS (30L * 86400)  /* a draft's life: 30 days */
#define LSU_DRAFT_SCREEN_MAX 1000        /* a screen's path and query, in bytes */

/* One draft as read back. */
typedef struct {
    char *fields;   /* the fields, urlencoded (owned) */
    char state[65]; /* the state token the page was shown with */
    long long at;   /* when it was stored (seconds since the epoch) */
} lsu_draft;

/* Stores (or replaces) login's draft of `screen`: its state token (at
 * most 64 bytes) and its urlencoded fields; removes the expired drafts
 * and login's oldest beyond LSU_DRAFT_PER_USER.  0 stored, 1 refused
 * (too large, a screen or state too long, no such user), -1 (a->error). */
int lsu_draft_put(lsu_accounts *a, const char *login, const char *screen, const char *state, const char *fields,
                  time_t now);
/* login's draft of `screen` not expired at `now` into *d (zeroed first):
 * 1 found, 0 none, -1 (a->error). */
int lsu_draft_get(lsu_accounts *a, const char *login, const char *screen, time_t now, lsu_draft *d);
/* Removes login's draft of `screen` (none: nothing).  0 or -1. */
int lsu_draft_delete(lsu_accounts *a, const char *login, const char *screen);
/* The number of login's drafts not expired at `now`, or -1. */
long lsu_draft_count(lsu_accounts *a, const char *login, time_t now);
void lsu_draft_clear(lsu_draft *d);

#endif
