/* The command line: the only part of lsu that prints. */
#ifndef LSU_CLI_H
#define LSU_CLI_H

#include <stdio.h>

/* Runs one lsu command line; returns the process exit status. */
int lsu_main(int argc, char **argv, FILE *out, FILE *err);

#endif
