/* Alpha-like HAL trap stub: long hal_trap(long service, long a0, long a1, long a2).
 *
 * "ecall" plays the part of Alpha's "call_pal" (the PALcode call NT used for
 * system services).  The emulator reads the service number from a7 and
 * arguments from a0..a2, and puts the result in a0.  C passes our four
 * arguments in a0..a3, so shift them down first.
 */
    .text
    .globl  hal_trap
hal_trap:
    mv      a7, a0              /* service number */
    mv      a0, a1              /* argument 0 */
    mv      a1, a2              /* argument 1 */
    mv      a2, a3              /* argument 2 */
    ecall
    ret
