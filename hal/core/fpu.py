"""The floating-point unit as plain data, and its state read, written back and shown.

Each backend describes its FPU (arch/<isa>/backend.py, `fpu=Fpu(...)`): its
control and status registers, its files of data registers with their width
and what they hold, and the bits a real reset sets.  From that alone, with
no ISA named here, halemu:
  - sets the FPU up at reset (Backend.enter);
  - reads and writes its whole state (snapshots keep it);
  - shows it as a student reads it (fault reports, `hal trace`): control
    registers in hex, registers whose format is fixed as numbers (PowerPC's
    FPRs always hold doubles; RISC-V's a double or a NaN-boxed float; the
    x87's 80-bit extended values), and the rest as hex bits (a MIPS FR=0
    register holds a float or half a double, an xmm register a float, a
    double or a vector);
  - tells floating-point instructions apart in the instruction mix (by the
    registers they name);
  - reads which IEEE exceptions have been raised, from the sticky flags, for
    a guest that asked to trap on them (hal/core/fptraps.py).
A GDB stub can build its target description from the same lists.  An FPU
that is not a flat file (the x87's register stack) overrides Backend.fpu_view.
"""
from __future__ import annotations

import struct
from typing import Literal, NamedTuple

Holds = Literal["double", "float or double", "extended", "bits"]


class RegisterFile(NamedTuple):
    """Floating-point data registers of one width."""
    names: tuple[str, ...]      # in order; as capstone prints them where it names them
    bits: int                   # 32, 64, 80 or 128
    holds: Holds                # what the bits are: "double"; "float or double" (a float
                                # NaN-boxed in the upper half); "extended" (x87);
                                # "bits" (more than one format: shown in hex)


class Fpu(NamedTuple):
    """One ISA's floating-point unit.

    `reset` is how the machine's reset (or the NT HAL's processor
    initialisation) leaves it, applied by Backend.enter: for each register
    named (as Unicorn names it, lower case), the bits to clear, then the bits
    to set.  Unicorn's own reset is not always a real machine's: its x86
    core starts with the x87 control word at 0 (24-bit precision, every
    exception unmasked) where hardware gives 0x037F."""
    summary: str = ""                                   # one line for `hal isas`
    control: tuple[tuple[str, int], ...] = ()           # control and status: (name, bits)
    files: tuple[RegisterFile, ...] = ()
    operand_names: tuple[str, ...] = ()                 # other names capstone gives FPU registers
    reset: tuple[tuple[str, int, int], ...] = ()
    # Where the FPU keeps its sticky exception flags: (register, ((HAL_FE_* bit,
    # the register's bits for it), ...)), in the order of hal/core/fptraps.py
    flags: tuple[str, tuple[tuple[int, int], ...]] | None = None

    @property
    def state_names(self) -> tuple[str, ...]:
        """Every register that holds FPU state, data first (restored in this order)."""
        return (*(n for f in self.files for n in f.names), *(n for n, _ in self.control))

    def bits_of(self, name: str) -> int:
        for f in self.files:
            if name in f.names:
                return f.bits
        return dict(self.control)[name]

    @property
    def names(self) -> frozenset[str]:
        """Every name an instruction may use for an FPU register (the mix's test)."""
        return frozenset((*self.state_names, *self.operand_names))


def read(backend, uc) -> dict[str, int]:
    """The whole FPU state, each register as an unsigned integer of its bits."""
    fpu = backend.fpu
    return {name: as_int(uc.reg_read(backend.reg(name))) & ((1 << fpu.bits_of(name)) - 1)
            for name in fpu.state_names}


def write(backend, uc, state: dict[str, int]) -> None:
    """Put back a state from read(): data registers first, then control (on x86
    the status word carries the stack top, and the control word's write makes
    the core take up its precision and rounding)."""
    for name in backend.fpu.state_names:
        value = state[name]
        if backend.fpu.bits_of(name) == 80:
            value = (value & ((1 << 64) - 1), value >> 64)
        uc.reg_write(backend.reg(name), value)


def as_int(value) -> int:
    """A register as Unicorn's binding returns it, as one integer: an 80-bit
    x87 register comes as (significand, sign and exponent)."""
    if isinstance(value, tuple):
        significand, exponent = value
        return exponent << 64 | significand
    return value


def raised(backend, uc) -> int:
    """The exceptions (HAL_FE_* bits) the sticky flags say have been raised."""
    if backend.fpu.flags is None:
        return 0
    register, bits = backend.fpu.flags
    value = uc.reg_read(backend.reg(register))
    return sum(fe for fe, mask in bits if value & mask)


def clear_flags(backend, uc, excepts: int) -> None:
    """Clear the sticky flags of these exceptions (HAL_FE_* bits)."""
    if backend.fpu.flags is None:
        return
    register, bits = backend.fpu.flags
    reg = backend.reg(register)
    value = uc.reg_read(reg)
    new = value & ~sum(mask for fe, mask in bits if excepts & fe)
    if new != value:
        uc.reg_write(reg, new)


def flat_view(backend, uc, skip_zero: bool = False) -> tuple[tuple[str, str], ...]:
    """Control registers in hex, then every data register (or only the
    non-zero ones) as its file's format says."""
    fpu = backend.fpu
    state = read(backend, uc)
    shown = [(name, f"{state[name]:0{bits // 4}x}") for name, bits in fpu.control]
    for f in fpu.files:
        shown += [(name, show(state[name], f.bits, f.holds)) for name in f.names
                  if state[name] or not skip_zero]
    return tuple(shown)


def show(bits: int, width: int, holds: Holds) -> str:
    """One register's contents as a student reads them."""
    if holds == "double":
        return repr(struct.unpack("<d", struct.pack("<Q", bits))[0])
    if holds == "float or double":
        if bits >> 32 == 0xFFFF_FFFF:           # a NaN-boxed float (RISC-V)
            return float32(bits & 0xFFFF_FFFF) + "f"
        return show(bits, width, "double")
    if holds == "extended":
        return extended(bits)
    return f"{bits:0{width // 4}x}"


def float32(bits: int) -> str:
    """The shortest decimal that reads back as this float."""
    (v,) = struct.unpack("<f", struct.pack("<I", bits))
    if v != v or v in (float("inf"), float("-inf")):
        return repr(v)
    for digits in range(1, 10):
        text = f"{v:.{digits}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == v:
            return text if any(c in text for c in ".en") else text + ".0"
    return repr(v)


def extended(bits: int) -> str:
    """An x87 80-bit value, to 21 significant digits (enough to tell any two apart)."""
    sign = "-" if bits >> 79 & 1 else ""
    exponent, significand = bits >> 64 & 0x7FFF, bits & ((1 << 64) - 1)
    if exponent == 0x7FFF:
        return "nan" if significand & ((1 << 63) - 1) else sign + "inf"
    if not significand:
        return sign + "0.0"
    from decimal import Decimal, localcontext      # for fault reports and debuggers only
    with localcontext() as ctx:
        ctx.prec = 60           # far more than 21 digits, then round once
        exact = Decimal(significand) * Decimal(2) ** (max(exponent, 1) - 16383 - 63)
        ctx.prec = 21
        value = +exact
    text = f"{value.normalize():g}" if abs(value.adjusted()) < 16 else f"{value.normalize():e}"
    return sign + (text if any(c in text for c in ".e") else text + ".0")
