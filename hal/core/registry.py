"""The one registry of ISA backends.

Each arch/<isa>/backend.py calls register() at its bottom.  Backends are
found by listing the hal.arch package, so adding an ISA means adding a folder.
"""
from __future__ import annotations

import importlib
import pkgutil

from ..errors import HalError
from .isa import Backend

_BACKENDS: dict[str, Backend] = {}
_loaded = False


def register(backend: Backend) -> Backend:
    _BACKENDS[backend.name] = backend
    return backend


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    import hal.arch
    for info in sorted(pkgutil.iter_modules(hal.arch.__path__), key=lambda m: m.name):
        if info.ispkg:
            importlib.import_module(f"hal.arch.{info.name}.backend")
    _loaded = True


def backends() -> list[Backend]:
    """Every registered backend, ordered by ISA id."""
    _load_all()
    return sorted(_BACKENDS.values(), key=lambda b: b.isa_id)


def names() -> list[str]:
    return [b.name for b in backends()]


def get(name: str) -> Backend:
    """The backend of this name, in any case ("mips", "MIPS")."""
    _load_all()
    try:
        return _BACKENDS[name.lower()]
    except KeyError:
        raise HalError(f"unknown ISA '{name}' (supported: {', '.join(names())})") from None


def for_elf(machine: str, bits: int, endian: str) -> Backend | None:
    """The backend that runs ELF files of this machine, class and byte order."""
    for b in backends():
        if (b.elf_machine, b.bits, b.endian) == (machine, bits, endian):
            return b
    return None
