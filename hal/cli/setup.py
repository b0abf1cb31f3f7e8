"""`hal setup`: the one-time work that would otherwise make a first run slow."""
from __future__ import annotations

import click

from .common import ISA_HELP


@click.command()
@click.option("--isa", default="all", show_default=True, help=ISA_HELP)
def setup(isa):
    """Build the C library (musl) for each ISA, once (about half a minute
    each), so that a program using <stdio.h> builds at once the first time.
    `make test` and `make demo` run this; it is instant when done."""
    from ..core import registry
    from ..toolchain import libc
    backends = registry.backends() if isa == "all" else [registry.get(isa)]
    for b in backends:
        libc.ensure(b, report=lambda line: click.echo(line, err=True))
    click.echo(f"hal: C library (musl) ready for {', '.join(b.name for b in backends)}", err=True)
