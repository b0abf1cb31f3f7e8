"""`hal run` imports only what the run needs, so that it starts fast.

Start-up is the sum of what a command imports (bench/bench.py and
bench/libc.py time it; speed targets never go in tests).  These tests pin
the cause instead of the time: which modules a run loads, read from
`python -X importtime` (which also sees the isolated run's forked worker).
A module named here must stay off the run path: the other ISAs' backends,
capstone's Python binding (disassembly and inspection only), pyelftools
(symbols and DWARF only), a thread pool for one build, multiprocessing
for the isolated run's one worker, and the package metadata reader.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ISAS, LIBC_TESTS

# never imported by a plain `hal run` of one guest on one ISA
NEVER = ("capstone", "elftools", "concurrent.futures", "multiprocessing", "importlib.metadata",
         "email")


# `hal ARGS`, with the modules of this process written to a file at exit:
# -X importtime misses what importlib.import_module loads (the registry's
# backends), and sys.modules misses what the isolated run's worker loads
_HAL = """
import atexit, sys
out = sys.argv[1]
atexit.register(lambda: open(out, "w").write("\\n".join(sys.modules)))
sys.argv = ["hal", *sys.argv[2:]]
from hal.cli.main import main
main()
"""


def imported(tmp_path: Path, *args: str) -> set[str]:
    """Every module `hal ARGS` imports, in the process and its workers."""
    out = tmp_path / "modules.txt"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", _HAL, str(out), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-2000:]
    timed = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
             if line.startswith("import time:") and "|" in line} - {"imported package"}
    return timed | set(out.read_text().split())


def unwanted(modules: set[str], isa: str, also: tuple[str, ...] = ()) -> list[str]:
    others = tuple(f"hal.arch.{other}" for other in ISAS if other != isa)
    banned = NEVER + others + also
    return sorted(m for m in modules if any(m == b or m.startswith(b + ".") for b in banned))


def test_the_probe_sees_what_a_run_imports(tmp_path):
    """The check itself can fail: a run that disassembles imports capstone."""
    modules = imported(tmp_path, "disasm", "hello", "--isa", ISAS[0], "--function", "main")
    assert "capstone" in modules and f"hal.arch.{ISAS[0]}.backend" in modules


@pytest.mark.parametrize("isa", ISAS)
def test_a_hal_guest_run_imports_its_own_backend_alone(isa, tmp_path):
    modules = imported(tmp_path, "run", "hello", "--isa", isa, "--no-isolate")
    assert f"hal.arch.{isa}.backend" in modules
    others = tuple(f"hal.cli.{m}" for m in ("info", "inspect", "schedule", "classroom", "grade"))
    assert unwanted(modules, isa, also=("hal.personality", *others)) == []


@pytest.mark.parametrize("isa", ISAS)
def test_a_c_library_run_isolated_imports_its_own_backend_alone(isa, tmp_path):
    modules = imported(tmp_path, "run", str(LIBC_TESTS / "hello.c"), "--isa", isa)
    assert {f"hal.arch.{isa}.backend", "hal.personality.posix"} <= modules
    assert unwanted(modules, isa) == []


def test_each_isa_folder_holds_the_backend_of_its_name():
    """registry.get imports arch/<name>/ alone, so a folder's backend must
    carry the folder's name; and no two backends claim the same ELF files,
    since an ELF is matched against the backends loaded so far first."""
    from hal.core import registry
    for folder in registry.folders():
        assert registry.get(folder).name == folder
    kinds = [(b.elf_machine, b.bits, b.endian) for b in registry.backends()]
    assert len(set(kinds)) == len(kinds)


def test_the_compiler_version_is_the_installed_one():
    """zig.version reads the metadata folder's name; importlib.metadata agrees."""
    from importlib.metadata import version

    from hal.toolchain import zig
    assert zig.version() == version("ziglang")


def test_every_command_is_where_the_table_says():
    """`hal` imports a command's module when the command is used
    (hal/cli/main.py: COMMANDS), so every command must be in the table."""
    import importlib
    import pkgutil

    import click

    import hal.cli
    from hal.cli.main import COMMANDS, cli
    ctx = click.Context(cli)
    assert all(cli.get_command(ctx, name).name == name for name in COMMANDS)
    found = [obj for info in pkgutil.iter_modules(hal.cli.__path__)
             for obj in vars(importlib.import_module(f"hal.cli.{info.name}")).values()
             if isinstance(obj, click.Command) and obj is not cli]
    inner = {id(c) for g in found for c in getattr(g, "commands", {}).values()}
    assert {c.name for c in found if id(c) not in inner} == set(COMMANDS)


_COLLECTIONS = """
import gc, sys
runs = []
gc.callbacks.append(lambda phase, info: phase == "stop" and runs.append(info["generation"]))
default = gc.get_threshold()
sys.argv = ["hal", *sys.argv[1:]]
import hal.cli
deferred = gc.get_threshold()
before = len(runs)
from hal.cli.main import main
try:
    main()
except SystemExit:
    pass
during = len(runs) - before
gc.collect()
print(repr((default, deferred, during, gc.get_threshold())), file=sys.stderr)
"""


def test_start_up_is_not_walked_by_the_collector_and_then_python_s_thresholds_return():
    """hal/cli/__init__.py puts the first collection off until start-up is
    done: a whole C library run makes none, and the first collection puts
    Python's own thresholds back."""
    proc = subprocess.run([sys.executable, "-c", _COLLECTIONS, "run", str(LIBC_TESTS / "hello.c"),
                           "--isa", ISAS[0], "--no-isolate"],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0 and "Hello, world!" in proc.stdout, proc.stderr[-2000:]
    default, deferred, during, after = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
    assert deferred == (100_000, *default[1:])
    assert during == 0
    assert after == default
