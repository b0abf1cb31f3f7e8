"""Make code executable, guarded: the one way code pages come into a machine.

Some Unicorn cores crash the host process on code they translate, and some
run words in ways that escape the machine (arch/mips/translation.py: long
branch-free runs overrun the MIPS translator; a PMON word prints to the
host's terminal).  The backend reads the code (Backend.scan_code, through
hal/core/codecheck.py) and says where; here the machine acts on it, before
the first instruction runs:

* guard ranges get a code hook whose callback is native and does nothing
  (libunicorn's own `uc_errno`, which only reads a field): Unicorn then
  emits about 14 more TCG ops for each instruction inside, so its
  translation blocks end early by its own op limit, and emulation never
  stops for it.  Code outside the ranges is translated exactly as without
  a guard, at no cost; inside, an instruction costs about 12 ns instead of
  4.  Hooks stay for the engine's life: removing one makes Unicorn
  retranslate the blocks, unguarded.
* trap words get a Python code hook that faults the guest before the word
  runs.  They are only reached by a hostile or broken guest.

Why code pages must never change.  A hook only shapes the blocks Unicorn
translates after it exists, and the scan only knows the bytes it read.  So
the guard holds only while code pages keep exactly those bytes: they are
read/execute only (a guest store faults), data is never executable (a
guest cannot run code it wrote), services write guest memory only where
the guest itself could, and snapshots restore only writable pages.
Anything that makes memory executable must come through map_code(), and
cover_all() guards whatever executable memory a loader mapped another way.
"""
from __future__ import annotations

import ctypes
from typing import Callable

from ..errors import LoadError
from . import codecheck
from .isa import Backend
from .memmap import PAGE


class CodeGuard:
    """The guard of one engine: what it has scanned, and the hooks it holds."""

    def __init__(self, uc, backend: Backend, on_trap: Callable[[int, str], None]):
        """on_trap(address, why) runs inside the engine when the guest is about
        to execute a trap word; it must stop the engine."""
        self.uc = uc
        self.backend = backend
        self.on_trap = on_trap
        self.covered: list[tuple[int, int]] = []     # [start, end) of code read so far
        self.guarded: list[tuple[int, int]] = []     # [begin, end) under the no-op hook
        self.traps: dict[int, str] = {}
        self._hooks: list[int] = []                  # keeps Python hooks' handles alive

    def map_code(self, start: int, code: bytes, name: str = "guest") -> None:
        """Put `code` at `start` (page-aligned, whole pages, already mapped),
        make it read/execute only, and guard it."""
        from unicorn import UC_PROT_EXEC, UC_PROT_READ
        self.uc.mem_write(start, code)
        self.uc.mem_protect(start, len(code), UC_PROT_READ | UC_PROT_EXEC)
        self._guard(start, code, name)

    def cover_all(self, name: str = "guest") -> None:
        """Guard every executable page not read yet (a loader that mapped code
        without map_code).  Call before the engine first runs."""
        from unicorn import UC_PROT_EXEC
        for begin, last, perms in self.uc.mem_regions():
            if not perms & UC_PROT_EXEC:
                continue
            for start, end in _uncovered(begin, last + 1, self.covered):
                self._guard(start, bytes(self.uc.mem_read(start, end - start)), name)

    def _guard(self, start: int, code: bytes, name: str) -> None:
        assert start % PAGE == 0 and len(code) % PAGE == 0, "code comes in whole pages"
        found = codecheck.scan(self.backend, start, code)
        if found.refused:
            raise LoadError(f"{name}: {found.refused}")
        self.covered.append((start, start + len(code)))
        for begin, end in found.guard:
            self._native_noop_hook(begin, end)
            self.guarded.append((begin, end))
        for address, why in found.traps:
            self._trap_hook(address, why)

    def _native_noop_hook(self, begin: int, end: int) -> None:
        from unicorn import UC_HOOK_CODE
        from unicorn.unicorn_py3.unicorn import uclib
        handle = ctypes.c_size_t()
        err = uclib.uc_hook_add(self.uc._uch, ctypes.byref(handle), UC_HOOK_CODE,
                                ctypes.cast(uclib.uc_errno, ctypes.c_void_p), None,
                                ctypes.c_uint64(begin), ctypes.c_uint64(end - 1))
        if err:
            raise RuntimeError(f"uc_hook_add failed ({err})")

    def _trap_hook(self, address: int, why: str) -> None:
        from unicorn import UC_HOOK_CODE
        self.traps[address] = why
        self._hooks.append(self.uc.hook_add(
            UC_HOOK_CODE, lambda _uc, at, _size, _data: self.on_trap(at, self.traps[at]),
            begin=address, end=address))


def _uncovered(begin: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [begin, end) outside every covered range, in whole pages."""
    parts = [(begin, end)]
    for lo, hi in covered:
        parts = [piece for a, b in parts
                 for piece in ((a, min(b, lo)), (max(a, hi), b)) if piece[0] < piece[1]]
    return [(a & ~(PAGE - 1), (b + PAGE - 1) & ~(PAGE - 1)) for a, b in parts]
