"""`hal trace --syscalls`: a C library program's system calls as strace shows
them, one line each, ending with how the program ended:

    set_tid_address(0x1d2f8) = 100
    ioctl(1, TIOCGWINSZ, 0x7fefffa8) = -1 ENOTTY (Inappropriate ioctl for device)
    writev(1, [{iov_base="Hello, world! 42\\n", iov_len=17}], 2) = 17
    exit_group(0) = ?
    +++ exited with 0 +++

The same program on two ISAs makes nearly the same calls: what differs
(set_thread_area on i386 and MIPS only, mmap2 or mmap, clock_gettime64 on
32-bit ISAs) is architecture-comparison material in itself.  The machine's
personality writes the lines (hal/personality/strace.py); this runs it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import HalError


@dataclass(frozen=True)
class SystemCalls:
    guest: str
    isa: str
    lines: tuple[str, ...]
    exit_code: int | None
    fault: str | None

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def follow(image, *, stdin: bytes | None = None) -> SystemCalls:
    """Run `image` to its end, logging every system call it makes."""
    from . import drive
    machine = drive.machine(image, stdin=stdin)
    if machine.os is None:
        raise HalError(f"{image.name} is a HAL guest: it makes HAL calls, not system calls "
                       f"(`hal run --stats` counts them; `hal trace --function hal_trap` shows them)")
    machine.os.log = []
    drive.to_end(machine)
    fault = machine.fault.summary() if machine.fault else None
    if fault is None:
        end = f"+++ exited with {machine.exit_code} +++"
    else:
        end = f"+++ {machine.fault.reason} +++"
    return SystemCalls(machine.name, image.backend.name, (*machine.os.log, end),
                       machine.exit_code, fault)
