/* fp_trap_late: the same function divides by zero before and after
 * hal_fp_trap asks to stop there.  The first call ran (and was translated)
 * before the trap was asked for; the second must still stop at the
 * division itself.  A toggle loop then turns the trap on and off. */
#include "hal.h"

static volatile double zero = 0.0, one = 1.0, three = 3.0;

__attribute__((noinline)) static double divide(double a, double b)
{
    return a / b;
}

int main(void)
{
    double total = 0;
    for (int round = 0; round < 20; round++) {     /* on, off, on, off: no trap */
        hal_fp_trap(HAL_FE_DIVBYZERO);
        total += divide(one, three);
        hal_fp_trap(0);
        total += divide(one, zero) > 0;
    }
    hal_print_double(total, 3);
    hal_putc('\n');
    hal_print_double(divide(one, zero), 1);          /* masked: inf */
    hal_putc('\n');
    hal_fp_trap(HAL_FE_DIVBYZERO);
    hal_print_double(divide(2.0, zero), 1);          /* trapped at the division */
    hal_putc('\n');
    return 0;
}
