"""Side by side: `hal disasm --columns` (ISAs in columns, a row per C line)
holds exactly each ISA's `hal disasm` instructions, fits 160 characters (or
a narrower width, by a fallback layout), and `--diff A,B` lines up two
builds: two ISAs, or one ISA at two optimisation levels."""
import re

import hal
import pytest
from conftest import ISAS
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import hal as run_hal
from test_cli import one_error_line

LISTING_LINE = re.compile(r"^  [0-9a-f]{8}:  (?:[0-9a-f]{2} )*[0-9a-f]{2}\s+(.*)$")


def listing_texts(lines: list[str]) -> list[str]:
    """The instruction texts of a `hal disasm` listing, without padding."""
    out = []
    for line in lines:
        m = LISTING_LINE.match(line)
        if m and not m.group(1).endswith("(padding)"):
            out.append(m.group(1))
    return out


@pytest.mark.parametrize("guest,function", [("fib", "main"), ("fib", "fib"), ("wc", "main"),
                                            ("hello", "hal_putc"), ("sort", "main"),
                                            ("hello", "hal_trap")])
def test_columns_hold_exactly_each_isas_listing(guest, function):
    d = hal.disasm(guest, function=function)
    view = d.side_by_side
    assert view.labels == ISAS
    for i, isa in enumerate(ISAS):
        listed = listing_texts(d.listings[isa])
        in_rows = [t for row in view.rows for t in row.cells[i]]
        assert sorted(in_rows) == sorted(listed)
        for row in view.rows:                           # within a row, in address order
            it = iter(listed)
            assert all(t in it for t in row.cells[i])


def test_rows_follow_the_source():
    view = hal.disasm("fib", function="main").side_by_side
    lines = [r.line for r in view.rows if r.file == view.main_file]
    assert lines == sorted(lines) and len(lines) >= 5
    assert view.main_file == "guests/fib.c"
    row = next(r for r in view.rows if r.line == 15)
    assert row.source == "hal_print_int(fib(n));"
    assert all(row.cells)                               # code for it on every ISA


@settings(max_examples=25, deadline=None)
@given(width=st.integers(min_value=40, max_value=240),
       target=st.sampled_from([("fib", "main"), ("crc32", "main"), ("hello", "hal_print_hex")]))
def test_every_width_fits_and_shows_every_instruction(width, target):
    d = _disasm(*target)
    text = d.columns(width)
    assert max(len(line) for line in text.splitlines()) <= width
    words = set(text.replace(",", " ").split())
    for row in d.side_by_side.rows:                    # nothing cut: every operand appears
        for cell in row.cells:
            for t in cell:
                assert all(w in words for w in t.replace(",", " ").split() if len(w) <= 10)


_CACHE = {}


def _disasm(guest, function):
    if (guest, function) not in _CACHE:
        _CACHE[guest, function] = hal.disasm(guest, function=function)
    return _CACHE[guest, function]


def test_160_columns_put_the_source_beside_the_isas():
    code, out, err = run_hal("disasm", "fib", "--function", "main", "--columns")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert all(len(line) <= 160 for line in lines)
    head = lines[0]
    assert head.startswith("line  guests/fib.c")
    for isa in ISAS:
        assert f"| {isa}: " in head
    assert any(re.match(r"^  15  hal_print_int\(fib\(n\)\);\s+\| ", line) for line in lines)
    assert "built with zig cc" in out and "  alpha: -target riscv64-freestanding" in out


def test_a_narrow_width_puts_the_source_line_above_its_row():
    code, out, _ = run_hal("disasm", "fib", "--function", "main", "--columns", "--width", "100")
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert "  15  hal_print_int(fib(n));" in lines             # a line of its own
    titles = [line for line in lines if line.startswith(("x86: ", "ppc: "))]
    assert len(titles) == 2                                    # two bands of two ISAs


def test_diff_two_levels_of_one_isa():
    code, out, err = run_hal("disasm", "fib", "--function", "fib", "--diff", "-O0,-O2",
                             "--isa", "x86")
    assert code == 0, err
    lines = out.splitlines()
    assert "x86 -O0: " in lines[0] and "x86 -O2: " in lines[0]
    assert re.search(r"^\d+ source lines: \d+ the same, \d+ different, 0 only in x86 -O0, "
                     r"0 only in x86 -O2; \d+ instructions in x86 -O0, \d+ in x86 -O2$", out, re.M)
    assert "  x86 -O0: -O0" in out and "  x86 -O2: -O2" in out      # the flags that differ
    d = hal.diff("fib", "x86:-O0,x86:-O2", function="fib")
    assert d.text(160) == out
    assert repr(d).startswith("<Diff of fib in fib: x86 -O0 ")


def test_diff_two_isas_matches_their_columns():
    d = hal.diff("fib", "x86,mips", function="main")
    both = hal.disasm("fib", "x86,mips", function="main").side_by_side
    assert [r.cells for r in d.side_by_side.rows] == [r.cells for r in both.rows]
    assert d.side_by_side.labels == ["x86", "mips"]
    marks = re.findall(r"^\s+\d+  .*? ([=|<>]) ", d.text(), re.M)
    assert marks and set(marks) <= {"|", "="}


def test_a_diff_marks_code_only_on_one_side():
    from hal.render.columns import _marker
    assert _marker(["nop"], []) == "<" and _marker([], ["nop"]) == ">"
    assert _marker(["call     0x10520  <main>"], ["call     0x10680  <main>"]) == "="
    assert _marker(["add a, b"], ["sub a, b"]) == "|"


@pytest.mark.parametrize("args,message", [
    (["--diff", "x86"], "--diff takes two builds"),
    (["--diff", "-O0,-O2"], "say which ISA"),
    (["--diff", "x86,x86"], "names the same build twice"),
    (["--diff", "x86,vax"], "unknown ISA 'vax'"),
    (["--diff", "-O0,-O7", "--isa", "x86"], "unknown optimisation level '-O7'"),
    (["--diff", "x86,mips", "--columns"], "leave out --columns"),
])
def test_bad_diffs_are_one_line(args, message):
    code, out, err = run_hal("disasm", "fib", *args)
    assert code == 2 and out == ""
    assert message in one_error_line(err)
