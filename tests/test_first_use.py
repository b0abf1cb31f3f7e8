"""What a new user met first (issue 14, part 4): one test for each defect,
through the `hal` command as a teacher or a student types it."""
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ISAS, TEST_GUESTS, elf
from test_cli import hal, one_error_line

from hal.core import registry
from hal.toolchain import guests

ROOT = Path(__file__).resolve().parent.parent
DIV0 = str(TEST_GUESTS / "div0.c")


def hal_env(*args, env=None, input=None):
    proc = subprocess.run([sys.executable, "-m", "hal", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=input, timeout=600)
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


# -- rich markup no longer eats square brackets -----------------------------------


def test_fault_lines_keep_their_square_brackets():
    code, out, _ = hal("run", DIV0, "--isa", "x86,ppc")
    assert code == 3
    assert "x86: divide error (pc 0x" in out and "idiv dword ptr [ebp - 4])" in out
    code, out, _ = hal("schedule", f"{DIV0}@x86", "--no-output")
    assert code == 3 and "idiv dword ptr [ebp - 4])" in out


# -- a MIPS divide by zero blames the teq, and says what it is --------------------


def test_mips_divide_by_zero_names_the_compilers_check():
    code, _, err = hal("run", DIV0, "--isa", "mips")
    line = one_error_line(err)
    teq = re.search(r"\(pc (0x[0-9a-f]+): (teq \$\w+, \$zero, 7)\)", line)
    assert code == 3 and teq, line
    assert "the compiler's divide-by-zero check" in line and "mflo" not in line
    listing = subprocess.run([sys.executable, "-m", "hal", "disasm", DIV0, "--isa", "mips"],
                             capture_output=True, text=True).stdout
    at = re.search(r"^  ([0-9a-f]{8}):.*\bteq\b", listing, re.M)
    assert int(at.group(1), 16) == int(teq.group(1), 16)
    # counted up to the trap, not to the end of its block (jal and the delay slot
    # after it); the trace's last step is the teq that trapped
    trace = subprocess.run([sys.executable, "-m", "hal", "trace", DIV0, "--isa", "mips",
                            "--limit", "100000"], capture_output=True, text=True)
    retired = int(re.search(r"after (\d+) instructions", line).group(1))
    steps = [s for s in trace.stdout.splitlines() if re.match(r"\s+\d+\s+[0-9a-f]{8}\s", s)]
    assert len(steps) == retired + 1 and " teq " in steps[-1]


# -- files written under other names are named -------------------------------------


def test_compare_runs_say_which_files_they_wrote(tmp_path):
    code, _, err = hal("schedule", "--workload", "consolidation", "--compare", "pinned:8,rr:3",
                       "--svg", str(tmp_path / "x.svg"), "--csv", str(tmp_path / "x.csv"),
                       "--no-output")
    assert code == 0
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {"x.svg", "x.pinned-8.svg", "x.rr-3.svg", "x.csv",
                       *(f"x.{run}.{part}.csv" for run in ("pinned-8", "rr-3")
                         for part in ("guests", "cores", "timeline"))}
    said = " ".join(line for line in err.splitlines() if line.startswith("hal: wrote "))
    for name in written:
        assert str(tmp_path / name) in said, name
    rows = list(csv.DictReader((tmp_path / "x.csv").open()))
    assert [(r["policy"], r["cores"]) for r in rows] == [("pinned", "8"), ("rr", "3")]


# -- `hal guests`: each name once, descriptions whole --------------------------------


def test_guests_lists_each_name_once_with_its_whole_description():
    code, out, _ = hal_env("guests", env={"COLUMNS": "80"})
    assert code == 0 and max(map(len, out.splitlines())) <= 80
    for name in guests.names():
        entry = re.search(rf"^{name} +(.*?)(?=^\S|\Z)", out, re.M | re.S).group(1)
        text = " ".join(entry.split())
        assert text.startswith(guests.description(name)) and text.endswith(".")
        assert not re.search(rf"\b{name}:", text)      # not "fib  fib: ..."
    assert "hal_arg() sets the rounds (default 5)." in " ".join(out.split())


# -- verdicts and plurals that say what happened ------------------------------------


def test_no_identical_output_claim_when_every_isa_faulted():
    code, out, _ = hal("run", str(TEST_GUESTS / "null_deref.c"))
    assert code == 3
    assert "identical" not in out and "all 4 ISAs faulted: no output to compare" in out
    code, out, _ = hal("compare", str(TEST_GUESTS / "null_deref.c"))
    assert "identical" not in out and "all 4 ISAs faulted" in out


def test_two_isas_are_both_and_one_core_is_singular():
    _, out, _ = hal("run", "hello", "--isa", "mips,ppc")
    assert "identical output on both ISAs" in out and "all 2" not in out
    _, out, _ = hal("run", DIV0, "--isa", "x86,ppc,alpha")
    assert "faulted on x86; outputs differ" in out
    _, out, _ = hal("schedule", "hello@x86", "--cores", "1", "--no-output")
    assert out.startswith("rr on 1 core: ") and "1 cores" not in out


# -- the Alpha-like listing shows branch targets as addresses -------------------------


def test_alpha_branch_targets_are_addresses_like_the_others():
    _, out, _ = hal("disasm", "fib", "--function", "fib", "--isa", "alpha")
    start = int(re.search(r"^  ([0-9a-f]{8}):", out, re.M).group(1), 16)
    branches = re.findall(r"^  [0-9a-f]{8}:\s+(?:[0-9a-f]{2} ){4}\s*(\w+)\s+(.*?)  "
                          r"<(\w+)(?:\+(0x[0-9a-f]+))?>$", out, re.M)
    assert len(branches) >= 3
    for mnemonic, operands, function, offset in branches:
        target = int(operands.split(",")[-1].strip(), 16)
        if function == "fib":       # the note and the operand name the same place
            assert target == start + int(offset or "0", 16), f"{mnemonic} {operands}"
    _, out, _ = hal("trace", "fib", "--isa", "alpha", "--limit", "30")
    calls = re.findall(r"\bjal (\S+)", out)
    assert calls and all(int(c, 16) >= 0x10000 for c in calls)


# -- options that mean the same everywhere --------------------------------------------


def test_isa_lists_and_names_in_any_case_for_run_and_build():
    code, out, _ = hal("run", "hello", "--isa", "MIPS,Alpha")
    assert code == 0 and "hello on 2 ISAs" in out
    code, out, _ = hal("build", "hello", "--isa", "ppc,X86")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["ppc", "x86"]
    code, out, _ = hal("run", "hello", "--isa", "PPC")
    assert (code, out) == (0, "Hello from a halemu guest!\n")
    code, out, _ = hal("schedule", "hello@PPC", "--no-output")
    assert code == 0 and "hello@ppc" in out


def test_stats_with_every_isa_gives_each_count():
    code, _, err = hal("run", "hello", "--isa", "all", "--stats")
    assert code == 0
    assert err.splitlines() == [f"hello on {isa}: {n} instructions, 3 HAL calls"
                                for isa, n in zip(ISAS, (153, 190, 216, 181))]


def test_input_comes_from_stdin_for_run_compare_and_trace():
    text = b"a b\nc\n"
    _, ran, err = hal("run", "wc", "--isa", "ppc", "--stats", input=text)
    assert ran == "2 3 6\n"
    retired = re.search(r": (\d+) instructions", err).group(1)
    _, compared, _ = hal("compare", "wc", "--isa", "ppc", "--format", "csv", input=text)
    assert next(csv.DictReader(compared.splitlines()))["retired"] == retired
    _, traced, _ = hal("trace", "wc", "--isa", "ppc", "--limit", "100000", input=text)
    assert f"from the entry point: {retired} instructions" in traced
    _, alone, _ = hal("trace", "wc", "--isa", "ppc", "--limit", "100000", input=b"")
    assert f"from the entry point: {retired} instructions" not in alone


# -- a guest too big for its memory: the source, and what to do ----------------------


def test_too_big_names_the_source_and_the_memory_option(tmp_path):
    source = tmp_path / "big.c"
    source.write_text('#include "hal.h"\nchar big[2 << 20];\n'
                      "int main(void) { big[hal_arg()] = 1; return big[(2 << 20) - 1 - hal_arg()]; }\n")
    code, _, err = hal("run", str(source), "--isa", "mips")
    line = one_error_line(err)
    assert code == 2 and line.startswith(f"hal: error: {source} (built for mips): segment")
    assert ".cache" not in line and "give the guest more RAM with --memory 4M" in line
    code, _, _ = hal("run", str(source), "--isa", "mips", "--memory", "4M")
    assert code == 0


# -- tables fit the width they are given ----------------------------------------------


def test_tables_fit_80_columns_and_cut_no_header():
    for args in (["schedule", "--workload", "consolidation", "--compare", "pinned:8,rr:3"],
                 ["schedule", "--workload", "shares"], ["compare", "matmul"],
                 ["run", "fib"], ["isas"], ["devices"]):
        code, out, _ = hal_env(*args, env={"COLUMNS": "80"})
        assert code == 0, args
        assert max(map(len, out.splitlines())) <= 80, args
        assert "…" not in out, args
        for header in ("makespan", "utilization", "throughput", "retired", "migr."):
            assert not re.search(header[:5] + r"\w*…", out)


def test_columns_is_honoured_when_piped():
    _, wide, _ = hal_env("schedule", "--workload", "shares", "--no-output")
    _, narrow, _ = hal_env("schedule", "--workload", "shares", "--no-output", env={"COLUMNS": "60"})
    assert max(map(len, wide.splitlines())) > 80
    assert max(map(len, narrow.splitlines())) <= 60


# -- set-up is quiet ---------------------------------------------------------------------


def test_building_the_package_prints_no_setuptools_warning(tmp_path):
    """The build `make demo` runs first (setuptools on pyproject.toml and
    setup.py), in a copy of the tree so nothing is left behind."""
    import setuptools               # the test extra's, as new as the build's (pyproject.toml)
    assert int(setuptools.__version__.split(".")[0]) >= 77, setuptools.__version__
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "*.so")
    for name in ("hal", "arch", "guests"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-w", str(tmp_path / "dist"), str(src)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    noise = [line for line in (proc.stdout + proc.stderr).splitlines()
             if re.search(r"warn|deprecat|ignored", line, re.I)]
    assert not noise, "\n".join(noise)


# -- the README says which input gave its counts ------------------------------------------


def test_readme_counts_of_reading_guests_name_their_input():
    import hal as api
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("### Retired instructions per guest"):]
    assert "guests/expected/NAME.in" in table[:table.index("| guest")]
    for name in ("echo", "sum", "wc"):
        row = re.search(rf"^\| {name} +\|(.*)\|$", table, re.M).group(1)
        counts = [int(c.strip().replace(",", "")) for c in row.split("|")]
        runs = api.run_all(name, input=ROOT / "guests" / "expected" / f"{name}.in")
        assert counts == [r.retired for r in runs], name


# -- the Alpha-like stand-in is marked wherever counts are shown ----------------------------


def test_alpha_is_starred_with_one_line_saying_why():
    star = registry.get("alpha").label
    assert star == "alpha*"
    for args in (["run", "hello"], ["compare", "hello"], ["isas"],
                 ["schedule", "hello@alpha", "--no-output"]):
        _, out, _ = hal(*args)
        assert star in out, args
        notes = [line for line in out.splitlines() if line.startswith("alpha* runs RISC-V")]
        assert len(notes) == 1 and "not a real Alpha's" in notes[0], args
    _, out, _ = hal("compare", "hello", "--isa", "x86,mips")
    assert "alpha" not in out                   # no note without the stand-in
    _, out, _ = hal("compare", "hello", "--format", "markdown")
    assert "`alpha*`" in out and "alpha* runs RISC-V" in out


# -- `hal show` --------------------------------------------------------------------------


def test_show_prints_a_bundled_guests_source():
    code, out, _ = hal("show", "fib")
    assert (code, out) == (0, guests.source("fib").read_text())
    code, _, err = hal("show", "nosuch")
    assert code == 2 and "no such file or bundled guest 'nosuch'" in one_error_line(err)
