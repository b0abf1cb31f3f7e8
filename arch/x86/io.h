/* x86 device access: I/O ports (included by hal.h as "io.h").
 *
 * x86 keeps devices in a separate 64 KiB port space, reached only with the
 * in and out instructions: NT's READ_PORT_UCHAR and WRITE_PORT_UCHAR.  The
 * port number goes in %dx (or in the instruction itself, below 256), the
 * data in %al (8 bits) or %eax (32 bits).  The emulator hooks every in and
 * out (hal/core/platform.py): the UART is at COM1, port 0x3F8, as on a PC.
 */
static inline u8 hal_port_read8(unsigned port)
{
    u8 value;
    __asm__ volatile ("inb %w1, %0" : "=a"(value) : "Nd"((u16)port));
    return value;
}

static inline void hal_port_write8(unsigned port, u8 value)
{
    __asm__ volatile ("outb %0, %w1" : : "a"(value), "Nd"((u16)port));
}

static inline u32 hal_port_read32(unsigned port)
{
    u32 value;
    __asm__ volatile ("inl %w1, %0" : "=a"(value) : "Nd"((u16)port));
    return value;
}
