/* SPECIAL function 5 (PMON) with sa = 6: Unicorn's MIPS core runs it as an
 * old firmware call that printf()s $a0's low byte to the host's stdout.
 * halemu faults it as a real MIPS32 CPU would (reserved instruction), and
 * the 'X' never reaches the terminal.  HAL_ARG 1 puts it in a branch's
 * delay slot, where no code hook can stop it: the branch is stopped. */
#include "hal.h"

int main(void)
{
    hal_puts("before");
#if defined(__mips__)
    if (hal_arg() == 1)
        __asm__ volatile(".set push\n .set noreorder\n li $a0, 88\n"
                         " beq $zero, $zero, 1f\n .word 0x00000185\n 1:\n .set pop" ::: "a0");
    else
        __asm__ volatile("li $a0, 88\n .word 0x00000185" ::: "a0");
#endif
    hal_puts("after");
    return 0;
}
