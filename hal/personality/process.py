"""System calls about the process itself: exit, who it is, what it runs on,
its thread pointer, limits, and signals.

Signals: handlers and masks are recorded (and handed back as the calls
say), but none is ever run.  A signal the program sends itself, as abort()
and raise() do, ends it as the signal's default action would, with the
usual one-line fault report: "killed by SIGABRT (signal 6), from abort()".
Signals whose default is to be ignored, or that the program set to SIG_IGN,
do nothing.
"""
from __future__ import annotations

from .stack import GID, UID

PID, PPID = 100, 1
IGNORED_BY_DEFAULT = ("SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH")
SIG_IGN = 1
RLIMIT_STACK = 3
RLIM64_INFINITY = (1 << 64) - 1
UTSNAME = ("Linux", "halemu", "6.1.0-halemu", "#1 halemu POSIX personality")


def exit_(p, code):
    p.machine.exit(p.int32(code))
    return None


def getpid(p):
    return PID


def getppid(p):
    return PPID


def getuid(p):
    return UID


def getgid(p):
    return GID


def set_tid_address(p, address):
    p.tid_address = address
    return PID


def succeed(p, *args):
    """Calls that have nothing to do here, but must not fail (set_robust_list, madvise...)."""
    return 0


def uname(p, buf):
    fields = (*UTSNAME, p.abi.machine, "(none)")
    data = b"".join(f.encode().ljust(65, b"\0") for f in fields)
    return 0 if p.write(buf, data) else p.error("EFAULT")


def set_thread_area(p, argument):
    return p.abi.set_thread_area(p, argument)


def prlimit64(p, pid, resource, new, old):
    if p.int32(pid) not in (0, PID):
        return p.error("ESRCH")
    if old:
        limit = p.space.stack_size if p.int32(resource) == RLIMIT_STACK else RLIM64_INFINITY
        if not p.write(old, p.pack(limit, 8) + p.pack(RLIM64_INFINITY, 8)):
            return p.error("EFAULT")
    return 0


def getrlimit(p, resource, rlim):
    """getrlimit/ugetrlimit: longs; the stack's size, and no limit on anything else."""
    unlimited = p.backend.word_mask
    limit = p.space.stack_size if p.int32(resource) == RLIMIT_STACK else unlimited
    return 0 if p.write(rlim, p.word(limit) + p.word(unlimited)) else p.error("EFAULT")


def sched_getaffinity(p, pid, size, mask):
    """One CPU: the emulated core the program runs on."""
    width = p.backend.word_bytes
    if p.int32(pid) not in (0, PID):
        return p.error("ESRCH")
    if size < width or size % width:
        return p.error("EINVAL")
    return width if p.write(mask, p.pack(1, width)) else p.error("EFAULT")


# -- signals ----------------------------------------------------------------------------
def rt_sigaction(p, sig, act, old, setsize):
    sig = p.int32(sig)
    size = p.abi.sigaction_size
    if not 1 <= sig <= 64 or act and p.abi.signal_name(sig) in ("SIGKILL", "SIGSTOP"):
        return p.error("EINVAL")
    if old and not p.write(old, p.actions.get(sig, bytes(size))):
        return p.error("EFAULT")
    if act:
        raw = p.read(act, size)
        if raw is None:
            return p.error("EFAULT")
        p.actions[sig] = raw
    return 0


def rt_sigprocmask(p, how, new, old, setsize):
    setsize = min(setsize, 16)
    if old and not p.write(old, p.signal_mask.ljust(setsize, b"\0")[:setsize]):
        return p.error("EFAULT")
    if new:
        raw = p.read(new, setsize)
        if raw is None:
            return p.error("EFAULT")
        p.signal_mask = raw
    return 0


def sigaltstack(p, new, old):
    return 0


def kill(p, pid, sig):
    return _to_self(p, sig) if p.int32(pid) in (0, -1, PID) else p.error("ESRCH")


def tkill(p, tid, sig):
    return _to_self(p, sig) if p.int32(tid) == PID else p.error("ESRCH")


def tgkill(p, tgid, tid, sig):
    return tkill(p, tid, sig) if p.int32(tgid) == PID else p.error("ESRCH")


def _to_self(p, sig):
    sig = p.int32(sig)
    if sig == 0:
        return 0
    if not 1 <= sig <= 64:
        return p.error("EINVAL")
    name = p.abi.signal_name(sig)
    if name in IGNORED_BY_DEFAULT or _handler(p, sig) == SIG_IGN:
        return 0
    how = ", from abort()" if name == "SIGABRT" else ""
    p.machine.kill(f"killed by {name} (signal {sig}){how}")
    return None


def _handler(p, sig) -> int:
    raw = p.actions.get(sig)
    if raw is None:
        return 0
    at, width = p.abi.sigaction_handler_at, p.backend.word_bytes
    return p.unpack(raw[at:at + width])
