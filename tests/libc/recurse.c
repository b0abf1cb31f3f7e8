/* recurse.c: recursion without end, as a student's missing base case. */
#include <stdio.h>

static int depth(volatile char *above)
{
    volatile char frame[256];
    frame[0] = above ? above[0] + 1 : 0;
    return depth(frame) + frame[1];
}

int main(void)
{
    printf("going down\n");
    fflush(stdout);
    return depth(0);
}
