"""A Linux process's address space: the program where its ELF file puts it,
the heap after it, anonymous mappings, and the stack at the top.

    0x0000_0000  +-------------------------+
                 | unmapped                |  null-pointer guard: any access faults
    0x0001_0000  +-------------------------+  lowest address a segment may use
                 | the program's segments  |  where the ELF says: 0x10000 (zig), 0x400000
                 |                         |  (mipsel gcc), 0x08048000 (i386 gcc),
                 |                         |  0x10000000 (powerpc gcc) ...; code read/execute
                 |                         |  with fenced gaps, constants read-only, data
                 |                         |  read/write, never executable
    brk start    +-------------------------+  the page after the last segment
                 | heap, grown by brk()    |  page by page, as the program asks
                 |          ...            |  up to the device window or the mmap area
    io_base      | device window, one page |  Backend.io_base (hal/core/memmap.py): never
                 |                         |  crossed by the heap or a mapping
    MMAP_BASE    +-------------------------+  0x5000_0000
                 | anonymous mmap()s       |  first fit, upwards, as the program asks
                 |          ...            |
                 +-------------------------+  STACK_TOP - stack size
                 | stack, growing down     |  argc, argv, envp, auxv at the top (stack.py)
    STACK_TOP    +-------------------------+  0x7FF0_0000
                 | the ISA's own pages     |  i386: the GDT (arch/x86/linux.py), read-only
    STOP_ADDRESS +-------------------------+  0x7FFF_F000: never mapped (hal/core/memmap.py)

Nothing the program maps is ever executable: mmap and mprotect refuse
PROT_EXEC with EACCES, as a kernel that forbids writable-then-executable
memory does.  Data never runs, so a jump into data faults cleanly, and the
MIPS crash defence (hal/core/codecheck.py) holds: the only code is the ELF's,
checked when it was loaded.

Every page mapped counts against the memory limit (--memory, default
DEFAULT_LIMIT): past it, brk and mmap fail with ENOMEM, so malloc returns
NULL, as under a ulimit.  The stack is an eighth of the limit, at most
8 MiB (Linux's usual).  Pages cost the host nothing until touched.
"""
from __future__ import annotations

from collections.abc import Callable

from ..core.loader import Image
from ..core.memmap import IO_WINDOW, PAGE, RAM_BASE, STOP_ADDRESS
from ..errors import LoadError

MMAP_BASE = 0x5000_0000
STACK_TOP = 0x7FF0_0000
MAX_STACK = 8 << 20
DEFAULT_LIMIT = 64 << 20
R, W = 1, 2                 # page rights the program may ask for (PROT_READ, PROT_WRITE)
X = 4                       # PROT_EXEC: only the ELF's own code pages have it


def page_down(a: int) -> int:
    return a & ~(PAGE - 1)


def page_up(a: int) -> int:
    return (a + PAGE - 1) & ~(PAGE - 1)


def check_layout(image: Image) -> None:
    """Refuse a program whose segments collide with the rest of the map."""
    io_base = image.backend.io_base
    for s in image.segments:
        lo, hi = page_down(s.vaddr), page_up(s.vaddr + s.memsz)
        if lo < RAM_BASE or hi > MMAP_BASE:
            raise LoadError(f"{image.path}: segment at {s.vaddr:#x}..{s.vaddr + s.memsz:#x} lies "
                            f"outside the program area ({RAM_BASE:#x}..{MMAP_BASE:#x})")
        if io_base is not None and lo < io_base + IO_WINDOW + PAGE and io_base - PAGE < hi:
            raise LoadError(f"{image.path}: segment at {s.vaddr:#x} collides with the "
                            f"{image.backend.name} device window at {io_base:#x}")


class AddressSpace:
    """The pages one process has, and the calls that change them."""

    def __init__(self, uc, image: Image, limit: int):
        self.uc, self.image, self.limit = uc, image, limit
        self.pages: dict[int, int] = {}            # page address -> R|W|X
        # called after every change to the mapping: the machine then draws
        # its bad-access hook again (hal/core/datatlb.py)
        self.changed: Callable[[], None] = lambda: None
        self.stack_size = min(MAX_STACK, page_down(limit // 8))
        self.stack_bottom = STACK_TOP - self.stack_size
        end = max(s.vaddr + s.memsz for s in image.segments)
        self.brk_start = self.brk = page_up(end)
        io = image.backend.io_base
        self.brk_limit = min([MMAP_BASE] + ([io - PAGE] if io is not None and io > end else []))

    @property
    def mapped(self) -> int:
        return len(self.pages) * PAGE

    # -- the start -------------------------------------------------------------------
    def map_program(self) -> None:
        """The segments' pages and the stack.  Segment pages are mapped read/write
        for loading, like a HAL guest's RAM; the machine then protects code and
        constants (machine._protect), as the rights recorded here say."""
        rights: dict[int, int] = {}
        for s in self.image.segments:
            r = R | (W if s.writable else 0) | (X if s.executable else 0)
            for p in s.pages:
                rights[p] = rights.get(p, 0) | r
        for p, r in rights.items():
            if r & X:
                rights[p] = R | X               # code pages never also hold data (loader.py)
        need = len(rights) * PAGE + self.stack_size
        if need > self.limit:
            raise LoadError(f"{self.image.path}: needs {need >> 10} KiB for its segments and "
                            f"stack, more than the memory limit of {self.limit >> 10} KiB "
                            f"(--memory)")
        self._map(rights, loading=True)
        for s in self.image.segments:
            self.uc.mem_write(s.vaddr, s.data)
        self._map({p: R | W for p in range(self.stack_bottom, STACK_TOP, PAGE)})

    def reserve(self, address: int, size: int) -> None:
        """A page of the ISA's own above the stack (the i386 GDT): read-only to
        the program, outside the limit, never handed out."""
        from unicorn import UC_PROT_READ
        self.uc.mem_map(address, page_up(size), UC_PROT_READ)
        self.changed()

    # -- what the program may ask for -------------------------------------------------------
    def set_brk(self, address: int) -> int:
        """brk(): move the end of the heap; returns the new end (the old one on failure)."""
        if address < self.brk_start or address > self.brk_limit:
            return self.brk
        old, new = page_up(self.brk), page_up(address)
        if new > old:
            grow = range(old, new, PAGE)
            if self.mapped + len(grow) * PAGE > self.limit or any(p in self.pages for p in grow):
                return self.brk
            self._map({p: R | W for p in grow})
        elif new < old:
            self.unmap(new, old - new)
        self.brk = address
        return self.brk

    def mmap(self, address: int, length: int, rights: int, fixed: bool) -> int | str:
        """Anonymous memory, zeroed: its address, or an errno name."""
        if length <= 0 or address % PAGE:
            return "EINVAL"
        if rights & X:
            return "EACCES"
        size = page_up(length)
        if self.mapped + size > self.limit:
            return "ENOMEM"
        if fixed:
            if not (MMAP_BASE <= address and address + size <= self.stack_bottom - PAGE):
                return "ENOMEM"
            self.unmap(address, size)
        else:
            address = self._free_range(size)
            if address is None:
                return "ENOMEM"
        self._map({p: rights for p in range(address, address + size, PAGE)})
        return address

    def unmap(self, address: int, length: int) -> str | None:
        """munmap(): drop the pages (code pages stay: the program's code is not its to drop)."""
        if address % PAGE or length <= 0 or address + length > STOP_ADDRESS:
            return "EINVAL"                     # as Linux says of a range past the top
        gone = [p for p in self._mapped_in(address, length) if not self.pages[p] & X]
        for start, end in _runs(gone):
            self.uc.mem_unmap(start, end - start)
        for p in gone:
            del self.pages[p]
        if gone:
            self.changed()
        return None

    def protect(self, address: int, length: int, rights: int) -> str | None:
        """mprotect(): new rights for pages the program has; never execute, never write code."""
        if address % PAGE:
            return "EINVAL"
        span = range(address, address + page_up(length), PAGE)
        if len(span) > len(self.pages) or any(p not in self.pages for p in span):
            return "ENOMEM"
        if rights & X:
            if all(self.pages[p] & X for p in span) and not rights & W:
                return None                     # code stays code
            return "EACCES"
        if any(self.pages[p] & X for p in span):
            return "EACCES"
        for start, end in _runs(list(span)):
            self.uc.mem_protect(start, end - start, _uc_rights(rights))
        for p in span:
            self.pages[p] = rights
        self.changed()
        return None

    def remap(self, address: int, old: int, new: int, may_move: bool) -> int | str:
        """mremap(): grow or shrink a mapping, moving it if allowed."""
        if address % PAGE or new <= 0:
            return "EINVAL"
        old, new = page_up(old), page_up(new)
        span = range(address, address + old, PAGE)
        if not old or len(span) > len(self.pages) or any(p not in self.pages or self.pages[p] & X for p in span):
            return "EFAULT"
        rights = self.pages[address]
        if new <= old:
            self.unmap(address + new, old - new)
            return address
        grow = range(address + old, address + new, PAGE)
        if self.mapped + new - old > self.limit:
            return "ENOMEM"
        if address >= MMAP_BASE and address + new <= self.stack_bottom - PAGE \
                and not any(p in self.pages for p in grow):
            self._map({p: rights for p in grow})
            return address
        if not may_move:
            return "ENOMEM"
        target = self._free_range(new)
        if target is None:
            return "ENOMEM"
        data = bytes(self.uc.mem_read(address, old))
        self._map({p: rights | W for p in range(target, target + new, PAGE)})
        self.uc.mem_write(target, data)
        if not rights & W:
            self.protect(target, new, rights)
        self.unmap(address, old)
        return target

    # -- checks for the HAL's services ---------------------------------------------------------
    def in_ram(self, start: int, length: int) -> bool:
        if length <= 0:
            return True
        if length > self.mapped:
            return False
        return all(self.pages.get(p, 0) & R for p in range(page_down(start), start + length, PAGE))

    def writable(self, start: int, length: int) -> bool:
        if length > self.mapped:
            return False
        return length <= 0 or all(self.pages.get(p, 0) & W
                                  for p in range(page_down(start), start + length, PAGE))

    # -- inside ------------------------------------------------------------------------------
    def _mapped_in(self, address: int, length: int) -> list[int]:
        """The pages the program has in [address, address + length): found by
        walking whichever is shorter, the range or the pages, so that a
        hostile length (munmap of 2**62 bytes) costs no more than a sane one."""
        end = address + page_up(length)
        if (end - address) // PAGE <= len(self.pages):
            return [p for p in range(address, end, PAGE) if p in self.pages]
        return sorted(p for p in self.pages if address <= p < end)

    def _free_range(self, size: int) -> int | None:
        """Where `size` bytes fit in the mmap area: above the highest mapping
        there if they can (the usual case, at once), else the first gap."""
        top = self.stack_bottom - PAGE             # keep a gap below the stack
        used = sorted(p for p in self.pages if MMAP_BASE <= p < top)
        if not used or used[-1] + PAGE + size <= top:
            return used[-1] + PAGE if used else MMAP_BASE
        address = MMAP_BASE
        for start, end in _runs(used):
            if address + size <= start:
                return address
            address = end
        return None

    def _map(self, rights: dict[int, int], loading: bool = False) -> None:
        """Map pages (runs of neighbours at once) and record their rights; while
        loading, everything is writable until the machine protects it."""
        for r in set(rights.values()):
            uc_rights = _uc_rights(R | W if loading else r)
            for start, end in _runs([p for p, v in rights.items() if v == r]):
                self.uc.mem_map(start, end - start, uc_rights)
        self.pages.update(rights)
        self.changed()


def _runs(pages: list[int]) -> list[tuple[int, int]]:
    """Sorted pages as [start, end) runs of neighbours."""
    runs: list[list[int]] = []
    for p in sorted(pages):
        if runs and runs[-1][1] == p:
            runs[-1][1] = p + PAGE
        else:
            runs.append([p, p + PAGE])
    return [(a, b) for a, b in runs]


def _uc_rights(rights: int) -> int:
    from unicorn import UC_PROT_NONE, UC_PROT_READ, UC_PROT_WRITE
    return (UC_PROT_READ if rights & R else UC_PROT_NONE) | (UC_PROT_WRITE if rights & W else 0)
