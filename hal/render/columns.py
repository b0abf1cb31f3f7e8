"""Side by side as text: `hal disasm --columns` and `--diff A,B`.

One column per build, one row per C source line (the data comes from
hal.inspection.columns).  The whole view fits `width` characters, 160 by
default: the source line on the left and the builds beside it; when that
leaves too little room, the source line goes on a line of its own above its
row, and when even that is too narrow the builds are shown a few at a time,
each group under the same source lines.  A long instruction wraps in its cell
rather than being cut, so every instruction is shown whole.  Plain text, no
colour, so that the same command gives the same bytes.

`--diff` marks each row between its two columns: `=` the same instructions,
`|` different ones, `<` code only on the left, `>` only on the right.  Code
addresses (0x10000 and up) are left out of the comparison, since the same
code sits at other addresses in another build.
"""
from __future__ import annotations

import re
import textwrap

from ..inspection.columns import SideBySide
from .text import build_lines, wrapped

WIDTH = 160
MIN_CELL = 24            # narrowest column an instruction is readable in
SOURCE_MAX = 36          # widest the source column grows
SEP = " | "
ADDRESS = re.compile(r"\b0x[0-9a-f]{5,}\b")


def render(view: SideBySide, width: int = WIDTH, *, diff: bool = False) -> str:
    """The whole view as text, at most `width` characters a line."""
    n = len(view.builds)
    mark = 3 if diff else 0
    source = _source_width(view)
    cell = (width - source - len(SEP) * n - mark) // n
    if cell >= MIN_CELL:
        return _join(_table(view, source, cell, list(range(n)), diff), view, width)
    fit = max(1, min(n, (width + len(SEP)) // (MIN_CELL + len(SEP))))
    bands = -(-n // fit)
    per_band = -(-n // bands)                # as even as the bands can be
    out: list[str] = []
    for first in range(0, n, per_band):
        band = list(range(first, min(n, first + per_band)))
        inner = diff and len(band) == 2
        cell = max(12, (width - len(SEP) * (len(band) - 1) - (3 if inner else 0)) // len(band))
        if out:
            out.append("")
        out += _table(view, 0, cell, band, inner)
    return _join(out, view, width)


def _join(lines: list[str], view: SideBySide, width: int) -> str:
    """The table, then how each build was made (wrapped to the same width)."""
    notes = wrapped(build_lines({b.label: b.build for b in view.builds}), width)
    return "\n".join([*lines, "", *notes]) + "\n"


def _source_width(view: SideBySide) -> int:
    longest = max((len(_where(view, r)) + 2 + len(r.source) for r in view.rows), default=20)
    return max(24, min(SOURCE_MAX, longest))


def _where(view: SideBySide, row) -> str:
    if row.line is None:
        return "-"
    return str(row.line) if row.file == view.main_file else row.where


def _table(view: SideBySide, source: int, cell: int, band: list[int], diff: bool) -> list[str]:
    """Rows for the builds in `band`; source == 0 puts each source line above its row."""
    def line(left: str, cells: list[str], marker: str = "") -> str:
        parts = [c.ljust(cell) for c in cells]
        body = (f" {marker} " if diff else "").join(parts) if diff else SEP.join(parts)
        return ((left.ljust(source) + SEP) if source else "") + body

    titles = [f"{view.builds[i].label}: {_count(view, i)} instructions"[:cell] for i in band]
    head = f"line  {view.main_file or view.function}"
    out = [line(head[:source], titles, " " if diff else ""),
           line("-" * source, ["-" * cell for _ in band], "-" if diff else "")]
    for row in view.rows:
        text = f"{_where(view, row):>4}  {row.source}" if row.line is not None else \
            f"   -  {'(no source line)'}"
        wrapped = [_wrap(t, cell) for t in (row.cells[i] for i in band)]
        height = max([len(w) for w in wrapped] + [1])
        marker = _marker(row.cells[band[0]], row.cells[band[1]]) if diff else ""
        if not source:
            out.append(_cut(f"{text}", cell * len(band) + len(SEP) * (len(band) - 1)))
        for k in range(height):
            left = _cut(text, source) if k == 0 and source else ""
            out.append(line(left, [w[k] if k < len(w) else "" for w in wrapped],
                            marker if k == 0 else " ").rstrip())
        out.append(line("." * source, ["." * cell for _ in band], "." if diff else ""))
    if diff:
        out += _summary(view, band)
    return out


def _wrap(texts, cell: int) -> list[str]:
    out = []
    for t in texts:
        out += textwrap.wrap(t, cell, subsequent_indent="    ", break_long_words=True,
                             break_on_hyphens=False) or [""]
    return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(0, width - 1)] + "~"


def _count(view: SideBySide, i: int) -> int:
    return sum(len(r.cells[i]) for r in view.rows)


def _normal(texts) -> list[str]:
    return [ADDRESS.sub("@", t) for t in texts]


def _marker(left, right) -> str:
    if not left and right:
        return ">"
    if left and not right:
        return "<"
    return "=" if _normal(left) == _normal(right) else "|"


def _summary(view: SideBySide, band: list[int]) -> list[str]:
    a, b = band
    marks = [_marker(r.cells[a], r.cells[b]) for r in view.rows]
    la, lb = view.builds[a].label, view.builds[b].label
    return ["", f"{len(marks)} source lines: {marks.count('=')} the same, {marks.count('|')} "
            f"different, {marks.count('<')} only in {la}, {marks.count('>')} only in {lb}; "
            f"{_count(view, a)} instructions in {la}, {_count(view, b)} in {lb}"]
