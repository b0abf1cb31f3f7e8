"""Independent emulations (one guest on each ISA, say) on the host's cores.

Python hooks hold the GIL, so threads would not scale; forked worker
processes do, and start in milliseconds with everything already imported.
Each job is named by its ELF path, so only a path and small results cross
between processes.
"""
from __future__ import annotations

import os
from typing import Callable

from .errors import HalError


def default_jobs() -> int:
    return os.cpu_count() or 1


def map_paths(fn: Callable, paths: list[str], jobs: int, **kwargs) -> list:
    """[fn(path, **kwargs) for path in paths], on up to `jobs` processes."""
    if jobs <= 1 or len(paths) <= 1:
        return [fn(p, **kwargs) for p in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(partial(fn, **kwargs), paths))
    except BrokenProcessPool:
        raise HalError("the emulator crashed in a worker process; hal itself is fine "
                       "(run with --jobs 1 --isolate to see which guest)") from None
