/* SHA-256 in lowercase hex (base/hash.c). */
#ifndef LSU_HASH_H
#define LSU_HASH_H

#include <stddef.h>

/* Lowercase hex SHA-256 of data into out (65 bytes). */
void lsu_sha256_hex(const unsigned char *data, size_t len, char out[65]);
/* The same of a file's content; 0, or -1 with out "" when unreadable. */
int lsu_sha256_file_hex(const char *path, char out[65]);

#endif
