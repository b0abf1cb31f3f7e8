"""The console a guest writes to: kept for comparison, optionally echoed live."""
from __future__ import annotations

from typing import BinaryIO

DEFAULT_LIMIT = 1 << 20   # bytes a guest may write before it is stopped


class ConsoleFull(Exception):
    pass


class Console:
    def __init__(self, echo: BinaryIO | None = None, limit: int = DEFAULT_LIMIT):
        self._chunks: list[bytes] = []
        self._size = 0
        self._echo = echo
        self.limit = limit

    def write(self, data: bytes) -> None:
        if self._size + len(data) > self.limit:
            raise ConsoleFull(f"console output limit of {self.limit} bytes exceeded")
        self._chunks.append(data)
        self._size += len(data)
        if self._echo is not None:
            self._echo.write(data)
            self._echo.flush()

    @property
    def output(self) -> bytes:
        return b"".join(self._chunks)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")
