"""Generated MIPS guests with long branch-free runs, a Python model of what
they compute, and a per-instruction reference count.

Each guest is C with one long run per kind of instruction, written as
inline assembly in a page-aligned section of its own (`.skip` places the
run at a chosen page offset, so that it can span a page boundary).  A run
loads 14 registers from an array, runs LENGTH instructions of its kind,
and stores them back; main() prints every register and a hash of the data
array.  The model computes the same lines in Python.

    python tests/long_runs.py check PROGRESS ELF...

runs each ELF on a halemu Machine (both counters) and on bare Unicorn with a
Python code hook on every instruction (whose blocks stay short, so it never
crashes), and prints JSON: output, counts and fault per ELF.  Run in a child
process by tests/test_long_runs.py, so that a crash fails the test.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REGS = ["v0", "v1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"]
MEM_WORDS = 256
MASK = 0xFFFF_FFFF
# Words capstone 5.0.9 cannot decode that Unicorn 2.1.4 runs as no-ops
# (shifts and lui into $zero with a field that must be zero set)
UNDECODABLE = [0x00200000, 0x00400000, 0x03E00000, 0x3FE0843D, 0x3D608DD8, 0x3F40E0F8,
               0x03E40084]
KINDS = ["addiu", "addu", "sll", "lui", "or", "xor", "slt", "nop", "lw", "sw", "mul",
         "undecodable", "mixed"]


def s32(x: int) -> int:
    x &= MASK
    return x - (1 << 32) if x >> 31 else x


def instruction(kind: str, rnd: random.Random) -> tuple[str, tuple]:
    """(assembly, semantics) of one instruction of `kind`."""
    d, s, t = rnd.choice(REGS), rnd.choice(REGS), rnd.choice(REGS)
    if kind == "addiu":
        imm = rnd.randrange(-0x8000, 0x8000)
        return f"addiu ${d}, ${s}, {imm}", ("addiu", d, s, imm)
    if kind in ("addu", "or", "xor", "slt", "mul"):
        return f"{kind} ${d}, ${s}, ${t}", (kind, d, s, t)
    if kind == "sll":
        sa = rnd.randrange(32)
        return f"sll ${d}, ${t}, {sa}", ("sll", d, t, sa)
    if kind == "lui":
        imm = rnd.randrange(0x10000)
        return f"lui ${d}, {imm}", ("lui", d, imm)
    if kind == "nop":
        return "nop", ("nop",)
    if kind == "lw":
        off = 4 * rnd.randrange(MEM_WORDS)
        return f"lw ${d}, {off}($a1)", ("lw", d, off)
    if kind == "sw":
        off = 4 * rnd.randrange(MEM_WORDS)
        return f"sw ${t}, {off}($a1)", ("sw", t, off)
    if kind == "undecodable":
        return f".word {rnd.choice(UNDECODABLE):#010x}", ("nop",)
    if kind == "mixed":
        return instruction(rnd.choice(KINDS[:-1]), rnd)
    raise ValueError(kind)


class Guest:
    """One generated guest: LENGTH instructions of every kind, each run at
    page offset OFFSET."""

    def __init__(self, length: int, offset: int = 0x80, seed: int = 0, kinds=KINDS):
        self.length, self.offset, self.kinds = length, offset, list(kinds)
        rnd = random.Random(f"{seed}-{length}-{offset}")
        self.init = {k: [rnd.getrandbits(32) for _ in REGS] for k in self.kinds}
        self.mem = {k: [rnd.getrandbits(32) for _ in range(MEM_WORDS)] for k in self.kinds}
        self.runs = {k: [instruction(k, rnd) for _ in range(length)] for k in self.kinds}

    @property
    def name(self) -> str:
        return f"long{self.length}_{self.offset:x}"

    def source(self) -> str:
        out = ['#include "hal.h"', ""]
        for k in self.kinds:
            body = "\n".join(f'    "    {asm}\\n"' for asm, _ in self.runs[k])
            loads = "".join(f'    "    lw ${r}, {4 * i}($a0)\\n"\n' for i, r in enumerate(REGS))
            stores = "".join(f'    "    sw ${r}, {4 * i}($a0)\\n"\n' for i, r in enumerate(REGS))
            out += [f"__asm__(\".section .text.run_{k}, \\\"ax\\\", @progbits\\n\"",
                    '    ".balign 4096\\n"',
                    f'    ".skip {self.offset - 4 * len(REGS)}\\n"',
                    f'    ".globl run_{k}\\n"',
                    '    ".set push\\n.set noreorder\\n.set noat\\n"',
                    f'    "run_{k}:\\n"', loads + body, stores + '    "    jr $ra\\n    nop\\n"',
                    '    ".set pop\\n.previous\\n");',
                    f"void run_{k}(unsigned *regs, unsigned *mem);",
                    f"static unsigned regs_{k}[{len(REGS)}] = {{{_list(self.init[k])}}};",
                    f"static unsigned mem_{k}[{MEM_WORDS}] = {{{_list(self.mem[k])}}};",
                    ""]
        out += ["static void show(const char *kind, unsigned *regs, unsigned *mem)", "{",
                "    unsigned h = 2166136261u;",
                f"    for (int i = 0; i < {MEM_WORDS}; i++) h = (h ^ mem[i]) * 16777619u;",
                "    hal_print(kind);",
                f"    for (int i = 0; i < {len(REGS)}; i++) {{",
                "        hal_putc(' '); hal_print_hex(regs[i], 8);", "    }",
                "    hal_putc(' '); hal_print_hex(h, 8); hal_putc('\\n');", "}", "",
                "int main(void)", "{"]
        out += [f'    run_{k}(regs_{k}, mem_{k}); show("{k}", regs_{k}, mem_{k});'
                for k in self.kinds]
        out += ["    return 0;", "}", ""]
        return "\n".join(out)

    def expected_output(self) -> str:
        lines = []
        for k in self.kinds:
            regs = dict(zip(REGS, self.init[k]))
            mem = list(self.mem[k])
            for _, sem in self.runs[k]:
                _step(sem, regs, mem)
            h = 2166136261
            for w in mem:
                h = ((h ^ w) * 16777619) & MASK
            lines.append(" ".join([k] + [f"0x{regs[r]:08x}" for r in REGS] + [f"0x{h:08x}"]))
        return "\n".join(lines) + "\n"


def _list(values) -> str:
    return ", ".join(map(hex, values))


def _step(sem: tuple, regs: dict, mem: list) -> None:
    op = sem[0]
    if op == "nop":
        return
    if op == "sw":
        mem[sem[2] // 4] = regs[sem[1]]
        return
    d = sem[1]
    g = regs.__getitem__
    if op == "addiu":
        value = g(sem[2]) + sem[3]
    elif op == "addu":
        value = g(sem[2]) + g(sem[3])
    elif op == "sll":
        value = g(sem[2]) << sem[3]
    elif op == "lui":
        value = sem[2] << 16
    elif op == "or":
        value = g(sem[2]) | g(sem[3])
    elif op == "xor":
        value = g(sem[2]) ^ g(sem[3])
    elif op == "slt":
        value = int(s32(g(sem[2])) < s32(g(sem[3])))
    elif op == "mul":
        value = s32(g(sem[2])) * s32(g(sem[3]))
    elif op == "lw":
        value = mem[sem[2] // 4]
    else:
        raise ValueError(op)
    regs[d] = value & MASK


def reference(elf: Path) -> dict:
    """Bare Unicorn, no guard, a Python code hook on every instruction (so
    no block is long): the instruction count and the output."""
    from unicorn import UC_HOOK_CODE, UC_HOOK_INTR, UC_PROT_READ, UC_PROT_WRITE, Uc

    from hal.core import loader, services
    from hal.core.machine import _protect
    from hal.core.memmap import STOP_ADDRESS, MemoryMap

    image = loader.load(elf)
    b = image.backend
    mm = MemoryMap()
    uc = Uc(b.uc_arch, b.uc_mode)
    uc.mem_map(mm.ram_base, mm.size, UC_PROT_READ | UC_PROT_WRITE)
    for s in image.segments:
        uc.mem_write(s.vaddr, s.data)
    _protect(uc, image)
    b.enter(uc, image.entry, mm.stack_top)
    state = {"count": 0, "output": b"", "exit": None}

    def on_code(u, address, size, _):
        state["count"] += 1

    def on_trap(u, intno, _):
        service = services.BY_NUMBER.get(u.reg_read(b.reg(b.regs.service)))
        args = [u.reg_read(b.reg(r)) for r in b.regs.args]
        if intno != b.trap.interrupt or service is None or service.name == "exit":
            state["exit"] = args[0] if service is not None and service.name == "exit" else -intno
            u.emu_stop()
        elif service.name == "write":
            state["output"] += bytes(u.mem_read(args[0], args[1]))
            u.reg_write(b.reg(b.regs.result), args[1])

    uc.hook_add(UC_HOOK_CODE, on_code)
    uc.hook_add(UC_HOOK_INTR, on_trap)
    uc.emu_start(image.entry, STOP_ADDRESS)
    return {"retired": state["count"], "output": state["output"].decode(), "exit": state["exit"]}


def machine(elf: Path, native: bool) -> dict:
    from hal.core import loader
    from hal.core.console import Console
    from hal.core.machine import Machine, Stop
    console = Console()
    m = Machine(loader.load(elf), console=console, native=native)
    while m.run(10_000) in (Stop.BUDGET, Stop.BLOCKED):
        if m.request is not None:
            m.complete()
    return {"retired": m.retired, "output": console.output.decode(),
            "exit": m.exit_code, "fault": m.fault and m.fault.summary(),
            "guarded": len(m.code_guard.guarded)}


if __name__ == "__main__":
    assert sys.argv[1] == "check"
    progress = Path(sys.argv[2])
    results = {}
    for path in sys.argv[3:]:
        progress.write_text(path)
        results[path] = {"reference": reference(Path(path)),
                         "native": machine(Path(path), True),
                         "python": machine(Path(path), False)}
    print(json.dumps(results))
