/* libFuzzer target: the result records of lsu batch and the académie
 * summary.  The input is cut at form feeds (\f) into up to 32 record
 * files, written into a scratch folder and read back with
 * batch_record_read (src/batch/record.c); each record read is written
 * again with batch_record_write and read once more, which must give the
 * same record (else abort); then lsu_summary_write (src/batch/summary.c)
 * writes academie.{json,csv,html} from the records, its screen to
 * /dev/null, and the folder is removed.  Set TMPDIR to a tmpfs
 * (/dev/shm) for speed. */
#include "base/util.h"
#include "batch/batch_int.h"
#include "batch/record.h"
#include "batch/summary.h"
#include "fuzz_util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two record strings alike, NULL standing for "" (a record written with
 * no input or codes reads back empty). */
static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* r written under dir and read back must be r, when its stem names a
 * file there (a worker's stems are lsu_output_stem's, never a path). */
static void round_trip(const char *dir, const lsu_batch_record *r)
{
    if (!*r->stem || strchr(r->stem, '/') || strcmp(r->stem, ".") == 0 || strcmp(r->stem, "..") == 0)
        return;
    if (batch_record_write(dir, r) != 0)
        return;
    char *path = batch_record_path(dir, r->stem);
    lsu_batch_record back;
    if (path && batch_record_read(path, &back) == 0) {
        if (!same_text(r->path, back.path) || !same_text(r->stem, back.stem) || !same_text(r->uai, back.uai) ||
            !same_text(r->input, back.input) || !same_text(r->codes, back.codes) ||
            !same_text(r->failure, back.failure) || !same_text(r->message, back.message) || r->status != back.status ||
            r->traites != back.traites || r->importes != back.importes || r->avec_alertes != back.avec_alertes ||
            r->rejetes != back.rejetes || r->file_rejected != back.file_rejected || r->pdfs != back.pdfs ||
            r->zips != back.zips)
            abort();
        lsu_batch_record_clear(&back);
    } else if (path) {
        abort(); /* a record written must read back */
    }
    if (path)
        remove(path);
    free(path);
}

/* Runs one input; see the banner. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *block, *parts[MAX_RECORDS], dir[4096];
    if (size > 65536)
        return 0;
    size_t n = fuzz_split(data, size, '\f', &block, parts, MAX_RECORDS);
    if (n == 0)
        return 0;
    if (fuzz_tempdir(dir, sizeof dir) != 0) {
        free(block);
        return 0;
    }
    char *results = lsu_asprintf("%s/" STATE_DIR "/results", dir);
    lsu_batch_record records[MAX_RECORDS];
    size_t nread = 0;
    for (size_t i = 0; results && i < n; i++) {
        char *path = lsu_asprintf("%s/r%zu.txt", dir, i);
        if (path && lsu_write_file_atomic(path, parts[i], strlen(parts[i])) == 0 &&
            batch_record_read(path, &records[nread]) == 0)
            nread++;
        if (path)
            remove(path);
        free(path);
    }
    if (results && lsu_mkdir_p(results) == 0)
        for (size_t i = 0; i < nread; i++)
            round_trip(dir, &records[i]);
    FILE *err = fopen("/dev/null", "w");
    if (err) {
        lsu_summary_write(dir, records, nread, NULL, err);
        fclose(err);
    }
    for (size_t i = 0; i < nread; i++)
        lsu_batch_record_clear(&records[i]);
    free(results);
    lsu_remove_tree(dir);
    free(block);
    return 0;
}
