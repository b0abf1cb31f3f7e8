/* primes: the sieve of Eratosthenes, a loop- and store-heavy workload. */
#include "hal.h"

#define LIMIT 20000

static u8 composite[LIMIT + 1];   /* in .bss: zeroed by start-up */

int main(void)
{
    long count = 0, last = 0;
    for (long i = 2; i <= LIMIT; i++) {
        if (composite[i])
            continue;
        count++;
        last = i;
        for (long j = i * i; j <= LIMIT; j += i)
            composite[j] = 1;
    }
    hal_print("primes below ");
    hal_print_int(LIMIT);
    hal_print(": ");
    hal_print_int(count);
    hal_print(", largest ");
    hal_print_int(last);
    hal_putc('\n');
    hal_print("first ten:");
    for (long i = 2, shown = 0; shown < 10; i++) {
        if (!composite[i]) {
            hal_putc(' ');
            hal_print_int(i);
            shown++;
        }
    }
    hal_putc('\n');
    return 0;
}
