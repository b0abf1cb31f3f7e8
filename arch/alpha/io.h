/* Alpha-like device access: memory-mapped I/O (included by hal.h as "io.h").
 *
 * Like Alpha (and RISC-V, whose core runs it), no I/O instructions: port p
 * sits at HAL_IO_BASE + p, where the build puts io_base from backend.py:
 * 0x2000_0000, so COM1's data register is at 0x2000_03F8, built with
 * lui + an offset like any other address.  A volatile access makes the
 * compiler emit exactly one lbu, sb or lw there.  (Real Alphas reached
 * I/O through "sparse" and "dense" address spaces far above 4 GiB, and
 * early ones could not load single bytes at all.)
 */
#define HAL_IO(type, port) (*(volatile type *)(HAL_IO_BASE + (unsigned long)(port)))

static inline u8 hal_port_read8(unsigned port) { return HAL_IO(u8, port); }
static inline void hal_port_write8(unsigned port, u8 value) { HAL_IO(u8, port) = value; }
static inline u32 hal_port_read32(unsigned port) { return HAL_IO(u32, port); }
