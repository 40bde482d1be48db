/* Unit tests of the file helpers: mkdir -p, atomic writes and the removal
 * of the temporaries a killed writer leaves. */
#include "base/util.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Group "atomic": mkdir -p, atomic writes and their leftovers. */
void test_atomic_write(void)
{
    char dir[] = "/tmp/lsu-unit-XXXXXX";
    if (!mkdtemp(dir)) {
        expect(0, "atomic write", "mkdtemp failed");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/report.json", dir);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    expect(lsu_mkdir_p(sub) == 0, "mkdir -p", NULL);
    expect(lsu_write_file_atomic(path, "{}", 2) == 0, "atomic write ok", NULL);
    struct stat sb;
    expect(stat(path, &sb) == 0 && sb.st_size == 2, "atomic write content", NULL);
    snprintf(path, sizeof path, "%s/missing/report.json", dir);
    expect(lsu_write_file_atomic(path, "{}", 2) != 0, "atomic write into a missing folder fails", NULL);
    /* the leftovers of a killed writer go, and only they */
    const char *names[] = {"ecole.txt.tmp.Ab12Cd", "ecole.txt",     "ecole.json.tmp.Ab12Cd", "academie.html.tmp.Zz99Yy",
                           "academie.html",        "notes.tmp.txt", "x.txt.tmp.short"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/a/%s", dir, names[i]);
        FILE *fp = fopen(path, "w");
        if (fp)
            fclose(fp);
    }
    snprintf(sub, sizeof sub, "%s/a", dir);
    int gone = lsu_remove_atomic_leftovers(sub, "", ".txt");
    gone += lsu_remove_atomic_leftovers(sub, "academie.", "");
    int left = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/a/%s", dir, names[i]);
        left += stat(path, &sb) == 0;
    }
    snprintf(path, sizeof path, "%s/a/ecole.txt.tmp.Ab12Cd", dir);
    int record_gone = stat(path, &sb) != 0;
    char detail[64];
    snprintf(detail, sizeof detail, "%d removed, %d left", gone, left);
    expect(gone == 2 && left == 5 && record_gone, "leftovers of atomic writes removed, nothing else", detail);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "cleanup of %s failed\n", dir);
}
