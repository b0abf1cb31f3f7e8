"""One console input for several runs of the same guest (`hal run G --isa
all`), read lazily: nothing is read until a guest asks, so a guest that reads
no input never waits on an open pipe, and one that does sees each line as it
comes, on whichever host process it runs.

What the first reader takes from the source is kept in a spool file, from
which every other run replays it; a lock shared through fork lets one
process at a time read the source.  The spool keeps at most MAX_SPOOL bytes:
after that, every run sees the end of input.
"""
from __future__ import annotations

import os
import tempfile
from typing import BinaryIO

MAX_SPOOL = 64 << 20
CHUNK = 1 << 16


class SharedInput:
    """Made in the parent before workers fork; each run takes a reader()."""

    def __init__(self, source: BinaryIO):
        import multiprocessing
        ctx = multiprocessing.get_context("fork")
        self._source = source.fileno()
        self._lock = ctx.Lock()
        self._length = ctx.Value("q", 0, lock=False)     # bytes in the spool
        self._ended = ctx.Value("b", 0, lock=False)      # the source is exhausted
        self._spool = tempfile.TemporaryFile()

    def reader(self) -> "Reader":
        return Reader(self)

    def _read_at(self, offset: int, n: int) -> bytes:
        """Up to n bytes from `offset`, waiting on the source only if no
        spooled bytes are left there and the source has not ended."""
        with self._lock:
            length = self._length.value
            if offset < length:
                return os.pread(self._spool.fileno(), min(n, length - offset), offset)
            if self._ended.value:
                return b""
            room = MAX_SPOOL - length
            chunk = os.read(self._source, min(max(n, CHUNK), room)) if room > 0 else b""
            if not chunk:
                self._ended.value = 1
                return b""
            os.pwrite(self._spool.fileno(), chunk, length)
            self._length.value = length + len(chunk)
            return chunk[:n]


class Reader:
    """One run's view: the whole input from its start (read1, as a pipe gives it)."""

    def __init__(self, shared: SharedInput):
        self._shared = shared
        self._offset = 0

    def read1(self, n: int = CHUNK) -> bytes:
        if n <= 0:
            return b""
        data = self._shared._read_at(self._offset, n)
        self._offset += len(data)
        return data

    read = read1
