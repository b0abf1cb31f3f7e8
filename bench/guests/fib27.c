/* fib27: the benchmark workload, recursive fib(27): about 8 million
 * instructions of calls, returns, compares and adds. */
#include "hal.h"

static long fib(long n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    hal_print("fib(27) = ");
    hal_print_int(fib(27));
    hal_putc('\n');
    return 0;
}
