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
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return None, os.waitstatus_to_exitcode(status)
    try:
        kind, value = pickle.loads(b"".join(chunks))
    except Exception:                   # cut short: it died while sending
        return None, os.waitstatus_to_exitcode(status)
    if kind == "error":
        raise value
    return value, None


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
