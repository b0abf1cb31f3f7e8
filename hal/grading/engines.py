"""Where tests run: forked workers on this machine (the default, `--jobs N`),
or a Dask distributed cluster (`--engine dask`, `--scheduler tcp://HOST:8786`;
without an address, a LocalCluster on this machine).

Both take units (ELF bytes and tests) as the builds finish them and give back
(student, ISA, test index, Outcome) as tests finish, in whatever order; the
gradebook sorts.  On Dask each task is one unit, run in the worker by the
same Pool of forked runners as locally, so a guest that crashes Unicorn never
takes a Dask worker down.  A Dask worker that dies mid-task (killed, out of
memory, its machine lost) is Dask's to retry: the LocalCluster allows one
retry (distributed.scheduler.allowed-failures = 1), and a task that still
fails is reported as "worker died" for each of its tests.
"""
from __future__ import annotations

import queue
import threading
from typing import Callable, Iterator

from ..errors import HalError
from .judge import ERROR, WORKER_DIED, Outcome, Unit
from .workers import Pool

Result = tuple[str, str, int, Outcome]
NextUnit = Callable[[float | None], "Unit | None | bool"]
ENGINES = ("local", "dask")


class Local:
    """`jobs` forked runners on this machine."""
    name = "local"

    def __init__(self, jobs: int):
        self.pool = Pool(jobs)

    def run(self, next_unit: NextUnit) -> Iterator[Result]:
        for unit, index, outcome in self.pool.run(next_unit):
            yield unit.student, unit.isa, index, outcome

    def close(self, kill: bool = False) -> None:
        self.pool.close(kill=kill)


# -- Dask ----------------------------------------------------------------------------
_local = threading.local()


def run_remote(unit: Unit) -> list[tuple[int, Outcome]]:
    """A Dask task: one unit's tests, in this worker's own forked runner."""
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = Pool(1)
    return [(index, outcome) for _, index, outcome in pool.run([unit])]


def versions() -> dict[str, str]:
    """What must match between the grading machine and every worker."""
    from importlib.metadata import version
    import platform
    return {"halemu": version("halemu"), "unicorn": version("unicorn"),
            "capstone": version("capstone"), "python": platform.python_version()}


class Dask:
    """A Dask distributed cluster: the one at `scheduler`, or a LocalCluster."""
    name = "dask"

    def __init__(self, scheduler: str | None, jobs: int):
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise HalError("--engine dask needs Dask: pip install 'halemu[dask]' "
                           "(dask[distributed]); see the README") from None
        import logging
        logging.getLogger("distributed").setLevel(logging.ERROR)
        self.cluster = None
        if scheduler is None:
            with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                                  "distributed.worker.daemon": True}):
                self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            worker_dashboard_address=None,
                                            silence_logs=logging.ERROR)
            address = self.cluster
        else:
            address = scheduler
        try:
            self.client = Client(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError) as e:
            self._close_cluster()
            raise HalError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        try:
            self._check_workers()
        except BaseException:
            self.close()
            raise

    def _check_workers(self) -> None:
        try:
            self.client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise HalError(f"no Dask workers joined the scheduler at {self.client.scheduler.address}"
                           " within 60 s (start some with `dask worker ADDRESS`)") from None
        ours = versions()
        try:
            theirs = self.client.run(versions)
        except (ImportError, ModuleNotFoundError):
            raise HalError("the Dask workers cannot import halemu: install it on every worker "
                           "(see the README, 'Grading on a Dask cluster')") from None
        for worker, v in sorted(theirs.items()):
            if v != ours:
                diff = ", ".join(f"{k} {v.get(k)} (here {ours[k]})" for k in ours
                                 if v.get(k) != ours[k])
                raise HalError(f"Dask worker {worker} differs from this machine: {diff}; "
                               f"grades must come from the same emulator everywhere")

    def run(self, next_unit: NextUnit) -> Iterator[Result]:
        from uuid import uuid4
        done: queue.SimpleQueue = queue.SimpleQueue()
        waiting: dict = {}
        more = True
        while more or waiting:
            while more:
                unit = next_unit(None if not waiting else 0)
                if unit is None:
                    more = False
                elif unit is False:
                    break
                elif unit.tests:
                    fut = self.client.submit(run_remote, unit, pure=False,
                                             key=f"hal-grade-{unit.isa}-{uuid4().hex}")
                    waiting[fut.key] = (fut, unit)
                    fut.add_done_callback(done.put)
            if not waiting:
                continue
            try:
                fut = done.get(timeout=0.05 if more else None)
            except queue.Empty:
                continue
            fut, unit = waiting.pop(fut.key)
            yield from self._results(fut, unit)

    def _results(self, fut, unit: Unit) -> Iterator[Result]:
        from distributed import KilledWorker
        if fut.status == "finished":
            answers = fut.result()
        else:
            exc = fut.exception()
            if isinstance(exc, (ImportError, ModuleNotFoundError)):
                raise HalError(f"a Dask worker cannot run halemu: {exc}")
            if isinstance(exc, KilledWorker):
                why = Outcome(WORKER_DIED, detail="the Dask worker running this died, "
                                                  "and again when it was retried")
            else:
                why = Outcome(ERROR, detail=f"{type(exc).__name__}: {exc}")
            answers = [(i, why) for i in range(len(unit.tests))]
        fut.release()
        for index, outcome in answers:
            yield unit.student, unit.isa, index, outcome

    def close(self, kill: bool = False) -> None:
        try:
            self.client.close()
        finally:
            self._close_cluster()

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def engine(name: str, jobs: int, scheduler: str | None):
    if name == "local":
        if scheduler is not None:
            raise HalError("--scheduler is for --engine dask")
        return Local(jobs)
    if name == "dask":
        return Dask(scheduler, jobs)
    raise HalError(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")
