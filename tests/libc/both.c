/* both.c: the C library and the HAL in one program: printf and hal_puts
 * (tagged HAL numbers, so the two traps never meet on any ISA). */
#include <stdio.h>
#include "hal.h"

int main(void)
{
    printf("printf says hello\n");
    fflush(stdout);
    hal_puts("hal_puts says hello");
    long isa = hal_isa_id();
    printf("hal_isa_id %ld, ticks counted: %d\n", isa, hal_time() > 0);
    return 0;
}
