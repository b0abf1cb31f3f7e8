/* x86 HAL trap stub: long hal_trap(long service, long a0, long a1, long a2).
 *
 * HAL calls go through "int 0x2e", the vector Windows NT used for system
 * services.  The emulator's interrupt hook reads the service number from
 * %eax and arguments from %ebx, %ecx, %edx, and puts the result in %eax.
 */
    .text
    .globl  hal_trap
hal_trap:
    pushl   %ebx                /* %ebx is callee-saved in cdecl */
    movl    8(%esp), %eax       /* service number */
    movl    12(%esp), %ebx      /* argument 0 */
    movl    16(%esp), %ecx      /* argument 1 */
    movl    20(%esp), %edx      /* argument 2 */
    int     $0x2e
    popl    %ebx
    ret
