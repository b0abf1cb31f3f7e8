/* fp_fault: a null pointer read in the middle of floating-point work, so the
 * fault report shows live FPU registers after the integer ones. */
#include "hal.h"

static volatile double a = 1.5, b = 2.25;

int main(void)
{
    hal_puts("about to read a double from address 0");
    double x = a * b;                                   /* 3.375, in an FPU register */
    double y = x + *(volatile double *)0;               /* faults */
    hal_print_double(y, 3);
    return 0;
}
