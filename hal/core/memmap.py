"""The guest memory map: the same on every ISA but for where the device window sits.

    0x0000_0000  +-------------------------+
                 | unmapped                |  null-pointer guard: any access faults
    RAM_BASE     +-------------------------+  0x0001_0000, linked here (guests/lib/layout.ld)
                 | .text                   |  code pages: read/execute only, and never
                 |                         |  changed: the code guard read them before any
                 |                         |  ran (hal/core/codeguard.py says why it must
                 |                         |  hold); every byte no segment fills holds the
                 |                         |  ISA's trapping fence, so code that runs past
                 |                         |  its end traps at once
                 | .rodata                 |  read only
                 | .data .bss              |  read/write, never executable: a jump into
                 |                         |  data faults
                 | stack guard page        |  unmapped: the first whole page above the data,
                 |                         |  so a stack overflow faults, named, before it
                 |                         |  reaches the guest's globals (hal/core/guestmem.py)
                 | free RAM: the stack,    |  read/write, never executable.  SP starts at
                 | growing down            |  the top, 16-aligned
    ram_end      +-------------------------+  RAM_BASE + memory size
                 | unmapped                |  (RAM ends by 0x1001_0000 at most)
    io_base      +-------------------------+  Backend.io_base, on ISAs without port I/O:
                 | device window, one page |  0x1800_0000 mips, 0x2000_0000 alpha,
                 |   +0x040 timer          |  0x4000_0000 ppc.  I/O port p lives at
                 |   +0x3F8 UART (COM1)    |  io_base + p (hal/core/platform.py); x86 has a
                 |                         |  port space of its own and no window.
                 |                         |  Read/write only: a jump here faults at once,
                 |                         |  and unmapped pages on both sides keep code
                 |                         |  (and MIPS delay slots, #2134) out of reach
                 +-------------------------+
                 | unmapped                |
    STOP_ADDRESS                              emu_start's `until`: never mapped, never reached
                                              by a correct guest (MIPS mishandles until values
                                              at or above 0xC000_0001, so stay below)
"""
from __future__ import annotations

from dataclasses import dataclass

PAGE = 0x1000
RAM_BASE = 0x0001_0000
DEFAULT_MEMORY = 1 << 20          # 1 MiB of guest RAM
MIN_MEMORY = 64 << 10
MAX_MEMORY = 256 << 20
STACK_ALIGN = 16
STOP_ADDRESS = 0x7FFF_F000
IO_WINDOW = PAGE                  # device window size: ports 0x000-0xFFF


@dataclass(frozen=True)
class MemoryMap:
    """Where things are for a guest with `size` bytes of RAM."""
    size: int = DEFAULT_MEMORY

    @property
    def ram_base(self) -> int:
        return RAM_BASE

    @property
    def ram_end(self) -> int:
        return RAM_BASE + self.size

    @property
    def stack_top(self) -> int:
        return (self.ram_end - STACK_ALIGN) & ~(STACK_ALIGN - 1)

    def in_ram(self, start: int, length: int) -> bool:
        return RAM_BASE <= start and start + length <= self.ram_end

    def stack_guard(self, data_end: int) -> int | None:
        """The stack's guard page: the first whole page above the guest's data
        (which ends at data_end), if a page of stack remains above it."""
        guard = (data_end + PAGE - 1) & ~(PAGE - 1)
        return guard if RAM_BASE < guard and guard + 2 * PAGE <= self.ram_end else None


def io_window_fits(base: int) -> bool:
    """A backend's device window must sit clear of the largest RAM, with
    unmapped pages before and after it, and below STOP_ADDRESS."""
    lowest = RAM_BASE + MAX_MEMORY + 2 * PAGE       # RAM, then two unmapped pages
    return base % PAGE == 0 and lowest <= base and base + IO_WINDOW + PAGE <= STOP_ADDRESS


def parse_size(text: str) -> int:
    """'1M', '512K', '65536' -> bytes; rounded up to a whole page."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    mult = units.get(t[-1:], 1)
    number = t[:-1] if t[-1:] in units else t
    if not number.isdigit():
        raise ValueError(f"not a memory size: '{text}' (try 1M or 512K)")
    size = int(number) * mult
    if not MIN_MEMORY <= size <= MAX_MEMORY:
        raise ValueError(f"memory size {text} is outside {MIN_MEMORY >> 10}K..{MAX_MEMORY >> 20}M")
    return (size + PAGE - 1) & ~(PAGE - 1)
