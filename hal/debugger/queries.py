"""What GDB asks about the target rather than tells it to do: features,
target descriptions, the executable (qXfer:exec-file and vFile, so that a
bare `target remote` finds the symbols), and `monitor` commands.
"""
from __future__ import annotations

import os
import struct
from pathlib import Path

from .framing import MAX_BODY

FEATURES = (f"PacketSize={MAX_BODY:x};qXfer:features:read+;qXfer:exec-file:read+;"
            "swbreak+;hwbreak+;ReverseStep+;ReverseContinue+;QStartNoAckMode+")

ENOENT, EBADF, EACCES = 2, 9, 13
_STAT = struct.Struct(">IIIIIIIQQQIII")       # GDB's File-I/O struct stat, big-endian


class Queries:
    def __init__(self, target, image, title: str):
        self.t = target
        self.title = title
        self.elf = Path(image.path).resolve()
        self.pc_register = next(r for r in target.d.registers
                                if r.uc_name == target.m.backend.regs.pc)
        self._files: dict[int, bytes] = {}

    def supported(self, features=None):
        return FEATURES

    def features(self, annex, offset, length):
        data = self.t.d.xml(annex)
        return "E00" if data is None else _chunk(data, offset, length)

    def exec_file(self, annex, offset, length):
        return _chunk(str(self.elf).encode(), offset, length)

    # -- vFile: the one file a client may read is the guest's ELF ------------------------
    def file_setfs(self, pid):
        return "F0"

    def file_open(self, name, flags, mode):
        try:
            path = Path(bytes.fromhex(name).decode()).resolve()
        except (UnicodeDecodeError, OSError, ValueError):
            return f"F-1,{ENOENT:x}"
        if path != self.elf:
            return f"F-1,{ENOENT:x}"
        if int(flags, 16) & 3:                 # anything but O_RDONLY
            return f"F-1,{EACCES:x}"
        fd = max(self._files, default=2) + 1
        if len(self._files) >= 16:
            return f"F-1,{EACCES:x}"
        self._files[fd] = self.elf.read_bytes()
        return f"F{fd:x}"

    def file_pread(self, fd, count, offset):
        data = self._files.get(int(fd, 16))
        if data is None:
            return f"F-1,{EBADF:x}"
        start = int(offset, 16)
        piece = data[start:start + min(int(count, 16), MAX_BODY // 2)]
        return f"F{len(piece):x};".encode() + piece

    def file_fstat(self, fd):
        data = self._files.get(int(fd, 16))
        if data is None:
            return f"F-1,{EBADF:x}"
        st = os.stat(self.elf)
        stat = _STAT.pack(0, 0, 0o100444, 1, 0, 0, 0, len(data), 4096, (len(data) + 511) // 512,
                          int(st.st_atime) & 0xFFFFFFFF, int(st.st_mtime) & 0xFFFFFFFF,
                          int(st.st_ctime) & 0xFFFFFFFF)
        return f"F{len(stat):x};".encode() + stat

    def file_close(self, fd):
        return "F0" if self._files.pop(int(fd, 16), None) is not None else f"F-1,{EBADF:x}"

    # -- monitor ------------------------------------------------------------------------
    def monitor(self, command):
        try:
            text = bytes.fromhex(command).decode()
        except UnicodeDecodeError:
            return "E01"
        name, _, arg = text.strip().partition(" ")
        entry = MONITOR.get(name)
        if entry is None:
            out = f"unknown monitor command '{name}'; try 'monitor help'\n"
        else:
            out = entry[1](self, arg.strip())
        for i in range(0, len(out), 400):
            self.reply("O" + out[i:i + 400].encode().hex())
        return "OK"

    def _icount(self, arg):
        return f"{self.t.m.retired} instructions retired\n"

    def _hal(self, arg):
        m, calls = self.t.m, self.t.calls
        by = ", ".join(f"{name} {n}" for name, n in sorted(calls.items(), key=lambda c: -c[1]))
        return f"{m.hal_calls} HAL calls" + (f": {by}" if by else "") + "\n"

    def _snapshot(self, arg):
        from ..errors import HalError
        from ..safety import snapshot
        if not arg:
            return "usage: monitor snapshot FILE\n"
        m = self.t.m
        try:
            snapshot.save(m, arg)
        except (HalError, OSError) as e:
            return f"cannot save a snapshot: {e}\n"
        return (f"saved {m.name} on {m.backend.name} after {m.retired} instructions to {arg} "
                f"(continue with: hal resume {arg})\n")

    def _history(self, arg):
        t = self.t
        s = t.store
        return (f"history: instructions {t.start} to {t.frontier}, now at {t.m.retired}; "
                f"{len(s.points)} checkpoints, {s.bytes / 2**20:.1f} MiB of {s.budget / 2**20:.0f} MiB "
                f"(peak {s.peak / 2**20:.1f}); journal {t.journal.size() / 1024:.0f} KiB\n")

    def _help(self, arg):
        return "".join(f"  monitor {name:9} {doc}\n" for name, (doc, _) in MONITOR.items())


MONITOR = {
    "icount": ("the exact count of instructions retired so far", Queries._icount),
    "hal": ("the HAL calls made so far, by service", Queries._hal),
    "snapshot": ("FILE: save the guest as it is here, for `hal resume FILE`", Queries._snapshot),
    "history": ("how far reverse execution reaches, and the memory it uses", Queries._history),
    "help": ("this list", Queries._help),
}


def _chunk(data: bytes, offset: str, length: str) -> bytes:
    """A qXfer reply: 'm' and a piece, or 'l' and the last piece."""
    start, n = int(offset, 16), min(int(length, 16), MAX_BODY // 2)
    piece = data[start:start + n]
    return (b"l" if start + n >= len(data) else b"m") + piece
