"""capstone's C library, without its Python binding, for the native counter.

Counting a variable-width ISA's blocks needs a decoder (hal/core/counting.py),
and the C counter calls capstone's cs_disasm_iter itself.  All it needs from
capstone is the library and one handle per ISA, made by cs_open with the
backend's cs_arch and cs_mode and capstone's defaults (no detail, no
skipdata), as BlockSizer's capstone.Cs has them, so both count alike.
Importing the binding instead costs a `hal run` some 30 ms at start-up:
capstone/__init__.py imports the modules of all eighteen architectures it
knows.  The library is the binding's own (capstone/lib/), found without
running the binding; if the binding is already imported, its handle on the
library is used.  None where neither is found: Python then counts, as
without the native counter's decoder.
"""
from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

_NAMES = ("libcapstone.so", "libcapstone.so.5", "libcapstone.dylib", "capstone.dll")
_lib: ctypes.CDLL | None = None
_tried = False
_handles: dict[tuple[int, int], int] = {}


def library() -> ctypes.CDLL | None:
    """capstone's C library, loaded once; None if it cannot be found."""
    global _lib, _tried
    if not _tried:
        _tried = True
        binding = sys.modules.get("capstone")
        _lib = getattr(binding, "_cs", None) if binding is not None else _load()
        if _lib is not None and not all(hasattr(_lib, f) for f in
                                        ("cs_open", "cs_disasm_iter", "cs_malloc", "cs_free")):
            _lib = None
    return _lib


def _load() -> ctypes.CDLL | None:
    import importlib.util
    try:
        spec = importlib.util.find_spec("capstone")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folders = [os.environ.get("LIBCAPSTONE_PATH"),
               *(str(Path(p) / "lib") for p in spec.submodule_search_locations)]
    for folder in filter(None, folders):
        for name in _NAMES:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                # as the binding loads it, so that both share one copy
                return ctypes.CDLL(path, mode=getattr(os, "RTLD_DEEPBIND", 0))
    return None


def handle(cs_arch: int, cs_mode: int) -> int | None:
    """A capstone handle (csh) for this architecture and mode, opened once and
    kept for the process's life, as hal/core/decoders.py keeps its decoders."""
    found = _handles.get((cs_arch, cs_mode))
    if found is None:
        lib = library()
        if lib is None:
            return None
        csh = ctypes.c_size_t()
        lib.cs_open.restype = ctypes.c_int          # the prototype the binding gives it
        lib.cs_open.argtypes = (ctypes.c_uint, ctypes.c_uint, ctypes.POINTER(ctypes.c_size_t))
        if lib.cs_open(cs_arch, cs_mode, ctypes.byref(csh)):
            return None
        found = _handles[(cs_arch, cs_mode)] = csh.value
    return found
