"""What every `hal` command shares: the rich console, option help texts, and
how a finished run is reported (one line on stderr for a fault)."""
from __future__ import annotations

import sys

import click

from ..core.limits import MAX_COUNT

ISA_HELP = "an ISA name (see `hal isas`), several separated by commas, or 'all'"

GDB_HELP = ("wait for GDB on this port (127.0.0.1 unless HOST is named) and serve the GDB "
            "remote protocol, reverse execution included; prints the gdb-multiarch command")
GDB_WAIT_HELP = "with --gdb: when GDB disconnects, keep the guest and wait for a new connection"

LIMIT_HELP = ("stop a guest that retires more instructions than this "
              "[default 1,000,000,000; 0: no limit]")


def count(least: int = 1) -> click.IntRange:
    """An option's count (instructions, ticks, bytes): `least` to MAX_COUNT,
    so nothing at or above 2^64 can wrap in the native counter."""
    return click.IntRange(min=least, max=MAX_COUNT)

CONSOLE_HELP = ("how the console helpers write: 'trap' (the hal_write service) or 'uart' "
                "(the UART device; builds a -DHAL_CONSOLE_UART variant)")


def console(stderr: bool = False):
    """Rich output; 120 columns when not on a terminal, so files and tests see
    the same layout every time (hal.render.terminal.console)."""
    from ..render.terminal import console as make
    return make(stderr)


INPUT_HELP = "file the guest reads as console input [default: stdin, unless it is a terminal]"


def input_or_stdin(input_file):
    """Console input, the same for every command: --input FILE, else stdin
    when it is a pipe or a file (never a terminal: that would wait for typing),
    as a stream of its own on a copy of the descriptor, which a worker process
    can still read (multiprocessing closes sys.stdin in the workers it starts)."""
    import os
    if input_file is not None:
        return input_file
    if sys.stdin is None or sys.stdin.isatty():
        return None
    try:
        return open(os.dup(sys.stdin.fileno()), "rb")
    except (OSError, ValueError):          # no descriptor behind it
        return sys.stdin.buffer


def report_end(result) -> None:
    if result.fault is not None:
        if result.output and not result.output.endswith(b"\n") and sys.stdout.isatty():
            click.echo()        # keep the error off the end of the guest's last line
        click.echo(f"hal: error: {result.error_line()}", err=True)
        if result.fault.registers:
            click.echo(f"  registers: {result.fault.register_dump(result.word_digits)}", err=True)
        if result.fault.fpu:
            click.echo(f"  fpu: {result.fault.fpu_dump()}", err=True)


def check_output(option: str, path) -> None:
    """Refuse an output file that cannot be written before the run, not after it."""
    import os
    from pathlib import Path

    from ..errors import HalError
    if path is None:
        return
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise HalError(f"{option} {path}: no such directory {folder}")
    if p.is_dir():
        raise HalError(f"{option} {path}: is a directory")
    if not os.access(folder, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise HalError(f"{option} {path}: cannot write there (permission denied)")


def write_file(path: str, data: str | bytes) -> None:
    """Write a report file (text, or bytes for a PNG); a path we cannot write
    is bad input, in one line."""
    from ..errors import HalError
    try:
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
    except OSError as e:
        raise HalError(f"{path}: cannot write: {e.strerror}") from None


def build_options(command):
    """The compiler options `hal build` and `hal run` share (hal/toolchain/options.py)."""
    for decorator in reversed((
        click.option("-I", "includes", multiple=True, metavar="DIR",
                     help="a folder of headers (searched before the SDK's)"),
        click.option("-D", "defines", multiple=True, metavar="NAME[=VALUE]",
                     help="define a macro, as the C compiler does"),
        click.option("-O", "optimize", type=click.Choice(["0", "1", "2", "3", "s"]),
                     default="2", show_default=True, help="optimisation: -O0 .. -O3, -Os"),
        click.option("-l", "libraries", multiple=True, metavar="m",
                     help="-l m: the math library (part of the C library)"),
        click.option("--libc/--no-libc", "libc", default=None,
                     help="link the C library (musl), or build with the HAL SDK alone "
                          "[default: the C library if a source includes one of its headers]"),
    )):
        command = decorator(command)
    return command


def make_options(includes, defines, optimize, libraries, libc):
    from ..api.options import compiler
    return compiler(includes, defines, optimize, libraries, libc)


class WithGuestArgs(click.Command):
    """A command whose arguments after `--` belong to the guest: its argv[1:]."""

    def parse_args(self, ctx, args):
        if "--" in args:
            cut = args.index("--")
            ctx.meta["guest_args"] = tuple(args[cut + 1:])
            args = args[:cut]
        return super().parse_args(ctx, args)


def say_written(*groups: tuple[str, list]) -> None:
    """Say on stderr which files were written and what each holds, so that no
    file appears under a name the user did not give without a word."""
    said = [f"{', '.join(map(str, files))} ({what})" for what, files in groups if files]
    if said:
        click.echo("hal: wrote " + "; ".join(said), err=True)
