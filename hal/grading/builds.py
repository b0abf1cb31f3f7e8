"""Each submission built once per ISA, on the machine that grades, through
halemu's build cache: workers are sent ELF bytes and never compile.

Compilers are separate processes, so builds run on threads (`jobs` at once)
and hand each finished build over as soon as it is ready, while earlier ones
already run.  A submission the guard refuses is never compiled.  Messages
name files as the student named them, not where the class folder lies, so a
report reads the same on every machine.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..core import loader, registry
from ..errors import HalError, LoadError
from . import guard
from .judge import NO_BUILD, NOT_LOADED, REFUSED, Outcome
from .submissions import Submission

MAX_MESSAGE = 16 << 10              # of a compiler's message, kept for the report


@dataclass(frozen=True)
class Built:
    """One submission on one ISA: its ELF bytes, or why there are none."""
    student: str
    isa: str
    elf: bytes | None
    failure: Outcome | None = None


def build_class(subs: list[Submission], isas: tuple[str, ...], jobs: int,
                done: Callable[[Built], None]) -> Callable[..., None]:
    """Start building every submission for every ISA on `jobs` threads; call
    done(Built) for each as it finishes (from a build thread).  Returns
    finish(cancel=False), which waits for the last build (or, with cancel,
    drops those not yet started) and shuts the threads down."""
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="hal-build")
    same: dict[tuple, Future] = {}
    futures = []
    for sub in subs:
        refusal = guard.check(sub)
        for isa in isas:
            if refusal is not None:
                done(Built(sub.student, isa, None, Outcome(REFUSED, detail=refusal)))
                continue
            key = (_fingerprint(sub), isa)  # identical submissions build once
            if key not in same:
                same[key] = pool.submit(_build, sub, isa)
            fut = same[key]
            fut.add_done_callback(lambda f, s=sub.student, i=isa: done(_as(f, s, i)))
            futures.append(fut)

    def finish(cancel: bool = False) -> None:
        pool.shutdown(wait=True, cancel_futures=cancel)
    return finish


def _as(fut: Future, student: str, isa: str) -> Built:
    if fut.cancelled():
        return Built(student, isa, None, Outcome(NO_BUILD, detail="the build was cancelled"))
    exc = fut.exception()
    if exc is not None:         # a bug of ours in a build thread: still one line, and on
        return Built(student, isa, None,
                     Outcome(NO_BUILD, detail=f"internal error: {type(exc).__name__}: {exc}"))
    elf, failure = fut.result()
    return Built(student, isa, elf, failure)


def _build(sub: Submission, isa: str) -> tuple[bytes | None, Outcome | None]:
    from ..toolchain import build
    backend = registry.get(isa)
    if not sub.sources:
        return None, Outcome(NO_BUILD, detail="no C or assembly sources (.c, .S) in the folder")
    try:                        # every source of a folder, into one program
        elf = build.build(list(sub.sources), backend).read_bytes()
    except HalError as e:       # BuildError: the compiler's or linker's own message
        return None, Outcome(NO_BUILD, detail=_relative(_named(str(e), sub), sub)[:MAX_MESSAGE])
    try:
        loader.parse(elf, Path(f"{sub.student}.elf"))
    except LoadError as e:      # e.g. code MIPS cannot run safely: refused by the loader
        return None, Outcome(NOT_LOADED, detail=str(e))
    return elf, None


def _named(message: str, sub: Submission) -> str:
    """A build names the program after its first source ("main does not
    build"); a report names the student."""
    first = sub.sources[0].stem + " does not build"
    return sub.student + message[len(sub.sources[0].stem):] if message.startswith(first) else message


def _relative(message: str, sub: Submission) -> str:
    """Paths as the student knows them, not where the grader keeps the class."""
    for root in {str(sub.root.resolve()), str(sub.root)}:
        message = message.replace(root + "/", "")
    return message


def _fingerprint(sub: Submission) -> str:
    """The submission's files by name and content: equal only for identical submissions."""
    h = hashlib.sha256()
    for f in sub.files():
        name = f.relative_to(sub.root).as_posix() if sub.is_folder else f.name
        try:
            h.update(name.encode() + b"\0" + f.read_bytes() + b"\0")
        except OSError:
            h.update(name.encode() + b"\0unreadable\0")
    return h.hexdigest()
