/* greedy.c: asking for more memory than the limit gets NULL, not a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void try(const char *what, size_t bytes)
{
    char *volatile p = malloc(bytes);          /* volatile: the compiler may not skip it */
    if (p) {
        memset(p, 1, bytes);
        printf("%s: ok, last byte %d\n", what, p[bytes - 1]);
    } else {
        printf("%s: NULL\n", what);
    }
    free(p);
}

int main(void)
{
    try("4 MiB", 4 << 20);
    try("1 MiB", 1 << 20);
    return 0;
}
