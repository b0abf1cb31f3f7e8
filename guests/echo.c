/* echo: copies its input to its output through the UART, byte by byte. */
#include "hal.h"

/* No HAL service here: hal_uart_getc polls the UART's line status register
 * until a byte is ready (or the input has ended), then reads its data
 * register; hal_uart_putc waits until the UART can send, then writes.  On
 * x86 that is in and out; on the other ISAs, loads and stores to memory. */
int main(void)
{
    int c;
    while ((c = hal_uart_getc()) != HAL_EOF)
        hal_uart_putc((char)c);
    return 0;
}
