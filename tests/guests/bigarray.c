/* bigarray: a large zeroed array (64 KiB in .bss) used as a sieve of
 * Eratosthenes.  Start-up clears .bss; the guest first checks that it found
 * every byte zero (tests/test_profile.py fills .bss with junk before the run),
 * then counts the primes below 65536. */
#include "hal.h"

#define N 65536

static u8 composite[N];

int main(void)
{
    unsigned long nonzero = 0;
    for (long i = 0; i < N; i++)
        nonzero += composite[i] != 0;
    long primes = 0;
    for (long i = 2; i < N; i++) {
        if (composite[i])
            continue;
        primes++;
        if (i < 256)                        /* i * i < N: mark its multiples */
            for (long j = i * i; j < N; j += i)
                composite[j] = 1;
    }
    hal_print("bytes not zero at start: ");
    hal_print_int((long)nonzero);
    hal_print("\nprimes below 65536: ");
    hal_print_int(primes);
    hal_putc('\n');
    return 0;
}
