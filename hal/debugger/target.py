"""The debugged guest: its machine, seen at one position of its history.

Everything the guest has run since the debugger attached is its history,
from `start` to the `frontier`, the furthest point it has run live.  At the
frontier the guest runs live, under its driver (the lone runner or the
scheduler), and the journal writes down what comes in from outside.
Anywhere before it, the guest is re-executed from the nearest checkpoint,
with the journal's record standing in for the outside world; determinism
makes that exact.  Going back is re-executing less far.

This module holds the state and the two ways of getting somewhere: `goto`
an exact position, and the loop in motion.py that runs until something
happens.  Memory and register writes land here too: at the frontier they
are written down for replay; in the past they cut off the recorded future.
"""
from __future__ import annotations

import time

from ..core.machine import Machine, Stop
from ..core.memmap import IO_WINDOW
from .checkpoints import Store
from .journal import Answer, ClockTap, Event, InputTap, Journal
from .stepping import Hooks, Mode
from .tdesc import Description, RegisterFile

TRAIL = 200_000                 # replays longer than this leave checkpoints on the way
INTERVAL = (250_000, 4_000_000)  # live checkpoints: at least and at most this far apart
OVERHEAD = 0.03                 # ... and spaced so that taking them costs about this much


class HistoryError(Exception):
    """Re-execution did not retrace the recorded past: a bug, never the guest's."""


class EchoGate:
    """Stands in for the console's echo: output shown once is not shown again
    when re-execution writes it a second time."""

    def __init__(self, echo, position: int):
        self.echo = echo
        self.position = position        # bytes of output the console holds
        self.shown = position           # bytes of output ever passed on

    def write(self, data: bytes) -> None:
        start = self.position
        self.position += len(data)
        if self.position > self.shown and self.echo is not None:
            self.echo.write(data[max(0, self.shown - start):])
            self.shown = self.position

    def flush(self) -> None:
        if self.echo is not None:
            self.echo.flush()


class Target:
    def __init__(self, machine: Machine, description: Description, *,
                 rewrite_before_run: bool = True):
        m = self.m = machine
        self.d = description
        # the machine's own run(): a session puts itself in front of machine.run
        self.run = type(machine).run.__get__(machine)
        self.registers = RegisterFile(description, machine.uc)
        self.hooks = Hooks(machine, self.run)
        self.journal = Journal()
        self.store = Store(machine)
        self.start = self.frontier = machine.retired
        self.slice_end = (1 << 64) - 1      # the driver's budget, as a count
        self.run_start = machine.retired     # where the driver's current run() began
        self.rewrite_before_run = rewrite_before_run
        self.interval = INTERVAL[0]
        self.rate = 100e6                    # live instructions per second (motion.py measures)
        self._last_checkpoint = machine.retired
        self._core = machine.core_id
        self._waiting = None                 # the request the driver is answering
        self._pc = machine.backend.reg(machine.backend.regs.pc)
        self._result = machine.backend.reg(machine.backend.regs.result)
        m.clock = ClockTap(self.journal, m.clock)
        m.console.input = InputTap(self.journal, m.console.input)
        self.gate = m.console.echo = EchoGate(m.console.echo, len(m.console.output))
        self.error_gate = m.console.echo_errors = EchoGate(m.console.echo_errors,
                                                           len(m.console.errors))
        self.tape = m.console.output         # output at the frontier: every earlier one is a prefix
        self.error_tape = m.console.errors
        self.calls: dict[str, int] = {}     # HAL calls by service, for `monitor hal`
        from unicorn import UC_HOOK_INTR
        self._trap_hook = m.uc.hook_add(UC_HOOK_INTR, self._on_trap)
        self.checkpoint()

    def _on_trap(self, uc, number, _data):
        service = self.m.last_service          # the machine's own hook ran first
        if number == self.m.backend.trap.interrupt and service is not None:
            self.calls[service.name] = self.calls.get(service.name, 0) + 1
            self.m.last_service = None

    def checkpoint(self) -> None:
        self.store.take(self.journal.cursors(), {"calls": dict(self.calls)})

    # -- where we are ---------------------------------------------------------------
    @property
    def position(self) -> int:
        return self.m.retired

    @property
    def live(self) -> bool:
        return not self.journal.replaying

    # -- the driver's side ----------------------------------------------------------
    def enter_run(self, budget: int | None) -> None:
        """The driver calls run() again: write down how it answered the guest's
        request and which core it gave it; the new budget starts here."""
        m = self.m
        if self._waiting is not None and m.request is None and not m.done:
            self._record_answer(self._waiting)
        self._waiting = None
        if m.core_id != self._core:
            self._core = m.core_id
            self.journal.add_event(Event(m.retired, "core", m.core_id))
        self.run_start = m.retired
        self.slice_end = (1 << 64) - 1 if budget is None else m.retired + budget

    def leave_blocked(self) -> None:
        """The guest blocks at the frontier: its driver answers next."""
        self._waiting = self.m.request

    def _record_answer(self, request) -> None:
        m, j = self.m, self.journal
        result = m.uc.reg_read(self._result)
        memory = None
        if request.service.fills_buffer and 0 < result <= m.memory.size:
            memory = (request.args[0], bytes(m.uc.mem_read(request.args[0], result)))
        j.add_answer(Answer(m.retired, result, m.extra_ticks, memory, (j.at[0], j.at[1])))

    # -- checkpoints ----------------------------------------------------------------
    def checkpoint_if_due(self) -> None:
        """At the frontier, between live chunks: keep checkpoints about
        `interval` apart, the interval sized so they cost ~OVERHEAD of the run."""
        m = self.m
        if m.retired - self._last_checkpoint < self.interval or m.request is not None or m.done:
            return
        began = time.perf_counter()
        self.checkpoint()
        cost = time.perf_counter() - began
        self.interval = int(min(max(cost / OVERHEAD * self.rate, INTERVAL[0]), INTERVAL[1]))
        self._last_checkpoint = m.retired

    def _restore(self, cp) -> None:
        m = self.m
        if self.live:
            self.tape = m.console.output      # the longest output of this timeline
            self.error_tape = m.console.errors
        self.store.restore(cp)
        m.console.rewind(self.tape[:cp.state["console"]], self.error_tape[:cp.state["errors"]])
        self.calls = dict(cp.extra.get("calls", {}))
        self.journal.seek(cp.cursors)
        self.journal.replaying = cp.position < self.frontier or not self.journal.at_end
        self.gate.position = len(self.m.console.output)
        self.error_gate.position = len(self.m.console.errors)

    # -- going to an exact position ---------------------------------------------------
    def goto(self, target: int, forward: bool = True, record: bool = False) -> None:
        """Put the guest at exactly `target` (start <= target <= frontier), or, if
        that is a delay slot, just after it (forward) or at its branch.  With
        `record`, re-execute from where it stands, writing down every hit."""
        m = self.m
        if target == m.retired:
            return
        if self.live:
            if m.retired != self.frontier:
                raise HistoryError("live away from the frontier")
            self.checkpoint()      # so the way back is short
        cp = self.store.at_or_before(target)
        if self.live or m.retired > target or (cp.position > m.retired and not record):
            self._restore(cp)
        self.hooks.mode = Mode.RECORD if record else Mode.OFF
        try:
            self._replay_to(target, forward)
        finally:
            self.hooks.mode = Mode.OFF
        self.arrived()

    def _replay_to(self, target: int, forward: bool) -> None:
        m = self.m
        while m.retired != target:
            self.apply_events()
            end = target
            nxt = self.journal.next_event_position()
            if nxt is not None and nxt < end:
                end = nxt
            if end - m.retired > TRAIL:                  # leave a trail for the next steps back
                stop = self.run(budget=(end - m.retired) // 2)
                if stop is Stop.BUDGET and m.request is None:
                    self.checkpoint()
            else:
                stop = self.run_exact(end, forward if end == target else True)
                if end == target and stop in (Stop.PAUSED, Stop.BUDGET) and (
                        m.retired == (target + 1 if forward else target - 1)):
                    break                                # a delay slot moved it by one
            if stop is Stop.BLOCKED and m.retired < self.frontier:
                self.apply_answer()
            elif stop not in (Stop.PAUSED, Stop.BUDGET, Stop.BLOCKED) and m.retired < self.frontier:
                raise HistoryError(f"replay ended early ({stop.value}) at {m.retired}")
            if m.retired > target + 1:
                raise HistoryError(f"replay passed {target}: at {m.retired}")

    def run_exact(self, end: int, forward: bool = True) -> Stop:
        """Run to exactly `end`, unless a hook or the guest stops it first."""
        m = self.m
        stop = self.run(pause_at=end)
        if stop is Stop.PAUSED and self.hooks.stopped is None and m.retired < end:
            stop = self.hooks.finish(end, forward)
        return stop

    def arrived(self) -> None:
        """After any move: at the frontier, stop replaying."""
        m, j = self.m, self.journal
        if j.replaying and m.retired == self.frontier:
            self.apply_events()
            if not j.at_end:
                raise HistoryError(f"at the frontier ({m.retired}) with journal left over")
            j.replaying = False

    def apply_events(self) -> None:
        """Events recorded at this exact position: a core change or a debugger write."""
        if not self.journal.replaying:
            return
        for e in self.journal.take_events(self.m.retired):
            if e.kind == "core":
                self.m.core_id = e.where
            elif e.kind == "memory":
                self.m.uc.mem_write(e.where, e.data)
            else:
                self.registers.write(self.d.by_number[e.where], e.data)

    def apply_answer(self) -> None:
        m = self.m
        a = self.journal.next_answer()
        if a is None or a.position != m.retired:
            raise HistoryError(f"no recorded answer for the request at {m.retired}")
        if a.memory is not None:
            m.uc.mem_write(*a.memory)
        m.extra_ticks = a.extra_ticks
        m.complete(a.result)

    # -- memory and registers ---------------------------------------------------------
    def read_memory(self, address: int, length: int) -> bytes:
        """What GDB may read: RAM and code, never the device window (reading a
        device register has effects).  Stops at the first unreadable byte."""
        from unicorn import UcError
        b = self.m.backend
        if b.io_base is not None and address < b.io_base + IO_WINDOW and address + length > b.io_base:
            length = max(0, b.io_base - address)
        try:
            return bytes(self.m.uc.mem_read(address, length))
        except UcError:
            out = bytearray()
            for a in range(address, address + length):
                try:
                    out += self.m.uc.mem_read(a, 1)
                except UcError:
                    break
            return bytes(out)

    def write_memory(self, address: int, data: bytes) -> str | None:
        """Write guest memory; None if done, else why not."""
        from unicorn import UC_PROT_WRITE
        end = address + len(data)
        covered = address
        for start, last, perms in sorted(self.m.uc.mem_regions()):
            if start <= covered <= last:
                if not perms & UC_PROT_WRITE:
                    return "read-only memory (code or constants)"
                covered = last + 1
        if data and covered < end:
            return "unmapped memory"
        why = self._make_present()
        if why:
            return why
        self.m.uc.mem_write(address, data)
        self.journal.add_event(Event(self.m.retired, "memory", address, bytes(data)))
        return None

    def write_register(self, number: int, data: bytes) -> str | None:
        reg = self.d.by_number.get(number)
        if reg is None or reg.uc_name is None:
            return "no such register"
        if len(data) != reg.size:
            return f"register {reg.name} is {reg.size} bytes"
        why = self._make_present()
        if why:
            return why
        if not self.registers.write(reg, data):
            return f"cannot write {reg.name}"
        self.journal.add_event(Event(self.m.retired, "register", number, bytes(data)))
        return None

    def _make_present(self) -> str | None:
        """Before a write: in the past, the recorded future is given up and this
        becomes the frontier (GDB's record mode does the same)."""
        m = self.m
        if m.done or m.request is not None:
            return "the guest has ended" if m.done else "the guest is waiting on its driver"
        if self.live:
            return None
        if m.retired < self.run_start and not self.rewrite_before_run:
            return "cannot change the past of a scheduled guest before its current slice"
        self.journal.cut()
        self.tape = m.console.output
        self.error_tape = m.console.errors
        self.store.drop_after(m.retired)
        self.frontier = m.retired
        self.gate.shown = self.gate.position
        self.error_gate.shown = self.error_gate.position
        self._last_checkpoint = min(self._last_checkpoint, m.retired)
        return None

    def release(self) -> None:
        """Detach: back to the frontier, and the machine as it was without us."""
        m = self.m
        if not self.live:
            self.goto(self.frontier)
        self.hooks.remove_all()
        m.uc.hook_del(self._trap_hook)
        m.clock = m.clock.real
        if not self.journal.pushback:
            m.console.input = m.console.input.real
        else:                                   # input read ahead stays first in line
            self.journal.clock.clear()
        m.console.echo = self.gate.echo
        m.console.echo_errors = self.error_gate.echo
