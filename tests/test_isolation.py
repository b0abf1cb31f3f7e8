"""Isolated runs, snapshots from the command line, parallel jobs."""
import os
import signal

from conftest import elf, image
from test_cli import hal, one_error_line

from hal.api.runs import run as api_run
from hal.core import runner
from hal.safety import isolation


def test_a_crash_in_the_worker_is_reported_not_suffered(monkeypatch):
    def crash(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGSEGV)
    monkeypatch.setattr(runner, "run", crash)
    result = api_run(image("hello", "x86"), isolate=True)
    assert result.fault.reason == ("the emulator crashed (signal SIGSEGV); "
                                   "halemu survived because the guest ran isolated")
    assert result.status == 3


def test_isolated_run_returns_the_same_result():
    alone = runner.run(image("sort", "mips"))
    isolated, died = isolation.call_isolated(runner.run, image("sort", "mips"))
    assert died is None and isolated == alone


def test_errors_in_the_worker_come_back_as_errors():
    import pytest
    with pytest.raises(ZeroDivisionError):
        isolation.call_isolated(lambda: 1 // 0)


def test_snapshot_and_resume_on_the_command_line(tmp_path):
    snap = tmp_path / "fib.snap"
    code, first, err = hal("run", "fib", "--isa", "alpha", "--snapshot-at", "500000",
                           "--snapshot", str(snap))
    assert code == 0 and "saved fib on alpha after 50" in err
    code, rest, err = hal("resume", str(snap), "--stats")
    alone = runner.run(image("fib", "alpha"))
    assert code == 0
    assert (first + rest).encode() == alone.output
    assert err == f"fib on alpha: {alone.retired} instructions, {alone.hal_calls} HAL calls\n"


def test_damaged_snapshot_is_one_clear_line(tmp_path):
    p = tmp_path / "bad.snap"
    from hal.safety.snapshot import MAGIC, VERSION
    p.write_bytes(MAGIC + bytes([VERSION]) + bytes(100))
    code, _, err = hal("resume", str(p))
    assert code == 2 and "snapshot is damaged" in one_error_line(err)


def test_jobs_give_the_same_report():
    assert hal("run", "collatz", "--jobs", "1") == hal("run", "collatz", "--jobs", "2")


def test_foreign_elf_files_run_isolated_by_default(tmp_path):
    copy = tmp_path / "guest.elf"
    copy.write_bytes(elf("exit42", "ppc").read_bytes())
    code, out, _ = hal("run", str(copy))
    assert (code, out) == (42, "exiting with 42\n")


def test_output_limit():
    code, out, err = hal("run", "fib", "--isa", "x86", "--max-output", "20")
    assert code == 3 and "console output limit of 20 bytes exceeded" in one_error_line(err)


def test_schedule_isolated_gives_the_same_report():
    args = ("schedule", "fib@mips", "sleepy@x86", "--cores", "1", "--no-output")
    assert hal(*args) == hal(*args, "--isolate")


def test_schedule_isolated_passes_errors_back():
    code, _, err = hal("schedule", "consumer@x86", "--isolate")
    assert code == 3 and "deadlock at tick" in one_error_line(err)


def test_schedule_output_limit_ends_only_that_guest():
    code, out, _ = hal("schedule", "fib@x86", "hello@mips", "--max-output", "30")
    assert code == 3
    assert "fib@x86: console output limit of 30 bytes exceeded" in out
    assert "Hello from a halemu guest!" in out


def test_compare_jobs_give_the_same_numbers():
    assert hal("compare", "sort", "--format", "json", "--jobs", "1") == \
        hal("compare", "sort", "--format", "json", "--jobs", "2")


def test_a_worker_that_answered_is_reaped_by_the_next_isolated_call():
    """The parent does not wait while an answered worker's memory is taken
    apart; the next isolated call reaps it, so no zombie outlives two calls."""
    import time
    assert isolation.call_isolated(lambda: 1) == (1, None)
    first = list(isolation._answered)
    assert len(first) == 1
    time.sleep(0.2)                         # long enough for it to finish exiting
    assert isolation.call_isolated(lambda: 2) == (2, None)
    assert first[0] not in isolation._answered and len(isolation._answered) == 1
    try:
        os.waitpid(first[0], os.WNOHANG)
        raise AssertionError("the first worker was never reaped")
    except ChildProcessError:
        pass
