"""System calls on files and the console: read and write, open and close,
seek, stat, ioctl.  Each takes the process and the call's raw argument
words, and returns the result (negative: -errno)."""
from __future__ import annotations

import struct

from .files import MAX_FILES, Console, OpenFile, guest_path

AT_FDCWD = -100
AT_EMPTY_PATH = 0x1000
O_ACCMODE = 3
SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2
F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC = 0, 1, 2, 3, 4, 1030
MAX_IO = 1 << 20            # bytes one read or write moves at most (as Linux caps at 2 GiB)


def _fd(p, fd):
    return p.files.get(p.int32(fd))


# -- read and write -----------------------------------------------------------------
def read(p, fd, buf, count):
    f = _fd(p, fd)
    if f is None or (isinstance(f, Console) and not f.readable):
        return p.error("EBADF")
    count = min(count, MAX_IO)
    if not p.space.writable(buf, count):
        return p.error("EFAULT")
    if isinstance(f, Console):
        data = p.machine.console.read(count)
    else:
        data = f.data[f.position:f.position + count]
        f.position += len(data)
    p.write(buf, data)
    return len(data)


def write(p, fd, buf, count):
    f = _fd(p, fd)
    if f is None or not isinstance(f, Console) or f.readable:
        return p.error("EBADF")
    data = p.read(buf, min(count, MAX_IO))
    if data is None:
        return p.error("EFAULT")
    if f.name == "stderr":
        p.machine.console.error(data)
    else:
        p.machine.console.write(data)
    return len(data)


def _vector(p, iov, count):
    """An iovec array as (base, length) pairs, or None if it is not readable."""
    w = p.backend.word_bytes
    if not 0 <= p.int32(count) <= 1024:
        return None
    raw = p.read(iov, 2 * w * p.int32(count))
    if raw is None:
        return None
    words = [p.unpack(raw[i:i + w]) for i in range(0, len(raw), w)]
    return list(zip(words[0::2], words[1::2]))


def writev(p, fd, iov, count):
    parts = _vector(p, iov, count)
    if parts is None:
        return p.error("EINVAL")
    total = 0
    for base, length in parts:
        if length:
            n = write(p, fd, base, length)
            if n < 0:
                return n if total == 0 else total
            total += n
    return total


def readv(p, fd, iov, count):
    parts = _vector(p, iov, count)
    if parts is None:
        return p.error("EINVAL")
    total = 0
    for base, length in parts:
        n = read(p, fd, base, length)
        if n < 0:
            return n if total == 0 else total
        total += n
        if n < length:
            break
    return total


# -- open, close, seek ----------------------------------------------------------------
def openat(p, dirfd, path, flags, mode=0):
    name = p.string(path)
    if name is None:
        return p.error("EFAULT")
    if not name:
        return p.error("ENOENT")
    if not name.startswith("/") and p.int32(dirfd) != AT_FDCWD:
        return p.error("ENOENT")            # no directories are open, so nothing is relative to one
    fd = p.files.open(guest_path(name), writing=flags & O_ACCMODE != 0)
    return p.error(fd) if isinstance(fd, str) else fd


def open_(p, path, flags, mode=0):
    return openat(p, AT_FDCWD, path, flags, mode)


def close(p, fd):
    err = p.files.close(p.int32(fd))
    return p.error(err) if err else 0


def dup(p, fd):
    got = p.files.dup(p.int32(fd))
    return p.error(got) if isinstance(got, str) else got


def dup2(p, fd, to):
    got = p.files.dup(p.int32(fd), p.int32(to))
    return p.error(got) if isinstance(got, str) else got


def dup3(p, fd, to, flags):
    if p.int32(fd) == p.int32(to):
        return p.error("EINVAL")
    return dup2(p, fd, to)


def _seek(p, fd, offset, whence):
    f = _fd(p, fd)
    if f is None:
        return p.error("EBADF")
    if isinstance(f, Console):
        return p.error("ESPIPE")
    base = {SEEK_SET: 0, SEEK_CUR: f.position, SEEK_END: len(f.data)}.get(whence)
    if base is None or base + offset < 0:
        return p.error("EINVAL")
    f.position = base + offset
    return f.position


def lseek(p, fd, offset, whence):
    return _seek(p, fd, p.signed(offset), whence)


def llseek(p, fd, high, low, result, whence):
    """_llseek (32-bit ISAs): a 64-bit offset in two words, the position stored at result."""
    at = _seek(p, fd, _signed64(((high & 0xFFFF_FFFF) << 32) | (low & 0xFFFF_FFFF)), whence)
    if at < 0:
        return at
    return 0 if p.write(result, p.pack(at, 8)) else p.error("EFAULT")


def _signed64(v):
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >> 63 else v


def fcntl(p, fd, cmd, arg):
    f = _fd(p, fd)
    if f is None:
        return p.error("EBADF")
    cmd = p.int32(cmd)
    if cmd in (F_GETFD, F_SETFD, F_SETFL):
        return 0
    if cmd == F_GETFL:
        return 1 if isinstance(f, Console) and not f.readable else 0    # O_WRONLY, O_RDONLY
    if cmd in (F_DUPFD, F_DUPFD_CLOEXEC):
        start = p.int32(arg)
        free = next((i for i in range(max(0, start), MAX_FILES) if p.files.get(i) is None), None)
        return p.error("EMFILE") if free is None else dup2(p, fd, free)
    return p.error("EINVAL")


def ioctl(p, fd, request, arg):
    """No descriptor here is a terminal: every ioctl is ENOTTY, which is how a C
    library learns that stdout is not one (and so buffers it fully)."""
    return p.error("EBADF") if _fd(p, fd) is None else p.error("ENOTTY")


# -- what a file is ----------------------------------------------------------------------
def _target(p, dirfd, path, flags):
    """The open file or console a stat call names, or an errno name."""
    name = p.string(path) if path else ""
    if name is None:
        return "EFAULT"
    if not name:
        if not flags & AT_EMPTY_PATH and path:
            return "ENOENT"
        f = _fd(p, dirfd)
        return f if f is not None else "EBADF"
    host = p.files.named.get(guest_path(name))
    if host is None:
        return "ENOENT"
    try:
        return OpenFile(name, host.read_bytes())
    except OSError:
        return "EACCES"


def statx(p, dirfd, path, flags, mask, buf):
    """statx fills one layout on every ISA: the call 32-bit C libraries use first."""
    f = _target(p, dirfd, path, flags)
    if isinstance(f, str):
        return p.error(f)
    size = 0 if isinstance(f, Console) else len(f.data)
    e = p.backend.endian
    order = "<" if e == "little" else ">"
    head = struct.pack(order + "IIQIIIHHQQQQ", 0x7FF, 4096, 0, 1, 1000, 1000,
                       p.files.mode(f), 0, _inode(f), size, (size + 511) // 512, 0)
    body = head + bytes(64) + struct.pack(order + "IIII", 0, 0, 0, 1)     # times; rdev, dev
    return 0 if p.write(buf, body.ljust(256, b"\0")) else p.error("EFAULT")


def _inode(f) -> int:
    return 1 + (hash(f.path) & 0xFFFF) if isinstance(f, OpenFile) else {"stdin": 1, "stdout": 2,
                                                                          "stderr": 3}[f.name]


def _kstat(p, f, buf):
    """The ISA's own struct stat (arch/<isa>/linux.py: kstat; calls.py serves
    these calls only where there is one)."""
    size, fields = p.abi.kstat
    length = 0 if isinstance(f, Console) else len(f.data)
    values = {"dev": 1, "ino": _inode(f), "mode": p.files.mode(f), "nlink": 1, "uid": 1000,
              "gid": 1000, "size": length, "blksize": 4096, "blocks": (length + 511) // 512}
    out = bytearray(size)
    for name, (offset, width) in fields.items():
        out[offset:offset + width] = p.pack(values.get(name, 0), width)
    return 0 if p.write(buf, bytes(out)) else p.error("EFAULT")


def fstat(p, fd, buf):
    f = _fd(p, fd)
    return p.error("EBADF") if f is None else _kstat(p, f, buf)


def newfstatat(p, dirfd, path, buf, flags):
    f = _target(p, dirfd, path, flags)
    return p.error(f) if isinstance(f, str) else _kstat(p, f, buf)


def faccessat(p, dirfd, path, mode, flags=0):
    f = _target(p, dirfd, path, flags)
    if isinstance(f, str):
        return p.error(f)
    return p.error("EROFS") if mode & 2 else 0        # W_OK: nothing here is writable


def access(p, path, mode):
    return faccessat(p, AT_FDCWD, path, mode)


def getcwd(p, buf, size):
    if size < 2:
        return p.error("ERANGE")
    return 2 if p.write(buf, b"/\0") else p.error("EFAULT")


def no_such_file(p, *args):
    """readlink("/proc/self/exe") and friends: there is no /proc here."""
    return p.error("ENOENT")
