"""Isolated runs: a guest in a worker process, so that a crash inside Unicorn
itself becomes a reported guest failure instead of the death of `hal`.

Unicorn is C; some inputs crash it outright (unicorn-engine/unicorn#2134 on
MIPS, among others).  halemu's memory map defends against the crashes we
know, and this is the net under the ones we do not.  The worker is forked,
so it starts in milliseconds with everything already imported; it writes the
guest's output straight to our stdout and sends back the result.
"""
from __future__ import annotations

import multiprocessing
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
    (None, exitcode) if the worker died without answering.  An exception in
    the worker is raised here."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    worker = ctx.Process(target=_worker, args=(send, fn, args, kwargs), daemon=True)
    worker.start()
    send.close()
    try:
        with signals.deferred():        # Ctrl-C: the worker stops and says how far it got
            kind, value = receive.recv()
    except EOFError:
        kind, value = "died", None
    worker.join()
    receive.close()
    if kind == "died":
        return None, worker.exitcode
    if kind == "error":
        raise value
    return value, None


def _worker(send, fn, args, kwargs) -> None:
    import faulthandler
    faulthandler.disable()      # a crash here is reported by the parent, in one line
    signals.in_worker()
    try:
        with signals.working():
            answer = ("ok", fn(*args, **kwargs))
    except BaseException as e:  # carried to the parent, raised there
        answer = ("error", e)
    sys.stdout.flush()
    try:
        send.send(answer)
    except Exception as e:      # an unpicklable result or exception
        send.send(("error", RuntimeError(f"{type(e).__name__}: {e}")))
    send.close()
    os._exit(0)                 # skip the parent's atexit handlers and buffers
