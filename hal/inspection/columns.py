"""Side by side: one function of several builds in columns, one row per C
source line, so that one line of C is seen becoming each build's instructions
(`hal disasm --columns`, and `--diff A,B` for two builds: two ISAs, or one
ISA at two optimisation levels).

Each column holds exactly the instructions of that build's `hal disasm`
listing (mnemonic, operands and note; padding left out), grouped by the
source line the DWARF line table gives each one and kept in address order
within a row.  Rows follow the function's own file, line by line, then any
other file whose code was inlined into it (a header's helper).  Laying the
columns out as text is hal/render/columns.py's work.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .disasm import Instruction, find, instructions, short_path
from .symbols import Program, SourceCache

NO_LINE = "(no source line)"


@dataclass(frozen=True)
class Build:
    """One column: a function of one build."""
    label: str                      # "x86", or "x86 -O0" when two builds share an ISA
    isa: str
    heading: str                    # the listing's heading line
    instructions: tuple[Instruction, ...]
    lines: tuple[tuple[Path, int] | None, ...]   # each instruction's (source file, line)
    build: dict = field(default_factory=dict)   # provenance: compiler, version, flags


@dataclass(frozen=True)
class Row:
    file: str                       # as short_path gives it; "" for NO_LINE
    line: int | None
    source: str                     # the C line's text ("" if unknown)
    cells: tuple[tuple[str, ...], ...]   # per column: instruction texts, in address order

    @property
    def where(self) -> str:
        return f"{Path(self.file).name}:{self.line}" if self.line is not None else NO_LINE


@dataclass(frozen=True)
class SideBySide:
    guest: str
    function: str
    builds: tuple[Build, ...]
    rows: tuple[Row, ...]

    @property
    def labels(self) -> list[str]:
        return [b.label for b in self.builds]

    @property
    def main_file(self) -> str:
        return self.rows[0].file if self.rows else ""

    def counts(self, row: Row) -> list[int]:
        return [len(c) for c in row.cells]

    def to_dict(self) -> dict:
        return {"schema": "halemu.columns/1", "guest": self.guest, "function": self.function,
                "builds": [{"label": b.label, "isa": b.isa, "heading": b.heading,
                            "instructions": sum(1 for i in b.instructions if not i.padding),
                            "build": b.build} for b in self.builds],
                "rows": [{"file": r.file, "line": r.line, "source": r.source,
                          "cells": [list(c) for c in r.cells]} for r in self.rows]}


def build_column(program: Program, name: str, label: str, build: dict | None = None) -> Build:
    """One build's column: its function's instructions and their source lines."""
    from .disasm import heading
    function = find(program, name)
    insns = [i for i in instructions(program, function) if not i.padding]
    lines = []
    for i in insns:
        row = program.line_at(i.address, since=function.start)
        lines.append(row)
    return Build(label, program.backend.name, heading(program, function, insns),
                 tuple(insns), tuple(lines), build or {})


def side_by_side(guest: str, function: str, builds: list[Build],
                 sources: SourceCache | None = None) -> SideBySide:
    """Group each column's instructions by source line, rows in source order."""
    sources = sources or SourceCache()
    keys: list[tuple[Path, int] | None] = []
    for b in builds:
        for key in b.lines:
            if key not in keys:
                keys.append(key)
    files = [k[0] for k in keys if k is not None]
    home = max(set(files), key=lambda f: (files.count(f), -files.index(f))) if files else ""
    order = {f: i for i, f in enumerate(dict.fromkeys([home, *files]))}
    keys.sort(key=lambda k: (1, 0, 0) if k is None else (0, order[k[0]], k[1]))
    rows = []
    for key in keys:
        cells = tuple(tuple(i.text for i, at in zip(b.instructions, b.lines) if at == key)
                      for b in builds)
        if key is None:
            rows.append(Row("", None, "", cells))
            continue
        text = sources.line(*key) or ""
        rows.append(Row(short_path(key[0]), key[1], text.strip(), cells))
    return SideBySide(guest, function, tuple(builds), tuple(rows))
