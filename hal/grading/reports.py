"""One plain-text report per student (`hal grade --report DIR` writes
DIR/<student>.txt): the points, then every test on every ISA, and for each
one that failed what the student needs to fix it: a diff of the output
against what was expected, the fault report (what, where, registers), or the
compiler's or the grader's message, shown once per ISA.  Outputs that are
the same on several ISAs are shown once, with the ISAs that printed them.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..errors import HalError
from .gradebook import Gradebook, Row, fmt
from .judge import KEEP_OUTPUT, NO_BUILD, NOT_LOADED, OUTPUT_LIMIT, PASSED, REFUSED, WRONG_OUTPUT
from .spec import Test

MAX_DIFF_LINES = 200


def report(book: Gradebook, row: Row) -> str:
    tests = {t.name: t for t in book.spec.tests}
    lines = [f"{row.student}: {fmt(row.points)} of {fmt(book.max_points)} points", ""]
    whole = _whole_isa_failures(row)
    for (status, detail), isas in whole.items():
        lines += [f"on {', '.join(isas)}: {status}", *_indent(detail), ""]
    whole_isas = {isa for isas in whole.values() for isa in isas}
    for test in book.spec.tests:
        cells = [c for c in row.cells if c.test == test.name]
        earned = sum(c.points for c in cells)
        lines.append(f"test {test.name}: {fmt(earned)} of {fmt(test.points * len(test.isas))} "
                     f"points ({fmt(test.points)} on each ISA); expects {test.expectation}")
        for c in cells:
            o = c.outcome
            ran = f", {o.retired:,} instructions" if o.retired is not None else ""
            exit_ = f", exit {o.exit_code}" if o.exit_code is not None else ""
            shown = "(see above)" if c.isa in whole_isas else ""
            lines.append(f"  {c.isa:6} {o.status}{ran}{exit_} {shown}".rstrip())
        lines += _explain(tests[test.name], [c for c in cells if not c.outcome.passed
                                             and c.isa not in whole_isas])
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _whole_isa_failures(row: Row) -> dict[tuple[str, str], list[str]]:
    """ISAs where nothing ran (no build, refused, not loadable): each message
    once, with the ISAs it holds for (a compiler's heading line set aside)."""
    out: dict[tuple[str, str], list[str]] = {}
    for c in row.cells:
        o = c.outcome
        if o.status in (NO_BUILD, REFUSED, NOT_LOADED):
            lines = o.detail.splitlines()
            if lines and re.fullmatch(r".* does not build for \w+:", lines[0]):
                lines = lines[1:]
            isas = out.setdefault((o.status, "\n".join(lines)), [])
            if c.isa not in isas:
                isas.append(c.isa)
    return out


def _explain(test: Test, cells) -> list[str]:
    lines: list[str] = []
    shown: dict[tuple, list[str]] = {}
    for c in cells:
        o = c.outcome
        key = (o.status, o.output, o.detail)
        shown.setdefault(key, []).append(c.isa)
    for (status, output, detail), isas in shown.items():
        where = ", ".join(isas)
        if status in (WRONG_OUTPUT, OUTPUT_LIMIT) or (output and status != PASSED):
            lines.append(f"  -- {status} on {where}:")
            if status != WRONG_OUTPUT:
                lines += _indent(detail, "     ")
            lines += _indent("\n".join(_diff(test, output)), "     ")
        else:
            lines.append(f"  -- {status} on {where}:")
            lines += _indent(detail, "     ")
    return lines


def _diff(test: Test, output: bytes) -> list[str]:
    got = output.decode("utf-8", errors="replace")
    cut = "" if len(output) < KEEP_OUTPUT else f" (first {KEEP_OUTPUT >> 10} KiB)"
    if test.stdout_regex is not None:
        return [f"expected output matching: {test.stdout_regex}",
                f"got{cut}:", *(got.splitlines() or ["(nothing)"])][:MAX_DIFF_LINES]
    want = (test.stdout or b"").decode("utf-8", errors="replace")
    diff = list(difflib.unified_diff(want.splitlines(keepends=True),
                                     got.splitlines(keepends=True),
                                     "expected", f"got{cut}", n=2))
    if not diff:
        return ["(the same text; the bytes differ, e.g. in line endings or invalid UTF-8)"]
    lines = [d.rstrip("\n") + ("" if d.endswith("\n") else "  (no newline at end)")
             for d in diff]
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more lines"]
    return lines


def _indent(text: str, prefix: str = "  ") -> list[str]:
    return [prefix + line for line in text.splitlines()]


def write(book: Gradebook, folder: str | Path) -> list[Path]:
    """Write one report per student into `folder` (made if need be)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for row in book.rows:
            path = folder / f"{row.student}.txt"
            path.write_text(report(book, row))
            written.append(path)
    except OSError as e:
        raise HalError(f"{folder}: cannot write the reports: {e.strerror}") from None
    return written
