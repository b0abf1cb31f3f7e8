"""The `hal` command line: one click group, whose commands live one module per
concern beside this one.  Only the module of the command given is imported,
and heavy modules are imported inside each command, so that start-up stays
fast; every expected failure becomes one line on stderr."""
from __future__ import annotations

import os
import sys

import click

# command -> the module beside this one that defines it (under the same name)
COMMANDS = {"isas": "info", "services": "info", "syscalls": "info", "guests": "info",
            "show": "info", "header": "info", "build": "run", "run": "run", "resume": "run",
            "devices": "devices", "schedule": "schedule", "compare": "inspect",
            "profile": "profile", "disasm": "inspect", "trace": "inspect", "setup": "setup",
            "exercise": "classroom", "tour": "classroom", "grade": "grade"}


class Commands(click.Group):
    """A group whose commands are imported when asked for: `hal run` imports
    run.py alone, not the modules (and option tables) of every command;
    `hal --help` lists them all, in click's own order."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx, name: str):
        import importlib
        module = COMMANDS.get(name)
        if module is None:
            return None
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="halemu")
def cli():
    """halemu: one C guest, four ISAs, one thin HAL.

    Build a guest with `hal build`, run it with `hal run`, and see every ISA
    with `hal isas`."""


def program() -> None:
    """The `hal` program itself (its console script and `python -m hal`):
    main(), then leave at once.  Python's own exit would spend some 30 to
    50 ms more tearing down the 250-odd modules a command imports (clearing
    each one's namespace, then a last garbage collection), work whose result
    nobody sees.  Everything an exit must still do is done first, in
    Python's order: threads that are not daemons are waited for, the exit
    handlers registered with atexit run (temporary folders, worker pools,
    Unicorn engines still open) and the standard streams are flushed.  Tests
    call main(), which returns or raises SystemExit as usual."""
    import atexit
    import threading
    try:
        main()
        status = 0
    except SystemExit as e:
        status = e.code
    if status is None:
        status = 0
    elif not isinstance(status, int):      # sys.exit("message"), as Python reports it
        print(status, file=sys.stderr)
        status = 1
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):   # a reader that went away, as main() treats it
            status = status or 1
    os._exit(status)


def main() -> None:
    """Entry point: click, with HalError turned into one clean line."""
    from ..core.interrupt import Interrupted
    from ..errors import HalError
    from ..safety import signals
    signals.install()
    try:
        cli.main(standalone_mode=False)
    except Interrupted as e:         # Ctrl-C: how far the guest got, in one line
        if sys.stderr.isatty():
            click.echo(err=True)     # off the terminal's ^C
        click.echo(f"hal: interrupted: {e}", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)                # now: tearing down the engines would take a while
    except HalError as e:
        click.echo(f"hal: error: {e}", err=True)
        sys.exit(e.exit_status)
    except click.exceptions.Abort:
        click.echo("hal: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as e:   # a bad option or argument: one line too
        message = " ".join(e.format_message().split())
        ctx = getattr(e, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        click.echo(f"hal: error: {message}{hint}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # a bug of ours: still one line, unless asked for more
        if os.environ.get("HALEMU_DEBUG"):
            raise
        click.echo(f"hal: internal error: {type(e).__name__}: {e} (set HALEMU_DEBUG=1 for details)",
                   err=True)
        sys.exit(70)
