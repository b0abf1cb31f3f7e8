"""Guest memory as the guest sees it, for the HAL's own reads and writes.

Unicorn's mem_read and mem_write are the host's: they ignore page
protection.  A service that copied console input with mem_write would let a
guest read new code over its own read-only code pages (on x86 that code then
ran; on MIPS, 600 nops read over a function crashed the host).  So every
service that touches guest memory goes through here: it may read only what
the guest may read, and write only what the guest may write, in RAM (never
the device window), or the guest faults, named.

It also knows the stack's guard page: an unmapped page just above the
guest's data (hal/core/memmap.py draws it), so a stack that grows too deep
faults there as a named stack overflow instead of silently overwriting the
guest's globals.
"""
from __future__ import annotations

from typing import Protocol

from .memmap import PAGE, MemoryMap


class Space(Protocol):
    """What bounds the memory a service may name: a HAL guest's RAM
    (memmap.MemoryMap), or a personality's address space."""

    def in_ram(self, start: int, length: int) -> bool: ...


class GuestMemoryError(Exception):
    """A service asked for memory the guest itself may not touch that way."""


class GuestMemory:
    def __init__(self, uc, space: Space, guard: int | None, fixed: bool = True):
        """fixed: the guest's pages never change (a HAL guest); a personality's
        program maps and protects pages as it runs, so its are read afresh."""
        self._uc = uc
        self._memory = space
        self.guard = guard                 # the stack's guard page, or None
        self._fixed = sorted(uc.mem_regions()) if fixed else None   # (first, last, perms)

    @property
    def _regions(self):
        return self._fixed if self._fixed is not None else sorted(self._uc.mem_regions())

    def _allows(self, address: int, length: int, perm: int) -> int | None:
        """None if the guest may access [address, address + length) with
        `perm`; else the first address it may not."""
        if not length:
            return None
        mem = self._memory
        if not mem.in_ram(address, length):
            at = address                   # the first byte past the RAM it starts in
            while mem.in_ram(at, 1):
                at = (at | (PAGE - 1)) + 1
            return at
        at, end = address, address + length
        for first, last, perms in self._regions:
            if last < at:
                continue
            if first > at or not perms & perm:
                return at
            at = last + 1
            if at >= end:
                return None
        return at

    def read(self, address: int, length: int, what: str) -> bytes:
        from unicorn import UC_PROT_READ
        bad = self._allows(address, length, UC_PROT_READ)
        if bad is not None:
            raise GuestMemoryError(f"{what} reads {self._name(bad)} at address {bad:#x}")
        return bytes(self._uc.mem_read(address, length))

    def write(self, address: int, data: bytes, what: str) -> None:
        from unicorn import UC_PROT_WRITE
        bad = self._allows(address, len(data), UC_PROT_WRITE)
        if bad is not None:
            raise GuestMemoryError(f"{what} writes to {self._name(bad, writing=True)} "
                                   f"at address {bad:#x}")
        self._uc.mem_write(address, data)

    def _name(self, address: int, writing: bool = False) -> str:
        """What lies at an address the guest may not use this way."""
        if self.in_guard(address):
            return "the stack's guard page"
        if not self._memory.in_ram(address, 1):
            return "memory outside guest RAM"
        return "read-only memory" if writing else "unreadable memory"

    def in_guard(self, address: int | None) -> bool:
        return self.guard is not None and address is not None and \
            self.guard <= address < self.guard + PAGE

    def ram(self) -> bytes:
        """All of a HAL guest's RAM, the guard page as zeros (for snapshots)."""
        mem = self._memory
        if self.guard is None:
            return bytes(self._uc.mem_read(mem.ram_base, mem.size))
        low = bytes(self._uc.mem_read(mem.ram_base, self.guard - mem.ram_base))
        high = bytes(self._uc.mem_read(self.guard + PAGE, mem.ram_end - self.guard - PAGE))
        return low + bytes(PAGE) + high


def map_ram(uc, memory: MemoryMap, guard: int | None) -> None:
    """RAM read/write, around the stack's unmapped guard page."""
    from unicorn import UC_PROT_READ, UC_PROT_WRITE
    rw = UC_PROT_READ | UC_PROT_WRITE
    if guard is None:
        uc.mem_map(memory.ram_base, memory.size, rw)
        return
    uc.mem_map(memory.ram_base, guard - memory.ram_base, rw)
    uc.mem_map(guard + PAGE, memory.ram_end - guard - PAGE, rw)
