"""The C library's numbers for `make bench` (issue 11): a C library program
against the same measurements as a HAL guest.

  libc-raw   the program on Unicorn without counting: a halemu machine (the
             process laid out by the POSIX personality, its system calls
             served) with no block hook
  libc-floor the same with a C block hook that does nothing
  libc-run   `hal run` of it: exact counting, as for any guest
  The HAL guest fib27.c is measured the same three ways, so that the two
  ratios differ only by the program (a bare Unicorn cannot serve a C
  library program's system calls).  Each round's ratios are taken between
  two raw runs (measuring.py's bracketed()); the report gives their medians.
  start-up   `hal run hello.c --isa x86` (printf) as a whole process, warm
  memory     what one C library program adds to a process, against a HAL guest
  set-up     building the C library for four ISAs from nothing, as a fresh
             machine's first `make test` does (into a scratch zig cache)
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STARTS = 21                 # warm start-ups timed for the median


class _NoCounter:
    """Counts nothing and stops nothing: the ceiling's 'counter'."""
    retired = stop = limit = slice_end = 0
    last_block = (0, 0, 0)

    def arm(self, end):
        pass

    def forget_last_block(self):
        pass


def raw(image, empty_hook: bool = False) -> float:
    """Seconds on Unicorn without counting: the machine's memory, registers
    and trap hook (the personality serves the system calls), but no block
    hook; with `empty_hook`, a C block hook that does nothing (the floor)."""
    import hal.core.machine as machine
    from hal.core.memmap import STOP_ADDRESS
    real = machine.make_counter
    machine.make_counter = lambda *args, **kwargs: _NoCounter()
    try:
        m = machine.Machine(image)
    finally:
        machine.make_counter = real
    if empty_hook:
        from measuring import add_empty_block_hook
        add_empty_block_hook(m.uc)
    t = time.perf_counter()
    m.uc.emu_start(m.pc, STOP_ADDRESS)
    elapsed = time.perf_counter() - t
    assert m.exit_code == 0, m.fault
    return elapsed


_PROBE = """
import resource, sys
from hal.core import runner
from hal.toolchain import programs
image = programs.load(sys.argv[1])
rss = lambda: int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize()
before = rss()
result = runner.run(image)
assert result.exit_code == 0
print(rss() - before)
"""


def memory(elf: Path, times: int = 5) -> float:
    """Median bytes of resident memory one run of `elf` adds to a process."""
    return statistics.median(int(subprocess.run(
        [sys.executable, "-c", _PROBE, str(elf)], capture_output=True, text=True,
        check=True).stdout) for _ in range(times))


def setup_time() -> float:
    """Seconds to build musl for four ISAs from nothing, as `hal setup` does on
    a fresh machine (a scratch zig cache and halemu cache, so nothing is reused)."""
    with tempfile.TemporaryDirectory(prefix="halemu-setup-") as tmp:
        env = dict(os.environ, ZIG_GLOBAL_CACHE_DIR=f"{tmp}/zig", HALEMU_CACHE=f"{tmp}/hal")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hal", "setup"], env=env, check=True,
                       capture_output=True)
        return time.perf_counter() - t


def report(rounds: int, run, sdk_raw, timed, wall, verdicts: list, with_setup: bool) -> None:
    """Measure and print the C library's numbers; add their targets to `verdicts`.
    run, sdk_raw (bare Unicorn in halemu's TLB mode, raw*, for a HAL guest),
    timed and wall are bench.py's own measurements."""
    from hal.core import loader, registry
    from hal.toolchain import build, guests, programs
    from measuring import bracketed      # bench/ is on the path
    x86 = registry.get("x86")
    images = {"fib27_libc.c": programs.load(build.build(HERE / "guests" / "fib27_libc.c", x86)),
              "fib27.c": loader.load(build.build(HERE / "guests" / "fib27.c", x86))}
    n = run(images["fib27_libc.c"])[1]
    machine_raw = lambda image, empty_hook=False: (raw(image, empty_hook), None)  # noqa: E731
    ratios = {name: [] for name in images}
    floors = {name: [] for name in images}
    bare = []
    for _ in range(rounds):
        for name, image in images.items():
            r, f = bracketed(run, image, machine_raw, lambda i: machine_raw(i, True))
            ratios[name].append(r)
            floors[name].append(f)
        bare.append(bracketed(run, images["fib27.c"], sdk_raw)[0])
    ratio = {name: statistics.median(v) for name, v in ratios.items()}
    floor = {name: statistics.median(v) for name, v in floors.items()}
    print(f"\nC library (issue 11): fib27_libc.c on x86, {n:,} instructions, {rounds} rounds;"
          f" medians of per-round ratios to Unicorn without counting")
    for name in images:
        print(f"  {name:13} `hal run` / raw {ratio[name]:.3f}; "
              f"empty block hook / raw {floor[name]:.3f}")
    print(f"  (fib27.c against bare Unicorn, raw* as in the table above: "
          f"{statistics.median(bare):.3f})")
    libc_ratio, sdk_ratio = ratio["fib27_libc.c"], ratio["fib27.c"]
    verdicts.append(("x86 C library program's ratio to raw within 0.02 of a HAL guest's",
                     f"{libc_ratio:.3f} vs {sdk_ratio:.3f}", libc_ratio >= sdk_ratio - 0.02))
    hello = ROOT / "tests" / "libc" / "hello.c"
    hal = [sys.executable, "-m", "hal", "run", str(hello), "--isa", "x86"]
    wall(hal)                                             # built and cached: warm
    # 21 runs: this machine's speed moves by half from one second to the next
    # (`python -c pass` takes 0.035 to 0.057 s), and a median of 7 moved from
    # 0.22 to 0.27 s between runs of the benchmark minutes apart
    starts = sorted(wall(hal) for _ in range(STARTS))
    start = statistics.median(starts)
    print(f"  start-up: `hal run hello.c --isa x86` (printf) median {start:.3f} s "
          f"(min {starts[0]:.3f} s, quartiles {starts[STARTS // 4]:.3f} to "
          f"{starts[3 * STARTS // 4]:.3f} s) over {STARTS} runs")
    verdicts.append(("C library start-up at most 0.25 s", f"{start:.3f} s", start <= 0.25))
    extra = (memory(build.build(hello, x86)) - memory(build.build(guests.source("hello"), x86)))
    print(f"  memory: a printf hello adds {extra / 2**20:+.2f} MiB to a process against "
          f"the HAL guest hello (medians of 5 processes each)")
    verdicts.append(("C library guest at most 1 MiB more than a HAL guest",
                     f"{extra / 2**20:+.2f} MiB", extra <= 1 << 20))
    if with_setup:
        seconds = setup_time()
        print(f"  set-up: musl for four ISAs from nothing in {seconds:.0f} s")
        verdicts.append(("C library set-up for four ISAs within 3 minutes", f"{seconds:.0f} s",
                         seconds <= 180))
