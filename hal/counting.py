"""Exact retired-instruction counting, one basic block at a time.

Unicorn reports each translated block's start and size in bytes.  On ISAs
with fixed-width instructions the count is size / width; on x86 it comes from
disassembling the block once with capstone and caching the answer.  Faults
in the middle of a block are corrected by counting only up to the faulting PC.
"""
from __future__ import annotations

from functools import cached_property

from .isa import Backend


class BlockSizer:
    """How many instructions lie in [address, address + size)."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._cache: dict[tuple[int, int], int] = {}

    @cached_property
    def disassembler(self):
        import capstone
        return capstone.Cs(self.backend.cs_arch, self.backend.cs_mode)

    def last_instruction(self, uc, address: int, size: int) -> int:
        """The address of the last instruction in a block."""
        width = self.backend.insn_width
        if width:
            return address + size - width
        code = bytes(uc.mem_read(address, size))
        return [a for a, *_ in self.disassembler.disasm_lite(code, address)][-1]

    def count(self, uc, address: int, size: int) -> int:
        width = self.backend.insn_width
        if width:
            return size // width
        key = (address, size)
        n = self._cache.get(key)
        if n is None:
            code = bytes(uc.mem_read(address, size))
            n = sum(1 for _ in self.disassembler.disasm_lite(code, address))
            self._cache[key] = n
        return n
