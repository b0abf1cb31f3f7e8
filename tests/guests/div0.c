/* div0: divides by a zero the compiler cannot see coming (hal_arg() is 0).
 * x86 raises a divide error; clang guards MIPS division with "teq divisor,
 * $zero, 7"; PowerPC and RISC-V divide without a trap and go on. */
#include "hal.h"

int main(void)
{
    volatile int zero = (int)hal_arg();     /* in memory: x86 divides by [esp + n] */
    hal_puts("dividing");
    hal_print_int(7 / zero);
    return 0;
}
