/* uart.c: drive the UART and read the timer, in portable C.
 *
 * Everything ISA-specific hides in hal_port_read8/write8/read32
 * (arch/<isa>/io.h): the same loops below become in/out on x86 and loads
 * and stores at HAL_IO_BASE + port elsewhere.  Compare the disassembly of
 * hal_uart_putc on two ISAs to see it.
 */
#include "hal.h"

void hal_uart_putc(char c)
{
    while (!(hal_port_read8(HAL_PORT_UART + HAL_UART_LSR) & HAL_LSR_THRE))
        ;                                   /* wait until it can take a byte */
    hal_port_write8(HAL_PORT_UART + HAL_UART_DATA, (u8)c);
}

int hal_uart_getc(void)
{
    u8 lsr;
    while (!((lsr = hal_port_read8(HAL_PORT_UART + HAL_UART_LSR)) & (HAL_LSR_DR | HAL_LSR_BI)))
        ;                                   /* wait for a byte, or the end of input */
    if (!(lsr & HAL_LSR_DR))
        return HAL_EOF;                     /* break: nothing more will come */
    return hal_port_read8(HAL_PORT_UART + HAL_UART_DATA);
}

unsigned long hal_timer_ticks(void)
{
    u32 lo = hal_port_read32(HAL_PORT_TIMER + HAL_TIMER_LO);     /* latches HI */
    u32 hi = hal_port_read32(HAL_PORT_TIMER + HAL_TIMER_HI);
    if (sizeof(unsigned long) > 4)
        return (unsigned long)hi << 16 << 16 | lo;
    return lo;
}
