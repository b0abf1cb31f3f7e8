/* 1,000 MIPS16e no-ops in a row, entered by a call to an odd address:
 * Unicorn's 74Kf core switches to 16-bit instructions there, and the run
 * is as long a block as 1,000 32-bit no-ops (it crashed the host just as
 * well).  The code guard reads code pages as halfwords too.  On the other
 * ISAs the guest only prints. */
#include "hal.h"

#if defined(__mips__)
__asm__(".section .text.mips16_run, \"ax\", @progbits\n"
        ".balign 4\n.globl mips16_run\n"
        "mips16_run:\n"
        ".rept 1000\n .hword 0x6500\n .endr\n"      /* nop (move $zero, $s0) */
        " .hword 0xe820\n .hword 0x6500\n"          /* jr $ra, nop in its delay slot */
        ".previous");
void mips16_run(void);
#endif

int main(void)
{
#if defined(__mips__)
    void (*run)(void) = (void (*)(void))((unsigned long)mips16_run | 1);
    run();
#endif
    hal_puts("survived");
    return 0;
}
