"""A graded class as plain data, and as the CSV and JSON files a course's
tools take: one row per student, the points of every test on every ISA.

Nothing in it depends on how the grades were made (engine, workers, order,
time, paths), so the same class and spec give the same bytes every time.

CSV columns: student, points, max_points, then `test@isa` for each test and
each of its ISAs (the points earned there), then notes: what went wrong,
in a few words ("wrong output: sum@ppc, neg@ppc; does not build: *@mips").

JSON (`"schema": "halemu.gradebook/1"`): the tests (name, points per ISA,
ISAs), max_points, and per student their points, and for each test and ISA
its status, points, retired instructions, exit code and, when it failed,
why (one line).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from . import judge as j
from .judge import Outcome
from .spec import Spec

SCHEMA = "halemu.gradebook/1"
# one letter per status, for tables that show a test's ISAs side by side
MARKS = {j.PASSED: "+", j.WRONG_OUTPUT: "W", j.WRONG_EXIT: "X", j.FAULT: "F",
         j.INSTRUCTION_LIMIT: "L", j.OUTPUT_LIMIT: "O", j.CRASHED: "C", j.HUNG: "H",
         j.WORKER_DIED: "D", j.NO_BUILD: "B", j.REFUSED: "R", j.NOT_LOADED: "N", j.ERROR: "E"}


def fmt(points: Decimal) -> str:
    """Points as a course's spreadsheet wants them: 2, 1.5, 0 (no exponent)."""
    text = format(points.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(points: Decimal) -> int | float:
    return int(points) if points == points.to_integral_value() else float(points)


@dataclass(frozen=True)
class Cell:
    test: str
    isa: str
    points: Decimal
    outcome: Outcome

    @property
    def mark(self) -> str:
        return MARKS.get(self.outcome.status, "?")

    @property
    def column(self) -> str:
        return f"{self.test}@{self.isa}"


@dataclass(frozen=True)
class Row:
    student: str
    cells: tuple[Cell, ...]         # in the spec's column order

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.cells), Decimal(0))

    @property
    def failed(self) -> list[Cell]:
        return [c for c in self.cells if not c.outcome.passed]

    def marks(self, test: str) -> str:
        """One letter per ISA of `test` (see MARKS): "++W+"."""
        return "".join(c.mark for c in self.cells if c.test == test)

    def notes(self) -> str:
        """What went wrong, grouped by kind, in the order first met: a test
        that failed the same way on all its ISAs is `test@*`, an ISA where
        every test did is `*@isa`."""
        if self.failed and len(self.failed) == len(self.cells) and \
                len({c.outcome.status for c in self.cells}) == 1:
            return f"{self.cells[0].outcome.status}: every test"
        by_test: dict[str, list[Cell]] = {}
        by_isa: dict[str, list[Cell]] = {}
        for c in self.cells:
            by_test.setdefault(c.test, []).append(c)
            by_isa.setdefault(c.isa, []).append(c)

        def same(cells: list[Cell]) -> str | None:
            statuses = {c.outcome.status for c in cells}
            return statuses.pop() if len(statuses) == 1 else None

        groups: dict[str, list[str]] = {}
        for c in self.failed:
            status = c.outcome.status
            if same(by_isa[c.isa]) == status and len(by_isa[c.isa]) > 1:
                where = f"*@{c.isa}"
            elif same(by_test[c.test]) == status and len(by_test[c.test]) > 1:
                where = f"{c.test}@*"
            else:
                where = c.column
            places = groups.setdefault(status, [])
            if where not in places:
                places.append(where)
        return "; ".join(f"{status}: {', '.join(places)}" for status, places in groups.items())


@dataclass(frozen=True)
class Gradebook:
    spec: Spec
    rows: tuple[Row, ...]           # sorted by student

    @property
    def max_points(self) -> Decimal:
        return self.spec.max_points

    @property
    def all_passed(self) -> bool:
        return all(not r.failed for r in self.rows)

    def row(self, student: str) -> Row:
        for r in self.rows:
            if r.student == student:
                return r
        raise KeyError(f"no student '{student}'")

    def columns(self) -> list[str]:
        return [f"{t.name}@{isa}" for t, isa in self.spec.columns()]

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["student", "points", "max_points", *self.columns(), "notes"])
        for r in self.rows:
            w.writerow([r.student, fmt(r.points), fmt(self.max_points),
                        *(fmt(c.points) for c in r.cells), r.notes()])
        return out.getvalue()

    def to_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "max_points": number(self.max_points),
            "tests": [{"name": t.name, "points": number(t.points), "isas": list(t.isas)}
                      for t in self.spec.tests],
            "students": [{
                "student": r.student,
                "points": number(r.points),
                "results": _results(r),
                "notes": r.notes(),
            } for r in self.rows],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _results(row: Row) -> dict:
    out: dict[str, dict] = {}
    for c in row.cells:
        o = c.outcome
        entry = {"status": o.status, "points": number(c.points), "retired": o.retired,
                 "exit_code": o.exit_code}
        if not o.passed:
            entry["why"] = o.why()
        out.setdefault(c.test, {})[c.isa] = entry
    return out


def assemble(spec: Spec, students: list[str], outcomes: dict[tuple[str, str, str], Outcome],
             ) -> Gradebook:
    """The gradebook from every (student, test, ISA) outcome."""
    rows = []
    for student in sorted(students):
        cells = []
        for test, isa in spec.columns():
            o = outcomes[(student, test.name, isa)]
            cells.append(Cell(test.name, isa, test.points if o.passed else Decimal(0), o))
        rows.append(Row(student, tuple(cells)))
    return Gradebook(spec, tuple(rows))
