/* Recurses without end until the stack runs out of RAM. */
#include "hal.h"

static long deeper(volatile long n)
{
    return deeper(n + 1) + n;
}

int main(void)
{
    return (int)deeper(0);
}
