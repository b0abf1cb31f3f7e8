"""What the API's arguments may be, made into what the subsystems take: one
place, so every function (and so every `hal` command) reads an option the
same way.  Defaults are the command line's."""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, Sequence, TextIO, Union

from ..core.loader import Image
from ..core.memmap import MemoryMap, parse_size
from ..errors import HalError
from ..toolchain.options import BuildOptions

Program = Union[str, os.PathLike, Image]
"""A bundled guest's name ("fib"), a C source ("my.c"), an ELF file, or an Image."""

Input = Union[bytes, str, os.PathLike, BinaryIO, None]
"""Console input: bytes or str (the input itself), a path (a file to read),
a binary file object, or None (no input: the guest sees end of input)."""

Isas = Union[str, Sequence[str], None]
"""One ISA ("mips"), several ("mips,alpha" or ["mips", "alpha"]), "all", or None."""

CONSOLES = ("trap", "uart")
DEFAULT_MEMORY = None      # 1M of RAM for a HAL guest, 64M of address space for a C library program


def memory_map(memory: str | int | MemoryMap | None) -> MemoryMap | None:
    """'1M', '512K', a byte count, or a MemoryMap -> MemoryMap (HalError if out of
    range); None stays None: each kind of program's own default."""
    if memory is None or isinstance(memory, MemoryMap):
        return memory
    try:
        return MemoryMap(parse_size(str(memory)))
    except ValueError as e:
        raise HalError(str(e)) from None


MAX_INPUT = 64 << 20      # bytes of console input read in full (every ISA gets all of it)


def input_bytes(data: Input) -> bytes | None:
    """Console input as bytes, read in full (None: no input), up to MAX_INPUT:
    /dev/zero as input is an error, not a host that fills its memory."""
    if data is None or isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode()
    name = os.fspath(data) if isinstance(data, os.PathLike) else getattr(data, "name", "input")
    try:
        if isinstance(data, os.PathLike):
            with open(data, "rb") as f:
                blob = f.read(MAX_INPUT + 1)
        else:
            blob = data.read(MAX_INPUT + 1)
    except OSError as e:
        raise HalError(f"{name}: cannot read input: {e.strerror}") from None
    if len(blob) > MAX_INPUT:
        raise HalError(f"{name}: more than {MAX_INPUT >> 20} MiB of input")
    return blob


def input_stream(data: Input) -> BinaryIO | None:
    """Console input as a stream; a file object is passed on unread, so a
    guest reading a pipe sees each line as it comes (as `hal run` does)."""
    if data is None or isinstance(data, (bytes, str, os.PathLike)):
        data_bytes = input_bytes(data)
        return None if data_bytes is None else io.BytesIO(data_bytes)
    return data


class _TextEcho:
    """A text stream (a notebook's sys.stdout) as the binary stream a console
    echoes to; UTF-8 split across writes is decoded whole."""

    def __init__(self, text: TextIO):
        import codecs
        self._text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def write(self, data: bytes) -> None:
        self._text.write(self._decoder.decode(data))

    def flush(self) -> None:
        self._text.flush()


def echo_stream(echo: BinaryIO | TextIO | None) -> BinaryIO | None:
    """Where a guest's output also goes as it comes: a binary stream as it is,
    a text stream (sys.stdout, also in a notebook) through a decoder."""
    if echo is None or not isinstance(echo, io.TextIOBase):
        return echo         # type: ignore[return-value]
    return _TextEcho(echo)  # type: ignore[return-value]


def isa_names(isas: Isas) -> list[str] | None:
    """The ISA names asked for, in the order given; None for every ISA.
    Names are read in any case ("MIPS", "Alpha")."""
    if isas is None or (isinstance(isas, str) and isas.strip().lower() == "all"):
        return None
    names = isas.split(",") if isinstance(isas, str) else list(isas)
    names = [n.strip().lower() for n in names if n.strip()]
    if "all" in names:
        return None
    if not names:
        raise HalError("no ISA named (give a name, several separated by commas, or 'all')")
    return names


def console_defines(console: str) -> tuple[str, ...]:
    from ..toolchain.build import CONSOLES as DEFINES
    if console not in DEFINES:
        raise HalError(f"unknown console '{console}' (choose from {', '.join(CONSOLES)})")
    return DEFINES[console]


def compiler(includes: Sequence[str | os.PathLike] = (), defines: Sequence[str] = (),
             optimize: str = "2", libraries: Sequence[str] = (),
             libc: bool | None = None) -> BuildOptions:
    """The compiler options `hal build`/`hal run` take (-I, -D, -O, -l, --libc)."""
    return BuildOptions(tuple(Path(d) for d in includes), tuple(defines), str(optimize),
                        tuple(libraries), libc)


def load(program: Program | Sequence[str | os.PathLike], isa: Isas = None, *,
         console: str = "trap", memory: str | int | MemoryMap | None = DEFAULT_MEMORY,
         options: BuildOptions | None = None, args: Sequence[str] = (),
         files: Sequence[str | os.PathLike] = ()) -> list[Image]:
    """The loaded images `program` names, one per ISA asked for, in the order
    asked (`hal isas` order for all): a bundled guest or C sources (a list of
    files builds one program from them all) are built first, with `options`
    (see `compiler`; cached); an ELF file is its own ISA.  With isa None, a
    bundled guest or sources mean every ISA.  A C library program gets `args`
    as its arguments (argv[1:]) and may read the host `files` (and every
    argument that names a file); nothing else of the host is visible to it."""
    from ..toolchain.options import DEFAULT
    from ..toolchain.programs import resolve
    options = options or DEFAULT
    if isinstance(program, Image):
        if isa_names(isa) not in (None, [program.backend.name]):
            raise HalError(f"{program.path} is a {program.backend.name} ELF file, not {isa}")
        if options != DEFAULT:
            raise HalError(f"{program.path} is already built: build options "
                           f"({' '.join(options.flags)}) need its sources or a bundled guest")
        return [program]
    names = isa_names(isa)
    defines, mem = console_defines(console), memory_map(memory)
    text = os.fspath(program) if isinstance(program, (str, os.PathLike)) else \
        [os.fspath(p) for p in program]
    process = dict(args=tuple(map(str, args)), files=tuple(map(os.fspath, files)))
    if names is None:
        return resolve(text, None, defines, mem, options, **process)
    return [img for name in names
            for img in resolve(text, name, defines, mem, options, **process)]


def level(text: str) -> str:
    """An optimisation level as BuildOptions takes it: "-O1", "O1" and "1" are "1"."""
    from ..toolchain.options import OPTIMIZE
    value = str(text).strip().removeprefix("-").removeprefix("O")
    if value not in OPTIMIZE:
        raise HalError(f"unknown optimisation level '{text}' (choose from "
                       f"{', '.join('-O' + o for o in OPTIMIZE)})")
    return value


def builds(spec: str | Sequence[str], isa: Isas = None) -> list[tuple[str | None, str | None]]:
    """What `--diff A,B` names: two builds, each an ISA ("mips"), an
    optimisation level ("-O0", "O0") or both ("x86:-O0"): (ISA, level) pairs,
    None where the build leaves it to `isa` (which must then be one ISA) or
    to the other options."""
    from ..core import registry
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    items = [i.strip() for i in items if i.strip()]
    if len(items) != 2:
        raise HalError(f"--diff takes two builds, A,B (two ISAs such as x86,mips, or two "
                       f"levels such as -O0,-O2), not '{','.join(items)}'")
    default_isa = None
    names = isa_names(isa)
    if names is not None:
        if len(names) != 1:
            raise HalError("with --diff, --isa names the one ISA both builds are for")
        default_isa = names[0]
    out: list[tuple[str | None, str | None]] = []
    for item in items:
        isa_part, _, opt_part = item.partition(":")
        if not opt_part and isa_part.lstrip("-").upper().startswith("O"):
            isa_part, opt_part = "", isa_part
        name = isa_part or default_isa
        if name is not None:
            registry.get(name)                      # an unknown ISA is one clear error
        elif opt_part:
            raise HalError(f"--diff {','.join(items)}: say which ISA (--isa NAME, or "
                           f"ISA:{opt_part})")
        out.append((name, level(opt_part) if opt_part else None))
    if out[0] == out[1]:
        raise HalError(f"--diff {','.join(items)} names the same build twice")
    return out


def positive(name: str, value: int | None, zero: bool = False) -> int | None:
    """The command line's range checks (click.IntRange), for callers from
    Python: up to MAX_COUNT, so that nothing wraps in the native counter."""
    from ..core.limits import MAX_COUNT, count_ok
    if value is None:
        return None
    if not count_ok(value, 0 if zero else 1):
        least = "0" if zero else "1"
        raise HalError(f"{name} must be an integer from {least} to {MAX_COUNT}, not {value!r}")
    return value
