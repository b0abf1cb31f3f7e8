/* MIPS32 little-endian startup (o32 ABI, as Windows NT ran on the R4000).
 *
 * The machine enters here with $sp at the top of guest RAM.  Two MIPS duties
 * before C can run:
 *   1. load $gp with _gp, the linker's global pointer for small data;
 *   2. reserve the 16-byte argument save area every o32 caller provides.
 * Every branch has a delay slot: the instruction after it runs first.
 */
    .set    noreorder
    .section .text.start, "ax"
    .globl  _start
    .ent    _start
_start:
    lui     $gp, %hi(_gp)
    addiu   $gp, $gp, %lo(_gp)
    jal     hal_cstart          /* zeroes .bss, runs main, exits with its value */
    addiu   $sp, $sp, -16       /* delay slot: o32 argument save area */
1:  b       1b                  /* hal_cstart never returns */
    nop
    .end    _start
