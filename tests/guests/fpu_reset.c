/* fpu_reset: the FPU as the guest finds it at reset, and a double computed in it.
 *
 * Prints the FPU's control registers as each ISA's own instruction reads them
 * (x86: fnstcw and stmxcsr; MIPS: cfc1 FCSR; PowerPC: mffs; Alpha-like
 * core: csrr fcsr), then a Newton square root of 2 scaled by 1e9, twice.
 * On x87 every double-to-integer conversion loads a control word made from
 * the current one, so after the first, a wrong precision control (Unicorn's
 * reset leaves 0: 24 bits) rounds every double to float precision: the
 * second line would read 1414213504. */
#include "hal.h"

static void control_registers(void)
{
#if defined(__i386__)
    unsigned short cw;
    unsigned int mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    hal_print("fpcw ");
    hal_print_hex(cw, 4);
    hal_print(" mxcsr ");
    hal_print_hex(mxcsr, 4);
#elif defined(__mips__)
    unsigned int fcsr;
    __asm__ volatile(".set push\n.set hardfloat\ncfc1 %0, $31\n.set pop" : "=r"(fcsr));
    hal_print("fcsr ");
    hal_print_hex(fcsr, 8);
#elif defined(__powerpc__)
    union { double d; unsigned int w[2]; } fpscr;
    __asm__ volatile("mffs 0\n\tstfd 0, %0" : "=m"(fpscr.d) : : "fr0");
    hal_print("fpscr ");
    hal_print_hex(fpscr.w[1], 8);
#elif defined(__riscv)
    unsigned long fcsr;
    __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
    hal_print("fcsr ");
    hal_print_hex(fcsr, 8);
#endif
    hal_putc('\n');
}

static volatile double two = 2.0;     /* volatile: not folded at compile time */

int main(void)
{
    control_registers();
    for (int round = 0; round < 2; round++) {
        double x = two;
        for (int i = 0; i < 8; i++)
            x = (x + two / x) / 2;
        hal_print("sqrt(2) * 1e9 = ");
        hal_print_int((long)(x * 1e9));
        hal_putc('\n');
    }
    return 0;
}
