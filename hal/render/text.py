"""halemu's results as plain text for tools and exercise sheets: JSON, CSV
and Markdown for `hal compare`, CSV tables for `hal schedule`, and the
one-line summaries the other renderers share.  Metrics are rows and ISAs are
columns, as students read them; CSV is one row per ISA, as tools want it."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..inspection.compare import Comparison, Row
from ..inspection.mix import CLASSES, LABELS


def pct(x: float, total: float = 1) -> str:
    """x of total as a percentage with one decimal; '-' of nothing."""
    return f"{100 * x / total:.1f}%" if total else "-"


def summary_line(m: dict) -> str:
    return (f"{m['policy']} on {m['cores']} cores: makespan {m['makespan']:,} ticks, "
            f"mean utilization {pct(m['mean_utilization'])}, "
            f"throughput {m['throughput']:.3f} instructions/tick")


def compare_rows(c: Comparison) -> list[tuple[str, list[str]]]:
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
        *(row(LABELS[k], lambda r, k=k: f"{r.mix[k]:,} ({pct(r.mix[k], r.retired)})")
          for k in CLASSES),
        row("loads+stores share", lambda r: pct(r.mix["loads"] + r.mix["stores"], r.retired)),
        row("HAL calls", lambda r: f"{r.hal_calls:,}"),
        row("exit", lambda r: "fault" if r.fault else str(r.exit_code)),
        row("output", output),
    ]


def to_json(c: Comparison) -> str:
    return json.dumps(c.to_dict(), indent=2) + "\n"


def to_csv(c: Comparison) -> str:
    data = c.to_dict()
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
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in compare_rows(c)]
    return "\n".join(lines) + "\n"


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


def system_calls(isa: str, calls) -> str:
    """A C library program's system calls, for `hal run --stats`: name, the
    number it has on this ISA, how often, and whether it was served."""
    width = max(len("system call"), *(len(name) for name, *_ in calls))
    lines = [f"  {'system call':<{width}}  {isa + ' number':>10}  {'calls':>6}"]
    for name, number, count, served in calls:
        note = "" if served else "  not served: ENOSYS"
        lines.append(f"  {name:<{width}}  {number:>10}  {count:>6}{note}")
    return "\n".join(lines) + "\n"
