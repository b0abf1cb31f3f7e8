/* Halts the CPU with each ISA's own wait-for-interrupt instruction, as a
 * student who has read about operating systems might, instead of exiting. */
#include "hal.h"

int main(void)
{
    hal_puts("halting");
#if defined(__i386__)
    __asm__ volatile("hlt");
#elif defined(__mips__)
    __asm__ volatile("wait");
#elif defined(__powerpc__)
    __asm__ volatile(".long 0x7c00007c");   /* wait */
#else
    __asm__ volatile("wfi");
#endif
    hal_puts("still running after the halt");
    return 0;
}
