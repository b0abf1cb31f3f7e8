"""A timer: the machine's virtual clock (retired instructions, plus any time
slept), read through device registers instead of the hal_time trap.

Two 32-bit read-only registers at port 0x40 (where a PC keeps its timer):

    +0  LO   the low 32 bits of the tick count; reading LO latches HI
    +4  HI   the high 32 bits, as they were when LO was read

so LO-then-HI gives one consistent 64-bit count even if LO wraps between
the two reads.  (Unicorn hands MMIO callbacks at most 4 bytes at a time: a
64-bit load from LO arrives as a read of LO, then of HI, and so also gets
the whole count.)  The clock advances a basic block at a time, like the
count hal_time returns.
"""
from __future__ import annotations

from typing import Callable

PORT = 0x40
LO, HI = 0, 4


class Timer:
    name = "timer"
    port = PORT
    width = 4
    registers = {LO: "LO", HI: "HI"}
    read_only = frozenset({LO, HI})
    state = ("_latched_hi",)

    def __init__(self, clock: Callable[[], int]):
        self.clock = clock
        self._latched_hi = 0

    def read(self, offset: int, size: int) -> int:
        if offset == LO:
            ticks = self.clock()
            self._latched_hi = (ticks >> 32) & 0xFFFF_FFFF
            return ticks & 0xFFFF_FFFF
        return self._latched_hi

    def write(self, offset: int, size: int, value: int) -> None:
        raise AssertionError("the platform lets no write through to a read-only register")

    def describe(self):
        return [(LO, "LO", "low 32 bits of the virtual tick count; reading it latches HI"),
                (HI, "HI", "high 32 bits, as latched by the last read of LO")]
