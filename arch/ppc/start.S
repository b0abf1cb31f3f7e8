/* PowerPC 32-bit big-endian startup (System V ABI).
 *
 * The machine enters here with r1 (the stack pointer) at the top of guest
 * RAM.  The ABI wants every frame to begin with a back-chain word, so open
 * an initial frame whose back chain is zero, then hand over to C.
 */
    .section .text.start, "ax"
    .globl  _start
_start:
    li      0, 0
    stwu    1, -16(1)           /* open a 16-byte frame, saving the old r1 */
    stw     0, 0(1)             /* ...and end the back chain with zero */
    bl      hal_cstart          /* zeroes .bss, runs main, exits with its value */
1:  b       1b                  /* hal_cstart never returns */
