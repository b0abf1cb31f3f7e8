"""halemu's results as HTML, for notebooks (the API's `_repr_html_`): the same
tables the terminal shows, with the SVG charts inline.

Plain HTML with inline styles only, so it reads the same in Jupyter,
VS Code and a notebook exported to a web page; every text is escaped.
"""
from __future__ import annotations

from html import escape

from ..core.runner import output_groups
from ..grading.gradebook import Gradebook, fmt
from ..inspection.compare import Comparison
from . import charts
from .text import (compare_builds, compare_rows, isa_label, pct, plural, stand_in_notes,
                   summary_line, verdict)

MAX_SHOWN = 32 << 10          # output bytes shown inline; the rest is on the object

_CELL = "padding:2px 8px;border-bottom:1px solid #ddd"


def table(header: list[str], rows: list[list[str]], *, left: int = 1, caption: str = "") -> str:
    """An HTML table; the first `left` columns are text, the rest numbers (right-aligned)."""
    def cells(row, tag):
        return "".join(f'<{tag} style="{_CELL};text-align:{"left" if i < left else "right"}">'
                       f"{escape(str(c))}</{tag}>" for i, c in enumerate(row))
    cap = f'<caption style="text-align:left;font-weight:bold">{escape(caption)}</caption>' \
        if caption else ""
    return (f'<table style="border-collapse:collapse;margin:4px 0">{cap}'
            f"<tr>{cells(header, 'th')}</tr>"
            + "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows) + "</table>")


def picture(svg: str) -> str:
    """An SVG file's text as an <svg> element to put in a page: without its
    XML prologue, and as wide as the page allows (its viewBox keeps the shape)."""
    import re
    svg = svg[svg.index("<svg"):]
    head, rest = svg.split(">", 1)
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    return head + ' style="width:100%;max-width:1200px;height:auto">' + rest


def pre(text: str, title: str = "") -> str:
    """Preformatted text (a guest's output, a listing), cut at MAX_SHOWN characters."""
    more = ""
    if len(text) > MAX_SHOWN:
        more = f"\n... ({len(text) - MAX_SHOWN:,} more characters: see the object's attributes)"
        text = text[:MAX_SHOWN]
    head = f"<div><i>{escape(title)}</i></div>" if title else ""
    return (f'{head}<pre style="margin:2px 0 8px 0;padding:4px;background:#f7f7f7">'
            f"{escape(text + more)}</pre>")


def _end(r) -> str:
    return "fault" if r.fault else str(r.exit_code)


def _fault(line: str) -> str:
    return f'<div style="color:#b00">{escape(line)}</div>'


def run(r) -> str:
    """One run: what it cost, its output, and its fault if any."""
    head = (f"<b>{escape(r.guest)}</b> on <b>{escape(r.isa)}</b>: exit {_end(r)}, "
            f"{r.retired:,} instructions, {r.hal_calls:,} HAL calls")
    fault = _fault(r.error_line()) if r.fault else ""
    return f"<div>{head}{pre(r.text)}{fault}</div>"


def runs(results) -> str:
    """`hal run --isa all`: counts side by side, then each distinct output once."""
    groups = output_groups(results)
    label = {out: chr(ord("A") + i) for i, (out, _) in enumerate(groups)}
    rows = [[isa_label(r.isa), f"{r.retired:,}", str(r.hal_calls), _end(r), label[r.output]]
            for r in results]
    parts = [table(["ISA", "instructions", "HAL calls", "exit", "output"], rows,
                   caption=f"{results[0].guest} on {plural(len(results), 'ISA')}")]
    for out, isas in groups:
        parts.append(pre(out.decode("utf-8", errors="replace"),
                         f"output {label[out]}: {', '.join(isas)}"))
    parts += [_fault(r.error_line()) for r in results if r.fault]
    parts += _verdict(results)
    parts += _notes([r.isa for r in results])
    return "<div>" + "".join(parts) + "</div>"


def _verdict(results) -> list[str]:
    found = verdict(results)
    return [] if found is None else [f"<div><b>{escape(found[1])}</b></div>"]


def _notes(isas) -> list[str]:
    return [f'<div style="color:#555">{escape(n)}</div>' for n in stand_in_notes(isas)]


def comparison(c: Comparison) -> str:
    """`hal compare`: the table, then the mix as a bar chart."""
    rows = [[label, *cells] for label, cells in compare_rows(c)]
    title = f"{c.guest} on {plural(len(c.rows), 'ISA')}"
    title += ": your code only" if c.user_only else ""
    parts = [table(["", *(isa_label(r.isa) for r in c.rows)], rows, caption=title),
             *_notes([r.isa for r in c.rows]), picture(charts.mix(c))]
    parts += [f'<div style="font-size:smaller">{escape(line)}</div>' for line in compare_builds(c)]
    parts += [_fault(f"{r.isa}: {r.fault}") for r in c.rows if r.fault]
    parts += _verdict(c.rows)
    return "<div>" + "".join(parts) + "</div>"


def profile(p) -> str:
    """`hal profile`: retired instructions per function, ISAs in columns."""
    from .text import profile_builds, profile_cell, profile_rows
    rows = []
    for kind, name, counts, into in profile_rows(p):
        cells = [profile_cell(n, q.retired) if kind != "total" else f"{n:,}"
                 for n, q in zip(counts, p.profiles)]
        rows.append([("  " if kind == "function" else "") + name, *cells, into])
    parts = [table(["function", *(q.isa for q in p.profiles), "inlined into"], rows,
                   caption=f"{p.guest}: retired instructions per function (exact self counts)")]
    parts += [_fault(f"{q.isa}: {q.fault}") for q in p.profiles if q.fault]
    parts += [f'<div style="font-size:smaller">{escape(line)}</div>' for line in profile_builds(p)]
    return "<div>" + "".join(parts) + "</div>"


def schedule(m: dict, *, outputs: bool = True) -> str:
    """`hal schedule`: summary, cores, guests, the Gantt chart, each guest's output."""
    cores = [[str(c["core"]), f"{c['busy']:,}", f"{c['idle']:,}", f"{c['switch']:,}",
              pct(c["utilization"])] for c in m["core_stats"]]
    guests = [[g["label"], f"{g['retired']:,}", f"{g['ready']:,}", f"{g['limited']:,}",
               f"{g['blocked']:,}", "-" if g["completion"] is None else f"{g['completion']:,}",
               str(g["slices"]), str(g["migrations"]), ",".join(map(str, g["cores"])),
               "fault" if g["fault"] else "deadlocked" if g["completion"] is None
               else f"exit {g['exit_code']}"] for g in m["guest_stats"]]
    parts = [f"<div><b>{escape(summary_line(m))}</b></div>",
             f"<div>policy {escape(m['policy'])}: {escape(m['policy_description'])}; quantum "
             f"{m['quantum'] or 'none'}, switch cost {m['switch_cost']} ticks</div>",
             picture(charts.gantt(m)),
             table(["core", "busy", "idle", "switch", "utilization"], cores, left=0, caption="cores"),
             table(["guest", "retired", "ready", "limited", "blocked", "done at", "slices", "migr.",
                    "cores", "end"], guests, caption="guests")]
    parts += [_fault(f"{g['label']}: {g['fault']}") for g in m["guest_stats"] if g["fault"]]
    if m["deadlock"]:
        parts.append(_fault(m["deadlock"]))
    if outputs:
        parts += [f"<details><summary>{escape(g['label'])} output</summary>{pre(g['output'])}"
                  "</details>" for g in m["guest_stats"]]
    return "<div>" + "".join(parts) + "</div>"


def schedules(ms: list[dict]) -> str:
    """`hal schedule --compare`: one row per policy, then each Gantt chart."""
    rows = [[m["policy"], str(m["cores"]), f"{m['makespan']:,}", pct(m["mean_utilization"]),
             f"{sum(g['ready'] for g in m['guest_stats']):,}",
             f"{sum(g['limited'] for g in m['guest_stats']):,}",
             str(sum(g["migrations"] for g in m["guest_stats"])), f"{m['throughput']:.3f}"]
            for m in ms]
    parts = [table(["policy", "cores", "makespan", "mean utilization", "total ready",
                    "total limited", "migrations", "throughput"], rows,
                   caption="the same workload under each policy")]
    parts += [picture(charts.policies(ms))] + [picture(charts.gantt(m)) for m in ms]
    return "<div>" + "".join(parts) + "</div>"


def gradebook(book: Gradebook) -> str:
    """`hal grade`: one row per student, a letter per ISA for each test, the notes."""
    spec = book.spec
    rows = [[r.student, f"{fmt(r.points)}/{fmt(book.max_points)}",
             *(r.marks(t.name) for t in spec.tests), r.notes()] for r in book.rows]
    caption = (f"{len(book.rows)} students, {len(spec.tests)} tests on {', '.join(spec.isas)} "
               f"(a mark per ISA: + passed, W wrong output, F fault, L instruction limit, "
               f"O output limit, B does not build, R refused, C emulator crashed)")
    return "<div>" + table(["student", "points", *(t.name for t in spec.tests), "notes"], rows,
                           caption=caption) + "</div>"
