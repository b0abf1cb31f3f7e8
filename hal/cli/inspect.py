"""The inspection commands: `hal compare`, `hal disasm`, `hal trace`.

Kept apart from hal/cli/main.py, which registers them; heavy modules are imported
inside each command so that `hal run` starts as fast as before."""
from __future__ import annotations

import sys

import click

ISAS_HELP = "an ISA name, several separated by commas, or 'all'"


@click.command()
@click.argument("guest")
@click.option("--isa", default=None, help=ISAS_HELP + " [default: all; an ELF: its own]")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]),
              default="table", show_default=True)
@click.option("--max-instructions", type=click.IntRange(min=1), default=None,
              help="stop a guest that retires more instructions than this")
@click.option("--input", "input_file", type=click.File("rb"), default=None,
              help="file every ISA's run reads as console input (default: none)")
@click.option("--svg", "svg_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="also write the mix as a bar chart to this SVG file")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="host processes to measure on [default: all cores]")
def compare(guest, isa, fmt, max_instructions, input_file, svg_file, jobs):
    """Compare one guest across ISAs: code size, retired instructions, the
    dynamic instruction mix, HAL calls, and whether the outputs agree.

    Exits 3 if a guest faulted (its numbers are still shown, counted up to the fault)."""
    from ..api.comparisons import compare as measure
    from ..render import terminal
    c = measure(guest, isa, input=input_file, max_instructions=max_instructions, jobs=jobs)
    if fmt == "table":
        from .common import console
        terminal.print_table(console(), c)
    else:
        rendered = {"json": c.to_json, "csv": c.to_csv, "markdown": c.to_markdown}[fmt]()
        click.echo(rendered, nl=False)
    if svg_file:
        from .common import write_file
        write_file(svg_file, c.svg())
    for r in c.rows:
        if r.fault:
            click.echo(f"hal: error: {c.guest} on {r.isa}: {r.fault} after {r.retired} instructions",
                       err=True)
    if c.faulted:
        from ..errors import GuestError
        sys.exit(GuestError.exit_status)


@click.command()
@click.argument("guest")
@click.option("--function", "function", default="main", show_default=True,
              help="the function to show (try hal_trap to see each ISA's trap)")
@click.option("--isa", default=None, help=ISAS_HELP + " [default: all; an ELF: its own]")
@click.option("--source", is_flag=True, help="interleave the C lines (DWARF line info)")
def disasm(guest, function, isa, source):
    """Disassemble one function of a guest on each ISA, one after another."""
    from ..api.listings import disasm as listing
    click.echo(listing(guest, isa, function=function, source=source).text(), nl=False)


@click.command()
@click.argument("guest")
@click.option("--isa", default=None, help="the ISA to trace [required for a bundled guest or a source]")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True,
              help="stop after this many traced instructions")
@click.option("--function", "function", default=None,
              help="trace only instructions inside this function")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--input", "input_file", type=click.File("rb"), default=None,
              help="file the guest reads as console input (default: none)")
@click.option("--syscalls", is_flag=True,
              help="instead, list a C library program's system calls, as strace does")
def trace(guest, isa, limit, function, fmt, input_file, syscalls):
    """Trace a guest instruction by instruction: address, disassembly, and the
    registers each instruction changed (values after it); or, with --syscalls,
    the system calls a C library program makes."""
    from ..api.listings import trace as follow
    from ..errors import GuestError
    if syscalls:
        from ..api.listings import syscalls as system_calls
        s = system_calls(guest, isa, input=input_file)
        click.echo(s.text(), nl=False)
        if s.fault:
            click.echo(f"hal: error: {s.guest} on {s.isa}: {s.fault}", err=True)
            sys.exit(GuestError.exit_status)
        return
    t = follow(guest, isa, limit=limit, function=function, input=input_file)
    click.echo(t.to_json() if fmt == "json" else t.text(), nl=False)
    if t.fault:
        click.echo(f"hal: error: {t.guest} on {t.isa}: {t.fault}", err=True)
        sys.exit(GuestError.exit_status)
