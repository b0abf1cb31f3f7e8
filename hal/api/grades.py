"""Grading a class: `hal.grade` and its result, `Grades`.

    >>> g = hal.grade("class/", "tests.toml")           # every submission, every test, every ISA
    >>> g
    <Grades 7 students, 2 tests on 4 ISAs: 1 with full marks, 6 lost points>
    >>> g["erin"].points, g["erin"].notes()
    (Decimal('9'), 'wrong output: hello@ppc, echo@ppc')
    >>> open("gradebook.csv", "w").write(g.to_csv())
    >>> g.write_reports("reports/")                     # one text report per student
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from ..grading.gradebook import Gradebook, Row
from .options import positive

__all__ = ["Grades", "grade"]


@dataclass(frozen=True, repr=False)
class Grades:
    """A graded class: `gradebook` (rows per student, cells per test and ISA),
    `skipped` (entries of the class folder that are not submissions), and
    every format `hal grade` writes as a method.  Index it by student."""
    gradebook: Gradebook
    skipped: tuple[str, ...] = ()

    def __getitem__(self, student: str) -> Row:
        return self.gradebook.row(student)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.gradebook.rows)

    def __len__(self) -> int:
        return len(self.gradebook.rows)

    @property
    def students(self) -> list[str]:
        return [r.student for r in self.gradebook.rows]

    @property
    def max_points(self) -> Decimal:
        return self.gradebook.max_points

    @property
    def all_passed(self) -> bool:
        """Every student passed every test on every ISA."""
        return self.gradebook.all_passed

    @property
    def status(self) -> int:
        """The exit status `hal grade` gives: 0 if every test passed everywhere, else 1."""
        return 0 if self.all_passed else 1

    def table(self) -> str:
        """What `hal grade` prints: one line per student, a mark per test and ISA."""
        from ..render import terminal
        return terminal.as_text(terminal.gradebook, self.gradebook)

    def to_csv(self) -> str:
        """The gradebook as CSV (`--csv FILE`, `--format csv`)."""
        return self.gradebook.to_csv()

    def to_json(self) -> str:
        """The "halemu.gradebook/1" document (`--json FILE`); as a dict: to_dict()."""
        return self.gradebook.to_json()

    def to_dict(self) -> dict:
        return self.gradebook.to_dict()

    def report(self, student: str) -> str:
        """One student's report: points, each test on each ISA, diffs and faults."""
        from ..grading import reports
        return reports.report(self.gradebook, self[student])

    def write_reports(self, folder: str | os.PathLike) -> list[Path]:
        """One report per student in `folder`, as `--report DIR` writes them."""
        from ..grading import reports
        return reports.write(self.gradebook, folder)

    def __repr__(self) -> str:
        spec = self.gradebook.spec
        full = sum(1 for r in self.gradebook.rows if not r.failed)
        return (f"<Grades {len(self)} students, {len(spec.tests)} tests on "
                f"{len(spec.isas)} ISAs: {full} with full marks, {len(self) - full} lost points>")

    def _repr_html_(self) -> str:
        from ..render import html
        return html.gradebook(self.gradebook)


def grade(submissions: str | os.PathLike, spec: str | os.PathLike, *, engine: str = "local",
          jobs: int | None = None, scheduler: str | None = None,
          report: str | os.PathLike | None = None,
          progress: Callable[[int, int], None] | None = None) -> Grades:
    """Grade a class, as `hal grade SUBMISSIONS --spec SPEC` does.

    submissions: a folder holding one .c file or one folder of sources per
    student.  spec: the tests.toml (see hal/grading/spec.py).  Each
    submission is built once per ISA (cached); each test runs on each of its
    ISAs, on `jobs` local worker processes (engine="local", default: one per
    core) or on Dask (engine="dask": the cluster at `scheduler`,
    "tcp://HOST:8786", or a LocalCluster of `jobs` workers when None).
    report: a folder for one text report per student.  progress(done, total)
    is called as tests finish.

    Nothing a submission does stops the batch: code that does not build,
    runaways, floods, faults, emulator crashes and refused includes each end
    as that student's own line.  Bad input (no such folder, a wrong spec, an
    unreachable scheduler) raises HalError."""
    from ..grading import grade as grading
    graded = grading.grade(submissions, spec, engine=engine, jobs=positive("jobs", jobs),
                           scheduler=scheduler, progress=progress)
    grades = Grades(graded.gradebook, graded.skipped)
    if report is not None:
        grades.write_reports(report)
    return grades
