"""The HAL service table: the one numbered list of what a guest may ask the HAL.

It is the single source for the Python dispatcher (hal/core/machine.py looks
services up here by number) and for the guest side: the C stubs in
guests/include/hal_services.h are generated from it (`hal header`), and a
test checks that the committed header matches.
"""
from __future__ import annotations

from typing import NamedTuple


class Service(NamedTuple):
    number: int
    name: str
    args: tuple[str, ...]   # C parameter declarations, each one machine word
    returns: str            # C return type ("void" where nothing comes back)
    blocking: bool          # may take the guest off its core (the scheduler's business)
    doc: str
    noreturn: bool = False
    # the driver answers by writing `result` bytes into guest memory at the
    # first argument (what a debugger's journal must record to replay it)
    fills_buffer: bool = False


SERVICES: tuple[Service, ...] = (
    Service(1, "exit", ("long code",), "void", False,
            "end the guest; code becomes its exit status", noreturn=True),
    Service(2, "write", ("const void *buf", "unsigned long len"), "long", False,
            "write len bytes to the console; returns the count written"),
    Service(3, "time", (), "unsigned long", False,
            "virtual ticks (retired instructions) on this guest's clock"),
    Service(4, "core_id", (), "long", False,
            "the emulated core the guest is running on"),
    Service(5, "isa_id", (), "long", False,
            "which ISA runs the guest (HAL_ISA_* below)"),
    Service(6, "yield", (), "void", True,
            "give up the core to another ready guest"),
    Service(7, "sleep", ("unsigned long ticks",), "void", True,
            "block for this many virtual ticks"),
    Service(8, "send", ("long channel", "long value"), "void", True,
            "send a number on a channel; blocks while the channel is full"),
    Service(9, "recv", ("long channel",), "long", True,
            "receive a number from a channel; blocks until one arrives"),
    Service(10, "wait", ("long guest",), "long", True,
            "block until another guest exits; returns its exit code"),
    Service(11, "read", ("void *buf", "unsigned long len"), "long", True,
            "read up to len bytes of console input; returns the count, 0 at end",
            fills_buffer=True),
    Service(12, "arg", (), "long", False,
            "the number the workload gave this guest (guest@isa:arg=N; 0 if none)"),
    Service(13, "fp_trap", ("unsigned long excepts",), "unsigned long", False,
            "trap on these floating-point exceptions (HAL_FE_*) from now on, 0 for none; "
            "returns the set before"),
)

# In a program built with the C library, the trap instruction also serves
# Linux system calls (on MIPS, PowerPC and the Alpha-like core it is the very
# same instruction, and PowerPC's and RISC-V's Linux numbers start at 0), so
# there HAL service n is asked for as LIBC_TAG | n: "HA" in the top half, far
# above every ISA's Linux numbers (MIPS o32's, the highest, end below 5000).
LIBC_TAG = 0x4841_0000
TAG_MASK = 0xFFFF_0000

BY_NUMBER: dict[int, Service] = {s.number: s for s in SERVICES}
BY_NAME: dict[str, Service] = {s.name: s for s in SERVICES}
