"""Snapshots: save a running guest to a file and carry on from it later.

A snapshot holds everything that decides what a guest does next: its ELF
(so it restores anywhere, without the build cache), its RAM, its registers
(the backend's `dump` set: the whole user-visible integer state), its
floating-point unit (every register of Backend.fpu: data, control and
status, the x87's stack top and tags included), its exact
instruction count and virtual time, the console output so far and any
blocking request it is waiting on.  Restored, it continues to the same output
and the same numbers as a run that never stopped.

The registers are saved by name, not as Unicorn's opaque context blob: a
context that Unicorn did not save itself can abort the host process when
restored (unicorn-engine/unicorn#2319, #2320).  Every field of a snapshot
file is checked (magic, version, SHA-256 of the whole, types, sizes, the
ELF itself) before anything reaches Unicorn.

File layout: b"HALSNAP" + version byte, then length-prefixed parts
(JSON header, ELF, zlib-compressed RAM, console output), then the SHA-256 of
everything before it.
"""
from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

from ..core import fpu, fptraps, loader, services
from ..core.console import Console
from ..core.machine import Machine, Request
from ..core.limits import MAX_COUNT
from ..core.memmap import MAX_MEMORY, MIN_MEMORY, PAGE, MemoryMap
from ..errors import HalError
from ..paths import read_file

MAGIC = b"HALSNAP"
VERSION = 2                 # 2: the floating-point unit is saved too
_LEN = struct.Struct("<Q")
MAX_SNAPSHOT = 1 << 30          # bytes: RAM (at most 256 MiB) compresses, the ELF is at most 64 MiB
MAX_HEADER = 1 << 20            # bytes of JSON header: a few hundred registers' worth


class SnapshotError(HalError):
    pass


def save(machine: Machine, path: str | Path) -> None:
    """Write `machine`'s complete state to `path` (between runs, never inside one)."""
    if machine.done:
        raise SnapshotError(f"{machine.name} has already ended; nothing to snapshot")
    if machine.os is not None:
        raise SnapshotError(f"{machine.name} is a C library program: a snapshot holds a HAL "
                            f"guest's state, not a process's (its heap, files and signals)")
    b, uc, mem = machine.backend, machine.uc, machine.memory
    req = machine.request
    header = {
        "isa": b.name, "name": machine.name, "memory": mem.size,
        "registers": {r: uc.reg_read(b.reg(r)) for r in b.regs.dump},
        "fpu": fpu.read(b, uc),
        "fp_traps": machine.fp_traps.mask if machine.fp_traps else 0,
        "retired": machine.retired, "extra_ticks": machine.extra_ticks,
        "hal_calls": machine.hal_calls, "arg": machine.arg,
        "max_instructions": machine.max_instructions, "console_limit": machine.console.limit,
        "request": None if req is None else {"service": req.service.number, "args": list(req.args)},
        "devices": {d.name: {a: getattr(d, a) for a in d.state} for d in machine.platform.devices},
    }
    parts = [json.dumps(header, sort_keys=True).encode(), machine.image.data,
             zlib.compress(machine.guest_memory.ram(), 6), machine.console.output]
    body = MAGIC + bytes([VERSION]) + b"".join(_LEN.pack(len(p)) + p for p in parts)
    try:
        Path(path).write_bytes(body + hashlib.sha256(body).digest())
    except OSError as e:
        raise SnapshotError(f"{path}: cannot write the snapshot: {e.strerror}") from None


def load(path: str | Path, *, native: bool | None = None, echo=None, stdin=None) -> Machine:
    """A machine that carries on exactly where the snapshot in `path` stopped.
    New output goes to `echo` as it comes; input comes from `stdin`."""
    path = Path(path)
    blob = read_file(path, MAX_SNAPSHOT, SnapshotError, "a snapshot")
    header, elf, ram, console = _parts(path, blob)
    h = _check_header(path, header)
    try:
        image = loader.parse(elf, path.with_suffix(".elf"), MemoryMap(h["memory"]))
    except HalError as e:
        raise SnapshotError(f"{path}: the guest inside is damaged: {e}") from None
    b = image.backend
    if b.name != h["isa"]:
        raise SnapshotError(f"{path}: header says {h['isa']} but the guest is {b.name}")
    regs = h["registers"]
    if set(regs) != set(b.regs.dump) or not all(_word(v, b.word_mask) for v in regs.values()):
        raise SnapshotError(f"{path}: registers do not match the {b.name} register set")
    if not -(1 << (b.bits - 1)) <= h["arg"] <= b.word_mask:
        raise SnapshotError(f"{path}: 'arg' {h['arg']} does not fit a {b.bits}-bit word")
    req = h.get("request")
    if req is not None:
        service = services.BY_NUMBER[req["service"]]
        if (not service.blocking or len(req["args"]) != len(service.args)
                or not all(_word(a, b.word_mask) for a in req["args"])):
            raise SnapshotError(f"{path}: pending request in the snapshot is damaged")
    fpu_state = h.get("fpu")
    if not isinstance(fpu_state, dict) or set(fpu_state) != set(b.fpu.state_names) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1 << b.fpu.bits_of(r)
            for r, v in fpu_state.items()):
        raise SnapshotError(f"{path}: floating-point registers do not match the {b.name} FPU")
    traps = h.get("fp_traps")
    if not isinstance(traps, int) or isinstance(traps, bool) or traps & ~fptraps.ALL or traps < 0:
        raise SnapshotError(f"{path}: 'fp_traps' is not a set of floating-point exceptions")
    ram = _inflate(path, ram, h["memory"])
    if len(console) > h["console_limit"]:
        raise SnapshotError(f"{path}: console output is longer than its limit")

    m = Machine(image, name=h["name"], memory=MemoryMap(h["memory"]),
                console=Console(limit=h["console_limit"], input=stdin),
                max_instructions=h.get("max_instructions") or 0, native=native)
    _write_ram(m, ram)
    for r, v in regs.items():
        m.uc.reg_write(b.reg(r), v)
    fpu.write(b, m.uc, fpu_state)
    fptraps.restore(m, traps)
    m.counter.retired = h["retired"]
    m.extra_ticks, m.hal_calls, m.arg = h["extra_ticks"], h["hal_calls"], h["arg"]
    m.console.restore(console, echo)
    _restore_devices(path, m, h.get("devices"))
    if req is not None:
        m.request = Request(services.BY_NUMBER[req["service"]], tuple(req["args"]))
    return m


def _word(v, mask: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= mask


def _inflate(path: Path, data: bytes, size: int) -> bytes:
    """The guest's RAM, exactly `size` bytes of it: decompression stops there,
    so a small file cannot ask for gigabytes (a compression bomb)."""
    d = zlib.decompressobj()
    try:
        ram = d.decompress(data, size + 1)
    except zlib.error:
        raise SnapshotError(f"{path}: guest memory is damaged") from None
    if len(ram) > size or d.unconsumed_tail or not d.eof:
        raise SnapshotError(f"{path}: guest memory is larger than the {size} bytes the header says")
    if len(ram) != size:
        raise SnapshotError(f"{path}: guest memory is {len(ram)} bytes, header says {size}")
    return ram


def _restore_devices(path: Path, m: Machine, saved) -> None:
    """Put each device's registers back (a byte waiting in the UART, say)."""
    devices = {d.name: d for d in m.platform.devices}
    if not isinstance(saved, dict) or set(saved) != set(devices):
        raise SnapshotError(f"{path}: device state does not match this machine's devices")
    for name, fields in saved.items():
        d = devices[name]
        if not isinstance(fields, dict) or set(fields) != set(d.state) or not all(
                v is None or isinstance(v, bool) or _word(v, 0xFFFF_FFFF) for v in fields.values()):
            raise SnapshotError(f"{path}: state of the {name} is damaged")
        for attr, value in fields.items():
            setattr(d, attr, value)


def _write_ram(m: Machine, ram: bytes) -> None:
    """Write RAM back page by page, leaving write-protected code pages as loaded."""
    from unicorn import UC_PROT_WRITE
    base = m.memory.ram_base
    for start, end, perms in m.uc.mem_regions():
        if not perms & UC_PROT_WRITE:
            continue
        lo, hi = max(start, base), min(end + 1, base + len(ram))
        if lo < hi:
            m.uc.mem_write(lo, ram[lo - base:hi - base])


def _parts(path: Path, blob: bytes) -> tuple[dict, bytes, bytes, bytes]:
    if blob[:len(MAGIC)] != MAGIC:
        raise SnapshotError(f"{path}: not a halemu snapshot")
    if len(blob) < len(MAGIC) + 1 + 32:
        raise SnapshotError(f"{path}: snapshot is truncated")
    if blob[len(MAGIC)] != VERSION:
        raise SnapshotError(f"{path}: snapshot version {blob[len(MAGIC)]} is not {VERSION}")
    body, digest = blob[:-32], blob[-32:]
    if hashlib.sha256(body).digest() != digest:
        raise SnapshotError(f"{path}: snapshot is damaged (checksum mismatch)")
    parts, pos = [], len(MAGIC) + 1
    for _ in range(4):
        if pos + 8 > len(body):
            raise SnapshotError(f"{path}: snapshot is truncated")
        (n,) = _LEN.unpack_from(body, pos)
        pos += 8
        if pos + n > len(body):
            raise SnapshotError(f"{path}: snapshot part runs past the end")
        parts.append(body[pos:pos + n])
        pos += n
    if pos != len(body):
        raise SnapshotError(f"{path}: unexpected bytes after the snapshot")
    if len(parts[0]) > MAX_HEADER:
        raise SnapshotError(f"{path}: snapshot header is {len(parts[0])} bytes, too large")
    try:
        header = json.loads(parts[0])
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise SnapshotError(f"{path}: snapshot header is not valid JSON") from None
    return header, parts[1], parts[2], parts[3]


_TYPES = {"isa": str, "name": str, "memory": int, "registers": dict, "retired": int,
          "extra_ticks": int, "hal_calls": int, "arg": int, "console_limit": int}


def _check_header(path: Path, h) -> dict:
    if not isinstance(h, dict):
        raise SnapshotError(f"{path}: snapshot header is not an object")
    for key, kind in _TYPES.items():
        if not isinstance(h.get(key), kind) or isinstance(h.get(key), bool):
            raise SnapshotError(f"{path}: snapshot header field '{key}' is missing or not {kind.__name__}")
    if not MIN_MEMORY <= h["memory"] <= MAX_MEMORY or h["memory"] % PAGE:
        raise SnapshotError(f"{path}: memory size {h['memory']} is impossible")
    for key in ("retired", "extra_ticks", "hal_calls", "console_limit"):
        if not 0 <= h[key] <= MAX_COUNT:
            raise SnapshotError(f"{path}: '{key}' {h[key]} is impossible (0 to {MAX_COUNT})")
    mi = h.get("max_instructions")
    if mi is not None and (isinstance(mi, bool) or not isinstance(mi, int)
                           or not 1 <= mi <= MAX_COUNT or h["retired"] > mi):
        raise SnapshotError(f"{path}: 'max_instructions' is impossible")
    req = h.get("request")
    if req is not None:
        if (not isinstance(req, dict) or isinstance(req.get("service"), bool)
                or req.get("service") not in services.BY_NUMBER
                or not isinstance(req.get("args"), list)):
            raise SnapshotError(f"{path}: pending request in the snapshot is damaged")
    return h
