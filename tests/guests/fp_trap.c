/* fp_trap: one IEEE exception, first masked (the default: a result and a flag),
 * then asked for with hal_fp_trap, which ends the guest at the instruction.
 * The first byte of input picks the exception: i(nvalid), z(ero divide),
 * o(verflow), u(nderflow), x (inexact). */
#include "hal.h"

static volatile double zero = 0.0, one = 1.0, three = 3.0, big = 1e308, small = 1e-308;

static double provoke(int which)
{
    switch (which) {
    case 'i': return zero / zero;
    case 'z': return one / zero;
    case 'o': return big * big;
    case 'u': return small * small;
    default:  return one / three;
    }
}

static unsigned long exception_of(int which)
{
    switch (which) {
    case 'i': return HAL_FE_INVALID;
    case 'z': return HAL_FE_DIVBYZERO;
    case 'o': return HAL_FE_OVERFLOW;
    case 'u': return HAL_FE_UNDERFLOW;
    default:  return HAL_FE_INEXACT;
    }
}

int main(void)
{
    int which = hal_getc();
    hal_print("masked: ");
    hal_print_double(provoke(which), 3);
    hal_putc('\n');
    hal_print("previous traps: ");
    hal_print_uint(hal_fp_trap(exception_of(which)));
    hal_putc('\n');
    double r = provoke(which);                  /* ends the guest here */
    hal_print("not reached: ");
    hal_print_double(r, 3);
    hal_putc('\n');
    return 0;
}
