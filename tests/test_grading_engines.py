"""Grades do not depend on what ran them: the same class under local --jobs 1,
--jobs 2 and a Dask LocalCluster gives byte-identical gradebooks; and a Dask
worker that dies mid-task is retried once, then reported."""
import os
import signal
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

import hal
from hal.grading import engines, judge
from hal.grading.judge import Unit
from hal.grading.spec import Test as SpecTest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "grading"


def dask_or_skip():
    try:
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("dask[distributed] is not installed (pip install 'halemu[dask]')")


def test_local_jobs_1_and_2_and_a_dask_local_cluster_give_the_same_bytes():
    one = hal.grade(EXAMPLE / "class", EXAMPLE / "tests.toml", jobs=1)
    two = hal.grade(EXAMPLE / "class", EXAMPLE / "tests.toml", jobs=2)
    assert two.to_csv() == one.to_csv() and two.to_json() == one.to_json()
    dask_or_skip()
    on_dask = hal.grade(EXAMPLE / "class", EXAMPLE / "tests.toml", engine="dask", jobs=2)
    assert on_dask.to_csv() == one.to_csv() and on_dask.to_json() == one.to_json()
    assert on_dask.table() == one.table()


def test_an_unreachable_scheduler_is_one_line():
    dask_or_skip()
    with pytest.raises(hal.HalError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        engines.Dask("tcp://127.0.0.1:9", 1)


def _runaway_unit(limit: int) -> Unit:
    """A guest that loops until its instruction limit: long enough to be killed in."""
    elf = hal.build(ROOT / "tests" / "guests" / "spin.c", isa="ppc")["ppc"].read_bytes()
    test = SpecTest("loop", b"", b"never", None, None, ("ppc",), limit, 4096, 1 << 20,
                    Decimal(1))
    return Unit("spin", "ppc", elf, (test,))


def _kill_the_worker_running(engine, key: str, pids_seen: set) -> None:
    """Find the Dask worker processing `key` and kill it (it is ours: the LocalCluster's)."""
    client = engine.client
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        processing = client.processing()
        where = [w for w, keys in processing.items() if key in keys]
        if where:
            try:
                pids = client.run(os.getpid, workers=where)
            except Exception:
                pids = {}
            for pid in pids.values():
                if pid not in pids_seen:
                    time.sleep(0.5)             # let the task get under way in its runner
                    pids_seen.add(pid)
                    os.kill(pid, signal.SIGKILL)
                    return
        time.sleep(0.1)
    raise AssertionError(f"{key} never ran on a worker")


@pytest.mark.parametrize("kills, status", [(1, judge.INSTRUCTION_LIMIT), (2, judge.WORKER_DIED)])
def test_a_dask_worker_that_dies_mid_task_is_retried_once_then_reported(kills, status):
    dask_or_skip()
    engine = engines.Dask(None, 2)
    try:
        unit = _runaway_unit(300_000_000)
        sent = []
        results = []

        def next_unit(timeout):
            if sent:
                return None
            sent.append(unit)
            return unit

        runner = threading.Thread(target=lambda: results.extend(engine.run(next_unit)))
        runner.start()
        while not engine.client.processing() or not any(engine.client.processing().values()):
            time.sleep(0.05)
        key = next(k for keys in engine.client.processing().values() for k in keys)
        seen: set = set()
        for _ in range(kills):
            _kill_the_worker_running(engine, key, seen)
        runner.join(timeout=600)
        assert not runner.is_alive()
        [(student, isa, index, outcome)] = results
        assert (student, isa, index, outcome.status) == ("spin", "ppc", 0, status)
        if status == judge.WORKER_DIED:
            assert outcome.detail == ("the Dask worker running this died, "
                                      "and again when it was retried")
    finally:
        engine.close()
