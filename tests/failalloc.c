/* A preload for the faults suite (tests/run.sh): the FAIL_AT-th call of
 * malloc, calloc or realloc in the process returns NULL, as Lua's ltests.c
 * and SQLite's fault tests make allocations fail on purpose.  COUNT_ALLOC
 * prints the number of calls at exit, so that the suite can spread its
 * failures over the whole run.
 *   LD_PRELOAD=build/failalloc.so FAIL_AT=1234 lsu check ...
 * dlsym allocates while the real functions are looked up: those first
 * requests are served from a static block, never freed. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long calls, fail_at = -1;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int looking_up;
static char early[65536];
static size_t early_used;

/* Memory for the lookups' own allocations. */
static void *early_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (early_used + n > sizeof early)
        return NULL;
    void *p = early + early_used;
    early_used += n;
    return p;
}

/* Finds the real allocator once. */
static void look_up(void)
{
    if (real_malloc || looking_up)
        return;
    looking_up = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    const char *e = getenv("FAIL_AT");
    if (e)
        fail_at = strtol(e, NULL, 10);
    looking_up = 0;
}

/* Counts a call; is it the one to fail? */
static int failing(void)
{
    return ++calls == fail_at;
}

void *malloc(size_t n)
{
    look_up();
    if (!real_malloc)
        return early_alloc(n);
    return failing() ? NULL : real_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    look_up();
    if (!real_calloc) {
        void *p = b && a > (size_t)-1 / b ? NULL : early_alloc(a * b);
        if (p)
            memset(p, 0, a * b);
        return p;
    }
    return failing() ? NULL : real_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    look_up();
    return failing() ? NULL : real_realloc(p, n);
}

void free(void *p)
{
    if ((char *)p >= early && (char *)p < early + sizeof early)
        return;
    look_up();
    if (real_free)
        real_free(p);
}

/* COUNT_ALLOC: the number of calls, on stderr at exit. */
__attribute__((destructor)) static void report(void)
{
    if (getenv("COUNT_ALLOC"))
        fprintf(stderr, "allocations=%ld\n", calls);
}
