"""Terminal reports: the same guest on several ISAs, side by side."""
from __future__ import annotations

from rich.table import Table


def output_groups(results) -> list[tuple[bytes, list[str]]]:
    """Distinct outputs, each with the ISAs that printed it, in first-seen order."""
    groups: dict[bytes, list[str]] = {}
    for r in results:
        groups.setdefault(r.output, []).append(r.isa)
    return list(groups.items())


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
