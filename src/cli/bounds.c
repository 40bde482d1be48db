/* The time and memory bounds of the commands on files (lsu check, edit,
 * run, import): no file may hold a director's or a server's process.
 *
 * Memory: an address-space limit for the process (files are read one after
 * the other and freed between them), so that an allocation past it fails
 * and the file ends with INT001, « mémoire insuffisante ».  Left out under
 * AddressSanitizer (it reserves terabytes up front) and under valgrind
 * (its own allocations share the limit).
 * Time: an alarm per file; when it rings the process says which file and
 * stops with status 3, as lsu batch does for a file that takes too long
 * (BAT001).  Outputs are written under temporary names and the store's
 * transaction is not committed, so nothing half-written is left under a
 * final name; the next run removes the temporaries. */
#include "cli/cli_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) /* their shadow memory is beyond any RLIMIT_AS */
#define BOUNDS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BOUNDS_SANITIZED 1
#endif
#endif
#ifndef BOUNDS_SANITIZED
#define BOUNDS_SANITIZED 0
#endif

/* Is the process run by valgrind?  Its core is preloaded into the
 * program it runs (vgpreload_core-*.so in LD_PRELOAD). */
static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload") != NULL;
}

/* What the alarm prints: made before the alarm is set (a signal handler may
 * only write). */
static char alarm_text[1200];
static size_t alarm_len;

/* SIGALRM: the file took longer than --timeout. */
static void on_alarm(int sig)
{
    (void)sig;
    ssize_t w = write(STDERR_FILENO, alarm_text, alarm_len);
    (void)w;
    _exit(LSU_EXIT_WORKER_FAILED);
}

/* See cli_int.h: --max-memory TAILLE (at least 16M) into a long long. */
int cli_opt_max_memory(void *field, const char *value, cli_ctx *c)
{
    long long v = cli_parse_size(value);
    if (v < 16LL * 1024 * 1024) {
        cli_error(c->err, "--max-memory : taille invalide « %s » (au moins 16M)", value);
        return -1;
    }
    *(long long *)field = v;
    return 0;
}

/* See cli_int.h. */
void cli_bounds_init(cli_bounds *b)
{
    b->timeout = CLI_DEFAULT_TIMEOUT;
    b->max_memory = CLI_DEFAULT_MAX_MEMORY;
}

/* See cli_int.h. */
void cli_bounds_apply(const cli_bounds *b)
{
    if (b->max_memory > 0 && !BOUNDS_SANITIZED && !under_valgrind()) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_AS, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)b->max_memory)) {
            rl.rlim_cur = (rlim_t)b->max_memory;
            setrlimit(RLIMIT_AS, &rl);
        }
    }
    if (b->timeout > 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
    }
}

/* See cli_int.h (lsu_jobs_options.before_file). */
void cli_bounds_file(const char *path, void *bounds)
{
    const cli_bounds *b = bounds;
    if (b->timeout <= 0)
        return;
    lsu_buf text = {0};
    lsu_buf_puts(&text, "lsu: ");
    lsu_buf_puts_visible(&text, path);
    lsu_buf_printf(&text,
                   " : traitement arrêté après %ld s (--timeout) ; ce fichier n'est pas traité, ni ceux qui le "
                   "suivent\n",
                   b->timeout);
    alarm_len = text.failed ? 0 : text.len < sizeof alarm_text ? text.len : sizeof alarm_text;
    if (alarm_len)
        memcpy(alarm_text, text.data, alarm_len);
    lsu_buf_free(&text);
    alarm((unsigned)b->timeout);
}

/* See cli_int.h. */
void cli_bounds_end(void)
{
    alarm(0);
}
