"""`hal disasm`: functions from the symbol table, the HAL trap on every ISA,
C lines from DWARF, and one clear error for a function that does not exist."""
import re

import pytest
from conftest import ISAS, elf, image
from test_cli import hal, one_error_line

from hal.core import registry
from hal.inspection.disasm import TRAP_NOTE, listing, static_count
from hal.inspection.symbols import NoSuchFunction, Program


@pytest.fixture
def program(backend):
    p = Program(image("hello", backend.name))
    yield p
    p.close()


def test_functions_come_from_the_symbol_table(program):
    names = [f.name for f in program.functions]
    assert {"_start", "hal_trap", "hal_cstart", "main", "hal_puts"} <= set(names)
    assert program.functions[0].name == "_start"
    for f, nxt in zip(program.functions, program.functions[1:]):
        assert f.start < f.end <= nxt.start, f
    assert program.functions[-1].end <= program.text_end


def test_trap_shows_once_in_hal_trap(program, backend):
    lines = listing(program, program.function("hal_trap"))
    marked = [line for line in lines if line.endswith(TRAP_NOTE)]
    assert len(marked) == 1
    assert f"  {backend.trap.mnemonic.split()[0]} " in marked[0]
    assert marked[0].split(TRAP_NOTE)[0].split(maxsplit=1)[1].strip().endswith(
        backend.trap.mnemonic.split()[-1])


def test_listing_counts_match_static_count(program):
    total = sum(int(listing(program, f)[0].split(", ")[1].split()[0]) for f in program.functions)
    assert total == static_count(program)


def test_calls_are_named(program, backend):
    """Direct calls name their target (the Alpha-like build relaxes auipc+jalr
    pairs into one jal, as Alpha's bsr, so it has direct calls too)."""
    lines = listing(program, program.function("hal_putc"))
    assert any(line.endswith("<hal_trap>") for line in lines)


def test_source_lines_interleave_c_and_assembly(program, backend):
    text = "\n".join(listing(program, program.function("hal_putc"), source=True))
    assert re.search(r"^    guests/lib/hal\.c:\d+:  ", text, re.M)
    assert re.search(r"^    guests/include/hal_services\.h:\d+:  return \(long\)hal_trap\(", text, re.M)
    assert not re.search(r":0$", text, re.M)          # no made-up line 0
    trap = "\n".join(listing(program, program.function("hal_trap"), source=True))
    assert f"arch/{backend.name}/trap.S:" in trap


def test_unknown_function_lists_the_functions(program):
    with pytest.raises(NoSuchFunction) as e:
        program.function("nope")
    message = str(e.value)
    assert message.startswith(f"no function 'nope' in hello on {program.backend.name} (functions: ")
    listed = message.split("(functions: ")[1].rstrip(")").split(", ")
    assert listed == sorted(f.name for f in program.functions)
    assert {"_start", "hal_trap", "main"} <= set(listed)


def test_cli_unknown_function_is_one_line_and_exit_2():
    code, out, err = hal("disasm", "hello", "--function", "nope")
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "no function 'nope' in hello on x86" in line
    for name in ("main", "hal_trap", "hal_puts", "memcpy"):
        assert name in line


def test_cli_hal_trap_on_mips_exactly():
    code, out, err = hal("disasm", "hello", "--function", "hal_trap", "--isa", "mips")
    assert (code, err) == (0, "")
    assert out == """\
hal_trap on mips: 28 bytes, 7 instructions
  (MIPS32 R4000-style, o32 ABI; little-endian)
  00010020:  25 10 80 00  move     $v0, $a0
  00010024:  25 20 a0 00  move     $a0, $a1
  00010028:  25 28 c0 00  move     $a1, $a2
  0001002c:  25 30 e0 00  move     $a2, $a3
  00010030:  0c 00 00 00  syscall  <- HAL trap
  00010034:  08 00 e0 03  jr       $ra
  00010038:  00 00 00 00  nop
"""


def test_cli_all_isas_one_after_another():
    code, out, _ = hal("disasm", "hello", "--function", "hal_trap")
    assert code == 0
    headers = [line.split(":")[0] for line in out.splitlines() if line.startswith("hal_trap on")]
    assert headers == [f"hal_trap on {registry.get(isa).label}" for isa in ISAS]
    for mnemonic in ("int      0x2e", "syscall", "sc", "ecall"):
        assert f"{mnemonic}  {TRAP_NOTE}" in out


def test_cli_elf_path_uses_its_own_isa():
    code, out, _ = hal("disasm", str(elf("hello", "ppc")), "--function", "_start")
    assert code == 0 and out.startswith("_start on ppc: 20 bytes, 5 instructions")
