"""How a guest is built: the options `hal build` and `hal run` take, as one
frozen record that is part of every build's cache key.

    -I DIR            a folder of headers (searched before the SDK's)
    -D NAME[=VALUE]   a macro, as the C compiler takes it
    -O0 .. -O3, -Os   optimisation; the default stays -O2, as halemu's guests were measured
    -l m              the math library (with musl it lives inside the C library,
                      so -l m only says "this program needs the C library")
    --libc/--no-libc  link the C library (musl) or build against the HAL SDK alone;
                      by default, whichever the sources ask for (hal/toolchain/sources.py)

Variants halemu builds for itself (the console through the UART) are
defines too, so they get their own cache entries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import HalError

OPTIMIZE = ("0", "1", "2", "3", "s")
LIBRARIES = ("m", "c")      # both are inside musl's libc.a
_DEFINE = re.compile(r"[A-Za-z_]\w*(\([\w\s,.]*\))?(=.*)?", re.S)


@dataclass(frozen=True)
class BuildOptions:
    includes: tuple[Path, ...] = ()
    defines: tuple[str, ...] = ()
    optimize: str = "2"
    libraries: tuple[str, ...] = ()
    libc: bool | None = None            # None: as the sources ask (sources.wants_libc)

    def __post_init__(self):
        if self.optimize not in OPTIMIZE:
            raise HalError(f"-O{self.optimize}: optimisation is one of "
                           f"{', '.join('-O' + o for o in OPTIMIZE)}")
        for d in self.defines:
            if not _DEFINE.fullmatch(d):
                raise HalError(f"-D {d}: a define is NAME or NAME=VALUE")
        for lib in self.libraries:
            if lib not in LIBRARIES:
                raise HalError(f"-l {lib}: only the C library's own parts can be linked "
                               f"(-l m, -l c); halemu has no other libraries for guests")
        if self.libc is False and self.libraries:
            raise HalError(f"-l {self.libraries[0]} needs the C library, but --no-libc was given")
        checked = []
        for d in self.includes:
            path = Path(d).expanduser().resolve()
            if not path.is_dir():
                raise HalError(f"-I {d}: no such folder")
            checked.append(path)
        object.__setattr__(self, "includes", tuple(checked))

    def with_defines(self, *defines: str) -> "BuildOptions":
        """The same options with more defines (a build variant such as HAL_CONSOLE_UART)."""
        return replace(self, defines=self.defines + tuple(d for d in defines if d not in self.defines))

    @property
    def flags(self) -> tuple[str, ...]:
        """As they would be written on a compiler's command line (for messages)."""
        return (*(f"-I{d}" for d in self.includes), *(f"-D{d}" for d in self.defines),
                f"-O{self.optimize}", *(f"-l{lib}" for lib in self.libraries))


DEFAULT = BuildOptions()
