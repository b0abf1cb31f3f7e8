"""`hal build`, `hal run` and `hal resume`: one guest, built and run to its end."""
from __future__ import annotations

import sys

import click

from .common import (CONSOLE_HELP, GDB_HELP, GDB_WAIT_HELP, INPUT_HELP, ISA_HELP, LIMIT_HELP,
                     WithGuestArgs, build_options, check_output, console, count, input_or_stdin,
                     make_options, report_end)


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--isa", default="all", show_default=True, help=ISA_HELP)
@click.option("--console", "console_via", type=click.Choice(["trap", "uart"]), default="trap",
              show_default=True, help=CONSOLE_HELP)
@build_options
def build(sources, isa, console_via, **compiler):
    """Cross-compile a guest with zig: C and assembly sources (several are
    linked together), or a bundled guest's name."""
    from ..api.runs import build as build_guest
    for name, elf in build_guest(sources, isa, console=console_via,
                                 options=make_options(**compiler)).items():
        click.echo(f"{name:6} {elf}")


@click.command(cls=WithGuestArgs)
@click.argument("guest", nargs=-1, required=True)
@click.option("--isa", default=None, help=ISA_HELP + " [default: the ELF's own; bundled guests: all]")
@click.option("--max-instructions", type=count(0), default=None, help=LIMIT_HELP)
@click.option("--memory", default=None,
              help="guest RAM size, e.g. 512K or 4M [default: 1M; a C library program: "
                   "64M of address space, mapped as it asks]")
@click.option("--input", "input_file", type=click.File("rb"), default=None, help=INPUT_HELP)
@click.option("--stats", is_flag=True,
              help="print each run's instruction count and HAL calls (one ISA: start-up's "
                   "share too; a C library program: its system calls) to stderr")
@click.option("--file", "files", multiple=True, type=click.Path(),
              help="a host file a C library program may open, read-only (arguments after "
                   "-- that name files are readable too)")
@click.option("--console", "console_via", type=click.Choice(["trap", "uart"]), default="trap",
              show_default=True, help=CONSOLE_HELP)
@click.option("--jobs", type=click.IntRange(min=1, max=256), default=None,
              help="host processes for --isa all [default: all cores]")
@click.option("--isolate/--no-isolate", default=True, show_default=True,
              help="run each guest in a worker process, so an emulator crash cannot take hal down")
@click.option("--max-output", type=count(0), default=None,
              help="console bytes a guest may write [default 1 MiB]")
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False), default=None,
              help="with --snapshot-at: where to save the guest")
@click.option("--snapshot-at", type=count(1), default=None,
              help="stop after this many instructions and save a snapshot (see `hal resume`)")
@click.option("--gdb", "gdb_address", metavar="[HOST:]PORT", default=None, help=GDB_HELP)
@click.option("--gdb-wait", is_flag=True, help=GDB_WAIT_HELP)
@build_options
def run(guest, isa, max_instructions, memory, input_file, stats, files, console_via, jobs,
        isolate, max_output, snapshot_file, snapshot_at, gdb_address, gdb_wait, **compiler):
    """Run a guest: an ELF path (ISA from its header), C and assembly sources
    (built together), or a bundled guest's name.  Arguments after -- are a C
    library program's own (argv[1:]).

    With one ISA the guest's output goes straight to stdout (its standard
    error to stderr) and hal exits with the guest's exit code; with --isa all
    (the default for bundled guests) the ISAs are shown side by side."""
    from ..api import runs as api
    from ..api.options import load
    from ..errors import HalError
    if (snapshot_at is None) != (snapshot_file is None):
        raise HalError("--snapshot-at and --snapshot go together")
    check_output("--snapshot", snapshot_file)
    limits = dict(memory=memory, max_instructions=max_instructions, max_output=max_output)
    args = click.get_current_context().meta.get("guest_args", ())
    images = load(guest, isa, console=console_via, memory=memory, options=make_options(**compiler),
                  args=args, files=files)
    stdin = input_or_stdin(input_file)
    if gdb_address is not None or gdb_wait:
        if gdb_address is None:
            raise HalError("--gdb-wait goes with --gdb")
        if len(images) != 1:
            raise HalError("--gdb debugs one guest: name one ISA (--isa NAME)")
        if snapshot_at is not None or _given("isolate") and isolate:
            raise HalError("--gdb runs the guest in this process, without --snapshot-at or --isolate")
        from ..api.debugging import debug
        result = debug(images[0], gdb=gdb_address, wait=gdb_wait, input=stdin,
                       echo=sys.stdout.buffer, **limits)
        if stats:
            _stats(result)
        report_end(result)
        sys.exit(result.status)
    if len(images) == 1:
        if snapshot_at is not None:
            _run_to_snapshot(images[0], snapshot_at, snapshot_file, stdin, limits)
            return
        result = api.run(images[0], input=stdin, isolate=isolate, echo=sys.stdout.buffer,
                         echo_errors=sys.stderr.buffer, startup=stats, **limits)
        if stats:
            _stats(result)
        report_end(result)
        sys.exit(result.status)
    if snapshot_at is not None:
        raise HalError("--snapshot-at needs one ISA (--isa NAME)")
    runs = api.run_all(images, input=stdin, jobs=jobs, isolate=isolate, **limits)
    from ..render.terminal import side_by_side
    side_by_side(console(), runs.runs)
    if stats:
        for r in runs:
            _stats(r)
    sys.exit(runs.status)


def _stats(result) -> None:
    """The counts on stderr: start-up's share where the run counted it, and a
    C library program's system calls."""
    calls = result.system_calls
    made = f", {sum(c[2] for c in calls)} system calls" if calls else ""
    startup = getattr(result, "startup", None)
    share = ""
    if startup is not None:
        pct = f"{100 * startup / result.retired:.1f}%" if result.retired else "-"
        share = f"; start-up {startup} instructions ({pct})"
    click.echo(f"{result.guest} on {result.isa}: {result.retired} instructions, "
               f"{result.hal_calls} HAL calls{made}{share}", err=True)
    if calls:
        from ..render.text import system_calls
        click.echo(system_calls(result.isa, calls), err=True, nl=False)


def _run_to_snapshot(image, at, path, stdin, limits) -> None:
    from ..api.runs import snapshot
    saved = snapshot(image, at=at, path=path, input=stdin, echo=sys.stdout.buffer, **limits)
    if saved.ended is not None:
        report_end(saved.ended)
        click.echo(f"hal: {saved.guest} ended after {saved.retired} instructions, "
                   f"before {at}: no snapshot taken", err=True)
        sys.exit(saved.ended.status)
    click.echo(f"hal: saved {saved.guest} on {saved.isa} after {saved.retired} "
               f"instructions to {path} (continue with: hal resume {path})", err=True)


@click.command()
@click.argument("snapshot_file", type=click.Path(dir_okay=False))
@click.option("--stats", is_flag=True, help="print the instruction count to stderr at the end")
@click.option("--isolate/--no-isolate", default=True, show_default=True,
              help="run in a worker process, so an emulator crash cannot take hal down")
def resume(snapshot_file, stats, isolate):
    """Continue a guest saved with `hal run ... --snapshot-at N --snapshot FILE`.

    It goes on to the same output and the same instruction count as a run
    that never stopped; only the output still to come is printed."""
    from ..api.runs import resume as resume_guest
    result = resume_guest(snapshot_file, input=input_or_stdin(None), echo=sys.stdout.buffer, isolate=isolate)
    if stats:
        _stats(result)
    report_end(result)
    sys.exit(result.status)


def _given(option: str) -> bool:
    """Was this option typed on the command line (not its default)?"""
    from click.core import ParameterSource
    return click.get_current_context().get_parameter_source(option) is ParameterSource.COMMANDLINE
