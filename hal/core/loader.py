"""The ELF loader: check a guest executable thoroughly, then describe what to load.

Guests come from students and from anywhere on disk, so every field we use is
checked before it is trusted, and every refusal is one clear LoadError.
"""
from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..errors import LoadError
from .isa import Backend
from .memmap import PAGE, RAM_BASE, STOP_ADDRESS, MemoryMap

MAX_ELF_BYTES = 64 << 20
MAX_SEGMENTS = 64
PF_X, PF_W = 1, 2
EI_OSABI = 7
ELFOSABI_STANDALONE = 255   # "a standalone (embedded) application": how `hal build` marks a HAL guest


class Segment(NamedTuple):
    vaddr: int
    data: bytes
    memsz: int
    flags: int

    @property
    def executable(self) -> bool:
        return bool(self.flags & PF_X)

    @property
    def writable(self) -> bool:
        return bool(self.flags & PF_W)

    @property
    def pages(self) -> range:
        """The guest pages the segment touches."""
        return range(self.vaddr & ~(PAGE - 1), self.vaddr + self.memsz, PAGE)

    def __repr__(self) -> str:      # the bytes themselves would fill a notebook cell
        perms = "r" + ("w" if self.writable else "-") + ("x" if self.executable else "-")
        return f"<Segment {self.vaddr:#x}..{self.vaddr + self.memsz:#x} {perms}, {len(self.data):,} bytes>"


@dataclass(frozen=True)
class Image:
    """A checked, loadable guest: what goes where, and where it starts."""
    path: Path
    backend: Backend
    entry: int
    segments: tuple[Segment, ...]
    data: bytes = field(repr=False, default=b"")    # the ELF file itself (for snapshots)
    # Which system interface the program was built for: "hal" (the HAL's
    # services alone; an ELF marked ELFOSABI_STANDALONE) or "linux" (a static
    # Linux executable, which needs a personality: hal/core/personality.py).
    abi: str = "hal"
    phdr: int | None = None          # where the program headers sit in memory, if loaded
    personality: object = field(repr=False, compare=False, default=None)   # its factory

    @property
    def name(self) -> str:
        return self.path.stem

    def __repr__(self) -> str:      # short: no code bytes, no backend tables
        return (f"<Image {self.name} for {self.backend.name}: entry {self.entry:#x}, "
                f"{len(self.segments)} segments, from {self.path}>")

    def code_pages(self) -> list[tuple[int, bytes]]:
        """Each run of executable pages as it will sit in guest memory:
        segment bytes, zeros for the rest of a segment's memory size, and the
        ISA's trapping fence instruction in every byte no segment covers, so
        that code which runs past its end traps at once."""
        pages = sorted({p for s in self.segments if s.executable for p in s.pages})
        runs: list[list[int]] = []
        for p in pages:
            if runs and runs[-1][-1] + PAGE == p:
                runs[-1].append(p)
            else:
                runs.append([p])
        fence = self.backend.fence
        out = []
        for run in runs:
            start, end = run[0], run[-1] + PAGE
            buf = bytearray(end - start)
            covered = []                     # [lo, hi) that segments cover, from start
            for s in self.segments:
                lo, hi = max(s.vaddr, start), min(s.vaddr + s.memsz, end)
                if lo < hi:
                    covered.append((lo - start, hi - start))
                    data = s.data[lo - s.vaddr:hi - s.vaddr]
                    buf[lo - start:lo - start + len(data)] = data
            at = 0                           # fill each uncovered gap, pattern from its start
            for lo, hi in [*sorted(covered), (len(buf), len(buf))]:
                if at < lo:
                    buf[at:lo] = (fence * ((lo - at) // len(fence) + 1))[:lo - at]
                at = max(at, hi)
            out.append((start, bytes(buf)))
        return out


def load(path: str | os.PathLike, memory: MemoryMap = MemoryMap()) -> Image:
    """Read and check an ELF executable; raise LoadError with the reason if unusable."""
    from ..paths import read_file
    path = Path(path)
    return parse(read_file(path, MAX_ELF_BYTES, LoadError, "an ELF file"), path, memory)


def oversized_section(elf) -> str | None:
    """The first section the tools read (code, symbols, debug info) that claims
    more data than any ELF we load holds, in words; None if there is none.
    pyelftools makes a NOBITS section's data as zeros of its claimed size, and
    inflates a compressed one to its claimed size, so a damaged or hostile
    header could ask for gigabytes: `hal disasm` must refuse it first."""
    for s in elf.iter_sections():
        if (s.name == ".text" or s.name.startswith((".symtab", ".strtab", ".debug", ".zdebug"))) \
                and s.data_size > MAX_ELF_BYTES:
            return f"section {s.name} claims {s.data_size:,} bytes"
    return None


def parse(blob: bytes, path: Path, memory: MemoryMap = MemoryMap()) -> Image:
    """Check an ELF executable already in memory (`path` names it in messages)."""
    from . import registry

    if len(blob) > MAX_ELF_BYTES:
        raise LoadError(f"{path}: {len(blob)} bytes is too large for a guest")
    if blob[:4] != b"\x7fELF":
        raise LoadError(f"{path}: not an ELF file (bad magic number)")
    if len(blob) < 52:
        raise LoadError(f"{path}: truncated ELF header ({len(blob)} bytes)")

    elf = _Headers(blob, path)
    header = elf.header
    machine, bits, endian = header["e_machine"], elf.elfclass, elf.endian
    entry, etype = header["e_entry"], header["e_type"]
    phnum, phoff, phentsize = header["e_phnum"], header["e_phoff"], header["e_phentsize"]

    backend = registry.for_elf(machine, bits, endian)
    if backend is None:
        supported = ", ".join(f"{b.name} ({machine_name(b.elf_machine)} {b.bits}-bit {b.endian})"
                              for b in registry.backends())
        raise LoadError(f"{path}: unsupported ISA {machine_name(machine)}, {bits}-bit "
                        f"{endian}-endian (supported: {supported})")
    if phnum == 0:
        raise LoadError(f"{path}: no program headers, nothing to load")
    if phnum > MAX_SEGMENTS:
        raise LoadError(f"{path}: {phnum} program headers is absurd (at most {MAX_SEGMENTS})")
    expected_entsize = 32 if bits == 32 else 56
    if phentsize != expected_entsize:
        raise LoadError(f"{path}: program header size {phentsize} is wrong "
                        f"(expected {expected_entsize})")
    if phoff + phnum * phentsize > len(blob):
        raise LoadError(f"{path}: program headers lie past the end of the file (truncated?)")

    abi = "hal" if blob[EI_OSABI] == ELFOSABI_STANDALONE else "linux"
    headers = [elf.segment(i) for i in range(phnum)]
    _check_static(path, blob, etype, headers)
    segments = []
    for i, ph in enumerate(headers):
        if ph["p_type"] != PT_LOAD or ph["p_memsz"] == 0:
            continue
        off, filesz, memsz, vaddr = ph["p_offset"], ph["p_filesz"], ph["p_memsz"], ph["p_vaddr"]
        if filesz > memsz:
            raise LoadError(f"{path}: segment {i} has file size {filesz} > memory size {memsz}")
        if off + filesz > len(blob):
            raise LoadError(f"{path}: segment {i} data lies past the end of the file (truncated?)")
        if abi == "linux":
            if not (RAM_BASE <= vaddr and vaddr + memsz <= STOP_ADDRESS):
                raise LoadError(f"{path}: segment {i} at {vaddr:#x}..{vaddr + memsz:#x} lies "
                                f"outside the user address space ({RAM_BASE:#x}..{STOP_ADDRESS:#x})")
        elif not memory.in_ram(vaddr, memsz):
            raise LoadError(
                f"{path}: segment {i} at {vaddr:#x}..{vaddr + memsz:#x} lies outside guest memory "
                f"({memory.ram_base:#x}..{memory.ram_end:#x}, {memory.size >> 10}K of RAM)"
                + _more_memory(memory, vaddr + memsz))
        segments.append(Segment(vaddr, blob[off:off + filesz], memsz, ph["p_flags"]))
    if not segments:
        raise LoadError(f"{path}: no loadable segments")
    ordered = sorted(segments, key=lambda s: s.vaddr)
    for a, b in zip(ordered, ordered[1:]):
        if a.vaddr + a.memsz > b.vaddr:
            raise LoadError(f"{path}: segments at {a.vaddr:#x} and {b.vaddr:#x} overlap")
    if not any(s.executable and s.vaddr <= entry < s.vaddr + s.memsz for s in segments):
        raise LoadError(f"{path}: entry point {entry:#x} is not inside an executable segment")
    for s in ordered:
        if s.executable and s.writable:
            raise LoadError(f"{path}: segment at {s.vaddr:#x} is both writable and executable; "
                            f"halemu keeps code read-only")
    writable = {p for s in ordered if s.writable for p in s.pages}
    for s in ordered:
        if s.executable and writable.intersection(s.pages):
            raise LoadError(f"{path}: code at {s.vaddr:#x} shares a page with writable data; "
                            f"halemu keeps code and data on separate pages")
    image = Image(path, backend, entry, tuple(ordered), blob, abi, _phdr_address(headers, phoff))
    from .codecheck import check_code
    check_code(image)
    return image


# The two records the loader reads, as the ELF specification lays them out
# (after the 16 bytes of e_ident), for each class: field names and struct codes
_EHDR = ("e_type", "e_machine", "e_version", "e_entry", "e_phoff", "e_shoff", "e_flags",
         "e_ehsize", "e_phentsize", "e_phnum", "e_shentsize", "e_shnum", "e_shstrndx")
_EHDR_CODES = {32: "HHIIIIIHHHHHH", 64: "HHIQQQIHHHHHH"}
_PHDR = {32: ("p_type", "p_offset", "p_vaddr", "p_paddr", "p_filesz", "p_memsz", "p_flags",
              "p_align"),
         64: ("p_type", "p_flags", "p_offset", "p_vaddr", "p_paddr", "p_filesz", "p_memsz",
              "p_align")}
_PHDR_CODES = {32: "IIIIIIII", 64: "IIQQQQQQ"}
ET_EXEC, ET_DYN = 2, 3
PT_LOAD, PT_INTERP, PT_PHDR = 1, 3, 6
_E_TYPES = {0: "ET_NONE", 1: "ET_REL", ET_EXEC: "ET_EXEC", ET_DYN: "ET_DYN", 4: "ET_CORE"}


class _Headers:
    """The ELF header and the program headers, as numbers, with the standard
    library's struct: two fixed records, whose every field the loader checks
    itself.  pyelftools reads the rest of an ELF file (symbols, DWARF:
    hal/inspection/), but importing even its record layouts costs a run
    about 10 ms, and a run needs nothing else of it."""

    def __init__(self, blob: bytes, path: Path):
        ei_class, ei_data = blob[4], blob[5]           # word size, byte order
        if ei_class not in (1, 2):
            raise LoadError(f"{path}: malformed ELF header (invalid EI_CLASS {ei_class})")
        if ei_data not in (1, 2):
            raise LoadError(f"{path}: malformed ELF header (invalid EI_DATA {ei_data})")
        self.elfclass = 32 if ei_class == 1 else 64
        self.endian = "little" if ei_data == 1 else "big"
        self._order = "<" if ei_data == 1 else ">"
        self._blob = blob
        code = self._order + _EHDR_CODES[self.elfclass]
        if 16 + struct.calcsize(code) > len(blob):
            raise LoadError(f"{path}: truncated ELF header ({len(blob)} bytes)")
        self.header = dict(zip(_EHDR, struct.unpack_from(code, blob, 16)))

    def segment(self, n: int) -> dict:
        """Program header n (the caller has checked e_phentsize and that all
        of them lie inside the file)."""
        offset = self.header["e_phoff"] + n * self.header["e_phentsize"]
        values = struct.unpack_from(self._order + _PHDR_CODES[self.elfclass], self._blob, offset)
        return dict(zip(_PHDR[self.elfclass], values))


def machine_name(number: int) -> str:
    """e_machine as pyelftools names it ("EM_MIPS"), for messages; else the number."""
    from elftools.elf.enums import ENUM_E_MACHINE
    return next((name for name, value in ENUM_E_MACHINE.items() if value == number
                 and name.startswith("EM_")), str(number))


def _check_static(path: Path, blob: bytes, etype: int, headers) -> None:
    """Only static executables run here: a dynamic one needs a program
    interpreter (ld.so) and shared libraries that halemu does not have."""
    for ph in headers:
        if ph["p_type"] == PT_INTERP:
            name = blob[ph["p_offset"]:ph["p_offset"] + min(ph["p_filesz"], 256)]
            name = name.split(b"\0")[0].decode("ascii", "replace") or "?"
            raise LoadError(f"{path}: a dynamically linked executable (it needs the program "
                            f"interpreter {name}); halemu runs static executables: link with -static")
    if etype == ET_DYN:
        raise LoadError(f"{path}: a position-independent executable (ET_DYN, static-pie or a "
                        f"shared library); halemu runs static executables: link with -static -no-pie")
    if etype != ET_EXEC:
        raise LoadError(f"{path}: not a static executable (e_type {_E_TYPES.get(etype, etype)}); "
                        f"build with `hal build`")


def _phdr_address(headers, phoff: int) -> int | None:
    """Where the program headers are in memory: PT_PHDR says so, or a loaded
    segment covers them (the C library finds PT_TLS through them, AT_PHDR)."""
    for ph in headers:
        if ph["p_type"] == PT_PHDR:
            return ph["p_vaddr"]
    for ph in headers:
        if ph["p_type"] == PT_LOAD and ph["p_offset"] <= phoff < ph["p_offset"] + ph["p_filesz"]:
            return ph["p_vaddr"] + phoff - ph["p_offset"]
    return None


def _more_memory(memory: MemoryMap, end: int) -> str:
    """A hint at the --memory that would hold a segment ending at `end`, if any would."""
    from .memmap import MAX_MEMORY, RAM_BASE
    if end <= RAM_BASE:
        return ""
    need = end - RAM_BASE + (64 << 10)          # and room for a stack
    size = 1 << 20
    while size < need:
        size *= 2
    if size > MAX_MEMORY:
        return f"; even the most RAM --memory gives ({MAX_MEMORY >> 20}M) would not hold it"
    return f"; give the guest more RAM with --memory {size >> 20}M"
