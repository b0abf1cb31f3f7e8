"""`hal profile`: exact retired instructions per function, per ISA.

No sampling and no extra hook: the machine's block counter knows how often
each basic block ran, and each instruction of a block is labelled once with
its owner (origins.py: the function, or the function inlined there, and
whether it is the user's code, start-up, the SDK, the C library or the
compiler runtime).  The counts are self counts (an instruction counts for
the function it lies in, not for its callers), so they add up to the run's
retired total exactly, fault or not (blocks.py).

JSON schema (`--format json`, "schema": "halemu.profile/1"; Profiles.to_dict()):

    {"schema": "halemu.profile/1",
     "guest": str,
     "categories": [{"key": str, "label": str}, ...],   # in display order
     "isas": [{
        "isa": str,
        "retired": int,                    # exactly `hal run`'s count
        "by_category": {key: int, ...},    # adds up to retired
        "functions": [{"function": str, "category": key,
                       "retired": int,     # self count; all functions add up to retired
                       "inlined": int,     # of which in copies inlined into other functions
                       "inlined_into": [str, ...]}, ...],
        "hal_calls": int, "exit_code": int | null, "fault": str | null,
        "build": {"compiler", "version", "producer", "opt", "flags"}}, ...]}
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .origins import CATEGORIES, LABELS, Origins, Owner
from .symbols import Program

SCHEMA = "halemu.profile/1"


@dataclass(frozen=True)
class FunctionCount:
    function: str
    category: str
    retired: int
    inlined: int = 0                            # retired in inlined copies
    inlined_into: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """One ISA's run, function by function (largest first within a category)."""
    guest: str
    isa: str
    retired: int
    functions: tuple[FunctionCount, ...]
    hal_calls: int
    exit_code: int | None
    fault: str | None
    build: dict = field(default_factory=dict)

    @property
    def by_category(self) -> dict[str, int]:
        totals = dict.fromkeys(CATEGORIES, 0)
        for f in self.functions:
            totals[f.category] += f.retired
        return totals

    def __getitem__(self, function: str) -> FunctionCount:
        for f in self.functions:
            if f.function == function:
                return f
        raise KeyError(f"no function '{function}' ran on {self.isa}")

    def share(self, category: str) -> float:
        return self.by_category[category] / self.retired if self.retired else 0.0

    def to_dict(self) -> dict:
        return {"isa": self.isa, "retired": self.retired, "by_category": self.by_category,
                "functions": [{"function": f.function, "category": f.category,
                               "retired": f.retired, "inlined": f.inlined,
                               "inlined_into": list(f.inlined_into)} for f in self.functions],
                "hal_calls": self.hal_calls, "exit_code": self.exit_code, "fault": self.fault,
                "build": self.build}


@dataclass(frozen=True)
class Profiles:
    """One guest profiled on several ISAs."""
    guest: str
    profiles: tuple[Profile, ...]

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "guest": self.guest,
                "categories": [{"key": k, "label": LABELS[k]} for k in CATEGORIES],
                "isas": [p.to_dict() for p in self.profiles]}


def owner_counts(machine, program: Program, origins: Origins | None = None) -> Counter:
    """Retired instructions per Owner after a run of `machine`; they add up to
    machine.retired exactly."""
    from .blocks import weigh
    origins = origins or Origins(program)
    sizer = machine.counter.sizer

    def label(address: int, code: bytes) -> list[Owner]:
        return origins.owners(sizer.starts(code, address))

    return weigh(machine, label)


def functions(counts: Counter) -> tuple[FunctionCount, ...]:
    """Owner counts gathered per function, by category, largest first."""
    per: dict[tuple[str, str], list] = {}
    for owner, n in counts.items():
        if not n:
            continue
        entry = per.setdefault((owner.function, owner.category), [0, 0, set()])
        entry[0] += n
        if owner.inlined_into is not None:
            entry[1] += n
            entry[2].add(owner.inlined_into)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    rows = [FunctionCount(name, cat, n, inl, tuple(sorted(into)))
            for (name, cat), (n, inl, into) in per.items()]
    return tuple(sorted(rows, key=lambda r: (order[r.category], -r.retired, r.function)))


def run_counting_startup(image, **kwargs):
    """runner.run(image, **kwargs) that also says how many of the retired
    instructions were start-up's (`hal run --stats`): (RunResult, count)."""
    from ..core import runner
    machine = runner.new_machine(image, **kwargs)
    result = runner.finish(machine)
    program = Program(image)
    try:
        counts = owner_counts(machine, program)
    finally:
        program.close()
    return result, sum(n for owner, n in counts.items() if owner.category == "startup")


def measure(image, *, stdin: bytes | None = None, max_instructions: int | None = None) -> Profile:
    """Run one image to its end and profile it."""
    from ..toolchain import provenance
    from . import drive
    machine = drive.machine(image, stdin=stdin, max_instructions=max_instructions)
    drive.to_end(machine)
    program = Program(image)
    try:
        counts = owner_counts(machine, program)
    finally:
        program.close()
    return Profile(image.name, image.backend.name, machine.retired, functions(counts),
                   machine.hal_calls, machine.exit_code,
                   machine.fault.summary() if machine.fault else None, provenance.of(image.path))


def profile(guest: str, images, jobs: int = 1, **options) -> Profiles:
    """Profile each image, on up to `jobs` host processes."""
    from ..safety.parallel import map_items
    return Profiles(guest, tuple(map_items(measure, list(images), jobs, **options)))
