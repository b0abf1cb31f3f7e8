"""halemu's results as plain text for tools and exercise sheets: JSON, CSV
and Markdown for `hal compare`, CSV tables for `hal schedule`, and the
one-line summaries the other renderers share.  Metrics are rows and ISAs are
columns, as students read them; CSV is one row per ISA, as tools want it."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..core.runner import output_groups
from ..inspection.compare import Comparison, Row
from ..inspection.mix import CLASSES, LABELS


def pct(x: float, total: float = 1) -> str:
    """x of total as a percentage with one decimal; '-' of nothing."""
    return f"{100 * x / total:.1f}%" if total else "-"


def compiler_name(build: dict) -> str:
    """"zig cc 0.17.1 (clang version 22.1.8)", or as much of it as is known."""
    name = " ".join(x for x in (build.get("compiler"), build.get("version")) if x)
    if build.get("producer"):
        name = f"{name} ({build['producer']})" if name else build["producer"]
    return name or "an unknown compiler"


def _units(flags: list[str]) -> list[str]:
    """Flags as units a reader retypes together ("-target x86-freestanding" is one)."""
    out, i = [], 0
    while i < len(flags):
        if flags[i] in ("-target", "-I", "-D", "-include") and i + 1 < len(flags):
            out.append(f"{flags[i]} {flags[i + 1]}")
            i += 2
        else:
            out.append(flags[i])
            i += 1
    return out


def build_lines(builds: dict[str, dict]) -> list[str]:
    """How each build was made, for a report's reader to reproduce: the
    compiler and its version, the flags every build shares, then each one's own."""
    if not builds:
        return []
    names = {label: compiler_name(b) for label, b in builds.items()}
    out = []
    if len(set(names.values())) == 1:
        out.append(f"built with {next(iter(names.values()))}")
    known = {label: _units(b["flags"]) for label, b in builds.items() if b.get("flags") is not None}
    common = [u for u in next(iter(known.values()))
              if all(u in units for units in known.values())] if len(known) > 1 else []
    if common:
        out.append(f"  flags of every build: {' '.join(common)}")
    for label, b in builds.items():
        own = f"built with {names[label]}: " if len(set(names.values())) > 1 else ""
        if label not in known:
            out.append(f"  {label}: {own}flags not known (not built by halemu)")
        else:
            rest = [u for u in known[label] if u not in common]
            out.append(f"  {label}: {own}{' '.join(rest) or '(no others)'}")
    return out


def wrapped(lines: list[str], width: int) -> list[str]:
    """Lines wrapped to `width`, each continuation indented under its line."""
    import textwrap
    out = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 4)
        out += textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""]
    return out


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 core', '3 cores' (`many` for nouns that add more than an s)."""
    return f"{n:,} {noun if n == 1 else many or noun + 's'}"


def every(n: int, noun: str = "ISA") -> str:
    """'both ISAs', 'all 4 ISAs'."""
    return f"both {noun}s" if n == 2 else f"all {n} {noun}s"


def isa_label(name: str) -> str:
    """An ISA's name as tables show it: a stand-in's carries a star ("alpha*")."""
    from ..core import registry
    from ..errors import HalError
    try:
        return registry.get(name).label
    except HalError:
        return name


def stand_in_notes(names) -> list[str]:
    """One line for each stand-in among these ISAs, saying what its star means."""
    from ..core import registry
    seen = dict.fromkeys(names)
    return [f"{b.label} {b.stand_in}" for b in registry.backends()
            if b.stand_in and b.name in seen]


def verdict(results) -> tuple[bool, str] | None:
    """Whether runs of one guest on several ISAs printed the same, in one line
    (None for a single ISA: nothing to compare).  `results` have isa, output
    and fault; a faulted run's output stops at its fault, so it is no
    evidence of portability and is never counted as agreeing."""
    if len(results) < 2:
        return None
    faulted = [r.isa for r in results if r.fault]
    ran = [r for r in results if not r.fault]
    if len(faulted) == len(results):
        return False, f"✗ {every(len(results))} faulted: no output to compare"
    head = f"✗ faulted on {', '.join(faulted)}" if faulted else ""
    groups = output_groups(ran)
    if len(ran) == 1:
        return False, f"{head}; only {ran[0].isa} ran to its end"
    where = f"the other {plural(len(ran), 'ISA')}" if faulted else every(len(ran))
    if len(groups) == 1:
        if not faulted:
            return True, f"✓ identical output on {where}"
        return False, f"{head}; identical output on {where}"
    label = {out: chr(ord("A") + i) for i, (out, _) in enumerate(output_groups(results))}
    versions = "; ".join(f"{label[o]}: {', '.join(i)}" for o, i in groups)
    differ = f"outputs differ: {len(groups)} versions ({versions})"
    return False, f"{head}; {differ}" if faulted else f"✗ {differ}"


def summary_line(m: dict) -> str:
    return (f"{m['policy']} on {plural(m['cores'], 'core')}: makespan {m['makespan']:,} ticks, "
            f"mean utilization {pct(m['mean_utilization'])}, "
            f"throughput {m['throughput']:.3f} instructions/tick")


def compare_rows(c: Comparison) -> list[tuple[str, list[str]]]:
    """(label, one cell per ISA) for every line of the table.  With c.user_only
    the sizes, counts and mix are the user's own code's alone."""
    groups = c.groups

    def row(label, fn):
        return label, [fn(r) for r in c.rows]

    def output(r: Row) -> str:
        return groups[r.isa] + (" (all match)" if c.identical_output else "")

    def part(r: Row):
        return r.user if c.user_only and r.user is not None else r

    mine = "your code: " if c.user_only else ""
    rows = [
        row("word, byte order", lambda r: f"{r.bits}-bit {r.endian}"),
        row(f"{mine}code size (bytes)" if c.user_only else "code size (.text bytes)",
            lambda r: f"{part(r).text_bytes:,}"),
        row(f"{mine}static instructions", lambda r: f"{part(r).static_instructions:,}"),
        row(f"{mine}retired instructions", lambda r: f"{part(r).retired:,}"),
        *(row(LABELS[k], lambda r, k=k: f"{part(r).mix[k]:,} ({pct(part(r).mix[k], part(r).retired)})")
          for k in CLASSES),
        row("loads+stores share", lambda r: pct(part(r).mix["loads"] + part(r).mix["stores"],
                                                part(r).retired)),
    ]
    if c.user_only:
        rows.append(row("whole program: retired", lambda r: f"{r.retired:,}"))
    elif all(r.user is not None for r in c.rows):
        rows += [row("your code: size (bytes)", lambda r: f"{r.user.text_bytes:,}"),
                 row("your code: static instructions",
                     lambda r: f"{r.user.static_instructions:,}"),
                 row("your code: retired", lambda r: f"{r.user.retired:,} "
                                                     f"({pct(r.user.retired, r.retired)})"),
                 row("start-up: retired", lambda r: f"{r.by_category['startup']:,} "
                                                    f"({pct(r.by_category['startup'], r.retired)})")]
    return rows + [
        row("HAL calls", lambda r: f"{r.hal_calls:,}"),
        row("exit", lambda r: "fault" if r.fault else str(r.exit_code)),
        row("output", output),
    ]


def compare_builds(c: Comparison) -> list[str]:
    """How the compared ELF files were built (build_lines, per ISA)."""
    return build_lines({r.isa: r.build for r in c.rows})


def to_json(c: Comparison) -> str:
    return json.dumps(c.to_dict(), indent=2) + "\n"


def to_csv(c: Comparison) -> str:
    """One row per ISA: the whole program's numbers, then the user's code's,
    then how the ELF was built (compiler, version, flags)."""
    data = c.to_dict()
    fields = ["guest", "isa", "bits", "endian", "text_bytes", "static_instructions", "retired",
              *CLASSES, "memory_share", "hal_calls", "exit_code", "fault", "output_group",
              "user_text_bytes", "user_static_instructions", "user_retired",
              *(f"user_{k}" for k in CLASSES), "startup_retired", "compiler", "opt", "flags"]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for isa in data["isas"]:
        user = isa["user"] or {"mix": {}}
        build = isa["build"]
        w.writerow({"guest": c.guest, **isa, **isa["mix"],
                    "user_text_bytes": user.get("text_bytes"),
                    "user_static_instructions": user.get("static_instructions"),
                    "user_retired": user.get("retired"),
                    **{f"user_{k}": user["mix"].get(k) for k in CLASSES},
                    "startup_retired": isa["by_category"].get("startup"),
                    "compiler": compiler_name(build), "opt": build.get("opt"),
                    "flags": " ".join(build["flags"]) if build.get("flags") is not None else ""})
    return out.getvalue()


def to_markdown(c: Comparison) -> str:
    isas = [r.isa for r in c.rows]
    title = f"{c.guest} (your code only)" if c.user_only else c.guest
    lines = [f"| {title} | " + " | ".join(f"`{isa_label(i)}`" for i in isas) + " |",
             "|---|" + "---:|" * len(isas)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in compare_rows(c)]
    notes = compare_builds(c)
    if notes:
        head, items = (notes[0], notes[1:]) if notes[0].startswith("built with") else \
            ("built", notes)
        lines += ["", head + ":", ""] + [f"- {n.strip()}" for n in items]
    return "\n".join(lines) + "\n" + "".join(f"\n{n}\n" for n in stand_in_notes(isas))


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


# -- `hal profile` ----------------------------------------------------------------


def profile_rows(p) -> list[tuple[str, str, list[int | None], str]]:
    """The profile table as (kind, name, one count per ISA or None, inlined into):
    kind is "category" (a subtotal), "function" or "total"."""
    from ..inspection.origins import CATEGORIES
    from ..inspection.origins import LABELS as WHOSE
    rows = []
    for cat in CATEGORIES:
        totals = [q.by_category[cat] for q in p.profiles]
        if not any(totals):
            continue
        rows.append(("category", WHOSE[cat], totals, ""))
        names: dict[str, list] = {}
        for i, q in enumerate(p.profiles):
            for f in q.functions:
                if f.category == cat:
                    entry = names.setdefault(f.function, [[None] * len(p.profiles), set()])
                    entry[0][i] = f.retired
                    entry[1].update(f.inlined_into)
        for name, (counts, into) in sorted(names.items(),
                                           key=lambda kv: (-max(c or 0 for c in kv[1][0]), kv[0])):
            rows.append(("function", name, counts, _few(sorted(into))))
    rows.append(("total", "total retired", [q.retired for q in p.profiles], ""))
    return rows


def _few(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= 2 else f"{names[0]} and {len(names) - 1} others"


def profile_cell(n: int | None, total: int) -> str:
    return "" if n is None else f"{n:,} ({pct(n, total)})"


def profile_builds(p) -> list[str]:
    return build_lines({q.isa: q.build for q in p.profiles})


def profile_json(p) -> str:
    return json.dumps(p.to_dict(), indent=2) + "\n"


def profile_csv(p) -> str:
    """One row per function per ISA, with how that ISA's ELF was built."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["guest", "isa", "category", "function", "retired", "share", "inlined",
                "inlined_into", "isa_retired", "compiler", "opt", "flags"])
    for q in p.profiles:
        flags = " ".join(q.build["flags"]) if q.build.get("flags") is not None else ""
        for f in q.functions:
            w.writerow([p.guest, q.isa, f.category, f.function, f.retired,
                        f"{f.retired / q.retired:.6f}" if q.retired else "", f.inlined,
                        " ".join(f.inlined_into), q.retired, compiler_name(q.build),
                        q.build.get("opt") or "", flags])
    return out.getvalue()


def policy_rows(ms: list[dict]) -> list[dict]:
    """One row per run of `hal schedule --compare`: what its table shows."""
    return [{"policy": m["policy"], "cores": m["cores"], "makespan": m["makespan"],
             "mean_utilization": m["mean_utilization"],
             "total_ready": sum(g["ready"] for g in m["guest_stats"]),
             "total_limited": sum(g["limited"] for g in m["guest_stats"]),
             "migrations": sum(g["migrations"] for g in m["guest_stats"]),
             "throughput": m["throughput"]} for m in ms]


def policies_csv(ms: list[dict]) -> str:
    rows = policy_rows(ms)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()
