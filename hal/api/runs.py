"""Building and running guests: `hal.build`, `hal.run`, `hal.run_all`,
`hal.resume`, and their results, `Run` and `Runs`.

    >>> import hal
    >>> r = hal.run("fib", isa="mips")
    >>> r
    <Run fib on mips: exit 0, 2,144,599 instructions, 27 HAL calls>
    >>> hal.run_all("endian").identical_output
    False
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, fields
from pathlib import Path
from collections.abc import Sequence
from typing import BinaryIO, Iterator, TextIO

from ..core.loader import Image
from ..core.memmap import MemoryMap
from ..core.runner import RunResult
from ..errors import HalError
from ..toolchain.options import BuildOptions
from .options import (DEFAULT_MEMORY, Input, Isas, Program, echo_stream, input_bytes,
                      input_stream, load, positive)

__all__ = ["Run", "Runs", "Snapshot", "build", "run", "run_all", "resume", "snapshot"]


@dataclass(frozen=True, repr=False)
class Run(RunResult):
    """One guest run to its end on one ISA.

    Fields: `guest` (its name), `isa`, `output` (bytes; `text` as str),
    `retired` (instructions, exact), `hal_calls`, `exit_code` (None if it
    faulted), `fault` (None, or what went wrong, where: a Fault) and
    `startup` (how many of the instructions were start-up's, when the run
    was asked to count them: `hal.run(..., startup=True)`; else None)."""
    startup: int | None = None

    @classmethod
    def of(cls, result: RunResult, startup: int | None = None) -> "Run":
        if isinstance(result, Run) and startup is None:
            return result
        return cls(**{f.name: getattr(result, f.name) for f in fields(RunResult)},
                   startup=startup)

    @property
    def text(self) -> str:
        """The output as text (invalid UTF-8 shown as U+FFFD)."""
        return self.output.decode("utf-8", errors="replace")

    @property
    def ok(self) -> bool:
        """Exited with status 0, no fault."""
        return self.fault is None and self.exit_code == 0

    def __repr__(self) -> str:
        end = "fault" if self.fault else f"exit {self.exit_code}"
        return (f"<Run {self.guest} on {self.isa}: {end}, {self.retired:,} instructions, "
                f"{self.hal_calls:,} HAL calls>")

    def _repr_html_(self) -> str:
        from ..render import html
        return html.run(self)


@dataclass(frozen=True, repr=False)
class Runs(Sequence[Run]):
    """The same guest run on several ISAs, in `hal isas` order (or the order
    asked).  Index it by position or by ISA name: `runs["ppc"]`."""
    guest: str
    runs: tuple[Run, ...]

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self) -> Iterator[Run]:
        return iter(self.runs)

    def __getitem__(self, key):             # type: ignore[override]
        if isinstance(key, str):
            for r in self.runs:
                if r.isa == key:
                    return r
            raise KeyError(f"no run on '{key}' (ran on {', '.join(self.isas)})")
        return self.runs[key]

    @property
    def isas(self) -> list[str]:
        return [r.isa for r in self.runs]

    @property
    def identical_output(self) -> bool:
        """Every ISA printed exactly the same bytes."""
        return len({r.output for r in self.runs}) == 1

    @property
    def groups(self) -> list[tuple[bytes, list[str]]]:
        """Distinct outputs, each with the ISAs that printed it, first seen first."""
        from ..core.runner import output_groups
        return output_groups(self.runs)

    @property
    def status(self) -> int:
        """The exit status `hal run --isa all` gives: the worst run's."""
        return max(self.runs, key=lambda r: (r.fault is not None, r.status != 0)).status

    def table(self) -> str:
        """What `hal run --isa all` prints: counts side by side, then each distinct output."""
        from ..render import terminal
        return terminal.as_text(terminal.side_by_side, self.runs)

    def __repr__(self) -> str:
        same = "identical output" if self.identical_output else \
            f"{len(self.groups)} different outputs"
        return f"<Runs {self.guest} on {', '.join(self.isas)}: {same}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.runs(self.runs)


def build(sources: str | os.PathLike | Sequence[str | os.PathLike], isa: Isas = "all", *,
          console: str = "trap", options: BuildOptions | None = None) -> dict[str, Path]:
    """Cross-compile a guest with zig, as `hal build` does: `sources` is a C
    or assembly file, a list of them (linked into one guest), or a bundled
    guest's name.  options: -I, -D, -O, -l and --libc, made by
    `hal.compiler(includes=..., defines=..., optimize=..., libraries=...,
    libc=...)`.  Returns ISA -> ELF path, in the order asked.  Builds are
    cached by a hash of every input, so a second call costs nothing; a
    source that does not compile raises BuildError with the compiler's
    message.  console="uart" builds the -DHAL_CONSOLE_UART variant."""
    from ..core import registry
    from ..toolchain import build as b
    from ..toolchain import programs
    from ..toolchain.options import DEFAULT
    from .options import console_defines, isa_names
    items = [sources] if isinstance(sources, (str, os.PathLike)) else list(sources)
    files = programs.sources(items)
    if files is None:
        raise HalError(f"{os.fspath(items[0])}: not a C or assembly source (.c, .S) "
                       f"or a bundled guest")
    names = isa_names(isa)
    backends = registry.backends() if names is None else [registry.get(n) for n in names]
    elfs = b.build_all(files, backends, console_defines(console), options or DEFAULT)
    return {backend.name: elf for backend, elf in zip(backends, elfs)}


def _built_by_hal(path: Path) -> bool:
    from .. import paths
    return paths.cache_dir() in path.resolve().parents


def run(program: Program, isa: str | None = None, *, input: Input = None,
        memory: str | int | MemoryMap | None = DEFAULT_MEMORY,
        max_instructions: int | None = None, max_output: int | None = None,
        console: str = "trap", isolate: bool | None = None,
        echo: BinaryIO | TextIO | None = None, options: BuildOptions | None = None,
        args: Sequence[str] = (), files: Sequence[str | os.PathLike] = (),
        echo_errors: BinaryIO | None = None, startup: bool = False) -> Run:
    """Run a guest on one ISA to its end, as `hal run PROGRAM --isa ISA` does.

    program: a bundled guest's name, a C source (built for `isa`), an ELF
    file (its own ISA; `isa` may be omitted) or an Image from `hal.load`.
    input: console input (bytes, str, a Path to read, a binary file; None: none).
    memory: guest RAM ("1M", "512K" or bytes; default 1M), or for a C library
    program its address-space limit (default 64M, mapped as it asks).
    max_instructions (default 1,000,000,000; 0: no limit) and max_output
    (bytes; default 1 MiB) stop a runaway guest with a fault.
    console: "trap" or "uart" (see `hal run --console`).  isolate: run in a
    forked worker so that an emulator crash is reported, not suffered
    (default: on for ELF files halemu did not build).  echo: a stream that
    also gets the output as it comes (sys.stdout shows it live in a notebook;
    echo_errors: a binary stream for a C library program's standard error).
    options: how sources are built (`hal.compiler(includes=..., defines=...,
    optimize=...)`: -I, -D, -O).  args and files: a C library program's
    arguments and the host files it may read (see `hal.load`).  startup:
    also count how many of the instructions start-up took (Run.startup;
    `hal run --stats`), from the block counts and the guest's DWARF.

    A guest that faults is not an exception: the Run's `fault` says what
    happened.  Bad input (an unknown ISA or guest, an ELF we refuse, a source
    that does not compile) raises HalError."""
    limits = _limits(memory, max_instructions, max_output)
    images = load(program, isa, console=console, memory=limits["memory"], options=options,
                  args=args, files=files)
    if len(images) != 1:
        raise HalError("hal.run runs one ISA: give isa='NAME' (one of "
                       f"{', '.join(i.backend.name for i in images)}), or use hal.run_all")
    image = images[0]
    stdin, echo = input_stream(input), echo_stream(echo)
    if isolate is None:
        isolate = image.path.suffix == ".elf" and not _built_by_hal(image.path)
    from ..core import runner
    fn = runner.run
    if startup:                 # the run, and its start-up's count: (RunResult, int)
        from ..inspection.profile import run_counting_startup as fn
    if not isolate:
        return _run_of(fn(image, echo=echo, stdin=stdin, echo_errors=echo_errors, **limits))
    from ..safety import isolation
    result, died = isolation.call_isolated(fn, image, echo=echo, stdin=stdin,
                                           echo_errors=echo_errors, **limits)
    if result is None:
        b = image.backend
        return Run(image.name, b.name, b"", 0, 0, None, isolation.crashed_fault(died),
                   b.word_bytes * 2)
    return _run_of(result)


def _run_of(value) -> Run:
    return Run.of(*value) if isinstance(value, tuple) else Run.of(value)


def run_all(program: Program | Sequence, isas: Isas = None, *, input: Input = None,
            memory: str | int | MemoryMap | None = DEFAULT_MEMORY,
            max_instructions: int | None = None, max_output: int | None = None,
            console: str = "trap", jobs: int | None = None,
            options: BuildOptions | None = None, args: Sequence[str] = (),
            files: Sequence[str | os.PathLike] = (), isolate: bool = False) -> Runs:
    """Run a guest on every ISA (or those in `isas`), as `hal run PROGRAM
    --isa all` does: independent runs on `jobs` host processes (default: one
    per core), each fed the same input (a file object is read only as the
    guests read it).  Options as for `hal.run`; `program` may also be a list
    of Images, or of source files built into one guest.  isolate: worker
    processes even with one job."""
    from ..safety.parallel import default_jobs, run_many
    limits = _limits(memory, max_instructions, max_output)
    jobs = positive("jobs", jobs) or default_jobs()
    if isinstance(program, (str, os.PathLike, Image)) or _one_program(program):
        images = load(program, isas, console=console, memory=limits["memory"], options=options,
                      args=args, files=files)
    else:
        images = [img for p in program for img in load(p, None, console=console,
                                                       memory=limits["memory"])]
    if not images:
        raise HalError("hal.run_all: no guests to run")
    if hasattr(input, "fileno") and not isinstance(input, io.BytesIO):
        results = run_many(images, jobs=jobs, stdin=input, isolate=isolate, **limits)
    else:
        results = run_many(images, jobs=jobs, stdin_data=input_bytes(input), isolate=isolate,
                           **limits)
    return Runs(images[0].name, tuple(Run.of(r) for r in results))


@dataclass(frozen=True, repr=False)
class Snapshot:
    """A guest saved part-way by `hal.snapshot`: `path` (None if the guest
    ended before `at`: then `ended` is its Run), `retired` (instructions when
    it stopped: the first block boundary at or past `at`) and `output` so far."""
    guest: str
    isa: str
    path: Path | None
    retired: int
    output: bytes
    ended: Run | None = None

    def resume(self, **kwargs) -> Run:
        """Continue it to its end (`hal.resume`)."""
        if self.path is None:
            raise HalError(f"{self.guest} on {self.isa} ended before the snapshot: nothing to resume")
        return resume(self.path, **kwargs)

    def __repr__(self) -> str:
        where = f"saved to {self.path}" if self.path else "ended before it: no snapshot"
        return f"<Snapshot {self.guest} on {self.isa} after {self.retired:,} instructions, {where}>"


def snapshot(program: Program, isa: str | None = None, *, at: int, path: str | os.PathLike,
             input: Input = None, memory: str | int | MemoryMap = DEFAULT_MEMORY,
             max_instructions: int | None = None, max_output: int | None = None,
             console: str = "trap", echo: BinaryIO | TextIO | None = None) -> Snapshot:
    """Run a guest until it has retired `at` instructions (at the first block
    boundary at or past it) and save it to `path`, as `hal run ...
    --snapshot-at N --snapshot FILE` does; `hal.resume(path)` continues it.
    A guest that ends first is not saved (the Snapshot's `ended` says how it ended)."""
    from ..core import runner
    from ..safety import snapshot as snapshots
    positive("at", at)
    limits = _limits(memory, max_instructions, max_output)
    images = load(program, isa, console=console, memory=limits["memory"])
    if len(images) != 1:
        raise HalError("a snapshot is of one ISA: give isa='NAME'")
    machine = runner.new_machine(images[0], echo=echo_stream(echo), stdin=input_stream(input),
                                 **limits)
    result = runner.finish(machine, until=at)
    if result is not None:
        return Snapshot(result.guest, result.isa, None, result.retired, result.output,
                        Run.of(result))
    snapshots.save(machine, path)
    return Snapshot(machine.name, machine.backend.name, Path(path), machine.retired,
                    machine.console.output)


def resume(snapshot: str | os.PathLike, *, input: Input = None,
           echo: BinaryIO | TextIO | None = None, isolate: bool = False) -> Run:
    """Continue a guest saved by `hal run ... --snapshot-at N --snapshot FILE`
    to its end, as `hal resume FILE` does: the same output and instruction
    count as a run that never stopped (`output` holds all of it).  isolate:
    in a forked worker, as `hal.run`."""
    from ..safety import snapshot as snapshots
    machine = snapshots.load(Path(snapshot), echo=echo_stream(echo), stdin=input_stream(input))
    if not isolate:
        return Run.of(_go_on(machine))
    from ..safety import isolation
    result, died = isolation.call_isolated(_go_on, machine)
    if result is None:
        b = machine.backend
        return Run(machine.name, b.name, machine.console.output, machine.retired, machine.hal_calls,
                   None, isolation.crashed_fault(died), b.word_bytes * 2)
    return Run.of(result)


def _go_on(machine):
    """A restored machine, run to its end (answering the request it was saved in)."""
    from ..core import runner
    if machine.request is not None:
        runner.answer(machine)
    result = runner.finish(machine)
    assert result is not None           # finish() without `until` runs to the end
    return result


def _one_program(program) -> bool:
    """A list of C and assembly sources is one program, built from them all."""
    from ..toolchain.build import SUFFIXES
    return all(isinstance(p, (str, os.PathLike)) and Path(p).suffix in SUFFIXES for p in program)


def _limits(memory, max_instructions, max_output) -> dict:
    """The limits every run takes, checked before anything is built."""
    from .options import memory_map
    return dict(memory=memory_map(memory),
                max_instructions=positive("max_instructions", max_instructions, zero=True),
                max_output=positive("max_output", max_output, zero=True))

