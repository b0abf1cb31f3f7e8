"""Exact retired-instruction counting, one basic block at a time.

Unicorn has no retired-instruction counter, and a hook per instruction costs
dozens of times the emulation itself.  Unicorn does report each basic block
as it starts, with its address and size; on fixed-width ISAs a block holds
size / width instructions, and on x86 each block is disassembled once with
capstone and its count cached.  Two counters follow these rules:

  NativeCounter  a C block hook (hal/native/counter.c), a table look-up per block;
  PythonCounter  the same rules in a Python hook: slower, same numbers; used
                 when the C library is not built (no compiler) or when
                 HALEMU_NATIVE=0.

Every block counts at least one instruction: a guest can never loop without
its count moving (a hostile guest could otherwise spin in blocks the counting
rule sees as empty, out of reach of the instruction limit).

A block is counted when it starts.  A counter stops the engine before a
block that would start after the slice has used its budget or that would
retire past the instruction limit; Unicorn then does not run that block, so
it is not counted, and runs on resume.  A fault in the middle of a block is
corrected by the machine, which counts only up to the faulting instruction.
"""
from __future__ import annotations

import ctypes
import os
from functools import cached_property
from pathlib import Path

from .isa import Backend

NO_END = (1 << 64) - 1

SLICE, LIMIT = 1, 2            # why a counter stopped the engine


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
        width = self.backend.counting_width
        if width:
            return address + size - width
        starts = self._starts(uc, address, size)
        return starts[-1] if starts else address

    def count(self, uc, address: int, size: int) -> int:
        width = self.backend.counting_width
        if width:
            return size // width
        key = (address, size)
        n = self._cache.get(key)
        if n is None:
            n = self._cache[key] = len(self._starts(uc, address, size))
        return n

    def _starts(self, uc, address: int, size: int) -> list[int]:
        """Where each instruction of a block starts.  Should capstone stop short
        of the block's end (it and the emulator disagree on a strange encoding),
        the rest counts as one instruction: the emulator did run it."""
        code = bytes(uc.mem_read(address, size))
        starts, end = [], address
        for a, n, *_ in self.disassembler.disasm_lite(code, address):
            starts.append(a)
            end = a + n
        if end < address + size:
            starts.append(end)
        return starts


class PythonCounter:
    """The counting rules in a Python block hook."""
    native = False

    def __init__(self, backend: Backend, uc):
        from unicorn import UC_HOOK_BLOCK
        self.sizer = BlockSizer(backend)
        self.retired = 0
        self.slice_end = NO_END
        self.limit = NO_END
        self.stop = 0
        self.last_block = (0, 0, 0)
        self._execs: dict[tuple[int, int], list[int]] = {}
        uc.hook_add(UC_HOOK_BLOCK, self._on_block)

    def _on_block(self, uc, address, size, _data):
        key = (address, size)
        entry = self._execs.get(key)
        if entry is None:
            entry = self._execs[key] = [max(1, self.sizer.count(uc, address, size)), 0]
        n = entry[0]
        if self.retired >= self.slice_end:
            self.stop = SLICE
            uc.emu_stop()
        elif self.retired + n > self.limit:
            self.stop = LIMIT
            uc.emu_stop()
        else:
            entry[1] += 1
            self.retired += n
            self.last_block = (address, size, n)

    def blocks(self) -> list[tuple[int, int, int, int]]:
        """(address, size, instructions, executions) of every block that ran."""
        return sorted((a, s, n, e) for (a, s), (n, e) in self._execs.items() if e)

    def close(self) -> None:
        pass


class _Counter(ctypes.Structure):
    _fields_ = [("retired", ctypes.c_uint64), ("slice_end", ctypes.c_uint64),
                ("limit", ctypes.c_uint64), ("last_address", ctypes.c_uint64),
                ("last_size", ctypes.c_uint32), ("last_n", ctypes.c_uint32),
                ("stop", ctypes.c_int32), ("width", ctypes.c_uint32)]


_RESOLVE = ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_uint64, ctypes.c_uint32)


class NativeCounter:
    """The counting rules in C: Unicorn calls hal_count_block directly."""
    native = True

    def __init__(self, backend: Backend, uc, lib):
        from unicorn import UC_HOOK_BLOCK
        from unicorn.unicorn_py3.unicorn import uclib
        self.sizer = BlockSizer(backend)
        self._lib = lib
        self._uc = uc
        # Python answers only the first time a variable-width block is seen
        self._resolve = _RESOLVE(lambda a, s: self.sizer.count(uc, a, s))
        stop = ctypes.cast(uclib.uc_emu_stop, ctypes.c_void_p)
        self._ptr = lib.hal_counter_new(backend.counting_width or 0, stop,
                                        ctypes.cast(self._resolve, ctypes.c_void_p))
        if not self._ptr:
            raise MemoryError("cannot allocate the instruction counter")
        self._state = ctypes.cast(self._ptr, ctypes.POINTER(_Counter)).contents
        handle = ctypes.c_size_t()
        err = uclib.uc_hook_add(uc._uch, ctypes.byref(handle), UC_HOOK_BLOCK,
                                ctypes.cast(lib.hal_count_block, ctypes.c_void_p),
                                ctypes.c_void_p(self._ptr), ctypes.c_uint64(1), ctypes.c_uint64(0))
        if err:
            raise RuntimeError(f"uc_hook_add failed ({err})")

    retired = property(lambda self: self._state.retired,
                       lambda self, v: setattr(self._state, "retired", v))
    slice_end = property(lambda self: self._state.slice_end,
                         lambda self, v: setattr(self._state, "slice_end", v))
    limit = property(lambda self: self._state.limit,
                     lambda self, v: setattr(self._state, "limit", v))
    stop = property(lambda self: self._state.stop,
                    lambda self, v: setattr(self._state, "stop", v))

    @property
    def last_block(self) -> tuple[int, int, int]:
        s = self._state
        return (s.last_address, s.last_size, s.last_n)

    @last_block.setter
    def last_block(self, value) -> None:
        s = self._state
        s.last_address, s.last_size, s.last_n = value

    def blocks(self) -> list[tuple[int, int, int, int]]:
        cap = 1 << 16
        while True:
            buf = (ctypes.c_uint64 * (4 * cap))()
            k = self._lib.hal_counter_blocks(self._ptr, buf, cap)
            if k < cap:
                return sorted(tuple(buf[4 * i:4 * i + 4]) for i in range(k))
            cap *= 4

    def close(self) -> None:
        if self._ptr:
            self._lib.hal_counter_free(self._ptr)
            self._ptr = None

    def __del__(self):
        self.close()


_native_lib = None
_native_tried = False


def native_library():
    """The compiled counter (hal/_counter*.so), or None if it was not built."""
    global _native_lib, _native_tried
    if _native_tried:
        return _native_lib
    _native_tried = True
    import importlib.machinery
    here = Path(__file__).parent
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = here / f"_counter{suffix}"
        if path.is_file():
            lib = ctypes.CDLL(str(path))
            lib.hal_counter_new.restype = ctypes.c_void_p
            lib.hal_counter_new.argtypes = [ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p]
            lib.hal_counter_free.argtypes = [ctypes.c_void_p]
            lib.hal_counter_blocks.restype = ctypes.c_uint32
            lib.hal_counter_blocks.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint64),
                                               ctypes.c_uint32]
            _native_lib = lib
            break
    return _native_lib


def native_wanted() -> bool:
    return os.environ.get("HALEMU_NATIVE", "1") != "0"


def make_counter(backend: Backend, uc, native: bool | None = None):
    """The fastest counter available (or the one asked for)."""
    if native is None:
        native = native_wanted()
    lib = native_library() if native else None
    if native and lib is not None:
        return NativeCounter(backend, uc, lib)
    return PythonCounter(backend, uc)
