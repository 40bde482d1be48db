/* Text and name normalisation used by the normalise stage (and unit tests). */
#ifndef LSU_NORMALISE_H
#define LSU_NORMALISE_H

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

/* Appends a sort key: letters without accents, upper case (œ gives OE). */
void lsu_sort_key(const char *in, lsu_buf *out);

/* Levels named in a class label ("CE2-CM1 B" gives CE2 and CM1) as a bit
 * set: 1 CP, 2 CE1, 4 CE2, 8 CM1, 16 CM2. */
unsigned lsu_class_levels(const char *label);
/* The single level of a label ("CE1"), or "" when none or several. */
const char *lsu_class_level(const char *label);
/* "2" or "3" when every level of the label is in that cycle, else "". */
const char *lsu_class_cycle(const char *label);

#endif
