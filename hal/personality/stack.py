"""The stack a Linux program starts with, as the kernel's ELF loader builds it.

    STACK_TOP      +----------------------------------+
                   | strings: argv[], envp[], the     |
                   | platform name, 16 random bytes,  |
                   | the program headers if no        |
                   | segment holds them               |
                   +----------------------------------+  16-byte aligned
                   | AT_NULL, 0                       |
                   | auxv: (type, value) words        |  AT_PHDR, AT_PAGESZ, AT_ENTRY, AT_RANDOM ...
                   | NULL                             |
                   | envp[0] ... envp[n-1]            |
                   | NULL                             |
                   | argv[0] ... argv[argc-1]         |
    sp ->          | argc                             |  16-byte aligned: what _start finds
                   +----------------------------------+

Words are the ISA's (4 or 8 bytes) in its byte order; every other register
starts at zero, which is what a C library's _start expects of the kernel (on
i386 and MIPS a non-zero %edx or $v0 would be taken for a function to call at
exit).  The environment is fixed, so that runs repeat anywhere and nothing of
the host shows.
"""
from __future__ import annotations

ENVIRONMENT = ("PATH=/bin:/usr/bin", "HOME=/", "LANG=C")
UID = GID = 1000

# auxiliary vector types (include/uapi/linux/auxvec.h): the same on every ISA
AT_NULL, AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY = 0, 3, 4, 5, 6, 7, 8, 9
AT_UID, AT_EUID, AT_GID, AT_EGID, AT_PLATFORM, AT_HWCAP, AT_CLKTCK = 11, 12, 13, 14, 15, 16, 17
AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN = 23, 25, 26, 31
CLOCK_TICKS = 100           # sysconf(_SC_CLK_TCK)


def build(uc, backend, abi, image, argv: tuple[str, ...], random: bytes, top: int,
          bottom: int) -> int:
    """Write the initial stack below `top`, above `bottom`; returns the stack
    pointer.  Arguments that leave the program less than a page of its stack
    are bad input (the kernel's E2BIG)."""
    from ..core.memmap import PAGE
    from ..errors import LoadError
    width, order = backend.word_bytes, backend.endian
    strings = bytearray()

    def place(data: bytes) -> int:       # strings go up from a base found at the end
        strings.extend(data)
        return len(strings) - len(data)

    arg_at = [place(a.encode() + b"\0") for a in argv]
    env_at = [place(e.encode() + b"\0") for e in ENVIRONMENT]
    platform_at = place(abi.platform.encode() + b"\0") if abi.platform else None
    random_at = place(random[:16])
    phdr_at = None
    phnum, phent = _program_headers(image)
    if image.phdr is None and phnum:
        phdr_at = place(image.data[_phoff(image):_phoff(image) + phnum * phent])
    base = (top - len(strings) - 16) & ~15        # where the strings start
    auxv = [(AT_PHDR, image.phdr if phdr_at is None else base + phdr_at), (AT_PHENT, phent),
            (AT_PHNUM, phnum), (AT_PAGESZ, PAGE), (AT_BASE, 0), (AT_FLAGS, 0),
            (AT_ENTRY, image.entry), (AT_UID, UID), (AT_EUID, UID), (AT_GID, GID),
            (AT_EGID, GID), (AT_HWCAP, abi.hwcap), (AT_HWCAP2, 0), (AT_CLKTCK, CLOCK_TICKS),
            (AT_SECURE, 0), (AT_RANDOM, base + random_at), (AT_EXECFN, base + arg_at[0])]
    if platform_at is not None:
        auxv.append((AT_PLATFORM, base + platform_at))
    words = [len(argv), *(base + a for a in arg_at), 0, *(base + e for e in env_at), 0,
             *(w for pair in auxv for w in pair), AT_NULL, 0]
    sp = (base - len(words) * width) & ~15
    if sp - PAGE < bottom:
        raise LoadError(f"{image.name}: its {len(argv) - 1} arguments need {(top - sp) >> 10} KiB "
                        f"of its {(top - bottom) >> 10} KiB stack (an eighth of --memory), "
                        f"leaving it too little to run")
    uc.mem_write(base, bytes(strings))
    uc.mem_write(sp, b"".join(w.to_bytes(width, order) for w in words))
    return sp


def _phoff(image) -> int:
    return int.from_bytes(image.data[28:32] if image.backend.bits == 32 else image.data[32:40],
                          image.backend.endian)


def _program_headers(image) -> tuple[int, int]:
    """(count, entry size) of the ELF's program headers."""
    d, order = image.data, image.backend.endian
    at = 44 if image.backend.bits == 32 else 56
    return int.from_bytes(d[at:at + 2], order), int.from_bytes(d[at - 2:at], order)
