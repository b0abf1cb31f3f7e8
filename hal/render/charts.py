"""Slide-ready pictures, SVG or PNG, drawn by matplotlib: the instruction mix
of `hal compare`, the Gantt chart of `hal schedule` (with how CPU follows
the weights under `shares`), and the policies of `--compare` side by side.

Each picture is a 16:9 figure, 1920x1080 pixels as PNG, with type large
enough to read from the back of a room on a projected slide, on a white
background (a transparent one vanishes on a dark slide).  matplotlib is
used without pyplot: figures are drawn on its Agg canvas, so nothing here
opens a window, needs a display or touches a notebook's own plotting
state.  Output is byte-for-byte repeatable: no dates, fixed SVG ids, and
text kept as text in SVG (slide tools can edit it; browsers pick a sans-serif
font where DejaVu Sans is missing).
"""
from __future__ import annotations

import io
import logging

from ..inspection.mix import CLASSES, LABELS
from .text import compare_builds, isa_label, pct, stand_in_notes, summary_line, wrapped

WIDTH, HEIGHT, DPI = 16, 9, 120         # inches; 120 dots per inch: 1920x1080 pixels
FONT = 20                               # points: about 33 pixels on the PNG

MIX_COLOURS = {"loads": "#4cc3d9", "stores": "#3b6fd4", "branches": "#f2c12e",
               "calls": "#b45fc7", "alu": "#5bb85d", "muldiv": "#d9534f",
               "fp": "#f0ad4e", "other": "#b0b0b0"}
SPARE_COLOURS = ("#e8833a", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


def figure(width: float = WIDTH, height: float = HEIGHT):
    """A blank figure on matplotlib's Agg canvas, laid out by its
    constrained-layout engine (which keeps legends and labels inside)."""
    logging.getLogger("matplotlib").setLevel(logging.ERROR)    # no font-cache chatter
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor="white", layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def tip(fig, artist, text: str) -> None:
    """A tooltip for one part of an SVG picture (its <title>: a browser
    shows it under the pointer, a tool can read the exact number)."""
    tips = fig.__dict__.setdefault("_halemu_tips", {})
    gid = f"tip{len(tips)}"
    artist.set_gid(gid)
    tips[gid] = text


def save(fig, fmt: str) -> str | bytes:
    """The figure as SVG text or PNG bytes, the same bytes for the same figure."""
    import matplotlib
    from xml.sax.saxutils import escape
    out = io.BytesIO()
    if fmt == "svg":
        with matplotlib.rc_context({"svg.hashsalt": "halemu", "svg.fonttype": "none"}):
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "halemu"})
        svg = out.getvalue().decode()
        for gid, text in fig.__dict__.get("_halemu_tips", {}).items():
            svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}"><title>{escape(text)}</title>', 1)
        return svg
    if fmt == "png":
        fig.savefig(out, format="png", metadata={"Software": "halemu"})
        return out.getvalue()
    raise ValueError(f"a chart is svg or png, not {fmt!r}")


def style(ax) -> None:
    ax.tick_params(labelsize=FONT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def ticks(x: float, _pos=None) -> str:
    """An axis number short enough for a slide: 950, 12k, 1.5M."""
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return f"{x / div:.3g}{unit}"
    return f"{x:.0f}"


def legend(fig, isas, notes: list[str] = (), **kwargs) -> None:
    """The legend under the plots, entries whole (columns, never a cut
    entry), and over it what a starred ISA means and any other `notes` (how
    the ELF files were built), in small type."""
    found = stand_in_notes(isas) + wrapped(list(notes), 150)
    lg = fig.legend(loc="outside lower center", frameon=False, title="\n".join(found) or None,
                    title_fontsize=FONT * 0.7, **kwargs)
    if found:
        lg.get_title().set_color("#555555")


# -- `hal compare`: the instruction mix -------------------------------------------


def mix(c, fmt: str = "svg", absolute: bool = False) -> str | bytes:
    """One stacked bar per ISA: its retired instructions by class, each part
    labelled with its percentage.  absolute=True draws the bars to scale (so
    an ISA that retires half as many instructions has half the bar) and puts
    the count at each bar's end; otherwise every bar is 100%."""
    from matplotlib.ticker import FuncFormatter, PercentFormatter
    fig = figure()
    ax = fig.add_subplot()
    whole = list(reversed(c.rows))            # the first ISA on top
    names = [isa_label(r.isa) for r in whole]
    # --user-only: the user's own code's numbers (row.user), under each ISA's name
    rows = [r.user if c.user_only and r.user is not None else r for r in whole]
    left = [0.0] * len(rows)
    for k in CLASSES:
        colour = MIX_COLOURS.get(k) or SPARE_COLOURS[CLASSES.index(k) % len(SPARE_COLOURS)]
        share = [r.mix.get(k, 0) / r.retired if r.retired else 0.0 for r in rows]
        size = [r.mix.get(k, 0) if absolute else 100 * s for r, s in zip(rows, share)]
        bars = ax.barh(names, size, left=left, color=colour, label=LABELS.get(k, k),
                       edgecolor="white", linewidth=1)
        for w, r, bar, s in zip(whole, rows, bars, share):
            tip(fig, bar, f"{w.isa} {LABELS.get(k, k)}: {r.mix.get(k, 0):,} ({pct(s)})")
            if s >= 0.045:                    # room for "12%" inside the part
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                        f"{100 * s:.0f}%", ha="center", va="center", fontsize=FONT * 0.8,
                        color="black")
        left = [a + b for a, b in zip(left, size)]
    style(ax)
    if absolute:
        ax.xaxis.set_major_formatter(FuncFormatter(ticks))
        ax.set_xlabel("retired instructions", fontsize=FONT)
        for i, r in enumerate(rows):
            ax.text(left[i], i, f"  {r.retired:,}", va="center", fontsize=FONT * 0.85)
        ax.set_xlim(0, max(left) * 1.18 or 1)
    else:
        ax.xaxis.set_major_formatter(PercentFormatter())
        ax.set_xlim(0, 100)
        ax.set_xlabel("share of retired instructions", fontsize=FONT)
    what = "retired instructions by class" if absolute else "dynamic instruction mix"
    whose = " (your code only)" if c.user_only else ""
    ax.set_title(f"{c.guest}{whose}: {what}", fontsize=FONT * 1.2)
    legend(fig, [r.isa for r in c.rows], compare_builds(c), ncols=4, fontsize=FONT * 0.9)
    return save(fig, fmt)


# -- `hal schedule --compare`: the policies side by side --------------------------


def policies(ms: list[dict], fmt: str = "svg") -> str | bytes:
    """Three panels, one bar per run (policy:cores): mean utilization,
    makespan and total ready ticks, each bar labelled with its number."""
    from matplotlib.ticker import FuncFormatter, PercentFormatter
    fig = figure()
    axes = fig.subplots(1, 3, sharey=True)
    names = [f"{m['policy']}:{m['cores']}" for m in ms][::-1]
    panels = [("mean utilization", [100 * m["mean_utilization"] for m in ms], "#5bb85d",
               lambda v: f"{v:.1f}%"),
              ("makespan (ticks)", [m["makespan"] for m in ms], "#3b6fd4", ticks),
              ("total ready ticks", [sum(g["ready"] for g in m["guest_stats"]) for m in ms],
               "#d9534f", ticks)]
    for ax, (title, values, colour, fmt_value) in zip(axes, panels):
        values = values[::-1]
        bars = ax.barh(names, values, color=colour)
        top = max(values) or 1
        for bar, v in zip(bars, values):
            ax.text(bar.get_width() + top * 0.02, bar.get_y() + bar.get_height() / 2,
                    fmt_value(v), va="center", fontsize=FONT * 0.85)
        ax.set_title(title, fontsize=FONT)
        ax.set_xlim(0, top * 1.35)
        ax.xaxis.set_major_formatter(PercentFormatter() if "%" in fmt_value(1) else
                                     FuncFormatter(ticks))
        ax.xaxis.set_major_locator(_few_ticks())
        style(ax)
    fig.suptitle("the same workload under each policy", fontsize=FONT * 1.2)
    return save(fig, fmt)


def _few_ticks():
    from matplotlib.ticker import MaxNLocator
    return MaxNLocator(3)


# -- `hal schedule`: the Gantt chart ------------------------------------------------

FAMILIES = ("Blues", "Oranges", "Greens", "Purples", "Reds", "Greys")


def guest_colours(m: dict) -> dict[int, tuple]:
    """One colour family per ISA (in `hal isas` order), one shade per guest."""
    from matplotlib import colormaps

    from ..core import registry
    order = {name: i for i, name in enumerate(registry.names())}
    by_isa: dict[str, list[int]] = {}
    for g in m["guest_stats"]:
        by_isa.setdefault(g["isa"], []).append(g["guest"])
    out = {}
    for isa, ids in by_isa.items():
        cmap = colormaps[FAMILIES[order.get(isa, len(order)) % len(FAMILIES)]]
        for j, gid in enumerate(ids):
            out[gid] = cmap(0.75 - 0.4 * j / max(1, len(ids) - 1) if len(ids) > 1 else 0.65)
    return out


def merged(timeline: list[dict]) -> list[dict]:
    """The timeline with each run of back-to-back slices of one guest on one
    core made one stretch: no seam where no switch happened."""
    out: list[dict] = []
    last: dict[int, dict] = {}
    for seg in sorted(timeline, key=lambda s: (s["core"], s["start"])):
        prev = last.get(seg["core"])
        if (prev is not None and seg["kind"] == prev["kind"] == "run"
                and seg["guest"] == prev["guest"] and seg["start"] == prev["end"]):
            prev["end"] = seg["end"]
            continue
        last[seg["core"]] = dict(seg)
        out.append(last[seg["core"]])
    return out


def gantt(m: dict, fmt: str = "svg", shares: bool | None = None) -> str | bytes:
    """One row per core, time left to right with its ticks, a colour per
    guest (a family per ISA); switches in black.  Under `shares` (or with
    shares=True) two more panels show the first quanta up close, where the
    interleaving can be read, and each guest's run ticks adding up over
    time: while guests contend, a weight-2 guest's line climbs twice as
    steeply as a weight-1 guest's."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter
    shares = m["policy"] == "shares" if shares is None else shares
    fig = figure()
    colours = guest_colours(m)
    span = m["makespan"] or 1
    if shares:
        top, zoom, lines = fig.subplots(3, 1, height_ratios=[2, 2, 3])
        _bars(top, m, colours, span)
        near = min(span, 24 * (m["quantum"] or span))
        _bars(zoom, m, colours, near)
        zoom.set_title(f"up close: the first {near:,} ticks", fontsize=FONT * 0.9)
        _cumulative(lines, m, colours)
        axes = [top, zoom, lines]
    else:
        axes = [fig.add_subplot()]
        _bars(axes[0], m, colours, span)
    for ax in axes:
        ax.xaxis.set_major_formatter(FuncFormatter(ticks))
        style(ax)
    axes[-1].set_xlabel("virtual time (ticks: retired instructions)", fontsize=FONT)
    axes[0].set_title(summary_line(m), fontsize=FONT)
    labels = {g["guest"]: _guest_label(g, shares) for g in m["guest_stats"]}
    handles = [Patch(color=colours[g], label=labels[g]) for g in labels]
    if any(s["kind"] == "switch" for s in m["timeline"]):
        handles.append(Patch(color="black", label="context switch"))
    legend(fig, [g["isa"] for g in m["guest_stats"]], handles=handles, fontsize=FONT * 0.85,
           ncols=_columns([h.get_label() for h in handles]))
    return save(fig, fmt)


def _bars(ax, m: dict, colours: dict, until: int) -> None:
    """The cores' rows from tick 0 to `until`: one bar collection per colour
    and core, so a long run draws quickly."""
    ncores = len(m["core_stats"])
    spans: dict[tuple[int, object], list[tuple[int, int]]] = {}
    for seg in merged(m["timeline"]):
        if seg["kind"] == "idle" or seg["start"] >= until:
            continue
        colour = "black" if seg["kind"] == "switch" else colours[seg["guest"]]
        spans.setdefault((seg["core"], colour), []).append(
            (seg["start"], min(seg["end"], until) - seg["start"]))
    for c in range(ncores):
        ax.broken_barh([(0, until)], (c - 0.4, 0.8), color="#f0f0f0")
    for (core, colour), ranges in spans.items():
        ax.broken_barh(ranges, (core - 0.4, 0.8), color=colour, linewidth=0)
    ax.set_yticks(range(ncores), [f"core {i}" for i in range(ncores)])
    ax.set_ylim(ncores - 0.5, -0.5)
    ax.set_xlim(0, until)


def _guest_label(g: dict, shares: bool) -> str:
    label = g["label"] + ("*" if isa_label(g["isa"]) != g["isa"] else "")
    if not shares:
        return label
    terms = [f"weight {g['weight']:g}"]
    if g["reservation"]:
        terms.append(f"reservation {g['reservation']:g}")
    if g["limit"] is not None:
        terms.append(f"limit {g['limit']:g}")
    return f"{label} ({', '.join(terms)})"


def _columns(labels) -> int:
    """Legend columns: as many as fit the figure's width, whole entries only."""
    longest = max((len(s) for s in labels), default=10)
    return max(1, min(4, int(WIDTH * 72 / (FONT * 0.85 * 0.6 * (longest + 4)))))


def _cumulative(ax, m: dict, colours: dict) -> None:
    from matplotlib.ticker import FuncFormatter
    for g in m["guest_stats"]:
        xs, ys, total = [0], [0], 0
        for seg in sorted((s for s in m["timeline"] if s["kind"] == "run"
                           and s["guest"] == g["guest"]), key=lambda s: s["start"]):
            xs += [seg["start"], seg["end"]]
            ys += [total, total + seg["end"] - seg["start"]]
            total += seg["end"] - seg["start"]
        xs.append(m["makespan"])
        ys.append(total)
        ax.plot(xs, ys, color=colours[g["guest"]], linewidth=4)
    ax.yaxis.set_major_formatter(FuncFormatter(ticks))
    ax.set_xlim(0, m["makespan"] or 1)
    ax.set_ylabel("run ticks so far", fontsize=FONT)
    ax.grid(axis="y", color="#dddddd")
    style(ax)
