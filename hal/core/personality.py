"""What a machine asks of a personality: an operating system's interface,
served on top of the HAL.

NT ran its environment subsystems (Win32, POSIX, OS/2) over one kernel and one
HAL; a halemu machine does the same.  A HAL guest talks to the HAL alone.  A
program built for an operating system (a static Linux executable) traps
with that system's calls, and its personality serves them, using the
machine's own services (console, clock, blocking requests) underneath.

The core knows only this protocol.  Whoever loads a program that needs a
personality attaches its factory to the image (Image.personality; the POSIX
one is hal/personality/), so nothing here imports a personality.
"""
from __future__ import annotations

from typing import Protocol


class Personality(Protocol):
    """One machine's operating-system interface.  Made by the image's factory,
    called with the machine, before the machine maps any memory."""

    default_memory: int     # the memory limit when the user gives none (bytes)
    stack_guard: int        # a page below the stack never mapped: a stack overflow faults there

    def map_memory(self) -> None:
        """Map the program's segments (read/write: the machine protects code
        pages next) and whatever else the program starts with."""

    def enter(self) -> None:
        """Set the registers (and the initial stack) the program starts with."""

    def claims(self, intno: int) -> bool:
        """Is this trap one of ours (a system call), rather than a HAL call?"""

    def syscall(self) -> None:
        """Serve the system call the guest trapped with.  It may end the guest
        (machine.exit, machine.kill) or block it (machine.block)."""

    def in_ram(self, start: int, length: int) -> bool:
        """May the guest's HAL calls name these bytes (mapped, readable)?"""

    def summary(self) -> tuple[tuple[str, int, int, bool], ...]:
        """The calls made: (name, number, count, served), in first-call order."""
