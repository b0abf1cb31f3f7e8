"""Exact retired-instruction counting, one basic block at a time.

Unicorn has no retired-instruction counter, and a hook per instruction costs
dozens of times the emulation itself.  Unicorn does report each basic block
as it starts, with its address and size; on fixed-width ISAs a block holds
size / width instructions, and on x86 (and the Alpha-like core, which also
runs compressed code) each block is decoded once with capstone and its count
kept.  Two counters follow these rules:

  NativeCounter  a C block hook (hal/core/native/counter.c), an array index per block;
  PythonCounter  the same rules in a Python hook: slower, same numbers; used
                 when the C library is not built (no compiler) or when
                 HALEMU_NATIVE=0.

Both keep each block's executions, which the instruction mix and the
profile weigh (hal/inspection/blocks.py), unless made with
block_counts=False: then only the total is kept, and on an ISA of fixed
width the C hook adds size / width without looking the block up (about half
the host instructions a block).  A plain run, whose machine nobody inspects
afterwards, counts that way (hal/core/runner.py).

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
from pathlib import Path

from .decoders import decoder
from .isa import Backend

NO_END = (1 << 64) - 1

SLICE, LIMIT = 1, 2            # why a counter stopped the engine


# Instructions in a block's bytes, per ISA: machines of the same program (the
# scheduler runs many) decode each block once between them.  Bounded, since
# a long-lived process may run many programs.
_decoded: dict[tuple[str, bytes], int] = {}
_DECODED_MAX = 1 << 16


class BlockSizer:
    """How many instructions lie in [address, address + size)."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._cache: dict[tuple[int, int], int] = {}

    @property
    def disassembler(self):
        return decoder(self.backend)

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
            code = bytes(uc.mem_read(address, size))
            n = _decoded.get((self.backend.name, code))
            if n is None:
                if len(_decoded) >= _DECODED_MAX:
                    _decoded.clear()
                n = _decoded[(self.backend.name, code)] = len(self._starts_in(code, address))
            self._cache[key] = n
        return n

    def starts(self, code: bytes, address: int) -> list[int]:
        """Where each instruction of a block's code starts, by the rule count() uses."""
        width = self.backend.counting_width
        if width:
            return list(range(address, address + len(code), width))
        return self._starts_in(code, address)

    def _starts(self, uc, address: int, size: int) -> list[int]:
        """Where each instruction of a block starts.  Should capstone stop short
        of the block's end (it and the emulator disagree on a strange encoding),
        the rest counts as one instruction: the emulator did run it."""
        return self._starts_in(bytes(uc.mem_read(address, size)), address)

    def _starts_in(self, code: bytes, address: int) -> list[int]:
        starts, end = [], address
        for a, n, *_ in self.disassembler.disasm_lite(code, address):
            starts.append(a)
            end = a + n
        if end < address + len(code):
            starts.append(end)
        return starts


class BlocksNotKept(RuntimeError):
    """blocks() of a counter made with block_counts=False."""

    def __init__(self):
        super().__init__("this machine counted totals only (block_counts=False): "
                         "make it with block_counts=True to weigh its blocks")


class PythonCounter:
    """The counting rules in a Python block hook."""
    native = False

    def __init__(self, backend: Backend, uc, block_counts: bool = True):
        from unicorn import UC_HOOK_BLOCK
        self.sizer = BlockSizer(backend)
        self.block_counts = block_counts    # the same work either way: only blocks() differs
        self.by_size = False
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

    def forget_last_block(self) -> None:
        self.last_block = (0, 0, 0)

    def arm(self, slice_end: int) -> None:
        """Before a slice: no block starts once `retired` reaches slice_end."""
        self.slice_end = slice_end
        self.stop = 0
        self.last_block = (0, 0, 0)

    def blocks(self) -> list[tuple[int, int, int, int]]:
        """(address, size, instructions, executions) of every block that ran."""
        if not self.block_counts:
            raise BlocksNotKept()
        return sorted((a, s, n, e) for (a, s), (n, e) in self._execs.items() if e)

    def close(self) -> None:
        pass


class _Counter(ctypes.Structure):
    """The public prefix of hal_counter in counter.c."""
    _fields_ = [("retired", ctypes.c_uint64), ("guard", ctypes.c_uint64),
                ("last", ctypes.c_void_p), ("base", ctypes.c_uint64), ("span", ctypes.c_uint64),
                ("direct", ctypes.c_void_p), ("slice_end", ctypes.c_uint64),
                ("limit", ctypes.c_uint64), ("stop", ctypes.c_int32), ("width", ctypes.c_uint32),
                ("last_address", ctypes.c_uint64), ("last_size", ctypes.c_uint32)]

_NO_BLOCK = (1 << 32) - 1       # last_size when the totals hook has counted no block


_RESOLVE = ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_uint64, ctypes.c_uint32)

# The direct map covers at most this many block starts (16 bytes each, and
# calloc'd, so only the pages that blocks touch become resident); code beyond
# it is counted through the hash table.
_DIRECT_MAX = 1 << 20


class NativeCounter:
    """The counting rules in C: Unicorn calls hal_count_block directly."""
    native = True

    def __init__(self, backend: Backend, uc, lib, code: tuple[int, int] | None = None,
                 block_counts: bool = True):
        from unicorn import UC_HOOK_BLOCK
        from unicorn.unicorn_py3.unicorn import uclib
        self.sizer = BlockSizer(backend)
        self._lib = lib
        self._uc = uc
        # Python answers only the first time a variable-width block is seen
        self._resolve = _RESOLVE(lambda a, s: self.sizer.count(uc, a, s))
        stop = ctypes.cast(uclib.uc_emu_stop, ctypes.c_void_p)
        self._ptr = lib.hal_counter_new(backend.counting_width or 0, stop,
                                        ctypes.cast(self._resolve, ctypes.c_void_p), uc._uch)
        if not self._ptr:
            raise MemoryError("cannot allocate the instruction counter")
        self._state = ctypes.cast(self._ptr, ctypes.POINTER(_Counter)).contents
        if not backend.counting_width:
            _attach_capstone(lib, self._ptr, backend)
        # blocks() answers only if asked for; without, where a block's count
        # is its size / 4, nothing needs to be looked up at all
        self.block_counts = block_counts
        alignment = backend.alignment if backend.alignment in (1, 2, 4) else 1
        self.by_size = not block_counts and backend.counting_width == 4
        if self.by_size:
            hook = lib.hal_count_total_4
        else:
            if code is not None:
                shift = alignment.bit_length() - 1
                start, end = code
                lib.hal_counter_map(self._ptr, start, min(end - start, _DIRECT_MAX << shift), shift)
            hook = getattr(lib, f"hal_count_block_{alignment}")
        handle = ctypes.c_size_t()
        err = uclib.uc_hook_add(uc._uch, ctypes.byref(handle), UC_HOOK_BLOCK,
                                ctypes.cast(hook, ctypes.c_void_p),
                                ctypes.c_void_p(self._ptr), ctypes.c_uint64(1), ctypes.c_uint64(0))
        if err:
            raise RuntimeError(f"uc_hook_add failed ({err})")

    retired = property(lambda self: self._state.retired if self._ptr else self._final,
                       lambda self, v: setattr(self._state, "retired", v))
    stop = property(lambda self: self._state.stop,
                    lambda self, v: setattr(self._state, "stop", v))

    def _bound(self, slice_end: int, limit: int) -> None:
        """Set both ends; the C hook checks only `guard`, the nearer of them."""
        s = self._state
        s.slice_end, s.limit, s.guard = slice_end, limit, min(slice_end, limit)

    slice_end = property(lambda self: self._state.slice_end,
                         lambda self, v: self._bound(v, self._state.limit))
    limit = property(lambda self: self._state.limit,
                     lambda self, v: self._bound(self._state.slice_end, v))

    @property
    def last_block(self) -> tuple[int, int, int]:
        """(address, size, instructions) of the last block counted; zeros if none."""
        out = (ctypes.c_uint64 * 3)()
        self._lib.hal_counter_last(self._ptr, out)
        return tuple(out)

    def forget_last_block(self) -> None:
        s = self._state
        s.last, s.last_size = None, _NO_BLOCK

    def new_block_sources(self) -> tuple[int, int]:
        """How many new variable-width blocks the C counter decoded itself
        (capstone's C library), and how many it had to ask Python about."""
        out = (ctypes.c_uint32 * 2)()
        self._lib.hal_counter_stats(self._ptr, out)
        return out[0], out[1]

    def arm(self, slice_end: int) -> None:
        """Before a slice: no block starts once `retired` reaches slice_end."""
        s = self._state
        self._bound(slice_end, s.limit)
        s.stop = 0
        self.forget_last_block()

    def blocks(self) -> list[tuple[int, int, int, int]]:
        if not self.block_counts:
            raise BlocksNotKept()
        cap = 1 << 10
        while True:
            buf = (ctypes.c_uint64 * (4 * cap))()
            k = self._lib.hal_counter_blocks(self._ptr, buf, cap)   # how many there are
            if k <= cap:
                return sorted(tuple(buf[4 * i:4 * i + 4]) for i in range(k))
            cap = k

    def close(self) -> None:
        """Free the C side; `retired` keeps its last value."""
        if self._ptr:
            self._final = self._state.retired
            self._state = None
            self._lib.hal_counter_free(self._ptr)
            self._ptr = None

    def __del__(self):
        self.close()


def _attach_capstone(lib, counter, backend: Backend) -> None:
    """Let the C counter decode new variable-width blocks itself, through
    capstone's C library (hal/core/cslib.py: no Python binding to import) and
    a handle with BlockSizer's settings (no detail, no skipdata), instead of
    calling back into Python.  In a fresh process that is about 4 us a new
    block against 35 us (fib(27) on x86: 0.13 ms against 1 ms, about 2.5% of
    the run).  Without capstone's library, Python answers as before."""
    from unicorn.unicorn_py3.unicorn import uclib

    from . import cslib
    cs = cslib.library()
    csh = cslib.handle(backend.cs_arch, backend.cs_mode)
    if cs is None or csh is None:
        return
    fn = lambda f: ctypes.cast(f, ctypes.c_void_p)          # noqa: E731
    lib.hal_counter_decoder(counter, fn(uclib.uc_mem_read), fn(cs.cs_disasm_iter),
                            fn(cs.cs_malloc), fn(cs.cs_free), csh)


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
            lib.hal_counter_new.argtypes = [ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p,
                                            ctypes.c_void_p]
            lib.hal_counter_free.argtypes = [ctypes.c_void_p]
            lib.hal_counter_map.restype = ctypes.c_int
            lib.hal_counter_map.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint64,
                                            ctypes.c_uint32]
            lib.hal_counter_decoder.restype = ctypes.c_int
            lib.hal_counter_decoder.argtypes = [ctypes.c_void_p] + [ctypes.c_void_p] * 4 + [
                ctypes.c_uint64]
            lib.hal_counter_stats.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32)]
            lib.hal_counter_last.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint64)]
            lib.hal_counter_blocks.restype = ctypes.c_uint32
            lib.hal_counter_blocks.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint64),
                                               ctypes.c_uint32]
            _native_lib = lib
            break
    return _native_lib


def native_wanted() -> bool:
    return os.environ.get("HALEMU_NATIVE", "1") != "0"


def make_counter(backend: Backend, uc, native: bool | None = None,
                 code: tuple[int, int] | None = None, block_counts: bool = True):
    """The fastest counter available (or the one asked for).  `code` is the
    [start, end) range where the guest's blocks start, for the native
    counter's direct map; block_counts=False keeps only the total (see the
    module's docstring)."""
    if native is None:
        native = native_wanted()
    lib = native_library() if native else None
    if native and lib is not None:
        return NativeCounter(backend, uc, lib, code, block_counts)
    return PythonCounter(backend, uc, block_counts)
