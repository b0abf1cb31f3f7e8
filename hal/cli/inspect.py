"""The inspection commands: `hal compare`, `hal disasm`, `hal trace` (and the
help texts `hal profile` shares with them).

Kept apart from hal/cli/main.py, which registers them; heavy modules are imported
inside each command so that `hal run` starts as fast as before."""
from __future__ import annotations

import sys

import click

from .common import (INPUT_HELP, LIMIT_HELP, build_options, check_output, count,
                     input_or_stdin, make_options)

ISAS_HELP = "an ISA name, several separated by commas, or 'all'"


@click.command()
@click.argument("guest")
@click.option("--isa", default=None, help=ISAS_HELP + " [default: all; an ELF: its own]")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]),
              default="table", show_default=True)
@click.option("--user-only", is_flag=True,
              help="sizes, counts and mix of your own code alone: no start-up, SDK or libraries")
@click.option("--max-instructions", type=count(0), default=None, help=LIMIT_HELP)
@click.option("--input", "input_file", type=click.File("rb"), default=None,
              help="file every ISA's run reads as console input [default: stdin, unless it is "
                   "a terminal]")
@click.option("--svg", "svg_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="also draw the mix as a bar chart, for slides, to this SVG file")
@click.option("--png", "png_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="the same chart as a 1920x1080 PNG file")
@click.option("--absolute", is_flag=True,
              help="chart bars to scale (retired instructions) instead of each 100%")
@click.option("--jobs", type=click.IntRange(min=1, max=256), default=None,
              help="host processes to measure on [default: all cores]")
@build_options
def compare(guest, isa, fmt, user_only, max_instructions, input_file, svg_file, png_file, absolute,
            jobs, **compiler):
    """Compare one guest across ISAs: code size, retired instructions, the
    dynamic instruction mix, HAL calls, and whether the outputs agree; with
    your own code's numbers apart from start-up and libraries (--user-only:
    those alone).  Every format states the compiler, its version and the flags.

    Exits 3 if a guest faulted (its numbers are still shown, counted up to the fault)."""
    from ..api.comparisons import compare as measure
    from ..render import terminal
    check_output("--svg", svg_file)
    check_output("--png", png_file)
    c = measure(guest, isa, input=input_or_stdin(input_file), max_instructions=max_instructions,
                jobs=jobs, user_only=user_only, options=make_options(**compiler))
    if fmt == "table":
        from .common import console
        terminal.print_table(console(), c)
    else:
        rendered = {"json": c.to_json, "csv": c.to_csv, "markdown": c.to_markdown}[fmt]()
        click.echo(rendered, nl=False)
    for path, kind in ((svg_file, "svg"), (png_file, "png")):
        if path:
            from .common import say_written, write_file
            write_file(path, c.chart(kind, absolute=absolute))
            say_written(("the instruction mix" + (", to scale" if absolute else ""), [path]))
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
@click.option("--columns", is_flag=True,
              help="the ISAs side by side in columns, one row per C source line")
@click.option("--diff", "diff_spec", metavar="A,B", default=None,
              help="two builds side by side: two ISAs (x86,mips) or one ISA at two "
                   "optimisation levels (-O0,-O2 with --isa, or x86:-O0,x86:-O2)")
@click.option("--width", type=click.IntRange(min=40, max=1000), default=None,
              help="characters per line for --columns and --diff "
                   "[default: the terminal's width, else 160]")
@build_options
def disasm(guest, function, isa, source, columns, diff_spec, width, **compiler):
    """Disassemble one function of a guest on each ISA, one after another, with
    where its arguments and result live; or side by side (--columns, --diff)."""
    from ..api import listings
    if diff_spec is not None:
        if columns or source:
            from ..errors import HalError
            raise HalError("--diff shows its own columns: leave out --columns and --source")
        d = listings.diff(guest, diff_spec, function=function, isa=isa,
                          options=make_options(**compiler))
        click.echo(d.text(_width(width)), nl=False)
        return
    d = listings.disasm(guest, isa, function=function, source=source,
                        options=make_options(**compiler))
    click.echo(d.columns(_width(width)) if columns else d.text(), nl=False)


def _width(asked: int | None) -> int:
    """--width, else the terminal's width, else 160 (files and pipes see one layout)."""
    if asked is not None:
        return asked
    if sys.stdout.isatty():
        import shutil
        return shutil.get_terminal_size((160, 24)).columns
    return 160


@click.command()
@click.argument("guest")
@click.option("--isa", default=None, help="the ISA to trace [required for a bundled guest or a source]")
@click.option("--limit", type=count(1), default=200, show_default=True,
              help="stop after this many traced instructions")
@click.option("--function", "function", default=None,
              help="trace only instructions inside this function")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--input", "input_file", type=click.File("rb"), default=None, help=INPUT_HELP)
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
        s = system_calls(guest, isa, input=input_or_stdin(input_file))
        click.echo(s.text(), nl=False)
        if s.fault:
            click.echo(f"hal: error: {s.guest} on {s.isa}: {s.fault}", err=True)
            sys.exit(GuestError.exit_status)
        return
    t = follow(guest, isa, limit=limit, function=function, input=input_or_stdin(input_file))
    click.echo(t.to_json() if fmt == "json" else t.text(), nl=False)
    if t.fault:
        click.echo(f"hal: error: {t.guest} on {t.isa}: {t.fault}", err=True)
        sys.exit(GuestError.exit_status)
