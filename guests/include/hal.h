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
 */
#ifndef HAL_H
#define HAL_H

#include "hal_services.h"   /* generated: service numbers and trap stubs */

typedef unsigned char  u8;
typedef unsigned short u16;
typedef unsigned int   u32;   /* 32 bits on every ISA here */
typedef int            i32;

/* Console helpers (guests/lib/hal.c). */
void hal_putc(char c);
void hal_puts(const char *s);                 /* the string, then a newline */
void hal_print(const char *s);                /* the string only */
void hal_print_int(long v);                   /* signed decimal */
void hal_print_uint(unsigned long v);         /* unsigned decimal */
void hal_print_hex(unsigned long v, int digits); /* 0x-prefixed, zero-padded to digits */
unsigned long hal_strlen(const char *s);

/* What the compiler may call for struct copies and array zeroing. */
void *memset(void *dst, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);

#endif /* HAL_H */
