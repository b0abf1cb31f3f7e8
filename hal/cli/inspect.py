"""The inspection commands: `hal compare`, `hal disasm`, `hal trace`.

Kept apart from hal/cli/main.py, which registers them; heavy modules are imported
inside each command so that `hal run` starts as fast as before."""
from __future__ import annotations

import sys

import click

ISAS_HELP = "an ISA name, several separated by commas, or 'all'"


def _images(guest: str, isa: str | None):
    """Loaded images for `guest` on the ISAs asked for, in `hal isas` order."""
    from ..toolchain.programs import resolve
    if isa is None or isa == "all" or "," not in isa:
        return resolve(guest, isa)
    return [img for name in isa.split(",") for img in resolve(guest, name.strip())]


def _input(input_file) -> bytes | None:
    return input_file.read() if input_file is not None else None


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
    from ..inspection.compare import compare as run_compare
    from ..render import svg, terminal, text
    images = _images(guest, isa)
    from ..safety.parallel import default_jobs
    c = run_compare(images[0].name, images, jobs=jobs or default_jobs(), stdin=_input(input_file),
                    max_instructions=max_instructions)
    if fmt == "table":
        from .common import console
        terminal.print_table(console(), c)
    else:
        rendered = {"json": text.to_json, "csv": text.to_csv, "markdown": text.to_markdown}[fmt](c)
        click.echo(rendered, nl=False)
    if svg_file:
        from pathlib import Path

        from ..errors import HalError
        try:
            Path(svg_file).write_text(svg.mix_chart(c))
        except OSError as e:
            raise HalError(f"{svg_file}: cannot write: {e.strerror}") from None
    faulted = [r for r in c.rows if r.fault]
    for r in faulted:
        click.echo(f"hal: error: {c.guest} on {r.isa}: {r.fault} after {r.retired} instructions",
                   err=True)
    if faulted:
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
    from ..inspection.disasm import listing
    from ..inspection.symbols import Program, SourceCache
    sources = SourceCache()
    blocks = []
    for img in _images(guest, isa):
        program = Program(img)
        try:
            blocks.append(listing(program, program.function(function), source=source,
                                  sources=sources))
        finally:
            program.close()
    click.echo("\n\n".join("\n".join(b) for b in blocks))


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
def trace(guest, isa, limit, function, fmt, input_file):
    """Trace a guest instruction by instruction: address, disassembly, and the
    registers each instruction changed (values after it)."""
    import json

    from ..errors import GuestError, HalError
    from ..inspection.trace import trace as run_trace
    images = _images(guest, isa)
    if len(images) != 1:
        raise HalError("hal trace follows one ISA: give --isa NAME")
    t = run_trace(images[0], limit=limit, function=function, stdin=_input(input_file))
    if fmt == "json":
        click.echo(json.dumps(t.to_dict(), indent=2))
    else:
        click.echo("\n".join(t.lines()))
    if t.fault:
        click.echo(f"hal: error: {t.guest} on {t.isa}: {t.fault}", err=True)
        sys.exit(GuestError.exit_status)
