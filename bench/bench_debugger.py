"""The debugger's numbers (issue 16), per ISA:

  continue   a guest under the debugger (checkpoints, a Ctrl-C poll on a real
             socket) continuing to a breakpoint after fib(27), against a plain
             run of the same program: at most 1.3x
  reverse    reverse-stepi 100 million instructions into fib(33): the first
             step back and the median of ten more: within 0.2 s
  memory     checkpoint memory of that guest at its peak: under 64 MiB

    python bench/bench_debugger.py [--rounds 5]      (bench/bench.py runs it too)
"""
from __future__ import annotations

import argparse
import select
import socket
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from hal.core import loader, registry, runner  # noqa: E402
from hal.core.machine import Stop  # noqa: E402
from hal.debugger.motion import Action, perform  # noqa: E402
from hal.debugger.target import Target  # noqa: E402
from hal.debugger.tdesc import describe  # noqa: E402
from hal.inspection.symbols import Program  # noqa: E402
from hal.toolchain import build  # noqa: E402
from measuring import timed  # noqa: E402

DEEP = 100_000_000


def _poller():
    """A Ctrl-C poll as the server makes it: select() on a connected socket."""
    ours, _theirs = socket.socketpair()
    return lambda: bool(select.select([ours], [], [], 0)[0]), (ours, _theirs)


def _plain(image) -> float:
    m = runner.new_machine(image)
    t = time.perf_counter()
    while m.run() is Stop.BLOCKED:
        runner.answer(m)
    return time.perf_counter() - t


def _to_breakpoint(image, address) -> tuple[float, int]:
    m = runner.new_machine(image)
    target = Target(m, describe(m.backend))
    target.hooks.add_break(address)
    poll, keep = _poller()
    t = time.perf_counter()
    action = Action("continue")
    while True:
        out = perform(target, action, poll)
        if out.kind != "driver":
            break
        runner.answer(m)
        target.enter_run(None)
    elapsed = time.perf_counter() - t
    assert out.reason == "break", out
    return elapsed, m.retired


def _deep(image) -> tuple[float, float, int, int]:
    """(first reverse-stepi, median of ten more, peak checkpoint bytes, position)."""
    m = runner.new_machine(image)
    target = Target(m, describe(m.backend))
    action = Action("continue")
    while True:
        out = perform(target, action, lambda: m.retired >= DEEP)
        if out.kind != "driver":
            break
        runner.answer(m)
        target.enter_run(None)
    assert out.reason == "interrupt" and m.retired >= DEEP, out
    steps = []
    for _ in range(11):
        t = time.perf_counter()
        perform(target, Action("reverse-step"), lambda: False)
        steps.append(time.perf_counter() - t)
    return steps[0], statistics.median(steps[1:]), target.store.peak, m.retired


def main(rounds: int = 5) -> list[tuple[str, str, bool]]:
    verdicts = []
    print(f"\ndebugger: continue to a breakpoint after fib(27) against a plain run "
          f"({rounds} interleaved rounds, median ratio); reverse-stepi at {DEEP:,} instructions")
    print(f"{'ISA':6} {'plain s':>8} {'to bp s':>8} {'ratio':>6} {'1st back s':>10} "
          f"{'next s':>8} {'checkpoints':>12}")
    for b in registry.backends():
        image = loader.load(build.build(HERE / "guests" / "fib27.c", b))
        bp = next(f.start for f in Program(image).functions if f.name == "hal_print_int")
        ratios, plains, debugs = [], [], []
        for _ in range(rounds):
            plain = timed(_plain, image)
            debug, _ = timed(_to_breakpoint, image, bp)
            plain = (plain + timed(_plain, image)) / 2
            plains.append(plain)
            debugs.append(debug)
            ratios.append(debug / plain)
        deep = loader.load(build.build(HERE / "guests" / "fib33.c", b))
        first, later, peak, _ = timed(_deep, deep)
        ratio = statistics.median(ratios)
        print(f"{b.name:6} {statistics.median(plains):>8.4f} {statistics.median(debugs):>8.4f} "
              f"{ratio:>6.3f} {first:>10.4f} {later:>8.4f} {peak / 2**20:>9.1f} MiB")
        verdicts += [
            (f"{b.name} continue to a breakpoint at most 1.3x a plain run", f"{ratio:.2f}x",
             ratio <= 1.3),
            (f"{b.name} reverse-stepi at 100M instructions within 0.2 s",
             f"{max(first, later):.3f} s", max(first, later) <= 0.2),
            (f"{b.name} checkpoint memory under 64 MiB", f"{peak / 2**20:.1f} MiB",
             peak < 64 << 20),
        ]
    return verdicts


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    results = main(ap.parse_args().rounds)
    print("\ntargets (issue 16):")
    for target, measured, met in results:
        print(f"  {'met   ' if met else 'MISSED'} {target:56} {measured}")
