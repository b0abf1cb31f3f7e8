"""Cross-compile guests with zig (the `ziglang` package from PyPI), with a cache.

One front door, two kinds of guest (hal/toolchain/sources.py says which a
program asks for; --libc/--no-libc decides it outright):

  HAL SDK alone   the sources, the guest SDK (guests/lib, guests/include) and the
                  ISA's own files in arch/<isa>/ (start.S, trap.S, io.h, link.ld),
                  built freestanding by one zig command and linked at RAM_BASE.  The
                  ELF is marked ELFOSABI_STANDALONE, "a standalone (embedded)
                  application": that byte is how the loader tells a HAL guest from a
                  Linux program, as NT's PE header named the subsystem a program needs.
  C library       the sources against musl (Backend.libc_target: zig's Linux
                  targets), a static Linux executable that the POSIX personality
                  (hal/personality/) runs.  A program that includes "hal.h" also gets
                  the SDK's helpers and trap stub, built with -DHAL_LIBC (the SDK's
                  start-up is musl's, and hal_services.h then tags HAL numbers so
                  they never meet Linux's).  Each source is compiled on its own with
                  the user's -O; the link always says -O2, because zig builds the
                  C library for the link's optimisation mode (half a minute per
                  target, once: hal/toolchain/libc.py), and -O0 or -Os would build
                  it again.

A backend with memory-mapped devices gets -DHAL_IO_BASE=<its io_base>.  The
SDK's headers are -isystem: a student's warnings are about their code only.
The output's name carries a hash of every input (sources, every header they
reach, the SDK files), the options and the zig version, so a fresh build is
found without running the compiler, and an edited source or header is rebuilt.
Beside each ELF the build keeps its recipe, build.json: the compiler, its
version and the flags that decide the code (toolchain/provenance.py reads it),
so that every number a comparison prints can be reproduced.
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import NamedTuple, Sequence, Union

from .. import paths
from ..core.isa import Backend
from ..core.loader import EI_OSABI, ELFOSABI_STANDALONE
from ..errors import BuildError
from . import sources as scanning
from . import zig
from .options import DEFAULT, BuildOptions

CONSOLES = {"trap": (), "uart": ("HAL_CONSOLE_UART",)}    # `--console`: the defines each needs

# zig cc turns on the undefined-behaviour sanitizer at -O0 and -O1, with its runtime
# (1,000 functions, and code Unicorn's MIPS core cannot run): a guest's code would
# no longer be the C it shows.  -ffp-contract=off: no fused multiply-add, which
# PowerPC and RISC-V have and x86 and MIPS32 (and the host's own build) do not:
# a fused a*b+c rounds once, so the ISAs would print different digits
NO_SANITIZER = "-fno-sanitize=all"
SDK_FLAGS = ("-g", "-std=c11", "-Wall", "-ffreestanding", "-fno-builtin", "-static",
             "-fno-stack-protector", "-fno-unwind-tables", "-fno-asynchronous-unwind-tables",
             NO_SANITIZER, "-ffp-contract=off")
# The C dialect is the compiler's default (gnu17), as gcc's.  zig cc defines
# NDEBUG whenever it optimises, which gcc never does: a student's assert()
# would vanish at the default -O2, so it is undefined again (a -D NDEBUG
# given by the user comes after, and wins).
LIBC_FLAGS = ("-g", "-Wall", "-UNDEBUG", NO_SANITIZER, "-ffp-contract=off")
COMPILER = "zig cc"
RECIPE = "build.json"               # beside each ELF in the cache
SDK_ONLY = ("start.S", "crt0.c")    # the SDK's start-up: a C library program has musl's
SUFFIXES = (".c", ".S", ".s")
FORMAT = "3"                        # bump when what a build produces changes without its inputs

Sources = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]


class Plan(NamedTuple):
    """One build, decided: what goes in, and how."""
    sources: tuple[Path, ...]       # as the user named them
    backend: Backend
    options: BuildOptions
    libc: bool
    scan: scanning.Scan

    @property
    def name(self) -> str:
        return self.sources[0].stem

    def sdk_files(self) -> list[Path]:
        """The SDK files compiled with the program: all of them for a HAL guest.
        A C library program gets guests/libc/ (rand, qsort, strerror and assert
        as glibc has them, so output matches a Linux desktop's), and the SDK's
        helpers and trap stub if it includes hal.h."""
        compat = sorted(paths.LIBC_COMPAT.glob("*.c")) if self.libc else []
        if self.libc and not self.scan.uses_hal:
            return compat
        arch = paths.arch_dir(self.backend.name)
        files = [*sorted([*arch.glob("*.S"), *arch.glob("*.c")]), *sorted(paths.LIB.glob("*.c"))]
        return compat + [f for f in files if not (self.libc and f.name in SDK_ONLY)]

    def inputs(self) -> list[Path]:
        return [*self.sdk_files(), *(s.resolve() for s in self.sources)]


def plan(sources: Sources, backend: Backend, options: BuildOptions = DEFAULT) -> Plan:
    """Check the sources and decide how they are built."""
    items = [sources] if isinstance(sources, (str, os.PathLike)) else list(sources)
    if not items:
        raise BuildError("nothing to build: name at least one source file")
    found = []
    for item in items:
        path = Path(item)
        if not path.is_file():
            raise BuildError(f"{path}: not a regular file (a device, pipe or socket)"
                             if path.exists() and not path.is_dir() else
                             f"{path}: no such source file")
        if path.suffix not in SUFFIXES:
            raise BuildError(f"{path}: not a C or assembly source (.c, .S)")
        found.append(path)
    scan = scanning.scan(tuple(found), options.includes)
    libc = options.libc if options.libc is not None else bool(options.libraries) or scan.wants_libc
    if libc and not backend.libc_target:
        raise BuildError(f"{backend.name} has no C library (Backend.libc_target is empty)")
    return Plan(tuple(found), backend, options, libc, scan)


# -- the commands --------------------------------------------------------------------
def _defines(plan: Plan) -> list[str]:
    b = plan.backend
    io_base = [f"HAL_IO_BASE={b.io_base:#x}"] if b.io_base is not None else []
    own = ["HAL_LIBC"] if plan.libc else []
    return [f"-D{d}" for d in (*io_base, *own, *plan.options.defines)]


def _headers(plan: Plan) -> list[str]:
    arch = paths.arch_dir(plan.backend.name)
    return [*(f"-I{d}" for d in plan.options.includes),
            "-isystem", str(paths.INCLUDE), "-isystem", str(arch)]


def sdk_command(plan: Plan, inputs: list[Path], out: Path) -> list[str]:
    b = plan.backend
    arch = paths.arch_dir(b.name)
    return [*zig.cc(b.zig_target), f"-O{plan.options.optimize}", *SDK_FLAGS, *b.zig_flags,
            *_defines(plan), *_headers(plan), "-T", str(arch / "link.ld"),
            "-Wl,--build-id=none", *map(str, inputs), "-o", str(out)]


def compile_command(plan: Plan, source: Path, out: Path) -> list[str]:
    b = plan.backend
    return [*zig.cc(b.libc_target), *b.libc_flags, "-c", f"-O{plan.options.optimize}",
            *LIBC_FLAGS, *_defines(plan), *_headers(plan), *_as_named(plan, source),
            str(source), "-o", str(out)]


def _as_named(plan: Plan, source: Path) -> list[str]:
    """__FILE__ (an assert's message) as the user named the source, as gcc
    gives it: a relative name stays relative.  (Compiling the absolute path
    and saying so keeps zig's own object cache, which ignores how a path was
    spelled, from handing back another spelling's __FILE__.)"""
    named = next((s for s in plan.sources if s.resolve() == source), None)
    if named is None or named.is_absolute():
        return []
    return [f"-fmacro-prefix-map={Path.cwd()}/="]


def link_command(plan: Plan, objects: list[Path], out: Path) -> list[str]:
    b = plan.backend
    return [*zig.cc(b.libc_target), *b.libc_flags, "-static", zig.LIBC_LINK_OPTIMIZE,
            *map(str, objects), *(f"-l{lib}" for lib in plan.options.libraries),
            "-Wl,--build-id=none", "-o", str(out)]


def output_path(plan: Plan) -> Path:
    """Where this build lives; its name changes with any input."""
    h = hashlib.sha256()
    arch = paths.arch_dir(plan.backend.name)
    sdk = [arch / "link.ld", *sorted(arch.glob("*.h")), *sorted(paths.INCLUDE.glob("*.h")),
           *sorted(paths.LIB.glob("*.ld"))]
    for f in [*plan.inputs(), *sdk, *plan.scan.headers]:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    s, o = Path("S"), Path("O")
    commands = ([compile_command(plan, s, o), link_command(plan, [o], o)] if plan.libc
                else [sdk_command(plan, [s], o)])
    named = [str(s) for s in plan.sources] if plan.libc else []    # __FILE__, as named
    h.update(repr(([c[3:] for c in commands], named, zig.version(), FORMAT)).encode())
    return paths.cache_dir() / plan.backend.name / h.hexdigest()[:16] / f"{plan.name}.elf"


# -- building ------------------------------------------------------------------------
def build(sources: Sources, backend: Backend, defines: tuple[str, ...] = (),
          options: BuildOptions = DEFAULT) -> Path:
    """The ELF for `sources` on `backend`, compiling only if no fresh build exists.
    `defines` (e.g. "HAL_CONSOLE_UART") make a variant with its own cache entry."""
    p = plan(sources, backend, options.with_defines(*defines))
    out = output_path(p)
    if out.is_file():
        if not (out.parent / RECIPE).is_file():     # built before recipes were kept
            _write_recipe(p, out.parent / RECIPE)
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        if p.libc:
            from . import libc
            libc.ensure(backend)
            _build_with_libc(p, tmp)
        else:
            _run(p, sdk_command(p, p.inputs(), tmp.resolve()))
            _mark_standalone(tmp)
        _write_recipe(p, out.parent / RECIPE)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def flags(p: Plan) -> list[str]:
    """The flags that decide the code, as a student would retype them: the
    compile command without its file paths (an -I folder by its name)."""
    source, out = Path("SOURCE"), Path("OUT")
    command = compile_command(p, source, out) if p.libc else sdk_command(p, [source], out)
    words, rest = [], iter(command[4:])          # after "python -m ziglang cc"
    for w in rest:
        if w in ("-isystem", "-T", "-o"):
            next(rest, None)
        elif w.startswith("-I"):
            words.append(f"-I{Path(w[2:]).name}")
        elif w not in (str(source), "-c"):
            words.append(w)
    if p.libc:
        words += ["-static", *(f"-l{lib}" for lib in p.options.libraries)]
    return words


def _write_recipe(p: Plan, path: Path) -> None:
    """build.json: how the ELF beside it was made ("schema": "halemu.build/1")."""
    import json
    recipe = {"schema": "halemu.build/1", "compiler": COMPILER, "version": zig.version(),
              "program": p.name, "isa": p.backend.name, "opt": f"-O{p.options.optimize}",
              "libc": p.libc,
              "flags": flags(p), "sources": [f.name for f in p.inputs()]}
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(recipe, indent=1) + "\n")
    os.replace(tmp, path)


def build_all(sources: Sources, backends: list[Backend], defines: tuple[str, ...] = (),
              options: BuildOptions = DEFAULT) -> list[Path]:
    """Build the same sources for several ISAs at once (compilers run in
    parallel); one ISA is built here, without a pool of threads."""
    if len(backends) <= 1:
        return [build(sources, b, defines, options) for b in backends]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=len(backends)) as pool:
        return list(pool.map(lambda b: build(sources, b, defines, options), backends))


def _build_with_libc(p: Plan, out: Path) -> None:
    import shutil
    objdir = out.with_suffix(".objects")
    objdir.mkdir(exist_ok=True)
    try:
        objects = []
        for i, source in enumerate(p.inputs()):
            obj = objdir / f"{i}-{source.stem}.o"
            _run(p, compile_command(p, source, obj))
            objects.append(obj)
        _run(p, link_command(p, objects, out.resolve()))
    finally:
        shutil.rmtree(objdir, ignore_errors=True)


# What one compiler command may take.  A source can make a compiler read for
# ever (`.incbin "/dev/zero"` in assembly filled 22 GB before the kernel's
# OOM killer stopped it) or wait for ever (#include of a pipe): on a shared
# classroom machine neither may take the host down or hang hal.
COMPILER_MEMORY = 3 << 30       # bytes of address space (zig needs well under 1 GiB)
COMPILER_SECONDS = 300          # a normal guest builds in seconds


def _run(p: Plan, command: list[str]) -> None:
    """Run one compiler command; its errors become a BuildError with the
    compiler's own message, naming sources as the user named them."""
    import resource
    import signal
    import subprocess
    # lld finds the SDK's INCLUDEd layout.ld in the current directory.  Its own
    # process group, so that a timeout or Ctrl-C ends zig and the clang it starts.
    proc = subprocess.Popen(command, cwd=paths.LIB, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        # Set on the running command (a preexec_fn is unsafe beside build_all's
        # threads); `python -m ziglang` has barely started, and the processes
        # it execs and starts inherit the limit.
        resource.prlimit(proc.pid, resource.RLIMIT_AS, (COMPILER_MEMORY, COMPILER_MEMORY))
        _, stderr = proc.communicate(timeout=COMPILER_SECONDS)
    except subprocess.TimeoutExpired:
        _kill(proc, signal.SIGKILL)
        raise BuildError(f"{p.name} does not build for {p.backend.name}: the compiler ran for "
                         f"more than {COMPILER_SECONDS} seconds (does a source include a pipe "
                         f"or a device?)") from None
    except BaseException:             # Ctrl-C: the compiler goes too
        _kill(proc, signal.SIGKILL)
        raise
    if proc.returncode != 0:
        message = stderr.strip()
        for s in p.sources:
            message = message.replace(str(s.resolve()), str(s))
        if "LLVM ERROR: out of memory" in message:     # its crash report says nothing more
            message = (f"the compiler ran out of memory (it may use {COMPILER_MEMORY >> 30} GiB): "
                       f"does a source include a device or a huge file?")
        elif proc.returncode < 0 and not message:
            message = f"the compiler was killed by signal {-proc.returncode}"
        raise BuildError(f"{p.name} does not build for {p.backend.name}:\n{message}")


def _kill(proc: "subprocess.Popen", sig: int) -> None:
    import contextlib
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, sig)
    proc.communicate()


def _mark_standalone(elf: Path) -> None:
    """Set EI_OSABI to ELFOSABI_STANDALONE: this ELF is a HAL guest, not a Linux program."""
    with open(elf, "r+b") as f:
        f.seek(EI_OSABI)
        f.write(bytes([ELFOSABI_STANDALONE]))
