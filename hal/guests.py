"""The bundled guest programs in guests/*.c, found by name."""
from __future__ import annotations

from pathlib import Path

from . import paths
from .errors import HalError


def names() -> list[str]:
    return sorted(p.stem for p in paths.GUESTS.glob("*.c"))


def source(name: str) -> Path:
    path = paths.GUESTS / f"{name}.c"
    if not path.is_file():
        raise HalError(f"no such file or bundled guest '{name}' (bundled: {', '.join(names())})")
    return path


def expected_output(name: str, endian: str) -> str | None:
    """The exact output a bundled guest must print; '<name>.<endian>.out' wins
    over '<name>.out' for guests (like endian) whose output depends on byte order."""
    for f in (paths.EXPECTED / f"{name}.{endian}.out", paths.EXPECTED / f"{name}.out"):
        if f.is_file():
            return f.read_text()
    return None
