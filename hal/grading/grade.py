"""The pipeline: find the submissions, build each once per ISA, run every
test where its ISA's build succeeded, judge, and collect a gradebook.

Builds and runs overlap: a unit (one submission's ELF on one ISA) goes to
the engine as soon as its build is done, so workers start while the
compiler is still busy with later students.  Every (student, test, ISA)
ends with exactly one Outcome, so every student gets a full row, whatever
their program did.
"""
from __future__ import annotations

import os
import queue
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import builds, engines, spec as specs, submissions
from .builds import Built
from .gradebook import Gradebook, assemble
from .judge import Outcome, Unit

Progress = Callable[[int, int], None]       # (tests finished so far, tests in all)


@dataclass(frozen=True)
class Graded:
    gradebook: Gradebook
    skipped: tuple[str, ...]                # entries of the class folder that are not submissions
    engine: str
    jobs: int


def default_jobs() -> int:
    return os.cpu_count() or 1


def grade(folder: str | os.PathLike, spec: str | os.PathLike | specs.Spec, *,
          engine: str = "local", jobs: int | None = None, scheduler: str | None = None,
          progress: Progress | None = None) -> Graded:
    the_spec = spec if isinstance(spec, specs.Spec) else specs.load(Path(spec))
    subs, skipped = submissions.find(folder)
    jobs = jobs or default_jobs()
    runner = engines.engine(engine, jobs, scheduler)
    total = len(subs) * len(the_spec.columns())
    outcomes: dict[tuple[str, str, str], Outcome] = {}
    tests_on = {isa: tuple(t for t in the_spec.tests if isa in t.isas) for isa in the_spec.isas}

    def record(student: str, test: str, isa: str, outcome: Outcome) -> None:
        outcomes[(student, test, isa)] = outcome
        if progress is not None:
            progress(len(outcomes), total)

    built: queue.SimpleQueue = queue.SimpleQueue()
    expected = len(subs) * len(the_spec.isas)
    finish = None
    try:
        if progress is not None:
            progress(0, total)
        finish = builds.build_class(subs, the_spec.isas, jobs, built.put)
        received = 0

        def next_unit(timeout: float | None):
            """The next built unit for the engine; False if none yet, None at the end."""
            nonlocal received
            while received < expected:
                try:
                    b: Built = built.get(timeout=timeout) if timeout != 0 else built.get_nowait()
                except queue.Empty:
                    return False
                received += 1
                if b.elf is not None:
                    return Unit(b.student, b.isa, b.elf, tests_on[b.isa])
                for t in tests_on[b.isa]:
                    record(b.student, t.name, b.isa, b.failure)
            return None

        for student, isa, index, outcome in runner.run(next_unit):
            record(student, tests_on[isa][index].name, isa, outcome)
    except BaseException:               # Ctrl-C or a bug: stop everything at once
        if finish is not None:
            finish(cancel=True)
        runner.close(kill=True)
        raise
    if finish is not None:
        finish()
    runner.close()
    book = assemble(the_spec, [s.student for s in subs], outcomes)
    return Graded(book, tuple(skipped), engine, jobs)
