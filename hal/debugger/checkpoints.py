"""Checkpoints of a debugged guest, within a fixed memory budget.

A checkpoint is the guest's whole state at one exact instruction count: the
CPU (Unicorn's own context, saved and restored in this process and engine
only, never written to a file: unicorn#2319, #2320), RAM page by page, the
machine's counters, its devices and console, and the journal's cursors.
Pages that did not change since the checkpoint before are the same bytes
objects, so a checkpoint costs only what the guest wrote in between.

The store holds at most BUDGET bytes.  When a new checkpoint would pass it,
the one whose removal leaves the smallest gap goes (never the first), so
checkpoints thin out evenly over a long run and a dense trail left by a
reverse step (see target.py) goes first.  Going back to any count costs at
most one gap of re-execution.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..core import fptraps
from ..core.machine import Machine
from ..core.memmap import PAGE
from .journal import Cursors

BUDGET = 48 << 20                # bytes of checkpoints per debugged guest
_ZERO = bytes(PAGE)              # every untouched page is this one object


@dataclass
class Checkpoint:
    position: int                # retired instructions
    context: object              # Unicorn's CPU context
    pages: tuple[bytes, ...]     # RAM, page by page
    state: dict                  # the machine's own fields (capture())
    cursors: Cursors
    context_size: int
    extra: dict                  # the debugger's own per-position state (HAL calls by service)


def capture(m: Machine) -> dict:
    """The machine's fields beyond CPU and RAM, as plain values."""
    return {
        "extra_ticks": m.extra_ticks, "hal_calls": m.hal_calls, "exit_code": m.exit_code,
        "fault": m.fault, "request": m.request, "core_id": m.core_id,
        "console": len(m.console.output), "errors": len(m.console.errors),
        "devices": [{a: getattr(d, a) for a in d.state} for d in m.platform.devices],
        "accesses": m.platform.accesses,
        # the floating-point exceptions asked for (hal_fp_trap), and the
        # instruction whose exceptions the next one's hook will look at
        "fp_traps": (m.fp_traps.mask, m.fp_traps.last) if m.fp_traps else (0, None),
    }


def apply(m: Machine, state: dict) -> None:
    """Put the fields back, all but the console's output (its bytes are the
    target's to give back: see Target.tape)."""
    m.extra_ticks, m.hal_calls = state["extra_ticks"], state["hal_calls"]
    m.exit_code, m.fault, m.request = state["exit_code"], state["fault"], state["request"]
    m.core_id = state["core_id"]
    for d, fields in zip(m.platform.devices, state["devices"]):
        for attr, value in fields.items():
            setattr(d, attr, value)
    m.platform.accesses = state["accesses"]
    m.platform.reset()
    fptraps.restore(m, *state["fp_traps"])


class Store:
    def __init__(self, machine: Machine, budget: int = BUDGET):
        self.m = machine
        self.budget = budget
        self.points: list[Checkpoint] = []
        self._refs: dict[int, list] = {}          # id(page) -> [references, page]
        self.bytes = 0
        self.peak = 0

    def _read_ram(self) -> bytes:
        if self.m.os is None:             # around the stack's unmapped guard page (zeros)
            return self.m.guest_memory.ram()
        mem = self.m.memory
        return bytes(self.m.uc.mem_read(mem.ram_base, mem.size))

    def take(self, cursors: Cursors, extra: dict | None = None) -> Checkpoint:
        """Checkpoint the machine where it stands (between runs)."""
        m = self.m
        ram = self._read_ram()
        near = self.points[self.before(m.retired)] if self.points else None
        old = near.pages if near is not None else ()
        pages = []
        for i, start in enumerate(range(0, len(ram), PAGE)):
            page = ram[start:start + PAGE]
            if i < len(old) and old[i] == page:
                page = old[i]
            elif page == _ZERO:
                page = _ZERO
            pages.append(page)
        ctx = m.uc.context_save()
        cp = Checkpoint(m.retired, ctx, tuple(pages), capture(m), cursors, ctx.size,
                        dict(extra or {}))
        self._insert(cp)
        return cp

    def restore(self, cp: Checkpoint) -> None:
        """Put the machine back exactly as it was at `cp`."""
        m = self.m
        base = m.memory.ram_base
        ram = self._read_ram()
        for i, page in enumerate(cp.pages):
            start = i * PAGE
            if ram[start:start + PAGE] != page:
                m.uc.mem_write(base + start, page)
        m.uc.context_restore(cp.context)
        m.counter.retired = cp.position
        m.counter.forget_last_block()
        apply(m, cp.state)

    def before(self, position: int) -> int:
        """Index of the last checkpoint at or before `position` (-1: none)."""
        return bisect.bisect_right([p.position for p in self.points], position) - 1

    def at_or_before(self, position: int) -> Checkpoint | None:
        i = self.before(position)
        return self.points[i] if i >= 0 else None

    def drop_after(self, position: int) -> None:
        """Forget checkpoints past `position` (the future they hold is gone)."""
        while self.points and self.points[-1].position > position:
            self._release(self.points.pop())

    # -- the budget ----------------------------------------------------------------
    def _insert(self, cp: Checkpoint) -> None:
        i = self.before(cp.position) + 1
        if i > 0 and self.points[i - 1].position == cp.position:
            self._release(self.points.pop(i - 1))       # same count: keep the newer
            i -= 1
        self.points.insert(i, cp)
        self.bytes += cp.context_size + 200
        for page in cp.pages:
            ref = self._refs.get(id(page))
            if ref is None:
                self._refs[id(page)] = [1, page]
                self.bytes += len(page) + 33
            else:
                ref[0] += 1
        while self.bytes > self.budget and len(self.points) > 2:
            self._release(self.points.pop(self._victim(protect=cp)))
        self.peak = max(self.peak, self.bytes)

    def _victim(self, protect: Checkpoint) -> int:
        """The checkpoint whose removal leaves the smallest gap (never the first
        nor the one just taken)."""
        pts = self.points
        best, gap = None, None
        for i in range(1, len(pts)):
            if pts[i] is protect:
                continue
            after = pts[i + 1].position if i + 1 < len(pts) else pts[i].position
            g = after - pts[i - 1].position
            if gap is None or g < gap:
                best, gap = i, g
        return best

    def _release(self, cp: Checkpoint) -> None:
        self.bytes -= cp.context_size + 200
        for page in cp.pages:
            ref = self._refs[id(page)]
            ref[0] -= 1
            if not ref[0]:
                del self._refs[id(page)]
                self.bytes -= len(page) + 33
