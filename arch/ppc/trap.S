/* PowerPC HAL trap stub: long hal_trap(long service, long a0, long a1, long a2).
 *
 * HAL calls go through "sc" (system call).  The emulator reads the service
 * number from r0 and arguments from r3..r5, and puts the result in r3.  C
 * passes our four arguments in r3..r6, so shift them down first.
 */
    .text
    .globl  hal_trap
hal_trap:
    mr      0, 3                /* service number */
    mr      3, 4                /* argument 0 */
    mr      4, 5                /* argument 1 */
    mr      5, 6                /* argument 2 */
    sc
    blr
