/* lsu: the whole program is lsu_main (cli.c), so that tests and fuzzers
 * drive the same code as the command line. */
#include "cli/cli.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    return lsu_main(argc, argv, stdout, stderr);
}
