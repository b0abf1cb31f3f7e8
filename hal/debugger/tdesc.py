"""Target descriptions: which registers GDB sees, in what order, how wide.

Each ISA keeps its description as GDB's own XML in arch/<isa>/tdesc/
(target.xml, including one file per feature), and in arch/<isa>/gdb.py the
few register names that differ from Unicorn's.  The XML is the one source:
GDB reads it through qXfer:features:read, and this module reads the same
files for the register numbers, widths and order of the g packet.

arch/<isa>/gdb.py holds plain data:
  REGISTERS      GDB name -> Unicorn name (by the backend's rule), where they
                 differ; None for a register Unicorn does not have
  WATCH_BEFORE   True if GDB expects a watchpoint to stop *before* the access
                 (it then steps over the instruction itself), False if after
and may define stack_register(name, read): the Unicorn name behind a
register whose place moves (a register stack), given a reader by name; and
hidden(name, read): True while Unicorn cannot read a register truthfully.
"""
from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .. import paths
from ..core.isa import Backend

_INCLUDE = re.compile(r'<xi:include\s+href="([A-Za-z0-9_.-]+)"\s*/>')
_ARCH = re.compile(r"<architecture>([^<]+)</architecture>")


@dataclass(frozen=True)
class Register:
    name: str                   # as GDB names it
    number: int                 # GDB's remote register number
    bits: int
    uc_name: str | None         # None: Unicorn does not have it (GDB shows <unavailable>)

    @property
    def size(self) -> int:
        return self.bits // 8


class Description:
    """One ISA's target description: its XML files and the registers they define."""

    def __init__(self, backend: Backend):
        self.backend = backend
        folder = paths.arch_dir(backend.name) / "tdesc"
        self.files = {p.name: p.read_bytes() for p in sorted(folder.glob("*.xml"))}
        self.gdb = importlib.import_module(f"hal.arch.{backend.name}.gdb")
        self.watch_before: bool = self.gdb.WATCH_BEFORE
        target = self.files["target.xml"].decode()
        self.architecture = _ARCH.search(target).group(1)
        self.registers = self._parse(_INCLUDE.findall(target))
        self.by_number = {r.number: r for r in self.registers}
        self.by_name = {r.name: r for r in self.registers}

    def _parse(self, features: list[str]) -> list[Register]:
        renames = self.gdb.REGISTERS
        regs, number = [], 0
        for name in features:
            for reg in ET.fromstring(self.files[name]).iter("reg"):
                number = int(reg.get("regnum", number))
                gdb_name = reg.get("name")
                uc_name = renames.get(gdb_name, gdb_name)
                regs.append(Register(gdb_name, number, int(reg.get("bitsize")), uc_name))
                number += 1
        return sorted(regs, key=lambda r: r.number)

    def xml(self, annex: str) -> bytes | None:
        """A description file for qXfer:features:read, or None if there is no such file."""
        return self.files.get(annex)


_described: dict[str, Description] = {}


def describe(backend: Backend) -> Description:
    """The backend's description, read once per process."""
    if backend.name not in _described:
        _described[backend.name] = Description(backend)
    return _described[backend.name]


class RegisterFile:
    """GDB's view of one Unicorn CPU's registers, as bytes in target order."""

    def __init__(self, description: Description, uc):
        self.d = description
        self.uc = uc
        b = description.backend
        self._endian = b.endian
        self._ids = {r.uc_name: b.reg(r.uc_name) for r in description.registers
                     if r.uc_name is not None}
        self._stack = getattr(description.gdb, "stack_register", None)
        self._hidden = getattr(description.gdb, "hidden", None)

    def _read_by_name(self, name: str):
        return self.uc.reg_read(self.d.backend.reg(name))

    def _uc_id(self, reg: Register) -> int | None:
        if reg.uc_name is None:
            return None
        if self._hidden is not None and self._hidden(reg.name, self._read_by_name):
            return None
        if self._stack is not None:
            moved = self._stack(reg.name, self._read_by_name)
            if moved is not None:
                return self.d.backend.reg(moved)
        return self._ids[reg.uc_name]

    def read(self, reg: Register) -> bytes | None:
        """The register's bytes, or None if it is unavailable."""
        uc_id = self._uc_id(reg)
        if uc_id is None:
            return None
        return self._encode(reg, self.uc.reg_read(uc_id))

    def write(self, reg: Register, data: bytes) -> bool:
        """Set a register from GDB's bytes; False if it cannot be written."""
        uc_id = self._uc_id(reg)
        if uc_id is None or len(data) != reg.size:
            return False
        old = self.uc.reg_read(uc_id)
        if self._encode(reg, old) == data:
            return True                  # unchanged: writing could have side effects
        value = int.from_bytes(data, self._endian)
        if isinstance(old, tuple):       # an 80-bit register: (low 64 bits, high 16 bits)
            new = (value & (1 << 64) - 1, value >> 64)
        else:                            # keep any bits wider than GDB's view
            new = (old & ~((1 << reg.bits) - 1)) | value
        from unicorn import UcError
        try:
            self.uc.reg_write(uc_id, new)
        except UcError:
            return False
        return True

    def _encode(self, reg: Register, value) -> bytes:
        if isinstance(value, tuple):
            value = value[0] | value[1] << 64
        return (value & ((1 << reg.bits) - 1)).to_bytes(reg.size, self._endian)

    def read_all(self) -> str:
        """The g packet: every register in number order, 'xx' for unavailable bytes."""
        return "".join(data.hex() if (data := self.read(r)) is not None else "xx" * r.size
                       for r in self.d.registers)

    def split(self, hex_data: str) -> list[tuple[Register, bytes | None]] | None:
        """A G packet's registers, or None if its length is wrong."""
        if len(hex_data) != 2 * sum(r.size for r in self.d.registers):
            return None
        out, pos = [], 0
        for r in self.d.registers:
            chunk = hex_data[pos:pos + 2 * r.size]
            pos += 2 * r.size
            out.append((r, None if "x" in chunk else bytes.fromhex(chunk)))
        return out
