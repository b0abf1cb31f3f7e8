/* PowerPC device access: memory-mapped I/O (included by hal.h as "io.h").
 *
 * PowerPC has no I/O instructions: port p sits at HAL_IO_BASE + p, where
 * the build puts io_base from backend.py: 0x4000_0000, so COM1's data
 * register is at 0x4000_03F8 (PReP boards had their ports at 0x8000_0000).
 *
 * Byte order: the UART's registers are single bytes, so lbz and stb see
 * the same byte on any ISA.  The timer's 32-bit registers are read with
 * one lwz, and the device hands the core a number, not bytes: the value
 * arrives whole, no swapping needed.  (A little-endian PCI device read
 * byte by byte would need lwbrx, the byte-reversed load.)
 *
 * PowerPC may reorder storage accesses; eieio ("enforce in-order execution
 * of I/O") after each device write keeps the writes in program order, as
 * NT's PowerPC HAL did.
 */
#define HAL_IO(type, port) (*(volatile type *)(HAL_IO_BASE + (unsigned long)(port)))

static inline u8 hal_port_read8(unsigned port) { return HAL_IO(u8, port); }
static inline u32 hal_port_read32(unsigned port) { return HAL_IO(u32, port); }

static inline void hal_port_write8(unsigned port, u8 value)
{
    HAL_IO(u8, port) = value;
    __asm__ volatile ("eieio" : : : "memory");
}
