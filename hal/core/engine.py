"""Unicorn engines: made with a translation buffer sized for a guest, freed
when done, and an engine that cannot get its memory is an error, not a crash.

By default Unicorn reserves 1 GiB of address space per engine for the code
it translates (QEMU's TCG buffer), and when that reservation fails it prints
"Could not allocate dynamic translator buffer" and ends the whole process
with exit status 1.  A guest here is a few kilobytes of code, so halemu asks
for TCG_BUFFER (4 MiB) instead, which brings an engine to about 6 MiB of
address space; under `ulimit -v 8G` that is the difference between 8 engines
and over a thousand.  Before Unicorn allocates anything, a probe maps what
the engine will need and gives it back: if even that fails, there is no
memory for another engine, and we say so while we still can.

Engines hold callbacks that point back at their machine, so they form
reference cycles that only the cyclic garbage collector breaks, late; close()
frees one at once (runs that make many machines, such as `hal schedule
--compare`, would otherwise keep every earlier run's engines alive).
"""
from __future__ import annotations

import mmap

from ..errors import HalError
from .isa import Backend

TCG_BUFFER = 4 << 20            # bytes of translated code per engine (Unicorn's default: 1 GiB)
ENGINE_OVERHEAD = 8 << 20       # what an engine needs besides: CPU state, TLBs, page tables


class OutOfMemory(HalError):
    """The host has no memory (or address space, under ulimit -v) for another engine."""


def new_engine(backend: Backend, ram: int):
    """A Unicorn engine for `backend` that will map `ram` bytes of guest memory.
    Call before mapping anything: the buffer size can only be set before."""
    from unicorn import Uc, UcError
    _probe(TCG_BUFFER + ENGINE_OVERHEAD + ram)
    try:
        uc = Uc(backend.uc_arch, backend.uc_mode)
        uc.ctl_set_tcg_buffer_size(TCG_BUFFER)
    except UcError as e:
        raise OutOfMemory(f"cannot start an emulated {backend.name} machine: {e}") from None
    return uc


def _probe(size: int) -> None:
    try:
        m = mmap.mmap(-1, size)
    except (OSError, OverflowError, ValueError):
        raise OutOfMemory(
            "out of memory: no room for another emulated machine (each takes about "
            "6 MiB of address space plus its RAM); run fewer guests, or raise the memory "
            "limit (ulimit -v)") from None
    m.close()


def close_engine(uc) -> None:
    """Free an engine now rather than when the garbage collector gets to it.
    The binding frees an engine through a weakref.finalize object, which runs
    once whoever calls it first; calling it here makes the collector's later
    call a no-op (tests/test_ucfast.py guards this internal)."""
    finalizer = getattr(uc, "_Uc__finalizer", None)
    if finalizer is not None:
        finalizer()
