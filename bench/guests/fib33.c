/* fib33: the workload for the parallel speed-up, recursive fib(33): about
 * 130 million instructions, long enough that emulation outweighs start-up. */
#include "hal.h"

static long fib(long n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    hal_print("fib(33) = ");
    hal_print_int(fib(33));
    hal_putc('\n');
    return 0;
}
