"""Rich tables that fit the console: a header is never cut.

Rich fits a table to the width by shrinking its columns, and a column it
cannot shrink far enough is cut with an ellipsis (`makesp…`).  Here a column
is never narrower than its longest word (header or cell), and when the
columns cannot all fit side by side the table is printed in parts, each
repeating the first `keep` columns (the row's name), the way a wide table
continues on the next page of a book.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

Cell = str | Text


@dataclass(frozen=True)
class Column:
    header: str
    justify: str = "right"


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def narrowest(column: Column, cells: Sequence[Cell]) -> int:
    """The least width that cuts no word: the longest word of the header or a cell."""
    words = column.header.split() + [w for c in cells for w in _plain(c).split()]
    return max((cell_len(w) for w in words), default=1)


def parts(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int,
          keep: int = 1) -> list[list[int]]:
    """Column indexes of each part: as many columns as fit beside the `keep`
    first ones (a column takes its width, two spaces of padding and a rule)."""
    need = [narrowest(c, [r[i] for r in rows]) + 3 for i, c in enumerate(columns)]
    fixed = sum(need[:keep]) + 1
    out: list[list[int]] = []
    current: list[int] = []
    used = fixed
    for i in range(keep, len(columns)):
        if current and used + need[i] > width:
            out.append(current)
            current, used = [], fixed
        current.append(i)
        used += need[i]
    out.append(current)
    return [list(range(keep)) + p for p in out]


def widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> list[int]:
    """Each column's width: its longest header or cell if the table fits so,
    else narrower columns where a header or cell can wrap between words
    (the column with the most room to give gives first), never below its
    longest word."""
    least = [narrowest(c, [r[i] for r in rows]) for i, c in enumerate(columns)]
    out = [max([cell_len(c.header)] + [cell_len(_plain(r[i])) for r in rows])
           for i, c in enumerate(columns)]
    excess = sum(out) + 3 * len(out) + 1 - width
    while excess > 0:
        i = max(range(len(out)), key=lambda i: (out[i] - least[i], -i))
        if out[i] <= least[i]:
            break
        out[i] -= 1
        excess -= 1
    return out


def print_table(console, title: str, columns: Sequence[Column],
                rows: Sequence[Sequence[Cell]], *, keep: int = 1) -> None:
    """Print the table whole if it fits the console, else in parts (the
    first one titled)."""
    for n, indexes in enumerate(parts(columns, rows, console.width, keep)):
        chosen = [columns[i] for i in indexes]
        cells = [[r[i] for i in indexes] for r in rows]
        t = Table(title=(title or None) if n == 0 else None)
        for c, w in zip(chosen, widths(chosen, cells, console.width)):
            t.add_column(c.header, justify=c.justify, width=w)  # type: ignore[arg-type]
        for r in cells:
            t.add_row(*r)
        console.print(t)
