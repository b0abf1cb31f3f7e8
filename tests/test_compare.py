"""`hal compare`: exact dynamic mixes that add up to `hal run`'s counts, code
sizes that match the ELF, a hand-checked guest, and output formats that parse."""
import csv
import io
import json

import pytest
from conftest import BUNDLED, ISAS, PARTNERED, TEST_GUESTS, elf, image
from elftools.elf.elffile import ELFFile
from test_cli import hal, one_error_line

from hal.core import registry, runner
from hal.inspection.compare import SCHEMA, measure
from hal.inspection.mix import CLASSES, Classifier


def text_size(guest, isa):
    with open(elf(guest, isa), "rb") as f:
        return ELFFile(f).get_section_by_name(".text")["sh_size"]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", BUNDLED + PARTNERED + ["null_deref", "jump_null", "bad_write",
                                   "recurse"])
def test_mix_adds_up_to_the_runs_count(guest, isa):
    """Every guest, even one that faults part-way through a block (or, run on
    its own, stops because it needs partners): the mix adds up to exactly
    what `hal run` counts."""
    img = image(guest, isa)
    row, run = measure(img), runner.run(img)
    assert sum(row.mix.values()) == row.retired == run.retired
    assert (row.output, row.hal_calls, row.exit_code) == (run.output, run.hal_calls, run.exit_code)
    assert (row.fault is None) == (run.fault is None)
    assert row.text_bytes == text_size(guest, isa)
    assert 0 < row.static_instructions <= row.text_bytes


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("limit", [1, 100, 1000])
def test_mix_stops_at_the_instruction_limit_like_run(isa, limit):
    img = image("hello", isa)
    row, run = measure(img, max_instructions=limit), runner.run(img, max_instructions=limit)
    assert sum(row.mix.values()) == row.retired == run.retired <= limit


@pytest.mark.parametrize("isa", ISAS)
def test_runaway_guest_stops_at_its_limit_with_an_exact_mix(isa):
    img = image("spin", isa)
    row, run = measure(img, max_instructions=50_000), runner.run(img, max_instructions=50_000)
    assert sum(row.mix.values()) == row.retired == run.retired
    assert row.fault is not None and "instruction limit" in row.fault


# tests/guests/mixloop.c, counted by hand from `hal disasm` of the five functions
# that run (_start, hal_cstart, main, hal_exit, hal_trap; .bss is empty, so the
# zeroing loop in hal_cstart is skipped by one taken branch):
#                _start  hal_cstart  main  hal_exit  hal_trap
#   x86  loads      -        -        5       -        4     mov eax,[esp+n] x4; pop in main
#        stores     -        1        5       5        1     push counts as a store
#        branches   -        1        -       -        -     jae
#        calls      1        2        1       1        -     call, ret
#        alu        1        4        2       1        -
#        other      -        -        -       -        1     int 0x2e
#   mips loads      -        -        6       -        -
#        stores     -        2        6       2        -
#        branches   -        1        -       -        -     beqz
#        calls      1        2        1       1        -     jal x4, jr $ra
#        alu        3        8       10       6        4     delay slots filled with addiu/move
#        other      -        2        -       -        1     two delay-slot nops, syscall
#   ppc  loads      -        -        5       -        -     lwzu, lwz x4
#        stores     2        3        6       3        -     stwu and stw
#        branches   -        1        -       -        -     bge
#        calls      1        2        1       1        -     bl x4, blr
#        alu        1        7        7       6        4     mflr, mr, lis, li, addi, cmplw...
#        other      -        -        -       -        1     sc
#   alpha loads     -        -        6       -        -
#        stores     -        2        6       2        -
#        branches   -        1        -       -        -     bgeu
#        calls      1        2        1       1        -     jal x4 (relaxed from auipc+jalr), ret
#        alu        2        6        9       6        4
#        other      -        -        -       -        1     ecall
HAND_COUNTED = {
    "x86": dict(loads=9, stores=12, branches=1, calls=5, alu=8, muldiv=0, fp=0, other=1),
    "mips": dict(loads=6, stores=10, branches=1, calls=5, alu=31, muldiv=0, fp=0, other=3),
    "ppc": dict(loads=5, stores=14, branches=1, calls=5, alu=25, muldiv=0, fp=0, other=1),
    "alpha": dict(loads=6, stores=10, branches=1, calls=5, alu=27, muldiv=0, fp=0, other=1),
}


@pytest.mark.parametrize("isa", ISAS)
def test_hand_checked_mix(isa):
    row = measure(image("mixloop", isa))
    assert row.mix == HAND_COUNTED[isa]
    assert row.retired == sum(HAND_COUNTED[isa].values())
    assert (row.exit_code, row.hal_calls) == (10, 1)


# One instruction per line, as the bundled guests' disassembly shows them.
CLASSIFIED = {
    "x86": [("53", "stores"), ("5b", "loads"), ("8d 89 00 20 01 00", "alu"), ("cd 2e", "other"),
            ("e8 29 00 00 00", "calls"), ("c3", "calls"), ("75 f9", "branches"),
            ("f7 e7", "muldiv"), ("8b 44 24 08", "loads"), ("c6 00 00", "stores"),
            ("03 05 04 10 01 00", "loads"), ("90", "other"), ("29 c1", "alu"),
            ("ec", "loads"), ("ee", "stores"),                    # in al, dx; out dx, al
            # floating point: SSE2 and the x87; FP loads and stores are memory traffic
            ("f2 0f 5e d1", "fp"), ("66 0f 2e d1", "fp"), ("f2 0f 2c c0", "fp"),   # divsd, ucomisd, cvttsd2si
            ("f2 0f 10 1d c8 20 01 00", "loads"), ("dd 45 08", "loads"), ("dd 1c 24", "stores"),
            ("de c1", "fp"), ("d9 e8", "fp"), ("9b", "fp")],     # faddp, fld1, wait
    "mips": [("10 40 00 0c", "calls"), ("08 00 e0 03", "calls"), ("0c 00 00 00", "other"),
             ("00 00 00 00", "other"), ("00 00 21 90", "loads"), ("14 00 bf af", "stores"),
             ("fd ff 20 14", "branches"), ("21 10 62 00", "alu"), ("02 08 e1 71", "muldiv"),
             ("03 01 24 46", "fp"), ("36 00 22 46", "fp"), ("00 10 80 44", "fp"),  # div.d, c.ole.d, mtc1
             ("00 f8 48 44", "fp"), ("0e 00 01 45", "branches"),                  # cfc1 $t0, $31; bc1t
             ("c0 20 24 d4", "loads"), ("08 00 a2 f7", "stores")],                # ldc1, sdc1
    "ppc": [("4b ff ff 15", "calls"), ("4e 80 00 20", "calls"), ("44 00 00 02", "other"),
            ("40 82 ff f0", "branches"), ("80 01 00 14", "loads"), ("94 21 ff f0", "stores"),
            ("7c 65 1a 14", "alu"), ("7c a4 28 2e", "loads"), ("7c 0a 61 2e", "stores"),
            ("7f 7a d9 d6", "muldiv"),
            ("fc 41 10 24", "fp"), ("ff 82 00 00", "fp"), ("fc 20 00 90", "fp"),   # fdiv, fcmpu, fmr
            ("ff 60 00 4c", "fp"), ("c0 03 20 1c", "loads"), ("d8 41 00 08", "stores")],  # mtfsb1
    "alpha": [("e7 80 40 02", "calls"), ("67 80 00 00", "calls"), ("6f 00 00 00", "branches"),
              ("73 00 00 00", "other"), ("03 a5 05 00", "loads"), ("23 a0 a5 00", "stores"),
              ("e3 9a 05 fe", "branches"), ("33 05 a6 00", "alu"), ("33 0b 1b 03", "muldiv"),
              ("67 00 03 ec", "branches"),                         # jalr zero, t1: a tail call
              ("d3 76 d5 1a", "fp"), ("53 85 d7 a2", "fp"), ("d3 07 05 f2", "fp"),  # fdiv.d, fle.d, fmv.d.x
              ("53 15 05 c2", "fp"), ("f3 24 30 00", "fp"),          # fcvt.w.d, frcsr
              ("07 35 81 00", "loads"), ("27 34 a1 00", "stores")],  # fld, fsd
}


def test_every_isa_has_classification_examples():
    assert sorted(CLASSIFIED) == sorted(ISAS)


@pytest.mark.parametrize("isa,code,cls", [(i, c, k) for i, cases in CLASSIFIED.items()
                                          for c, k in cases])
def test_classify(isa, code, cls):
    from hal.core import registry
    c = Classifier(registry.get(isa))
    [insn] = c.disassembler.disasm(bytes.fromhex(code), 0x10000)
    assert c.classify(insn) == cls, f"{insn.mnemonic} {insn.op_str}"


def test_backend_mix_tables_name_known_classes(backend):
    assert set(backend.mix.values()) <= set(CLASSES)
    Classifier(backend)


def test_json_round_trips_with_the_documented_schema():
    code, out, err = hal("compare", "crc32", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["schema"] == SCHEMA and data["guest"] == "crc32"
    assert data["classes"] == list(CLASSES) and data["identical_output"] is True
    assert [r["isa"] for r in data["isas"]] == ISAS
    for r in data["isas"]:
        assert set(r) == {"isa", "bits", "endian", "text_bytes", "static_instructions", "retired",
                          "mix", "memory_share", "hal_calls", "exit_code", "fault",
                          "output_group", "output_matches_all", "by_category", "user", "build"}
        assert sum(r["by_category"].values()) == r["retired"]
        assert r["user"]["retired"] == r["by_category"]["user"] == sum(r["user"]["mix"].values())
        assert 0 < r["user"]["static_instructions"] < r["static_instructions"]
        assert 0 < r["user"]["text_bytes"] < r["text_bytes"]
        assert r["build"]["compiler"] == "zig cc" and "-O2" in r["build"]["flags"]
        assert r["build"]["producer"].startswith("clang version ")
        run = runner.run(image("crc32", r["isa"]))
        assert r["retired"] == sum(r["mix"].values()) == run.retired
        assert r["memory_share"] == round((r["mix"]["loads"] + r["mix"]["stores"]) / run.retired, 4)
        assert (r["exit_code"], r["fault"], r["output_group"]) == (0, None, "A")


def test_json_marks_the_isa_whose_output_differs():
    code, out, _ = hal("compare", "endian", "--format", "json")
    data = json.loads(out)
    assert data["identical_output"] is False
    assert {r["isa"]: (r["output_group"], r["output_matches_all"]) for r in data["isas"]} == {
        "x86": ("A", False), "mips": ("A", False), "ppc": ("B", False), "alpha": ("A", False)}


def test_csv_has_one_row_per_isa():
    code, out, _ = hal("compare", "hello", "--format", "csv",
                       "--isa", "mips,alpha")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["isa"] for r in rows] == ["mips", "alpha"]
    for r in rows:
        assert sum(int(r[c]) for c in CLASSES) == int(r["retired"])
        assert int(r["text_bytes"]) == text_size("hello", r["isa"])


def test_markdown_table():
    code, out, _ = hal("compare", "hello", "--format", "markdown", "--isa", "ppc")
    lines = out.splitlines()
    assert lines[:2] == ["| hello | `ppc` |", "|---|---:|"]
    assert "| retired instructions | 216 |" in lines
    assert "| word, byte order | 32-bit big |" in lines
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 4 + len(CLASSES) + 4 + 4       # with your code's and start-up's rows
    assert "| start-up: retired | 17 (7.9%) |" in lines
    from importlib.metadata import version
    assert f"built with zig cc {version('ziglang')} (clang version " in out
    assert lines[-1].startswith("- ppc: -target powerpc-freestanding-eabihf -O2 -g ")


def test_terminal_table_has_every_isa_and_a_chart():
    code, out, _ = hal("compare", "hello")
    assert code == 0
    for isa in ISAS:
        assert f"  {registry.get(isa).label:7}" in out      # a bar per ISA (alpha*: a stand-in)
    assert "identical output on all 4 ISAs" in out


def test_faulting_guest_is_reported_and_exits_3():
    code, out, err = hal("compare", str(elf("null_deref", "mips")), "--format", "csv")
    assert code == 3
    assert "read from unmapped memory" in one_error_line(err)
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["exit_code"] == "" and row["fault"].startswith("read from unmapped memory")


def test_unknown_isa_is_one_line():
    code, _, err = hal("compare", "hello", "--isa", "vax")
    assert code == 2
    one_error_line(err)


def test_input_feeds_every_isa(tmp_path):
    data = b"one two\nthree\n"
    (tmp_path / "in.txt").write_bytes(data)
    code, out, _ = hal("compare", str(TEST_GUESTS / "echo_input.c"), "--input",
                       str(tmp_path / "in.txt"), "--format", "json")
    assert code == 0
    rows = json.loads(out)["isas"]
    for r in rows:
        run = runner.run(image("echo_input", r["isa"]), stdin=io.BytesIO(data))
        assert run.output == data + b"bytes: 14\n"
        assert r["retired"] == run.retired and r["output_group"] == "A"


def test_svg_chart(tmp_path):
    from xml.dom import minidom
    svg = tmp_path / "mix.svg"
    code, out, _ = hal("compare", str(TEST_GUESTS / "mixloop.c"),
                       "--format", "csv", "--svg", str(svg))
    assert code == 0
    doc = minidom.parse(str(svg))
    titles = [t.firstChild.data for t in doc.getElementsByTagName("title")]
    assert "mips loads: 6 (10.7%)" in titles
    assert len(titles) == sum(1 for counts in HAND_COUNTED.values() for _ in counts)


def test_user_only_shows_your_code_alone():
    """--user-only: sizes, counts and mix of the user's functions, without
    start-up, the SDK or the libraries; JSON always carries both."""
    code, out, _ = hal("compare", "crc32", "--user-only", "--format", "markdown", "--isa", "x86")
    lines = out.splitlines()
    assert lines[0] == "| crc32 (your code only) | `x86` |"
    data = json.loads(hal("compare", "crc32", "--isa", "x86", "--format", "json")[1])
    [r] = data["isas"]
    user = r["user"]
    assert f"| your code: retired instructions | {user['retired']:,} |" in lines
    assert f"| your code: static instructions | {user['static_instructions']:,} |" in lines
    assert f"| whole program: retired | {r['retired']:,} |" in lines
    from hal.inspection.profile import measure as profile
    p = profile(image("crc32", "x86"))
    assert user["retired"] == p.by_category["user"] == sum(
        f.retired for f in p.functions if f.category == "user")
    code, out, _ = hal("compare", "crc32", "--user-only", "--isa", "x86")
    assert "crc32 on 1 ISA: your code only" in out and "100% of your code's retired" in out


def test_every_format_states_compiler_version_and_flags(tmp_path):
    from importlib.metadata import version
    zig = f"zig cc {version('ziglang')} (clang version "
    svg = tmp_path / "mix.svg"
    code, out, _ = hal("compare", "hello", "--isa", "mips,ppc", "--svg", str(svg))
    assert f"built with {zig}" in out and "  mips: -target mipsel-freestanding" in out
    assert f"built with {zig}" in svg.read_text()
    assert "ppc: -target powerpc-freestanding" in svg.read_text()
    rows = list(csv.DictReader(io.StringIO(hal("compare", "hello", "--isa", "alpha",
                                               "--format", "csv")[1])))
    assert rows[0]["compiler"].startswith(zig) and rows[0]["opt"] == "-O2"
    assert rows[0]["flags"].startswith("-target riscv64-freestanding -O2 -g -std=c11")


def test_an_elf_built_elsewhere_says_its_flags_are_unknown(tmp_path):
    import shutil
    copy = tmp_path / "hello.elf"
    shutil.copy(elf("hello", "ppc"), copy)
    code, out, _ = hal("compare", str(copy), "--format", "json")
    [r] = json.loads(out)["isas"]
    assert r["build"]["flags"] is None and r["build"]["producer"].startswith("clang version")
    code, out, _ = hal("compare", str(copy))
    assert "built with clang version" in out and "ppc: flags not known (not built by halemu)" in out


def test_compare_at_another_level():
    data = json.loads(hal("compare", "fib", "--isa", "ppc", "-O0", "--format", "json")[1])
    [r] = data["isas"]
    assert r["build"]["opt"] == "-O0"
    assert r["retired"] > 2_600_386            # -O2's count (the README's table): -O0 is slower
