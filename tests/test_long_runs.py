"""MIPS runs real long straight-line code, and nothing of it crashes the host.

Generated guests (tests/long_runs.py) hold runs of 300 to 1,024 branch-free
instructions of every common kind, at page offsets that keep a run inside
one page or make it span two.  Unicorn 2.1.4 crashed the host on every one
of them before the code guard (arch/mips/translation.py).  Each guest's
output must match a Python model of its instructions, and its instruction
count the count of a per-instruction code hook, through the Machine (both
counters, slices of 97) and through `hal run`, `hal schedule` and `hal
compare`, all in child processes: a regression fails here, and pytest lives.
"""
from __future__ import annotations

import json
import struct
import re
import subprocess
import sys
from pathlib import Path

import long_runs
import pytest
from conftest import elf

from hal.core import registry
from hal.toolchain import build

TESTS = Path(__file__).parent
HAL = [sys.executable, "-m", "hal"]
GUESTS = [long_runs.Guest(n, offset) for n in (300, 378, 500, 1024) for offset in (0x80, 0xF00)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[long_runs.Guest, Path]]:
    folder = tmp_path_factory.mktemp("long_runs")
    out = {}
    for g in GUESTS:
        source = folder / f"{g.name}.c"
        source.write_text(g.source())
        out[g.name] = (g, build.build(source, registry.get("mips")))
    return out


@pytest.fixture(scope="module")
def measured(built, tmp_path_factory) -> dict[str, dict]:
    """Machine (native and Python counters) and reference, in one child."""
    progress = tmp_path_factory.mktemp("progress") / "at"
    proc = subprocess.run([sys.executable, str(TESTS / "long_runs.py"), "check", str(progress),
                           *(str(path) for _, path in built.values())],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, \
        f"died on {progress.read_text()}: {proc.returncode} {proc.stderr[-500:]}"
    return json.loads(proc.stdout)


def test_the_model_and_the_generator_agree_on_what_a_run_is():
    g = long_runs.Guest(300, 0x80)
    assert all(len(g.runs[k]) == 300 for k in long_runs.KINDS)
    assert {sem[0] for _, sem in g.runs["mixed"]} >= {"addiu", "sll", "lw", "sw", "mul", "nop"}
    mixed_words = sum(asm.startswith(".word") for asm, _ in g.runs["mixed"])
    assert g.source().count(".word") == 300 + mixed_words


def test_undecodable_words_are_what_capstone_cannot_decode():
    import capstone
    md = capstone.Cs(capstone.CS_ARCH_MIPS,
                     capstone.CS_MODE_MIPS32 | capstone.CS_MODE_LITTLE_ENDIAN)
    for w in long_runs.UNDECODABLE:
        assert list(md.disasm(w.to_bytes(4, "little"), 0)) == [], hex(w)


@pytest.mark.parametrize("guest", GUESTS, ids=lambda g: g.name)
def test_machine_runs_every_kind_exactly(guest, built, measured):
    _, path = built[guest.name]
    got = measured[str(path)]
    ref = got["reference"]
    assert ref["output"] == guest.expected_output() and ref["exit"] == 0
    for counter in ("native", "python"):
        run = got[counter]
        assert (run["retired"], run["output"], run["exit"], run["fault"]) == \
            (ref["retired"], ref["output"], 0, None), counter
        assert run["guarded"] >= 1


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HAL, *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("guest", GUESTS, ids=lambda g: g.name)
def test_hal_run_schedule_and_compare(guest, built, measured, tmp_path):
    _, path = built[guest.name]
    ref = measured[str(path)]["reference"]
    run = _cli("run", str(path), "--stats")
    assert run.returncode == 0, run.stderr
    assert run.stdout == guest.expected_output()
    assert re.search(rf": {ref['retired']} instructions,", run.stderr), run.stderr

    out = tmp_path / "schedule.json"
    sched = _cli("schedule", str(path), str(path), str(path), "--cores", "2", "--quantum", "97",
                 "--json", str(out), "--no-output")
    assert sched.returncode == 0, sched.stderr
    for g in json.loads(out.read_text())["guest_stats"]:
        assert (g["retired"], g["output"], g["exit_code"]) == (ref["retired"], ref["output"], 0)

    compare = _cli("compare", str(path), "--format", "json")
    assert compare.returncode == 0, compare.stderr
    (isa,) = json.loads(compare.stdout)["isas"]
    assert (isa["retired"], isa["fault"], isa["exit_code"]) == (ref["retired"], None, 0)


def test_the_guard_bypass_guest_runs_everywhere(tmp_path):
    """400 words capstone cannot decode, in four lines of inline assembly:
    once a SIGSEGV in all three commands."""
    path = elf("guard_bypass", "mips")
    assert _cli("run", str(path)).stdout == "survived\n"
    out = tmp_path / "s.json"
    sched = _cli("schedule", str(path), str(path), "--json", str(out), "--no-output")
    assert sched.returncode == 0, sched.stderr
    assert [g["output"] for g in json.loads(out.read_text())["guest_stats"]] == ["survived\n"] * 2
    compare = _cli("compare", "tests/guests/guard_bypass.c", "--format", "json")
    assert compare.returncode == 0, compare.stderr
    assert json.loads(compare.stdout)["identical_output"] is True


@pytest.mark.parametrize("arg, culprit", [
    (0, "reserved instruction: SPECIAL function 5"),
    (1, "a branch with SPECIAL function 5 in its delay slot")])
def test_a_pmon_word_faults_and_prints_nothing_to_the_host(arg, culprit, tmp_path):
    path = elf("pmon", "mips")
    out = tmp_path / "s.json"
    sched = _cli("schedule", f"{path}:arg={arg}", "--json", str(out))
    assert "X" not in sched.stdout and "X" not in sched.stderr
    (g,) = json.loads(out.read_text())["guest_stats"]
    assert g["output"] == "before\n" and g["fault"].startswith(culprit)
    if arg == 0:
        run = _cli("run", str(path))
        assert (run.returncode, run.stdout) == (3, "before\n")
        assert "X" not in run.stderr and culprit in run.stderr


def test_mips16_code_runs_guarded(tmp_path):
    """Its count is not exact: halemu counts MIPS16 instructions as words."""
    run = _cli("run", str(elf("mips16_run", "mips")))
    assert (run.returncode, run.stdout) == (0, "survived\n"), run.stderr


def _longest_straight_run(path: Path) -> int:
    """The most MIPS32 words in a row, within one page, that end no block."""
    from hal.arch.mips import translation
    from hal.core import loader
    longest = 0
    for start, code in loader.load(path).code_pages():
        run = 0
        for i, (word,) in enumerate(struct.iter_unpack("<I", code)):
            run = 0 if (start + 4 * i) % translation.PAGE == 0 else run
            run = 0 if translation.ends_block(word) else run + 1
            longest = max(longest, run)
    return longest


def test_compiled_unrolled_code_runs_on_every_isa(backend):
    """Real code as a compiler writes it: SHA-256 with its loops unrolled,
    which on MIPS has runs of 1,024 instructions without a branch (Unicorn
    alone dies from about 374).  (The C library's malloc has 928: zig's
    SmpAllocator.getCpuCount, which test_libc.py's programs run on MIPS.)"""
    path = elf("unrolled_sha256", backend.name)
    run = _cli("run", str(path))
    assert (run.returncode, run.stdout) == (0, "0xba7816bf0x8f01cfea0x414140de0x5dae2223"
                                               "0xb00361a30x96177a9c0xb410ff610xf20015ad\n")
    if backend.name == "mips":
        assert _longest_straight_run(path) == 1024
