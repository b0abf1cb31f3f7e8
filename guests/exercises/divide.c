/* divide: divides by a zero the compiler cannot see coming (hal_arg() is 0),
 * for exercise 1.  x86's idiv raises a divide error; MIPS div never faults,
 * so clang adds "teq divisor, $zero, 7"; PowerPC and RISC-V divide without
 * trapping and go on with whatever their hardware gives. */
#include "hal.h"

int main(void)
{
    int divisor = (int)hal_arg();
    hal_puts("100 / 0 is:");
    hal_print_int(100 / divisor);
    hal_putc('\n');
    return 0;
}
