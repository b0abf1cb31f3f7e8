"""`hal disasm`: one function's machine code, as capstone reads it, on each ISA.

The classroom point is the HAL trap: the same hal_write() ends in `int 0x2e`,
`syscall`, `sc` or `ecall`, so the listing marks it.  Calls and branches get
the symbol they land in, and --source puts the C (or assembly) line each
instruction came from above it, from the DWARF line table.
"""
from __future__ import annotations

from pathlib import Path

from .. import paths
from ..core.decoders import decoder
from .mix import Classifier
from .symbols import Function, Program, SourceCache

TRAP_NOTE = "<- HAL trap"


def disassembler(backend, detail: bool = False):
    """A capstone instance that steps over bytes it cannot decode (padding)."""
    return decoder(backend, detail=detail, skipdata=True)


def static_count(program: Program) -> int:
    """Instructions in the functions of the symbol table: the alignment padding
    between them (int3 or nop fill, undecodable words) is not code.  Without a
    symbol table, every decodable instruction in .text."""
    md = disassembler(program.backend)
    pieces = [(program.code(f), f.start) for f in program.functions] or \
        [(program.text, program.text_address)]
    return sum(1 for code, start in pieces
               for _, _, mnemonic, _ in md.disasm_lite(code, start) if mnemonic != ".byte")


def target_note(program: Program, insn, here: Function | None) -> str:
    """`<function+offset>` for a call or branch whose immediate lands in a known
    function.  For pc-relative branches capstone prints the absolute target on
    some cores and the offset on others, so both readings are tried; other
    immediates (absolute jumps; offsets from a register) are taken as they are."""
    import capstone
    # some cores (RISC-V's jal) put no "relative" group on pc-relative calls
    relative = any(g in insn.groups for g in (capstone.CS_GRP_BRANCH_RELATIVE,
                                             capstone.CS_GRP_CALL, capstone.CS_GRP_JUMP))
    for op in insn.operands:
        if op.type != capstone.CS_OP_IMM:
            continue
        for target in (op.imm, insn.address + op.imm) if relative else (op.imm,):
            f = program.function_at(target)
            if f is not None:
                off = target - f.start
                return f"<{f.name}+{off:#x}>" if off else f"<{f.name}>"
    return ""


def listing(program: Program, function: Function, *, source: bool = False,
            sources: SourceCache | None = None) -> list[str]:
    """The lines `hal disasm` prints for one function on one ISA."""
    b = program.backend
    classify = Classifier(b).classify
    code = program.code(function)
    insns = list(disassembler(b, detail=True).disasm(code, function.start))
    real = [i for i in insns if i.id != 0]
    width = max((len(i.bytes) for i in insns), default=1)
    out = [f"{function.name} on {b.name}: {len(code)} bytes, {len(real)} instructions "
           f"({b.title}; {b.endian}-endian)"]
    sources = sources or SourceCache()
    last = None
    for i in insns:
        if source:
            row = program.lines.get(i.address)
            if row is not None and row != last:
                last = row
                text = sources.line(*row)
                out.append(f"    {_short(row[0])}:{row[1]}" + (f":  {text.strip()}" if text else ""))
        text = f"{i.mnemonic} {i.op_str}".strip()
        note = ""
        if i.id == 0:
            note = "(padding)"
        elif text == b.trap.mnemonic:
            note = TRAP_NOTE
        elif classify(i) in ("calls", "branches"):
            note = target_note(program, i, function)
        line = f"  {i.address:08x}:  {i.bytes.hex(' '):<{3 * width - 1}}  {i.mnemonic:<8} {i.op_str}"
        out.append((line.rstrip() + "  " + note) if note else line.rstrip())
    return out


def _short(path: Path) -> str:
    """A source path relative to the repository when it lies inside it."""
    root = paths.GUESTS.parent
    try:
        return str(path.resolve().relative_to(root))
    except (ValueError, OSError):
        return path.name
