"""Reading machine code: `hal.disasm` (one function on each ISA) and
`hal.trace` (one ISA, instruction by instruction), and their results.

    >>> print(hal.disasm("hello", function="hal_trap"))     # the trap on four ISAs
    >>> t = hal.trace("hello", isa="ppc", limit=20)
    >>> t.steps[0].text, t.steps[0].writes
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..inspection import trace as tracing
from .options import Input, Isas, Program, input_bytes, load, positive

__all__ = ["Disassembly", "Trace", "disasm", "trace", "syscalls", "syscall_table"]


@dataclass(frozen=True, repr=False)
class Disassembly:
    """One function's listing on each ISA: `listings` maps ISA -> lines (a
    heading, then address, bytes, instruction and a note per line)."""
    guest: str
    function: str
    listings: dict[str, list[str]]

    def __getitem__(self, isa: str) -> str:
        return "\n".join(self.listings[isa])

    def text(self) -> str:
        """What `hal disasm` prints: the listings one after another."""
        return "\n\n".join("\n".join(lines) for lines in self.listings.values()) + "\n"

    __str__ = text

    def __repr__(self) -> str:
        return f"<Disassembly of {self.function} in {self.guest} on {', '.join(self.listings)}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text())


@dataclass(frozen=True, repr=False)
class Trace(tracing.Trace):
    """The steps of one guest on one ISA: `steps` holds (index, address,
    where, code, text, writes) per instruction; `end` says why it stopped
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
           source: bool = False) -> Disassembly:
    """Disassemble one function (default main) on every ISA (or those in
    `isa`), as `hal disasm` does; source=True puts the C lines (from DWARF)
    above their instructions.  An unknown function raises HalError naming
    the functions there are."""
    from ..inspection.disasm import listing
    from ..inspection.symbols import Program as Symbols
    from ..inspection.symbols import SourceCache
    sources = SourceCache()
    listings = {}
    images = load(program, isa)
    for img in images:
        symbols = Symbols(img)
        try:
            listings[img.backend.name] = listing(symbols, symbols.function(function),
                                                 source=source, sources=sources)
        finally:
            symbols.close()
    return Disassembly(images[0].name, function, listings)


def trace(program: Program, isa: str | None = None, *, limit: int = 200,
          function: str | None = None, input: Input = None) -> Trace:
    """Follow one guest on one ISA instruction by instruction, as `hal trace`
    does: from the entry point, or only inside `function`, until `limit`
    instructions are recorded or the guest ends."""
    from ..errors import HalError
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
