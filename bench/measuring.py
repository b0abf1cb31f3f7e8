"""What every benchmark here measures with: a timing without garbage
collection inside it, ratios bracketed between two ceiling runs, and the
empty C block hook that is the floor of any counting.  Its own module, so
that bench.py and libc.py both import it and not each other."""
from __future__ import annotations

import gc
import random
import statistics
from pathlib import Path


def timed(measure, *args):
    """(seconds, count) of one measurement, with no garbage collection inside it."""
    gc.collect()
    gc.disable()
    try:
        return measure(*args)
    finally:
        gc.enable()


def add_empty_block_hook(uc) -> None:
    """A UC_HOOK_BLOCK whose callback is C and does nothing (libunicorn's own
    uc_errno, which only reads a field; hal/core/codeguard.py uses it the
    same way), added as the native counter adds its hook."""
    import ctypes

    from unicorn import UC_HOOK_BLOCK
    from unicorn.unicorn_py3.unicorn import uclib
    handle = ctypes.c_size_t()
    err = uclib.uc_hook_add(uc._uch, ctypes.byref(handle), UC_HOOK_BLOCK,
                            ctypes.cast(uclib.uc_errno, ctypes.c_void_p), None,
                            ctypes.c_uint64(1), ctypes.c_uint64(0))
    assert not err, err


def bracketed(measure, image, ceiling, *others) -> list[float]:
    """One round's ratios of `ceiling` to `measure` and to each of `others`
    (times are seconds), all taken between two runs of `ceiling` whose mean
    is the round's baseline: this machine's speed drifts, and changes by up
    to a third for a few hundred milliseconds at a time when other work
    runs, so only measurements taken close together compare."""
    before = timed(ceiling, image)[0]
    times = [timed(m, image)[0] for m in (measure, *others)]
    base = (before + timed(ceiling, image)[0]) / 2
    return [base / t for t in times]


def guest_source(guest: str, steps: int) -> tuple[str, tuple[str, ...]]:
    """The C source a benchmark tool was asked for (a path ending in .c, or a
    bundled guest's name) and its defines: nbody.c takes STEPS, others none."""
    from hal.toolchain import guests
    source = guest if guest.endswith(".c") else str(guests.source(guest))
    return source, (f"STEPS={steps}",) if Path(source).name == "nbody.c" else ()


def paired(measure, image, ceiling, pairs: int) -> list[float]:
    """Per-pair ratios of `ceiling`'s time to `measure`'s, the two run one
    right after the other, in alternating order (ABBA: a drift in this
    machine's speed favours neither).  Adjacent runs see the same machine:
    at 20,000 steps of nbody, 400 pairs put x86's median within about 0.5%,
    where a dozen bracketed rounds move by 5% or more."""
    ratios = []
    for i in range(pairs):
        if i % 2:
            t = timed(measure, image)[0]
            base = timed(ceiling, image)[0]
        else:
            base = timed(ceiling, image)[0]
            t = timed(measure, image)[0]
        ratios.append(base / t)
    return ratios


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """A bootstrap interval for the median of `values` (resampled 2,000 times,
    with a fixed seed so the same values always give the same interval).  On
    this machine a median of a dozen rounds moves by several per cent from one
    run of the benchmark to the next; the interval says how far, in the run
    itself, instead of leaving a reader to guess from one number."""
    draw = random.Random(0)
    medians = sorted(statistics.median(draw.choices(values, k=len(values)))
                     for _ in range(2000))
    cut = int(len(medians) * (1 - confidence) / 2)
    return medians[cut], medians[-1 - cut]
