/* fpmath: float and double arithmetic, conversions, comparisons and IEEE
 * special values, printed exactly.  Every ISA and the host's own build must
 * print the same (tests/test_fpu.py).  Inputs come from volatile variables
 * so the compiler cannot fold the arithmetic away at build time. */
#include "hal.h"

static volatile double zero = 0.0, one = 1.0, tenth = 0.1, fifth = 0.2, third_d = 3.0;
static volatile double big = 1e300, tiny = 4.9406564584124654e-324, huge_int = 9007199254740993.0;
static volatile float onef = 1.0f, thirdf = 3.0f, tenthf = 0.1f;
static volatile int neg_int = -7, big_int = 2147483647;
static volatile unsigned big_uns = 4294967295u;
static volatile long long big_ll = 9007199254740993LL, neg_ll = -1234567890123456789LL;
static volatile double half_even = 2.5, minus_half = -0.5, d_for_ll = -9.2e18, d_for_u = 3.9e9;

static void line(const char *label, double v, int decimals)
{
    hal_print(label);
    hal_print_double(v, decimals);
    hal_putc('\n');
}

static void bits(const char *label, double v)
{
    union { double d; unsigned long long u; } b = { v };
    hal_print(label);
    for (int shift = 60; shift >= 0; shift -= 4)
        hal_putc("0123456789abcdef"[b.u >> shift & 15]);
    hal_putc('\n');
}

static void print_ll(long long v)       /* long is 32 bits on three of the ISAs */
{
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char buf[24];
    int i = sizeof buf;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    hal_write(buf + i, sizeof buf - i);
}

static void yes(const char *label, int v)
{
    hal_print(label);
    hal_puts(v ? "true" : "false");
}

int main(void)
{
    /* rounding: the classic 0.1 + 0.2, and division in both precisions */
    line("0.1 + 0.2        = ", tenth + fifth, 20);
    yes("0.1 + 0.2 == 0.3 : ", tenth + fifth == 0.3);
    line("1 / 3 (double)   = ", one / third_d, 20);
    line("1 / 3 (float)    = ", onef / thirdf, 20);
    line("0.1f as double   = ", tenthf, 20);
    line("(float)(0.1+0.2) = ", (float)(tenth + fifth), 20);
    bits("bits of 1/3      = ", one / third_d);

    /* integers to floating point and back */
    line("-7 as double     = ", neg_int, 1);
    line("INT_MAX + 0.5    = ", big_int + 0.5, 1);
    line("UINT_MAX         = ", big_uns, 1);
    line("2^53 + 1 (ll)    = ", (double)big_ll, 1);
    line("-1234567890123456789 = ", (double)neg_ll, 1);
    line("2^53 + 1 (float) = ", (float)big_ll, 1);
    hal_print("(int)2.5         = ");
    hal_print_int((int)half_even);
    hal_print("\n(int)-0.5        = ");
    hal_print_int((int)minus_half);
    hal_print("\n(unsigned)3.9e9  = ");
    hal_print_uint((unsigned)d_for_u);
    hal_print("\n(long long)-9.2e18 = ");
    print_ll((long long)d_for_ll);
    hal_print("\n(long long)(2^53 + 1.0) = ");
    print_ll((long long)huge_int);
    hal_putc('\n');

    /* IEEE special values: exceptions are masked, so these give inf and nan */
    double inf = one / zero;
    line("1 / 0            = ", inf, 3);
    line("-1 / 0           = ", -one / zero, 3);
    line("0 / 0            = ", zero / zero, 3);
    line("inf - inf        = ", inf - inf, 3);
    line("1e300 * 1e300    = ", big * big, 3);
    line("-0.0             = ", -zero, 3);
    line("smallest subnormal / 2 = ", tiny / 2, 3);
    line("smallest subnormal * 2^1074 = ", tiny * 0x1p1000 * 0x1p74, 3);
    line("1e300            = ", big, 0);
    yes("nan == nan       : ", (zero / zero) == (zero / zero));
    yes("nan != nan       : ", (zero / zero) != (zero / zero));
    yes("nan < 1          : ", (zero / zero) < one);
    yes("-0.0 == 0.0      : ", -zero == zero);
    yes("inf > 1e300      : ", inf > big);
    return 0;
}
