"""One test on one ISA: run a submission's ELF bytes with the test's input and
limits, compare what it printed, and say what happened in one word.

This is what a worker does, wherever it is: it gets bytes (a Unit), never a
source, so workers need no compiler.  Everything in an Outcome is a function
of the ELF and the test alone (no times, no host names, no paths), which is
why a gradebook is the same byte for byte whatever engine ran it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..core.faults import Fault
from .spec import Test

# what happened, in the words the gradebook uses
PASSED = "passed"
WRONG_OUTPUT = "wrong output"
WRONG_EXIT = "wrong exit status"
FAULT = "fault"
INSTRUCTION_LIMIT = "instruction limit"
OUTPUT_LIMIT = "output limit"
CRASHED = "emulator crashed"        # Unicorn killed its process, twice
HUNG = "emulator hung"              # no answer for far longer than the limit allows, twice
WORKER_DIED = "worker died"         # a host problem, not the program's: retried once, then this
NO_BUILD = "does not build"
REFUSED = "refused"
NOT_LOADED = "not loadable"
ERROR = "internal error"            # a bug of halemu's; the batch goes on and says so

KEEP_OUTPUT = 64 << 10              # output kept for a failed test's diff


@dataclass(frozen=True)
class Unit:
    """What a worker is sent: one submission's ELF for one ISA, and its tests."""
    student: str
    isa: str
    elf: bytes
    tests: tuple[Test, ...]         # those that run on this ISA, in spec order

    @property
    def key(self) -> tuple[str, str]:
        return self.student, self.isa


@dataclass(frozen=True)
class Outcome:
    status: str
    retired: int | None = None      # instructions, exact (None: it never ran)
    exit_code: int | None = None
    output: bytes = b""             # what it printed, kept when it failed (up to KEEP_OUTPUT)
    output_size: int = 0            # how much it printed in all
    detail: str = ""                # the fault report, the compiler's or loader's message

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    def why(self) -> str:
        """One line for the gradebook's notes."""
        first = self.detail.splitlines()[0] if self.detail else ""
        return f"{self.status}: {first}" if first and not self.passed else self.status


def run_test(unit: Unit, test: Test, images: dict | None = None) -> Outcome:
    """Run `test` on the unit's ELF.  `images` caches the parsed ELF by memory size."""
    from ..core import loader, runner
    from ..core.memmap import MemoryMap
    from ..personality import posix
    memory = MemoryMap(test.memory)
    images = {} if images is None else images
    image = images.get(test.memory)
    if image is None:
        try:
            # a C library program gets the POSIX personality: no arguments, no host files
            image = images[test.memory] = posix.adopt(
                loader.parse(unit.elf, Path(f"{unit.student}.elf"), memory))
        except Exception as e:      # LoadError: e.g. larger than this test's memory
            return Outcome(NOT_LOADED, detail=str(e))
    result = runner.run(image, memory=memory, max_instructions=test.max_instructions,
                        max_output=test.max_output, stdin=io.BytesIO(test.stdin))
    return judge(test, result.output, result.exit_code, result.retired, result.fault,
                 result.word_digits)


def judge(test: Test, output: bytes, exit_code: int | None, retired: int,
          fault: Fault | None, digits: int = 8) -> Outcome:
    """What a finished run earns: passed, or the first thing that went wrong."""
    if fault is not None:
        status = classify(fault)
        detail = f"{fault.summary()} after {retired:,} instructions"
        if fault.registers and status == FAULT:
            detail += f"\nregisters: {fault.register_dump(digits)}"
    elif test.passes(output, exit_code):
        return Outcome(PASSED, retired, exit_code, output_size=len(output))
    elif test.exit_code is not None and exit_code != test.exit_code and \
            _any_exit(test).passes(output, exit_code):
        status, detail = WRONG_EXIT, f"exit status {exit_code}, expected {test.exit_code}"
    else:
        status, detail = WRONG_OUTPUT, f"expected {test.expectation}"
    return Outcome(status, retired, exit_code, output[:KEEP_OUTPUT], len(output), detail)


def classify(fault: Fault) -> str:
    """Which of the limits a fault is, if any (the machine's own words)."""
    if fault.reason.startswith("exceeded the instruction limit"):
        return INSTRUCTION_LIMIT
    if "output limit" in fault.reason:
        return OUTPUT_LIMIT
    if fault.reason.startswith("the emulator crashed"):
        return CRASHED
    return FAULT


def _any_exit(test: Test) -> Test:
    from dataclasses import replace
    return replace(test, exit_code=None)
