/* hal_devices.h: the device register map, in I/O port numbers.
 *
 * The same numbers on every ISA; only the way to reach a port differs
 * (arch/<isa>/io.h): x86 uses in/out, the others load and store at
 * HAL_IO_BASE + port, an address each backend documents and the build
 * passes in.  This mirrors hal/core/devices/ (uart.py and timer.py); a test
 * checks that they agree.
 */
#ifndef HAL_DEVICES_H
#define HAL_DEVICES_H

#define HAL_PORT_TIMER  0x040   /* timer: two 32-bit read-only registers (timer.py) */
#define HAL_TIMER_LO    0       /*   low 32 bits of the virtual tick count; reading it latches HI */
#define HAL_TIMER_HI    4       /*   high 32 bits, as latched by the last read of LO */

#define HAL_PORT_UART   0x3F8   /* UART at COM1: a 16550 subset, 8-bit registers (uart.py) */
#define HAL_UART_DATA   0       /*   read: the received byte (RBR); write: a byte to send (THR) */
#define HAL_UART_LSR    5       /*   line status, read-only: */
#define HAL_LSR_DR      0x01    /*     data ready: a received byte waits in DATA */
#define HAL_LSR_BI      0x10    /*     break: the input has ended, no byte will come */
#define HAL_LSR_THRE    0x20    /*     transmit holding register empty: ready for a byte */
#define HAL_LSR_TEMT    0x40    /*     transmitter empty */
#define HAL_UART_SCR    7       /*   scratch: keeps the byte written to it */

#define HAL_EOF         (-1)    /* what hal_getc and hal_uart_getc return at the end of input */

#endif /* HAL_DEVICES_H */
