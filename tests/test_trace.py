"""`hal trace`: the first N instructions or one function, with the registers
each instruction wrote; text for people, JSON for tools."""
import json

import pytest
from conftest import ISAS, elf, image
from test_cli import hal, one_error_line

from hal.inspection.trace import SCHEMA, trace

# main of tests/guests/mixloop.c is straight-line code (see test_compare.py)
MAIN_LENGTH = {"x86": 13, "mips": 23, "ppc": 19, "alpha": 22}


@pytest.mark.parametrize("limit", [1, 3, 4, 7])
def test_limit_counts_from_the_entry_point(backend, limit):
    img = image("hello", backend.name)
    t = trace(img, limit=limit)
    assert [s.index for s in t.steps] == list(range(1, limit + 1))
    assert t.steps[0].address == img.entry and t.steps[0].where == "_start"
    assert t.end == "limit" and t.fault is None


def test_one_function_to_the_end(backend):
    t = trace(image("mixloop", backend.name), limit=1000, function="main")
    assert len(t.steps) == MAIN_LENGTH[backend.name]
    assert all(s.where.startswith("main") for s in t.steps)
    assert (t.end, t.exit_code) == ("exited", 10)
    # sum & 0x7f lands in the return register, which is the HAL's result register on all four
    assert (backend.regs.result, 10) in [w for s in t.steps for w in s.writes]


def test_trap_result_shows_as_a_write(backend):
    """hal_write returns the byte count in the result register."""
    t = trace(image("hello", backend.name), limit=10_000, function="hal_trap")
    traps = [s for s in t.steps if s.text == backend.trap.mnemonic]
    assert len(traps) == 3                       # hello makes three HAL calls
    assert (backend.regs.result, 1) in traps[1].writes   # hal_putc('\n') wrote 1 byte


def test_text_output_exactly():
    code, out, err = hal("trace", "hello", "--isa", "mips", "--limit", "4")
    assert (code, err) == (0, "")
    assert out == """\
trace of hello on mips, from the entry point: 4 instructions
     1  00010000  _start      lui $gp, 2                       gp=00020000
     2  00010004  _start+0x4  addiu $gp, $gp, -0x6010          gp=00019ff0
     3  00010008  _start+0x8  jal 0x10040                      ra=00010010
     4  0001000c  _start+0xc  addiu $sp, $sp, -0x10            sp=0010ffe0
stopped after 4 instructions (--limit)
"""


@pytest.mark.parametrize("isa", ISAS)
def test_json_round_trips(isa):
    code, out, _ = hal("trace", str(elf("mixloop", isa)),
                       "--function", "main", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["schema"], data["guest"], data["isa"], data["function"]) == \
        (SCHEMA, "mixloop", isa, "main")
    assert (data["end"], data["exit_code"], data["fault"]) == ("exited", 10, None)
    assert len(data["steps"]) == MAIN_LENGTH[isa]
    first = data["steps"][0]
    assert set(first) == {"index", "address", "function", "bytes", "text", "writes", "fpu"}
    assert first["function"] == "main" and isinstance(first["writes"], dict)


def test_needs_one_isa():
    code, out, err = hal("trace", "hello")
    assert code == 2 and out == ""
    assert "give --isa NAME" in one_error_line(err)


def test_unknown_function():
    code, _, err = hal("trace", "hello", "--isa", "ppc", "--function", "nope")
    assert code == 2
    assert "no function 'nope' in hello on ppc (functions: _start, " in one_error_line(err)


def test_fault_ends_the_trace_and_exits_3():
    code, out, err = hal("trace", str(elf("null_deref", "alpha")), "--limit", "100000")
    assert code == 3
    assert "load access fault" in one_error_line(err) or "unmapped" in one_error_line(err)
    assert out.startswith("trace of null_deref on alpha")
