"""Everything halemu draws in the terminal, with rich: the side-by-side view
of `hal run --isa all`, the `hal compare` table with its bars of the mix, and
the tables and text Gantt chart of `hal schedule`.

Reports are drawn from plain data (RunResults, a Comparison, the metrics dict
of a schedule), never from live machines, so they can be re-drawn from JSON.
"""
from __future__ import annotations

import io
import os
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.runner import output_groups
from ..grading.gradebook import MARKS, Gradebook, fmt
from ..inspection.compare import Comparison
from ..inspection.mix import CLASSES, LABELS
from .tables import Column, print_table as fitted_table
from .text import (compare_builds, compare_rows, isa_label, pct, plural, stand_in_notes,
                   summary_line, verdict, wrapped)

WIDTH = 120          # columns when not on a terminal: files and tests see one layout


def console(stderr: bool = False) -> Console:
    """The console `hal` draws on: COLUMNS wide if that is set (on a terminal
    or not: `COLUMNS=80 hal ... > file` lays out for an 80-column projector),
    else the terminal's width, else WIDTH columns without colour, so output
    to files is the same every time."""
    stream = sys.stderr if stderr else sys.stdout
    width = columns() or (None if stream.isatty() else WIDTH)
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def columns() -> int | None:
    """COLUMNS from the environment, if it is a sensible width."""
    value = os.environ.get("COLUMNS", "")
    return int(value) if value.isdigit() and 20 <= int(value) <= 1000 else None


def print_notes(console, isas) -> None:
    """What a starred ISA name means, under a table that shows one."""
    for note in stand_in_notes(isas):
        console.print(Text(note, style="dim"))


def print_verdict(console, results) -> None:
    found = verdict(results)
    if found is not None:
        ok, line = found
        console.print(Text(line, style="green" if ok else "yellow"))


def as_text(draw, *args, **kwargs) -> str:
    """What draw(console, *args) prints, as plain text: exactly what `hal`
    writes when its output is not a terminal (for the API's .table())."""
    out = io.StringIO()
    draw(Console(file=out, width=WIDTH, highlight=False, soft_wrap=False, color_system=None,
                 force_terminal=False, force_jupyter=False, force_interactive=False),
         *args, **kwargs)
    return out.getvalue()


# -- `hal run --isa all` ---------------------------------------------------------


def side_by_side(console, results) -> None:
    groups = output_groups(results)
    label = {out: chr(ord("A") + i) for i, (out, _) in enumerate(groups)}
    columns = [Column("ISA", "left"), Column("instructions"), Column("HAL calls"),
               Column("exit"), Column("output", "center")]
    rows = [[isa_label(r.isa), f"{r.retired:,}", str(r.hal_calls),
             "fault" if r.fault else str(r.exit_code), label[r.output]] for r in results]
    fitted_table(console, f"{results[0].guest} on {plural(len(results), 'ISA')}", columns, rows)
    print_notes(console, [r.isa for r in results])
    for out, isas in groups:
        console.rule(Text(f"output {label[out]}: {', '.join(isas)}"), align="left")
        console.out(out.decode("utf-8", errors="replace"), end="" if out.endswith(b"\n") else "\n")
    for r in results:
        if r.fault:
            console.print(Text(f"{r.isa}: {r.fault.summary()}", style="red"))
    print_verdict(console, results)


# -- `hal compare` ----------------------------------------------------------------


BAR_WIDTH = 60


BAR_MARKS = {"loads": ("L", "cyan"), "stores": ("S", "blue"), "branches": ("B", "yellow"),
             "calls": ("C", "magenta"), "alu": ("A", "green"), "muldiv": ("M", "red"),
             "fp": ("F", "bright_cyan"),
             "other": ("O", "white")}


def bars(r, width: int = BAR_WIDTH) -> list[tuple[str, str, int]]:
    """The mix as a stacked bar: (class, mark, cells), widths adding up to `width`
    (largest remainders get the spare cells, so small classes still show when they
    round up).  `r` is a Row, or a Row's `user` part: anything with mix and retired."""
    if not r.retired:
        return []
    exact = [(k, r.mix[k] * width / r.retired) for k in CLASSES]
    cells = {k: int(x) for k, x in exact}
    spare = width - sum(cells.values())
    for k, x in sorted(exact, key=lambda kx: kx[1] - int(kx[1]), reverse=True)[:spare]:
        cells[k] += 1
    return [(k, BAR_MARKS[k][0], cells[k]) for k in CLASSES if cells[k]]


def print_table(console, c: Comparison) -> None:
    columns = [Column("", "left"), *(Column(isa_label(r.isa)) for r in c.rows)]
    rows = [[label, *cells] for label, cells in compare_rows(c)]
    title = f"{c.guest} on {plural(len(c.rows), 'ISA')}"
    fitted_table(console, title + (": your code only" if c.user_only else ""), columns, rows)
    print_notes(console, [r.isa for r in c.rows])
    width = max(10, min(BAR_WIDTH, console.width - 10))
    whose = "your code's" if c.user_only else "all"
    console.print(f"instruction mix (each bar is 100% of {whose} retired instructions):")
    for r in c.rows:
        line = Text(f"  {isa_label(r.isa):7}")
        for k, mark, n in bars(r.user if c.user_only and r.user is not None else r, width):
            line.append(mark * n, style=BAR_MARKS[k][1])
        console.print(line)
    legend = [f"{m}={LABELS[k]}" for k, (m, _) in BAR_MARKS.items()]
    for line in _wrap("  ", legend, console.width):
        console.print(line)
    print_verdict(console, c.rows)
    for note in wrapped(compare_builds(c), console.width):
        console.print(Text(note))


def _wrap(indent: str, items: list[str], width: int) -> list[str]:
    """Items two spaces apart, on as many lines as the width needs."""
    lines, line = [], indent
    for item in items:
        if line.strip() and len(line) + 2 + len(item) > width:
            lines.append(line)
            line = indent
        line += ("  " if line.strip() else "") + item
    return lines + [line]


# -- `hal profile` ----------------------------------------------------------------


def print_profile(console, p) -> None:
    """Retired instructions per function, ISAs in columns, grouped by whose code
    it is, with a subtotal per group and the exact total."""
    from .text import profile_builds, profile_cell, profile_rows
    t = Table(title=f"{p.guest}: retired instructions per function (exact self counts)")
    t.add_column("function")
    for q in p.profiles:
        t.add_column(q.isa, justify="right")
    t.add_column("inlined into")
    for kind, name, counts, into in profile_rows(p):
        cells = [profile_cell(n, q.retired) if kind != "total" else f"{n:,}"
                 for n, q in zip(counts, p.profiles)]
        if kind == "function":
            t.add_row("  " + name, *cells, into)
        else:
            t.add_row(Text(name, style="bold"), *(Text(c, style="bold") for c in cells), "",
                      end_section=kind == "total")
    console.print(t)
    for q in p.profiles:
        if q.fault:
            console.print(f"[red]{q.isa}: {q.fault} after {q.retired:,} instructions[/red]")
    for line in wrapped(profile_builds(p), console.width):
        console.print(Text(line))


# -- `hal schedule` ---------------------------------------------------------------


COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta",
           "bright_green", "bright_yellow", "bright_blue", "bright_red"]


SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _symbol(gid: int) -> str:
    return SYMBOLS[gid % len(SYMBOLS)]


def guest_label(g: dict) -> str:
    """A scheduled guest's label, its ISA starred when it is a stand-in."""
    return g["label"] + ("*" if isa_label(g["isa"]) != g["isa"] else "")


def ready_share(g: dict, makespan: int) -> str:
    """%RDY as ESX shows it: the share of the guest's life spent ready to run
    but waiting for a core (its life ends at completion, or at the makespan)."""
    life = g["completion"] if g["completion"] is not None else makespan
    return pct(g["ready"], life)


def all_ready(m: dict) -> float:
    """Ready ticks of every guest over the ticks of all their lives: the run's %RDY."""
    life = sum(g["completion"] if g["completion"] is not None else m["makespan"]
               for g in m["guest_stats"])
    return sum(g["ready"] for g in m["guest_stats"]) / life if life else 0.0


def print_report(console, m: dict, *, outputs: bool = True, width: int | None = None) -> None:
    console.print(Text(summary_line(m), style="bold"))
    console.print(Text(f"policy {m['policy']}: {m['policy_description']}; quantum "
                       f"{m['quantum'] or 'none'}, switch cost {m['switch_cost']} ticks"))
    fitted_table(console, "cores", [Column(c) for c in ("core", "busy", "idle", "switch",
                                                        "utilization")],
                 [[str(c["core"]), f"{c['busy']:,}", f"{c['idle']:,}", f"{c['switch']:,}",
                   pct(c["utilization"])] for c in m["core_stats"]])
    columns = [Column("", "left"), Column("guest", "left"), Column("retired"), Column("ready"),
               Column("%RDY"), Column("limited"), Column("blocked"), Column("done at"),
               Column("slices"), Column("migr."), Column("cores", "left"), Column("end", "left")]
    rows = []
    for g in m["guest_stats"]:
        end = ("fault" if g["fault"] else "deadlocked" if g["completion"] is None
               else f"exit {g['exit_code']}")
        done = "-" if g["completion"] is None else f"{g['completion']:,}"
        rows.append([Text(_symbol(g["guest"]), style=COLOURS[g["guest"] % len(COLOURS)]),
                     guest_label(g), f"{g['retired']:,}", f"{g['ready']:,}",
                     ready_share(g, m["makespan"]), f"{g['limited']:,}", f"{g['blocked']:,}", done,
                     str(g["slices"]), str(g["migrations"]), ",".join(map(str, g["cores"])), end])
    fitted_table(console, "guests", columns, rows, keep=2)
    print_notes(console, [g["isa"] for g in m["guest_stats"]])
    gantt(console, m, width)
    for g in m["guest_stats"]:
        if g["fault"]:
            console.print(Text(f"{g['label']}: {g['fault']}", style="red"))
    if outputs:
        for g in m["guest_stats"]:
            console.rule(Text(f"{_symbol(g['guest'])} {g['label']} output"), align="left")
            console.out(g["output"], end="" if g["output"].endswith("\n") or not g["output"] else "\n")


def gantt(console, m: dict, width: int | None = None) -> None:
    """One row per core, one column per stretch of time.  A column where
    guests ran shows one of them, chosen so that over a row each guest shows
    in proportion to the ticks it ran: the guest whose ticks are least shown
    so far wins (so a 2:1 share reads 1 1 0 1 1 0, and a guest that ran a
    column's worth of ticks always shows).  ':' marks a column where a guest
    ran but the core was idle most of it (a guest held back by a small
    limit), 'x' a column of switching only, '.' one idle throughout."""
    span = m["makespan"] or 1
    cells = max(20, (width or console.width) - 10)
    rows = {c["core"]: [dict() for _ in range(cells)] for c in m["core_stats"]}
    for seg in m["timeline"]:
        key = seg["guest"] if seg["kind"] == "run" else seg["kind"]
        row = rows[seg["core"]]
        first = seg["start"] * cells // span
        last = min(cells - 1, (seg["end"] - 1) * cells // span)
        for i in range(first, last + 1):
            lo, hi = max(seg["start"], i * span / cells), min(seg["end"], (i + 1) * span / cells)
            row[i][key] = row[i].get(key, 0) + max(0.0, hi - lo)
    console.print(f"timeline: 0 to {m['makespan']:,} ticks, {span / cells:,.0f} ticks per column")
    for core, row in rows.items():
        line = Text(f"core {core:<3} ")
        owed: dict[int, float] = {}         # ticks each guest ran but has not been shown for
        for cell in row:
            runs = {k: v for k, v in cell.items() if isinstance(k, int)}
            for k, v in runs.items():
                owed[k] = owed.get(k, 0.0) + v
            if runs and 2 * cell.get("idle", 0) > sum(cell.values()):
                line.append(":", style="dim")
            elif runs:
                key = max(runs, key=lambda k: (owed[k], -k))
                owed[key] -= sum(runs.values())
                line.append(_symbol(key), style=f"bold {COLOURS[key % len(COLOURS)]}")
            elif "switch" in cell:
                line.append("x", style="grey50")
            else:
                line.append(".", style="dim")
        console.print(line)
    items = [Text(f"{_symbol(g['guest'])} {g['label']}", style=COLOURS[g["guest"] % len(COLOURS)])
             for g in m["guest_stats"]] + [Text(". idle", style="dim"), Text(": mostly idle", style="dim"),
                                   Text("x switch", style="dim")]
    legend, used = Text("legend:"), len("legend:")
    for item in items:
        if used + 2 + len(item) > console.width:
            console.print(legend)
            legend, used = Text("       "), 7
        legend.append("  ")
        legend.append_text(item)
        used += 2 + len(item)
    console.print(legend)


def compared_schedules(console, results: list[dict]) -> None:
    """`hal schedule --compare`: each run's summary and Gantt chart, then one row per run."""
    for m in results:
        console.rule()
        console.print(Text(summary_line(m), style="bold"))
        gantt(console, m)
    comparison(console, results)


def comparison(console, results: list[dict]) -> None:
    """One row per run; "total limited" only where some guest has a limit;
    %RDY is the share of all the guests' lives spent ready but waiting."""
    limits = any(g["limit"] is not None or g["limited"] for m in results for g in m["guest_stats"])
    columns = [Column("policy:cores", "left"), *(Column(c) for c in (
        "makespan", "mean utilization", "total ready", "%RDY",
        *(["total limited"] if limits else []), "migr.", "throughput"))]
    rows = [[f"{m['policy']}:{m['cores']}", f"{m['makespan']:,}", pct(m["mean_utilization"]),
             f"{sum(g['ready'] for g in m['guest_stats']):,}", pct(all_ready(m)),
             *([f"{sum(g['limited'] for g in m['guest_stats']):,}"] if limits else []),
             str(sum(g["migrations"] for g in m["guest_stats"])), f"{m['throughput']:.3f}"]
            for m in results]
    fitted_table(console, "the same workload under each policy", columns, rows)


# -- `hal grade` ------------------------------------------------------------------


def gradebook(console, book: Gradebook) -> None:
    """One row per student: points, then a letter per ISA for each test."""
    spec = book.spec
    t = Table(title=f"{len(book.rows)} students, {len(spec.tests)} tests on "
                    f"{', '.join(spec.isas)}")
    t.add_column("student")
    t.add_column("points", justify="right")
    for test in spec.tests:
        t.add_column(test.name, justify="center")
    t.add_column("notes", overflow="fold")
    for r in book.rows:
        t.add_row(r.student, f"{fmt(r.points)}/{fmt(book.max_points)}",
                  *(r.marks(test.name) for test in spec.tests), r.notes())
    console.print(t)
    used = {c.outcome.status for r in book.rows for c in r.cells}
    console.print(f"marks, one per ISA ({' '.join(spec.isas)} for a test on all): " + ", ".join(
        f"{m} {status}" for status, m in MARKS.items() if status in used))
    full = sum(1 for r in book.rows if not r.failed)
    console.print(f"{full} of {len(book.rows)} students passed every test on every ISA")


class ProgressBar:
    """A rich progress bar on stderr for `hal grade`: tests finished of all."""

    def __init__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
        from rich.progress import TimeElapsedColumn, TimeRemainingColumn
        self._progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("tests"), TimeElapsedColumn(),
                                  TimeRemainingColumn(), console=console(stderr=True),
                                  transient=True)
        self._task = self._progress.add_task("grading", total=None)

    def __enter__(self) -> "ProgressBar":
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def __call__(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)
