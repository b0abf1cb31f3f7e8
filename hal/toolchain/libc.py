"""The C library for each ISA: musl, which the `ziglang` package carries as
source, built once per target.

zig builds musl's libc.a the first time it links a program for a target and
keeps it in its own cache (~/.cache/zig): about half a minute per target on
a 2-core machine, then a fraction of a second.  That wait belongs in set-up
(`hal setup`, which `make test` and `make demo` run), or else behind a
progress line; never in silence inside a student's first `hal run`.  A
marker file per target in halemu's cache says the library has been built.
"""
from __future__ import annotations

import hashlib
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from .. import paths
from ..core.isa import Backend
from ..errors import BuildError
from . import zig

_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _marker(backend: Backend) -> Path:
    key = repr((zig.version(), backend.libc_target, backend.libc_flags, zig.LIBC_LINK_OPTIMIZE))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return paths.cache_dir() / "libc" / f"{backend.name}-{digest}.ready"


def ready(backend: Backend) -> bool:
    """Has the C library for this ISA been built (as far as halemu knows)?"""
    return _marker(backend).is_file()


def ensure(backend: Backend, report: Callable[[str], None] = _say) -> bool:
    """Build the C library for `backend` unless it is there; True if it was built now.
    `report` gets a line before the wait and one after it."""
    if ready(backend):
        return False
    with _guard:
        lock = _locks.setdefault(backend.name, threading.Lock())
    with lock:
        if ready(backend):
            return False
        report(f"hal: building the C library (musl) for {backend.name}, once: "
               f"about half a minute...")
        start = time.monotonic()
        _build_once(backend)
        marker = _marker(backend)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{backend.libc_target} {' '.join(backend.libc_flags)}\n")
        report(f"hal: C library for {backend.name} ready ({time.monotonic() - start:.0f} s)")
        return True


def _build_once(backend: Backend) -> None:
    """Link a tiny program, as every C library program is linked: zig builds libc.a."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="halemu-libc-") as tmp:
        source = Path(tmp) / "empty.c"
        source.write_text("int main(void) { return 0; }\n")
        command = [*zig.cc(backend.libc_target), *backend.libc_flags, "-static",
                   zig.LIBC_LINK_OPTIMIZE, str(source), "-o", str(Path(tmp) / "empty")]
        proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"the C library for {backend.name} does not build:\n{proc.stderr.strip()}")
