/* args: functions whose arguments each ISA passes its own way, for the
 * calling-convention view (`hal disasm --function F`, tests/test_convention.py):
 *   mixed      global, never inlined: an int and a 64-bit long long, so the
 *              ABI's register pairs show (o32 and PowerPC skip a register to
 *              start the pair on an even one; x86's cdecl uses the stack)
 *   twice      static and called in a loop: clang may give it its own convention
 *   square     static inline: it has no code of its own at -O2
 *   halve      global, never inlined: a double result, in each ABI's FPU register */
#include "hal.h"

__attribute__((noinline)) long long mixed(int a, long long b)
{
    return b * 3 + a;
}

__attribute__((noinline)) double halve(double x)
{
    return x / 2;
}

static __attribute__((noinline)) long twice(long x)
{
    return 2 * x + (long)hal_time() % 2;
}

static inline long square(long x)
{
    return x * x;
}

int main(void)
{
    long sum = 0;
    for (long i = 0; i < 10; i++)
        sum += twice(i) + square(i);
    hal_print_int((long)mixed((int)sum, 5) % 1000 + (long)halve((double)sum));
    hal_putc('\n');
    return 0;
}
