"""What a guest's sources pull in: every header reached (so that an edited
header makes a new build) and whether they ask for the C library.

A scan of the #include lines, as a build system's dependency scanner does
before it runs the compiler: "name" is looked for beside the including
file, then in each -I folder; <name> in each -I folder.  A name found in
none of them is the toolchain's (the SDK's hal.h, or a C library header).
The scan does not evaluate #if, so it may take in a header the compiler
skips; that costs at most a needless rebuild.  It refuses an #include or
an assembler `.incbin` that names a device, pipe or socket (/dev/zero, a
FIFO): the compiler would never finish reading it.

A program asks for the C library when it includes a header that only a
hosted C implementation has: <stdio.h> does, <stdint.h> does not (C11's
freestanding headers come with the compiler, and HAL-only guests use them).
So a student's hello.c with #include <stdio.h> just works, and the bundled
guests, which include only "hal.h", stay exactly as they were built before.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

# C11 4p6: what a freestanding implementation provides (the compiler's own headers)
FREESTANDING = frozenset({"float.h", "iso646.h", "limits.h", "stdalign.h", "stdarg.h",
                          "stdbool.h", "stddef.h", "stdint.h", "stdnoreturn.h", "stdatomic.h"})
SDK = frozenset({"hal.h", "hal_services.h", "hal_devices.h", "io.h"})   # guests/include, arch/<isa>

_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
_INCBIN = re.compile(r'^[ \t]*\.incbin[ \t]+"([^"\n]+)"', re.M)    # assembly's whole-file include


class Scan(NamedTuple):
    headers: tuple[Path, ...]       # files of ours reached, in the order found
    toolchain: frozenset[str]       # names left to the toolchain: "stdio.h", "hal.h", ...

    @property
    def wants_libc(self) -> bool:
        return bool(self.toolchain - FREESTANDING - SDK)

    @property
    def uses_hal(self) -> bool:
        return "hal.h" in self.toolchain


def scan(sources: tuple[Path, ...], includes: tuple[Path, ...] = ()) -> Scan:
    """Follow the #include lines of `sources` through the files they reach."""
    found: list[Path] = []
    toolchain: set[str] = set()
    seen = {s.resolve() for s in sources}
    todo = list(sources)
    while todo:
        current = todo.pop(0)
        try:
            text = current.read_text(errors="replace")
        except OSError:
            continue
        for name in _INCBIN.findall(text):
            _refuse_special(current, ".incbin", [Path(name), current.parent / name])
        for kind, name in _INCLUDE.findall(text):
            folders = ([current.parent] if kind == '"' else []) + list(includes)
            _refuse_special(current, "#include", [Path(name)] if Path(name).is_absolute()
                            else [f / name for f in folders])
            target = next((f / name for f in folders if (f / name).is_file()), None)
            if target is None:
                toolchain.add(name)
                continue
            target = target.resolve()
            if target not in seen:
                seen.add(target)
                found.append(target)
                todo.append(target)
    return Scan(tuple(found), frozenset(toolchain))


def _refuse_special(source: Path, what: str, candidates: list[Path]) -> None:
    """A device, pipe or socket named where a file belongs: the compiler would
    read /dev/zero without end, or wait on a pipe for ever, so refuse it now."""
    from ..errors import BuildError
    for c in candidates:
        try:
            special = c.exists() and not c.is_file() and not c.is_dir()
        except OSError:
            continue
        if special:
            raise BuildError(f"{source}: {what} {c}: not a regular file (a device, pipe or "
                             f"socket), which the compiler would read without end")
