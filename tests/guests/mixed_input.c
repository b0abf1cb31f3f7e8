/* Reads three bytes with hal_read, then the rest from the UART: one input. */
#include "hal.h"

int main(void)
{
    char buf[3];
    long n = 0, got;
    while (n < 3 && (got = hal_read(buf + n, 3 - n)) > 0)
        n += got;
    hal_print("hal_read: ");
    hal_write(buf, n);
    hal_print("\nuart: ");
    int c;
    while ((c = hal_uart_getc()) != HAL_EOF)
        hal_putc((char)c);
    hal_putc('\n');
    return 0;
}
