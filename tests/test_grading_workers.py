"""The runners that grading forks: a guest that kills its runner is retried
once and then reported, a runner that dies once costs nothing, a hung one is
stopped, and every test of every unit ends with exactly one outcome, however
many runners there are and whatever dies (a hypothesis property)."""
import os
import shutil
import signal
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hal
from hal.grading import judge, workers
from hal.grading.judge import Outcome, Unit
from hal.grading.spec import Test as SpecTest
from decimal import Decimal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grading"


def small_class(tmp_path, *students):
    """ada's right answer under other names, and the example spec."""
    (tmp_path / "class").mkdir()
    for s in students:
        shutil.copy(EXAMPLE / "class" / "ada.c", tmp_path / "class" / f"{s}.c")
    spec = tmp_path / "tests.toml"
    spec.write_text('[defaults]\nmax_instructions = 1_000_000\n'
                    '[[test]]\nname = "small"\nstdin = "1\\n2\\n3\\n"\n'
                    'stdout = "sum 6\\nbytes 00 00 00 06\\n"\n'
                    '[[test]]\nname = "empty"\nstdout = "sum 0\\nbytes 00 00 00 00\\n"\n')
    return tmp_path / "class", spec


def test_a_guest_that_crashes_the_emulator_is_retried_once_then_reported(tmp_path, monkeypatch):
    real = workers.run_test
    attempts = tmp_path / "attempts"
    attempts.mkdir()

    def crashing(unit, test, images=None):
        if unit.student == "crash" and test.name == "small":
            (attempts / f"{unit.isa}-{os.getpid()}").touch()
            os.kill(os.getpid(), signal.SIGSEGV)            # as Unicorn does, now and then
        return real(unit, test, images)
    monkeypatch.setattr(workers, "run_test", crashing)
    folder, spec = small_class(tmp_path, "ann", "crash")
    g = hal.grade(folder, spec, jobs=2)
    assert g.to_csv().splitlines()[1:] == [
        "ann,8,8,1,1,1,1,1,1,1,1,",
        "crash,4,8,0,0,0,0,1,1,1,1,emulator crashed: small@*"]
    cell = next(c for c in g["crash"].cells if c.column == "small@mips")
    assert cell.outcome.detail == ("the emulator crashed (signal SIGSEGV); halemu survived "
                                   "because the guest ran isolated (tried twice)")
    assert len(list(attempts.iterdir())) == 8           # each ISA: tried, and tried once more


def test_a_runner_that_dies_once_changes_nothing(tmp_path, monkeypatch):
    folder, spec = small_class(tmp_path, "ann", "bob")
    calm = hal.grade(folder, spec, jobs=2)
    real = workers.run_test
    marks = tmp_path / "marks"
    marks.mkdir()

    def dies_once(unit, test, images=None):
        mark = marks / f"{unit.student}-{unit.isa}-{test.name}"
        if not mark.exists():
            mark.touch()
            os._exit(9)                                  # killed, out of memory, ...
        return real(unit, test, images)
    monkeypatch.setattr(workers, "run_test", dies_once)
    assert hal.grade(folder, spec, jobs=2).to_json() == calm.to_json()
    assert len(list(marks.iterdir())) == 16


def test_a_hung_emulator_is_stopped_and_reported(tmp_path, monkeypatch):
    real = workers.run_test

    def hangs(unit, test, images=None):
        if unit.student == "slow" and unit.isa == "ppc" and test.name == "empty":
            time.sleep(600)
        return real(unit, test, images)
    monkeypatch.setattr(workers, "run_test", hangs)
    monkeypatch.setattr(workers, "WATCHDOG_BASE", 1.0)
    monkeypatch.setattr(workers, "WATCHDOG_RATE", 10**9)
    folder, spec = small_class(tmp_path, "slow")
    start = time.monotonic()
    g = hal.grade(folder, spec, jobs=2)
    assert time.monotonic() - start < 120
    assert g.to_csv().splitlines()[1] == "slow,7,8,1,1,1,1,1,1,0,1,emulator hung: empty@ppc"
    cell = next(c for c in g["slow"].cells if c.column == "empty@ppc")
    assert cell.outcome.detail == "the emulator gave no answer in 1 s and was stopped (tried twice)"


# -- the Pool's bookkeeping, as a property --------------------------------------
def fake_test(name: str) -> SpecTest:
    return SpecTest(name, b"", b"", None, None, ("x86",), 1000, 100, 1 << 20, Decimal(1))


def scripted(unit, test, images=None):
    """What each fake test does, by its name: ok, once (dies the first time), always."""
    kind, key = test.name.split("-", 1)
    if kind == "always":
        os._exit(3)
    if kind == "once":
        mark = Path(os.environ["HAL_TEST_MARKS"]) / key
        if not mark.exists():
            mark.touch()
            os.kill(os.getpid(), signal.SIGKILL)
    return Outcome(judge.PASSED, retired=len(key))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(jobs=st.integers(1, 3),
       plan=st.lists(st.lists(st.sampled_from(["ok", "ok", "ok", "once", "always"]),
                              min_size=0, max_size=4), min_size=1, max_size=5))
def test_every_test_ends_with_exactly_one_outcome(tmp_path_factory, monkeypatch, jobs, plan):
    marks = tmp_path_factory.mktemp("marks")
    monkeypatch.setenv("HAL_TEST_MARKS", str(marks))
    monkeypatch.setattr(workers, "run_test", scripted)
    units = [Unit(f"s{u}", "x86", b"", tuple(fake_test(f"{kind}-{u}.{t}")
                                              for t, kind in enumerate(kinds)))
             for u, kinds in enumerate(plan)]
    pool = workers.Pool(jobs)
    try:
        got = [(unit.student, index, outcome) for unit, index, outcome in pool.run(units)]
    finally:
        pool.close()
    assert sorted((s, i) for s, i, _ in got) == sorted(
        (u.student, i) for u in units for i in range(len(u.tests)))
    for student, index, outcome in got:
        kind = plan[int(student[1:])][index]
        assert outcome.status == (judge.CRASHED if kind == "always" else judge.PASSED)
    assert len(pool.idle) <= jobs and not pool.busy
