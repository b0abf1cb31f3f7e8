"""`hal grade` on a class of real submissions: each gets exactly the grade it
deserves, on every ISA, with a report that says why, and the exit status
tells failure from success."""
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import hal
from hal.grading import judge

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grading"
CLASS, SPEC = EXAMPLE / "class", EXAMPLE / "tests.toml"

# what each student of examples/grading/class deserves (see the comment at the top of each file)
EXPECTED_CSV = """\
student,points,max_points,small@x86,small@mips,small@ppc,small@alpha,negative@x86,negative@mips,negative@ppc,negative@alpha,empty@x86,empty@mips,empty@ppc,empty@alpha,many@x86,many@mips,many@ppc,many@alpha,notes
ada,20,20,1,1,1,1,1,1,1,1,1,1,1,1,2,2,2,2,
ben,16,20,1,1,0,1,1,1,0,1,1,1,1,1,2,2,0,2,"wrong output: small@ppc, negative@ppc, many@ppc"
cy,16,20,1,1,1,1,0,0,0,0,1,1,1,1,2,2,2,2,wrong output: negative@*
dee,20,20,1,1,1,1,1,1,1,1,1,1,1,1,2,2,2,2,
eve,0,20,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,does not build: every test
fay,10,20,1,1,0,0,1,1,0,0,1,1,0,0,2,2,0,0,"instruction limit: *@ppc, *@alpha"
gus,0,20,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,output limit: every test
ivy,16,20,1,1,1,1,1,1,1,1,0,0,0,0,2,2,2,2,fault: empty@*
jon,0,20,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,refused: every test
kim,0,20,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,refused: every test
"""


@pytest.fixture(scope="module")
def graded():
    return hal.grade(CLASS, SPEC, jobs=2)


def hal_cli(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "hal", *map(str, args)], capture_output=True,
                          text=True, timeout=600, cwd=cwd, stdin=subprocess.DEVNULL)
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def test_the_class_gets_exactly_the_grades_it_deserves(graded):
    assert graded.to_csv() == EXPECTED_CSV


def test_each_kind_of_failure_is_named(graded):
    def statuses(student):
        return {c.column: c.outcome.status for c in graded[student].cells}
    assert set(statuses("ada").values()) == {judge.PASSED}
    assert statuses("ben")["small@ppc"] == judge.WRONG_OUTPUT       # endian-dependent
    assert statuses("fay")["small@alpha"] == judge.INSTRUCTION_LIMIT  # unsigned char never EOF
    assert statuses("gus")["small@x86"] == judge.OUTPUT_LIMIT
    assert statuses("ivy")["empty@mips"] == judge.FAULT
    assert statuses("eve")["many@ppc"] == judge.NO_BUILD
    assert statuses("jon")["small@x86"] == judge.REFUSED
    assert graded["ada"].points == Decimal(20) == graded.max_points


def test_the_json_gradebook_has_every_cell(graded):
    doc = json.loads(graded.to_json())
    assert doc["schema"] == "halemu.gradebook/1" and doc["max_points"] == 20
    assert [t["name"] for t in doc["tests"]] == ["small", "negative", "empty", "many"]
    fay = next(s for s in doc["students"] if s["student"] == "fay")
    assert fay["points"] == 10
    assert fay["results"]["many"]["ppc"]["status"] == "instruction limit"
    assert fay["results"]["many"]["ppc"]["why"].startswith(
        "instruction limit: exceeded the instruction limit of 1000000")
    assert fay["results"]["many"]["x86"] == {
        "status": "passed", "points": 2, "retired": fay["results"]["many"]["x86"]["retired"],
        "exit_code": 0}


def test_reports_say_what_to_fix(graded, tmp_path):
    written = graded.write_reports(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{s}.txt" for s in graded.students)
    ben = (tmp_path / "ben.txt").read_text()
    assert ben.startswith("ben: 16 of 20 points\n")
    assert "-bytes 00 00 00 06\n     +bytes 06 00 00 00" in ben          # the diff, on ppc
    eve = (tmp_path / "eve.txt").read_text()
    assert "on x86, mips, ppc, alpha: does not build" in eve
    assert "eve.c:" in eve and "error: expected ';'" in eve           # the compiler's words
    assert str(CLASS) not in eve                                        # not where the class lies
    ivy = (tmp_path / "ivy.txt").read_text()
    assert "read from unmapped memory" in ivy and "registers:" in ivy   # the fault report
    jon = (tmp_path / "jon.txt").read_text()
    assert '#include "ada.c": a one-file submission may include only' in jon
    kim = (tmp_path / "kim.txt").read_text()
    assert "reaches outside the submission's folder" in kim
    assert "[[test]]" not in kim                                         # nothing of the spec leaks


def test_the_result_object_is_short_and_draws_itself(graded):
    assert repr(graded) == ("<Grades 10 students, 4 tests on 4 ISAs: "
                            "2 with full marks, 8 lost points>")
    html = graded._repr_html_()
    assert "<table" in html and "fay" in html and "instruction limit: *@ppc, *@alpha" in html
    assert graded.status == 1 and not graded.all_passed
    assert graded.report("cy") == graded.report("cy")
    table = graded.table()
    assert "10 students, 4 tests on x86, mips, ppc, alpha" in table
    assert "++LL" in table                                              # fay: ppc, alpha


def test_command_line_writes_the_same_files_and_exits_1(graded, tmp_path):
    code, out, err = hal_cli("grade", CLASS, "--spec", SPEC, "--csv", tmp_path / "g.csv",
                             "--json", tmp_path / "g.json", "--report", tmp_path / "r",
                             "--jobs", "2")
    assert code == 1, err
    assert err == ""                        # no progress bar when not on a terminal
    assert out == graded.table()
    assert (tmp_path / "g.csv").read_text() == graded.to_csv()
    assert (tmp_path / "g.json").read_text() == graded.to_json()
    assert (tmp_path / "r" / "ben.txt").read_text() == graded.report("ben")


def test_exit_status_0_when_everyone_passes(tmp_path):
    (tmp_path / "class").mkdir()
    for name in ("ada.c", "dee"):
        src = CLASS / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / "class" / name)
    (tmp_path / "class" / "README.txt").write_text("not a submission")
    shutil.copy(SPEC, tmp_path / "tests.toml")
    shutil.copytree(EXAMPLE / "inputs", tmp_path / "inputs")
    code, out, err = hal_cli("grade", tmp_path / "class", "--spec", tmp_path / "tests.toml",
                             "--format", "csv", "--jobs", "1")
    assert code == 0, err
    assert err == "hal: skipped README.txt: not a .c file or a folder\n"
    assert out.splitlines()[1:] == [line for line in EXPECTED_CSV.splitlines()
                                    if line.startswith(("ada,", "dee,"))]


@pytest.mark.parametrize("args, message", [
    (["nowhere", "--spec", SPEC], "nowhere: no such folder of submissions"),
    ([CLASS, "--spec", "missing.toml"], "missing.toml: no such test specification"),
    ([CLASS, "--spec", SPEC, "--scheduler", "tcp://127.0.0.1:1"],
     "--scheduler is for --engine dask"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    code, out, err = hal_cli("grade", *args)
    assert code == 2 and out == ""
    assert err == f"hal: error: {message}\n"


def test_the_progress_bar_shows_on_a_terminal_only(tmp_path):
    (tmp_path / "class").mkdir()
    shutil.copy(CLASS / "ada.c", tmp_path / "class")
    (tmp_path / "tests.toml").write_text('[[test]]\nname = "t"\nstdout = "sum 0\\nbytes 00 00 00 00\\n"\n')
    import pty
    import threading
    leader, follower = pty.openpty()
    seen = bytearray()

    def read():                     # keep the terminal drained while hal draws on it
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc = subprocess.run([sys.executable, "-m", "hal", "grade", str(tmp_path / "class"),
                           "--spec", str(tmp_path / "tests.toml"), "--format", "csv"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
                          timeout=300, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    reader.join(timeout=10)
    os.close(leader)
    assert proc.returncode == 0
    assert b"grading" in seen and b"tests" in seen          # the bar, drawn on stderr
    assert proc.stdout.decode().startswith("student,points,max_points,t@x86")
