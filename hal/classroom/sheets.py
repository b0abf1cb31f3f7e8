"""Exercise sheets: guests/exercises/NN-topic.toml, one sheet per file.

    title = "One source, four ISAs"
    topics = ["portability"]
    intro = "Two or three sentences that set the scene."

    [[question]]
    text = "How many instructions does fib retire on mips?"
    kind = "count"              # count, percent, ratio, isa, isas, text, yesno, address
    ask = { probe = "run", guest = "fib", isa = "mips", field = "retired" }
    try = "hal run fib --isa mips --stats"     # the command that shows it
    why = "--stats prints the exact count: one tick per retired instruction."
    tolerance = 0.01            # optional: relative (count, ratio), points (percent)

Questions are numbered q1, q2, ... in order.  A sheet holds no answers: each
`ask` is measured by halemu (probes.py) when the sheet is answered or checked.
"""
from __future__ import annotations

import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import HalError
from .grading import KINDS, Answers, Grade, measure_all

FOLDER = paths.GUESTS / "exercises"
SHEET_KEYS = {"title", "topics", "intro", "question"}
QUESTION_KEYS = {"text", "kind", "ask", "try", "why", "tolerance"}


@dataclass(frozen=True)
class Question:
    id: str                     # "q1"
    text: str
    kind: str
    ask: dict
    command: str                # what to run to see it for yourself
    why: str                    # one line; {answer} stands for the answer
    tolerance: float | None = None


@dataclass(frozen=True, repr=False)
class Exercise:
    """One exercise sheet: `number`, `title`, `topics`, `intro`, `questions`.
    answers() measures every answer now; check(file or dict) grades a student's."""
    number: int
    name: str                   # the file's stem: "01-portability"
    title: str
    topics: tuple[str, ...]
    intro: str
    questions: tuple[Question, ...]

    def answers(self) -> Answers:
        """Every answer, measured by halemu now, each with its one-line why."""
        return Answers(self, measure_all(self.questions))

    def check(self, answers) -> Grade:
        """Right or wrong per question: `answers` is an ANSWERS.toml path, its
        text, or a dict {"q1": ..., ...}."""
        from .grading import grade, read_answers
        return grade(self, read_answers(answers), measure_all(self.questions))

    def text(self, width: int = 80) -> str:
        """The sheet as `hal exercise show N` prints it, with an answer file to fill in."""
        wrap = lambda s, indent="": textwrap.fill(  # noqa: E731
            " ".join(s.split()), width, initial_indent=indent, subsequent_indent=indent)
        out = [f"Exercise {self.number}: {self.title}", f"topics: {', '.join(self.topics)}", "",
               wrap(self.intro), ""]
        for q in self.questions:
            out.append(textwrap.fill(f"{q.id}. {' '.join(q.text.split())} ({KINDS[q.kind].hint})",
                                     width, subsequent_indent="    "))
            out.append(wrap(f"try: {q.command}", "    "))
        out += ["", f"Answer in a file such as answers.toml, then: hal exercise check "
                f"{self.number} answers.toml", ""]
        out += [f"{q.id} = {KINDS[q.kind].blank}" for q in self.questions]
        return "\n".join(out) + "\n"

    def __repr__(self) -> str:
        return f"<Exercise {self.number}: {self.title} ({len(self.questions)} questions)>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.pre(self.text(100))


def files() -> list[Path]:
    return sorted(FOLDER.glob("[0-9]*.toml"))


def all_sheets() -> list[Exercise]:
    return [load(p) for p in files()]


def find(number: int | str) -> Exercise:
    """Sheet N (1, 2, ...), or by its name ("portability", "01-portability")."""
    for p in files():
        n = int(p.stem.split("-")[0])
        if str(number) in (str(n), p.stem, p.stem.split("-", 1)[-1]):
            return load(p)
    names = ", ".join(f"{int(p.stem.split('-')[0])} ({p.stem.split('-', 1)[-1]})" for p in files())
    raise HalError(f"no exercise {number!r} (there are: {names})")


def load(path: Path) -> Exercise:
    """Read and check one sheet; a mistake in it is named with the file."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise HalError(f"{path}: {e}") from None
    _keys(path, "the sheet", data, SHEET_KEYS, {"title", "intro", "question"})
    questions = []
    for i, q in enumerate(data["question"], 1):
        where = f"question {i}"
        _keys(path, where, q, QUESTION_KEYS, QUESTION_KEYS - {"tolerance"})
        if q["kind"] not in KINDS:
            raise HalError(f"{path}: {where}: kind {q['kind']!r} is not one of {', '.join(KINDS)}")
        if not isinstance(q["ask"], dict) or "probe" not in q["ask"]:
            raise HalError(f"{path}: {where}: ask must name a probe")
        questions.append(Question(f"q{i}", q["text"], q["kind"], q["ask"], q["try"], q["why"],
                                  q.get("tolerance")))
    number = re.match(r"(\d+)", path.stem)
    return Exercise(int(number.group(1)) if number else 0, path.stem, data["title"],
                    tuple(data.get("topics", ())), data["intro"], tuple(questions))


def _keys(path: Path, where: str, table: dict, known: set, needed: set) -> None:
    unknown = sorted(set(table) - known)
    missing = sorted(needed - set(table))
    if unknown:
        raise HalError(f"{path}: {where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
    if missing:
        raise HalError(f"{path}: {where}: missing {missing[0]!r}")
