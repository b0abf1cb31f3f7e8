"""The cross-compiler: zig's C compiler from the `ziglang` package on PyPI,
run as `python -m ziglang cc`, so no other toolchain is needed."""
from __future__ import annotations

import sys

# Every C library program is linked at this optimisation: zig builds musl for
# the link's mode, so one mode means one C library per target (libc.py).
LIBC_LINK_OPTIMIZE = "-O2"


def cc(target: str) -> list[str]:
    """The start of a zig cc command line for `target` (zig's -target triple)."""
    return [sys.executable, "-m", "ziglang", "cc", "-target", target]


def version() -> str:
    """The ziglang package's version: part of every cache key."""
    from importlib.metadata import version as installed
    return installed("ziglang")
