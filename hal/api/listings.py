"""Reading machine code: `hal.disasm` (one function on each ISA, one after
another or side by side), `hal.diff` (two builds side by side) and
`hal.trace` (one ISA, instruction by instruction), and their results.

    >>> print(hal.disasm("hello", function="hal_trap"))     # the trap on four ISAs
    >>> d = hal.disasm("fib", function="fib")
    >>> d.conventions["x86"].follows_abi                     # False: n arrives in ecx
    >>> print(d.columns())                                   # ISAs in columns, a row per C line
    >>> print(hal.diff("fib", "-O0,-O2", isa="x86", function="fib"))
    >>> t = hal.trace("hello", isa="ppc", limit=20)
    >>> t.steps[0].text, t.steps[0].writes
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..inspection import trace as tracing
from ..inspection.columns import SideBySide
from ..toolchain.options import BuildOptions
from ..errors import HalError
from .options import Input, Isas, Program, input_bytes, load, positive

__all__ = ["Diff", "Disassembly", "Trace", "diff", "disasm", "trace", "syscalls",
           "syscall_table"]


@dataclass(frozen=True, repr=False)
class Disassembly:
    """One function's listing on each ISA: `listings` maps ISA -> lines (a
    heading, where the arguments and result live, then address, bytes,
    instruction and a note per line); `conventions` maps ISA -> Convention
    (None where DWARF does not describe the function), and `side_by_side`
    holds the same instructions by C source line, for columns()."""
    guest: str
    function: str
    listings: dict[str, list[str]]
    conventions: dict = field(default_factory=dict)
    side_by_side: SideBySide | None = None

    def __getitem__(self, isa: str) -> str:
        return "\n".join(self.listings[isa])

    def text(self) -> str:
        """What `hal disasm` prints: the listings one after another."""
        return "\n\n".join("\n".join(lines) for lines in self.listings.values()) + "\n"

    __str__ = text

    def columns(self, width: int = 160) -> str:
        """What `hal disasm --columns` prints: the ISAs in columns, a row per C source line."""
        from ..render import columns
        if self.side_by_side is None:
            raise HalError("this Disassembly was made without its side-by-side view")
        return columns.render(self.side_by_side, width)

    def __repr__(self) -> str:
        return f"<Disassembly of {self.function} in {self.guest} on {', '.join(self.listings)}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text())


@dataclass(frozen=True, repr=False)
class Diff:
    """Two builds of one function side by side (`hal disasm --diff A,B`):
    `side_by_side.rows` holds each C line's instructions in both."""
    side_by_side: SideBySide

    def text(self, width: int = 160) -> str:
        from ..render import columns
        return columns.render(self.side_by_side, width, diff=True)

    __str__ = text

    def __repr__(self) -> str:
        v = self.side_by_side
        counts = " vs ".join(f"{b.label} {sum(1 for i in b.instructions):,}" for b in v.builds)
        return f"<Diff of {v.function} in {v.guest}: {counts} instructions>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text())


@dataclass(frozen=True, repr=False)
class Trace(tracing.Trace):
    """The steps of one guest on one ISA: `steps` holds (index, address,
    where, code, text, writes, fpu) per instruction (fpu: the FPU registers
    it changed, as text); `end` says why it stopped
    ("limit", "exited", "faulted"), with `exit_code` or `fault`."""

    def text(self) -> str:
        """What `hal trace` prints."""
        return "\n".join(self.lines()) + "\n"

    __str__ = text

    def to_json(self) -> str:
        """What `hal trace --format json` prints ("halemu.trace/1"; as a dict: to_dict())."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def __repr__(self) -> str:
        scope = f" in {self.function}" if self.function else ""
        return f"<Trace {self.guest} on {self.isa}{scope}: {len(self.steps)} instructions, {self.end}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text())


def disasm(program: Program, isa: Isas = None, *, function: str = "main",
           source: bool = False, options: BuildOptions | None = None) -> Disassembly:
    """Disassemble one function (default main) on every ISA (or those in
    `isa`), as `hal disasm` does; source=True puts the C lines (from DWARF)
    above their instructions, and `options` says how sources are built
    (`hal.compiler(optimize="0")` for -O0; default -O2).  Under each heading: where the
    arguments and result live, and whether that is the ABI's convention.
    An unknown function raises HalError naming the functions there are (or,
    for one the compiler inlined everywhere, where its copies went)."""
    from ..inspection.columns import build_column, side_by_side
    from ..inspection.disasm import conventions, find, listing
    from ..inspection.origins import Origins
    from ..inspection.symbols import Program as Symbols
    from ..inspection.symbols import SourceCache
    from ..toolchain import provenance
    sources = SourceCache()
    listings, found, columns = {}, {}, []
    images = load(program, isa, options=options)
    for img in images:
        symbols = Symbols(img)
        try:
            debug = Origins(symbols).debug
            f = find(symbols, function, debug)
            name = img.backend.name
            found[name] = conventions(symbols, f, debug)
            listings[name] = listing(symbols, f, source=source, sources=sources,
                                     convention=found[name])
            columns.append(build_column(symbols, function, name, provenance.of(img.path)))
        finally:
            symbols.close()
    return Disassembly(images[0].name, function, listings, found,
                       side_by_side(images[0].name, function, columns, sources))


def diff(program: Program, builds: str | list[str], *, function: str = "main",
         isa: Isas = None, options: BuildOptions | None = None) -> Diff:
    """Two builds of one function side by side, a row per C source line, as
    `hal disasm PROGRAM --diff A,B` does: two ISAs ("x86,mips") or one ISA at
    two optimisation levels ("-O0,-O2" with isa="x86", or "x86:-O0,x86:-O2");
    `options` says how both are built, but for the level a build names."""
    from dataclasses import replace

    from ..inspection.columns import build_column, side_by_side
    from ..inspection.symbols import Program as Symbols
    from ..toolchain import provenance
    from ..toolchain.options import DEFAULT
    from .options import builds as parse
    wanted = parse(builds, isa)
    same_isa = wanted[0][0] == wanted[1][0]
    base = options or DEFAULT
    if same_isa and (wanted[0][1] or base.optimize) == (wanted[1][1] or base.optimize):
        raise HalError(f"--diff {builds if isinstance(builds, str) else ','.join(builds)} "
                       "names the same build twice")
    columns, guest = [], ""
    for name, level in wanted:
        images = load(program, name, options=replace(base, optimize=level) if level else base)
        if len(images) != 1:
            raise HalError("--diff compares two builds: name an ISA for each (x86,mips or "
                           "x86:-O0,x86:-O2)")
        img = images[0]
        prov = provenance.of(img.path)
        label = img.backend.name
        if same_isa:
            label += f" {prov.get('opt') or '-O' + (level or base.optimize)}"
        symbols = Symbols(img)
        try:
            columns.append(build_column(symbols, function, label, prov))
        finally:
            symbols.close()
        guest = guest or img.name
    return Diff(side_by_side(guest, function, columns))


def trace(program: Program, isa: str | None = None, *, limit: int = 200,
          function: str | None = None, input: Input = None) -> Trace:
    """Follow one guest on one ISA instruction by instruction, as `hal trace`
    does: from the entry point, or only inside `function`, until `limit`
    instructions are recorded or the guest ends."""
    if limit is None:
        raise HalError("limit must be an integer, at least 1, not None")
    positive("limit", limit)
    images = load(program, isa)
    if len(images) != 1:
        raise HalError("hal trace follows one ISA: give --isa NAME")
    t = tracing.trace(images[0], limit=limit, function=function, stdin=input_bytes(input))
    return Trace(**{name: getattr(t, name) for name in t.__dataclass_fields__})


def syscalls(program: Program, isa: str | None = None, *, input: Input = None):
    """A C library program's system calls on one ISA, as `hal trace --syscalls`
    shows them (strace's format): `.lines`, `.text()`, `exit_code`, `fault`."""
    from ..errors import HalError
    from ..inspection.syscalls import follow
    images = load(program, isa)
    if len(images) != 1:
        raise HalError("hal trace follows one ISA: give --isa NAME")
    return follow(images[0], stdin=input_bytes(input))


def syscall_table() -> list[tuple[str, dict[str, int | None]]]:
    """The system calls the POSIX personality serves, each with its number on
    every ISA (None: that ISA has no such call), as `hal syscalls` lists them."""
    from ..personality.calls import numbers
    return numbers()
