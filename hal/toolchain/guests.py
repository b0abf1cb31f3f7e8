"""The bundled guest programs in guests/*.c, found by name."""
from __future__ import annotations

from pathlib import Path

from .. import paths
from ..errors import HalError


def names() -> list[str]:
    return sorted(p.stem for p in paths.GUESTS.glob("*.c"))


def source(name: str) -> Path:
    path = paths.GUESTS / f"{name}.c"
    if not path.is_file():
        raise HalError(f"no such file or bundled guest '{name}' (bundled: {', '.join(names())})")
    return path


def description(name: str) -> str:
    """What a bundled guest is for: its opening comment, without its name
    ("fib: ...") or its workload tag, as one paragraph."""
    import re
    text = source(name).read_text()
    found = re.match(r"\s*/\*(.*?)\*/", text, re.S)
    if not found:
        return ""
    words = " ".join(line.strip().lstrip("*").strip() for line in found.group(1).splitlines())
    words = re.sub(rf"^{re.escape(name)}:\s*", "", " ".join(words.split()))
    words = re.sub(r"\s*workload:\s*\w+\.?", "", words).strip()
    return words[:1].upper() + words[1:]


def partner_workload(name: str) -> str | None:
    """Guests that talk to other guests name their workload in their opening
    comment ("workload: pipeline"); they cannot run alone."""
    import re
    head = source(name).read_text()[:600]
    found = re.search(r"workload:\s*(\w+)", head)
    return found.group(1) if found else None


def standalone() -> list[str]:
    """The bundled guests that run on their own."""
    return [n for n in names() if partner_workload(n) is None]


def expected_input(name: str) -> bytes | None:
    """The fixed input a guest that reads (wc, sum, echo) is tested with: '<name>.in'."""
    f = paths.EXPECTED / f"{name}.in"
    return f.read_bytes() if f.is_file() else None


def expected_output(name: str, endian: str, isa: str | None = None) -> str | None:
    """The exact output a bundled guest must print: '<name>.<isa>.out' for a
    guest whose output depends on the ISA itself (excess: only x86 has an
    x87), else '<name>.<endian>.out' for one that depends on byte order
    (endian), else '<name>.out'."""
    mine = [paths.EXPECTED / f"{name}.{isa}.out"] if isa else []
    for f in (*mine, paths.EXPECTED / f"{name}.{endian}.out", paths.EXPECTED / f"{name}.out"):
        if f.is_file():
            return f.read_text()
    return None
