"""Read code before it runs: what the backend finds in each run of code pages.

Some Unicorn cores crash the whole host process (not just the guest) on code
they translate; Unicorn 2.1.4's MIPS core does on long branch-free runs
(arch/mips/translation.py says why and how it finds them).  A backend that
needs it reads code pages with Backend.scan_code and answers with a CodeScan:
the ranges the machine must guard (hal/core/codeguard.py), the words it must
trap, or, rarely, why no guard helps.  This module asks once per distinct
run of code pages and refuses, at load time, an image whose code cannot run.
"""
from __future__ import annotations

from ..errors import LoadError
from .isa import Backend, CodeScan

_NOTHING = CodeScan()
_MEMO: dict[tuple[str, int, bytes], CodeScan] = {}
_MEMO_BYTES = 64 << 20          # forget everything past this much code


def scan(backend: Backend, start: int, code: bytes) -> CodeScan:
    """The backend's CodeScan of `code`, the executable bytes at `start`.
    Remembered: a scheduler starts many machines from one image."""
    if backend.scan_code is None:
        return _NOTHING
    key = (backend.name, start, code)
    found = _MEMO.get(key)
    if found is None:
        if sum(len(k[2]) for k in _MEMO) + len(code) > _MEMO_BYTES:
            _MEMO.clear()
        found = _MEMO[key] = backend.scan_code(start, code)
    return found


def check_code(image) -> None:
    """Raise LoadError if the image holds code no guard can make safe to run."""
    for start, code in image.code_pages():
        refused = scan(image.backend, start, code).refused
        if refused:
            raise LoadError(f"{image.path}: {refused}")
