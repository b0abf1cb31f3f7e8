"""Answers and grades: what each kind of answer may look like, how close a
number must come (its tolerance), and the answer file `hal exercise answers`
prints, which `hal exercise check` accepts as it is.

Kinds of answer, and how a student's is compared with halemu's:

    count     a whole number ("2,144,599" too); within 0.5% by default
    percent   a percentage (68.2 or "68.2%"); within 0.15 points by default
    ratio     a number; within 2% by default
    isa       an ISA's name, in any case ("alpha*" as tables show it is alpha)
    isas      several ISA names, in any order: ["x86", "mips"] or "x86, mips"
    text      words, compared without regard to case or spacing
    register  a register's name, with or without its $ or %
    yesno     true/false, or "yes"/"no"
    address   a number, or text such as "0x180003f8" or "0x1800_03F8"
"""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..errors import HalError


class Unreadable(ValueError):
    """A student's answer that is not of the kind asked for."""


def _number(x) -> float:
    if isinstance(x, bool):
        raise Unreadable("a number, not true/false")
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.replace(",", "").replace("_", "").strip().rstrip("%"))
        except ValueError:
            pass
    raise Unreadable(f"a number, not {x!r}")


def _words(x) -> str:
    if not isinstance(x, str):
        raise Unreadable(f"text, not {x!r}")
    return " ".join(x.lower().split())


def _register(x) -> str:
    return _words(x).lstrip("$%")


def _isa(x) -> str:
    return _words(x).rstrip("*")


def _isas(x) -> list[str]:
    items = x.split(",") if isinstance(x, str) else x
    if not isinstance(items, list):
        raise Unreadable(f"a list of ISAs, not {x!r}")
    return sorted(_isa(i) for i in items if _isa(i))


def _yesno(x) -> bool:
    if isinstance(x, bool):
        return x
    word = _words(x) if isinstance(x, str) else None
    if word in ("yes", "true", "y"):
        return True
    if word in ("no", "false", "n"):
        return False
    raise Unreadable(f"yes or no, not {x!r}")


def _address(x) -> int:
    if isinstance(x, int) and not isinstance(x, bool):
        return x
    if isinstance(x, str):
        try:
            return int(x.replace("_", "").strip(), 0)
        except ValueError:
            pass
    raise Unreadable(f"an address such as 0x1000, not {x!r}")


@dataclass(frozen=True)
class Kind:
    hint: str                          # what the sheet asks for, in words
    blank: str                         # a placeholder in the answer file
    read: Callable[[Any], Any]         # a student's (or halemu's) answer, made comparable
    shown: Callable[[Any], Any]        # halemu's answer as the answer file writes it
    tolerance: float = 0.0             # relative, or points for percent
    relative: bool = True


def _close(kind: Kind, given: float, expected: float, tolerance: float | None) -> bool:
    tol = kind.tolerance if tolerance is None else tolerance
    allowed = tol * abs(expected) if kind.relative else tol
    return abs(given - expected) <= allowed + 1e-9


KINDS = {
    "count": Kind("a whole number", "0", _number, lambda v: int(v), 0.005),
    "percent": Kind("a percentage", "0.0", _number, lambda v: round(float(v), 1), 0.15, False),
    "ratio": Kind("a number", "0.0", _number, lambda v: float(f"{v:.4g}"), 0.02),
    "isa": Kind("an ISA", '""', _isa, str),
    "isas": Kind("a list of ISAs", "[]", _isas, lambda v: sorted(v)),
    "text": Kind("a word or two", '""', _words, str),
    "register": Kind("a register's name", '""', _register, str),
    "yesno": Kind("true or false", "false", _yesno, bool),
    "address": Kind("an address", '"0x0"', _address, lambda v: v if isinstance(v, str) else hex(v)),
}
NUMERIC = {"count", "percent", "ratio"}


def right(question, given, expected) -> bool:
    """Whether a student's answer is halemu's (within the question's tolerance)."""
    kind = KINDS[question.kind]
    if question.kind in NUMERIC:
        return _close(kind, kind.read(given), float(expected), question.tolerance)
    return kind.read(given) == kind.read(expected)


def measure_all(questions) -> dict[str, Any]:
    """Every question's answer, measured now."""
    from .probes import measure
    return {q.id: measure(q.ask) for q in questions}


@dataclass(frozen=True, repr=False)
class Answers:
    """A sheet's answers, measured by halemu: `values` by question id."""
    sheet: Any
    values: dict[str, Any]

    def why(self, q) -> str:
        return q.why.replace("{answer}", str(KINDS[q.kind].shown(self.values[q.id])))

    def text(self) -> str:
        """The answer file: TOML that `hal exercise check` accepts, a one-line
        why under each answer."""
        s = self.sheet
        out = [f"# Exercise {s.number}: {s.title}",
               "# Answers measured by halemu just now, from the guests.", ""]
        for q in s.questions:
            value = KINDS[q.kind].shown(self.values[q.id])
            out += [f"# {q.id}. {' '.join(q.text.split())}", f"{q.id} = {_toml(value)}",
                    f"#   why: {' '.join(self.why(q).split())} ({q.command})", ""]
        return "\n".join(out)

    __str__ = text

    def __repr__(self) -> str:
        return f"<Answers to exercise {self.sheet.number}: {len(self.values)} measured>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text())


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


@dataclass(frozen=True)
class Mark:
    question: Any
    given: Any                  # None: not answered
    right: bool
    note: str                   # why it is wrong ("" if right)


@dataclass(frozen=True, repr=False)
class Grade:
    """Right or wrong per question: `marks`, `right` (how many), `ok` (all right)."""
    sheet: Any
    marks: tuple[Mark, ...]
    unknown: tuple[str, ...]    # keys in the answers that are no question

    @property
    def right(self) -> int:
        return sum(m.right for m in self.marks)

    @property
    def ok(self) -> bool:
        return self.right == len(self.marks)

    def lines(self) -> list[str]:
        out = []
        for m in self.marks:
            verdict = "right" if m.right else f"wrong: {m.note}"
            out.append(f"{m.question.id} {verdict}")
        out += [f"{k}: no such question on this sheet" for k in self.unknown]
        out.append(f"{self.right} of {len(self.marks)} right")
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def to_dict(self) -> dict:
        return {"exercise": self.sheet.number, "right": self.right, "questions": len(self.marks),
                "marks": [{"question": m.question.id, "right": m.right, "note": m.note}
                          for m in self.marks], "unknown": list(self.unknown)}

    def __repr__(self) -> str:
        return f"<Grade for exercise {self.sheet.number}: {self.right} of {len(self.marks)} right>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text())


def grade(sheet, given: dict, measured: dict) -> Grade:
    marks = []
    for q in sheet.questions:
        if q.id not in given:
            marks.append(Mark(q, None, False, "no answer"))
            continue
        try:
            ok = right(q, given[q.id], measured[q.id])
            note = "" if ok else f"you wrote {_toml(given[q.id])}"
        except Unreadable as e:
            ok, note = False, f"the answer should be {e}"
        marks.append(Mark(q, given[q.id], ok, note))
    ids = {q.id for q in sheet.questions}
    return Grade(sheet, tuple(marks), tuple(k for k in given if k not in ids))


def read_answers(answers) -> dict:
    """A student's answers: a dict, an ANSWERS.toml path, or TOML text."""
    if isinstance(answers, dict):
        return answers
    if isinstance(answers, os.PathLike) or (isinstance(answers, str) and "=" not in answers):
        path = Path(answers)
        try:
            answers = path.read_text()
        except (OSError, UnicodeDecodeError) as e:
            raise HalError(f"{path}: cannot read the answers: {getattr(e, 'strerror', e)}") from None
        where = str(path)
    else:
        where = "the answers"
    try:
        return tomllib.loads(answers)
    except tomllib.TOMLDecodeError as e:
        raise HalError(f"{where}: not TOML ({e}); write one line per answer, e.g. q1 = 42") from None
