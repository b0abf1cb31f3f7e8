"""`hal disasm`: one function's machine code, as capstone reads it, on each ISA.

The classroom point is the HAL trap: the same hal_write() ends in `int 0x2e`,
`syscall`, `sc` or `ecall`, so the listing marks it.  Calls and branches get
the symbol they land in, and --source puts the C (or assembly) line each
instruction came from above it, from the DWARF line table.  Under the
heading, a C function's arguments and result: where DWARF says they are and
where the ABI puts them (convention.py).  A function the compiler inlined
everywhere has no code of its own; asking for it says so, and where it went.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..core.decoders import decoder
from .mix import Classifier
from .symbols import Function, NoSuchFunction, Program, SourceCache

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


def find(program: Program, name: str, debug=None) -> Function:
    """The function `name`; if the symbol table has none because the compiler
    inlined it into its callers, NoSuchFunction says so (DWARF knows the copies)."""
    try:
        return program.function(name)
    except NoSuchFunction:
        if debug is None:
            from .origins import Origins
            debug = Origins(program).debug
        copies = debug.copies_of(name)
        described = debug.subprogram(name)
        defined = _defined_in_source(debug, name) if not copies and described is None else None
        if not copies and (described is None or described.ranges) and defined is None:
            raise
        head = f"no function '{name}' in {program.image.name} on {program.backend.name}: the compiler "
        if defined is not None:
            head = (f"no function '{name}' in {program.image.name} on {program.backend.name}: "
                    f"{defined} defines it, but the compiler inlined it into its callers or "
                    "found it unneeded")
        elif copies:
            callers = sorted({c.caller for c in copies})
            where = sorted({f"{Path(c.call_file).name}:{c.call_line}" for c in copies
                            if c.call_file and c.call_line})
            n = len(copies)
            head += (f"inlined it into {', '.join(callers)} ({n} cop{'y' if n == 1 else 'ies'}"
                     + (f", called at {', '.join(where)}" if where else "") + ")")
        else:
            head += "inlined it everywhere and merged it into the code around each call"
        raise NoSuchFunction(
            head + ", so it has no code of its own; build with -O0 (-O1 inlines less, but "
            "still inlines a static function called once), or mark it "
            "__attribute__((noinline)), to see it alone"
            + (" (`hal profile` counts its copies' instructions for it)" if copies else "")) from None


def _defined_in_source(debug, name: str) -> str | None:
    """"file.c:LINE" where one of the program's own C files defines `name`, if one does."""
    import re
    from .origins import path_category
    pattern = re.compile(rf"^[A-Za-z_][\w\s\*]*\b{re.escape(name)}\s*\([^;]*$")
    for unit in debug.units:
        if path_category(unit.name, unit.producer) != "user":
            continue
        try:
            text = Path(unit.name).read_text(errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(text, start=1):
            if pattern.match(line) and not line.lstrip().startswith(("return", "else")):
                return f"{Path(unit.name).name}:{number}"
    return None


def conventions(program: Program, function: Function, debug=None):
    """Where `function`'s arguments and result live (None for code DWARF does not describe)."""
    from .convention import describe
    if debug is None:
        from .origins import Origins
        debug = Origins(program).debug
    return describe(program.backend, debug, function.name, function.start)


@dataclass(frozen=True)
class Instruction:
    """One line of a listing: an instruction (or padding) and its note."""
    address: int
    code: bytes
    mnemonic: str
    op_str: str
    note: str                       # "<- HAL trap", "<fib+0x8>", "(padding)" or ""

    @property
    def padding(self) -> bool:
        return self.note == "(padding)"

    @property
    def text(self) -> str:
        """Mnemonic, operands and note, as the listing prints them after the bytes."""
        line = f"{self.mnemonic:<8} {self.op_str}".rstrip()
        return f"{line}  {self.note}" if self.note else line


def instructions(program: Program, function: Function) -> list[Instruction]:
    """The function's code decoded, each instruction with its note."""
    b = program.backend
    classify = Classifier(b).classify
    out = []
    for i in disassembler(b, detail=True).disasm(program.code(function), function.start):
        text = b.instruction_text(i.address, i.mnemonic, i.op_str)     # branch targets absolute
        operands = text[len(i.mnemonic):].strip()
        note = ""
        if i.id == 0:
            note = "(padding)"
        elif text == b.trap.mnemonic:
            note = TRAP_NOTE
        elif classify(i) in ("calls", "branches"):
            note = target_note(program, i, function)
        out.append(Instruction(i.address, bytes(i.bytes), i.mnemonic, operands, note))
    return out


def heading(program: Program, function: Function, insns: list[Instruction]) -> str:
    """One line: the function, its ISA, size and count, and what the ISA is."""
    return " ".join(heading_lines(program, function, insns)).replace("   (", " (")


def heading_lines(program: Program, function: Function, insns: list[Instruction]) -> list[str]:
    """The heading as a listing prints it: what the ISA is on a line of its
    own, so that listings fit an 80-column terminal."""
    b = program.backend
    real = sum(1 for i in insns if not i.padding)
    return [f"{function.name} on {b.label}: {len(program.code(function))} bytes, {real} "
            f"instructions", f"  ({b.title}; {b.endian}-endian)"]


def listing(program: Program, function: Function, *, source: bool = False,
            sources: SourceCache | None = None, convention=None) -> list[str]:
    """The lines `hal disasm` prints for one function on one ISA; `convention`
    (convention.Convention) adds its arguments and result under the heading."""
    insns = instructions(program, function)
    width = max((len(i.code) for i in insns), default=1)
    out = heading_lines(program, function, insns)
    if convention is not None:
        out += convention.lines()
    sources = sources or SourceCache()
    last = None
    for i in insns:
        if source:
            row = program.lines.get(i.address)
            if row is not None and row != last:
                last = row
                text = sources.line(*row)
                out.append(f"    {short_path(row[0])}:{row[1]}" + (f":  {text.strip()}" if text else ""))
        out.append(f"  {i.address:08x}:  {i.code.hex(' '):<{3 * width - 1}}  {i.text}".rstrip())
    return out


def short_path(path: Path) -> str:
    """A source path relative to the repository when it lies inside it."""
    root = paths.GUESTS.parent
    try:
        return str(path.resolve().relative_to(root))
    except (ValueError, OSError):
        return path.name
