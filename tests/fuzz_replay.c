/* Replays fuzz inputs through the libFuzzer targets without libFuzzer
 * (libxml2's fuzz/testFuzzer.c): `fuzz-replay TARGET FILE...` reads
 * each file, hands its bytes to that target's LLVMFuzzerTestOneInput and
 * prints "PASS fuzz <target> <file>" once the input went through.  A crash
 * or a sanitizer report ends the process before that line; tests/run.sh
 * turns the exit status into a FAIL line.  The targets are
 * tests/fuzz_NAME.c (check, onde, dates, sync, edit, batch, report,
 * entry_csv, serve), each
 * compiled with -DLLVMFuzzerTestOneInput=lsu_fuzz_NAME so that all link
 * into this one binary.  Exits 0, 1 when a file cannot be read, 2 on bad
 * arguments. */
#include "base/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int fuzz_target(const uint8_t *data, size_t size);
fuzz_target lsu_fuzz_check, lsu_fuzz_onde, lsu_fuzz_dates, lsu_fuzz_sync, lsu_fuzz_edit, lsu_fuzz_batch,
    lsu_fuzz_report, lsu_fuzz_entry_csv, lsu_fuzz_serve;

/* The targets by the name the command line gives. */
static const struct {
    const char *name;
    fuzz_target *run;
} targets[] = {{"check", lsu_fuzz_check},   {"onde", lsu_fuzz_onde},           {"dates", lsu_fuzz_dates},
               {"sync", lsu_fuzz_sync},     {"edit", lsu_fuzz_edit},           {"batch", lsu_fuzz_batch},
               {"report", lsu_fuzz_report}, {"entry_csv", lsu_fuzz_entry_csv}, {"serve", lsu_fuzz_serve}};

/* Reads a whole file into a heap block (caller frees; never NULL on
 * success, even for 0 bytes); NULL when it cannot be read. */
static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    lsu_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        lsu_buf_add(&b, chunk, n);
    int bad = ferror(fp) || b.failed;
    fclose(fp);
    if (bad) {
        lsu_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data ? (unsigned char *)b.data : calloc(1, 1);
}

/* Runs every file through the target named by argv[1]; see the banner. */
int main(int argc, char **argv)
{
    fuzz_target *target = NULL;
    for (size_t i = 0; argc >= 2 && i < sizeof targets / sizeof *targets; i++)
        if (strcmp(argv[1], targets[i].name) == 0)
            target = targets[i].run;
    if (!target) {
        fprintf(stderr, "usage: fuzz-replay check|onde|dates|sync|edit|batch|report|serve FILE...\n");
        return 2;
    }
    int status = 0;
    for (int i = 2; i < argc; i++) {
        size_t len = 0;
        unsigned char *data = read_all(argv[i], &len);
        if (!data) {
            printf("FAIL fuzz %s %s: cannot be read\n", argv[1], argv[i]);
            status = 1;
            continue;
        }
        /* libFuzzer hands over a block of exactly the input's size: an
         * overread shows under AddressSanitizer */
        unsigned char *exact = malloc(len ? len : 1);
        if (!exact) {
            free(data);
            printf("FAIL fuzz %s %s: out of memory\n", argv[1], argv[i]);
            status = 1;
            continue;
        }
        memcpy(exact, data, len);
        free(data);
        fflush(stdout);
        target(exact, len);
        free(exact);
        printf("PASS fuzz %s %s\n", argv[1], argv[i]);
        fflush(stdout);
    }
    return status;
}
