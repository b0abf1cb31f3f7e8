"""Debugging guests with GDB: `hal.debug` and `hal.debug_schedule`, what
`hal run --gdb` and `hal schedule --gdb` do.  Each serves the GDB remote
protocol for one guest (hal/debugger/), waits for a client, and returns the
same result a run without the debugger gives once the guest has ended.

    >>> import hal
    >>> hal.debug("fib", isa="mips", gdb="1234")    # then: gdb-multiarch ... target remote :1234
"""
from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from ..core.memmap import MemoryMap
from ..errors import HalError
from .options import DEFAULT_MEMORY, Input, Program, input_stream, load
from .runs import Run, _limits
from .schedules import Guests, Schedule, _plan

__all__ = ["debug", "debug_schedule"]


def debug(program: Program, isa: str | None = None, *, gdb: str = "127.0.0.1:0",
          wait: bool = False, input: Input = None,
          memory: str | int | MemoryMap = DEFAULT_MEMORY, max_instructions: int | None = None,
          max_output: int | None = None, console: str = "trap", echo: BinaryIO | None = None,
          say: Callable[[str], None] | None = None) -> Run:
    """Run a guest on one ISA under GDB, as `hal run PROGRAM --isa ISA --gdb
    ADDRESS` does: wait on `gdb` ([HOST:]PORT; 127.0.0.1 unless a host is
    named; port 0 picks a free one) and serve GDB until the guest ends.  With
    `wait`, a client that disconnects leaves the guest waiting for the next.
    `say` gets the lines a user needs (how to connect); default: stderr.
    Other options as for `hal.run`."""
    from ..core import runner
    from ..debugger.session import Session
    from ..debugger.transport import parse_address
    host, port = parse_address(gdb)
    limits = _limits(memory, max_instructions, max_output)
    images = load(program, isa, console=console, memory=limits["memory"])
    if len(images) != 1:
        raise HalError("hal.debug debugs one guest: give isa='NAME'")
    image = images[0]
    machine = runner.new_machine(image, echo=echo, stdin=input_stream(input), **limits)
    session = Session(machine, image, host, port, wait=wait, say=say)
    try:
        session.start()
        return Run.of(runner.finish(machine))
    finally:
        session.close()


def debug_schedule(guests_or_workload: Guests = (), *, guest: str | int, gdb: str = "127.0.0.1:0",
                   wait: bool = False, workload=None, policy: str | None = None,
                   cores: int | None = None, quantum: int | None = None,
                   switch_cost: int | None = None, max_instructions: int | None = None,
                   memory: str | int | MemoryMap = DEFAULT_MEMORY, max_output: int | None = None,
                   say: Callable[[str], None] | None = None) -> Schedule:
    """A schedule with one guest under GDB, as `hal schedule ... --gdb
    GUEST=ADDRESS` does: `guest` is its label ("consumer@x86") or its number
    (1 for the first).  While GDB holds it stopped, the whole schedule
    waits, so virtual time and the other guests are as without GDB.  Other
    options as for `hal.schedule` and `hal.debug`."""
    from ..debugger.session import Session
    from ..debugger.transport import parse_address
    from ..scheduling import metrics, policies
    from ..scheduling import workload as workloads
    from ..scheduling.scheduler import Scheduler
    host, port = parse_address(gdb)
    plan = _plan(guests_or_workload, workload, cores, quantum, switch_cost, max_instructions,
                 memory, max_output)
    name = policy or plan.settings.get("policy", "rr")
    sched = Scheduler(workloads.resolve(plan.specs), policies.make(name), cores=plan.cores,
                      **plan.options)
    chosen = _pick(sched.guests, guest)
    m = chosen.machine
    session = Session(m, m.image, host, port, wait=wait, scheduled=True, say=say)
    try:
        session.start()
        sched.run()
    finally:
        session.close()
    return Schedule(metrics.collect(sched))


def _pick(guests, which: str | int):
    labels = [g.label for g in guests]
    text = str(which)
    if text.isdigit() and 1 <= int(text) <= len(labels):
        return guests[int(text) - 1]
    if text in labels:
        return guests[labels.index(text)]
    raise HalError(f"--gdb: no guest '{which}' (the guests are {', '.join(labels)}, "
                   f"or their numbers 1 to {len(labels)})")
