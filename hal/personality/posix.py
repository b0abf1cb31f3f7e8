"""The POSIX personality of one machine: a static Linux program's view of
the world, served over the HAL.

One ISA-independent dispatcher: a trap with this ISA's Linux call number
(abi.py reads it where arch/<isa>/linux.py says) is looked up in the one
table of calls (calls.py) by name, its handler runs, and the result goes back
by the ISA's error convention.  A call the table lacks returns ENOSYS, and
every call made is counted for `--stats` (and logged for `hal trace
--syscalls` when asked).

The HAL trap and the Linux trap share a machine: on x86 they are different
instructions (int 0x2e, int 0x80); on MIPS, PowerPC and the Alpha-like core
they are the same one, so a C library program's HAL calls carry a tag
(hal/core/services.py: LIBC_TAG) and anything untagged is a system call.
"""
from __future__ import annotations

import dataclasses
import os
import random as random_module
from functools import partial
from pathlib import Path

from ..core.loader import Image
from ..core.memmap import PAGE
from ..core.services import LIBC_TAG, TAG_MASK
from ..errors import HalError
from . import abi as abis
from . import stack, strace
from .calls import CALLS
from .files import FileTable, guest_path
from .space import DEFAULT_LIMIT, STACK_TOP, AddressSpace, check_layout

SEED = 0x48414C     # "HAL": every run draws the same "random" bytes


class Posix:
    """One process: its address space, open files, signal records, the
    calls it made; and the machine it runs on."""
    default_memory = DEFAULT_LIMIT

    def __init__(self, machine, argv: tuple[str, ...] = (), files: dict[str, Path] | None = None):
        self.machine = machine
        self.uc = machine.uc
        self.backend = machine.backend
        self.abi = abis.for_backend(self.backend)
        self.argv = argv or (machine.image.name,)
        self.space = AddressSpace(self.uc, machine.image, machine.memory.size)
        self.space.changed = machine.memory_changed
        self.files = FileTable(files or {})
        self.random = random_module.Random(SEED)
        self.counts: dict[int, int] = {}
        self.log: list[str] | None = None           # strace-style lines, when asked
        self.tid_address = 0
        self.signal_mask = b""
        self.actions: dict[int, bytes] = {}

    # -- the Personality protocol (hal/core/personality.py) ----------------------------
    def map_memory(self) -> None:
        self.space.map_program()

    def enter(self) -> None:
        image = self.machine.image
        sp = stack.build(self.uc, self.backend, self.abi, image, self.argv,
                         self.random.randbytes(16), STACK_TOP, self.space.stack_bottom)
        self.backend.enter(self.uc, image.entry, sp)
        self.abi.start(self)

    def claims(self, intno: int) -> bool:
        if intno != self.abi.trap.interrupt:
            return False
        number = self.uc.reg_read(self.backend.reg(self.abi.number))
        return intno != self.backend.trap.interrupt or number & TAG_MASK != LIBC_TAG

    def syscall(self) -> None:
        b, a = self.backend, self.abi
        number = self.uc.reg_read(b.reg(a.number))
        self.counts[number] = self.counts.get(number, 0) + 1
        name = a.calls.get(number)
        call = CALLS.get(name)
        if call is not None and not call.served_on(a):
            call = None
        if call is None:
            result = -a.errno("ENOSYS")
            if self.log is not None:
                self.log.append(f"{name or unknown_name(number)}(...) = -1 ENOSYS "
                                f"(not served by halemu)")
        else:
            args = a.arguments(self.uc, b, call.arity)
            result = call.handler(self, *args)
            if self.log is not None:
                self.log.append(strace.describe(self, call, name, args, result))
        if result is not None:
            a.set_result(self.uc, b, result)

    @property
    def stack_guard(self) -> int:
        """The page below the stack, which nothing is ever mapped on (space.py)."""
        return self.space.stack_bottom - PAGE

    def in_ram(self, start: int, length: int) -> bool:
        return self.space.in_ram(start, length)

    def summary(self) -> tuple[tuple[str, int, int, bool], ...]:
        names = self.abi.calls
        def served(n):
            call = CALLS.get(names.get(n))
            return call is not None and call.served_on(self.abi)
        return tuple((names.get(n) or unknown_name(n), self.signed(n), count, served(n))
                     for n, count in self.counts.items())

    # -- for the calls ---------------------------------------------------------------------
    def error(self, name: str) -> int:
        """-errno for an E-name, this ISA's number."""
        return -self.abi.errno(name)

    def read(self, address: int, length: int) -> bytes | None:
        """Guest memory, or None if it is not all there."""
        if length < 0 or not self.space.in_ram(address, length):
            return None
        return bytes(self.uc.mem_read(address, length))

    def write(self, address: int, data: bytes) -> bool:
        """Write guest memory the program may write; False if it may not."""
        if not self.space.writable(address, len(data)):
            return False
        if data:
            self.uc.mem_write(address, data)
        return True

    def string(self, address: int, limit: int = 4096) -> str | None:
        """A NUL-terminated string from guest memory (None: not there, or too long)."""
        out = bytearray()
        while len(out) < limit:
            chunk = self.read(address + len(out), min(256, _page_rest(address + len(out))))
            if chunk is None:
                return None
            end = chunk.find(b"\0")
            if end >= 0:
                out += chunk[:end]
                return out.decode("utf-8", "surrogateescape")
            out += chunk
        return None

    def word(self, value: int) -> bytes:
        return (value & self.backend.word_mask).to_bytes(self.backend.word_bytes,
                                                         self.backend.endian)

    def pack(self, value: int, size: int) -> bytes:
        return (value & ((1 << (8 * size)) - 1)).to_bytes(size, self.backend.endian)

    def unpack(self, data: bytes, signed: bool = False) -> int:
        return int.from_bytes(data, self.backend.endian, signed=signed)

    def signed(self, value: int) -> int:
        """A register's bits read as a C long."""
        bits = self.backend.bits
        value &= (1 << bits) - 1
        return value - (1 << bits) if value >> (bits - 1) else value

    def int32(self, value: int) -> int:
        """A register's bits read as a C int (fd, flags...)."""
        value &= 0xFFFF_FFFF
        return value - (1 << 32) if value >> 31 else value


def unknown_name(number: int) -> str:
    """A number no ISA's table names, as strace shows one: syscall_0x7d00."""
    return f"syscall_{number:#x}"


def _page_rest(address: int) -> int:
    """Bytes from `address` to the end of its page."""
    return 0x1000 - (address & 0xFFF)


def adopt(image: Image, args: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> Image:
    """`image`, ready to run: a Linux program gets the POSIX personality, with
    `args` as argv[1:] and read access to the host files the user named (each
    argument that names a file, and `files`); a HAL guest is returned as it is."""
    if image.abi == "hal":
        if args or files:
            raise HalError(f"{image.name} is a HAL guest: program arguments and files are for "
                           f"C library programs (hal_arg() is the scheduler's number)")
        return image
    abis.for_backend(image.backend)
    check_layout(image)
    named: dict[str, Path] = {}
    for name in files:
        path = Path(name)
        if not path.is_file():
            raise HalError(f"--file {name}: not a regular file (a device, pipe or socket)"
                           if path.exists() and not path.is_dir() else
                           f"--file {name}: no such file")
        named[guest_path(name)] = path.resolve()
    for arg in args:
        if os.path.isfile(arg):
            named.setdefault(guest_path(arg), Path(arg).resolve())
    factory = partial(Posix, argv=(image.name, *args), files=named)
    factory.default_memory = Posix.default_memory       # type: ignore[attr-defined]
    return dataclasses.replace(image, personality=factory)

