"""halemu: an educational hardware-abstraction-layer emulator.

One C program runs unchanged on x86, MIPS, PowerPC and an Alpha-like RISC,
each on a Unicorn CPU core, behind one thin HAL (hal.core); a scheduler
multiplexes many guests over emulated cores (hal.scheduling).
"""
