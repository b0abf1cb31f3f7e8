"""What the scheduler keeps about each guest, core and channel: plain records
that the scheduler updates and the policies read."""
from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass, field

from ..core.loader import Image
from ..core.machine import Machine


class State(enum.Enum):
    READY = "ready"
    RUNNING = "running"           # on a core, or holding one while its request waits its turn
    BLOCKED = "blocked"
    DONE = "done"


@dataclass
class GuestConfig:
    """One guest of a workload, as the user described it."""
    label: str
    image: Image
    weight: float = 1.0           # shares
    reservation: float = 0.0      # guaranteed fraction of one core
    limit: float | None = None    # cap, as a fraction of one core
    arg: int = 0                  # what hal_arg() returns


@dataclass(slots=True)
class Segment:
    """A stretch of one core's timeline."""
    core: int
    start: int
    end: int
    kind: str                     # "run", "switch" or "idle"
    guest: int | None = None


class Guest:
    """A guest virtual machine under the scheduler, with its accounting."""

    def __init__(self, gid: int, cfg: GuestConfig, machine: Machine):
        self.id = gid
        self.seq = gid                    # arrival order, for FIFO ties
        self.label = cfg.label
        self.machine = machine
        self.weight = cfg.weight
        self.reservation = cfg.reservation
        self.limit = cfg.limit
        self.state = State.READY
        self.ready_since = 0
        self.blocked_since = 0
        self.wake_at: int | None = None   # sleeping until
        self.waiting_on = ""              # what a blocked guest waits for, in words
        self.home: int | None = None      # the core a pinned guest owns
        self.last_core: int | None = None
        self.run = self.ready = self.limited = self.blocked = 0
        self.slices = self.migrations = 0
        self.cores: list[int] = []
        self.completion: int | None = None
        self.slice_start = self.slice_first = 0   # when and at what count this slice began

    @property
    def isa(self) -> str:
        return self.machine.backend.name


@dataclass(slots=True)
class Core:
    id: int
    clock: int = 0
    busy: int = 0
    idle: int = 0
    switch: int = 0
    last_guest: int | None = None
    holding: Guest | None = None  # stopped at `clock` with a request or an exit to be seen to


@dataclass
class Channel:
    capacity: int
    values: deque = field(default_factory=deque)       # (value, message number)
    receivers: deque = field(default_factory=deque)    # guests blocked in recv
    senders: deque = field(default_factory=deque)      # (guest, value) blocked in send
