/* sort: quicksort of a generated array, checked and checksummed.
 * The array comes from a 32-bit linear congruential generator, so every ISA
 * sorts exactly the same numbers. */
#include "hal.h"

#define N 2000

static u32 a[N];

static u32 next_random(u32 *state)
{
    *state = *state * 1664525u + 1013904223u;   /* Numerical Recipes LCG */
    return *state >> 8;
}

static void quicksort(u32 *v, long lo, long hi)
{
    while (lo < hi) {
        u32 pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                u32 t = v[i]; v[i] = v[j]; v[j] = t;
                i++; j--;
            }
        }
        /* recurse into the smaller half, loop on the larger: O(log n) stack */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

int main(void)
{
    u32 seed = 2026;
    for (long i = 0; i < N; i++)
        a[i] = next_random(&seed) % 100000u;
    quicksort(a, 0, N - 1);

    long sorted = 1;
    u32 checksum = 0;
    for (long i = 0; i < N; i++) {
        if (i && a[i - 1] > a[i])
            sorted = 0;
        checksum = checksum * 31u + a[i];
    }
    hal_print("sorted ");
    hal_print_int(N);
    hal_print(" numbers: ");
    hal_puts(sorted ? "in order" : "NOT in order");
    hal_print("min ");
    hal_print_uint(a[0]);
    hal_print(", median ");
    hal_print_uint(a[N / 2]);
    hal_print(", max ");
    hal_print_uint(a[N - 1]);
    hal_putc('\n');
    hal_print("checksum ");
    hal_print_hex(checksum, 8);
    hal_putc('\n');
    return sorted ? 0 : 1;
}
