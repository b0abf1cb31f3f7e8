"""The thin scheduler: many guests, of any ISAs, multiplexed over N emulated
cores on a deterministic virtual clock.

Time is virtual.  One tick is one retired guest instruction (counted exactly
by the machine), and loading a different guest onto a core costs
`switch_cost` ticks.  Each core keeps its own clock.

Events are seen in time order.  Between two HAL requests a guest touches
nothing but itself, so a slice runs eagerly, and the core's clock moves on
with it.  But a request (send, recv, wait, sleep, yield, read) or an exit can
touch other guests, so the guest stops there and *holds* its core, whose
clock now says when the request was made; the loop always serves the core
furthest behind, so the request is answered only once every other core has
reached its time.  A guest is therefore never woken, handed a message or told
of an exit before its own clock got there, and never runs in two places at
once.  The same workload always produces the same timeline.  Wall-clock time
never enters.

A guest leaves its core when its quantum is used up, when it blocks (sleep,
recv on an empty channel, send to a full one, wait for a guest still
running), or when it ends.  Cores with nothing to run jump ahead to the next
event.  When nothing can ever run again but guests remain, that is a
deadlock: the run stops there, keeping every guest's output and statistics,
and `deadlock` says who waits on what.

Accounting: a guest's life, from tick 0 to its completion (or to the end of
the run), is split exactly into run, ready, limited and blocked ticks.  The
ticks a core spends loading a guest (the switch cost) count as that guest's
ready ticks: it is runnable but not yet running.
"""
from __future__ import annotations

from ..core.console import Console
from ..core.machine import Machine, Stop, signed
from ..core.memmap import MemoryMap
from .policies import Policy
from .state import Channel, Core, Guest, GuestConfig, Segment, State

DEFAULT_QUANTUM = 10_000
DEFAULT_CHANNEL_CAPACITY = 8


class Scheduler:
    def __init__(self, configs: list[GuestConfig], policy: Policy, *, cores: int = 2,
                 quantum: int | None = DEFAULT_QUANTUM, switch_cost: int = 0,
                 memory: MemoryMap | None = None, max_instructions: int | None = None,
                 channel_capacity: int = DEFAULT_CHANNEL_CAPACITY, max_output: int | None = None):
        self.policy = policy
        policy.quantum = quantum
        self.quantum = quantum
        self.switch_cost = switch_cost
        self.cores = [Core(i) for i in range(cores)]
        self.channel_capacity = channel_capacity
        self.channels: dict[int, Channel] = {}
        self.timeline: list[Segment] = []
        self.events: list[dict] = []     # blocks, wake-ups, messages and exits, in time order
        self.deadlock: str | None = None
        self._messages = 0
        self.guests = []
        for gid, cfg in enumerate(configs):
            console = Console() if max_output is None else Console(limit=max_output)
            m = Machine(cfg.image, name=cfg.label, memory=memory, console=console,
                        max_instructions=max_instructions)
            m.arg = cfg.arg
            g = Guest(gid, cfg, m)
            m.clock = self._clock_of(g)
            self.guests.append(g)
        policy.assign(self.guests, self.cores)
        # Which of the policy's questions need asking at all (the loop runs
        # once per slice, and a slice is only some 50 us of emulation)
        self._ask_may_run = type(policy).may_run is not Policy.may_run
        self._ask_eligible = type(policy).eligible_at is not Policy.eligible_at
        self.makespan = 0
        self._live = len(self.guests)
        self._sleepers: list[Guest] = []

    @staticmethod
    def _clock_of(g: Guest):
        """hal_time() for a guest: the virtual time on the core running it."""
        m = g.machine
        return lambda: g.slice_start + (m.retired - g.slice_first)

    # -- the main loop -------------------------------------------------------------
    def run(self) -> "Scheduler":
        cores, pick = self.cores, self.policy.pick
        while self._live:
            now = min([c.clock for c in cores])
            if self._sleepers:
                self._wake_sleepers(now)
            held = [c for c in cores if c.holding is not None and c.clock == now]
            if held:
                self._resume(held[0], now)
                continue
            for core in cores:
                if core.clock == now:
                    guest = pick(core, now, self._runnable(core, now))
                    if guest is not None:
                        self._dispatch(core, guest, now)
                        break
            else:
                later = self._next_event(now)
                if later is None:
                    self._deadlocked(now)
                    break
                self._idle_until(later, now)
        self.makespan = max(c.clock for c in self.cores)
        for c in self.cores:
            self._idle(c, self.makespan)
        for g in self.guests:          # deadlocked ones too: free every engine now
            g.machine.close()
        return self

    def _runnable(self, core: Core, now: int) -> list[Guest]:
        ready = [g for g in self.guests if g.state is State.READY and g.ready_since <= now]
        if self._ask_may_run:
            ready = [g for g in ready if self.policy.may_run(core, g)]
        if self._ask_eligible:
            ready = [g for g in ready if self.policy.eligible_at(g, now) <= now]
        return ready

    def _next_event(self, now: int) -> int | None:
        """When something can next happen: a core catching up, a sleeper waking,
        a ready guest becoming eligible.  None: nothing ever will (deadlock)."""
        times = [c.clock for c in self.cores if c.clock > now]
        times += [g.wake_at for g in self._sleepers]
        for g in self.guests:
            if g.state is State.READY:
                times.append(self.policy.eligible_at(g, max(now, g.ready_since)))
        later = [t for t in times if t > now]
        return min(later) if later else None

    def _idle_until(self, t: int, now: int) -> None:
        for c in self.cores:
            if c.clock == now:
                self._idle(c, t)

    def _idle(self, core: Core, t: int) -> None:
        if t > core.clock:
            self._segment(core, core.clock, t, "idle")
            core.idle += t - core.clock
            core.clock = t

    def _wake_sleepers(self, now: int) -> None:
        for g in sorted((g for g in self._sleepers if g.wake_at <= now),
                        key=lambda g: (g.wake_at, g.id)):          # in time order
            self._sleepers.remove(g)
            self._make_ready(g, g.wake_at)
            g.machine.complete()

    # -- running one slice ---------------------------------------------------------
    def _dispatch(self, core: Core, g: Guest, now: int) -> None:
        held = 0                   # of the wait, the part a limit held the guest back
        if self._ask_eligible:
            held = max(0, min(self.policy.eligible_at(g, g.ready_since), now) - g.ready_since)
            g.limited += held
        g.ready += now - g.ready_since - held
        if core.last_guest != g.id:
            if self.switch_cost:
                self._segment(core, core.clock, core.clock + self.switch_cost, "switch", g.id)
                core.clock += self.switch_cost
                core.switch += self.switch_cost
                g.ready += self.switch_cost        # runnable, not yet running
            core.last_guest = g.id
        if g.last_core != core.id:             # g.cores ends with g.last_core
            if g.last_core is not None:
                g.migrations += 1
            g.last_core = core.id
            g.cores.append(core.id)
        g.slices += 1
        g.state = State.RUNNING
        g.slice_start = core.clock
        g.slice_first = g.machine.retired
        g.machine.core_id = core.id
        self._go_on(core, g)

    def _go_on(self, core: Core, g: Guest) -> None:
        """Run g on core until its quantum ends, or until it asks for a service
        or ends: then it holds the core until every other core has caught up."""
        m = g.machine
        used = m.retired - g.slice_first
        stop = m.run(None if self.quantum is None else self.quantum - used)
        core.clock = g.slice_start + (m.retired - g.slice_first)
        if stop is Stop.BUDGET:
            self._end_slice(core, g)
            self._make_ready(g, core.clock)
        else:
            core.holding = g

    def _resume(self, core: Core, now: int) -> None:
        """Every core has reached `now`: answer the holding guest's request (or
        see to its end), then let it run on if it may."""
        g, core.holding = core.holding, None
        m = g.machine
        if not m.done and self._serve(g, now):
            if self.quantum is None or m.retired - g.slice_first < self.quantum:
                self._go_on(core, g)
                return
        self._end_slice(core, g)
        if m.done:
            self._finish(g, now)
        elif g.state is not State.BLOCKED:
            self._make_ready(g, now)

    def _end_slice(self, core: Core, g: Guest) -> None:
        used = core.clock - g.slice_start
        core.busy += used
        g.run += used
        self._segment(core, g.slice_start, core.clock, "run", g.id)

    def _segment(self, core: Core, start: int, end: int, kind: str, guest: int | None = None):
        if end > start:
            self.timeline.append(Segment(core.id, start, end, kind, guest))

    def _event(self, t: int, g: Guest, kind: str, **about) -> None:
        self.events.append({"tick": t, "guest": g.id, "kind": kind, **about})

    def _make_ready(self, g: Guest, t: int) -> None:
        if g.state is State.BLOCKED:
            g.blocked += t - g.blocked_since
            self._event(t, g, "wake")
        g.state = State.READY
        g.ready_since = t
        g.wake_at = None
        g.waiting_on = ""

    def _block(self, g: Guest, t: int, why: str) -> None:
        g.state = State.BLOCKED
        g.blocked_since = t
        g.waiting_on = why
        self._event(t, g, "block", why=self._describe(why))

    def _finish(self, g: Guest, t: int) -> None:
        g.state = State.DONE
        g.completion = t
        self._live -= 1
        g.machine.close()              # its numbers and output stay; its engine goes
        code = g.machine.exit_code if g.machine.fault is None else -1
        self._event(t, g, "exit" if g.machine.fault is None else "fault", code=code)
        for w in self.guests:
            if w.state is State.BLOCKED and w.waiting_on == f"wait:{g.id}":
                w.machine.complete(code)
                self._make_ready(w, t)

    def _deadlocked(self, now: int) -> None:
        """Nothing can ever run again: stop the clock here, charging each guest
        left its wait up to now, and say who waits on what."""
        waits = []
        for g in self.guests:
            if g.state is State.BLOCKED:
                g.blocked += now - g.blocked_since
                g.blocked_since = now
                waits.append(f"{g.label} waits in {self._describe(g.waiting_on)}")
            elif g.state is State.READY:
                g.ready += now - g.ready_since
                g.ready_since = now
        self.deadlock = f"deadlock at tick {now}: " + "; ".join(waits)

    def _describe(self, why: str) -> str:
        if why.startswith("wait:"):
            return f"wait for {self.guests[int(why[5:])].label}"
        return why

    # -- blocking services -----------------------------------------------------------
    def _serve(self, g: Guest, t: int) -> bool:
        """Answer g's request at time t.  True: g may go on running now."""
        m = g.machine
        req = m.request
        name, args = req.service.name, req.args
        if name == "yield":
            m.complete()
            self._make_ready(g, t)
            return False
        if name == "sleep":
            self._block(g, t, f"sleeping until tick {t + args[0]}")
            g.wake_at = t + args[0]
            self._sleepers.append(g)
            return False
        if name == "read":              # scheduled guests have no console input
            m.complete(0)
            return True
        if name == "wait":
            target = signed(args[0], m.backend.bits)
            if not 0 <= target < len(self.guests) or target == g.id:
                m.fail(f"hal_wait({target}): no such other guest")
                return False
            other = self.guests[target]
            if other.state is State.DONE:
                m.complete(other.machine.exit_code if other.machine.fault is None else -1)
                return True
            self._block(g, t, f"wait:{target}")
            return False
        number = args[0]
        chan = self.channels.setdefault(number, Channel(self.channel_capacity))
        if name == "send":
            value = signed(args[1], m.backend.bits)      # a number, whatever the ISA
            if chan.receivers or len(chan.values) < chan.capacity:
                self._accept(chan, number, g, value, t)
                m.complete()
                return True
            chan.senders.append((g, value))
            self._block(g, t, f"send on channel {number} (full)")
            return False
        if name == "recv":
            if chan.values:
                value, message = chan.values.popleft()
                self._event(t, g, "recv", channel=number, value=value, message=message)
                m.complete(value)
                if chan.senders:
                    s, value = chan.senders.popleft()
                    self._make_ready(s, t)
                    self._accept(chan, number, s, value, t)
                    s.machine.complete()
                return True
            chan.receivers.append(g)
            self._block(g, t, f"recv on channel {number} (empty)")
            return False
        raise AssertionError(f"unhandled blocking service {name}")

    def _accept(self, chan: Channel, number: int, sender: Guest, value: int, t: int) -> None:
        """A value enters a channel at t: to a waiting receiver, else into the buffer."""
        self._messages += 1
        message = self._messages
        self._event(t, sender, "send", channel=number, value=value, message=message)
        if chan.receivers:
            r = chan.receivers.popleft()
            self._make_ready(r, t)
            self._event(t, r, "recv", channel=number, value=value, message=message)
            r.machine.complete(value)
        else:
            chan.values.append((value, message))
