"""System calls on memory: brk and anonymous mmap, munmap, mremap,
mprotect (space.py does the work and draws the map)."""
from __future__ import annotations

PAGE = 0x1000
MAP_SHARED, MAP_PRIVATE, MAP_FIXED = 1, 2, 0x10
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
MREMAP_MAYMOVE = 1


def brk(p, address):
    return p.space.set_brk(address) if address else p.space.brk


def _answer(p, got):
    return p.error(got) if isinstance(got, str) else got


def mmap(p, address, length, prot, flags, fd, offset):
    """Anonymous memory only: a file mapping would need the file system the
    program does not have (ENODEV), and executable memory is refused (EACCES)."""
    if not flags & p.abi.map_anonymous:
        return p.error("ENODEV")
    if prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC):
        return p.error("EINVAL")
    return _answer(p, p.space.mmap(address if flags & MAP_FIXED else 0, length, prot,
                                   bool(flags & MAP_FIXED)))


def mmap2(p, address, length, prot, flags, fd, pages):
    """mmap2 (32-bit ISAs): the offset counted in pages; anonymous memory has none."""
    return mmap(p, address, length, prot, flags, fd, pages * PAGE)


def munmap(p, address, length):
    err = p.space.unmap(address, length)
    return p.error(err) if err else 0


def mprotect(p, address, length, prot):
    err = p.space.protect(address, length, prot)
    return p.error(err) if err else 0


def mremap(p, address, old, new, flags, new_address=0):
    return _answer(p, p.space.remap(address, old, new, bool(flags & MREMAP_MAYMOVE)))


def madvise(p, address, length, advice):
    return 0
