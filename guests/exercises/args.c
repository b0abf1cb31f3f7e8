/* args: where a C function finds its arguments and leaves its result, for
 * exercise 3.  weigh is not inlined and its arguments are only known when the
 * program runs (hal_arg() is 0), so the call really passes them; each ISA's
 * ABI decides where: x86's cdecl on the stack, the others in registers. */
#include "hal.h"

__attribute__((noinline)) long weigh(long a, long b, long c)
{
    return a + 2 * b + 3 * c;
}

int main(void)
{
    long k = (long)hal_arg();
    hal_print_int(weigh(0x111 + k, 0x222 + k, 0x333 + k));
    hal_putc('\n');
    return 0;
}
