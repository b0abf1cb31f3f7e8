/* A C program built by Debian's cross gcc against glibc, statically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char *p = malloc(64);
    snprintf(p, 64, "hello from %s with %d argument%s", argv[0], argc - 1, argc == 2 ? "" : "s");
    printf("%s; %.3f\n", p, 1.5);
    free(p);
    return 0;
}
