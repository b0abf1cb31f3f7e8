"""Cross-compile guests with zig (the `ziglang` package from PyPI), with a cache.

One C source plus the guest SDK (guests/lib, guests/include) plus the ISA's
own files in arch/<isa>/ (start.S, trap.S, any other .S or .c there, the
io.h that include sees, and link.ld) become one static ELF.  A backend with
memory-mapped devices gets -DHAL_IO_BASE=<its io_base>; a variant, such as
the console through the UART, is a -D define of its own.  The output's name
carries a hash of every input and flag, so a fresh build is found without
running the compiler, and an edited source is rebuilt.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import paths
from ..core.isa import Backend
from ..errors import BuildError

CONSOLES = {"trap": (), "uart": ("HAL_CONSOLE_UART",)}    # `--console`: the defines each needs

COMMON_FLAGS = ("-O2", "-g", "-std=c11", "-Wall", "-ffreestanding", "-fno-builtin",
                "-static", "-fno-stack-protector", "-fno-unwind-tables",
                "-fno-asynchronous-unwind-tables")


def _inputs(source: Path, backend: Backend) -> list[Path]:
    arch = paths.arch_dir(backend.name)
    own = sorted([*arch.glob("*.S"), *arch.glob("*.c")])
    return [*own, *sorted(paths.LIB.glob("*.c")), source]


def _defines(backend: Backend, defines: tuple[str, ...]) -> list[str]:
    io_base = [f"HAL_IO_BASE={backend.io_base:#x}"] if backend.io_base is not None else []
    return [f"-D{d}" for d in (*io_base, *defines)]


def _command(source: Path, backend: Backend, out: Path, defines: tuple[str, ...] = ()) -> list[str]:
    arch = paths.arch_dir(backend.name)
    return [sys.executable, "-m", "ziglang", "cc", "-target", backend.zig_target,
            *COMMON_FLAGS, *backend.zig_flags, *_defines(backend, defines),
            "-I", str(paths.INCLUDE), "-I", str(arch), "-T", str(arch / "link.ld"),
            "-Wl,--build-id=none",
            *map(str, _inputs(source, backend)), "-o", str(out)]


def _zig_version() -> str:
    from importlib.metadata import version
    return version("ziglang")


def _local_includes(source: Path) -> list[Path]:
    """Files a source pulls in with #include "..." from its own folder, and theirs."""
    import re
    found: list[Path] = []
    todo = [source]
    while todo:
        text = todo.pop().read_text(errors="replace")
        for name in re.findall(r'^\s*#\s*include\s*"([^"]+)"', text, re.M):
            f = (source.parent / name).resolve()
            if f.is_file() and f not in found and f != source.resolve():
                found.append(f)
                todo.append(f)
    return found


def output_path(source: Path, backend: Backend, defines: tuple[str, ...] = ()) -> Path:
    """Where the build of `source` for `backend` lives; its name changes with any input."""
    h = hashlib.sha256()
    arch = paths.arch_dir(backend.name)
    extra = [arch / "link.ld", *sorted(arch.glob("*.h")), *sorted(paths.INCLUDE.glob("*.h")),
             *sorted(paths.LIB.glob("*.ld")), *_local_includes(source)]
    for f in _inputs(source, backend) + extra:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    h.update(repr((_command(Path("S"), backend, Path("O"), defines)[3:], _zig_version())).encode())
    return paths.cache_dir() / backend.name / h.hexdigest()[:16] / f"{source.stem}.elf"


def build(source: str | os.PathLike, backend: Backend, defines: tuple[str, ...] = ()) -> Path:
    """The ELF for `source` on `backend`, compiling only if no fresh build exists.
    `defines` (e.g. "HAL_CONSOLE_UART") make a variant with its own cache entry."""
    source = Path(source)
    if not source.is_file():
        raise BuildError(f"{source}: no such source file")
    out = output_path(source, backend, defines)
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    # lld finds the INCLUDEd layout.ld in the current directory
    proc = subprocess.run(_command(source.resolve(), backend, tmp.resolve(), defines),
                          cwd=paths.LIB, capture_output=True, text=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"{source.name} does not build for {backend.name}:\n"
                         + proc.stderr.strip())
    os.replace(tmp, out)
    return out


def build_all(source: str | os.PathLike, backends: list[Backend],
              defines: tuple[str, ...] = ()) -> list[Path]:
    """Build one source for several ISAs at once (compilers run in parallel)."""
    with ThreadPoolExecutor(max_workers=max(1, len(backends))) as pool:
        return list(pool.map(lambda b: build(source, b, defines), backends))
