/* excess: the same C in 64-bit doubles and in the x87's 80-bit registers. */
/* Each calculation is written twice, identically.  The "double" copies are
 * compiled as every other guest is: on x86 in SSE2 registers, rounding every
 * operation to a 64-bit double as MIPS, PowerPC and the Alpha-like core do,
 * so that column is the same on all four ISAs.  On x86 the "x87" copies are
 * compiled for the x87 instead (target("no-sse")), which keeps intermediate
 * results in 80-bit registers (64-bit significand, 15-bit exponent) and
 * rounds to double only when a value leaves them: an overflow that never
 * happens, a sum that rounds differently.  This was the classic portability
 * trap of x86 floating point before SSE2.  The other ISAs have no x87, so
 * their second column is the double one again, and says so. */
#include "hal.h"

static volatile double big = 1e308, ten = 10.0, one = 1.0, half_ulp = 0x1p-53, tenth = 0.1;

#if defined(__i386__)
#define X87 __attribute__((target("no-sse,no-sse2"), noinline))
#define X87_NOTE ""
#else
#define X87 __attribute__((noinline))
#define X87_NOTE " (no x87 here)"
#endif
#define DOUBLE __attribute__((noinline))

/* Not static: a static function may get a private calling convention, and the
 * x87 copies must return their result in st(0) as the i386 ABI says. */
#define CALCULATIONS(kind, attr)                                                  \
    attr double overflow_##kind(void) { return big * ten / ten; }                 \
    attr double two_roundings_##kind(void) { return one + half_ulp + half_ulp; }  \
    attr double sum_##kind(void)                                                  \
    {                                                                             \
        double s = 0;                                                             \
        for (int i = 0; i < 1000; i++)                                            \
            s += tenth;                                                           \
        return s;                                                                 \
    }

CALCULATIONS(double, DOUBLE)
CALCULATIONS(x87, X87)

static void row(const char *what, double in_double, double in_x87, int decimals)
{
    hal_print(what);
    hal_print("  double: ");
    hal_print_double(in_double, decimals);
    hal_print("  x87: ");
    hal_print_double(in_x87, decimals);
    hal_puts(X87_NOTE);
}

int main(void)
{
    hal_puts("excess precision: the same C in doubles and in the x87's 80-bit registers");
    row("1e308 * 10 / 10 / 1e308", overflow_double() / big, overflow_x87() / big, 1);
    row("1 + 2^-53 + 2^-53 - 1  ", two_roundings_double() - one, two_roundings_x87() - one, 20);
    row("0.1 added 1000 times   ", sum_double(), sum_x87(), 14);
    return 0;
}
