/* Test tool: compares two greyscale PGM images (as written by
 * `pdftoppm -gray`) with a tolerance, for the golden page renders.
 *
 *   pgmdiff EXPECTED.pgm ACTUAL.pgm [MAX_PERCENT]
 *
 * A pixel differs when its grey levels are more than 64 apart (anti-aliasing
 * and font hinting move edges by a few levels); the images match when the
 * share of differing pixels is at most MAX_PERCENT (default 1).  Exit 0 on a
 * match, 1 on a mismatch, 2 on a bad file; one line on stdout either way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int width, height;
    unsigned char *pixels;
} pgm;

/* Reads the next header number, skipping blanks and comments; -1 on error. */
static long read_number(FILE *fp)
{
    int c;
    do {
        c = fgetc(fp);
        if (c == '#')
            while (c != '\n' && c != EOF)
                c = fgetc(fp);
    } while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
    long v = 0;
    int digits = 0;
    while (c >= '0' && c <= '9' && v < 100000) {
        v = v * 10 + (c - '0');
        digits++;
        c = fgetc(fp);
    }
    return digits ? v : -1;
}

/* Loads a binary (P5) 8-bit PGM; 0 on success. */
static int load(const char *path, pgm *img)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    char magic[3] = {0};
    int ok = fread(magic, 1, 2, fp) == 2 && strcmp(magic, "P5") == 0;
    long w = ok ? read_number(fp) : -1, h = ok ? read_number(fp) : -1, max = ok ? read_number(fp) : -1;
    ok = w > 0 && h > 0 && max == 255;
    img->pixels = ok ? malloc((size_t)w * (size_t)h) : NULL;
    ok = ok && img->pixels && fread(img->pixels, 1, (size_t)w * (size_t)h, fp) == (size_t)w * (size_t)h;
    fclose(fp);
    img->width = (int)w;
    img->height = (int)h;
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pgmdiff EXPECTED.pgm ACTUAL.pgm [MAX_PERCENT]\n");
        return 2;
    }
    double max_percent = argc > 3 ? strtod(argv[3], NULL) : 1.0;
    pgm a = {0}, b = {0};
    if (load(argv[1], &a) != 0 || load(argv[2], &b) != 0) {
        printf("unreadable image\n");
        free(a.pixels);
        free(b.pixels);
        return 2;
    }
    if (a.width != b.width || a.height != b.height) {
        printf("size %dx%d, expected %dx%d\n", b.width, b.height, a.width, a.height);
        free(a.pixels);
        free(b.pixels);
        return 1;
    }
    size_t n = (size_t)a.width * (size_t)a.height, differ = 0;
    for (size_t i = 0; i < n; i++)
        if (abs(a.pixels[i] - b.pixels[i]) > 64)
            differ++;
    double percent = 100.0 * (double)differ / (double)n;
    printf("%.3f%% of pixels differ (tolerance %.3f%%)\n", percent, max_percent);
    free(a.pixels);
    free(b.pixels);
    return percent <= max_percent ? 0 : 1;
}
