"""The teacher's test specification, tests.toml, read and checked in full
before anything is built or run: a typo is one line naming the test and the
key, never a half-graded class.

    [defaults]                      # optional; what every test has unless it says otherwise
    isas = "all"                    # or ["x86", "ppc"], or "mips,alpha"
    max_instructions = 10_000_000   # a runaway stops here   (default 100,000,000)
    max_output = 65536              # console bytes allowed   (default 64 KiB)
    memory = "1M"                   # guest RAM               (default 1M)
    points = 1                      # earned on each ISA where the test passes (default 1)

    [[test]]
    name = "sum"                    # letters, digits, '-' and '_'; unique
    stdin = "1 2 3\\n"               # or stdin_file = "inputs/sum.txt" (beside tests.toml)
    stdout = "6\\n"                  # exact, byte for byte; or stdout_file = "expected/sum.out"
    # stdout_regex = '6\\s*'         # or a Python regular expression the whole output must match
    exit_code = 0                   # optional: the exit status required as well
    points = 2

Points are earned per ISA: a test worth 2 on four ISAs is worth 8 in all, so
a program that is right on little-endian machines only loses what its
big-endian runs would have earned.  Points are decimals (0.5 is exact).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..core import registry
from ..core.memmap import MemoryMap, parse_size
from ..errors import HalError

DEFAULTS = {"max_instructions": 100_000_000, "max_output": 64 << 10, "memory": "1M",
            "points": 1, "isas": "all"}
MAX_INSTRUCTIONS = 10**12            # about two hours of one core: beyond it, a typo
MAX_OUTPUT = 64 << 20
MAX_INPUT = 64 << 20
MAX_TESTS = 1000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_SETTINGS = ("isas", "max_instructions", "max_output", "memory", "points", "exit_code")
_TEST_KEYS = ("name", "stdin", "stdin_file", "stdout", "stdout_file", "stdout_regex",
              *_SETTINGS)


@dataclass(frozen=True)
class Test:
    """One test: run the program with `stdin`, on each of `isas`, and compare."""
    name: str
    stdin: bytes
    stdout: bytes | None            # exact expected output, or None when a regex decides
    stdout_regex: str | None
    exit_code: int | None           # None: any exit status (a fault still fails)
    isas: tuple[str, ...]
    max_instructions: int
    max_output: int
    memory: int                     # bytes of guest RAM
    points: Decimal                 # earned on each ISA where it passes

    @property
    def expectation(self) -> str:
        """What the test asks for, in words (for reports)."""
        what = "output matching /" + self.stdout_regex + "/" if self.stdout_regex is not None \
            else f"exactly {len(self.stdout or b''):,} bytes of expected output"
        return what + ("" if self.exit_code is None else f", exit status {self.exit_code}")

    def passes(self, output: bytes, exit_code: int | None) -> bool:
        if self.exit_code is not None and exit_code != self.exit_code:
            return False
        if self.stdout_regex is not None:
            text = output.decode("utf-8", errors="replace")
            return re.fullmatch(self.stdout_regex, text) is not None
        return output == self.stdout


@dataclass(frozen=True)
class Spec:
    path: Path
    tests: tuple[Test, ...]

    @property
    def isas(self) -> tuple[str, ...]:
        """Every ISA some test runs on, in `hal isas` order."""
        used = {isa for t in self.tests for isa in t.isas}
        return tuple(n for n in registry.names() if n in used)

    @property
    def max_points(self) -> Decimal:
        return sum((t.points * len(t.isas) for t in self.tests), Decimal(0))

    def columns(self) -> list[tuple[Test, str]]:
        """(test, ISA) in gradebook order: tests as written, ISAs in `hal isas` order."""
        return [(t, isa) for t in self.tests for isa in t.isas]


def load(path: str | Path) -> Spec:
    """Read and check tests.toml; HalError names the first problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise HalError(f"{path}: no such test specification") from None
    except OSError as e:
        raise HalError(f"{path}: cannot read: {e.strerror}") from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise HalError(f"{path}: not valid TOML: {e}") from None
    return parse(doc, path)


def parse(doc: dict, path: Path) -> Spec:
    def fail(msg: str):
        raise HalError(f"{path}: {msg}")

    unknown = sorted(set(doc) - {"defaults", "test"})
    if unknown:
        fail(f"unknown section '{unknown[0]}' (a spec has [defaults] and [[test]] tables)")
    defaults = doc.get("defaults", {})
    if not isinstance(defaults, dict):
        fail("[defaults] must be a table")
    for key in sorted(set(defaults) - set(_SETTINGS)):
        fail(f"[defaults]: unknown key '{key}' (known: {', '.join(_SETTINGS)})")
    tests = doc.get("test")
    if not isinstance(tests, list) or not tests:
        fail("no tests: add at least one [[test]] table")
    if len(tests) > MAX_TESTS:
        fail(f"{len(tests)} tests is more than {MAX_TESTS}")
    settings = {**DEFAULTS, **defaults}
    seen: set[str] = set()
    out = []
    for i, table in enumerate(tests, 1):
        if not isinstance(table, dict):
            fail(f"test {i} must be a table ([[test]])")
        t = _test(table, settings, path, f"test {i}")
        if t.name in seen:
            fail(f"test '{t.name}' is named twice")
        seen.add(t.name)
        out.append(t)
    return Spec(path, tuple(out))


def _test(table: dict, settings: dict, path: Path, where: str) -> Test:
    def fail(msg: str):
        raise HalError(f"{path}: {where}: {msg}")

    name = table.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        fail("needs a name of letters, digits, '-' and '_' (at most 64), e.g. name = \"sum\"")
    where = f"test '{name}'"
    for key in table:
        if key not in _TEST_KEYS:
            fail(f"unknown key '{key}' (known: {', '.join(_TEST_KEYS)})")
    s = {**settings, **{k: table[k] for k in _SETTINGS if k in table}}
    stdin = _text_or_file(table, "stdin", path, fail) or b""
    expected = _text_or_file(table, "stdout", path, fail)
    regex = table.get("stdout_regex")
    if (expected is None) == (regex is None):
        fail("give exactly one of stdout, stdout_file and stdout_regex")
    if regex is not None:
        if not isinstance(regex, str):
            fail("stdout_regex must be a string")
        try:
            re.compile(regex)
        except re.error as e:
            fail(f"stdout_regex is not a regular expression: {e}")
    exit_code = s.get("exit_code")
    if exit_code is not None and (isinstance(exit_code, bool) or not isinstance(exit_code, int)
                                  or not 0 <= exit_code <= 255):
        fail("exit_code must be an integer from 0 to 255")
    return Test(name=name, stdin=stdin, stdout=expected, stdout_regex=regex,
                exit_code=exit_code, isas=_isas(s["isas"], fail),
                max_instructions=_integer(s, "max_instructions", 1, MAX_INSTRUCTIONS, fail),
                max_output=_integer(s, "max_output", 0, MAX_OUTPUT, fail),
                memory=_memory(s["memory"], fail), points=_points(s["points"], fail))


def _text_or_file(table: dict, key: str, path: Path, fail) -> bytes | None:
    text, file = table.get(key), table.get(f"{key}_file")
    if text is not None and file is not None:
        fail(f"give {key} or {key}_file, not both")
    if text is not None:
        if not isinstance(text, str):
            fail(f"{key} must be a string")
        return text.encode("utf-8")
    if file is None:
        return None
    if not isinstance(file, str):
        fail(f"{key}_file must be a path")
    target = path.parent / file
    try:
        if target.stat().st_size > MAX_INPUT:
            fail(f"{key}_file {file}: larger than {MAX_INPUT >> 20} MiB")
        return target.read_bytes()
    except OSError as e:
        fail(f"{key}_file {file}: cannot read: {e.strerror}")
    return None     # unreachable: fail raises


def _isas(value, fail) -> tuple[str, ...]:
    if value == "all":
        return tuple(registry.names())
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        fail("isas must be \"all\", a list of ISA names, or names separated by commas")
    wanted = {n.strip() for n in names if n.strip()}
    if not wanted:
        fail("isas names no ISA")
    for n in sorted(wanted):
        if n not in registry.names():
            fail(f"unknown ISA '{n}' (choose from {', '.join(registry.names())})")
    return tuple(n for n in registry.names() if n in wanted)


def _integer(s: dict, key: str, least: int, most: int, fail) -> int:
    value = s[key]
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        fail(f"{key} must be an integer from {least:,} to {most:,}, not {value!r}")
    return value


def _memory(value, fail) -> int:
    try:
        return MemoryMap(parse_size(str(value))).size
    except ValueError as e:
        fail(f"memory: {e}")
    return 0        # unreachable


def _points(value, fail) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"points must be a number, not {value!r}")
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        fail(f"points must be a number, not {value!r}")
    if not points.is_finite() or points < 0 or points > 10**6:
        fail(f"points must be from 0 to 1,000,000, not {value!r}")
    return points
