"""Where halemu's own files live: guest sources, the guest SDK, the build cache."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_REPO_GUESTS = PACKAGE.parent / "guests"
GUESTS = _REPO_GUESTS if _REPO_GUESTS.is_dir() else PACKAGE / "guests"   # repo, or installed data
INCLUDE = GUESTS / "include"
LIB = GUESTS / "lib"
LIBC_COMPAT = GUESTS / "libc"     # what makes the C library answer as glibc does
EXPECTED = GUESTS / "expected"


def arch_dir(isa: str) -> Path:
    """arch/<isa>/, wherever hal.arch was installed from."""
    import hal.arch
    return Path(hal.arch.__path__[0]) / isa


def cache_dir() -> Path:
    """Built guests go here; HALEMU_CACHE overrides (tests use a shared one)."""
    env = os.environ.get("HALEMU_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "halemu"
