"""Running a debugged guest the way GDB asks: forwards (continue, step) and
backwards (reverse-continue, reverse-step), until something worth a stop.

Forwards, the guest runs in chunks: live at the frontier (each chunk ends
at a block boundary, as the driver's slices do), or by exact re-execution
in the past until it reaches the frontier and goes on live.  Between chunks
it takes checkpoints and looks for Ctrl-C.  Backwards, reverse-step is
`goto(position - 1)`; reverse-continue re-executes the gaps between
checkpoints one by one, newest first, recording every breakpoint and
watchpoint hit, and stops at the latest one.

Watchpoints stop where GDB's architecture expects: after the access on
i386, before it where GDB steps over the access itself (MIPS, PowerPC,
RISC-V; `WATCH_BEFORE` in arch/<isa>/gdb.py).  Going backwards it is the
mirror image, which GDB's own stepping then completes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..core.machine import Stop
from . import signals
from .stepping import Hit, Mode
from .target import HistoryError, Target

CHUNK = 1_000_000               # instructions between looks for Ctrl-C


@dataclass
class Action:
    kind: str                          # continue, step, reverse-continue, reverse-step
    signal: int | None = None          # continue or step delivering a signal (C, S)
    origin: int | None = None          # the position it started from
    target: int | None = None          # step: where it ends


@dataclass(frozen=True)
class Outcome:
    kind: str                          # stopped, driver, exited, terminated
    reason: str = ""                   # stopped: break, watch, rwatch, awatch, step,
                                       # interrupt, signal, begin
    signal: int = signals.SIGTRAP
    address: int = 0                   # a watchpoint's data address
    stop: Stop | None = None           # driver: what the driver gets (BUDGET, BLOCKED)
    code: int = 0                      # exited: the exit status


def perform(t: Target, a: Action, poll) -> Outcome:
    if a.kind.startswith("reverse"):
        return _backward(t, a, poll)
    return _forward(t, a, poll)


def _forward(t: Target, a: Action, poll) -> Outcome:
    m, hooks = t.m, t.hooks
    if a.origin is None:
        a.origin = m.retired
        a.target = m.retired + 1
        if m.fault is not None and m.retired == t.frontier:
            if a.signal:                 # GDB delivers the fault's signal: the guest ends
                return Outcome("terminated", signal=a.signal)
            return _ended(t)             # run again, fault again
    hooks.skip = a.origin
    last_poll = m.retired
    while True:
        if a.kind == "step" and m.retired >= a.target and m.retired > a.origin:
            return Outcome("stopped", "step")
        if t.live:
            if m.request is not None:
                t.leave_blocked()
                return Outcome("driver", stop=Stop.BLOCKED)
            if m.done:
                return _ended(t)
            if m.retired >= t.slice_end:
                return Outcome("driver", stop=Stop.BUDGET)
        else:
            t.apply_events()
        if m.retired - last_poll >= CHUNK or m.retired == a.origin:
            last_poll = m.retired
            if poll():
                return Outcome("stopped", "interrupt", signals.SIGINT)
        hooks.mode, hooks.stopped = Mode.STOP, None
        before, began = m.retired, time.perf_counter()
        if a.kind == "step":
            stop = t.run_exact(a.target)
        elif t.live:
            end = min(t.slice_end, t._last_checkpoint + t.interval, m.retired + CHUNK)
            stop = t.run(budget=max(1, end - m.retired))
        else:
            end = min(t.frontier, m.retired + CHUNK)
            nxt = t.journal.next_event_position()
            if nxt is not None and nxt > m.retired:
                end = min(end, nxt)
            stop = t.run_exact(end)
        hooks.mode = Mode.OFF
        if not t.live and m.done and m.retired < t.frontier:     # history disagrees: say so,
            raise HistoryError(f"replay ended early ({stop.value}) at {m.retired}")  # not loop
        hit, hooks.stopped = hooks.stopped, None
        if t.live:
            t.frontier = m.retired
            _measure(t, m.retired - before, time.perf_counter() - began)
        if hit is not None:
            if hit.kind == "break":
                t.arrived()
                if a.kind == "step" and m.retired == a.target:
                    return Outcome("stopped", "step")
                return Outcome("stopped", "break")
            t.goto(report_position(t, hit, forward=True), forward=True)
            return Outcome("stopped", hit.kind, address=hit.address)
        if stop is Stop.BLOCKED and m.retired < t.frontier:
            t.apply_answer()
        if t.live:
            t.checkpoint_if_due()
        t.arrived()


def _ended(t: Target) -> Outcome:
    m = t.m
    if m.exit_code is not None:
        return Outcome("exited", code=m.exit_code)
    return Outcome("stopped", "signal", signals.for_reason(m.fault.reason))


def _measure(t: Target, ran: int, seconds: float) -> None:
    """Keep a running estimate of the live speed, for spacing checkpoints."""
    if ran >= 100_000 and seconds > 0:
        t.rate = 0.8 * t.rate + 0.2 * (ran / seconds)


def report_position(t: Target, hit: Hit, forward: bool) -> int:
    """Where GDB wants to see a watchpoint hit (see the module docstring)."""
    w = hit.position
    before = w - 1 if hit.in_slot else w       # a delay slot: the branch before it
    if t.d.watch_before:
        return before if forward else w + 1
    return w + 1 if forward else before


def _backward(t: Target, a: Action, poll) -> Outcome:
    m = t.m
    here = m.retired
    if here <= t.start:
        return Outcome("stopped", "begin")
    if a.kind == "reverse-step":
        t.goto(here - 1, forward=False)
        return Outcome("stopped", "step")
    hi = here
    while hi > t.start:
        cp = t.store.at_or_before(hi - 1)
        hits = _scan(t, cp.position, hi)
        best = _latest(t, hits, here)
        if best is not None:
            t.goto(report_position(t, best, forward=False) if best.kind != "break"
                   else best.position, forward=False)
            return Outcome("stopped", best.kind if best.kind != "break" else "break",
                           address=best.address)
        hi = cp.position
        if poll():
            t.goto(hi)
            return Outcome("stopped", "interrupt", signals.SIGINT)
    t.goto(t.start)
    return Outcome("stopped", "begin")


def _scan(t: Target, low: int, high: int) -> list[Hit]:
    """Every breakpoint and watchpoint hit between two positions, by re-execution."""
    t.goto(low)
    t.hooks.skip = None
    t.hooks.hits = []
    t.goto(high, record=True)
    hits, t.hooks.hits = t.hooks.hits, []
    return [h for h in hits if low <= h.position < high]


def _latest(t: Target, hits: list[Hit], here: int) -> Hit | None:
    """The hit met first going backwards from `here`: a breakpoint at its
    position, a watchpoint's access once undone (one position later)."""
    def key(h: Hit):
        return (h.position, 1) if h.kind == "break" else (h.position + 1, 0)
    chosen = [h for h in hits if h.position < here]
    return max(chosen, key=key) if chosen else None
