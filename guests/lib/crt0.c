/* crt0.c: the portable half of start-up, called by arch/<isa>/start.S.
 *
 * By the time we get here the ISA's start code has set up the stack (and the
 * global pointer where the ISA has one).  What is left is the same on every
 * ISA: zero .bss, run main, and hand its return value to hal_exit.
 */
#include "hal.h"

extern char __bss_start[], __bss_end[];   /* from guests/lib/layout.ld */
int main(void);

__attribute__((noreturn)) void hal_cstart(void)
{
    for (volatile char *p = __bss_start; p < __bss_end; p++)
        *p = 0;
    hal_exit(main());
}
