/* Device registers for a guest built for the host itself (hal/toolchain/native.py).
 *
 * The host has no halemu devices, so guests/host/trap.c plays them: the UART
 * reads stdin and writes stdout with the same status bits the emulated one
 * shows (DR while a byte waits, BI at the end of input), and the timer reads
 * 0, as hal_time() does: a native run has no instruction count.
 */
u8 hal_host_port_read8(unsigned port);
void hal_host_port_write8(unsigned port, u8 value);
u32 hal_host_port_read32(unsigned port);

static inline u8 hal_port_read8(unsigned port)
{
    return hal_host_port_read8(port);
}

static inline void hal_port_write8(unsigned port, u8 value)
{
    hal_host_port_write8(port, value);
}

static inline u32 hal_port_read32(unsigned port)
{
    return hal_host_port_read32(port);
}
