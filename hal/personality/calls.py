"""The one table of system calls the POSIX personality serves, by name.

Names are the kernel's (__NR_<name>); each ISA's numbers for them come from
its own headers (abi.py), so one table serves all four ISAs, and a name an
ISA lacks (mmap2 on the 64-bit core, newfstatat on 32-bit ones) is simply
never asked for.  Any call not here returns ENOSYS.

Each entry says how `hal trace --syscalls` shows the arguments, as strace
would (strace.py): d a C int, u an unsigned word, x hex, p a pointer, s a
string, bN the bytes of length argument N, r the bytes the call returned,
vN an iovec array of N entries, sig a signal, io an ioctl request; and how
the result shows: d a number, x an address, - none (the call never returns).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

from . import clock, io, memory, process


class Call(NamedTuple):
    handler: Callable
    args: str = ""
    result: str = "d"
    needs: str = ""             # an ABI field the call cannot be served without

    def served_on(self, abi) -> bool:
        return not self.needs or bool(getattr(abi, self.needs))

    @property
    def arity(self) -> int:
        return len(self.args.split())

    @property
    def formats(self) -> list[str]:
        return self.args.split()


CALLS: dict[str, Call] = {
    # -- files and the console (io.py) --------------------------------------------------
    "read":                   Call(io.read, "d r u"),
    "write":                  Call(io.write, "d b2 u"),
    "readv":                  Call(io.readv, "d p d"),
    "writev":                 Call(io.writev, "d v2 d"),
    "open":                   Call(io.open_, "s x o"),
    "openat":                 Call(io.openat, "d s x o"),
    "close":                  Call(io.close, "d"),
    "dup":                    Call(io.dup, "d"),
    "dup2":                   Call(io.dup2, "d d"),
    "dup3":                   Call(io.dup3, "d d x"),
    "lseek":                  Call(io.lseek, "d d d"),
    "_llseek":                Call(io.llseek, "d d u p d"),
    "fcntl":                  Call(io.fcntl, "d d x"),
    "fcntl64":                Call(io.fcntl, "d d x"),
    "ioctl":                  Call(io.ioctl, "d io p"),
    "statx":                  Call(io.statx, "d s x x p"),
    "fstat":                  Call(io.fstat, "d p", needs="kstat"),
    "newfstatat":             Call(io.newfstatat, "d s p x", needs="kstat"),
    "access":                 Call(io.access, "s d"),
    "faccessat":              Call(io.faccessat, "d s d"),
    "faccessat2":             Call(io.faccessat, "d s d x"),
    "getcwd":                 Call(io.getcwd, "p u"),
    "readlink":               Call(io.no_such_file, "s p u"),
    "readlinkat":             Call(io.no_such_file, "d s p u"),
    # -- memory (memory.py) ---------------------------------------------------------------
    "brk":                    Call(memory.brk, "p", "x"),
    "mmap":                   Call(memory.mmap, "p u x x d x", "x"),
    "mmap2":                  Call(memory.mmap2, "p u x x d x", "x"),
    "munmap":                 Call(memory.munmap, "p u"),
    "mremap":                 Call(memory.mremap, "p u u x p", "x"),
    "mprotect":               Call(memory.mprotect, "p u x"),
    "madvise":                Call(memory.madvise, "p u d"),
    # -- the process (process.py) -----------------------------------------------------------
    "exit":                   Call(process.exit_, "d", "-"),
    "exit_group":             Call(process.exit_, "d", "-"),
    "getpid":                 Call(process.getpid),
    "gettid":                 Call(process.getpid),
    "getppid":                Call(process.getppid),
    "getuid":                 Call(process.getuid),
    "geteuid":                Call(process.getuid),
    "getuid32":               Call(process.getuid),
    "geteuid32":              Call(process.getuid),
    "getgid":                 Call(process.getgid),
    "getegid":                Call(process.getgid),
    "getgid32":               Call(process.getgid),
    "getegid32":              Call(process.getgid),
    "uname":                  Call(process.uname, "p"),
    "set_tid_address":        Call(process.set_tid_address, "p"),
    "set_thread_area":        Call(process.set_thread_area, "p"),
    "set_robust_list":        Call(process.succeed, "p u"),
    "prlimit64":              Call(process.prlimit64, "d d p p"),
    "getrlimit":              Call(process.getrlimit, "d p"),
    "ugetrlimit":             Call(process.getrlimit, "d p"),
    "sched_getaffinity":      Call(process.sched_getaffinity, "d u p"),
    "rt_sigaction":           Call(process.rt_sigaction, "sig p p u"),
    "rt_sigprocmask":         Call(process.rt_sigprocmask, "d p p u"),
    "sigaltstack":            Call(process.sigaltstack, "p p"),
    "kill":                   Call(process.kill, "d sig"),
    "tkill":                  Call(process.tkill, "d sig"),
    "tgkill":                 Call(process.tgkill, "d d sig"),
    # -- time and chance (clock.py) ------------------------------------------------------------
    "clock_gettime":          Call(clock.clock_gettime, "d p"),
    "clock_gettime64":        Call(clock.clock_gettime64, "d p"),
    "clock_getres":           Call(clock.clock_getres, "d p"),
    "clock_getres_time64":    Call(clock.clock_getres_time64, "d p"),
    "gettimeofday":           Call(clock.gettimeofday, "p p"),
    "time":                   Call(clock.time, "p"),
    "nanosleep":              Call(clock.nanosleep, "p p"),
    "clock_nanosleep":        Call(clock.clock_nanosleep, "d x p p"),
    "clock_nanosleep_time64": Call(clock.clock_nanosleep_time64, "d x p p"),
    "sched_yield":            Call(clock.sched_yield),
    "getrandom":              Call(clock.getrandom, "p u x"),
}


def numbers() -> list[tuple[str, dict[str, int | None]]]:
    """Each served call with its number on every ISA (None: that ISA has no
    such call), in the table's order: `hal syscalls`."""
    from ..core import registry
    from .abi import for_backend
    abis = {b.name: for_backend(b) for b in registry.backends()}
    return [(name, {isa: abi.call_numbers.get(name) if call.served_on(abi) else None
                    for isa, abi in abis.items()})
            for name, call in CALLS.items()]
