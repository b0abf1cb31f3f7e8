"""System calls as strace shows them, for `hal trace --syscalls`:

    write(1, "Hello, world!\\n", 14) = 14
    ioctl(1, TIOCGWINSZ, 0x7feffe48) = -1 ENOTTY (Inappropriate ioctl for device)
    exit_group(0) = ?

The argument formats are the table's (calls.py); buffers show at most
MAX_SHOWN bytes, escaped as C would write them.
"""
from __future__ import annotations

MAX_SHOWN = 32
_ESCAPES = {9: "\\t", 10: "\\n", 13: "\\r", 34: '\\"', 92: "\\\\"}


def quoted(data: bytes, more: bool = False) -> str:
    text = "".join(_ESCAPES.get(c) or (chr(c) if 32 <= c < 127 else f"\\{c:o}") for c in data)
    return f'"{text}"' + ("..." if more else "")


def _buffer(p, address: int, length: int) -> str:
    data = p.read(address, min(max(length, 0), MAX_SHOWN))
    return "NULL" if not address else (quoted(data, length > MAX_SHOWN) if data is not None
                                       else f"{address:#x}")


def _argument(p, fmt: str, value: int, args: list[int], result) -> str:
    if fmt in ("d", "fd"):
        return str(p.int32(value))
    if fmt == "u":
        return str(value)
    if fmt == "x":
        return hex(value)
    if fmt == "o":
        return f"0{value:o}"
    if fmt == "p":
        return f"{value:#x}" if value else "NULL"
    if fmt == "s":
        text = p.string(value) if value else None
        return "NULL" if not value else (f"{value:#x}" if text is None
                                         else quoted(text.encode("utf-8", "surrogateescape")))
    if fmt == "sig":
        return p.abi.signal_name(p.int32(value))
    if fmt == "io":
        return p.abi.ioctls.get(value & 0xFFFF_FFFF, hex(value))
    if fmt == "r":
        return _buffer(p, value, result) if isinstance(result, int) and result > 0 else \
            (f"{value:#x}" if value else "NULL")
    if fmt[0] == "b":
        return _buffer(p, value, args[int(fmt[1:])])
    if fmt[0] == "v":
        from .io import _vector
        parts = _vector(p, value, args[int(fmt[1:])]) or []
        return "[" + ", ".join(f"{{iov_base={_buffer(p, b, n)}, iov_len={n}}}"
                               for b, n in parts) + "]"
    return hex(value)


def describe(p, call, name: str, args: list[int], result) -> str:
    """One line: the call, its arguments, and what came back."""
    shown = ", ".join(_argument(p, f, v, args, result) for f, v in zip(call.formats, args))
    if result is None or call.result == "-":
        return f"{name}({shown}) = ?"
    if -4096 < result < 0:
        errno = p.abi.errno_names.get(-result, str(-result))
        meaning = p.abi.errno_table.get(errno, (0, ""))[1]
        return f"{name}({shown}) = -1 {errno} ({meaning})"
    return f"{name}({shown}) = {hex(result) if call.result == 'x' else result}"
