"""Show a schedule: tables and a Gantt chart in the terminal, CSV and SVG files.

All of it is drawn from the metrics dict (hal/metrics.py), never from live
objects, so a report can be re-drawn from saved JSON.
"""
from __future__ import annotations

import csv
from pathlib import Path

from rich.table import Table
from rich.text import Text

COLOURS = ["cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta",
           "bright_green", "bright_yellow", "bright_blue", "bright_red"]
SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SVG_FILLS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
             "#7f7f7f", "#bcbd22", "#17becf"]


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _symbol(gid: int) -> str:
    return SYMBOLS[gid % len(SYMBOLS)]


def summary_line(m: dict) -> str:
    return (f"{m['policy']} on {m['cores']} cores: makespan {m['makespan']:,} ticks, "
            f"mean utilization {_pct(m['mean_utilization'])}, "
            f"throughput {m['throughput']:.3f} instructions/tick")


def print_report(console, m: dict, *, outputs: bool = True, width: int | None = None) -> None:
    console.print(f"[bold]{summary_line(m)}[/bold]")
    console.print(f"policy {m['policy']}: {m['policy_description']}; quantum "
                  f"{m['quantum'] or 'none'}, switch cost {m['switch_cost']} ticks")
    cores = Table(title="cores")
    for col in ("core", "busy", "idle", "switch", "utilization"):
        cores.add_column(col, justify="right")
    for c in m["core_stats"]:
        cores.add_row(str(c["core"]), f"{c['busy']:,}", f"{c['idle']:,}", f"{c['switch']:,}",
                      _pct(c["utilization"]))
    console.print(cores)
    guests = Table(title="guests")
    for col in ("", "guest", "retired", "ready", "limited", "blocked", "done at", "slices",
                "migr.", "cores", "end"):
        guests.add_column(col, justify="left" if col in ("", "guest", "cores", "end") else "right")
    for g in m["guest_stats"]:
        end = "fault" if g["fault"] else f"exit {g['exit_code']}"
        guests.add_row(Text(_symbol(g["guest"]), style=COLOURS[g["guest"] % len(COLOURS)]),
                       g["label"], f"{g['retired']:,}", f"{g['ready']:,}", f"{g['limited']:,}",
                       f"{g['blocked']:,}", f"{g['completion']:,}", str(g["slices"]),
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


def comparison(console, results: list[dict]) -> None:
    t = Table(title="the same workload under each policy")
    for col in ("policy", "cores", "makespan", "mean utilization", "total ready", "total limited",
                "migrations", "throughput"):
        t.add_column(col, justify="left" if col == "policy" else "right")
    for m in results:
        t.add_row(m["policy"], str(m["cores"]), f"{m['makespan']:,}", _pct(m["mean_utilization"]),
                  f"{sum(g['ready'] for g in m['guest_stats']):,}",
                  f"{sum(g['limited'] for g in m['guest_stats']):,}",
                  str(sum(g["migrations"] for g in m["guest_stats"])), f"{m['throughput']:.3f}")
    console.print(t)


def write_csv(path: str | Path, m: dict) -> list[Path]:
    """Three tables next to `path`: NAME.guests.csv, NAME.cores.csv, NAME.timeline.csv."""
    base = Path(path)
    stem = base.with_suffix("")
    written = []
    for part, rows in (("guests", m["guest_stats"]), ("cores", m["core_stats"]),
                       ("timeline", m["timeline"])):
        out = stem.with_name(f"{stem.name}.{part}.csv")
        with open(out, "w", newline="") as f:
            fields = [k for k in rows[0] if k != "output"] if rows else []
            w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
            w.writeheader()
            for r in rows:
                w.writerow({k: (" ".join(map(str, v)) if isinstance(v, list) else v)
                            for k, v in r.items() if k in fields})
        written.append(out)
    return written


def write_svg(path: str | Path, m: dict) -> None:
    """A Gantt chart for slides: one row per core, one colour per guest."""
    width, row_h, left, top = 1000, 34, 70, 40
    span = m["makespan"] or 1
    ncores = len(m["core_stats"])
    legend_rows = (len(m["guest_stats"]) + 3) // 4
    height = top + ncores * row_h + 30 + legend_rows * 20 + 10
    x = lambda t: left + (width - left - 20) * t / span  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{left}" y="20" font-size="14">{_xml(summary_line(m))}</text>']
    for c in m["core_stats"]:
        y = top + c["core"] * row_h
        parts.append(f'<text x="8" y="{y + row_h / 2 + 4}">core {c["core"]}</text>')
        parts.append(f'<rect x="{left}" y="{y + 4}" width="{width - left - 20}" height="{row_h - 8}" '
                     f'fill="#f2f2f2"/>')
    for seg in m["timeline"]:
        if seg["kind"] == "idle":
            continue
        y = top + seg["core"] * row_h
        fill = "#444444" if seg["kind"] == "switch" else SVG_FILLS[seg["guest"] % len(SVG_FILLS)]
        parts.append(f'<rect x="{x(seg["start"]):.2f}" y="{y + 4}" '
                     f'width="{max(0.5, x(seg["end"]) - x(seg["start"])):.2f}" height="{row_h - 8}" '
                     f'fill="{fill}"/>')
    y = top + ncores * row_h + 16
    parts.append(f'<text x="{left}" y="{y}">0</text>'
                 f'<text x="{width - 20}" y="{y}" text-anchor="end">{span:,} ticks</text>')
    for i, g in enumerate(m["guest_stats"]):
        lx, ly = left + (i % 4) * 230, y + 20 + (i // 4) * 20
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" '
                     f'fill="{SVG_FILLS[g["guest"] % len(SVG_FILLS)]}"/>'
                     f'<text x="{lx + 16}" y="{ly}">{_xml(g["label"])}</text>')
    parts.append("</svg>")
    Path(path).write_text("\n".join(parts) + "\n")


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
