/* fib27: the benchmark workload, recursive fib(27): about 8 million
 * instructions of calls, returns, compares and adds.  (fib33.c includes this
 * file with a larger FIB_N.) */
#include "hal.h"

#ifndef FIB_N
#define FIB_N 27
#endif
#define STR(x) #x
#define XSTR(x) STR(x)

static long fib(long n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    hal_print("fib(" XSTR(FIB_N) ") = ");
    hal_print_int(fib(FIB_N));
    hal_putc('\n');
    return 0;
}
