"""Guest stores at Unicorn's full speed: a TLB that tells data pages from code.

Unicorn 2.1.4 sends every guest store through its slow path, in its default
TLB mode.  There, a page's TLB entry comes from the guest CPU's own MMU, and
with paging off (as halemu runs every ISA) the MMU calls every page
executable.  A store to a page that may hold code must check whether it
overwrote translated code, so Unicorn marks every writable page "not dirty"
and never clears the mark while the entry says executable.  About a quarter
of raw nbody's host instructions went there: two look-ups of the memory
region per store, and the check for translated code.

In Unicorn's virtual TLB mode (UC_TLB_VIRTUAL) a callback fills each entry
instead of the CPU's MMU.  halemu runs guests without paging, so the
callback maps each page to itself, readable and writable, and executable only
when the access that missed was a fetch.  A data page's entry then says "not
executable", Unicorn clears its mark after the first store, and later stores
take the fast path: bare Unicorn runs nbody 1.5 to 1.6 times as fast on
x86 and about 1.4 times on PowerPC and the Alpha-like core (README,
"Performance").
Nothing about permissions changes: Unicorn still
checks each memory region's own read, write and execute permissions on the
slow path, and a page's first store, every fetch from a new page, and every
access to a protected or unmapped page go there.

One condition: Unicorn never clears the mark on a page that any memory hook
covers (uc_mem_hook_installed), and the machine's hook that names bad
accesses covered every address.  So that hook covers only what is not
writable RAM (unwatched_ranges); on writable RAM the only bad access left is
a fetch (a jump into data), and Unicorn's error code says so, with the PC at
the jump's target (fetch_fault_address).

Not on an ISA with delay slots (MIPS): in virtual mode Unicorn restores the
CPU's state to the accessing instruction on every TLB miss, not only on a
fault, and on MIPS that state includes "in a branch delay slot".  A miss in
a delay slot leaves that flag set after its block, and the next block is
translated as if it sat in a delay slot: a branch there raised "reserved
instruction" in a glibc program, and flushing the TLB every few blocks
changed nbody's, sort's and matmul's counts or output.  Other ISAs restore
only the PC (and x86 its lazy flags' state, which the block then keeps), so
tests/test_datatlb.py flushes the TLB every third block on every ISA and
expects the same run.

A debugger that adds a watchpoint (a read or write hook) must flush the
translated code (watch_added): code translated before the hook existed
stores through the fast path and would never call it.

A C library program's address space changes as it runs (brk, mmap, munmap,
mprotect): after each change the hook's ranges are drawn again
(BadAccessHooks.refresh).  No TLB entry cleared for fast stores outlives the
rights it was cleared under: Unicorn flushes the TLB itself when memory is
mapped, unmapped or protected (tests/test_datatlb.py stores to a page, takes
the right away, and stores again).
"""
from __future__ import annotations

import ctypes

from .counting import native_library
from .isa import Backend
from .memmap import PAGE

WHOLE = (1 << 64) - 1


def use_data_tlb(uc, backend: Backend) -> None:
    """Put a fresh engine in virtual TLB mode, each page mapped to itself: by
    the C callback (native/tlbfill.c) where the native library was built, a
    few microseconds a miss faster, else by the same rule in Python.  Not on
    an ISA with delay slots (see the module's docstring)."""
    if backend.delay_slots:
        return
    from unicorn import UC_HOOK_TLB_FILL, UC_MEM_FETCH, UC_TLB_VIRTUAL
    from unicorn.unicorn_py3.unicorn import uclib
    uc.ctl_set_tlb_mode(UC_TLB_VIRTUAL)
    lib = native_library()
    if lib is not None:
        handle = ctypes.c_size_t()
        err = uclib.uc_hook_add(uc._uch, ctypes.byref(handle), UC_HOOK_TLB_FILL,
                                ctypes.cast(lib.hal_tlb_fill, ctypes.c_void_p), None,
                                ctypes.c_uint64(1), ctypes.c_uint64(0))
        if err:
            raise RuntimeError(f"uc_hook_add failed ({err})")
        return

    def fill(_uc, address, access, entry, _data) -> bool:
        entry.paddr = address
        entry.perms = 7 if access == UC_MEM_FETCH else 3      # R|W|X, or R|W
        return True
    uc.hook_add(UC_HOOK_TLB_FILL, fill)


def unwatched_ranges(uc) -> list[tuple[int, int]]:
    """Inclusive [begin, end] ranges of every address outside writable memory
    (as now mapped), for the hook that names bad accesses."""
    from unicorn import UC_PROT_WRITE
    ranges, at = [], 0
    for begin, end, perms in sorted(uc.mem_regions()):
        if not perms & UC_PROT_WRITE:
            continue
        if begin > at:
            ranges.append((at, begin - 1))
        at = end + 1
    if at <= WHOLE:
        ranges.append((at, WHOLE))
    return ranges


class BadAccessHooks:
    """The machine's hook for bad accesses (UC_HOOK_MEM_INVALID), over every
    address but writable memory's."""

    def __init__(self, uc, callback):
        self.uc, self.callback = uc, callback
        self.handles: list[int] = []
        self.refresh()

    def refresh(self) -> None:
        """Draw the ranges again for memory as now mapped."""
        from unicorn import UC_HOOK_MEM_INVALID
        for handle in self.handles:
            self.uc.hook_del(handle)
        self.handles = [self.uc.hook_add(UC_HOOK_MEM_INVALID, self.callback, None, begin, end)
                        for begin, end in unwatched_ranges(self.uc)]


def fetch_fault_address(pc: int, executable) -> int:
    """Where a fetch from non-executable memory went, seen after the fact: the
    PC itself (a jump), or the first page after it when the PC is still on
    an executable page (a block that ran off the end of one)."""
    return pc if not executable(pc) else (pc | (PAGE - 1)) + 1


def watch_added(uc) -> None:
    """After adding a memory read or write hook: retranslate, so that every
    access goes past the hook (see the module's docstring)."""
    uc.ctl_flush_tb()
