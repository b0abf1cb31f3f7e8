/* print_double.c: hal_print_double against the host's printf("%.*f"), on
 * special values and on random doubles of every kind (any bits, dyadic
 * fractions, near-ties, wide exponents), each with a random decimal count
 * from 0 to 40.  Built and run by tests/test_fpu.py with the host's compiler,
 * linked with guests/lib/hal.c and double.c; the HAL trap below keeps what
 * they write.  Prints "<mismatches> of <cases>" and the first few mismatches. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal.h"

static char out[4096];
static size_t used;

long hal_trap(long service, long a0, long a1, long a2)
{
    (void)a2;
    if (service == HAL_SVC_WRITE) {
        memcpy(out + used, (const void *)a0, (size_t)a1);
        used += (size_t)a1;
        return a1;
    }
    return 0;
}

int hal_uart_getc(void) { return HAL_EOF; }      /* hal.c's hal_getc wants one */

static uint64_t state = 88172645463325252ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(int argc, char **argv)
{
    long cases = argc > 1 ? atol(argv[1]) : 100000, bad = 0, n = 0;
    static const double special[] = {0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.1, 0.3, 9.5,
                                     0.05, 0.15, 0.25, 0.35, 1e22, 1e23, 1e308,
                                     1.7976931348623157e308, 4.9e-324, 2.2250738585072014e-308,
                                     123456789.123456789, 1414213562.373095};
    int specials = sizeof special / sizeof special[0];
    for (long i = 0; i < cases; i++) {
        double v;
        int d;
        if (i < specials * 41) {
            v = special[i / 41];
            d = (int)(i % 41);
        } else {
            uint64_t r = next();
            switch (i % 4) {
            case 0: memcpy(&v, &r, sizeof v); break;
            case 1: v = (double)(int64_t)(r >> 20) / (double)(1u << (r & 31)); break;
            case 2: v = (double)(r % 100000) / 1000.0 + 0.0005; break;
            default: v = ldexp((double)(r >> 11), (int)(r % 200) - 150); break;
            }
            d = (int)(next() % 41);
            if (isnan(v))
                continue;
        }
        used = 0;
        hal_print_double(v, d);
        out[used] = 0;
        char want[4096];
        snprintf(want, sizeof want, "%.*f", d, v);
        n++;
        if (strcmp(out, want) && bad++ < 5)
            printf("%a with %d decimals: %s, printf says %s\n", v, d, out, want);
    }
    printf("%ld of %ld\n", bad, n);
    return 0;
}
