"""The dynamic instruction mix: every retired instruction sorted into one class.

The machine's own block counter already knows how often each basic block ran,
so a mix costs no extra hook at all: after the run, each distinct block is
disassembled and classified once, and its classes are weighted by its
executions (blocks.py).  The total is the machine's exact retired count.

One class per instruction, first rule that applies wins:
  1. the backend's HAL trap ("int 0x2e", "syscall", "sc", "ecall")  -> other
  2. the backend's own table (Backend.mix), for what capstone misses: keyed by
     the whole instruction, by the mnemonic and first operand, or by the mnemonic
  3. capstone groups: call or return -> calls; jump or relative branch -> branches;
     interrupt -> other
  4. "nop"                                                          -> other
  5. a memory operand: written -> stores, read -> loads (cores without operand
     access in capstone: Backend.store_prefix tells stores from loads; where
     capstone has it wrong, Backend.stores_to_first_operand);
     an address computed but not accessed (x86 lea) is arithmetic
  6. a floating-point register among the operands, or among the registers
     capstone says it reads or writes (x86: the x87's implicit st(0) and
     status word) -- the names in Backend.fpu                          -> fp
  7. everything else                                                -> alu
So floating-point loads and stores count as memory traffic, FP branches as
branches, and the floating-point class holds the FPU's own work: arithmetic,
compares, conversions, moves within and into or out of the FPU, and its
control and status registers.
"""
from __future__ import annotations

from functools import cached_property

from ..core.decoders import decoder
from ..core.isa import Backend

CLASSES = ("loads", "stores", "branches", "calls", "alu", "muldiv", "fp", "other")
LABELS = {"loads": "loads", "stores": "stores", "branches": "branches/jumps",
          "calls": "calls/returns", "alu": "integer ALU", "muldiv": "multiply/divide",
          "fp": "floating point", "other": "other (traps, nops)"}
INDEX = {c: i for i, c in enumerate(CLASSES)}


class Classifier:
    """Sorts one ISA's instructions into CLASSES, with capstone in detail mode."""

    def __init__(self, backend: Backend):
        unknown = set(backend.mix.values()) - set(CLASSES)
        if unknown:
            raise ValueError(f"{backend.name}: unknown mix classes {sorted(unknown)}")
        self.backend = backend
        self._fp_names = backend.fpu.names

    @property
    def disassembler(self):
        return decoder(self.backend, detail=True)

    @cached_property
    def _groups(self):
        import capstone as cs
        return ((cs.CS_GRP_CALL, "calls"), (cs.CS_GRP_RET, "calls"), (cs.CS_GRP_IRET, "calls"),
                (cs.CS_GRP_INT, "other"), (cs.CS_GRP_JUMP, "branches"),
                (cs.CS_GRP_BRANCH_RELATIVE, "branches"))

    def classify(self, insn) -> str:
        """The class of one capstone instruction (disassembled with detail on)."""
        import capstone as cs
        b = self.backend
        text = f"{insn.mnemonic} {insn.op_str}".strip()
        if text == b.trap.mnemonic:
            return "other"
        first = f"{insn.mnemonic} {insn.op_str.split(',')[0]}"
        found = b.mix.get(text) or b.mix.get(first) or b.mix.get(insn.mnemonic)
        if found:
            return found
        groups = set(insn.groups)
        for group, cls in self._groups:
            if group in groups:
                return cls
        if insn.mnemonic == "nop":
            return "other"
        mems = [op for op in insn.operands if op.type == cs.CS_OP_MEM]
        if mems and insn.mnemonic in b.stores_to_first_operand and insn.operands[0].type == cs.CS_OP_MEM:
            return "stores"
        if mems:
            access = [getattr(op, "access", None) for op in mems]
            if None in access:      # this core's capstone does not say
                return "stores" if b.store_prefix and insn.mnemonic.startswith(b.store_prefix) \
                    else "loads"
            if any(a & cs.CS_AC_WRITE for a in access):
                return "stores"
            if any(a & cs.CS_AC_READ for a in access):
                return "loads"
        if self._uses_fpu(insn):
            return "fp"
        return "alu"

    def _uses_fpu(self, insn) -> bool:
        import capstone as cs
        names = {insn.reg_name(op.reg) for op in insn.operands if op.type == cs.CS_OP_REG}
        try:
            read, written = insn.regs_access()
            names.update(insn.reg_name(r) for r in (*read, *written))
        except cs.CsError:          # this core's capstone does not say
            pass
        return not names.isdisjoint(self._fp_names)

    def block(self, code: bytes, address: int) -> tuple[int, ...]:
        """Class indices of the instructions in one block, in order.  A word
        capstone cannot decode that the core ran anyway (Unicorn runs some
        as no-ops) is one instruction of class "other"."""
        out: list[int] = []
        offset, width = 0, self.backend.insn_width or 1
        while offset < len(code):
            for insn in self.disassembler.disasm(code[offset:], address + offset):
                out.append(INDEX[self.classify(insn)])
                offset += insn.size
            if offset < len(code):
                out.append(INDEX["other"])
                offset += width
        return tuple(out)


def count(machine) -> dict[str, int]:
    """Retired instructions per class, after (or between) runs of `machine`; they
    add up to machine.retired exactly (blocks.weigh)."""
    from .blocks import weigh
    classifier = Classifier(machine.backend)
    counts = weigh(machine, lambda address, code: classifier.block(code, address))
    return {c: counts[i] for i, c in enumerate(CLASSES)}
