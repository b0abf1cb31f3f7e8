"""`hal profile`: exact retired instructions per function, per ISA."""
from __future__ import annotations

import sys

import click

from .common import build_options, count, make_options
from .inspect import ISAS_HELP


@click.command()
@click.argument("guest")
@click.option("--isa", default=None, help=ISAS_HELP + " [default: all; an ELF: its own]")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--max-instructions", type=count(1), default=None,
              help="stop a guest that retires more instructions than this")
@click.option("--input", "input_file", type=click.File("rb"), default=None,
              help="file every ISA's run reads as console input (default: none)")
@click.option("--jobs", type=click.IntRange(min=1, max=256), default=None,
              help="host processes to measure on [default: all cores]")
@build_options
def profile(guest, isa, fmt, max_instructions, input_file, jobs, **compiler):
    """Count retired instructions per function on each ISA: exact, from the
    block counts every run keeps, each function's own instructions (an inlined
    function's copies count for it), with your code apart from start-up, the
    HAL SDK, the C library and the compiler runtime.  The counts add up to
    the run's retired total.

    Exits 3 if a guest faulted (counted up to the fault)."""
    from ..api.profiles import profile as run_profile
    p = run_profile(guest, isa, input=input_file, max_instructions=max_instructions,
                    jobs=jobs, options=make_options(**compiler))
    if fmt == "table":
        from ..render import terminal
        from .common import console
        terminal.print_profile(console(), p)
    else:
        click.echo(p.to_json() if fmt == "json" else p.to_csv(), nl=False)
    faulted = [q for q in p.profiles if q.fault]
    for q in faulted:
        click.echo(f"hal: error: {p.guest} on {q.isa}: {q.fault} after {q.retired} instructions",
                   err=True)
    if faulted:
        from ..errors import GuestError
        sys.exit(GuestError.exit_status)
