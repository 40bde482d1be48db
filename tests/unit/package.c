/* Unit tests of the package stage (src/pdf/package.c): safe names, class
 * names (src/pdf/edit_names.c), SHA-256, zips read back with libzip and
 * byte by byte, manifests, reproducibility, refused entries and failures
 * that must leave no file.
 * The group "package" of build/unit: one line per check, "PASS unit
 * package <what>" or "FAIL unit package <what>: <detail>". */
#include "pdf/package.h"
#include "base/hash.h"
#include "base/util.h"
#include "pdf/edit.h"
#include "test.h"

#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

/* 2025-06-30 09:00:00 UTC, as tests/run.sh sets SOURCE_DATE_EPOCH. */
#define MTIME ((time_t)1751274000)

/* This group's check: its lines read "PASS unit package <what>", the
 * detail is printf-like. */
#define check(ok, what, ...) test_reportf((ok), "package", (what), __VA_ARGS__)

/* ---- class names (src/pdf/edit_names.c) ---- */

/* Names `n` classes (ONDE id, XML id, label), added in the order given by
 * `order`, and checks each name against `want`. */
static void check_class_names(const char *what, const char *const (*cls)[3], const char *const *want, size_t n,
                              const size_t *order)
{
    lsu_class_names *t = lsu_class_names_new();
    int ok = t != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = lsu_class_names_add(t, cls[order[i]][0], cls[order[i]][1], cls[order[i]][2]) == 0;
    ok = ok && lsu_class_names_finish(t) == 0;
    char got[512] = "";
    for (size_t i = 0; ok && i < n; i++) {
        const char *name = lsu_class_names_get(t, cls[i][0], cls[i][1]);
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s%s", i ? " " : "", name ? name : "(null)");
        ok = name && strcmp(name, want[i]) == 0;
    }
    check(ok, what, "got %s", got);
    lsu_class_names_free(t);
}

/* Classes whose labels give one safe name get CP_A, CP_A-2… in the
 * classes' order (label, then id), whatever order they come in; a suffix
 * never takes another class's name; a class is known by its ONDE id, or
 * its XML id when it has none. */
static void test_class_names(void)
{
    static const char *const cls[][3] = {
        {"482914", "CL2", "CP/A"},  {"482913", "CL1", "CP A"}, {"482915", "CL3", "CP A-2"},
        {"1000000", "CL4", "CP/A"}, {"", "CL5", "CE1 B"},      {"", "CL6", "CE1_B"},
    };
    static const char *const want[] = {"CP_A-3", "CP_A", "CP_A-2", "CP_A-4", "CE1_B", "CE1_B-2"};
    static const size_t forward[] = {0, 1, 2, 3, 4, 5}, backward[] = {5, 4, 3, 2, 1, 0};
    check_class_names("class names: one safe name, told apart", cls, want, 6, forward);
    check_class_names("class names: the same whatever the order", cls, want, 6, backward);

    lsu_class_names *t = lsu_class_names_new();
    int ok = t && lsu_class_names_add(t, "7", NULL, "CM1 B") == 0 && lsu_class_names_add(t, "7", NULL, "CM1 A") == 0 &&
             lsu_class_names_add(t, "7", NULL, "CM1 B") == 0 && lsu_class_names_finish(t) == 0;
    const char *name = ok ? lsu_class_names_get(t, "7", "CLX") : NULL;
    check(name && strcmp(name, "CM1_A") == 0, "class names: one class, named by its least label", "got %s",
          name ? name : "(null)");
    check(ok && !lsu_class_names_get(t, "8", NULL), "class names: an unknown class has none", "%s", "");
    check(ok && lsu_class_names_add(t, "9", NULL, "CM2") != 0, "class names: a finished table takes no class", "%s",
          "");
    lsu_class_names_free(t);
}

/* ---- files ---- */

/* Reads a whole file into a heap block (caller frees); NULL on failure. */
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

/* Number of names in `dir` (but "." and ".."), -1 when it cannot be read. */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* rm -rf dir. */
static void remove_tree(const char *dir)
{
    if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "unit package: cleanup of %s failed\n", dir);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* ---- the sample package ---- */

typedef struct {
    const char *entry, *eleve, *ine, *classe, *periode;
    unsigned char *data;
    size_t len;
} sample;

static sample samples[3];

/* Three PDF-like payloads, one of them 200 KB of pseudo-random bytes. */
static int make_samples(void)
{
    static const char *const names[3][5] = {
        {"N_Diaye_Zoë_1234567890A_T1.pdf", "N'Diaye; \"Zoë\"", "1234567890A", "CM1-A", "T1"},
        {"Nguyễn_Thị_Ánh_0987654321B_T1.pdf", "Nguyễn Thị Ánh", "0987654321B", "CM1-A", "T1"},
        {"MARTIN_Paul_1122334455C_T1.pdf", "MARTIN Paul", "1122334455C", "CM1-A", "T1"},
    };
    static const size_t sizes[3] = {1234, 200000, 1};
    uint32_t x = 2463534242u;
    for (int i = 0; i < 3; i++) {
        samples[i] = (sample){names[i][0], names[i][1], names[i][2], names[i][3], names[i][4], NULL, sizes[i]};
        samples[i].data = malloc(sizes[i]);
        if (!samples[i].data)
            return -1;
        for (size_t k = 0; k < sizes[i]; k++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            samples[i].data[k] = (unsigned char)x;
        }
        if (sizes[i] > 8)
            memcpy(samples[i].data, "%PDF-1.4", 8);
    }
    return 0;
}

/* Writes the three samples to `path`; 0, or -1 with the error printed. */
static int build_sample_zip(const char *path)
{
    char *error = NULL;
    lsu_package *p = lsu_package_open(path, MTIME, &error);
    if (!p) {
        fprintf(stderr, "unit package: %s\n", error ? error : "?");
        free(error);
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        const sample *s = &samples[i];
        if (lsu_package_add(p, s->entry, s->data, s->len, s->eleve, s->ine, s->classe, s->periode, &error) != 0) {
            fprintf(stderr, "unit package: %s\n", error ? error : "?");
            free(error);
            lsu_package_abort(p);
            return -1;
        }
    }
    if (lsu_package_close(p, &error) != 0) {
        fprintf(stderr, "unit package: %s\n", error ? error : "?");
        free(error);
        return -1;
    }
    return 0;
}

/* Reads entry `name` of an open zip into a heap block; NULL on failure. */
static unsigned char *zip_read_entry(zip_t *za, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) != 0)
        return NULL;
    zip_file_t *zf = zip_fopen(za, name, 0);
    unsigned char *buf = malloc(st.size + 1);
    if (!zf || !buf) {
        if (zf)
            zip_fclose(zf);
        free(buf);
        return NULL;
    }
    zip_int64_t n = zip_fread(zf, buf, st.size);
    zip_fclose(zf);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(buf);
        return NULL;
    }
    buf[st.size] = '\0';
    *len = st.size;
    return buf;
}

/* Splits one CSV line (no line end) into at most `max` cells of at most
 * 255 bytes, undoing the quoting; returns the number of cells. */
static int csv_split(const char *line, char cells[][256], int max)
{
    int n = 0;
    const char *s = line;
    for (;;) {
        if (n == max)
            return n + 1;
        size_t k = 0;
        char *out = cells[n];
        if (*s == '"') {
            for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
                if (*s == '"')
                    s++;
                if (k < 255)
                    out[k++] = *s;
            }
            if (*s == '"')
                s++;
        }
        for (; *s && *s != ';'; s++)
            if (k < 255)
                out[k++] = *s;
        out[k] = '\0';
        n++;
        if (*s != ';')
            return n;
        s++;
    }
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int is_ascii(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return 0;
    return 1;
}

/* ---- checks ---- */

static void test_safe_name(void)
{
    static const struct {
        const char *what, *in, *want;
    } cases[] = {
        {"N'Diaye Zoë", "N'Diaye Zoë", "N_Diaye_Zoë"},
        {"N’Diaye Zoë (curly apostrophe)",
         "N\xE2\x80\x99"
         "Diaye Zoë",
         "N_Diaye_Zoë"},
        {"Nguyễn Thị Ánh", "Nguyễn Thị Ánh", "Nguyễn_Thị_Ánh"},
        {"Łukasz Wałęsa-François", "Łukasz Wałęsa-François", "Łukasz_Wałęsa-François"},
        {"../../etc/passwd", "../../etc/passwd", "etc_passwd"},
        {"dot", ".", "_"},
        {"dot dot", "..", "_"},
        {"empty", "", "_"},
        {"NULL", NULL, "_"},
        {"backslashes", "..\\..\\win.ini", "win_ini"},
        {"spaces and underscores collapse", "  Jean__Marc   O'Brien ", "Jean_Marc_O_Brien"},
        {"leading dash", "-rf /", "rf"},
        {"no-break spaces",
         "Anne\xC2\xA0Marie\xE2\x80\xAF"
         "Durand",
         "Anne_Marie_Durand"},
        {"bidi override",
         "\xE2\x80\xAE"
         "fdp.exe",
         "fdp_exe"},
        {"invalid UTF-8 (Latin-1 ë)",
         "Zo\xEB"
         "e",
         "Zo_e"},
        {"invalid UTF-8 (overlong /)",
         "a\xC0\xAF"
         "b",
         "a_b"},
        {"invalid UTF-8 (cut sequence)", "Zo\xC3", "Zo"},
        {"invalid UTF-8 (surrogate)", "x\xED\xA0\x80y", "x_y"},
        {"Windows device name", "con", "con_"},
        {"Windows device name COM1", "COM1", "COM1_"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char what[160];
        snprintf(what, sizeof what, "safe_name %s", cases[i].what);
        char *got = lsu_safe_name(cases[i].in);
        check(got && strcmp(got, cases[i].want) == 0, what, "got [%s], want [%s]", got ? got : "(null)", cases[i].want);
        free(got);
    }

    /* 300 characters: "a" then 299 "é" (2 bytes each): cut at 79 bytes,
     * as the 40th "é" would end at byte 81 */
    lsu_buf in = {0}, want = {0};
    lsu_buf_puts(&in, "a");
    lsu_buf_puts(&want, "a");
    for (int i = 0; i < 299; i++)
        lsu_buf_puts(&in, "é");
    for (int i = 0; i < 39; i++)
        lsu_buf_puts(&want, "é");
    char *got = lsu_safe_name(in.data);
    check(got && strcmp(got, want.data) == 0 && strlen(got) == 79, "safe_name 300 chars cut at 80 bytes",
          "got %zu bytes", got ? strlen(got) : 0);
    free(got);
    lsu_buf_free(&in);
    lsu_buf_free(&want);

    /* every byte value, alone and in pairs: the result is never unsafe */
    int bad = 0;
    char first_bad[16] = "";
    for (int a = 1; a < 256 && !bad; a++)
        for (int b = 0; b < 256 && !bad; b++) {
            char s[4] = {(char)a, (char)b, '.', '\0'};
            char *r = lsu_safe_name(s);
            if (!r || !*r || strlen(r) > 80 || strpbrk(r, "/\\.:") || !strcmp(r, ".") || !strcmp(r, "..")) {
                bad = 1;
                snprintf(first_bad, sizeof first_bad, "%02x %02x", a, b);
            }
            free(r);
        }
    check(!bad, "safe_name never unsafe over all byte pairs", "bytes %s", first_bad);
}

static void test_sha256(void)
{
    char hex[65];
    lsu_sha256_hex((const unsigned char *)"abc", 3, hex);
    check(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0, "sha256 of abc",
          "got %s", hex);
    lsu_sha256_hex((const unsigned char *)"", 0, hex);
    check(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
          "sha256 of the empty string", "got %s", hex);
    /* a file over several read blocks hashes as its bytes do */
    char path[] = "/tmp/lsu-sha-XXXXXX";
    int fd = mkstemp(path);
    size_t len = 200000;
    unsigned char *data = malloc(len);
    for (size_t i = 0; data && i < len; i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    char want[65], got[65];
    int written = fd >= 0 && data && write(fd, data, len) == (ssize_t)len;
    if (fd >= 0)
        close(fd);
    lsu_sha256_hex(data, len, want);
    int rc = lsu_sha256_file_hex(path, got);
    check(written && rc == 0 && strcmp(got, want) == 0, "sha256 of a 200 KB file", "rc %d, got %s", rc, got);
    unlink(path);
    free(data);
    rc = lsu_sha256_file_hex("/nonexistent/lsu-sha", got);
    check(rc == -1 && got[0] == '\0', "sha256 of a missing file: -1 and empty", "rc %d", rc);
}

/* Reads the sample zip back with libzip: entries, sizes, method, dates,
 * and both manifests against the entries' data. */
static void test_read_back(const char *dir, const char *path)
{
    const char *const order[5] = {samples[0].entry, samples[1].entry, samples[2].entry, "MANIFEST.csv",
                                  "manifeste.json"};
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    check(za != NULL, "zip opens with libzip (ZIP_CHECKCONS)", "zip_open error %d", err);
    if (!za)
        return;
    zip_int64_t n = zip_get_num_entries(za, 0);
    check(n == 5, "zip has 3 entries and 2 manifests", "%lld entries", (long long)n);

    int names_ok = 1, sizes_ok = 1, stored = 1, dated = 1;
    char detail[512] = "";
    for (zip_int64_t i = 0; i < n && i < 5; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0) {
            names_ok = 0;
            continue;
        }
        if (strcmp(st.name, order[i]) != 0) {
            names_ok = 0;
            snprintf(detail, sizeof detail, "entry %lld is [%s], want [%s]", (long long)i, st.name, order[i]);
        }
        if (i < 3 && st.size != samples[i].len)
            sizes_ok = 0;
        if (st.comp_method != ZIP_CM_STORE || st.comp_size != st.size)
            stored = 0;
        if (!(st.valid & ZIP_STAT_MTIME) || st.mtime != MTIME)
            dated = 0;
    }
    check(names_ok, "entry names in order, UTF-8 kept", "%s", detail);
    check(sizes_ok, "entry sizes", "a size differs");
    check(stored, "every entry stored (ZIP_CM_STORE)", "an entry is compressed");
    check(dated, "every entry dated with mtime", "a date differs from %lld", (long long)MTIME);

    size_t len = 0;
    unsigned char *csv = zip_read_entry(za, "MANIFEST.csv", &len);
    check(csv && len > 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0, "MANIFEST.csv starts with a BOM", "no BOM");
    const char *header = "Fichier;Élève;INE;Classe;Période;Octets;SHA-256\r\n";
    check(csv && len > 3 && strncmp((char *)csv + 3, header, strlen(header)) == 0, "MANIFEST.csv header", "got [%.60s]",
          csv ? (char *)csv + 3 : "");
    int lines = 0, rows_ok = 1, sha_ok = 1, crlf = 1;
    detail[0] = '\0';
    if (csv && len > 3 + strlen(header)) {
        char *s = (char *)csv + 3 + strlen(header);
        for (char *eol; *s && (eol = strstr(s, "\r\n")); s = eol + 2, lines++) {
            *eol = '\0';
            if (strchr(s, '\n') || strchr(s, '\r'))
                crlf = 0;
            char cells[8][256];
            int nc = csv_split(s, cells, 8);
            if (lines >= 3 || nc != 7) {
                rows_ok = 0;
                continue;
            }
            const sample *sm = &samples[lines];
            char octets[32];
            snprintf(octets, sizeof octets, "%zu", sm->len);
            if (strcmp(cells[0], sm->entry) != 0 || strcmp(cells[1], sm->eleve) != 0 ||
                strcmp(cells[2], sm->ine) != 0 || strcmp(cells[3], sm->classe) != 0 ||
                strcmp(cells[4], sm->periode) != 0 || strcmp(cells[5], octets) != 0) {
                rows_ok = 0;
                snprintf(detail, sizeof detail, "row %d: [%.80s] [%.80s] [%.20s]", lines, cells[0], cells[1], cells[5]);
            }
            size_t dlen = 0;
            unsigned char *data = zip_read_entry(za, cells[0], &dlen);
            char hex[65] = "";
            if (data)
                lsu_sha256_hex(data, dlen, hex);
            if (!data || strcmp(hex, cells[6]) != 0 || dlen != sm->len || memcmp(data, sm->data, dlen) != 0)
                sha_ok = 0;
            free(data);
        }
        if (*s)
            crlf = 0;
    }
    check(lines == 3 && rows_ok, "MANIFEST.csv one row per entry, in order, quoted cells", "%d rows; %s", lines,
          detail);
    check(crlf, "MANIFEST.csv CRLF line ends", "a bare line end");
    check(lines == 3 && sha_ok, "MANIFEST.csv SHA-256 match the entries' data", "a digest differs");
    free(csv);

    unsigned char *json = zip_read_entry(za, "manifeste.json", &len);
    int json_ok = json && json[0] == '[' && len > 2 && strcmp((char *)json + len - 2, "]\n") == 0;
    for (int i = 0; i < 3 && json_ok; i++) {
        char hex[65], want[160];
        lsu_sha256_hex(samples[i].data, samples[i].len, hex);
        snprintf(want, sizeof want, "\"octets\": %zu, \"sha256\": \"%s\"}", samples[i].len, hex);
        json_ok = strstr((char *)json, want) != NULL;
    }
    json_ok = json_ok && strstr((char *)json, "\"eleve\": \"N'Diaye; \\\"Zoë\\\"\"") != NULL &&
              strstr((char *)json, "{\"fichier\": \"Nguyễn_Thị_Ánh_0987654321B_T1.pdf\"") != NULL;
    check(json_ok, "manifeste.json lists every entry with its SHA-256", "got [%.200s]", json ? (char *)json : "");
    free(json);
    zip_close(za);

    /* byte level: no extra field anywhere, UTF-8 flag on non-ASCII names,
     * the date written from the UTC fields of mtime */
    unsigned char *z = read_all(path, &len);
    int raw_ok = z && len >= 22 && le32(z + len - 22) == 0x06054b50;
    int no_extra = 1, utf8_flag = 1, dos_ok = 1, attrs_ok = 1, entries = 0;
    if (raw_ok) {
        uint32_t off = le32(z + len - 22 + 16);
        uint16_t total = le16(z + len - 22 + 10);
        for (uint16_t e = 0; e < total && raw_ok; e++) {
            if (off + 46 > len || le32(z + off) != 0x02014b50) {
                raw_ok = 0;
                break;
            }
            const unsigned char *c = z + off;
            uint16_t flags = le16(c + 8), nlen = le16(c + 28), xlen = le16(c + 30), clen = le16(c + 32);
            uint32_t loc = le32(c + 42);
            if (loc + 30 > len || le32(z + loc) != 0x04034b50) {
                raw_ok = 0;
                break;
            }
            const unsigned char *l = z + loc;
            if (xlen || le16(l + 28))
                no_extra = 0;
            int ascii = is_ascii(c + 46, nlen);
            if (!ascii && (!(flags & 0x800) || !(le16(l + 6) & 0x800)))
                utf8_flag = 0;
            /* 2025-06-30 09:00:00 -> date (45 << 9 | 6 << 5 | 30), time 9 << 11 */
            if (le16(c + 12) != (9 << 11) || le16(c + 14) != (45 << 9 | 6 << 5 | 30) || le16(l + 10) != le16(c + 12) ||
                le16(l + 12) != le16(c + 14))
                dos_ok = 0;
            if (c[5] != 3 || le32(c + 38) != (uint32_t)0100644 << 16)
                attrs_ok = 0;
            off += 46u + nlen + xlen + clen;
            entries++;
        }
    }
    check(raw_ok && entries == 5, "zip structure walks (EOCD, central, local headers)", "entries %d", entries);
    check(raw_ok && no_extra, "no extra field in local or central headers", "an extra field was written");
    check(raw_ok && utf8_flag, "UTF-8 flag (bit 11) on non-ASCII names", "flag missing");
    check(raw_ok && dos_ok, "DOS date and time are the UTC fields of mtime", "a date differs");
    check(raw_ok && attrs_ok, "UNIX attributes -rw-r--r-- on every entry", "attributes differ");
    free(z);

    struct stat st;
    check(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "zip mode 0644", "mode %o",
          (unsigned)(st.st_mode & 0777));
    check(count_files(dir) == 1, "no temporary file left beside the zip", "%d files", count_files(dir));
}

static void test_reproducible(const char *dir)
{
    char *a = lsu_asprintf("%s/a.zip", dir), *b = lsu_asprintf("%s/b.zip", dir), *c = lsu_asprintf("%s/c.zip", dir);
    if (!a || !b || !c) {
        check(0, "same calls give the same bytes", "out of memory");
        free(a), free(b), free(c);
        return;
    }
    int built = build_sample_zip(a) == 0 && build_sample_zip(b) == 0;
    /* the machine's time zone must not enter the bytes */
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    tzset();
    built = built && build_sample_zip(c) == 0;
    setenv("TZ", "UTC", 1);
    tzset();
    size_t la = 0, lb = 0, lc = 0;
    unsigned char *da = built ? read_all(a, &la) : NULL, *db = built ? read_all(b, &lb) : NULL,
                  *dc = built ? read_all(c, &lc) : NULL;
    check(da && db && la == lb && memcmp(da, db, la) == 0, "same calls give the same bytes", "%zu vs %zu bytes", la,
          lb);
    check(da && dc && la == lc && memcmp(da, dc, la) == 0, "same bytes in another time zone", "%zu vs %zu bytes", la,
          lc);
    free(da), free(db), free(dc);
    unlink(a);
    unlink(b);
    unlink(c);
    free(a), free(b), free(c);
}

static void test_refusals(const char *dir)
{
    char *path = lsu_asprintf("%s/refus.zip", dir), *error = NULL;
    lsu_package *p = path ? lsu_package_open(path, MTIME, &error) : NULL;
    check(p != NULL, "open", "%s", error ? error : "?");
    free(error);
    error = NULL;
    if (!p) {
        free(path);
        return;
    }
    const unsigned char pdf[] = "%PDF-1.4";
    check(lsu_package_add(p, "x.pdf", pdf, 8, "X", "1", "CM1", "T1", &error) == 0, "a plain entry is accepted", "%s",
          error ? error : "?");
    free(error);
    static const struct {
        const char *what, *name;
    } bad[] = {
        {"../x.pdf", "../x.pdf"},
        {"a/b.pdf", "a/b.pdf"},
        {"/abs.pdf", "/abs.pdf"},
        {"a\\b.pdf", "a\\b.pdf"},
        {"an empty name", ""},
        {"a duplicate", "x.pdf"},
        {"a duplicate but for case", "X.PDF"},
        {"the manifest's name", "MANIFEST.csv"},
        {"invalid UTF-8", "Zo\xEB.pdf"},
        {"a control character", "a\nb.pdf"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char what[96];
        snprintf(what, sizeof what, "refuses %s", bad[i].what);
        error = NULL;
        int rc = lsu_package_add(p, bad[i].name, pdf, 8, "X", "1", "CM1", "T1", &error);
        check(rc == -1 && error && *error, what, "rc %d, error [%s]", rc, error ? error : "(none)");
        free(error);
    }
    error = NULL;
    int rc = lsu_package_close(p, &error);
    check(rc == 0, "close after refusals", "%s", error ? error : "?");
    free(error);
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);
    zip_int64_t n = za ? zip_get_num_entries(za, 0) : -1;
    check(n == 3, "refused entries are not in the zip", "%lld entries", (long long)n);
    if (za)
        zip_close(za);
    unlink(path);
    free(path);
}

static void test_failures(const char *dir)
{
    const unsigned char pdf[] = "%PDF-1.4";
    char *error = NULL;

    /* the final folder removed before close */
    char *sub = lsu_asprintf("%s/gone", dir), *path = lsu_asprintf("%s/gone/x.zip", dir);
    mkdir(sub, 0755);
    lsu_package *p = lsu_package_open(path, MTIME, &error);
    if (p && lsu_package_add(p, "x.pdf", pdf, 8, "X", "1", "CM1", "T1", &error) == 0) {
        remove_tree(sub);
        int rc = lsu_package_close(p, &error);
        check(rc == -1 && error && strstr(error, "écriture du zip impossible"), "failed close (folder removed)",
              "rc %d, error [%s]", rc, error ? error : "(none)");
        check(!exists(path) && !exists(sub), "failed close leaves no file", "something left");
    } else {
        check(0, "failed close (folder removed)", "setup: %s", error ? error : "?");
        lsu_package_abort(p);
    }
    free(error);
    error = NULL;
    free(sub);
    free(path);

    /* the final name is a folder that rename cannot replace */
    sub = lsu_asprintf("%s/rename", dir);
    path = lsu_asprintf("%s/rename/x.zip", dir);
    char *inner = lsu_asprintf("%s/rename/x.zip/keep", dir);
    mkdir(sub, 0755);
    mkdir(path, 0755);
    mkdir(inner, 0755);
    p = lsu_package_open(path, MTIME, &error);
    if (p && lsu_package_add(p, "x.pdf", pdf, 8, "X", "1", "CM1", "T1", &error) == 0) {
        int rc = lsu_package_close(p, &error);
        check(rc == -1 && error && *error, "failed close (rename refused)", "rc %d, error [%s]", rc,
              error ? error : "(none)");
        check(count_files(sub) == 1, "failed rename leaves no temporary file", "%d files in %s", count_files(sub), sub);
    } else {
        check(0, "failed close (rename refused)", "setup: %s", error ? error : "?");
        lsu_package_abort(p);
    }
    free(error);
    error = NULL;
    remove_tree(sub);
    free(sub), free(path), free(inner);

    /* abort */
    sub = lsu_asprintf("%s/abort", dir);
    path = lsu_asprintf("%s/abort/x.zip", dir);
    mkdir(sub, 0755);
    p = lsu_package_open(path, MTIME, &error);
    int added = p && lsu_package_add(p, "x.pdf", pdf, 8, "X", "1", "CM1", "T1", &error) == 0;
    lsu_package_abort(p);
    check(added && count_files(sub) == 0, "abort leaves no file", "%d files; %s", count_files(sub), error ? error : "");
    free(error);
    error = NULL;
    remove_tree(sub);
    free(sub), free(path);

    /* open in a folder that does not exist */
    path = lsu_asprintf("%s/nowhere/x.zip", dir);
    p = lsu_package_open(path, MTIME, &error);
    check(!p && error && strstr(error, "création du zip impossible"), "open fails in a missing folder", "[%s]",
          error ? error : "(none)");
    lsu_package_abort(p);
    free(error);
    free(path);
}

static void test_empty(const char *dir)
{
    char *path = lsu_asprintf("%s/vide.zip", dir), *error = NULL;
    lsu_package *p = lsu_package_open(path, MTIME, &error);
    int rc = p ? lsu_package_close(p, &error) : -1;
    int err = 0;
    zip_t *za = rc == 0 ? zip_open(path, ZIP_RDONLY, &err) : NULL;
    size_t len = 0;
    unsigned char *csv = za ? zip_read_entry(za, "MANIFEST.csv", &len) : NULL;
    unsigned char *json = za ? zip_read_entry(za, "manifeste.json", &len) : NULL;
    check(za && zip_get_num_entries(za, 0) == 2 && csv &&
              strcmp((char *)csv, "\xEF\xBB\xBF"
                                  "Fichier;Élève;INE;Classe;Période;Octets;SHA-256\r\n") == 0 &&
              json && strcmp((char *)json, "[]\n") == 0,
          "an empty package holds both manifests, header only", "%s", error ? error : "contents differ");
    free(csv);
    free(json);
    if (za)
        zip_close(za);
    free(error);
    unlink(path);
    free(path);
}

/* Group "package": builds its samples in a temporary folder, runs every
 * check above, removes the folder and puts TZ back as it was. */
void test_package(void)
{
    /* zip_stat gives the DOS date back through mktime (local time): read
     * in UTC, it is mtime again */
    const char *tz = getenv("TZ");
    char *saved_tz = tz ? strdup(tz) : NULL;
    setenv("TZ", "UTC", 1);
    tzset();
    char tmpl[] = "/tmp/lsu-package-test.XXXXXX";
    const char *base = getenv("TMPDIR");
    char *dir_tmpl = lsu_asprintf("%s/lsu-package-test.XXXXXX", base && *base ? base : "/tmp");
    char *dir = dir_tmpl ? mkdtemp(dir_tmpl) : mkdtemp(tmpl);
    if (!dir || make_samples() != 0) {
        check(0, "set up", "%s", "cannot make its folder or samples");
        free(dir_tmpl);
        free(saved_tz);
        return;
    }

    test_safe_name();
    test_class_names();
    test_sha256();

    char *sub = lsu_asprintf("%s/read", dir), *path = lsu_asprintf("%s/read/CM1-A.zip", dir);
    mkdir(sub, 0755);
    int built = build_sample_zip(path) == 0;
    check(built, "build a zip of 3 entries", "see stderr");
    if (built)
        test_read_back(sub, path);
    free(sub);
    free(path);

    test_reproducible(dir);
    test_refusals(dir);
    test_failures(dir);
    test_empty(dir);

    remove_tree(dir);
    free(dir_tmpl);
    for (int i = 0; i < 3; i++)
        free(samples[i].data);
    if (saved_tz)
        setenv("TZ", saved_tz, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved_tz);
}
