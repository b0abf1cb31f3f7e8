"""Run one guest on its own, start to finish: the driver behind `hal run`.

It answers the blocking services a lone guest can use (yield, sleep, read);
those that need other guests (send, recv, wait) belong to the scheduler.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from ..errors import GuestError
from .console import Console
from .faults import Fault
from .loader import Image
from .machine import Machine, Stop
from .memmap import MemoryMap


@dataclass(frozen=True)
class RunResult:
    guest: str
    isa: str
    output: bytes
    retired: int
    hal_calls: int
    exit_code: int | None
    fault: Fault | None
    word_digits: int
    # a C library program's system calls: (name, number on this ISA, count, served)
    system_calls: tuple[tuple[str, int, int, bool], ...] = ()
    errors: bytes = b""         # what it wrote to standard error

    @property
    def status(self) -> int:
        """The process exit status this run deserves."""
        if self.fault is not None:
            return GuestError.exit_status
        return (self.exit_code or 0) & 0xFF

    def error_line(self) -> str:
        assert self.fault is not None
        return (f"{self.guest} on {self.isa}: {self.fault.summary()} "
                f"after {self.retired} instructions")


def new_machine(image: Image, *, memory: MemoryMap | None = None,
                max_instructions: int | None = None, max_output: int | None = None,
                echo: BinaryIO | None = None, stdin: BinaryIO | None = None,
                echo_errors: BinaryIO | None = None, block_counts: bool = True) -> Machine:
    """A machine for `image` whose output is kept, and also written to `echo` as it
    comes (standard error, to `echo_errors`); input comes from `stdin`, for
    hal_read and the UART alike.  block_counts as for Machine."""
    console = Console(echo=echo, input=stdin, echo_errors=echo_errors,
                      **({} if max_output is None else {"limit": max_output}))
    return Machine(image, memory=memory, console=console, max_instructions=max_instructions,
                   block_counts=block_counts)


def run(image: Image, **kwargs) -> RunResult:
    """Run `image` to its end (options as for new_machine).  Nobody can weigh
    this machine's blocks after it (it is closed here), so it keeps only the
    total: on an ISA of fixed width, about half the counting's cost."""
    machine = new_machine(image, block_counts=False, **kwargs)
    try:
        return finish(machine)
    finally:
        machine.close()


def finish(machine: Machine, until: int | None = None) -> RunResult | None:
    """Drive a machine to its end, answering what a lone guest may ask.  With
    `until`, stop instead once it has retired that many instructions (at a
    block boundary) and return None: the machine can be snapshotted and resumed."""
    while True:
        budget = None if until is None else until - machine.retired
        if budget is not None and budget <= 0:
            return None
        stop = machine.run(budget=budget)
        if stop is Stop.BLOCKED:
            answer(machine)
        elif stop is not Stop.BUDGET:
            break
    return RunResult(machine.name, machine.backend.name, machine.console.output, machine.retired,
                     machine.hal_calls, machine.exit_code, machine.fault,
                     machine.backend.word_bytes * 2,
                     machine.os.summary() if machine.os is not None else (),
                     machine.console.errors)


def answer(machine: Machine) -> None:
    """Answer a lone guest's blocking request; those needing partners fail it."""
    req = machine.request
    name = req.service.name
    if name == "yield":
        machine.complete()
    elif name == "sleep":
        machine.extra_ticks += req.args[0]
        machine.complete()
    elif name == "read":
        buf, length = req.args
        data = machine.console.read(min(length, READ_MAX))
        if machine.store(buf, data, f"hal_read of {len(data)} bytes"):
            machine.complete(len(data))
    else:
        machine.fail(f"hal_{name} needs other guests to talk to: run it under the scheduler")


READ_MAX = 1 << 16      # bytes one hal_read may take: a guest asking for 4 GiB reads in pieces


def output_groups(results) -> list[tuple[bytes, list[str]]]:
    """Distinct outputs, each with the ISAs that printed it, in first-seen order."""
    groups: dict[bytes, list[str]] = {}
    for r in results:
        groups.setdefault(r.output, []).append(r.isa)
    return list(groups.items())
