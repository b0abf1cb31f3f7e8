"""Whose code an instruction is: which function it belongs to, and whether
that function is the user's own, start-up, the HAL SDK, the C library or the
compiler runtime.

A student comparing ISAs wants to see their own code; start-up (clearing
.bss, calling main, exiting), the SDK's console helpers and the runtime's
64-bit division are the same C on every ISA and would otherwise blur it.

  function   the symbol table's function holding the address, unless DWARF
             says the address lies in an inlined copy of another function:
             then that function (the innermost copy), "inlined into" the first
  category   from the source file DWARF names for the function (the file
             that declares it, so a header's function emitted in a C file is
             the header's; for an inlined copy, the inlined function's file):
               start-up   the SDK's crt0.c and start.S, and the C library's
                          start and exit functions (START_UP)
               SDK        guests/lib/, guests/include/, arch/<isa>/
               C library  a libc's sources (zig ships musl's in lib/libc/musl/, its
                          headers in lib/libc/include/), and guests/libc/ (what
                          makes musl answer as glibc does), and zig's own C
                          functions (its "zigc" unit: memcpy, strnlen, ...); a
                          user's own folder named libc is still the user's
               runtime    zig's compiler_rt (64-bit division on 32-bit ISAs, ...)
               user       every other source: the program's own files
             Code without debug info is sorted by name where the name tells
             (start-up, runtime), else "other"; code without a symbol (a local
             label in an assembly file) is named by the DWARF unit around it.
Paths are matched by their shape (".../guests/lib/hal.c"), not by where this
checkout lies: the build cache is shared, so a guest's DWARF may name another
checkout's copy of the same SDK.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from .dwarf import Debug, InlinedCopy, Unit
from .symbols import Program

CATEGORIES = ("user", "startup", "sdk", "libc", "runtime", "other")
LABELS = {"user": "your code", "startup": "start-up", "sdk": "HAL SDK", "libc": "C library",
          "runtime": "compiler runtime", "other": "other (no debug info)"}

# Start and exit code, by name: the SDK's, and musl's (crt1.c, __libc_start_main.c, exit.c)
START_UP = frozenset({
    "_start", "__start", "hal_cstart",
    "_start_c", "__libc_start_main", "libc_start_main_stage2", "libc_start_init",
    "__libc_start_init", "__init_libc", "__init_tls", "__init_tp", "static_init_tls",
    "__copy_tls", "__init_ssp", "__set_thread_area", "_init", "_fini", "__dls2", "__dls3",
    "exit", "_Exit", "__libc_exit_fini", "libc_exit_fini", "__funcs_on_exit"})
SDK_START_FILES = ("crt0.c", "start.S")
# compiler-rt / libgcc helpers, for a runtime built without debug info
RUNTIME_NAME = re.compile(r"__(u?(div|mod|divmod)[dt]i[34]|(ashl|ashr|lshr|mul|neg|cmp|ucmp)[dt]i[23]"
                          r"|(add|sub|mul|div|neg|pow)[sdtx]f[23]|fix\w+|float\w+|extend\w+|trunc\w+"
                          r"|(clz|ctz|popcount|parity|bswap)[sd]i2)$")


def path_category(path: str | None, producer: str = "") -> str | None:
    """The category a source file's code falls in, by the path's shape (None: can't say)."""
    if path is None:
        return None
    p = PurePosixPath(path)
    parts = p.parts
    if path == "zigc":          # zig's own C library functions (memcpy, strnlen, chdir, ...)
        return "libc"
    if path == "compiler_rt" or {"compiler_rt", "compiler-rt"} & set(parts) or \
            producer.startswith("zig "):
        return "runtime"
    if parts[-3:-1] in (("guests", "lib"), ("guests", "include")) or \
            (len(parts) >= 3 and parts[-3] == "arch"):
        return "startup" if p.name in SDK_START_FILES else "sdk"
    pairs = {parts[i:i + 2] for i in range(len(parts) - 1)}
    if {"musl", "glibc"} & set(parts) or {("libc", "include"), ("guests", "libc")} & pairs:
        return "libc"
    return "user"


@dataclass(frozen=True)
class Owner:
    """Who an instruction belongs to."""
    function: str
    category: str
    inlined_into: str | None = None      # the function holding this inlined copy


class Origins:
    """Owners of the addresses of one Program's code."""

    def __init__(self, program: Program):
        self.program = program

    @cached_property
    def debug(self) -> Debug:
        def read(unit: Unit) -> bool:      # the runtime's and the C library's DIEs are not needed
            return path_category(unit.name, unit.producer) in ("user", "sdk", "startup")
        return Debug(self.program.elf, read)

    @cached_property
    def _categories(self) -> dict[str, str]:
        """Function name -> category, for every function of the symbol table."""
        out = {}
        entries = {s.entry: s for s in self.debug.subprograms if s.ranges}
        for f in self.program.functions:
            unit = self.debug.unit_at(f.start)
            sub = entries.get(f.start)
            found = None
            if sub is not None and sub.decl_file:     # a header's function is the header's
                found = path_category(sub.decl_file)
            elif unit is not None:
                found = path_category(unit.name, unit.producer)
            if found is None:
                found = "startup" if f.name in START_UP else \
                    "runtime" if RUNTIME_NAME.match(f.name) else "other"
            elif f.name in START_UP and found in ("libc", "sdk", "other"):
                found = "startup"
            out[f.name] = found
        return out

    def category(self, function: str) -> str:
        return self._categories.get(function, "other")

    def owners(self, addresses: list[int]) -> list[Owner]:
        """The owner of each of `addresses` (sorted), in order."""
        copies = self.debug.inline_at(addresses)
        return [self._owner(a, copies.get(a)) for a in addresses]

    def _owner(self, address: int, copy: InlinedCopy | None) -> Owner:
        f = self.program.function_at(address)
        if f is None:
            return self._unnamed(address)
        name = f.name
        if copy is None:
            return Owner(name, self.category(name))
        category = path_category(copy.decl_file) or self.category(name)
        if copy.name in START_UP and category in ("libc", "sdk"):
            category = "startup"
        return Owner(copy.name, category, copy.caller)

    def _unnamed(self, address: int) -> Owner:
        """Code no symbol names, such as a local label in an assembly file
        (musl's i386 system call stub): named by its source file where a DWARF
        unit covers it, and sorted as that file is."""
        unit = self.debug.unit_at(address)
        category = path_category(unit.name, unit.producer) if unit is not None else None
        if category is None:
            return Owner("(no symbol)", "other")
        return Owner(f"(code in {PurePosixPath(unit.name).name})", category)

