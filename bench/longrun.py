"""What the MIPS code guard costs (issue 11), for `make bench`.

    python bench/longrun.py [--rounds 9]

Unicorn 2.1.4 crashes on MIPS translation blocks of about 374 branch-free
instructions, so halemu puts a native no-op code hook over every longer run
(hal/core/codeguard.py, arch/mips/translation.py).  Three numbers:

  normal    fib27.c on MIPS (no long run; only the fence after its code is
            guarded, and never runs): `hal run` as shipped against the same
            machine with the guard switched off (nothing scanned, nothing
            hooked); the ratio should be 1 within the noise, which an
            unguarded / unguarded pair shows
  long run  bench/guests/longrun.c: 1,024 branch-free instructions, 10,000
            passes, guarded, against its -DSPLIT twin (a `b 1f; nop` every
            128 instructions: no run to guard), in ns per retired instruction.
            Unguarded, the first would kill the process, so the twin is the
            baseline
  scan      reading the code before the first run: arch/mips/translation.py's
            scan of a C library program's code pages (done once per image
            and remembered)

Rounds interleave the measurements (each pair in alternating order), and
the report gives medians, because this 2-core machine is shared and its
speed drifts.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _run(image) -> tuple[float, int]:
    from hal.core.machine import Machine, Stop
    m = Machine(image)
    t = time.perf_counter()
    while m.run() is Stop.BLOCKED:
        m.complete()
    elapsed = time.perf_counter() - t
    assert m.exit_code == 0, m.fault
    return elapsed, m.retired


def _unguarded(image) -> tuple[float, int]:
    """_run with the code guard switched off: the scan finds nothing."""
    from hal.core import codecheck
    from hal.core.isa import CodeScan
    real = codecheck.scan
    codecheck.scan = lambda *args: CodeScan()
    try:
        return _run(image)
    finally:
        codecheck.scan = real


def _scan(image) -> tuple[float, int]:
    pages = image.code_pages()
    t = time.perf_counter()
    for start, code in pages:
        image.backend.scan_code(start, code)
    return time.perf_counter() - t, sum(len(code) for _, code in pages)


def _timed(measure, image):
    gc.collect()
    gc.disable()
    try:
        return measure(image)
    finally:
        gc.enable()


def _pair(one, other, one_first: bool) -> tuple[float, float]:
    """(one(), other()), measured in the order asked."""
    if one_first:
        a = one()
        return a, other()
    b = other()
    return one(), b


def report(rounds: int) -> None:
    """Measure and print the guard's cost."""
    from hal.core import loader, registry
    from hal.toolchain import build, programs
    mips = registry.get("mips")
    normal = loader.load(build.build(HERE / "guests" / "fib27.c", mips))
    straight = loader.load(build.build(HERE / "guests" / "longrun.c", mips))
    split = loader.load(build.build(HERE / "guests" / "longrun.c", mips, ("SPLIT",)))
    libc = programs.load(build.build(HERE / "guests" / "fib27_libc.c", mips))
    n_normal, n_straight, n_split = (_run(i)[1] for i in (normal, straight, split))
    normal_ratio, control, long_ratio, ns_straight, ns_split, scans = [], [], [], [], [], []
    for r in range(rounds):
        first = r % 2 == 0                   # alternate the order: no side always runs first
        guarded, bare = _pair(lambda: _timed(_run, normal)[0],
                              lambda: _timed(_unguarded, normal)[0], first)
        normal_ratio.append(guarded / bare)
        control.append(_timed(_unguarded, normal)[0] / _timed(_unguarded, normal)[0])
        a, b = _pair(lambda: _timed(_run, straight)[0] / n_straight * 1e9,
                     lambda: _timed(_run, split)[0] / n_split * 1e9, first)
        ns_straight.append(a)
        ns_split.append(b)
        long_ratio.append(a / b)
        seconds, size = _timed(_scan, libc)
        scans.append(seconds)
    med = statistics.median
    print(f"\nMIPS code guard (issue 11), {rounds} interleaved rounds, medians:")
    print(f"  normal code: fib27.c ({n_normal:,} instructions, no long run) guarded / "
          f"unguarded time {med(normal_ratio):.3f} (noise: unguarded / unguarded "
          f"{med(control):.3f})")
    print(f"  long runs: longrun.c ({n_straight:,} instructions, 1,024 in a row) "
          f"{med(ns_straight):.1f} ns per instruction guarded, its split twin "
          f"{med(ns_split):.1f} ns unguarded: {med(long_ratio):.2f}x")
    print(f"  scan: {size // 1024} KiB of a C library program's code in "
          f"{med(scans) * 1e3:.1f} ms ({med(scans) * 1e6 / (size / 1024):.0f} us per KiB), "
          f"once per image")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=9)
    report(ap.parse_args().rounds)
