"""Isolated runs: a guest in a worker process, so that a crash inside Unicorn
itself becomes a reported guest failure instead of the death of `hal`.

Unicorn is C; some inputs crash it outright (unicorn-engine/unicorn#2134 on
MIPS, among others).  halemu's memory map defends against the crashes we
know, and this is the net under the ones we do not.  The worker is forked
(os.fork), so it starts in a millisecond with everything already imported;
it writes the guest's output straight to our stdout and sends back the
result, pickled, through a pipe that it closes by exiting.  That is all
multiprocessing would do here, and importing it costs every `hal run`
about 10 ms (hal/grading/workers.py forks as directly, for its own reasons).
"""
from __future__ import annotations

import os
import signal
import sys
from typing import Callable

from ..core.faults import Fault
from . import signals


def crashed_fault(exitcode: int | None) -> Fault:
    """What to report when the worker died without an answer."""
    if exitcode is not None and exitcode < 0:
        how = f"signal {signal.Signals(-exitcode).name}"
    else:
        how = f"exit status {exitcode}"
    return Fault(f"the emulator crashed ({how}); halemu survived because the guest ran isolated",
                 0, "??", None, ())


def call_isolated(fn: Callable, *args, **kwargs):
    """fn(*args, **kwargs) in a forked worker.  Returns (result, None), or
    (None, exitcode) if the worker died without answering (exitcode: minus
    the signal's number if a signal ended it).  An exception in the worker
    is raised here."""
    import gc
    import pickle
    _reap_answered()
    receive, send = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    # The worker's garbage collections leave the parent's objects alone (as
    # the gc module's documentation advises before a fork): touching each one
    # would copy its page, some 5 ms of a C library program's run
    gc.freeze()
    pid = os.fork()
    if pid == 0:                        # the worker: never returns
        os.close(receive)
        _worker(send, fn, args, kwargs)
    gc.unfreeze()
    os.close(send)
    chunks = []
    try:
        with signals.deferred():        # Ctrl-C: the worker stops and says how far it got
            while chunk := os.read(receive, 1 << 16):
                chunks.append(chunk)
    except BaseException:               # a second Ctrl-C: the worker goes too, at once
        _kill(pid)
        raise
    finally:
        os.close(receive)
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:                   # no answer, or cut short: it died while sending
        _, status = os.waitpid(pid, 0)
        return None, os.waitstatus_to_exitcode(status)
    _answered.append(pid)
    if kind == "error":
        raise value
    return value, None


# Workers that answered, still to be reaped.  A worker that has answered has
# nothing more to say, and waiting while the kernel takes its memory apart
# costs a `hal run` about 3 ms; so it is reaped at the next isolated call,
# or, when `hal` exits first, by init, which adopts it.
_answered: list[int] = []


def _reap_answered() -> None:
    for pid in list(_answered):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:       # someone else reaped it
            done = pid
        if done:
            _answered.remove(pid)


def _worker(send: int, fn, args, kwargs) -> None:
    import faulthandler
    import pickle
    faulthandler.disable()      # a crash here is reported by the parent, in one line
    try:
        signals.in_worker()
        with signals.working():
            answer = ("ok", fn(*args, **kwargs))
    except BaseException as e:  # carried to the parent, raised there
        answer = ("error", e)
    try:
        sys.stdout.flush()
        try:
            data = pickle.dumps(answer)
        except Exception as e:      # an unpicklable result or exception
            data = pickle.dumps(("error", RuntimeError(f"{type(e).__name__}: {e}")))
        with open(send, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)                 # skip the parent's atexit handlers and buffers


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    os.waitpid(pid, 0)
