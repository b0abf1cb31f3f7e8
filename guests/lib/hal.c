/* hal.c: console helpers every guest shares, built on the hal_write service
 * (or, built with -DHAL_CONSOLE_UART, on the UART: byte by byte, the way a
 * driver without a HAL service would do it). */
#include "hal.h"

#ifdef HAL_CONSOLE_UART
static long console_write(const void *buf, unsigned long len)
{
    const char *p = buf;
    for (unsigned long i = 0; i < len; i++)
        hal_uart_putc(p[i]);
    return (long)len;
}
#else
#define console_write hal_write
#endif

/* Console input comes through the UART in either build; hal_read, the
 * blocking read service, stays for guests that want whole buffers. */
int hal_getc(void)
{
    return hal_uart_getc();
}

unsigned long hal_strlen(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

void hal_putc(char c)
{
    console_write(&c, 1);
}

void hal_print(const char *s)
{
    console_write(s, hal_strlen(s));
}

void hal_puts(const char *s)
{
    hal_print(s);
    hal_putc('\n');
}

void hal_print_uint(unsigned long v)
{
    char buf[24];
    int i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    console_write(buf + i, sizeof buf - i);
}

void hal_print_int(long v)
{
    if (v < 0) {
        hal_putc('-');
        hal_print_uint(0UL - (unsigned long)v);
    } else {
        hal_print_uint((unsigned long)v);
    }
}

void hal_print_hex(unsigned long v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char buf[2 + 16];
    int n = 0;
    unsigned long t = v;
    do {
        n++;
        t >>= 4;
    } while (t);
    if (digits > 16)
        digits = 16;
    if (n < digits)
        n = digits;
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = n - 1; i >= 0; i--, v >>= 4)
        buf[2 + i] = hex[v & 15];
    console_write(buf, 2 + n);
}

#ifndef HAL_LIBC       /* with the C library, musl's memset and memcpy serve */
void *memset(void *dst, int c, unsigned long n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}
#endif
