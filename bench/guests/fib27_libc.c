/* fib27_libc: fib27.c's workload as a C library program (printf, the POSIX
 * personality): the same hot loop, to show that the C library costs
 * nothing once main runs. */
#include <stdio.h>

static long fib(long n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    printf("fib(27) = %ld\n", fib(27));
    return 0;
}
