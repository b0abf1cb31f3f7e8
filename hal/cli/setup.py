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
    import os
    from concurrent.futures import ThreadPoolExecutor

    from ..core import registry
    from ..toolchain import libc
    backends = registry.backends() if isa == "all" else [registry.get(isa)]
    todo = [b for b in backends if not libc.ready(b)]
    # zig compiles one target's C library about one file at a time, leaving
    # the other cores idle: so build as many targets at once as there are cores
    # (each in its own zig process; zig's cache takes its own locks)
    with ThreadPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
        list(pool.map(lambda b: libc.ensure(b, report=lambda line: click.echo(line, err=True)),
                      todo))
    click.echo(f"hal: C library (musl) ready for {', '.join(b.name for b in backends)}", err=True)
