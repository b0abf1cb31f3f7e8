"""Where halemu's own files live: guest sources, the guest SDK, the build cache."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_REPO_GUESTS = PACKAGE.parent / "guests"
GUESTS = _REPO_GUESTS if _REPO_GUESTS.is_dir() else PACKAGE / "guests"   # repo, or installed data
INCLUDE = GUESTS / "include"
LIB = GUESTS / "lib"
LIBC_COMPAT = GUESTS / "libc"     # what makes the C library answer as glibc does
EXPECTED = GUESTS / "expected"


def arch_dir(isa: str) -> Path:
    """arch/<isa>/, wherever hal.arch was installed from."""
    import hal.arch
    return Path(hal.arch.__path__[0]) / isa


def cache_dir() -> Path:
    """Built guests go here; HALEMU_CACHE overrides (tests use a shared one)."""
    env = os.environ.get("HALEMU_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "halemu"


def read_file(path: str | os.PathLike, limit: int, error=None, what: str = "a file") -> bytes:
    """A regular file's bytes, at most `limit` of them, or `error` (a HalError
    class) saying why not.  Checked on the open file itself, never by name
    first: a FIFO would block the open and /dev/zero would never end."""
    import stat

    from .errors import HalError
    error = error or HalError
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not {what}") from None
    except OSError as e:
        raise error(f"{path}: cannot read: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{path}: is a directory, not {what}")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{path}: not a regular file (a device, pipe or socket), so not {what}")
        if st.st_size > limit:
            raise error(f"{path}: {st.st_size:,} bytes is too large for {what} "
                        f"(at most {limit:,})")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise error(f"{path}: cannot read: {e.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise error(f"{path}: too large for {what} (at most {limit:,} bytes)")
    return b"".join(chunks)
