"""halemu's pictures as SVG: the `hal compare` mix as stacked bars and the
`hal schedule` Gantt chart, for slides and exercise sheets."""
from __future__ import annotations

from xml.sax.saxutils import escape

from ..inspection.compare import Comparison
from ..inspection.mix import CLASSES, LABELS
from .text import compare_builds, pct, summary_line

SVG_COLOURS = {"loads": "#4cc3d9", "stores": "#3b6fd4", "branches": "#f2c12e",
               "calls": "#b45fc7", "alu": "#5bb85d", "muldiv": "#d9534f", "other": "#b0b0b0"}


SVG_FILLS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
             "#7f7f7f", "#bcbd22", "#17becf"]


def mix_chart(c: Comparison) -> str:
    """The mix as stacked horizontal bars, one per ISA, each 100% of its retired
    instructions (of the user's code alone with c.user_only), with a legend
    and how each ELF was built: a figure for an exercise sheet."""
    left, width, bar, gap, top = 70, 600, 26, 12, 40
    notes = compare_builds(c)
    height = top + len(c.rows) * (bar + gap) + 60 + 16 * len(notes)
    whose = "your code's " if c.user_only else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" '
           f'height="{height}" font-family="sans-serif" font-size="13">',
           f'<text x="{left}" y="24" font-size="15">{escape(c.guest)}: dynamic instruction mix '
           f'(share of {whose}retired instructions)</text>']
    for i, row in enumerate(c.rows):
        r = row.user if c.user_only and row.user is not None else row
        y, x = top + i * (bar + gap), float(left)
        out.append(f'<text x="{left - 8}" y="{y + bar / 2 + 5}" text-anchor="end">'
                   f'{escape(row.isa)}</text>')
        for k in CLASSES:
            w = width * r.mix[k] / r.retired if r.retired else 0
            if w:
                out.append(f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{bar}" '
                           f'fill="{SVG_COLOURS[k]}"><title>{escape(row.isa)} {LABELS[k]}: '
                           f'{r.mix[k]:,} ({pct(r.mix[k], r.retired)})</title></rect>')
            x += w
    y = top + len(c.rows) * (bar + gap) + 10
    for j, k in enumerate(CLASSES):
        lx = left + (j % 4) * 150
        ly = y + (j // 4) * 20
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{SVG_COLOURS[k]}"/>'
                   f'<text x="{lx + 17}" y="{ly + 11}">{escape(LABELS[k])}</text>')
    for j, line in enumerate(notes):           # the compiler, its version and the flags
        out.append(f'<text x="8" y="{y + 56 + 16 * j}" font-size="10" xml:space="preserve">'
                   f'{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def gantt_chart(m: dict) -> str:
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
             f'<text x="{left}" y="20" font-size="14">{escape(summary_line(m))}</text>']
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
                     f'<text x="{lx + 16}" y="{ly}">{escape(g["label"])}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
