"""The HAL interface: every backend is complete, and hal/ never names an ISA."""
import ast
import re
from pathlib import Path

import capstone
import pytest

from hal import paths
from hal.core import registry
from hal.core.services import SERVICES
from hal.toolchain.header import render_header

HAL = Path(__file__).parent.parent / "hal"


def test_four_isas_registered():
    assert registry.names() == ["x86", "mips", "ppc", "alpha"]


def test_isa_ids_unique():
    ids = [b.isa_id for b in registry.backends()]
    assert len(set(ids)) == len(ids)


def test_registers_resolve(backend):
    r = backend.regs
    for name in (r.pc, r.sp, r.result, r.service, *r.args, *r.dump):
        assert isinstance(backend.reg(name), int), name


def test_fence_and_nop_disassemble(backend):
    md = capstone.Cs(backend.cs_arch, backend.cs_mode)
    fence = list(md.disasm(backend.fence, 0))
    nop = list(md.disasm(backend.nop, 0))
    assert len(fence) == 1 and len(nop) == 1
    assert nop[0].mnemonic in ("nop", "addi", "ori", "sll")


# Backends give capstone's values as numbers (a run never imports the
# binding, hal/core/cslib.py); here they are checked against capstone's names
CAPSTONE = {"x86": ("CS_ARCH_X86", "CS_MODE_32"),
            "mips": ("CS_ARCH_MIPS", "CS_MODE_MIPS32", "CS_MODE_LITTLE_ENDIAN"),
            "ppc": ("CS_ARCH_PPC", "CS_MODE_32", "CS_MODE_BIG_ENDIAN"),
            "alpha": ("CS_ARCH_RISCV", "CS_MODE_RISCV64", "CS_MODE_RISCVC")}


def test_capstone_numbers_are_capstones_own(backend):
    arch, *modes = CAPSTONE[backend.name]
    mode = 0
    for m in modes:
        mode |= getattr(capstone, m)
    assert (backend.cs_arch, backend.cs_mode) == (getattr(capstone, arch), mode)


ELF_MACHINE = {"x86": "EM_386", "mips": "EM_MIPS", "ppc": "EM_PPC", "alpha": "EM_RISCV"}


def test_elf_machine_numbers_are_the_ones_pyelftools_names(backend):
    from elftools.elf.enums import ENUM_E_MACHINE
    assert backend.elf_machine == ENUM_E_MACHINE[ELF_MACHINE[backend.name]]


def test_word_and_instruction_width(backend):
    assert backend.bits in (32, 64)
    assert backend.insn_width in (None, 4)


def _code_words(tree):
    """Identifiers and non-docstring string constants without spaces: what code
    can branch on.  (Prose, such as an error message's example "fib@mips", is
    not a token any code compares against.)"""
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings and not any(c.isspace() for c in node.value)):
            yield node.lineno, node.value
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr


def test_hal_never_names_an_isa():
    """Comments, docstrings and messages may explain ISAs; code anywhere under
    hal/ (every subpackage) may not branch on one."""
    names = registry.names() + ["i386", "mipsel", "powerpc", "riscv", "UC_ARCH_", "CS_ARCH_"]
    pattern = re.compile(r"(?<![a-z])(" + "|".join(names) + r")(?![a-z])", re.IGNORECASE)
    offenders = [f"{f.relative_to(HAL)}:{line}: {word!r}"
                 for f in sorted(HAL.rglob("*.py"))
                 for line, word in _code_words(ast.parse(f.read_text()))
                 if pattern.search(word)]
    assert offenders == []


def test_service_numbers_unique_and_reserved_ones_block():
    numbers = [s.number for s in SERVICES]
    assert len(set(numbers)) == len(numbers)
    blocking = {s.name for s in SERVICES if s.blocking}
    assert {"yield", "sleep", "send", "recv"} <= blocking
    assert {"exit", "write", "time", "core_id", "isa_id"} <= {s.name for s in SERVICES}


def test_committed_header_matches_the_service_table():
    assert (paths.INCLUDE / "hal_services.h").read_text() == render_header()


@pytest.mark.parametrize("name", [s.name for s in SERVICES])
def test_header_declares_every_service(name):
    assert f"hal_{name}(" in render_header()


def test_context_save_and_restore(backend):
    """Backend.save_context/restore_context: the CPU state of a paused guest."""
    from conftest import image

    from hal.core.machine import Machine, Stop
    m = Machine(image("fib", backend.name))
    assert m.run(budget=5000) is Stop.BUDGET
    ctx = backend.save_context(m.uc)
    before = {r: m.uc.reg_read(backend.reg(r)) for r in backend.regs.dump}
    sp = backend.reg(backend.regs.sp)
    m.uc.reg_write(sp, 0x1234)
    backend.restore_context(m.uc, ctx)
    assert {r: m.uc.reg_read(backend.reg(r)) for r in backend.regs.dump} == before
