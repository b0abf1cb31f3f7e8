"""Build a guest for the host itself, with the host's own C compiler.

The guest source and the guest SDK (guests/lib, except crt0.c: the host's C
library calls main) are compiled with guests/host/ in the place of
arch/<isa>/: HAL services become stdio calls (guests/host/trap.c).  The
result is the reference for floating point: IEEE 754 arithmetic with no
fused multiply-add and no excess precision gives the same bits everywhere, so
a guest prints on the four emulated ISAs exactly what it prints natively.
`hal run G --native` runs it; tests compare.

The host's compiler is $CC, else `cc`.  Builds are cached like the guests'.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import BuildError

HOST = paths.GUESTS / "host"
FLAGS = ("-O2", "-std=c11", "-w", "-ffp-contract=off", "-fno-builtin")


@dataclass(frozen=True)
class NativeResult:
    output: bytes
    exit_code: int


def compiler() -> str | None:
    """The host's C compiler, or None if there is none."""
    cc = os.environ.get("CC") or "cc"
    return shutil.which(cc)


def _inputs(source: Path) -> list[Path]:
    lib = [f for f in sorted(paths.LIB.glob("*.c")) if f.name != "crt0.c"]
    return [*lib, HOST / "trap.c", source]


def build(source: str | os.PathLike) -> Path:
    """The host executable for `source`, compiling only if no fresh build exists."""
    source = Path(source)
    cc = compiler()
    if cc is None:
        raise BuildError("no host C compiler (set CC, or install cc) for a native build")
    if not source.is_file():
        raise BuildError(f"{source}: no such source file")
    version = subprocess.run([cc, "--version"], capture_output=True, text=True).stdout
    h = hashlib.sha256(repr((cc, version, FLAGS)).encode())
    for f in [*_inputs(source), *sorted(paths.INCLUDE.glob("*.h")), HOST / "io.h"]:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    out = paths.cache_dir() / "host" / h.hexdigest()[:16] / source.stem
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    proc = subprocess.run([cc, *FLAGS, "-I", str(paths.INCLUDE), "-I", str(HOST),
                           *map(str, _inputs(source.resolve())), "-o", str(tmp), "-lm"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"{source.name} does not build for the host:\n" + proc.stderr.strip())
    os.replace(tmp, out)
    return out


def run(source: str | os.PathLike, stdin: bytes = b"", timeout: float = 60) -> NativeResult:
    """Build `source` for the host and run it: its output and exit code."""
    proc = subprocess.run([str(build(source))], input=stdin, capture_output=True, timeout=timeout)
    return NativeResult(proc.stdout, proc.returncode)
