"""`hal compare` output: a terminal table with a bar chart of the mix, or
JSON, CSV and Markdown for exercise sheets.  Metrics are rows and ISAs are
columns, as students read them; CSV is one row per ISA, as tools want it."""
from __future__ import annotations

import csv
import io
import json

from .compare import Comparison, Row
from .mix import CLASSES, LABELS

BAR_WIDTH = 60
BAR_MARKS = {"loads": ("L", "cyan"), "stores": ("S", "blue"), "branches": ("B", "yellow"),
             "calls": ("C", "magenta"), "alu": ("A", "green"), "muldiv": ("M", "red"),
             "other": ("O", "white")}
SVG_COLOURS = {"loads": "#4cc3d9", "stores": "#3b6fd4", "branches": "#f2c12e",
               "calls": "#b45fc7", "alu": "#5bb85d", "muldiv": "#d9534f", "other": "#b0b0b0"}


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "-"


def metrics(c: Comparison) -> list[tuple[str, list[str]]]:
    """(label, one cell per ISA) for every line of the table."""
    groups = c.groups

    def row(label, fn):
        return label, [fn(r) for r in c.rows]

    def output(r: Row) -> str:
        return groups[r.isa] + (" (all match)" if c.identical_output else "")

    return [
        row("word, byte order", lambda r: f"{r.bits}-bit {r.endian}"),
        row("code size (.text bytes)", lambda r: f"{r.text_bytes:,}"),
        row("static instructions", lambda r: f"{r.static_instructions:,}"),
        row("retired instructions", lambda r: f"{r.retired:,}"),
        *(row(LABELS[k], lambda r, k=k: f"{r.mix[k]:,} ({_pct(r.mix[k], r.retired)})")
          for k in CLASSES),
        row("loads+stores share", lambda r: _pct(r.mix["loads"] + r.mix["stores"], r.retired)),
        row("HAL calls", lambda r: f"{r.hal_calls:,}"),
        row("exit", lambda r: "fault" if r.fault else str(r.exit_code)),
        row("output", output),
    ]


def to_json(c: Comparison) -> str:
    return json.dumps(c.to_json(), indent=2) + "\n"


def to_csv(c: Comparison) -> str:
    data = c.to_json()
    fields = ["guest", "isa", "bits", "endian", "text_bytes", "static_instructions", "retired",
              *CLASSES, "memory_share", "hal_calls", "exit_code", "fault", "output_group"]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for isa in data["isas"]:
        w.writerow({"guest": c.guest, **isa, **isa["mix"]})
    return out.getvalue()


def to_markdown(c: Comparison) -> str:
    isas = [r.isa for r in c.rows]
    lines = [f"| {c.guest} | " + " | ".join(f"`{i}`" for i in isas) + " |",
             "|---|" + "---:|" * len(isas)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in metrics(c)]
    return "\n".join(lines) + "\n"


def bars(r: Row, width: int = BAR_WIDTH) -> list[tuple[str, str, int]]:
    """The mix as a stacked bar: (class, mark, cells), widths adding up to `width`
    (largest remainders get the spare cells, so small classes still show when they round up)."""
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
    t = Table(title=f"{c.guest} on {len(c.rows)} ISA" + ("s" if len(c.rows) > 1 else ""))
    t.add_column("")
    for r in c.rows:
        t.add_column(r.isa, justify="right")
    for label, cells in metrics(c):
        t.add_row(label, *cells)
    console.print(t)
    console.print("instruction mix (each bar is 100% of retired instructions):")
    for r in c.rows:
        line = Text(f"  {r.isa:6} ")
        for k, mark, n in bars(r):
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


def to_svg(c: Comparison) -> str:
    """The mix as stacked horizontal bars, one per ISA, each 100% of its retired
    instructions, with a legend: a figure for an exercise sheet."""
    from xml.sax.saxutils import escape
    left, width, bar, gap, top = 70, 600, 26, 12, 40
    height = top + len(c.rows) * (bar + gap) + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" '
           f'height="{height}" font-family="sans-serif" font-size="13">',
           f'<text x="{left}" y="24" font-size="15">{escape(c.guest)}: dynamic instruction mix '
           f'(share of retired instructions)</text>']
    for i, r in enumerate(c.rows):
        y, x = top + i * (bar + gap), float(left)
        out.append(f'<text x="{left - 8}" y="{y + bar / 2 + 5}" text-anchor="end">'
                   f'{escape(r.isa)}</text>')
        for k in CLASSES:
            w = width * r.mix[k] / r.retired if r.retired else 0
            if w:
                out.append(f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{bar}" '
                           f'fill="{SVG_COLOURS[k]}"><title>{escape(r.isa)} {LABELS[k]}: '
                           f'{r.mix[k]:,} ({_pct(r.mix[k], r.retired)})</title></rect>')
            x += w
    y = top + len(c.rows) * (bar + gap) + 10
    for j, k in enumerate(CLASSES):
        lx = left + (j % 4) * 150
        ly = y + (j // 4) * 20
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{SVG_COLOURS[k]}"/>'
                   f'<text x="{lx + 17}" y="{ly + 11}">{escape(LABELS[k])}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
