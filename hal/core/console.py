"""The guest's console: output kept for comparison and optionally echoed live;
input from a file or the host's stdin.

The console is the one input source of a machine: the hal_read service and
the UART's receive register both read from it, so a guest may use either.
A program built with the C library also has a standard error stream: kept
apart from the output (which is what runs compare) and echoed to its own
stream, as a terminal shows both.
`input`, `echo` and `echo_errors` are public so that a debugger (hal/debugger/) can record
and replay what comes in, and keep rewound output from showing twice.
"""
from __future__ import annotations

from typing import BinaryIO

DEFAULT_LIMIT = 1 << 20   # bytes a guest may write before it is stopped


class ConsoleFull(Exception):
    pass


class Console:
    def __init__(self, echo: BinaryIO | None = None, limit: int = DEFAULT_LIMIT,
                 input: BinaryIO | None = None, echo_errors: BinaryIO | None = None):
        self._chunks: list[bytes] = []
        self._errors: list[bytes] = []
        self.echo_errors = echo_errors
        self._size = 0
        self.echo = echo
        self.input = input
        self.limit = limit

    def restore(self, output: bytes, echo: BinaryIO | None) -> None:
        """Take back output written before a snapshot (not echoed again), then echo."""
        self.write(output)
        self.echo = echo

    def rewind(self, output: bytes, errors: bytes = b"") -> None:
        """Make the output so far `output` again, and standard error `errors` (a
        debugger went back or forth in the guest's history); nothing is echoed."""
        self._chunks = [output] if output else []
        self._errors = [errors] if errors else []
        self._size = len(output) + len(errors)

    def read(self, n: int) -> bytes:
        """Up to n bytes of input, as soon as any are there; b"" at its end (or with none)."""
        if self.input is None or n <= 0:
            return b""
        read1 = getattr(self.input, "read1", None)    # a pipe: what has arrived, not all n
        return read1(n) if read1 is not None else self.input.read(n)

    def write(self, data: bytes) -> None:
        self._put(data, self._chunks, self.echo)

    def error(self, data: bytes) -> None:
        """Standard error: counted against the same limit, kept apart."""
        self._put(data, self._errors, self.echo_errors)

    def _put(self, data: bytes, kept: list, echo: BinaryIO | None) -> None:
        if self._size + len(data) > self.limit:
            raise ConsoleFull(f"console output limit of {self.limit} bytes exceeded")
        kept.append(data)
        self._size += len(data)
        if echo is not None:
            echo.write(data)
            echo.flush()

    @property
    def errors(self) -> bytes:
        return b"".join(self._errors)

    @property
    def output(self) -> bytes:
        return b"".join(self._chunks)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")
