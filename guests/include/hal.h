/* hal.h: the portable HAL API.  A guest includes this and nothing else.
 *
 * Written once, built for every ISA: each call ends in hal_trap(), whose
 * body (arch/<isa>/trap.S) is the one ISA-specific instruction -- int 0x2e
 * on x86, syscall on MIPS, sc on PowerPC, ecall on the Alpha-like core.
 *
 *   hal_exit(code)          end the guest (returning from main does too)
 *   hal_write(buf, len)     raw bytes to the console
 *   hal_time()              virtual ticks: retired instructions so far
 *   hal_core_id()           which emulated core runs the guest
 *   hal_isa_id()            which ISA (HAL_ISA_*)
 *   hal_putc / hal_puts / hal_print_int / hal_print_uint / hal_print_hex
 *                           console helpers built on hal_write (guests/lib/hal.c)
 *   hal_print_double(v, d)  a double as printf("%.*f") prints it (guests/lib/double.c)
 *   hal_fp_trap(HAL_FE_*)   stop at these floating-point exceptions (masked at reset)
 *   hal_getc()              one byte of console input (via the UART), HAL_EOF at its end
 *
 * Devices (hal_devices.h has the register map, `hal devices` shows where):
 *   hal_port_read8/write8/read32(port)
 *                           a device register: in/out on x86, a load or store at
 *                           HAL_IO_BASE + port on the others (arch/<isa>/io.h)
 *   hal_uart_putc / hal_uart_getc
 *                           the UART, driven by polling its status register
 *   hal_timer_ticks()       the timer device: the same clock as hal_time()
 *
 * Built with -DHAL_CONSOLE_UART (`hal run --console uart`), the console
 * helpers write through the UART instead of the trap.
 *
 * A program may use the C library too (printf, malloc...): `hal build`
 * then links musl and defines HAL_LIBC; the C library's start-up runs
 * main, and exit() (or returning from main) flushes stdio, which
 * hal_exit() does not.
 */
#ifndef HAL_H
#define HAL_H

#include "hal_services.h"   /* generated: service numbers and trap stubs */

typedef unsigned char  u8;
typedef unsigned short u16;
typedef unsigned int   u32;   /* 32 bits on every ISA here */
typedef int            i32;

#include "hal_devices.h"    /* device ports and register bits */
#include "io.h"             /* arch/<isa>/io.h: hal_port_read8 and friends */

/* Console helpers (guests/lib/hal.c). */
void hal_putc(char c);
void hal_puts(const char *s);                 /* the string, then a newline */
void hal_print(const char *s);                /* the string only */
void hal_print_int(long v);                   /* signed decimal */
void hal_print_uint(unsigned long v);         /* unsigned decimal */
void hal_print_hex(unsigned long v, int digits); /* 0x-prefixed, zero-padded to digits */
void hal_print_double(double v, int decimals); /* as printf("%.*f") prints it (guests/lib/double.c) */

/* Floating-point exceptions, for hal_fp_trap(): masked at reset on every ISA,
 * so 1.0 / 0.0 is infinity.  Asked for, one ends the guest with a report that
 * names it, at the instruction that raised it (hal/core/fptraps.py). */
#define HAL_FE_INVALID    1     /* 0/0, inf - inf, sqrt(-1), a NaN where none may be */
#define HAL_FE_DIVBYZERO  2     /* x / 0 for finite x other than 0 */
#define HAL_FE_OVERFLOW   4     /* a result too large for the format */
#define HAL_FE_UNDERFLOW  8     /* a result too small for a normal number, and inexact */
#define HAL_FE_INEXACT   16     /* a result that had to be rounded */
unsigned long hal_strlen(const char *s);
int hal_getc(void);                           /* next input byte, or HAL_EOF */

/* Devices (guests/lib/uart.c). */
void hal_uart_putc(char c);                   /* waits for THRE, then writes DATA */
int hal_uart_getc(void);                      /* waits for DR or BI; HAL_EOF at break */
unsigned long hal_timer_ticks(void);

/* What the compiler may call for struct copies and array zeroing (guests/lib/hal.c);
 * with the C library, musl's, declared where C says. */
#ifdef HAL_LIBC
#include <string.h>
#else
void *memset(void *dst, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
#endif

#endif /* HAL_H */
