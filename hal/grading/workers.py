"""Forked runner processes that run tests and survive the guests that kill them.

A Runner is one forked child: it takes a Unit (ELF bytes and tests), runs the
tests one by one, and sends back each Outcome as soon as it has it.  Unicorn
is C, and some guests crash it outright (unicorn-engine/unicorn#2134); such a
crash takes down only the runner.  The Pool sees which test it was on (the
first one not yet answered), forks a fresh runner and tries that test once
more; if it dies again the test is reported, and the rest of the unit goes on
in a new runner.  So one hostile guest costs one line in the gradebook, and a
worker that died for some other reason (killed, out of memory) costs nothing.

The same Pool serves both engines: `--jobs N` runners on this machine, or one
per Dask worker thread, where it keeps Dask's own worker alive.  Runners are
forked with os.fork, not multiprocessing, because Dask's worker processes are
daemons, which multiprocessing forbids to have children.  A runner closes
every file descriptor it inherited but its own pipe, ignores Ctrl-C (the
parent stops it), and ends when its pipe closes.

A test that gets no answer for far longer than its instruction limit could
take (`watchdog`) is treated like a crash: the emulator hung.  The bound is
generous (a guest that traps to the HAL every few instructions retires about
a million a second), and it is counted in the runner's own CPU seconds where
Linux tells them (/proc), so a busy machine never turns into another grade;
a runner that uses no CPU at all is stopped after WALL_FACTOR times the bound.
"""
from __future__ import annotations

import os
import signal
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, Pipe, wait
from typing import Callable, Iterable, Iterator

from ..safety.isolation import crashed_fault
from .judge import CRASHED, ERROR, HUNG, Outcome, Unit, run_test

WATCHDOG_BASE = 60.0                # CPU seconds any test may take, plus
WATCHDOG_RATE = 100_000             # instructions a second, ten times slower than the slowest
WALL_FACTOR = 10                    # seen (a trap every few instructions on a loaded machine)


def watchdog(unit: Unit, index: int) -> float:
    return WATCHDOG_BASE + unit.tests[index].max_instructions / WATCHDOG_RATE


def cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used (Linux /proc), or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class Died(Exception):
    """The runner ended without answering; `why` says how."""
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class Runner:
    """One forked child that runs the tests it is sent."""

    def __init__(self):
        parent, child = Pipe()
        with warnings.catch_warnings():     # Python 3.12 warns of fork in a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:                        # pragma: no cover  (the child; coverage cannot see it)
            _serve(child)
        child.close()
        self.pid, self.conn = pid, parent
        self.started = (0.0, None)          # when the current test started: wall, CPU

    def send(self, unit: Unit, indices: list[int]) -> None:
        self._mark()
        self.conn.send((unit, indices))

    def _mark(self) -> None:
        self.started = (time.monotonic(), cpu_seconds(self.pid))

    def overdue(self, limit: float) -> bool:
        """Has the current test run past `limit` seconds (of CPU, where known)?"""
        wall, cpu = self.started
        waited = time.monotonic() - wall
        if waited <= limit:
            return False
        now = cpu_seconds(self.pid) if cpu is not None else None
        return now is None or now - cpu > limit or waited > WALL_FACTOR * limit

    def receive(self):
        """The next message: (index, Outcome), or None when the unit is done."""
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise Died(self._end()) from None
        self._mark()
        return message

    def kill(self) -> str:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return self._end()

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        self._wait()

    def _end(self) -> str:
        self.conn.close()
        status = self._wait()
        if status is None:
            return crashed_fault(None).reason
        return crashed_fault(-os.WTERMSIG(status) if os.WIFSIGNALED(status)
                             else os.WEXITSTATUS(status)).reason

    def _wait(self) -> int | None:
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return None


def _serve(conn: Connection) -> None:       # pragma: no cover  (runs in the child)
    """The runner's life: take a unit, answer each test, until the pipe closes."""
    import faulthandler
    status = 0
    try:
        faulthandler.disable()              # a crash is the parent's to report, in one line
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _die_with_parent()
        keep = conn.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, _max_fd())
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            unit, indices = message
            images: dict = {}
            for i in indices:
                try:
                    outcome = run_test(unit, unit.tests[i], images)
                except Exception as e:      # a bug of ours: reported, and the batch goes on
                    outcome = Outcome(ERROR, detail=f"{type(e).__name__}: {e}")
                conn.send((i, outcome))
            conn.send(None)
    except BaseException:
        status = 70
    finally:
        os._exit(status)


def _die_with_parent() -> None:             # pragma: no cover  (runs in the child)
    """Linux: end with the process (thread) that forked us, even if it is killed."""
    try:
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass                                # elsewhere: it ends when its pipe closes


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        return 4096


@dataclass
class _Job:
    unit: Unit
    todo: deque[int]                        # test indices not yet answered
    retried: set[int] = field(default_factory=set)


class Pool:
    """`jobs` runners, each working through one unit at a time."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.idle: list[Runner] = []
        self.busy: dict[Connection, tuple[Runner, _Job]] = {}

    def run(self, units: Iterable[Unit] | Callable[[float | None], Unit | None | bool],
            ) -> Iterator[tuple[Unit, int, Outcome]]:
        """(unit, test index, outcome) for every test of every unit, as they finish.

        `units` is a list, or a function taking a timeout that returns the next
        unit, False when none is ready yet, or None when there will be no more
        (so units can arrive while earlier ones run)."""
        if not callable(units):
            items = iter(units)
            units = lambda timeout: next(items, None)       # noqa: E731
        pending: deque[_Job] = deque()
        more = True
        while True:
            while more and len(pending) < self.jobs:
                wait_for = None if not self.busy and not pending else 0
                unit = units(wait_for)
                if unit is None:
                    more = False
                elif unit is False:
                    break
                elif unit.tests:
                    pending.append(_Job(unit, deque(range(len(unit.tests)))))
            while pending and (self.idle or len(self.busy) < self.jobs):
                job = pending.popleft()
                runner = self._send(job)
                self.busy[runner.conn] = (runner, job)
            if not self.busy:
                if not more and not pending:
                    return
                continue
            for conn in wait(list(self.busy), timeout=0.05 if more else 1.0):
                yield from self._answer(conn, pending)
            yield from self._watch(pending)

    def _send(self, job: _Job) -> Runner:
        """A runner working on `job`: an idle one, or a new one if it has gone."""
        while self.idle:
            runner = self.idle.pop()
            try:
                runner.send(job.unit, list(job.todo))
                return runner
            except OSError:                 # it ended while idle (its forking thread did)
                runner.kill()
        runner = Runner()
        runner.send(job.unit, list(job.todo))
        return runner

    def _answer(self, conn, pending: deque[_Job]) -> Iterator[tuple[Unit, int, Outcome]]:
        runner, job = self.busy[conn]
        try:
            message = runner.receive()
        except Died as died:
            del self.busy[conn]
            yield from self._lost(job, died.why, CRASHED, pending)
            return
        if message is None:                 # the unit is done; the runner takes another
            del self.busy[conn]
            self.idle.append(runner)
            return
        index, outcome = message
        job.todo.remove(index)
        yield job.unit, index, outcome

    def _watch(self, pending: deque[_Job]) -> Iterator[tuple[Unit, int, Outcome]]:
        for conn, (runner, job) in list(self.busy.items()):
            limit = watchdog(job.unit, job.todo[0]) if job.todo else 0
            if job.todo and runner.overdue(limit):
                del self.busy[conn]
                runner.kill()
                yield from self._lost(job, f"the emulator gave no answer in {limit:.0f} s "
                                           f"and was stopped", HUNG, pending)

    def _lost(self, job: _Job, why: str, status: str,
              pending: deque[_Job]) -> Iterator[tuple[Unit, int, Outcome]]:
        """A runner died on job.todo[0]: try it once more, then report it."""
        index = job.todo[0]
        if index in job.retried:
            job.todo.popleft()
            yield job.unit, index, Outcome(status, detail=f"{why} (tried twice)")
        else:
            job.retried.add(index)
        if job.todo:
            pending.appendleft(job)

    def close(self, kill: bool = False) -> None:
        """Stop every runner: politely when the work is done, at once on Ctrl-C."""
        for runner, _ in list(self.busy.values()):
            runner.kill()
        self.busy.clear()
        for runner in self.idle:
            runner.kill() if kill else runner.close()
        self.idle.clear()
