"""How a guest ELF was built: the compiler, its version and the flags.

Every comparison halemu prints (tables, JSON, CSV, SVG) says this, so that a
number in a report can be reproduced.  A build from halemu's cache has its
recipe beside it (build.json, written by build.py); the clang version comes
from the ELF's own DWARF (DW_AT_producer), which says what really compiled
it.  For an ELF built elsewhere only the producer is known, and the flags
are reported as unknown rather than guessed.
"""
from __future__ import annotations

import json
from pathlib import Path

from .build import RECIPE


def of(elf: str | Path) -> dict:
    """{"compiler", "version", "producer", "opt", "flags"} for one ELF; a value
    that is not known is None (flags: a list of strings)."""
    elf = Path(elf)
    recipe = _recipe(elf.parent / RECIPE)
    if recipe.get("program") != elf.stem:             # a recipe, but not this ELF's
        recipe = {}
    return {"compiler": recipe.get("compiler"), "version": recipe.get("version"),
            "producer": producer(elf), "opt": recipe.get("opt"),
            "flags": list(recipe["flags"]) if isinstance(recipe.get("flags"), list) else None}


def _recipe(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("schema") == "halemu.build/1" else {}


def producer(elf: Path) -> str | None:
    """The first compile unit's DW_AT_producer ("clang version 22.1.8"), if any:
    nothing, for a file whose sections or DWARF cannot be read (it is only
    information, and a guest may come from anywhere)."""
    import io

    from elftools.elf.elffile import ELFFile

    from ..core.loader import MAX_ELF_BYTES, oversized_section
    from ..paths import read_file
    try:
        e = ELFFile(io.BytesIO(read_file(elf, MAX_ELF_BYTES)))
        if oversized_section(e) or not e.has_dwarf_info():
            return None
        for cu in e.get_dwarf_info().iter_CUs():
            attr = cu.get_top_DIE().attributes.get("DW_AT_producer")
            if attr is not None:
                value = attr.value
                return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    except Exception:               # pyelftools: ELFError, DWARFError, struct.error, ... ; HalError
        return None
    return None

