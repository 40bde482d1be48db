/* The command line's words for the library's remedies (school/remedy.h):
 * the command that does what the text asks, as lsu has always printed it
 * (« lsu unlock », « lsu periods --uai U --class "CE1 A" … »). */
#ifndef LSU_CLI_REMEDY_H
#define LSU_CLI_REMEDY_H

#include "school/remedy.h"

/* The command of remedy r (« lsu sync »); caller frees; NULL when r names
 * none or memory ran out. */
char *cli_remedy_command(const lsu_remedy *r);

/* `text` with every occurrence of r's LSU words (lsu_remedy_words)
 * replaced by r's command; when the text holds none and `append`, the
 * command is added at its end in parentheses; the text as it is for
 * LSU_REMEDY_NONE.  Caller frees; NULL when memory ran out. */
char *cli_remedy_text(const char *text, const lsu_remedy *r, int append);

#endif
