/* assertion.c: a failed assert, in glibc's words on stderr, then abort. */
#include <assert.h>
#include <stdio.h>

int main(void)
{
    puts("checking");
    assert(1 + 1 == 3);
    return 0;
}
