"""Refuse code that a Unicorn core is known to crash on, before it runs.

Unicorn 2.1.4's MIPS core crashes the whole host process (not just the
guest) when it translates a basic block of about 378 or more instructions
with no branch among them (ALU instructions; loads and stores seem not to
count).  A straight run of `nop`s does it, and zeroed memory is exactly that
on MIPS: code that runs off its end into zeros, or a jump into a zeroed
page, crashes the host.  This is what unicorn-engine/unicorn#2134 runs into.
(A branch whose delay slot lies on an unexecutable page, tried here too,
does not crash when no instruction count is asked of emu_start.)

The machine closes the usual ways in: data pages are not executable, and
every byte of a code page that holds no code is the ISA's trapping fence
instruction (Image.code_pages).  What is left is code an ELF file brings
itself; this check refuses long branch-free runs with a clear reason.
Backends that need it say so: Backend.max_straight_line.
"""
from __future__ import annotations

from ..errors import LoadError
from .decoders import decoder

_DECODERS: dict[str, "_Decoder"] = {}


class _Decoder:
    """What ends a basic block, answered once per distinct encoding (nothing
    here depends on the address, so answers are shared): a jump, branch, call
    or return (by capstone's groups, or the backend's mix table where capstone
    gives none), an interrupt, or the fence."""

    def __init__(self, backend):
        import capstone as cs
        self.backend = backend
        self.md = decoder(backend, detail=True)
        self.fence_mnemonic = next(self.md.disasm(backend.fence, 0)).mnemonic
        self._ending = {cs.CS_GRP_JUMP, cs.CS_GRP_CALL, cs.CS_GRP_RET, cs.CS_GRP_IRET,
                        cs.CS_GRP_BRANCH_RELATIVE, cs.CS_GRP_INT}
        self._memo: dict[bytes, tuple[int, bool] | None] = {}

    def _ends(self, insn) -> bool:
        table = self.backend.mix
        text = f"{insn.mnemonic} {insn.op_str}".strip()
        first = f"{insn.mnemonic} {insn.op_str.split(',')[0]}"
        if (table.get(text) or table.get(first) or table.get(insn.mnemonic)) in ("branches", "calls"):
            return True
        return insn.mnemonic == self.fence_mnemonic or bool(self._ending & set(insn.groups))

    def decode(self, code: bytes) -> tuple[int, bool] | None:
        """(size, ends a block) of the instruction at the start of `code`; None
        if it does not decode (the core raises there, which ends the block)."""
        key = code[:16]
        if key in self._memo:
            return self._memo[key]
        insn = next(self.md.disasm(key, 0, 1), None)
        answer = None if insn is None else (insn.size, self._ends(insn))
        if len(self._memo) < 1 << 16:
            self._memo[key] = answer
        return answer


def check_code(image) -> None:
    """Raise LoadError if the image's code pages hold what the core crashes on."""
    b = image.backend
    if not b.max_straight_line:
        return
    decoder = _DECODERS.get(b.name) or _DECODERS.setdefault(b.name, _Decoder(b))
    width = b.insn_width or 1
    for start, code in image.code_pages():
        run, run_start, offset = 0, start, 0
        while offset < len(code):
            decoded = decoder.decode(code[offset:offset + 16])
            size, ends = decoded if decoded else (width, True)
            offset += size
            if ends:
                run, run_start = 0, start + offset
                continue
            run += 1
            if run > b.max_straight_line:
                raise LoadError(
                    f"{image.path}: {run} instructions in a row without a branch at "
                    f"{run_start:#x}; Unicorn's {b.name} core crashes on blocks that long "
                    f"(this guard allows {b.max_straight_line})")
