"""A process's open files: the console as 0, 1 and 2, and, read-only, the
host files the user named on the command line.  Nothing else of the host is
visible: opening any other path is ENOENT, opening a named file for writing
EROFS (a read-only file system, which is what it is)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MAX_FILES = 64                      # RLIMIT_NOFILE
MAX_FILE_BYTES = 256 << 20          # a named file larger than this is EFBIG
S_IFIFO, S_IFREG = 0o010000, 0o100000


@dataclass
class Console:
    """One of the standard streams: the machine's console (input or output)."""
    name: str
    readable: bool


@dataclass
class OpenFile:
    path: str
    data: bytes
    position: int = 0


STDIN, STDOUT, STDERR = Console("stdin", True), Console("stdout", False), Console("stderr", False)


def guest_path(name: str) -> str:
    """Where the guest finds a file: the path as named, the guest's working
    directory being / (so "notes.txt" is "/notes.txt", as is "./notes.txt")."""
    return os.path.normpath(name if name.startswith("/") else "/" + name)


class FileTable:
    def __init__(self, named: dict[str, Path]):
        self.named = named                  # guest path -> the host file behind it
        self.fds: dict[int, Console | OpenFile] = {0: STDIN, 1: STDOUT, 2: STDERR}
        self._contents: dict[str, bytes] = {}   # read once: 64 opens share one copy

    def get(self, fd: int):
        return self.fds.get(fd)

    def open(self, path: str, writing: bool) -> int | str:
        """A new descriptor for `path` (guest-absolute), or an errno name."""
        host = self.named.get(path)
        if host is None:
            return "ENOENT"
        if writing:
            return "EROFS"
        data = self._contents.get(path)
        if data is None:
            # A regular file, up to a size, checked on the open file: one that
            # became a FIFO or /dev/zero since it was named is not read for ever.
            from ..errors import HalError
            from ..paths import read_file
            try:
                data = read_file(host, MAX_FILE_BYTES)
            except HalError as e:
                return "EFBIG" if "too large" in str(e) else "EACCES"
            self._contents[path] = data
        return self._lowest(OpenFile(path, data))

    def close(self, fd: int) -> str | None:
        if self.fds.pop(fd, None) is None:
            return "EBADF"
        return None

    def dup(self, fd: int, to: int | None = None) -> int | str:
        f = self.fds.get(fd)
        if f is None:
            return "EBADF"
        if to is None:
            return self._lowest(f)
        if not 0 <= to < MAX_FILES:
            return "EBADF"
        self.fds[to] = f
        return to

    def _lowest(self, f) -> int | str:
        fd = next((i for i in range(MAX_FILES) if i not in self.fds), None)
        if fd is None:
            return "EMFILE"
        self.fds[fd] = f
        return fd

    @staticmethod
    def mode(f) -> int:
        """st_mode: the console is a pipe (so no C library takes it for a terminal)."""
        return (S_IFIFO | 0o600) if isinstance(f, Console) else (S_IFREG | 0o444)
