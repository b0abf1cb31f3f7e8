"""The one registry of ISA backends.

Each arch/<isa>/backend.py calls register() at its bottom.  Backends are
found by listing the hal.arch package, so adding an ISA means adding a folder.
A backend is imported when it is first asked for: `hal run --isa x86` loads
the x86 backend alone (each one brings its own modules, and start-up is the
sum of what it imports), and only a question about every ISA (`hal isas`,
--isa all, an ELF file of unknown ISA) loads them all.
"""
from __future__ import annotations

import importlib

from ..errors import HalError
from .isa import Backend

_BACKENDS: dict[str, Backend] = {}
_loaded = False
_folders: tuple[str, ...] | None = None


def register(backend: Backend) -> Backend:
    _BACKENDS[backend.name] = backend
    return backend


def folders() -> tuple[str, ...]:
    """The ISA folders of hal.arch, by name: one per backend, named as it is."""
    global _folders
    if _folders is None:
        import pkgutil

        import hal.arch
        _folders = tuple(sorted(info.name for info in pkgutil.iter_modules(hal.arch.__path__)
                                if info.ispkg))
    return _folders


def _load(folder: str) -> None:
    importlib.import_module(f"hal.arch.{folder}.backend")


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    for folder in folders():
        _load(folder)
    _loaded = True


def backends() -> list[Backend]:
    """Every registered backend, ordered by ISA id."""
    _load_all()
    return sorted(_BACKENDS.values(), key=lambda b: b.isa_id)


def names() -> list[str]:
    return [b.name for b in backends()]


def get(name: str) -> Backend:
    """The backend of this name, in any case ("mips", "MIPS"); only its own
    folder is imported."""
    key = name.lower()
    if key not in _BACKENDS and key.isidentifier():
        try:        # its folder, if there is one (not folders(): listing them all costs a run 1 ms)
            _load(key)
        except ModuleNotFoundError as e:
            if e.name not in (f"hal.arch.{key}", f"hal.arch.{key}.backend"):
                raise
    try:
        return _BACKENDS[key]
    except KeyError:
        raise HalError(f"unknown ISA '{name}' (supported: {', '.join(names())})") from None


def for_elf(machine: int, bits: int, endian: str) -> Backend | None:
    """The backend that runs ELF files of this machine, class and byte order:
    one already loaded if it fits (an ELF just built for the ISA asked for),
    else any."""
    def fits(b: Backend) -> bool:
        return (b.elf_machine, b.bits, b.endian) == (machine, bits, endian)
    loaded = next((b for b in sorted(_BACKENDS.values(), key=lambda b: b.isa_id) if fits(b)), None)
    return loaded or next((b for b in backends() if fits(b)), None)
