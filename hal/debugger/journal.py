"""The journal: everything that reached a debugged guest from outside, so
that re-executing any stretch of its past gives exactly what it gave live.

A guest is deterministic given its inputs.  Its inputs are: console input
(hal_read and the UART alike), the clock (hal_time and the timer; under the
scheduler it depends on when the guest got its core), the core it runs on,
the answers its driver gave to blocking requests (a value from a channel,
a sleep's virtual time, bytes read), and what the debugger itself wrote
into registers and memory.  Each kind is a list with a cursor; a checkpoint
keeps the cursors, and replay from it reads the lists instead of asking
the outside world again.

When the user writes to registers or memory in the past, the recorded
future no longer follows: the journal is cut there (`cut`), and console
input already read from the host goes back to be read again.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    """What a driver did for one blocking request."""
    position: int                    # the retired count when the guest blocked
    result: int                      # the result register afterwards
    extra_ticks: int                 # the machine's extra virtual time afterwards
    memory: tuple[int, bytes] | None  # bytes the driver wrote into the guest, if any
    cursors: tuple[int, int]         # clock and input cursors afterwards


@dataclass(frozen=True)
class Event:
    """Something applied at an exact position: a new core, or a debugger write."""
    position: int
    kind: str                        # "core", "memory" or "register"
    where: int                       # core id, address, or register number
    data: bytes = b""


@dataclass(frozen=True)
class Cursors:
    clock: int
    input: int
    answers: int
    events: int


@dataclass
class Journal:
    clock: array = field(default_factory=lambda: array("Q"))   # 8 bytes a reading
    input: list[bytes] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    at: list[int] = field(default_factory=lambda: [0, 0, 0, 0])   # the four cursors
    replaying: bool = False
    pushback: bytearray = field(default_factory=bytearray)       # input to read again

    def cursors(self) -> Cursors:
        return Cursors(*self.at)

    def seek(self, c: Cursors) -> None:
        self.at = [c.clock, c.input, c.answers, c.events]

    @property
    def at_end(self) -> bool:
        return self.at == [len(self.clock), len(self.input), len(self.answers), len(self.events)]

    # -- events at positions -------------------------------------------------------
    def next_event_position(self) -> int | None:
        i = self.at[3]
        return self.events[i].position if i < len(self.events) else None

    def take_events(self, position: int) -> list[Event]:
        """The events due at `position`, in order; the cursor moves past them."""
        out = []
        while self.at[3] < len(self.events) and self.events[self.at[3]].position <= position:
            out.append(self.events[self.at[3]])
            self.at[3] += 1
        return out

    def add_event(self, event: Event) -> None:
        self.events.append(event)
        self.at[3] = len(self.events)

    # -- answers --------------------------------------------------------------------
    def next_answer(self) -> Answer | None:
        i = self.at[2]
        if i >= len(self.answers):
            return None
        self.at[2] += 1
        a = self.answers[i]
        self.at[0], self.at[1] = a.cursors
        return a

    def add_answer(self, answer: Answer) -> None:
        self.answers.append(answer)
        self.at[2] = len(self.answers)

    def cut(self) -> None:
        """Forget the recorded future from the cursors on: the past was changed.
        Input already taken from the host will be read again first."""
        c, i, a, e = self.at
        self.pushback[:0] = b"".join(self.input[i:])
        del self.clock[c:], self.input[i:], self.answers[a:], self.events[e:]
        self.replaying = False

    def size(self) -> int:
        """Roughly the bytes the journal holds."""
        return (8 * len(self.clock) + sum(len(b) + 40 for b in self.input)
                + 120 * len(self.answers) + sum(len(e.data) + 100 for e in self.events))


class ClockTap:
    """Stands in for machine.clock: live, asks the real clock and writes the
    answer down; replaying, reads it back."""

    def __init__(self, journal: Journal, clock):
        self.journal = journal
        self.real = clock

    def __call__(self) -> int:
        j = self.journal
        if j.replaying:
            value = j.clock[j.at[0]]
        else:
            value = self.real()
            j.clock.append(value)
        j.at[0] += 1
        return value


class InputTap:
    """Stands in for the console's input stream, the same way."""

    def __init__(self, journal: Journal, stream):
        self.journal = journal
        self.real = stream

    def read1(self, n: int) -> bytes:
        j = self.journal
        if j.replaying:
            data = j.input[j.at[1]]
        else:
            data = self._live(n)
            j.input.append(data)
        j.at[1] += 1
        return data

    read = read1

    def _live(self, n: int) -> bytes:
        j = self.journal
        if j.pushback:
            data = bytes(j.pushback[:n])
            del j.pushback[:n]
            return data
        if self.real is None:
            return b""
        read1 = getattr(self.real, "read1", None)
        return read1(n) if read1 is not None else self.real.read(n)
