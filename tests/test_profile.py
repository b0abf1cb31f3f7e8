"""`hal profile`: per-function counts that add up exactly to `hal run`'s on
every guest and ISA, functions sorted into your code / start-up / SDK /
runtime, inlined copies counted for their DWARF origin, a hand-checked guest,
and start-up that no longer distorts the counts."""
import csv
import io
import json
import os
import shutil
import subprocess

import pytest
from conftest import BUNDLED, ISAS, PARTNERED, TEST_GUESTS, elf, image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import hal, one_error_line

from hal.core import runner
from hal.inspection import drive
from hal.inspection.origins import CATEGORIES, Origins, path_category
from hal.inspection.profile import SCHEMA, measure, owner_counts
from hal.inspection.symbols import Program

FAULTING = ["null_deref", "jump_null", "bad_write", "recurse"]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", BUNDLED + PARTNERED + FAULTING + ["bigarray", "args"])
def test_counts_add_up_to_the_runs_count_exactly(guest, isa):
    """Every bundled guest (and those that fault part-way through a block, or
    stop for want of partners) on every ISA: the functions' counts add up to
    exactly what `hal run` counts."""
    from hal.toolchain import guests
    img = image(guest, isa)
    stdin = guests.expected_input(guest) if guest in BUNDLED else None
    p = measure(img, stdin=stdin)
    run = runner.run(img, stdin=io.BytesIO(stdin) if stdin is not None else None)
    assert sum(f.retired for f in p.functions) == p.retired == run.retired
    assert sum(p.by_category.values()) == p.retired
    assert all(f.retired > 0 and 0 <= f.inlined <= f.retired for f in p.functions)
    assert (p.fault is None) == (run.fault is None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guest=st.sampled_from(BUNDLED), isa=st.sampled_from(ISAS),
       limit=st.integers(min_value=1, max_value=400_000))
def test_counts_add_up_wherever_a_run_stops(guest, isa, limit):
    """Stopped by an instruction limit anywhere, mid-block included."""
    img = image(guest, isa)
    p = measure(img, max_instructions=limit)
    assert sum(f.retired for f in p.functions) == p.retired == \
        runner.run(img, max_instructions=limit).retired <= limit


# tests/guests/mixloop.c counted by hand from `hal disasm` (the classes are in
# tests/test_compare.py): instructions each function retires
HAND_COUNTED = {
    "x86": {"_start": 2, "hal_cstart": 8, "main": 13, "hal_exit": 7, "hal_trap": 6},
    "mips": {"_start": 4, "hal_cstart": 15, "main": 23, "hal_exit": 9, "hal_trap": 5},
    "ppc": {"_start": 4, "hal_cstart": 13, "main": 19, "hal_exit": 10, "hal_trap": 5},
    "alpha": {"_start": 3, "hal_cstart": 11, "main": 22, "hal_exit": 9, "hal_trap": 5},
}


@pytest.mark.parametrize("isa", ISAS)
def test_hand_checked_profile(isa):
    p = measure(image("mixloop", isa))
    assert {f.function: f.retired for f in p.functions} == HAND_COUNTED[isa]
    assert {f.function: f.category for f in p.functions} == {
        "_start": "startup", "hal_cstart": "startup", "main": "user", "hal_exit": "sdk",
        "hal_trap": "sdk"}


def test_functions_are_sorted_by_whose_code_they_are(backend):
    o = Origins(Program(image("hello", backend.name)))
    cats = {f.name: o.category(f.name) for f in o.program.functions}
    assert cats["main"] == "user"
    assert cats["_start"] == cats["hal_cstart"] == "startup"
    assert {cats[n] for n in ("hal_trap", "hal_puts", "hal_putc", "memcpy", "hal_uart_putc",
                              "hal_exit")} == {"sdk"}


def test_paths_are_sorted_by_their_shape():
    assert path_category("/anywhere/guests/lib/hal.c") == "sdk"
    assert path_category("/other/checkout/guests/include/hal_services.h") == "sdk"
    assert path_category("/x/arch/mips/trap.S") == "sdk"
    assert path_category("/x/guests/lib/crt0.c") == "startup"
    assert path_category("/x/arch/ppc/start.S") == "startup"
    assert path_category("compiler_rt") == "runtime"
    assert path_category("/z/ziglang/lib/libc/musl/src/string/memset.c") == "libc"
    assert path_category("/z/ziglang/lib/libc/include/generic-musl/ctype.h") == "libc"
    assert path_category("/home/student/hw1/fib.c") == "user"
    assert path_category("/x/guests/libc/qsort.c") == "libc"       # halemu's glibc look-alikes
    assert path_category("/x/tests/libc/unserved.c") == "user"      # a user's folder named libc
    assert path_category("zigc", "zig 0.17.1") == "libc"             # zig's own C functions


def test_a_c_library_programs_own_code_is_the_users(tmp_path, backend):
    """A program that uses the C library, kept in a folder named libc: main is
    the user's, printf and zig's own C functions (strnlen, for %s) the C
    library's, musl's start-up start-up, and no instruction is left unowned
    (musl's i386 system call stub has no symbol of its own)."""
    src = tmp_path / "libc" / "greet.c"
    src.parent.mkdir()
    src.write_text('#include <stdio.h>\n'
                   'int main(int argc, char **argv) { printf("hi %s\\n", argv[0]); return 0; }\n')
    code, out, err = hal("profile", str(src), "--isa", backend.name, "--format", "json")
    assert code == 0, err
    [isa] = json.loads(out)["isas"]
    cats = {f["function"]: f["category"] for f in isa["functions"]}
    assert cats["main"] == "user"
    assert cats["printf"] == cats["strnlen"] == "libc"
    assert cats["__libc_start_main"] == "startup"
    assert isa["by_category"]["other"] == 0
    assert sum(f["retired"] for f in isa["functions"]) == isa["retired"]


def test_compiler_runtime_is_apart(tmp_path):
    """64-bit division on a 32-bit ISA calls zig's compiler_rt."""
    src = tmp_path / "div64.c"
    src.write_text('#include "hal.h"\n'
                   "int main(void) { unsigned long long t = hal_time() * 1000000007ULL;\n"
                   "  return (int)(t / 12345); }\n")
    code, out, err = hal("profile", str(src), "--isa", "x86", "--format", "json")
    assert code == 0, err
    [isa] = json.loads(out)["isas"]
    runtime = {f["function"]: f["retired"] for f in isa["functions"] if f["category"] == "runtime"}
    assert set(runtime) == {"__udivdi3", "__udivmoddi4"}     # the one calls the other
    assert isa["by_category"]["runtime"] == sum(runtime.values()) > 0


@pytest.mark.parametrize("isa", ISAS)
def test_inlined_functions_count_for_their_origin(isa):
    """crc32's two checksum functions are inlined into main at -O2; their
    instructions count for them, marked as inlined into main, not for main."""
    p = measure(image("crc32", isa))
    for name in ("crc32_bitwise", "crc32_table"):
        f = p[name]
        assert f.category == "user" and f.inlined == f.retired > 1000
        assert f.inlined_into == ("main",)
    assert p["main"].retired < 100


SYMBOLIZER = shutil.which("llvm-symbolizer")


@pytest.mark.skipif(SYMBOLIZER is None and os.environ.get("CI") != "true",
                    reason="llvm-symbolizer (apt: llvm) is not installed")
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", ["crc32", "args", "wc"])
def test_owners_match_llvm_symbolizer(guest, isa):
    """Every instruction of the user's and the SDK's C functions is owned by the
    innermost function llvm-symbolizer (LLVM's own DWARF reader) names there."""
    assert SYMBOLIZER, "llvm-symbolizer is missing"
    program = Program(image(guest, isa))
    o = Origins(program)
    from hal.inspection.disasm import instructions
    addresses = [i.address for f in program.functions
                 if o.category(f.name) in ("user", "sdk", "startup")
                 for i in instructions(program, f) if not i.padding]
    owners = o.owners(addresses)
    proc = subprocess.run([SYMBOLIZER, "--inlines", "--functions=short", "--output-style=JSON",
                           "-e", str(elf(guest, isa))],
                          input="\n".join(hex(a) for a in addresses), capture_output=True,
                          text=True, check=True)
    checked = 0
    for owner, line in zip(owners, proc.stdout.splitlines()):
        frames = json.loads(line)["Symbol"]
        name = frames[0]["FunctionName"] if frames else ""
        if name:                          # assembly (start.S, trap.S) has no DWARF functions
            assert owner.function == name, json.loads(line)["Address"]
            checked += 1
    assert checked > 0.8 * len(addresses)


def bss(guest: str, isa: str) -> tuple[int, int]:
    """[__bss_start, __bss_end) of a guest's ELF."""
    program = Program(image(guest, isa))
    try:
        found = {s.name: s["st_value"] for s in program.elf.get_section_by_name(".symtab")
                 .iter_symbols() if s.name in ("__bss_start", "__bss_end")}
    finally:
        program.close()
    return found["__bss_start"], found["__bss_end"]


def test_start_up_share_is_small_on_every_guest_and_isa():
    """Start-up clears .bss a word at a time, eight words a turn: below 5% of
    every bundled guest with an array in .bss (crc32 to sort) and of one with a
    64 KiB array (bigarray), on every ISA; and on every guest, a few fixed
    instructions plus at most 14 a turn."""
    from hal.toolchain import guests
    arrays = 0
    for guest in BUNDLED + ["bigarray"]:
        for isa in ISAS:
            stdin = guests.expected_input(guest) if guest in BUNDLED else None
            p = measure(image(guest, isa), stdin=stdin)
            start, end = bss(guest, isa)
            turns = (end - start) // (8 * image(guest, isa).backend.word_bytes)
            assert p.by_category["startup"] <= 20 + 14 * turns, (guest, isa)
            if end - start >= 1024:
                arrays += 1
                assert p.share("startup") < 0.05, (guest, isa, p.share("startup"))
    assert arrays >= 5 * len(ISAS)


@pytest.mark.parametrize("isa", ISAS)
def test_start_up_clears_all_of_bss(isa):
    """Fill .bss with junk before the run: the guest still finds every byte zero."""
    img = image("bigarray", isa)
    start, end = bss("bigarray", isa)
    assert end - start >= 65536 and start % 4096 == 0 and end % 64 == 0
    m = drive.machine(img)
    m.uc.mem_write(start, b"\xa5" * (end - start))
    drive.to_end(m)
    assert m.console.output.decode().startswith("bytes not zero at start: 0\n")
    counts = owner_counts(m, Program(img))
    turns = (end - start) // (8 * img.backend.word_bytes)
    startup = sum(n for owner, n in counts.items() if owner.category == "startup")
    assert turns * 8 < startup < turns * 14          # eight stores a turn, and the loop


def test_cli_table_json_csv_agree():
    code, out, err = hal("profile", "primes", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["schema"] == SCHEMA and [r["isa"] for r in data["isas"]] == ISAS
    assert [c["key"] for c in data["categories"]] == list(CATEGORIES)
    for r in data["isas"]:
        assert sum(f["retired"] for f in r["functions"]) == r["retired"] \
            == sum(r["by_category"].values()) == runner.run(image("primes", r["isa"])).retired
        assert r["build"]["compiler"] == "zig cc" and "-O2" in r["build"]["flags"]
    code, out, _ = hal("profile", "primes", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    for r in data["isas"]:
        mine = [row for row in rows if row["isa"] == r["isa"]]
        assert sum(int(row["retired"]) for row in mine) == r["retired"]
        assert {row["compiler"] for row in mine} == {f"zig cc {r['build']['version']} "
                                                     f"({r['build']['producer']})"}
    code, out, _ = hal("profile", "primes")
    assert code == 0
    for label in ("your code", "start-up", "HAL SDK", "total retired", "built with zig cc"):
        assert label in out
    for r in data["isas"]:
        assert f"{r['retired']:,}" in out


def test_cli_faulting_guest_exits_3():
    code, out, err = hal("profile", str(elf("null_deref", "ppc")), "--format", "csv")
    assert code == 3
    assert "read from unmapped memory" in one_error_line(err)
    assert out.startswith("guest,isa,category,function,retired")


def test_cli_profile_at_another_level():
    code, out, _ = hal("profile", "fib", "--isa", "x86", "-O0", "--format", "json")
    [r] = json.loads(out)["isas"]
    assert r["build"]["opt"] == "-O0" and "-O0" in r["build"]["flags"]
    assert {f["function"] for f in r["functions"] if f["category"] == "user"} == {"main", "fib"}


def test_stats_show_start_up(tmp_path):
    code, _, err = hal("run", str(TEST_GUESTS / "bigarray.c"), "--isa", "mips", "--stats")
    assert code == 0
    assert err.startswith("bigarray on mips: ") and "; start-up " in err and "(1.6%)" in err
