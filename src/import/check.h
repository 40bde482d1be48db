/* Pure helpers of the check stage, exposed for unit tests. */
#ifndef LSU_CHECK_H
#define LSU_CHECK_H

/* Is `text` (already normalised) a placeholder: no letter or digit at all
 * ("-", ".", "…"), or one to three x? */
int lsu_text_is_placeholder(const char *text);

#endif
