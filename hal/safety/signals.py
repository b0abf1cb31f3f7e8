"""Ctrl-C: stop the guest within a moment, in this process and in its workers.

Python runs a signal handler only between bytecodes of the main thread, and
a guest looping inside Unicorn's emu_start gives it none.  So install()
also has the signal written to a pipe (signal.set_wakeup_fd, done by
Python's C-level handler the instant SIGINT arrives), and a watcher thread,
blocked on that pipe, calls hal.core.interrupt.request(): the running
machine stops at its next basic block.  emu_start returns, and the Python
handler, which then runs, raises hal.core.interrupt.Interrupted (which,
like KeyboardInterrupt, no `except Exception` stops, and which says how far
the guest got).

Worker processes (`--isa all`, `--jobs`, `--isolate`) are forked: they
inherit neither the thread nor a pipe of their own, so each calls
in_worker() first.  A terminal sends Ctrl-C to the whole process group, but a
parent may be signalled alone (kill -INT), so the parent also tells its
workers: it closes the write end of a pipe that every worker watches.  While
a parent only waits for its workers (deferred()), its handler does not
raise: the workers stop and say how far they got, and the parent reports it.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading

from ..core import interrupt

_installed_in: int | None = None     # the pid that installed, so a fork can tell
_to_workers: tuple[int, int] | None = None   # (read, write): closed write end = stop
_deferred = 0
_sigints = 0                          # Ctrl-Cs this process's handler has seen
_worker = False                       # in a worker: Ctrl-C only ever interrupts its work, once


def install() -> None:
    """Make Ctrl-C stop a running guest at once (main thread only)."""
    global _installed_in, _to_workers
    if _installed_in == os.getpid() or threading.current_thread() is not threading.main_thread():
        return
    _installed_in = os.getpid()
    _to_workers = os.pipe()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGINT, _on_sigint)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    threading.Thread(target=_watch_signals, args=(wake_r,), name="hal-sigint", daemon=True).start()


def in_worker() -> None:
    """First thing in a forked worker: stop when the parent says so, and
    handle our own Ctrl-C as the parent does, but only inside working():
    a worker waiting for work has nothing to stop."""
    global _installed_in, _deferred, _sigints, _worker
    if _installed_in is None or _installed_in == os.getpid():
        return                           # the parent never installed: nothing to inherit
    parent_r, parent_w = _to_workers
    os.close(parent_w)                   # only the parent may close it for real
    _installed_in = None
    _deferred = 1
    _sigints = 0
    _worker = True
    interrupt.requested = False
    interrupt.running = None
    install()
    threading.Thread(target=_watch_parent, args=(parent_r,), name="hal-parent", daemon=True).start()


@contextlib.contextmanager
def deferred():
    """While the parent waits for workers, Ctrl-C asks them to stop (they
    report how far they got) instead of interrupting the wait; a second
    Ctrl-C interrupts anyway."""
    global _deferred
    _deferred += 1
    try:
        yield
    finally:
        _deferred -= 1


@contextlib.contextmanager
def working():
    """A worker's work: here Ctrl-C interrupts (everywhere else it only stops guests)."""
    global _deferred
    saved, _deferred = _deferred, 0
    try:
        yield
    finally:
        _deferred = saved


def _stop_everything() -> None:
    global _to_workers
    first = not interrupt.requested
    interrupt.request()
    if _to_workers is not None and first:
        with contextlib.suppress(OSError):
            os.close(_to_workers[1])     # every worker's watcher sees the end of the pipe


def _on_sigint(signum, frame) -> None:
    global _sigints
    _sigints += 1
    _stop_everything()
    if _worker:
        if not _deferred and _sigints == 1:
            raise interrupt.Interrupted(interrupt.where())
    elif not _deferred or _sigints > 1:
        raise interrupt.Interrupted(interrupt.where())


def _watch_signals(fd: int) -> None:
    while True:
        try:
            data = os.read(fd, 64)
        except OSError:
            return
        if not data:
            return
        if signal.SIGINT in data:
            _stop_everything()


def _watch_parent(fd: int) -> None:
    try:
        while os.read(fd, 64):
            pass
    except OSError:
        return
    if not interrupt.requested:
        os.kill(os.getpid(), signal.SIGINT)   # as if Ctrl-C had reached us too
