/* The option tables of the command line (git's parse-options): one table
 * per command both parses its arguments and prints `lsu CMD --help`. */
#include "cli/cli_int.h"
#include "pdf/edit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* See cli_int.h. */
long long cli_parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0)
        return -1;
    long long mult = 1;
    if (*end == 'k' || *end == 'K')
        mult = 1024;
    else if (*end == 'M')
        mult = 1024LL * 1024;
    else if (*end == 'G')
        mult = 1024LL * 1024 * 1024;
    else if (*end)
        return -1;
    if (mult > 1 && end[1])
        return -1;
    if (v > (1LL << 40) / mult)
        return -1;
    return v * mult;
}

/* See cli_int.h. */
int cli_opt_by(void *field, const char *value, cli_ctx *c)
{
    lsu_edit_by *by = field;
    if (strcmp(value, "class") == 0)
        *by = EDIT_BY_CLASS;
    else if (strcmp(value, "level") == 0)
        *by = EDIT_BY_LEVEL;
    else if (strcmp(value, "school") == 0)
        *by = EDIT_BY_SCHOOL;
    else {
        cli_error(c->err, "--by : « %s » inconnu (class, level ou school)", value);
        return -1;
    }
    return 0;
}

/* Finds the option arg names in the tables.  With a value to take, it is
 * next (*used = 1) or after "=" (OPT_EQUALS); without one it does not
 * match.  Returns the option or NULL. */
static const cli_option *find_option(const cli_option *const *tables, const char *arg, const char *next,
                                     const char **value, int *used)
{
    for (size_t t = 0; tables && tables[t]; t++)
        for (const cli_option *o = tables[t]; o->long_name; o++) {
            size_t n = strlen(o->long_name);
            int is_long = arg[0] == '-' && arg[1] == '-' && strncmp(arg + 2, o->long_name, n) == 0;
            int exact = (is_long && arg[n + 2] == '\0') ||
                        (o->short_name && arg[0] == '-' && arg[1] == o->short_name && arg[2] == '\0');
            *used = 0;
            if (exact && !o->argname)
                return o;
            if (exact && next) {
                *value = next;
                *used = 1;
                return o;
            }
            if (is_long && o->argname && (o->flags & OPT_EQUALS) && arg[n + 2] == '=') {
                *value = arg + n + 3;
                return o;
            }
        }
    return NULL;
}

/* Stores one option's value into args; 0, or -1 (message printed). */
static int apply_option(const cli_option *o, void *args, const char *value, cli_ctx *c)
{
    void *field = (char *)args + o->offset;
    switch (o->kind) {
    case OPT_FLAG: *(int *)field = 1; return 0;
    case OPT_STRING: *(const char **)field = value; return 0;
    case OPT_INT: {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || *end || end == value || v < o->min || v > o->max) {
            /* o->bad holds one "%s", the value's place */
            const char *at = strstr(o->bad, "%s");
            int before = at ? (int)(at - o->bad) : (int)strlen(o->bad);
            cli_error(c->err, "%.*s%s%s", before, o->bad, at ? value : "", at ? at + 2 : "");
            return -1;
        }
        *(long *)field = v;
        return 0;
    }
    case OPT_SIZE: {
        long long v = cli_parse_size(value);
        if (v < (o->min ? o->min : 1)) {
            cli_error(c->err, "--%s : taille invalide « %s »", o->long_name, value);
            return -1;
        }
        *(long long *)field = v;
        return 0;
    }
    case OPT_CALLBACK: return o->cb(field, value, c);
    }
    return -1;
}

/* See cli_int.h. */
int cli_parse(const cli_spec *spec, unsigned flags, void *args, int argc, char **argv, cli_ctx *c)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i] ? argv[i] : "", *value = NULL;
        int used = 0, rc = 0;
        const cli_option *o;
        if (!(flags & CMD_NO_HELP) && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0))
            return PARSE_HELP;
        if (!(flags & CMD_NO_OPTIONS) && (flags & CMD_DASHDASH) && strcmp(arg, "--") == 0) {
            while (rc == 0 && ++i < argc)
                rc = spec->positional ? spec->positional(args, argv[i], c) : (c->pos[c->npos++] = argv[i], 0);
        } else if (!(flags & CMD_NO_OPTIONS) &&
                   (o = find_option(spec->tables, arg, i + 1 < argc ? argv[i + 1] : NULL, &value, &used))) {
            i += used;
            rc = apply_option(o, args, value, c);
        } else if (!(flags & CMD_NO_OPTIONS) && arg[0] == '-' && arg[1]) {
            if (spec->unknown)
                rc = spec->unknown(args, arg, c);
            else {
                cli_usage_error(c->err, "option inconnue ou incomplète « %s »", arg);
                rc = -1;
            }
        } else if (spec->positional) {
            rc = spec->positional(args, arg, c);
        } else {
            c->pos[c->npos++] = argv[i];
        }
        if (rc != 0)
            return PARSE_ERROR;
    }
    return PARSE_OK;
}

/* Columns a UTF-8 string takes (one a character). */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Prints one option's help line: "  -o, --output DOSSIER  help". */
static void print_option(const cli_option *o, FILE *out)
{
    char left[128];
    if (o->short_name)
        snprintf(left, sizeof left, "  -%c, --%s%s%s", o->short_name, o->long_name, o->argname ? " " : "",
                 o->argname ? o->argname : "");
    else
        snprintf(left, sizeof left, "      --%s%s%s", o->long_name, o->argname ? " " : "",
                 o->argname ? o->argname : "");
    size_t w = width(left);
    fputs(left, out);
    if (w >= 24)
        fprintf(out, "\n%24s", "");
    else
        fprintf(out, "%*s", (int)(24 - w), "");
    fprintf(out, "%s\n", o->help);
}

/* Is store option o shown for the command (its selection flags)? */
static int store_option_shown(const cli_command *cmd, const cli_option *o)
{
    if (strcmp(o->long_name, "uai") == 0 || strcmp(o->long_name, "data") == 0)
        return 1;
    if (strcmp(o->long_name, "pupil") == 0)
        return (cmd->flags & CMD_SEL_PUPIL) != 0;
    if (strcmp(o->long_name, "class") == 0 && (cmd->flags & CMD_SEL_CLASS))
        return 1;
    return (cmd->flags & CMD_SEL_GROUP) != 0;
}

/* See cli_int.h. */
void cli_print_help(const cli_command *cmd, FILE *out)
{
    const char *u = cmd->spec->usage;
    for (int line = 0; *u; line++) {
        size_t n = strcspn(u, "\n");
        fprintf(out, "%s%.*s\n", line ? "        " : "Usage : ", (int)n, u);
        u += n + (u[n] == '\n');
    }
    fprintf(out, "\n%s\n\nOptions :\n", cmd->spec->summary);
    if (cmd->flags & CMD_STORE)
        for (const cli_option *o = store_options; o->long_name; o++)
            if (store_option_shown(cmd, o))
                print_option(o, out);
    for (size_t t = 0; cmd->spec->tables && cmd->spec->tables[t]; t++)
        for (const cli_option *o = cmd->spec->tables[t]; o->long_name; o++)
            print_option(o, out);
    fputs("  -h, --help            cette aide\n", out);
}

/* Prints "CMD\t--LONG\t-S" for one option. */
static void list_option(const cli_command *cmd, const cli_option *o, FILE *out)
{
    fprintf(out, "%s\t--%s\t", cmd->display ? cmd->display : cmd->name, o->long_name);
    if (o->short_name)
        fprintf(out, "-%c", o->short_name);
    fputc('\n', out);
}

/* See cli_int.h. */
void cli_list_options(const cli_command *cmd, FILE *out)
{
    if (cmd->flags & CMD_STORE)
        for (const cli_option *o = store_options; o->long_name; o++)
            if (store_option_shown(cmd, o))
                list_option(cmd, o, out);
    for (size_t t = 0; cmd->spec->tables && cmd->spec->tables[t]; t++)
        for (const cli_option *o = cmd->spec->tables[t]; o->long_name; o++)
            list_option(cmd, o, out);
}
