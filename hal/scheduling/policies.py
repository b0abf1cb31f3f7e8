"""Scheduling policies: which ready guest a free core takes next.

Each policy sees the core asking, the virtual time, and the guests that are
ready by then, and returns one of them or None.  Ties always break on
(ready time, arrival order), so every choice is deterministic.
"""
from __future__ import annotations

from typing import Iterable

from .state import Core, Guest

POLICIES = ("pinned", "rr", "affinity", "shares")


def _fifo(g: Guest):
    return (g.ready_since, g.seq)


class Policy:
    name = ""
    describe = ""
    quantum: int | None = None    # set by the scheduler

    def assign(self, guests: list[Guest], cores: list[Core]) -> None:
        """Called once before the run starts."""

    def eligible_at(self, guest: Guest, now: int) -> int:
        """The earliest time >= now at which this guest may run (limits hold guests back)."""
        return now

    def may_run(self, core: Core, guest: Guest) -> bool:
        return True

    def pick(self, core: Core, now: int, ready: Iterable[Guest]) -> Guest | None:
        raise NotImplementedError


class RoundRobin(Policy):
    name = "rr"
    describe = "one global run queue; any free core takes the guest that has waited longest"

    def pick(self, core, now, ready):
        return min(ready, key=_fifo, default=None)


class Pinned(Policy):
    """One OS per box: each guest owns a core for its whole life."""
    name = "pinned"
    describe = "each guest owns one core for its whole life (one OS per box)"

    def assign(self, guests, cores):
        for i, g in enumerate(guests):
            g.home = cores[i % len(cores)].id
        self.shared = len(guests) > len(cores)
        if self.shared:
            on = "one core" if len(cores) == 1 else f"{len(cores)} cores"
            self.describe += (f"; {len(guests)} guests on {on}, so guests "
                              f"are assigned to cores in turn and never move")

    def may_run(self, core, guest):
        return guest.home == core.id

    def pick(self, core, now, ready):
        return min((g for g in ready if g.home == core.id), key=_fifo, default=None)


class Affinity(Policy):
    """Cache affinity: a guest's working set is still warm on the core it last
    ran on, so prefer that core, but never let a guest wait more than one
    quantum longer than the longest-waiting guest (no starvation)."""
    name = "affinity"
    describe = ("prefers the guest that last ran on this core unless another has waited a quantum "
                "longer; a core with none of its own steals")

    def pick(self, core, now, ready):
        queue = sorted(ready, key=_fifo)
        if not queue:
            return None
        patience = queue[0].ready_since + (self.quantum or 0)
        for g in queue:
            if g.last_core == core.id and g.ready_since <= patience:
                return g
        return queue[0]


class Shares(Policy):
    """Proportional share in the manner of VMware ESX.

    Under contention a guest gets CPU in proportion to its shares (weight):
    the next guest is the one with the least run time per share.  A
    reservation (fraction of one core) is served first while the guest is
    below it; a limit (fraction of one core) caps it even when cores idle."""
    name = "shares"
    describe = "proportional share: CPU by weight, with reservations served first and limits as caps"

    def eligible_at(self, guest, now):
        if guest.limit is None:
            return now
        # run time may not exceed limit * elapsed time
        return max(now, _ceil_div(guest.run, guest.limit))

    def pick(self, core, now, ready):
        ready = list(ready)
        if not ready:
            return None
        starved = [g for g in ready if g.reservation and g.run < g.reservation * now]
        if starved:
            return min(starved, key=lambda g: (g.run / g.reservation, *_fifo(g)))
        return min(ready, key=lambda g: (g.run / g.weight, *_fifo(g)))


def _ceil_div(run: int, fraction: float) -> int:
    t = int(run / fraction)
    return t if t * fraction >= run else t + 1


def make(name: str) -> Policy:
    from ..errors import HalError
    classes = {p.name: p for p in (Pinned, RoundRobin, Affinity, Shares)}
    try:
        return classes[name]()
    except KeyError:
        raise HalError(f"unknown policy '{name}' (choose from {', '.join(POLICIES)})") from None
