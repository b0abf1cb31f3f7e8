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

from ..core.loader import Image
from ..core.runner import RunResult, run
from ..errors import HalError


def default_jobs() -> int:
    return os.cpu_count() or 1


_items: list = []          # what the workers of the current map_items inherit


def _call(fn: Callable, index: int, **kwargs):
    return fn(_items[index], **kwargs)


def map_items(fn: Callable, items: list, jobs: int, **kwargs) -> list:
    """[fn(item, **kwargs) for item in items], on up to `jobs` processes."""
    global _items
    if jobs <= 1 or len(items) <= 1:
        return [fn(item, **kwargs) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial
    _items = items                     # set before the pool forks its workers
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(items)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(partial(_call, fn, **kwargs), range(len(items))))
    except BrokenProcessPool:
        raise HalError("the emulator crashed in a worker process; hal itself is fine "
                       "(run with --jobs 1 --isolate to see which guest)") from None
    finally:
        _items = []


def _run_with_input(image: Image, stdin_data: bytes | None = None, **kwargs) -> RunResult:
    """runner.run with its input as bytes: what worker processes are handed."""
    import io
    return run(image, stdin=io.BytesIO(stdin_data) if stdin_data is not None else None, **kwargs)


def run_many(images: list[Image], *, jobs: int, stdin_data: bytes | None = None,
             **kwargs) -> list[RunResult]:
    """Run independent guests (one per ISA, say) on `jobs` host processes."""
    return map_items(_run_with_input, images, jobs, stdin_data=stdin_data, **kwargs)
