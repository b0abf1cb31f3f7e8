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


_version: str | None = None


def version() -> str:
    """The ziglang package's version: part of every cache key, so read on
    every run that builds or finds a build.  Taken from the name of its
    metadata folder (ziglang-<version>.dist-info, as an installed wheel names
    it) beside the package: importlib.metadata would find the same folder and
    then parse its METADATA with the email package, which costs a warm
    `hal run` some 40 ms of imports.  Anything unusual (no such folder, or
    several) is left to importlib.metadata."""
    global _version
    if _version is None:
        _version = _from_folder() or _from_metadata()
    return _version


def _from_folder() -> str | None:
    import importlib.util
    from pathlib import Path
    spec = importlib.util.find_spec("ziglang")
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(next(iter(spec.submodule_search_locations))).parent
    found = list(site.glob("ziglang-*.dist-info"))
    if len(found) != 1:
        return None
    return found[0].name.removeprefix("ziglang-").removesuffix(".dist-info")


def _from_metadata() -> str:
    from importlib.metadata import version as installed
    return installed("ziglang")
