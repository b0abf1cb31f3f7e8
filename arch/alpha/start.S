/* Alpha-like 64-bit RISC startup, running on Unicorn's RISC-V 64 core.
 *
 * Unicorn has no Alpha core.  RISC-V (built without the compressed "C"
 * extension) shares Alpha's design: fixed 32-bit instruction words, a
 * hard-wired zero register, no condition flags, no delay slots.
 *
 * The machine enters here with sp at the top of guest RAM.  Load gp, the
 * global pointer for small data (Alpha had one too, $gp = r29), then C.
 */
    .section .text.start, "ax"
    .globl  _start
_start:
    .option push
    .option norelax             /* gp is not valid yet: do not relax this */
    lla     gp, __global_pointer$
    .option pop
    call    hal_cstart          /* zeroes .bss, runs main, exits with its value */
1:  j       1b                  /* hal_cstart never returns */
