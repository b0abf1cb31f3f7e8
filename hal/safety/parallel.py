"""Independent emulations (one guest on each ISA, say) on the host's cores.

Python hooks hold the GIL, so threads would not scale; forked worker
processes do, and start in milliseconds with everything already imported.
The work items (loaded images) reach the workers through the fork itself, as
inherited memory: only an index goes down the pipe and a small result comes
back, and no worker parses an ELF file again.
"""
from __future__ import annotations

import os
from typing import Callable

from ..core import interrupt
from ..core.loader import Image
from ..core.runner import RunResult, run
from ..errors import HalError
from . import signals


def default_jobs() -> int:
    return os.cpu_count() or 1


_items: list = []          # what the workers of the current map_items inherit


def _call(fn: Callable, index: int, **kwargs):
    """One item, in a worker; Ctrl-C comes back as how far it got (nothing if
    it had not started)."""
    if interrupt.requested:
        return _Stopped("")
    try:
        with signals.working():
            return fn(_items[index], **kwargs)
    except interrupt.Interrupted as e:
        return _Stopped(str(e))


class _Stopped:
    """A worker's answer when Ctrl-C stopped it: how far its guest got."""

    def __init__(self, where: str):
        self.where = where


def map_items(fn: Callable, items: list, jobs: int, isolate: bool = False, **kwargs) -> list:
    """[fn(item, **kwargs) for item in items], on up to `jobs` processes;
    with one job, in this process unless `isolate` asks for a worker anyway."""
    global _items
    if (jobs <= 1 or len(items) <= 1) and not isolate:
        return [fn(item, **kwargs) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial
    _items = items                     # set before the pool forks its workers
    try:
        with signals.deferred(), ProcessPoolExecutor(
                max_workers=min(jobs, len(items)), mp_context=multiprocessing.get_context("fork"),
                initializer=signals.in_worker) as pool:
            results = list(pool.map(partial(_call, fn, **kwargs), range(len(items))))
    except BrokenProcessPool:
        raise HalError("the emulator crashed in a worker process; hal itself is fine "
                       "(run with --jobs 1 --isolate to see which guest)") from None
    finally:
        _items = []
    stopped = [r.where for r in results if isinstance(r, _Stopped) and r.where]
    if stopped or interrupt.requested:
        raise interrupt.Interrupted("; ".join(stopped) or interrupt.where())
    return results


_shared = None             # a SharedInput the workers of run_many inherit


def _run_with_input(image: Image, stdin_data: bytes | None = None, **kwargs) -> RunResult:
    """runner.run with its input as bytes, or from the shared input: what
    worker processes are handed."""
    import io
    if _shared is not None:
        stdin = _shared.reader()
    else:
        stdin = io.BytesIO(stdin_data) if stdin_data is not None else None
    return run(image, stdin=stdin, **kwargs)


def run_many(images: list[Image], *, jobs: int, stdin_data: bytes | None = None,
             stdin=None, isolate: bool = False, **kwargs) -> list[RunResult]:
    """Run independent guests (one per ISA, say) on `jobs` host processes.
    Input: `stdin_data` (bytes), or `stdin`, a stream each run reads from its
    start, lazily (hal/safety/sharedinput.py), so a guest that reads no input
    never waits for it."""
    global _shared
    if stdin is not None:
        from .sharedinput import SharedInput
        _shared = SharedInput(stdin)
    try:
        return map_items(_run_with_input, images, jobs, isolate=isolate, stdin_data=stdin_data,
                         **kwargs)
    finally:
        _shared = None
