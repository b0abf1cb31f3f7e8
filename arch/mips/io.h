/* MIPS device access: memory-mapped I/O (included by hal.h as "io.h").
 *
 * MIPS has no I/O instructions: device registers are memory.  Port p sits
 * at HAL_IO_BASE + p, where the build puts io_base from backend.py:
 * 0x1800_0000, as on the MIPS Malta board, so COM1's data register is at
 * 0x1800_03F8.  A volatile access makes the compiler emit exactly one
 * lbu, sb or lw there, never kept in a register, merged or reordered (NT's
 * READ_REGISTER_UCHAR).  A real kernel would go through the uncached KSEG1
 * alias, 0xB800_0000 + p; the emulator has no caches, so this one will do.
 */
#define HAL_IO(type, port) (*(volatile type *)(HAL_IO_BASE + (unsigned long)(port)))

static inline u8 hal_port_read8(unsigned port) { return HAL_IO(u8, port); }
static inline void hal_port_write8(unsigned port, u8 value) { HAL_IO(u8, port) = value; }
static inline u32 hal_port_read32(unsigned port) { return HAL_IO(u32, port); }
