/* Texts as LSU compares and prints them (normalise stage, store, unit
 * tests). */
#ifndef LSU_TEXT_H
#define LSU_TEXT_H

#include "base/util.h"

enum {
    LSU_TEXT_BREAKS = 1, /* CR, CRLF or a run of blank lines was changed */
    LSU_TEXT_BLANKS = 2  /* blanks were removed around the text or a line */
};

/* Appends the normalised form of `in` to `out`: CR and CRLF become LF,
 * blanks at the end of each line go, a run of line breaks (with blank lines
 * in between) becomes one, and blanks around the whole text go (NBSP
 * included).  Returns the LSU_TEXT_* flags of what changed. */
int lsu_text_normalise(const char *in, lsu_buf *out);
/* Does the text need no change at all (lsu_text_normalise would copy it)?
 * True for most texts; sets *len to its length then.  One pass, no writes. */
int lsu_text_is_clean(const char *s, size_t *len);

/* Appends a sort key: letters without accents, upper case (œ gives OE). */
void lsu_sort_key(const char *in, lsu_buf *out);

/* Appends `in` in lower case, accents kept (DUPONT and Dupont give
 * dupont, HÉLÈNE gives hélène): how the store compares names. */
void lsu_fold_case(const char *in, lsu_buf *out);

#endif
