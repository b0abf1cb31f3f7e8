"""`hal trace`: one guest, instruction by instruction: address, disassembly and
the registers each instruction changed, with their values after it.

A Python code hook per instruction is slow, but a trace is short (--limit).
Registers are read before each traced instruction and again before the next
one runs, wherever that is.  An instruction's writes are the registers whose
value changed, plus those capstone says it writes where capstone knows (x86);
elsewhere a register rewritten with the value it already held does not show.
The floating-point unit is followed the same way, as the backend shows it
(Backend.fpu_view): FPU registers that changed, and on x86 the x87 stack as
a whole whenever it changes (a push, a pop or a new top value).
"""
from __future__ import annotations

from dataclasses import dataclass

from .symbols import Function, Program

SCHEMA = "halemu.trace/1"


@dataclass(frozen=True)
class Step:
    index: int                      # 1-based, in trace order
    address: int
    where: str                      # function+offset, or "" outside every symbol
    code: bytes
    text: str
    writes: tuple[tuple[str, int], ...]
    fpu: tuple[tuple[str, str], ...] = ()  # FPU registers that changed, as Backend.fpu_view shows them


@dataclass(frozen=True)
class Trace:
    guest: str
    isa: str
    function: str | None
    limit: int
    steps: list[Step]
    end: str                        # "limit", "exited", "faulted" or "blocked"
    exit_code: int | None
    fault: str | None
    word_digits: int

    def to_dict(self) -> dict:
        """The `--format json` object ("schema": "halemu.trace/1"):
        {"schema", "guest", "isa", "function": str | null, "limit": int,
         "end": "limit" | "exited" | "faulted" | ..., "exit_code": int | null,
         "fault": str | null,
         "steps": [{"index": int (from 1), "address": int, "function": "name+0xoff" or "",
                    "bytes": hex str, "text": str, "writes": {register: value after},
                    "fpu": {FPU register: its value after, as text}}]}"""
        return {"schema": SCHEMA, "guest": self.guest, "isa": self.isa,
                "function": self.function, "limit": self.limit, "end": self.end,
                "exit_code": self.exit_code, "fault": self.fault,
                "steps": [{"index": s.index, "address": s.address, "function": s.where,
                           "bytes": s.code.hex(), "text": s.text, "writes": dict(s.writes),
                           "fpu": dict(s.fpu)}
                          for s in self.steps]}

    def lines(self) -> list[str]:
        scope = f"function {self.function}" if self.function else "from the entry point"
        out = [f"trace of {self.guest} on {self.isa}, {scope}: {len(self.steps)} instructions"]
        width = max((len(s.where) for s in self.steps), default=0)
        for s in self.steps:
            writes = " ".join([*(f"{r}={v:0{self.word_digits}x}" for r, v in s.writes),
                               *(f"{r}={v}" for r, v in s.fpu)])
            out.append(f"{s.index:6}  {s.address:08x}  {s.where:<{width}}  {s.text:<32} {writes}"
                       .rstrip())
        if self.end == "limit":
            out.append(f"stopped after {self.limit} instructions (--limit)")
        elif self.end == "exited":
            out.append(f"guest exited with {self.exit_code}")
        return out


class Tracer:
    """Records steps from a Machine's run with its own Unicorn code hook."""

    def __init__(self, machine, program: Program, limit: int, function: Function | None = None):
        from unicorn import UC_HOOK_CODE
        b = machine.backend
        self.machine, self.program, self.limit, self.function = machine, program, limit, function
        self.regs = [(name, b.reg(name)) for name in b.regs.dump if name != b.regs.pc]
        self.steps: list[Step] = []
        self.full = False
        self._pending: tuple[int, bytes, tuple[int, ...], tuple] | None = None
        self._texts: dict[tuple[bytes, int], tuple[str, frozenset[str]]] = {}
        from .disasm import disassembler
        self._md = disassembler(b, detail=True)
        machine.uc.hook_add(UC_HOOK_CODE, self._on_code)

    def _read(self, uc) -> tuple[int, ...]:
        return tuple(uc.reg_read(r) for _, r in self.regs)

    def finish(self, uc) -> None:
        """Close the pending step: its writes are what changed since it began."""
        if self._pending is None:
            return
        address, code, before, fpu_before = self._pending
        self._pending = None
        after = self._read(uc)
        text, written = self._decode(code, address)
        writes = tuple((name, v) for (name, _), old, v in zip(self.regs, before, after)
                       if v != old or name in written)
        fpu = tuple(item for item in self.machine.backend.fpu_view(uc) if item not in fpu_before)
        f = self.program.function_at(address)
        where = "" if f is None else f.name + (f"+{address - f.start:#x}" if address != f.start else "")
        self.steps.append(Step(len(self.steps) + 1, address, where, code, text, writes, fpu))

    def _decode(self, code: bytes, address: int) -> tuple[str, frozenset[str]]:
        """Disassembly and the registers capstone says it writes (none where it cannot say)."""
        import capstone
        key = (code, address)
        found = self._texts.get(key)
        if found is None:
            text, written = "(bytes " + code.hex(" ") + ")", frozenset()
            for insn in self._md.disasm(code, address, 1):
                text = self.machine.backend.instruction_text(insn.address, insn.mnemonic, insn.op_str)
                try:
                    written = frozenset(insn.reg_name(r) for r in insn.regs_access()[1])
                except capstone.CsError:
                    pass
            self._texts[key] = found = (text, written)
        return found

    def _on_code(self, uc, address, size, _data):
        if self._pending is not None:
            self.finish(uc)
            if len(self.steps) >= self.limit:
                self.full = True
                uc.emu_stop()
                return
        if self.function is None or address in self.function:
            self._pending = (address, bytes(uc.mem_read(address, size)), self._read(uc),
                             frozenset(self.machine.backend.fpu_view(uc)))


def trace(image, *, limit: int, function: str | None = None, stdin: bytes | None = None) -> Trace:
    """Run `image` under a Tracer until `limit` steps are recorded or the guest ends."""
    from . import drive

    program = Program(image)
    try:
        target = program.function(function) if function else None
        machine = drive.machine(image, stdin=stdin)
        tracer = Tracer(machine, program, limit, target)
        stop = drive.to_end(machine, keep_going=lambda: not tracer.full)
        tracer.finish(machine.uc)
    finally:
        program.close()
    if tracer.full:
        end, fault = "limit", None       # we stopped it; the machine's verdict does not apply
    else:
        end = stop.value
        fault = machine.fault.summary() if machine.fault else None
    b = image.backend
    machine.close()
    return Trace(machine.name, b.name, function, limit, tracer.steps, end,
                 machine.exit_code if end == "exited" else None, fault, b.word_bytes * 2)
