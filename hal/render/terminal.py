"""Everything halemu draws in the terminal, with rich: the side-by-side view
of `hal run --isa all`, the `hal compare` table with its bars of the mix, and
the tables and text Gantt chart of `hal schedule`.

Reports are drawn from plain data (RunResults, a Comparison, the metrics dict
of a schedule), never from live machines, so they can be re-drawn from JSON.
"""
from __future__ import annotations

import io
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core.runner import output_groups
from ..inspection.compare import Comparison
from ..inspection.mix import CLASSES, LABELS
from .text import compare_builds, compare_rows, pct, summary_line, wrapped

WIDTH = 120          # columns when not on a terminal: files and tests see one layout


def console(stderr: bool = False) -> Console:
    """The console `hal` draws on: the terminal's width on a terminal, else
    WIDTH columns without colour, so output to files is the same every time."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else WIDTH
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


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
    t = Table(title=f"{results[0].guest} on {len(results)} ISAs")
    for col, justify in (("ISA", "left"), ("instructions", "right"), ("HAL calls", "right"),
                         ("exit", "right"), ("output", "center")):
        t.add_column(col, justify=justify)
    for r in results:
        end = "fault" if r.fault else str(r.exit_code)
        t.add_row(r.isa, f"{r.retired:,}", str(r.hal_calls), end, label[r.output])
    console.print(t)
    for out, isas in groups:
        console.rule(f"output {label[out]}: {', '.join(isas)}", align="left")
        console.out(out.decode("utf-8", errors="replace"), end="" if out.endswith(b"\n") else "\n")
    for r in results:
        if r.fault:
            console.print(f"[red]{r.isa}: {r.fault.summary()}[/red]")
    if len(groups) == 1:
        console.print(f"[green]✓ identical output on all {len(results)} ISAs[/green]")
    else:
        versions = "; ".join(f"{label[o]}: {', '.join(i)}" for o, i in groups)
        console.print(f"[yellow]✗ outputs differ: {len(groups)} versions ({versions})[/yellow]")


# -- `hal compare` ----------------------------------------------------------------


BAR_WIDTH = 60


BAR_MARKS = {"loads": ("L", "cyan"), "stores": ("S", "blue"), "branches": ("B", "yellow"),
             "calls": ("C", "magenta"), "alu": ("A", "green"), "muldiv": ("M", "red"),
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
    from rich.table import Table
    from rich.text import Text
    title = f"{c.guest} on {len(c.rows)} ISA" + ("s" if len(c.rows) > 1 else "")
    t = Table(title=title + (": your code only" if c.user_only else ""))
    t.add_column("")
    for r in c.rows:
        t.add_column(r.isa, justify="right")
    for label, cells in compare_rows(c):
        t.add_row(label, *cells)
    console.print(t)
    whose = "your code's" if c.user_only else "all"
    console.print(f"instruction mix (each bar is 100% of {whose} retired instructions):")
    for r in c.rows:
        line = Text(f"  {r.isa:6} ")
        for k, mark, n in bars(r.user if c.user_only and r.user is not None else r):
            line.append(mark * n, style=BAR_MARKS[k][1])
        console.print(line)
    console.print("  " + "  ".join(f"{m}={LABELS[k]}" for k, (m, _) in BAR_MARKS.items()))
    if c.identical_output:
        console.print(f"[green]✓ identical output on all {len(c.rows)} ISAs[/green]")
    else:
        groups = c.groups
        versions = "; ".join(f"{g}: {', '.join(i for i in groups if groups[i] == g)}"
                             for g in dict.fromkeys(groups.values()))
        console.print(f"[yellow]✗ outputs differ ({versions})[/yellow]")
    for note in wrapped(compare_builds(c), console.width):
        console.print(Text(note))


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


def print_report(console, m: dict, *, outputs: bool = True, width: int | None = None) -> None:
    console.print(f"[bold]{summary_line(m)}[/bold]")
    console.print(f"policy {m['policy']}: {m['policy_description']}; quantum "
                  f"{m['quantum'] or 'none'}, switch cost {m['switch_cost']} ticks")
    cores = Table(title="cores")
    for col in ("core", "busy", "idle", "switch", "utilization"):
        cores.add_column(col, justify="right")
    for c in m["core_stats"]:
        cores.add_row(str(c["core"]), f"{c['busy']:,}", f"{c['idle']:,}", f"{c['switch']:,}",
                      pct(c["utilization"]))
    console.print(cores)
    guests = Table(title="guests")
    for col in ("", "guest", "retired", "ready", "limited", "blocked", "done at", "slices",
                "migr.", "cores", "end"):
        guests.add_column(col, justify="left" if col in ("", "guest", "cores", "end") else "right")
    for g in m["guest_stats"]:
        end = ("fault" if g["fault"] else "deadlocked" if g["completion"] is None
               else f"exit {g['exit_code']}")
        done = "-" if g["completion"] is None else f"{g['completion']:,}"
        guests.add_row(Text(_symbol(g["guest"]), style=COLOURS[g["guest"] % len(COLOURS)]),
                       g["label"], f"{g['retired']:,}", f"{g['ready']:,}", f"{g['limited']:,}",
                       f"{g['blocked']:,}", done, str(g["slices"]),
                       str(g["migrations"]), ",".join(map(str, g["cores"])), end)
    console.print(guests)
    gantt(console, m, width)
    for g in m["guest_stats"]:
        if g["fault"]:
            console.print(f"[red]{g['label']}: {g['fault']}[/red]")
    if outputs:
        for g in m["guest_stats"]:
            console.rule(f"{_symbol(g['guest'])} {g['label']} output", align="left")
            console.out(g["output"], end="" if g["output"].endswith("\n") or not g["output"] else "\n")


def gantt(console, m: dict, width: int | None = None) -> None:
    """One row per core; each cell shows the guest that ran most of its ticks,
    however few ('x' only switching, '.' idle throughout)."""
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
        for cell in row:
            if not cell:
                line.append(".", style="dim")
                continue
            runs = {k: v for k, v in cell.items() if isinstance(k, int)}
            if runs:
                key = max(runs, key=lambda k: (runs[k], -k))
                line.append(_symbol(key), style=f"bold {COLOURS[key % len(COLOURS)]}")
            elif "switch" in cell:
                line.append("x", style="grey50")
            else:
                line.append(".", style="dim")
        console.print(line)
    legend = Text("legend: ")
    for g in m["guest_stats"]:
        legend.append(f"{_symbol(g['guest'])} {g['label']}  ", style=COLOURS[g["guest"] % len(COLOURS)])
    legend.append(". idle  x switch", style="dim")
    console.print(legend)


def compared_schedules(console, results: list[dict]) -> None:
    """`hal schedule --compare`: each run's summary and Gantt chart, then one row per run."""
    for m in results:
        console.rule(summary_line(m))
        gantt(console, m)
    comparison(console, results)


def comparison(console, results: list[dict]) -> None:
    t = Table(title="the same workload under each policy")
    for col in ("policy", "cores", "makespan", "mean utilization", "total ready", "total limited",
                "migrations", "throughput"):
        t.add_column(col, justify="left" if col == "policy" else "right")
    for m in results:
        t.add_row(m["policy"], str(m["cores"]), f"{m['makespan']:,}", pct(m["mean_utilization"]),
                  f"{sum(g['ready'] for g in m['guest_stats']):,}",
                  f"{sum(g['limited'] for g in m['guest_stats']):,}",
                  str(sum(g["migrations"] for g in m["guest_stats"])), f"{m['throughput']:.3f}")
    console.print(t)
