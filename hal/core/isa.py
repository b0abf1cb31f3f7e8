"""The HAL interface: everything the portable core needs to know about one ISA.

A backend is a small record of plain data (Unicorn and capstone modes, word
size, byte order, ELF machine, registers, trap) with a few methods whose
defaults suit most ISAs.  Each arch/<isa>/backend.py builds one and registers
it; nothing under hal/ ever branches on an ISA's name.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Literal, NamedTuple

from . import fpu as fpu_state
from .fpu import Fpu, flat_view


# The small records here (and the run path's others: fpu.py, loader.py,
# services.py ...) are NamedTuples: immutable, like a frozen dataclass, but
# made about six times faster when the module is imported, which every
# `hal run` does (a dataclass compiles its methods then).
class Registers(NamedTuple):
    """Which register plays which role, by the names capstone prints."""
    pc: str
    sp: str
    result: str                 # where a HAL service returns its value
    service: str                # where the guest puts the service number
    args: tuple[str, str, str]  # where the guest puts up to three arguments
    dump: tuple[str, ...]       # the user-visible state: shown, in this order, when a
                                # guest faults, and saved in snapshots


class Trap(NamedTuple):
    """How a guest enters the HAL on this ISA."""
    mnemonic: str        # as a student sees it in a disassembly, e.g. "int 0x2e"
    interrupt: int       # the interrupt number Unicorn reports for it (UC_HOOK_INTR);
                         # on all four cores the PC is already past the trap by then


class CallingConvention(NamedTuple):
    """How compiled C passes arguments and results on this ISA, by its ABI,
    as plain data (hal/inspection/convention.py compares what DWARF says a
    function really does with this).  Register names are capstone's, as a
    disassembly prints them.

    Integer and pointer arguments go in `arg_regs` in order, then on the
    stack: argument word k lies at sp + stack_offset + word * (k - skipped)
    on entry, where skipped is 0 if every argument word has a stack slot
    (o32's home area) and len(arg_regs) otherwise.  A two-word value takes
    two registers (the first even-numbered one if `pairs_aligned`); on a
    big-endian ISA the first holds the high word."""
    name: str                       # "cdecl", "o32", ...
    arg_regs: tuple[str, ...]
    result: tuple[str, ...]         # the result's register, then the second word's
    stack_offset: int               # where the first stack argument word lies, from sp on entry
    fp_result: str = ""             # where a float or double result goes (the FPU's)
    slots_for_all: bool = False     # register arguments have stack slots too (o32)
    pairs_aligned: bool = False
    # DWARF register numbers -> names (DW_OP_reg<n>, DW_OP_breg<n>), as capstone names them
    dwarf_regs: tuple[str, ...] = ()
    # The frame pointer and its distance below sp on entry, when DWARF's frame
    # base is that register after a standard prologue (x86: push ebp; mov ebp, esp)
    frame_pointer: str | None = None
    frame_pointer_below_entry_sp: int = 0


class CodeScan(NamedTuple):
    """What a backend finds in a run of code pages before any of it runs.

    Unicorn cores can have translation bugs that take down the whole host
    process; a backend whose core has one says, by reading the code itself,
    where the machine must guard it (hal/core/codeguard.py)."""
    # [begin, end) address ranges the core may translate only under the
    # guard: a native no-op code hook, which makes its translation blocks short
    guard: tuple[tuple[int, int], ...] = ()
    # (address, why): words the core would run wrongly in a way that
    # escapes the machine; the guest faults if it reaches one
    traps: tuple[tuple[int, str], ...] = ()
    refused: str | None = None      # why no guard can make this code safe to run


# eq=False: a backend is one object per ISA, equal only to itself (its tables
# hold dicts, so it could never be hashed by value); repr=False: its own
# __repr__ below.  Both spare every run compiling two methods at import.
@dataclass(frozen=True, eq=False, repr=False)
class Backend:
    name: str                    # short name used on the command line: "mips"
    title: str                   # one line for humans: "MIPS32 little-endian (R4000, o32)"
    isa_id: int                  # what hal_isa_id() returns (HAL_ISA_* in hal_services.h)
    core: str                    # the real Unicorn core behind it
    uc_arch: int
    uc_mode: int
    # capstone's CS_ARCH_* and CS_MODE_* values, written as numbers: running
    # a guest never imports capstone's Python binding (hal/core/cslib.py)
    cs_arch: int
    cs_mode: int
    bits: Literal[32, 64]
    endian: Literal["little", "big"]
    elf_machine: int             # the ELF header's e_machine: 8 (EM_MIPS)
    regs: Registers
    trap: Trap
    fence: bytes                 # one instruction that always traps; fills code-page gaps
    nop: bytes                   # one instruction that does nothing
    insn_width: int | None       # fixed instruction size in bytes; None if variable
    uc_const: str                # unicorn module holding register ids: "mips_const"
    uc_reg_prefix: str           # their common prefix: "UC_MIPS_REG_"
    zig_target: str              # zig cc -target, for guests of the HAL SDK alone
    zig_flags: tuple[str, ...] = ()
    libc_target: str = ""        # zig cc -target for programs with the C library (musl, Linux ABI)
    libc_flags: tuple[str, ...] = ()
    delay_slots: bool = False
    scan_code: Callable[[int, bytes], CodeScan] | None = None   # (start, code pages) -> CodeScan
    # The core also runs encodings of other widths than insn_width (a guest we
    # build never has them, a hostile one may): count by decoding each block.
    count_by_decoding: bool = False
    # Every instruction the core runs starts on a multiple of this (None:
    # insn_width, or 1 if widths vary); the native counter indexes blocks by it.
    insn_align: int | None = None
    # How the guest reaches device registers (hal/core/platform.py): with port
    # instructions of its own (Unicorn's ids for "in" and "out", for
    # UC_HOOK_INSN), or else memory-mapped, I/O port p at io_base + p.
    io_insns: tuple[int, int] | None = None
    io_base: int | None = None
    exceptions: dict[int, str] = field(default_factory=dict)  # Unicorn interrupt numbers, named
    # Where capstone's groups and operands fall short for the instruction mix
    # (hal/inspection/mix.py): "mnemonic operands", "mnemonic first-operand" or "mnemonic"
    # -> class name, checked first;
    # and, on cores where capstone reports no operand access, the mnemonic
    # prefix that marks a memory-operand instruction as a store (else a load).
    mix: dict[str, str] = field(default_factory=dict)
    store_prefix: str | tuple[str, ...] = ""
    # Mnemonics that write a memory first operand where capstone says they read
    # it (capstone 5 marks most x87 stores that way): stores, for the mix.
    stores_to_first_operand: frozenset[str] = frozenset()
    fpu: Fpu = Fpu()
    abi: CallingConvention | None = None
    notes: str = ""
    # Not the ISA its name says but a stand-in for it: what really runs, in
    # words.  Tables then mark the name ("alpha*") and say this under them, so
    # nobody reads a stand-in's counts as the real ISA's.
    stand_in: str = ""
    # Mnemonics whose last operand capstone prints as an offset from the
    # instruction, where the other cores print the target's address ("b*" is
    # a prefix); listings, traces and fault reports show the address.
    pc_relative: tuple[str, ...] = ()
    # Exceptions an instruction raises in the middle of its block (a MIPS
    # conditional trap), by Unicorn interrupt number -> the mnemonics that
    # raise them; the core leaves no PC behind, so the report finds the culprit.
    raisers: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # What a fault at an instruction means, for a student: (regular
    # expression on "mnemonic operands", words), the first match wins.
    fault_notes: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:      # the dataclass's own would print every table above
        return f"<Backend {self.name}: {self.title}>"

    # -- registers -----------------------------------------------------------
    def uc_reg_suffix(self, name: str) -> str:
        """Map a capstone register name to the tail of Unicorn's constant name."""
        return name.lstrip("$").upper()

    @cached_property
    def _uc_const_module(self):
        return importlib.import_module(f"unicorn.{self.uc_const}")

    def reg(self, name: str) -> int:
        """Unicorn's id for a register, derived from its name by one rule."""
        return getattr(self._uc_const_module, self.uc_reg_prefix + self.uc_reg_suffix(name))

    @property
    def counting_width(self) -> int | None:
        """Bytes per instruction for counting by size, or None: decode instead."""
        return None if self.count_by_decoding else self.insn_width

    @property
    def alignment(self) -> int:
        """The alignment every instruction the core runs starts on."""
        return self.insn_align or self.insn_width or 1

    @property
    def word_bytes(self) -> int:
        return self.bits // 8

    @property
    def word_mask(self) -> int:
        return (1 << self.bits) - 1

    # -- machine state -------------------------------------------------------
    def enter(self, uc, entry: int, stack_top: int) -> None:
        """Set up the registers a freshly loaded guest starts with: PC, stack
        pointer and the floating-point unit as a real reset leaves it."""
        uc.reg_write(self.reg(self.regs.pc), entry)
        uc.reg_write(self.reg(self.regs.sp), stack_top)
        for name, clear, set_ in self.fpu.reset:
            reg = self.reg(name)
            old = uc.reg_read(reg)
            new = (old & ~clear) | set_
            if new != old:          # a write can have side effects (Unicorn recomputes flags)
                uc.reg_write(reg, new)

    def fpu_view(self, uc, skip_zero: bool = False) -> tuple[tuple[str, str], ...]:
        """The FPU as a student reads it, (name, text) pairs (hal/core/fpu.py);
        with skip_zero, data registers holding 0 are left out."""
        return flat_view(self, uc, skip_zero)

    # -- floating-point exceptions a guest traps on (hal/core/fptraps.py) -----
    def fp_note(self, uc, address: int, size: int):
        """What to note before an instruction runs, to tell afterwards which
        exceptions it raised; nothing where the FPU's own flags tell."""
        return None

    def fp_raised(self, uc, noted) -> int:
        """The exceptions (HAL_FE_* bits) raised so far, by the sticky flags."""
        return fpu_state.raised(self, uc)

    def fp_clear_flags(self, uc, excepts: int) -> None:
        fpu_state.clear_flags(self, uc, excepts)

    def save_context(self, uc):
        """Snapshot the CPU registers, for moving a guest between cores."""
        return uc.context_save()

    def restore_context(self, uc, context) -> None:
        uc.context_restore(context)

    def exception_name(self, number: int) -> str:
        return self.exceptions.get(number, f"exception #{number}")

    @property
    def label(self) -> str:
        """The name as tables show it: a stand-in's carries a star ("alpha*")."""
        return self.name + "*" if self.stand_in else self.name

    def instruction_text(self, address: int, mnemonic: str, op_str: str) -> str:
        """"mnemonic operands" as a listing shows them, a pc-relative branch
        target as the address it lands on (what the other cores print)."""
        if op_str and any(mnemonic == m or (m.endswith("*") and mnemonic.startswith(m[:-1]))
                          for m in self.pc_relative):
            found = re.search(r"(-?)(0x[0-9a-f]+|\d+)$", op_str)
            if found:
                offset = int(found.group(2), 0) * (-1 if found.group(1) else 1)
                op_str = op_str[:found.start()] + f"{(address + offset) & self.word_mask:#x}"
        return f"{mnemonic} {op_str}".strip()

    def fault_note(self, instruction: str) -> str:
        """What a fault at this instruction means, in words ("" if nothing to add)."""
        return next((words for pattern, words in self.fault_notes
                     if re.search(pattern, instruction)), "")
