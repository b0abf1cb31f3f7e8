/* MIPS HAL trap stub: long hal_trap(long service, long a0, long a1, long a2).
 *
 * HAL calls go through "syscall", as NT's MIPS system services did.  The
 * emulator reads the service number from $v0 and arguments from $a0..$a2,
 * and puts the result in $v0.  C passes our four arguments in $a0..$a3,
 * so shift them down by one register first.
 */
    .set    noreorder
    .text
    .globl  hal_trap
    .ent    hal_trap
hal_trap:
    move    $v0, $a0            /* service number */
    move    $a0, $a1            /* argument 0 */
    move    $a1, $a2            /* argument 1 */
    move    $a2, $a3            /* argument 2 */
    syscall
    jr      $ra
    nop                         /* delay slot */
    .end    hal_trap
