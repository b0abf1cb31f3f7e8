"""Shared fixtures: every test that can runs on every registered ISA."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from hal.core import loader, registry
from hal.toolchain import build, guests


TESTS = Path(__file__).parent
TEST_GUESTS = TESTS / "guests"
ISAS = registry.names()
BUNDLED = guests.standalone()        # guests that run on their own
PARTNERED = [g for g in guests.names() if g not in BUNDLED]


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch):
    """Tests compare layouts made for a 120-column file; a COLUMNS from the
    shell would change every table, since hal honours it on purpose.  Some
    library in the test process sets COLUMNS=80 in the C environment behind
    os.environ's back (children saw it, os.environ did not), so it is set
    and deleted here, which unsets it for real."""
    monkeypatch.setenv("COLUMNS", "")
    monkeypatch.delenv("COLUMNS")


@pytest.fixture(params=ISAS)
def backend(request):
    return registry.get(request.param)


@lru_cache(maxsize=None)
def elf(guest: str, isa: str) -> Path:
    """A bundled guest's or a test guest's ELF, built once per session."""
    test_source = TEST_GUESTS / f"{guest}.c"
    source = test_source if test_source.is_file() else guests.source(guest)
    return build.build(source, registry.get(isa))


def image(guest: str, isa: str):
    return loader.load(elf(guest, isa))


LIBC_TESTS = TESTS / "libc"


def c_program(sources, isa: str, options=None, args=(), files=()):
    """A C library program built and loaded for one ISA, its personality attached."""
    from hal.toolchain import programs
    from hal.toolchain.options import DEFAULT
    return programs.resolve([str(s) for s in sources] if isinstance(sources, (list, tuple))
                            else str(sources), isa, (), None, options or DEFAULT,
                            tuple(args), tuple(files))[0]
