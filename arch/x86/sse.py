"""Which IEEE exceptions an SSE instruction raises, worked out exactly.

Unicorn's x86 core (QEMU 5) never sets MXCSR's exception flags and never
raises #XM (unicorn-engine/unicorn#2006), so a guest that asks the HAL to
trap on floating-point exceptions (hal_fp_traps) would never see one from
its doubles.  While such a guest runs, halemu reads each scalar SSE
instruction's operands before it executes and decides, with exact rational
arithmetic (fractions.Fraction), what IEEE 754 says it raises: invalid
operation, divide by zero, overflow, underflow (tiny and inexact, as every
core here reports it with the exception masked), inexact.
"""
from __future__ import annotations

import math
import struct
from fractions import Fraction

INVALID, DIVBYZERO, OVERFLOW, UNDERFLOW, INEXACT = 1, 2, 4, 8, 16

# (significand bits, smallest normal exponent, largest exponent, storage bits)
DOUBLE = (53, -1022, 1023, 64)
SINGLE = (24, -126, 127, 32)

ARITHMETIC = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b,
              "mul": lambda a, b: a * b, "div": lambda a, b: a / b}


def decode(bits: int, fmt) -> tuple[str, object]:
    """("nan", signalling?), ("inf", sign) or ("num", Fraction)."""
    p, emin, emax, width = fmt
    frac_bits = p - 1
    sign = -1 if bits >> (width - 1) & 1 else 1
    exponent = bits >> frac_bits & ((1 << (width - 1 - frac_bits)) - 1)
    frac = bits & ((1 << frac_bits) - 1)
    if exponent == (1 << (width - 1 - frac_bits)) - 1:
        if frac:
            return "nan", not frac >> (frac_bits - 1) & 1
        return "inf", sign
    if exponent == 0:
        return "num", sign * Fraction(frac, 1 << (frac_bits - emin))
    return "num", sign * Fraction(frac | 1 << frac_bits) * Fraction(2) ** (exponent - emax - frac_bits)


def rounding(exact: Fraction, fmt) -> int:
    """The exceptions rounding `exact` to the format raises (round to nearest even)."""
    p, emin, emax, _ = fmt
    if exact == 0:
        return 0
    a = abs(exact)
    e = a.numerator.bit_length() - a.denominator.bit_length()      # 2^e <= a < 2^(e+2)
    if Fraction(2) ** e > a:
        e -= 1
    elif Fraction(2) ** (e + 1) <= a:
        e += 1
    # with an unbounded exponent: p significant bits
    m = _round_even(a / Fraction(2) ** (e - p + 1))
    if m == 1 << p:
        e += 1
    if e > emax:
        return OVERFLOW | INEXACT
    tiny = e < emin
    quantum = Fraction(2) ** ((max(e, emin)) - p + 1)
    inexact = _round_even(a / quantum) * quantum != a
    return (INEXACT if inexact else 0) | (UNDERFLOW if tiny and inexact else 0)


def _round_even(x: Fraction) -> int:
    n = math.floor(x)
    rest = x - n
    return n + (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n & 1))


def binary(op: str, a_bits: int, b_bits: int, fmt) -> int:
    """add, sub, mul, div: the exceptions a op b raises."""
    (ka, a), (kb, b) = decode(a_bits, fmt), decode(b_bits, fmt)
    if ka == "nan" or kb == "nan":
        return INVALID if (ka == "nan" and a) or (kb == "nan" and b) else 0
    if ka == "inf" or kb == "inf":
        if op in ("add", "sub"):
            sb = b if op == "add" else -b
            return INVALID if ka == kb == "inf" and a != sb else 0
        if op == "mul":
            return INVALID if (ka == "num" and a == 0) or (kb == "num" and b == 0) else 0
        return INVALID if ka == kb == "inf" else 0                  # inf/inf; x/inf, inf/x fine
    if op == "div" and b == 0:
        return INVALID if a == 0 else DIVBYZERO
    return rounding(ARITHMETIC[op](a, b), fmt)


def square_root(bits: int, result_bits: int, fmt) -> int:
    kind, a = decode(bits, fmt)
    if kind == "nan":
        return INVALID if a else 0
    if kind == "inf":
        return INVALID if a < 0 else 0
    if a < 0:
        return INVALID
    kind, r = decode(result_bits, fmt)
    return INEXACT if kind == "num" and r * r != a else 0


def compare(a_bits: int, b_bits: int, fmt, quiet: bool) -> int:
    """ucomis (quiet: only a signalling NaN is invalid), comis, min, max."""
    (ka, a), (kb, b) = decode(a_bits, fmt), decode(b_bits, fmt)
    nans = [x for k, x in ((ka, a), (kb, b)) if k == "nan"]
    if not nans:
        return 0
    return INVALID if not quiet or any(nans) else 0


def to_format(bits: int, src, dst) -> int:
    """cvtsd2ss, cvtss2sd."""
    kind, v = decode(bits, src)
    if kind == "nan":
        return INVALID if v else 0
    return 0 if kind == "inf" else rounding(v, dst)


def to_int(bits: int, fmt, truncate: bool, int_bits: int = 32) -> int:
    """cvttsd2si and friends: invalid for NaN and out of range, inexact for a fraction."""
    kind, v = decode(bits, fmt)
    if kind != "num":
        return INVALID
    n = math.trunc(v) if truncate else _round_even(v)
    if not -(1 << (int_bits - 1)) <= n < 1 << (int_bits - 1):
        return INVALID
    return INEXACT if n != v else 0


def from_int(value: int, fmt) -> int:
    """cvtsi2sd, cvtsi2ss: a signed integer rounded to the format."""
    return rounding(Fraction(value), fmt)


# -- the instructions: what each computes, and from which operands ----------------

# mnemonic -> (operation, format); operands are Intel order: destination first
SCALAR = {
    **{f"{op}s{s}": (op, fmt) for op in ("add", "sub", "mul", "div")
       for s, fmt in (("d", DOUBLE), ("s", SINGLE))},
    "sqrtsd": ("sqrt", DOUBLE), "sqrtss": ("sqrt", SINGLE),
    "minsd": ("compare", DOUBLE), "maxsd": ("compare", DOUBLE),
    "minss": ("compare", SINGLE), "maxss": ("compare", SINGLE),
    "comisd": ("compare", DOUBLE), "comiss": ("compare", SINGLE),
    "ucomisd": ("quiet compare", DOUBLE), "ucomiss": ("quiet compare", SINGLE),
    "cvtsd2ss": ("narrow", DOUBLE), "cvtss2sd": ("widen", SINGLE),
    "cvttsd2si": ("truncate", DOUBLE), "cvtsd2si": ("round", DOUBLE),
    "cvttss2si": ("truncate", SINGLE), "cvtss2si": ("round", SINGLE),
    "cvtsi2sd": ("integer", DOUBLE), "cvtsi2ss": ("integer", SINGLE),
}


def note(backend, uc, address: int, size: int):
    """Before a scalar SSE instruction runs: its operation, format and operand
    bits (and where its result will be); None for any other instruction."""
    from hal.core.decoders import decoder
    code = bytes(uc.mem_read(address, size))
    for insn in decoder(backend, detail=True).disasm(code, address, 1):
        found = SCALAR.get(insn.mnemonic)
        if found is None or len(insn.operands) != 2:
            return None
        what, fmt = found
        dst, src = insn.operands
        width = 32 if what == "integer" else fmt[3]
        try:
            a = _value(backend, uc, insn, dst, fmt[3])
            b = _value(backend, uc, insn, src, width)
        except Exception:           # unreadable memory: the instruction faults anyway
            return None
        return what, fmt, a, b, insn.reg_name(dst.reg) if dst.type == _REG else None
    return None


def raised(backend, uc, noted) -> int:
    """After it ran: the exceptions (HAL_FE_* bits) it raised."""
    what, fmt, a, b, dst = noted
    if what in ARITHMETIC:
        return binary(what, a, b, fmt)
    if what == "sqrt":
        result = uc.reg_read(backend.reg(dst)) & ((1 << fmt[3]) - 1)
        return square_root(b, result, fmt)
    if what in ("compare", "quiet compare"):
        return compare(a, b, fmt, quiet=what == "quiet compare")
    if what == "narrow":
        return to_format(b, DOUBLE, SINGLE)
    if what == "widen":
        return to_format(b, SINGLE, DOUBLE)
    if what in ("truncate", "round"):
        return to_int(b, fmt, truncate=what == "truncate")
    return from_int(b - (1 << 32) if b >> 31 else b, fmt)       # a signed 32-bit integer


_REG, _MEM = 1, 3                   # capstone's operand types (CS_OP_REG, CS_OP_MEM)


def _value(backend, uc, insn, op, bits: int) -> int:
    if op.type == _REG:
        return uc.reg_read(backend.reg(insn.reg_name(op.reg))) & ((1 << bits) - 1)
    address = op.mem.disp
    if op.mem.base:
        address += uc.reg_read(backend.reg(insn.reg_name(op.mem.base)))
    if op.mem.index:
        address += uc.reg_read(backend.reg(insn.reg_name(op.mem.index))) * op.mem.scale
    return int.from_bytes(uc.mem_read(address & 0xFFFF_FFFF, bits // 8), "little")
