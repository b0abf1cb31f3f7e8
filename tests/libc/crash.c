/* crash.c: a C library program that reads through a null pointer ends
 * with the same one-line fault report as a HAL guest (exit status 3). */
#include <stdio.h>

int main(void)
{
    int *volatile p = NULL;
    printf("about to crash\n");
    fflush(stdout);
    return *p;
}
