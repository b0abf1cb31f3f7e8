/* 400 copies of a word capstone cannot decode and Unicorn runs as a no-op
 * (`sll $zero, $zero, 0` with the unused rs field set): one branch-free run
 * that once crashed the host through Unicorn 2.1.4's MIPS translator, while
 * a guard that read code with capstone saw 400 block ends.  On the other
 * ISAs the guest only prints. */
#include "hal.h"

int main(void)
{
#if defined(__mips__)
    __asm__ volatile(".rept 400\n .word 0x00200000\n .endr");
#endif
    hal_puts("survived");
    return 0;
}
