"""Turn a guest's crash into a report a student can act on: what, where, state."""
from __future__ import annotations

from dataclasses import dataclass

from .decoders import decoder
from .isa import Backend

# Unicorn error names -> what happened, in words
UC_ERRORS = {
    "UC_ERR_READ_UNMAPPED": "read from unmapped memory",
    "UC_ERR_WRITE_UNMAPPED": "write to unmapped memory",
    "UC_ERR_FETCH_UNMAPPED": "jumped to unmapped memory",
    "UC_ERR_READ_PROT": "read from protected memory",
    "UC_ERR_WRITE_PROT": "write to read-only memory",
    "UC_ERR_FETCH_PROT": "jumped to non-executable memory",
    "UC_ERR_READ_UNALIGNED": "misaligned read",
    "UC_ERR_WRITE_UNALIGNED": "misaligned write",
    "UC_ERR_FETCH_UNALIGNED": "misaligned instruction fetch",
    "UC_ERR_INSN_INVALID": "invalid instruction",
    "UC_ERR_EXCEPTION": "unhandled CPU exception",
}


@dataclass(frozen=True)
class Fault:
    reason: str
    pc: int
    instruction: str            # disassembled, or "??" where memory is unreadable
    address: int | None         # the memory access that failed, if any
    registers: tuple[tuple[str, int], ...]
    fpu: tuple[tuple[str, str], ...] = ()     # the FPU after the integer registers
                                              # (Backend.fpu_view; zero data registers left out)

    def summary(self) -> str:
        at = f" at address {self.address:#x}" if self.address is not None else ""
        return f"{self.reason}{at} (pc {self.pc:#x}: {self.instruction})"

    def __repr__(self) -> str:      # one line; the registers are in .registers
        return f"<Fault {self.summary()}>"

    def register_dump(self, digits: int) -> str:
        return " ".join(f"{name}={value:0{digits}x}" for name, value in self.registers)

    def fpu_dump(self) -> str:
        return " ".join(f"{name}={text}" for name, text in self.fpu)


def disassemble_at(backend: Backend, uc, pc: int) -> str:
    from .memmap import IO_WINDOW
    if backend.io_base is not None and backend.io_base <= pc < backend.io_base + IO_WINDOW:
        return "?? (the device window holds registers, not code)"   # reading it has effects
    try:
        code = bytes(uc.mem_read(pc, backend.counting_width or 16))
    except Exception:
        return "?? (no memory there)"
    for insn in decoder(backend).disasm(code, pc, 1):
        return backend.instruction_text(insn.address, insn.mnemonic, insn.op_str)
    return "(bytes " + code.hex(" ") + ")"


def capture(backend: Backend, uc, reason: str, address: int | None = None,
            pc: int | None = None) -> Fault:
    """The guest's state now, for a fault at `pc` (default: where the PC is)."""
    if pc is None:
        pc = uc.reg_read(backend.reg(backend.regs.pc))
    regs = tuple((r, uc.reg_read(backend.reg(r))) for r in backend.regs.dump)
    instruction = disassemble_at(backend, uc, pc)
    note = backend.fault_note(instruction)
    return Fault(f"{reason}: {note}" if note else reason, pc, instruction, address, regs,
                 backend.fpu_view(uc, skip_zero=True))


def uc_error_reason(errno: int) -> str:
    """Unicorn's error code in words: ours where we have them, else Unicorn's."""
    import unicorn.unicorn_const as k
    from unicorn import UcError
    for name in dir(k):
        if name.startswith("UC_ERR_") and getattr(k, name) == errno:
            return UC_ERRORS.get(name) or str(UcError(errno))
    return str(UcError(errno))
