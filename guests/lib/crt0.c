/* crt0.c: the portable half of start-up, called by arch/<isa>/start.S.
 *
 * By the time we get here the ISA's start code has set up the stack (and the
 * global pointer where the ISA has one).  What is left is the same on every
 * ISA: zero .bss, run main, and hand its return value to hal_exit.
 *
 * .bss is cleared a word at a time, eight words per turn of the loop: the
 * linker script starts .bss on a page and ends it on a 64-byte boundary, so
 * whole turns cover it exactly on 32- and 64-bit ISAs alike.  Byte by byte,
 * start-up would cost up to half of a short guest's instructions and blur
 * every comparison of ISAs (`hal profile` shows start-up apart).  The stores
 * are volatile so that every ISA runs this same loop, not whatever the
 * optimiser makes of it.
 */
#include "hal.h"

extern char __bss_start[], __bss_end[];   /* from guests/lib/layout.ld */
int main(void);

typedef unsigned long word;               /* a register's width: 32 or 64 bits */

__attribute__((noreturn)) void hal_cstart(void)
{
    volatile word *p = (volatile word *)__bss_start;
    volatile word *end = (volatile word *)__bss_end;
    for (; p < end; p += 8) {
        p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 0;
        p[4] = 0; p[5] = 0; p[6] = 0; p[7] = 0;
    }
    hal_exit(main());
}
