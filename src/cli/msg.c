/* The command line's one message family: every error line lsu prints
 * starts with "lsu: " and ends with a line end, written here only; usage
 * errors end with the one hint " (voir lsu --help)". */
#include "cli/cli_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Writes "lsu: " + fmt + hint + "\n" on err. */
static void vmessage(FILE *err, const char *hint, const char *fmt, va_list ap)
{
    fputs("lsu: ", err);
    vfprintf(err, fmt, ap);
    fputs(hint, err);
    fputc('\n', err);
}

/* See cli_int.h. */
void cli_error(FILE *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(err, "", fmt, ap);
    va_end(ap);
}

/* See cli_int.h. */
void cli_usage_error(FILE *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(err, " (voir lsu --help)", fmt, ap);
    va_end(ap);
}

/* See cli_int.h. */
void cli_buf_error(lsu_buf *text, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        text->failed = 1;
        return;
    }
    lsu_buf_puts(text, "lsu: ");
    lsu_buf_puts(text, s);
    lsu_buf_puts(text, "\n");
    free(s);
}

/* See cli_int.h. */
void cli_error_remedy(FILE *err, const char *prefix, const char *text, const lsu_remedy *rm)
{
    char *t = cli_remedy_text(text ? text : "?", rm, 1);
    if (prefix)
        cli_error(err, "%s : %s", prefix, t ? t : "?");
    else
        cli_error(err, "%s", t ? t : "?");
    free(t);
}
