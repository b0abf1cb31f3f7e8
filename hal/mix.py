"""The dynamic instruction mix: every retired instruction sorted into one class.

Each basic block is disassembled and classified once, the first time it runs;
after that a Python block hook only counts how often each block ran.  The
mix is the per-block class counts times the executions, so its total is the
machine's exact retired count (a fault in the middle of the last block is
reconciled by dropping that block's unexecuted tail).

One class per instruction, first rule that applies wins:
  1. the backend's HAL trap ("int 0x2e", "syscall", "sc", "ecall")  -> other
  2. the backend's own table (Backend.mix), for what capstone misses
  3. capstone groups: call or return -> calls; jump or relative branch -> branches;
     interrupt -> other
  4. "nop"                                                          -> other
  5. a memory operand: written -> stores, read -> loads (cores without operand
     access in capstone: Backend.store_prefix tells stores from loads);
     an address computed but not accessed (x86 lea) is arithmetic
  6. everything else                                                -> alu
"""
from __future__ import annotations

from functools import cached_property

from .isa import Backend

CLASSES = ("loads", "stores", "branches", "calls", "alu", "muldiv", "other")
LABELS = {"loads": "loads", "stores": "stores", "branches": "branches/jumps",
          "calls": "calls/returns", "alu": "integer ALU", "muldiv": "multiply/divide",
          "other": "other (traps, nops)"}
INDEX = {c: i for i, c in enumerate(CLASSES)}


class Classifier:
    """Sorts one ISA's instructions into CLASSES, with capstone in detail mode."""

    def __init__(self, backend: Backend):
        unknown = set(backend.mix.values()) - set(CLASSES)
        if unknown:
            raise ValueError(f"{backend.name}: unknown mix classes {sorted(unknown)}")
        self.backend = backend

    @cached_property
    def disassembler(self):
        import capstone
        md = capstone.Cs(self.backend.cs_arch, self.backend.cs_mode)
        md.detail = True
        return md

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
        found = b.mix.get(text) or b.mix.get(insn.mnemonic)
        if found:
            return found
        groups = set(insn.groups)
        for group, cls in self._groups:
            if group in groups:
                return cls
        if insn.mnemonic == "nop":
            return "other"
        mems = [op for op in insn.operands if op.type == cs.CS_OP_MEM]
        if mems:
            access = [getattr(op, "access", None) for op in mems]
            if None in access:      # this core's capstone does not say
                return "stores" if b.store_prefix and insn.mnemonic.startswith(b.store_prefix) \
                    else "loads"
            if any(a & cs.CS_AC_WRITE for a in access):
                return "stores"
            if any(a & cs.CS_AC_READ for a in access):
                return "loads"
        return "alu"

    def block(self, code: bytes, address: int) -> tuple[int, ...]:
        """Class indices of the instructions in one block, in order."""
        return tuple(INDEX[self.classify(i)] for i in self.disassembler.disasm(code, address))


class MixCounter:
    """Counts a Machine's dynamic mix with its own Unicorn block hook.

    Meant for runs without a budget (a budget stop re-runs a block, which this
    would count twice); faults and instruction limits are reconciled in mix()."""

    def __init__(self, machine):
        from unicorn import UC_HOOK_BLOCK
        self.machine = machine
        self.classifier = Classifier(machine.backend)
        self.blocks: dict[tuple[int, int], tuple[int, ...]] = {}   # classes, in order
        self.hits: dict[tuple[int, int], int] = {}                 # executions
        self.last: tuple[int, int] | None = None
        machine.uc.hook_add(UC_HOOK_BLOCK, self._on_block)

    def _on_block(self, uc, address, size, _data):
        key = (address, size)
        n = self.hits.get(key)
        if n is None:
            self.blocks[key] = self.classifier.block(bytes(uc.mem_read(address, size)), address)
            n = 0
        self.hits[key] = n + 1
        self.last = key

    def mix(self) -> dict[str, int]:
        """Retired instructions per class; they add up to machine.retired exactly."""
        counts = [0] * len(CLASSES)
        for key, n in self.hits.items():
            for c in self.blocks[key]:
                counts[c] += n
        excess = sum(counts) - self.machine.retired
        if excess:
            # The run stopped inside (or before) the last block we saw: the
            # machine counted only the instructions that ran.
            tail = self.blocks[self.last][-excess:] if self.last else ()
            if not 0 < excess <= len(self.blocks.get(self.last, ())):
                raise AssertionError(f"mix counted {excess} instructions more than retired")
            for c in tail:
                counts[c] -= 1
        assert sum(counts) == self.machine.retired
        return dict(zip(CLASSES, counts))
