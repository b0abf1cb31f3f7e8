"""The `hal` command line.  Heavy modules are imported inside each command so
that start-up stays fast; every expected failure becomes one line on stderr."""
from __future__ import annotations

import os
import sys

import click

ISA_HELP = "an ISA name (see `hal isas`) or 'all'"
CONSOLE_HELP = ("how the console helpers write: 'trap' (the hal_write service) or 'uart' "
                "(the UART device; builds a -DHAL_CONSOLE_UART variant)")


def _console(stderr: bool = False):
    """Rich output; 120 columns when not on a terminal, so files and tests see
    the same layout every time."""
    from rich.console import Console
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 120
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="halemu")
def cli():
    """halemu: one C guest, four ISAs, one thin HAL.

    Build a guest with `hal build`, run it with `hal run`, and see every ISA
    with `hal isas`."""


@cli.command()
def isas():
    """List the ISA backends and the real Unicorn core behind each."""
    from rich.table import Table

    from . import registry
    t = Table(title="ISA backends")
    for col in ("ISA", "what it is", "word, byte order", "HAL trap", "instructions", "runs on"):
        t.add_column(col)
    for b in registry.backends():
        width = f"fixed {b.insn_width * 8}-bit" if b.insn_width else "1 to 15 bytes"
        t.add_row(b.name, b.title, f"{b.bits}-bit {b.endian}", b.trap.mnemonic,
                  width + (", delay slots" if b.delay_slots else ""), b.core)
    con = _console()
    con.print(t)
    for b in registry.backends():
        con.print(f"[bold]{b.name}[/bold]: {b.notes}")


@cli.command()
def services():
    """List the HAL services a guest can call (guests/include/hal_services.h)."""
    from rich.table import Table

    from .services import SERVICES
    t = Table(title="HAL services")
    for col in ("number", "call", "blocking", "what it does"):
        t.add_column(col)
    for s in SERVICES:
        t.add_row(str(s.number), f"{s.returns} hal_{s.name}({', '.join(s.args)})",
                  "yes" if s.blocking else "", s.doc)
    _console().print(t)


@cli.command()
@click.option("--write", is_flag=True, help="write guests/include/hal_services.h instead of printing it")
@click.option("--check", is_flag=True, help="fail if the committed header is out of date")
def header(write, check):
    """Generate hal_services.h from the service table."""
    from . import paths
    from .errors import HalError
    from .header import render_header
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


@cli.command()
def guests():
    """List the bundled guest programs."""
    from . import guests as g
    for name in g.names():
        first = g.source(name).read_text().splitlines()[0]
        click.echo(f"{name:10} {first.removeprefix('/* ').removesuffix(' */')}")


@cli.command()
@click.argument("source")
@click.option("--isa", default="all", show_default=True, help=ISA_HELP)
@click.option("--console", "console_via", type=click.Choice(["trap", "uart"]), default="trap",
              show_default=True, help=CONSOLE_HELP)
def build(source, isa, console_via):
    """Cross-compile a guest (a .c file or a bundled guest's name) with zig."""
    from pathlib import Path

    from . import build as b
    from . import guests, registry
    path = Path(source) if source.endswith(".c") or os.path.sep in source else guests.source(source)
    backends = registry.backends() if isa == "all" else [registry.get(isa)]
    for backend, elf in zip(backends, b.build_all(path, backends, b.CONSOLES[console_via])):
        click.echo(f"{backend.name:6} {elf}")


@cli.command()
@click.argument("guest")
@click.option("--isa", default=None, help=ISA_HELP + " [default: the ELF's own; bundled guests: all]")
@click.option("--max-instructions", type=click.IntRange(min=1), default=None,
              help="stop a guest that retires more instructions than this")
@click.option("--memory", default="1M", show_default=True, help="guest RAM size, e.g. 512K or 4M")
@click.option("--input", "input_file", type=click.File("rb"), default=None,
              help="file the guest reads as console input (default: stdin)")
@click.option("--stats", is_flag=True, help="after a single run, print the instruction count to stderr")
@click.option("--console", "console_via", type=click.Choice(["trap", "uart"]), default="trap",
              show_default=True, help=CONSOLE_HELP)
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="host processes for --isa all [default: all cores]")
@click.option("--isolate/--no-isolate", default=None,
              help="run in a worker process, so an emulator crash cannot take hal down "
                   "[default: on for ELF files, off for guests hal builds]")
@click.option("--max-output", type=click.IntRange(min=0), default=None,
              help="console bytes a guest may write [default 1 MiB]")
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False), default=None,
              help="with --snapshot-at: where to save the guest")
@click.option("--snapshot-at", type=click.IntRange(min=1), default=None,
              help="stop after this many instructions and save a snapshot (see `hal resume`)")
def run(guest, isa, max_instructions, memory, input_file, stats, console_via, jobs, isolate,
        max_output, snapshot_file, snapshot_at):
    """Run a guest: an ELF path (ISA from its header), a C source, or a bundled guest's name.

    With one ISA the guest's output goes straight to stdout and hal exits with
    the guest's exit code; with --isa all (the default for bundled guests) the
    ISAs are shown side by side."""
    from . import build, memmap, runner
    from .errors import HalError
    try:
        mem = memmap.MemoryMap(memmap.parse_size(memory))
    except ValueError as e:
        raise HalError(str(e)) from None
    if (snapshot_at is None) != (snapshot_file is None):
        raise HalError("--snapshot-at and --snapshot go together")
    images = runner.resolve(guest, isa, build.CONSOLES[console_via], mem)
    stdin = input_file or (sys.stdin.buffer if not sys.stdin.isatty() else None)
    limits = dict(memory=mem, max_instructions=max_instructions, max_output=max_output)
    if len(images) == 1:
        if snapshot_at is not None:
            _run_to_snapshot(images[0], snapshot_at, snapshot_file, stdin, limits)
            return
        if isolate is None:
            isolate = images[0].path.suffix == ".elf" and not _built_by_hal(images[0].path)
        result = _run_one(images[0], stdin, isolate, limits)
        if stats:
            click.echo(f"{result.guest} on {result.isa}: {result.retired} instructions, "
                       f"{result.hal_calls} HAL calls", err=True)
        _finish(result)
        sys.exit(result.status)
    if snapshot_at is not None:
        raise HalError("--snapshot-at needs one ISA (--isa NAME)")
    from .parallel import default_jobs
    data = stdin.read() if stdin is not None else None
    results = runner.run_many(images, jobs=jobs or default_jobs(), stdin_data=data, **limits)
    from .report import side_by_side
    side_by_side(_console(), results)
    worst = max(results, key=lambda r: (r.fault is not None, r.status != 0))
    sys.exit(worst.status)


def _built_by_hal(path) -> bool:
    from . import paths
    return paths.cache_dir() in path.resolve().parents


def _run_one(image, stdin, isolate: bool, limits):
    """One guest, its output live on stdout; in a worker process if isolated."""
    from . import isolation, runner
    if not isolate:
        return runner.run(image, echo=sys.stdout.buffer, stdin=stdin, **limits)
    result, died = isolation.call_isolated(runner.run, image, echo=sys.stdout.buffer,
                                           stdin=stdin, **limits)
    if result is None:
        b = image.backend
        result = runner.RunResult(image.name, b.name, b"", 0, 0, None,
                                  isolation.crashed_fault(died), b.word_bytes * 2)
    return result


def _run_to_snapshot(image, at, path, stdin, limits) -> None:
    from . import runner, snapshot
    machine = runner.new_machine(image, echo=sys.stdout.buffer, stdin=stdin, **limits)
    result = runner.finish(machine, until=at)
    if result is not None:
        _finish(result)
        click.echo(f"hal: {result.guest} ended after {result.retired} instructions, "
                   f"before {at}: no snapshot taken", err=True)
        sys.exit(result.status)
    snapshot.save(machine, path)
    click.echo(f"hal: saved {machine.name} on {machine.backend.name} after {machine.retired} "
               f"instructions to {path} (continue with: hal resume {path})", err=True)


@cli.command()
@click.argument("snapshot_file", type=click.Path(dir_okay=False))
@click.option("--stats", is_flag=True, help="print the instruction count to stderr at the end")
def resume(snapshot_file, stats):
    """Continue a guest saved with `hal run ... --snapshot-at N --snapshot FILE`.

    It goes on to the same output and the same instruction count as a run
    that never stopped; only the output still to come is printed."""
    from . import runner, snapshot
    stdin = sys.stdin.buffer if not sys.stdin.isatty() else None
    machine = snapshot.load(snapshot_file, echo=sys.stdout.buffer, stdin=stdin)
    if machine.request is not None:
        runner.answer(machine)
    result = runner.finish(machine)
    if stats:
        click.echo(f"{result.guest} on {result.isa}: {result.retired} instructions, "
                   f"{result.hal_calls} HAL calls", err=True)
    _finish(result)
    sys.exit(result.status)


def _finish(result) -> None:
    if result.fault is not None:
        if result.output and not result.output.endswith(b"\n") and sys.stdout.isatty():
            click.echo()        # keep the error off the end of the guest's last line
        click.echo(f"hal: error: {result.error_line()}", err=True)
        if result.fault.registers:
            click.echo(f"  registers: {result.fault.register_dump(result.word_digits)}", err=True)


def main() -> None:
    """Entry point: click, with HalError turned into one clean line."""
    from .errors import HalError
    try:
        cli.main(standalone_mode=False)
    except HalError as e:
        click.echo(f"hal: error: {e}", err=True)
        sys.exit(e.exit_status)
    except click.exceptions.Abort:
        click.echo("hal: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # a bug of ours: still one line, unless asked for more
        if os.environ.get("HALEMU_DEBUG"):
            raise
        click.echo(f"hal: internal error: {type(e).__name__}: {e} (set HALEMU_DEBUG=1 for details)",
                   err=True)
        sys.exit(70)


def _register_subcommands() -> None:
    """Commands that live in their own modules."""
    from .cli_devices import devices
    cli.add_command(devices)
    from .cli_inspect import compare, disasm, trace
    from .cli_schedule import schedule
    for command in (schedule, compare, disasm, trace):
        cli.add_command(command)


_register_subcommands()

