/* 400 x87 `fxch` in a row: each leaks TCG temporaries in Unicorn 2.1.4's x86
 * translator, and one block of them kills the host (tests/test_x86_quirks.py).
 * On the other ISAs the guest only prints. */
#include "hal.h"

int main(void)
{
#if defined(__i386__)
    __asm__ volatile("fldz\n fldz\n .rept 400\n fxch %%st(1)\n .endr\n"
                     " fstp %%st(0)\n fstp %%st(0)" ::: "memory");
#endif
    hal_puts("survived");
    return 0;
}
