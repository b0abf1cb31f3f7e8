/* x86 (i386, 32-bit flat) startup.
 *
 * The machine enters here with %esp at the top of guest RAM (16-byte aligned)
 * and every other register zero.  Nothing else to set up on x86: the flat
 * 32-bit model has no global pointer, so hand over to the portable C start.
 */
    .section .text.start, "ax"
    .globl  _start
_start:
    xorl    %ebp, %ebp          /* end of the frame-pointer chain for debuggers */
    call    hal_cstart          /* zeroes .bss, runs main, exits with its value */
1:  jmp     1b                  /* hal_cstart never returns */
