/* fib: recursive Fibonacci, a call-heavy workload (stack frames, returns). */
#include "hal.h"

static long fib(long n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    for (long n = 0; n <= 20; n += 5) {
        hal_print("fib(");
        hal_print_int(n);
        hal_print(") = ");
        hal_print_int(fib(n));
        hal_putc('\n');
    }
    hal_print("fib(24) = ");
    hal_print_int(fib(24));
    hal_putc('\n');
    return 0;
}
