/* trap.c: the HAL for a guest built for the host itself, on the C library.
 *
 * `hal run G --native` builds a guest with the host's own C compiler, the
 * guest SDK (guests/lib, but not crt0.c: the host's C library calls main)
 * and this file in place of arch/<isa>/: every HAL service becomes a stdio
 * call.  It is the reference a guest's output is checked against: programs
 * that compute in floating point print here exactly what they print on the
 * four emulated ISAs.
 */
#define _GNU_SOURCE                 /* feenableexcept, where the C library has it (glibc) */
#include <fenv.h>
#include <stdio.h>
#include <stdlib.h>

#include "hal.h"

/* hal_fp_trap on the host: the host FPU traps, and the process dies of SIGFPE */
static unsigned long fp_trap(unsigned long excepts)
{
    static unsigned long current;
    unsigned long before = current;
    fflush(stdout);             /* what was printed before the trap stays printed */
#ifdef __GLIBC__
    static const int host[] = {FE_INVALID, FE_DIVBYZERO, FE_OVERFLOW, FE_UNDERFLOW, FE_INEXACT};
    int on = 0;
    for (int i = 0; i < 5; i++)
        if (excepts & (1ul << i))
            on |= host[i];
    fedisableexcept(FE_ALL_EXCEPT);
    feclearexcept(on);
    feenableexcept(on);
#endif
    current = excepts;
    return before;
}

long hal_trap(long service, long a0, long a1, long a2)
{
    (void)a2;
    switch (service) {
    case HAL_SVC_EXIT:
        fflush(stdout);
        exit((int)a0);
    case HAL_SVC_WRITE:
        return (long)fwrite((const void *)a0, 1, (size_t)a1, stdout);
    case HAL_SVC_READ:
        fflush(stdout);
        return (long)fread((void *)a0, 1, (size_t)a1, stdin);
    case HAL_SVC_FP_TRAP:
        return (long)fp_trap((unsigned long)a0);
    case HAL_SVC_TIME:           /* no instruction count natively */
    case HAL_SVC_CORE_ID:
    case HAL_SVC_ISA_ID:         /* 0: none of the HAL_ISA_* */
    case HAL_SVC_ARG:
    case HAL_SVC_YIELD:          /* one guest alone: nothing else to run */
    case HAL_SVC_SLEEP:
        return 0;
    default:
        fflush(stdout);
        fprintf(stderr, "hal: error: HAL service %ld needs the emulator (hal schedule)\n", service);
        exit(3);
    }
}

static u8 scratch;

u8 hal_host_port_read8(unsigned port)
{
    int c;
    switch (port) {
    case HAL_PORT_UART + HAL_UART_LSR:
        fflush(stdout);
        c = getchar();
        if (c == EOF)
            return HAL_LSR_THRE | HAL_LSR_TEMT | HAL_LSR_BI;
        ungetc(c, stdin);
        return HAL_LSR_THRE | HAL_LSR_TEMT | HAL_LSR_DR;
    case HAL_PORT_UART + HAL_UART_DATA:
        c = getchar();
        return c == EOF ? 0 : (u8)c;
    case HAL_PORT_UART + HAL_UART_SCR:
        return scratch;
    default:
        return 0xff;
    }
}

void hal_host_port_write8(unsigned port, u8 value)
{
    if (port == HAL_PORT_UART + HAL_UART_DATA)
        putchar(value);
    else if (port == HAL_PORT_UART + HAL_UART_SCR)
        scratch = value;
}

u32 hal_host_port_read32(unsigned port)
{
    (void)port;
    return 0;                    /* the timer: no virtual time natively */
}
