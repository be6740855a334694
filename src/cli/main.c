/* main.c - the ballast command. */
#include <stdio.h>

#include "ballast/err.h"

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ballast: %s\n", bl_strerror(BL_EUNSUPPORTED));
    return 2;
}
