"""The commands that describe halemu itself: `hal isas`, `hal services`,
`hal guests`, `hal header`, `hal syscalls`."""
from __future__ import annotations

import click

from .common import console


@click.command()
def isas():
    """List the ISA backends and the real Unicorn core behind each."""
    from rich.text import Text

    from ..core import registry
    from ..render.tables import Column, print_table
    from ..render.terminal import print_notes
    rows = []
    for b in registry.backends():
        width = f"fixed {b.insn_width * 8}-bit" if b.insn_width else "1 to 15 bytes"
        rows.append([b.label, b.title, f"{b.bits}-bit {b.endian}", b.trap.mnemonic,
                     width + (", delay slots" if b.delay_slots else ""), b.core])
    con = console()
    print_table(con, "ISA backends", [Column(c, "left") for c in (
        "ISA", "what it is", "word, byte order", "HAL trap", "instructions", "runs on")], rows)
    print_notes(con, registry.names())
    for b in registry.backends():
        con.print(Text.assemble((b.name, "bold"), f": {b.notes}"))
    con.print("[bold]floating point[/bold] (every FPU starts as a real reset leaves it: "
              "round to nearest, exceptions masked):")
    for b in registry.backends():
        con.print(f"  [bold]{b.name}[/bold]: {b.fpu.summary}")


@click.command()
@click.option("--markdown", is_flag=True, help="print a Markdown table (as in the README)")
def syscalls(markdown):
    """List the system calls the POSIX personality serves, with each ISA's
    number for them (a C library program's calls; `hal trace --syscalls`)."""
    from ..api.listings import syscall_table
    table = syscall_table()
    isas = list(table[0][1]) if table else []
    rows = [(name, [str(n) if n is not None else "-" for n in by_isa.values()])
            for name, by_isa in table]
    if markdown:
        click.echo("| system call | " + " | ".join(isas) + " |")
        click.echo("|---|" + "---:|" * len(isas))
        for name, cells in rows:
            click.echo(f"| `{name}` | " + " | ".join(cells) + " |")
        return
    from rich.table import Table
    t = Table(title="System calls the POSIX personality serves (- : the ISA has no such call)")
    t.add_column("system call")
    for isa in isas:
        t.add_column(isa, justify="right")
    for name, cells in rows:
        t.add_row(name, *cells)
    console().print(t)


@click.command()
def services():
    """List the HAL services a guest can call (guests/include/hal_services.h)."""
    from ..core.services import SERVICES
    from ..render.tables import Column, print_table
    rows = [[str(s.number), f"{s.returns} hal_{s.name}({', '.join(s.args)})",
             "yes" if s.blocking else "", s.doc] for s in SERVICES]
    print_table(console(), "HAL services", [Column(c, "left") for c in (
        "number", "call", "blocking", "what it does")], rows)


@click.command()
@click.option("--write", is_flag=True, help="write guests/include/hal_services.h instead of printing it")
@click.option("--check", is_flag=True, help="fail if the committed header is out of date")
def header(write, check):
    """Generate hal_services.h from the service table."""
    from .. import paths
    from ..errors import HalError
    from ..toolchain.header import render_header
    text = render_header()
    target = paths.INCLUDE / "hal_services.h"
    if check:
        if not target.is_file() or target.read_text() != text:
            raise HalError(f"{target} is out of date: run `hal header --write`")
        click.echo(f"{target} is up to date")
    elif write:
        target.write_text(text)
        click.echo(f"wrote {target}")
    else:
        click.echo(text, nl=False)


@click.command()
def guests():
    """List the bundled guest programs, each with what it is for.

    `hal show NAME` prints one's C source."""
    import textwrap

    from ..render.terminal import columns
    from ..toolchain import guests as g
    width = columns() or 80
    names = g.names()
    pad = max(map(len, names)) + 2
    for name in names:
        text = g.description(name)
        partner = g.partner_workload(name)
        if partner:
            text += f" Runs with its partner: hal schedule --workload {partner}."
        lines = textwrap.wrap(text, max(20, width - pad), break_on_hyphens=False)
        click.echo(f"{name:{pad}}{lines[0]}")
        for line in lines[1:]:
            click.echo(" " * pad + line)


@click.command()
@click.argument("guest")
def show(guest):
    """Print a bundled guest's C source (`hal show fib > my.c` to start your own)."""
    from ..toolchain import guests as g
    click.echo(g.source(guest).read_text(), nl=False)
