"""Comparing ISAs: `hal.compare` and its result, `Comparison`.

    >>> c = hal.compare("matmul")
    >>> c["mips"].retired, c["mips"].mix["loads"]
    >>> print(c.to_markdown())          # the table of `hal compare --format markdown`
    >>> c                               # in a notebook: the table and the mix chart
"""
from __future__ import annotations

from dataclasses import dataclass

from ..inspection import compare as inspection
from ..toolchain.options import BuildOptions
from .options import Input, Isas, Program, input_bytes, load, positive

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True, repr=False)
class Comparison(inspection.Comparison):
    """One guest measured on several ISAs: `rows` holds one Row per ISA
    (isa, bits, endian, text_bytes, static_instructions, retired, mix,
    memory_share, hal_calls, exit_code, fault, output, by_category, user,
    build); index it by ISA name.
    Every format `hal compare` writes is a method here, and gives the same text."""

    def __getitem__(self, isa: str) -> inspection.Row:
        for r in self.rows:
            if r.isa == isa:
                return r
        raise KeyError(f"no row for '{isa}' (compared: {', '.join(r.isa for r in self.rows)})")

    @property
    def isas(self) -> list[str]:
        return [r.isa for r in self.rows]

    def table(self) -> str:
        """The table and mix bars of `hal compare` (--format table)."""
        from ..render import terminal
        return terminal.as_text(terminal.print_table, self)

    def to_markdown(self) -> str:
        """--format markdown: a table for an exercise sheet."""
        from ..render import text
        return text.to_markdown(self)

    def to_json(self) -> str:
        """--format json: the "halemu.compare/1" document (as a dict: to_dict())."""
        from ..render import text
        return text.to_json(self)

    def to_csv(self) -> str:
        """--format csv: one row per ISA."""
        from ..render import text
        return text.to_csv(self)

    def chart(self, fmt: str = "svg", *, absolute: bool = False) -> str | bytes:
        """The dynamic mix as stacked bars, one per ISA, for a slide: SVG
        text or PNG bytes (1920x1080), drawn by matplotlib.  Each part is
        labelled with its percentage; absolute=True draws the bars to scale
        (retired instructions), so an ISA retiring half as many shows half a bar."""
        from ..render import charts
        return charts.mix(self, fmt, absolute)

    def svg(self, *, absolute: bool = False) -> str:
        """The mix chart as SVG (what --svg FILE writes)."""
        return self.chart("svg", absolute=absolute)     # type: ignore[return-value]

    def png(self, *, absolute: bool = False) -> bytes:
        """The mix chart as PNG (what --png FILE writes)."""
        return self.chart("png", absolute=absolute)     # type: ignore[return-value]

    @property
    def faulted(self) -> bool:
        return any(r.fault for r in self.rows)

    def __repr__(self) -> str:
        same = "identical output" if self.identical_output else "outputs differ"
        mine = ", your code only" if self.user_only else ""
        return f"<Comparison {self.guest} on {', '.join(self.isas)}: {same}{mine}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.comparison(self)

    def _repr_svg_(self) -> str:
        return self.svg()


def compare(program: Program, isas: Isas = None, *, input: Input = None,
            max_instructions: int | None = None, jobs: int | None = None,
            user_only: bool = False, options: BuildOptions | None = None) -> Comparison:
    """Measure one guest on every ISA (or those in `isas`: "mips,alpha" or a
    list), as `hal compare` does: code size, static and retired instructions
    (exactly those of `hal run`), the dynamic instruction mix, HAL calls, exit
    status and whether the outputs agree, and the same for the user's own
    code apart from start-up, the SDK and the libraries (each Row's `user`;
    user_only=True makes the tables show only those).  Each ISA runs once,
    on up to `jobs` host processes (default: one per core), with `input` as
    console input; `options` says how sources are built (`hal.compiler(optimize="0")`).
    Every output states how each ELF was built (Row.build).  A guest that
    faults is measured up to its fault (the row's `fault` says so)."""
    from ..safety.parallel import default_jobs
    limit = positive("max_instructions", max_instructions, zero=True)
    jobs = positive("jobs", jobs) or default_jobs()
    images = load(program, isas, options=options)
    c = inspection.compare(images[0].name, images, jobs=jobs, user_only=bool(user_only),
                           stdin=input_bytes(input), max_instructions=limit)
    return Comparison(c.guest, c.rows, c.user_only)
