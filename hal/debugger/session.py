"""A debugging session: one guest, one listening port, one GDB at a time.

attach() puts the session in front of the machine's run(): its driver (the
lone runner of `hal run`, or the scheduler of `hal schedule`) goes on
calling machine.run(budget) as always, and gets back the same kinds of stop;
in between, the guest is wherever GDB takes it.  While GDB keeps the guest
stopped, its driver waits, and so, under the scheduler, does virtual time.
Without --gdb none of this is imported: a machine's run() is its own.
"""
from __future__ import annotations

import sys

from ..core.machine import Machine, Stop
from .motion import perform
from .server import Control, Server
from .signals import SIGKILL
from .target import Target
from .tdesc import describe
from .transport import Disconnected, Transport


def gdb_command(elf, address: str) -> str:
    """The command line a user types to connect."""
    return f"gdb-multiarch -q {elf} -ex 'target remote {address}'"


class Session:
    def __init__(self, machine: Machine, image, host: str, port: int, *,
                 wait: bool = False, scheduled: bool = False, say=None):
        self.m = machine
        self.image = image
        self.wait = wait
        self.say = say or (lambda text: print(text, file=sys.stderr, flush=True))
        self.transport = Transport(host, port)
        self.target = Target(machine, describe(machine.backend), rewrite_before_run=not scheduled)
        title = machine.name if "@" in machine.name else f"{machine.name} on {machine.backend.name}"
        self.server = Server(self.target, self.transport, image, title)
        self.action = None
        self.detached = False
        self.ended = False
        machine.run = self.run          # the drivers call machine.run(); we stand in front

    # -- connecting ---------------------------------------------------------------------
    def announce(self) -> None:
        m = self.m
        who = m.name if "@" in m.name else f"{m.name} on {m.backend.name}"
        self.say(f"hal: {who} waits for GDB on {self.transport.address}; "
                 f"connect with:\n  {gdb_command(self.image.path, self.transport.address)}")

    def start(self) -> None:
        """Wait for the first client and let it look around before anything runs."""
        self.announce()
        self._accept()
        self.action = self._serve()

    def _accept(self) -> None:
        peer = self.transport.accept()
        self.target.hooks.remove_all()     # a new client inserts the breakpoints it wants
        self.say(f"hal: GDB connected from {peer}")

    def _serve(self):
        while True:
            try:
                return self.server.serve()
            except Disconnected:
                self._lost()
                if not self.wait:
                    return Control.LOST

    def _lost(self) -> None:
        if self.wait:
            self.say(f"hal: GDB disconnected; the guest waits at instruction {self.m.retired} "
                     f"for a new connection on {self.transport.address}")
            self._accept()
            self.server.last_stop = f"S{5:02x}"

    # -- the driver's run() ----------------------------------------------------------------
    def run(self, budget: int | None = None, **kwargs) -> Stop:
        if self.detached:
            return Machine.run(self.m, budget, **kwargs)
        t = self.target
        t.enter_run(budget)
        while True:
            if self.action is None:
                self.action = self._serve()
            if self.action is Control.KILL:
                return self._end("killed by the debugger")
            if self.action is Control.LOST:
                return self._end("the debugger disconnected")
            if self.action is Control.DETACH:
                return self._detach(budget)
            try:
                outcome = perform(t, self.action, self.server.interrupted)
            except Disconnected:
                self._lost()
                self.action = None if self.wait else Control.LOST
                continue
            if outcome.kind == "driver":
                return outcome.stop
            self.action = None
            try:
                self.server.report(outcome)
            except Disconnected:
                pass
            if outcome.kind == "exited":
                return self._finish(Stop.EXITED)
            if outcome.kind == "terminated":     # the fault's signal delivered: it stands
                return self._finish(Stop.FAULTED)

    def _end(self, reason: str) -> Stop:
        """Killed, or the client went away: the guest ends here, as a fault."""
        m = self.m
        if m.fault is None:
            m.fail(reason)
        return self._finish(Stop.FAULTED)

    def _finish(self, stop: Stop) -> Stop:
        self.ended = True
        self.transport.wait_closed(2.0)
        self.transport.close()
        return stop

    def _detach(self, budget) -> Stop:
        t, m = self.target, self.m
        t.release()
        self.detached = True
        self.transport.drop()
        self.transport.close()
        self.say(f"hal: GDB detached; {m.name} runs on")
        if m.request is not None:
            return Stop.BLOCKED
        if m.done:
            return Stop.FAULTED if m.fault else Stop.EXITED
        left = None if budget is None else max(1, t.slice_end - m.retired)
        return Machine.run(m, left)

    def close(self) -> None:
        """The driver is done (or gave up): tell a client still there, and hang up."""
        if not self.ended and not self.detached:
            if self.transport.connected:
                try:
                    self.server.reply(f"X{SIGKILL:02x}")
                except Disconnected:
                    pass
            self.transport.close()
            self.ended = True
