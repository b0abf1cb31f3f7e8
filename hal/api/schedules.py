"""Many guests on few cores: `hal.schedule` and `hal.compare_policies`, and
their results, `Schedule` and `Schedules`.

    >>> s = hal.schedule(["fib@mips", "primes@ppc", "sleepy@x86"], cores=2)
    >>> s.makespan, s.mean_utilization, s.outputs["fib@mips"]
    >>> s                                   # in a notebook: tables and the Gantt chart
    >>> hal.compare_policies("consolidation", "pinned:8,rr:3")

Settings come from the arguments, then from the workload file's [schedule]
table, then from the command line's defaults: exactly the order `hal
schedule` uses, so a workload file gives the same numbers either way.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from ..core.memmap import MemoryMap
from ..errors import HalError
from ..scheduling.workload import GuestSpec, Workload
from .options import DEFAULT_MEMORY, memory_map, positive

__all__ = ["Schedule", "Schedules", "schedule", "compare_policies", "load_workload"]

Guests = Union[str, os.PathLike, Workload, GuestSpec, Iterable[Union[str, GuestSpec]]]
"""A workload (a TOML file, a bundled workload's name such as "consolidation",
or a Workload), one guest ("fib@mips:weight=2"), or a list of guests."""

Runs = Union[str, Sequence[Union[str, tuple[str, int]]], None]
"""Policies to compare: "pinned:8,rr:3", ["pinned:8", "rr:3"] or [("pinned", 8), ("rr", 3)]."""

MAX_CORES = 256


@dataclass(frozen=True, repr=False)
class Schedule:
    """A finished schedule.  `metrics` is the JSON document of `hal schedule
    --json` (its keys are documented in the README); the properties below
    read it.  Per-guest numbers are in `guests`, per-core in `core_stats`,
    every stretch of every core's time in `timeline`."""
    metrics: dict

    policy = property(lambda self: self.metrics["policy"])
    cores = property(lambda self: self.metrics["cores"])
    quantum = property(lambda self: self.metrics["quantum"])
    switch_cost = property(lambda self: self.metrics["switch_cost"])
    makespan = property(lambda self: self.metrics["makespan"], doc="ticks until the last guest ended")
    mean_utilization = property(lambda self: self.metrics["mean_utilization"])
    throughput = property(lambda self: self.metrics["throughput"],
                          doc="retired instructions per tick, across all cores")
    retired = property(lambda self: self.metrics["retired"])
    guests = property(lambda self: self.metrics["guest_stats"])
    core_stats = property(lambda self: self.metrics["core_stats"])
    timeline = property(lambda self: self.metrics["timeline"])
    events = property(lambda self: self.metrics["events"],
                      doc="blocks, wake-ups, messages and exits, in time order")
    deadlock = property(lambda self: self.metrics["deadlock"],
                        doc="None, or who waited on what when nothing could run again")

    @property
    def outputs(self) -> dict[str, str]:
        """Each guest's console output, by label ("fib@mips")."""
        return {g["label"]: g["output"] for g in self.guests}

    def guest(self, label: str) -> dict:
        """One guest's numbers, by label."""
        for g in self.guests:
            if g["label"] == label:
                return g
        raise KeyError(f"no guest '{label}' (guests: {', '.join(g['label'] for g in self.guests)})")

    @property
    def faulted(self) -> bool:
        """Some guest faulted or ran past a limit."""
        return any(g["fault"] for g in self.guests)

    def table(self, outputs: bool = True) -> str:
        """What `hal schedule` prints: summary, cores, guests, the text Gantt
        chart and (unless outputs=False) each guest's output."""
        from ..render import terminal
        return terminal.as_text(terminal.print_report, self.metrics, outputs=outputs)

    def to_dict(self) -> dict:
        return self.metrics

    def to_json(self) -> str:
        """What `--json FILE` writes."""
        return json.dumps(self.metrics, indent=1)

    def write_csv(self, path: str | os.PathLike) -> list[Path]:
        """What `--csv NAME.csv` writes: NAME.guests.csv, NAME.cores.csv, NAME.timeline.csv."""
        from ..render import text
        return text.write_csv(Path(path), self.metrics)

    def chart(self, fmt: str = "svg", *, shares: bool | None = None) -> str | bytes:
        """The Gantt chart for a slide, SVG text or PNG bytes (1920x1080),
        drawn by matplotlib: one row per core, a colour family per ISA and a
        shade per guest, a time axis in ticks.  Under the shares policy (or
        shares=True) it also shows the first quanta up close and each
        guest's run ticks over time, where a 2:1 weight reads as 2:1."""
        from ..render import charts
        return charts.gantt(self.metrics, fmt, shares)

    def svg(self) -> str:
        """The Gantt chart as SVG (what --svg FILE writes)."""
        return self.chart("svg")            # type: ignore[return-value]

    def png(self) -> bytes:
        """The Gantt chart as PNG (what --png FILE writes)."""
        return self.chart("png")            # type: ignore[return-value]

    def __repr__(self) -> str:
        cores = f"{self.cores} core" + ("s" if self.cores != 1 else "")
        return (f"<Schedule {self.policy} on {cores}, {len(self.guests)} guests: "
                f"makespan {self.makespan:,} ticks, utilization {100 * self.mean_utilization:.1f}%>")

    def _repr_html_(self) -> str:
        from ..render import html
        return html.schedule(self.metrics)

    def _repr_svg_(self) -> str:
        return self.svg()


@dataclass(frozen=True, repr=False)
class Schedules(Sequence[Schedule]):
    """The same guests under several policies (`hal schedule --compare`)."""
    schedules: tuple[Schedule, ...]

    def __len__(self) -> int:
        return len(self.schedules)

    def __iter__(self) -> Iterator[Schedule]:
        return iter(self.schedules)

    def __getitem__(self, i):               # type: ignore[override]
        return self.schedules[i]

    def table(self) -> str:
        """What `hal schedule --compare` prints: each run's Gantt chart, then one row per run."""
        from ..render import terminal
        return terminal.as_text(terminal.compared_schedules, [s.metrics for s in self])

    def to_dict(self) -> dict:
        from ..scheduling.metrics import SCHEMA_VERSION
        return {"schema": SCHEMA_VERSION, "runs": [s.metrics for s in self]}

    def to_json(self) -> str:
        """What `--json FILE` writes with --compare."""
        return json.dumps(self.to_dict(), indent=1)

    def chart(self, fmt: str = "svg") -> str | bytes:
        """The policies side by side for a slide (SVG text or PNG bytes):
        mean utilization, makespan and total ready ticks, one bar per run."""
        from ..render import charts
        return charts.policies([s.metrics for s in self], fmt)

    def svg(self) -> str:
        """The policy comparison as SVG (what --svg FILE writes with --compare)."""
        return self.chart("svg")            # type: ignore[return-value]

    def png(self) -> bytes:
        return self.chart("png")            # type: ignore[return-value]

    def to_csv(self) -> str:
        """One row per run: what --csv NAME.csv writes to NAME.csv with --compare."""
        from ..render import text
        return text.policies_csv([s.metrics for s in self])

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        runs = ", ".join(f"{s.policy}:{s.cores} {s.makespan:,}" for s in self)
        return f"<Schedules makespans: {runs}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.schedules([s.metrics for s in self])


def schedule(guests_or_workload: Guests = (), *, workload: str | os.PathLike | Workload | None = None,
             policy: str | None = None, cores: int | None = None, quantum: int | None = None,
             switch_cost: int | None = None, max_instructions: int | None = None,
             memory: str | int | MemoryMap = DEFAULT_MEMORY, max_output: int | None = None,
             isolate: bool = False) -> Schedule:
    """Run guests of any ISAs on emulated cores, as `hal schedule` does.

    guests_or_workload: a workload file (or a bundled workload's name), guest
    specs ("fib@mips", "collatz@x86:weight=2", an ELF path) or GuestSpecs;
    `workload` adds a workload's guests and settings in front, as --workload.
    policy ("pinned", "rr", "affinity", "shares"; default "rr"), cores
    (default 2), quantum (ticks per slice, default 10,000), switch_cost
    (ticks per context switch, default 0) and max_instructions fall back on
    the workload's [schedule] settings, then on those defaults.  memory and
    max_output apply to each guest; isolate runs it all in a worker process.
    A workload's `compare` setting is for `hal.compare_policies`.  Neither a
    guest's fault nor a deadlock is an exception: see the guest's `fault` and
    the Schedule's `deadlock` (who waited on what when nothing could run)."""
    plan = _plan(guests_or_workload, workload, cores, quantum, switch_cost, max_instructions,
                 memory, max_output)
    name = policy or plan.settings.get("policy", "rr")
    return Schedule(_collect(plan, [(name, plan.cores)], isolate)[0])


def compare_policies(guests_or_workload: Guests = (), runs: Runs = None, *,
                     workload: str | os.PathLike | Workload | None = None,
                     cores: int | None = None, quantum: int | None = None,
                     switch_cost: int | None = None, max_instructions: int | None = None,
                     memory: str | int | MemoryMap = DEFAULT_MEMORY,
                     max_output: int | None = None, isolate: bool = False) -> Schedules:
    """The same guests under several policies, as `hal schedule --compare`:
    runs is "pinned:8,rr:3" (a policy without :CORES gets `cores`), or the
    workload's `compare` setting when None.  Other arguments as for
    `hal.schedule`."""
    plan = _plan(guests_or_workload, workload, cores, quantum, switch_cost, max_instructions,
                 memory, max_output)
    runs = runs if runs is not None else plan.settings.get("compare")
    if runs is None:
        raise HalError("no policies to compare: give runs such as 'pinned:4,rr:2'")
    return Schedules(tuple(Schedule(m) for m in _collect(plan, _runs(runs, plan.cores), isolate)))


@dataclass
class _Plan:
    """Guests and settings, merged and checked, before anything runs."""
    specs: list[GuestSpec]
    settings: dict            # the workload's [schedule] table
    cores: int
    options: dict             # the Scheduler's keyword arguments


def load_workload(source: str | os.PathLike | Workload) -> Workload:
    """A workload file, or a bundled workload's name ("consolidation"), read and checked."""
    from ..scheduling import workload
    if isinstance(source, Workload):
        return source
    return workload.load(_workload_path(source))


def _workload_path(source) -> Path:
    """A path as given; else a bundled workload's name ("consolidation"), or
    the README's path to one ("guests/workloads/consolidation.toml"), found
    wherever halemu is, so a notebook in another folder can use either."""
    from .. import paths
    path = Path(source)
    if path.exists():
        return path
    for bundled in (paths.GUESTS / "workloads" / f"{source}.toml",
                    paths.GUESTS.parent / path):
        if not path.is_absolute() and bundled.suffix == ".toml" and bundled.is_file():
            return bundled
    return path


def _is_workload(x) -> bool:
    if isinstance(x, Workload):
        return True
    if isinstance(x, os.PathLike) or (isinstance(x, str) and "@" not in x):
        path = _workload_path(x)
        return path.suffix == ".toml"
    return False


def _specs(items) -> list[GuestSpec]:
    from ..scheduling.workload import parse_spec
    if isinstance(items, (str, os.PathLike, GuestSpec)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, GuestSpec):
            out.append(item)
        elif isinstance(item, (str, os.PathLike)):
            out.append(parse_spec(os.fspath(item)))
        else:
            raise HalError(f"a guest is a spec such as 'fib@mips' or a GuestSpec, not {item!r}")
    return out


def _plan(guests, workload, cores, quantum, switch_cost, max_instructions, memory,
          max_output) -> _Plan:
    from ..scheduling.scheduler import DEFAULT_CHANNEL_CAPACITY, DEFAULT_QUANTUM
    if _is_workload(guests):
        if workload is not None:
            raise HalError("two workloads: give one, with any extra guests as a list")
        guests, workload = (), guests
    wl = load_workload(workload) if workload is not None else Workload([])
    specs = wl.guests + _specs(guests)
    if not specs:
        raise HalError("no guests: name some as PROGRAM@ISA, or give --workload FILE")
    cfg = wl.settings
    cores = cores if cores is not None else cfg.get("cores", 2)
    quantum = quantum if quantum is not None else cfg.get("quantum", DEFAULT_QUANTUM)
    switch_cost = switch_cost if switch_cost is not None else cfg.get("switch_cost", 0)
    if max_instructions is None:
        max_instructions = cfg.get("max_instructions")
    if not _cores_ok(cores):
        raise HalError(f"--cores must be 1 to {MAX_CORES}, not {cores}")
    quantum = positive("quantum", quantum)
    switch_cost = positive("switch_cost", switch_cost, zero=True)
    options = dict(quantum=quantum, switch_cost=switch_cost,
                   max_instructions=positive("max_instructions", max_instructions, zero=True),
                   channel_capacity=cfg.get("channel_capacity", DEFAULT_CHANNEL_CAPACITY),
                   memory=memory_map(memory), max_output=positive("max_output", max_output, zero=True))
    return _Plan(specs, cfg, cores, options)


def _cores_ok(n) -> bool:
    return not isinstance(n, bool) and isinstance(n, int) and 1 <= n <= MAX_CORES


def _runs(runs: str | Sequence[str | tuple[str, int]], cores: int) -> list[tuple[str, int]]:
    from ..scheduling import policies, workload
    if isinstance(runs, str):
        pairs = workload.parse_compare(runs, cores)
    else:
        pairs = []
        for r in runs:
            if isinstance(r, str):
                pairs += workload.parse_compare(r, cores)
            elif isinstance(r, (tuple, list)) and len(r) == 2 and isinstance(r[0], str):
                pairs.append((r[0], r[1]))
            else:
                raise HalError(f"a run is 'POLICY:CORES' or (POLICY, CORES), not {r!r}")
        if not pairs:
            raise HalError("--compare needs at least one policy")
    for name, n in pairs:
        policies.make(name)
        if not _cores_ok(n):
            raise HalError(f"--compare: {name} needs 1 to {MAX_CORES} cores, not {n}")
    return pairs


def _collect(plan: _Plan, runs: list[tuple[str, int]], isolate: bool) -> list[dict]:
    """Build and load the guests, then run each (policy, cores), in a worker if isolated."""
    from ..scheduling import policies, workload
    for name, n in runs:
        policies.make(name)         # an unknown policy is an error before anything is built
    configs = workload.resolve(plan.specs)
    if not isolate:
        return _run_each(configs, runs, plan.options)
    from ..safety import isolation
    results, died = isolation.call_isolated(_run_each, configs, runs, plan.options)
    if results is None:
        raise HalError(isolation.crashed_fault(died).reason)
    return results


def _run_each(configs, runs, options) -> list[dict]:
    from ..scheduling import metrics, policies
    from ..scheduling.scheduler import Scheduler
    return [metrics.collect(Scheduler(configs, policies.make(name), cores=n, **options).run())
            for name, n in runs]
