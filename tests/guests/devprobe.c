/* Device probes: the first input byte picks one, so one guest covers them all.
 *   s  status and scratch: LSR before and after each received byte, SCR round trip
 *   t  the timer against hal_time
 *   p  write to a port with no device          w  32-bit read of the 8-bit UART DATA
 *   b  8-bit read of the 32-bit timer          r  write to the read-only LSR
 *   j  jump into the device window (ISAs that have one)
 */
#include "hal.h"

typedef void (*fn)(void);

static void show_lsr(void)
{
    hal_print(" lsr=");
    hal_print_hex(hal_port_read8(HAL_PORT_UART + HAL_UART_LSR), 2);
}

int main(void)
{
    int probe = hal_uart_getc();
    if (probe == 's') {
        int c;
        show_lsr();
        while ((c = hal_uart_getc()) != HAL_EOF) {
            hal_print(" got=");
            hal_putc((char)c);
            show_lsr();
        }
        hal_port_write8(HAL_PORT_UART + HAL_UART_SCR, 0xA5);
        hal_print(" scr=");
        hal_print_hex(hal_port_read8(HAL_PORT_UART + HAL_UART_SCR), 2);
        hal_putc('\n');
    } else if (probe == 't') {
        unsigned long a = hal_timer_ticks();
        unsigned long b = hal_time();
        unsigned long c = hal_timer_ticks();
        hal_puts(a > 0 && a <= b && b <= c && c - a < 1000 ? "timer follows hal_time" : "timer is off");
    } else if (probe == 'p') {
        hal_port_write8(0x80, 1);
    } else if (probe == 'w') {
        hal_port_read32(HAL_PORT_UART + HAL_UART_DATA);
    } else if (probe == 'b') {
        hal_port_read8(HAL_PORT_TIMER + HAL_TIMER_LO);
    } else if (probe == 'r') {
        hal_port_write8(HAL_PORT_UART + HAL_UART_LSR, 0);
    } else if (probe == 'j') {
#ifdef HAL_IO_BASE
        ((fn)(HAL_IO_BASE + HAL_PORT_UART))();
#endif
    }
    hal_puts("still here");
    return 0;
}
