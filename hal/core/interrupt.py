"""Stopping a running guest from outside: what Ctrl-C does to a machine.

Inside emu_start Unicorn runs C, and with the native counter not a line of
Python runs until it returns, so a Python signal handler waits for a loop
that may never end.  What every block does run is the counter's compare
against its guard (the nearer of slice end and instruction limit), so
stopping a machine is setting its slice end to zero: the next block stops,
exactly as at the end of a slice, counted exactly.  request() may be called
from any thread (hal/safety/signals.py calls it from a watcher thread as soon
as SIGINT arrives); Machine.run notices `requested` and raises Interrupted.
"""
from __future__ import annotations

import threading

requested = False      # once set, every machine in this process stops at its next block
running = None         # the machine whose run() was called last (set by Machine.run)
lock = threading.Lock()   # request() against Machine.close(): never touch a freed counter


class Interrupted(BaseException):
    """Stopped by Ctrl-C; the message says how far the guest got.  Like
    KeyboardInterrupt, no `except Exception` catches it on its way out."""
    exit_status = 130


def request() -> None:
    """Stop whatever machine is running here, at its next basic block."""
    global requested
    requested = True
    with lock:
        m = running
        if m is not None and m.uc is not None:
            m.counter.slice_end = 0      # the guard drops to 0: the next block stops


def where() -> str:
    """How far the running (or last) machine got, in words."""
    m = running
    if m is None:
        return "before any guest ran"
    try:
        pc = f", at pc {m.pc:#x}"
    except Exception:                    # its engine already closed
        pc = ""
    return f"{m.name} on {m.backend.name} after {m.retired:,} instructions{pc}"


def check() -> None:
    """Raise Interrupted if a stop was requested."""
    if requested:
        raise Interrupted(where())
