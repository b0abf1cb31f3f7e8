"""`hal compare`: one guest on several ISAs, as numbers a student can compare.

Static numbers come from the ELF (.text bytes, instructions in its functions);
dynamic ones from one ordinary run per ISA, whose block counts give the mix
(hal/inspection/mix.py), so retired instructions are exactly those of `hal run`.

JSON schema (`--format json`, "schema": "halemu.compare/1"; Comparison.to_dict()):

    {"schema": "halemu.compare/1",
     "guest": str,
     "classes": [str, ...],            # the mix classes, in order (hal.mix.CLASSES)
     "identical_output": bool,         # every ISA printed the same bytes
     "isas": [{
        "isa": str, "bits": 32|64, "endian": "little"|"big",
        "text_bytes": int,             # size of .text
        "static_instructions": int,    # instructions in .text
        "retired": int,                # exact dynamic count, as `hal run`
        "mix": {class: int, ...},      # adds up to retired
        "memory_share": float,         # (loads + stores) / retired, 0..1
        "hal_calls": int,
        "exit_code": int | null,       # null when the guest faulted
        "fault": str | null,           # the fault, in words
        "output_group": str,           # "A", "B", ...: ISAs with the same letter printed the same
        "output_matches_all": bool}, ...]}
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.runner import output_groups
from .mix import CLASSES
from .mix import count as count_mix

SCHEMA = "halemu.compare/1"


@dataclass(frozen=True)
class Row:
    """One ISA's numbers."""
    isa: str
    bits: int
    endian: str
    text_bytes: int
    static_instructions: int
    retired: int
    mix: dict[str, int]
    hal_calls: int
    exit_code: int | None
    fault: str | None
    output: bytes = field(repr=False)

    @property
    def memory_share(self) -> float:
        return (self.mix["loads"] + self.mix["stores"]) / self.retired if self.retired else 0.0


def measure(image, *, stdin: bytes | None = None, max_instructions: int | None = None) -> Row:
    """Run one image to its end, counting its mix, and read its static numbers."""
    from . import drive
    from .disasm import static_count
    from .symbols import Program

    machine = drive.machine(image, stdin=stdin, max_instructions=max_instructions)
    drive.to_end(machine)
    counts = count_mix(machine)
    program = Program(image)
    try:
        text, static = len(program.text), static_count(program)
    finally:
        program.close()
    b = image.backend
    return Row(b.name, b.bits, b.endian, text, static, machine.retired, counts, machine.hal_calls,
               machine.exit_code, machine.fault.summary() if machine.fault else None,
               machine.console.output)


@dataclass(frozen=True)
class Comparison:
    guest: str
    rows: list[Row]

    @property
    def groups(self) -> dict[str, str]:
        """ISA -> output letter."""
        return {isa: chr(ord("A") + i)
                for i, (_, isas) in enumerate(output_groups(self.rows)) for isa in isas}

    @property
    def identical_output(self) -> bool:
        return len({r.output for r in self.rows}) == 1

    def to_dict(self) -> dict:
        groups = self.groups
        return {
            "schema": SCHEMA, "guest": self.guest, "classes": list(CLASSES),
            "identical_output": self.identical_output,
            "isas": [{"isa": r.isa, "bits": r.bits, "endian": r.endian,
                      "text_bytes": r.text_bytes, "static_instructions": r.static_instructions,
                      "retired": r.retired, "mix": dict(r.mix),
                      "memory_share": round(r.memory_share, 4), "hal_calls": r.hal_calls,
                      "exit_code": r.exit_code, "fault": r.fault,
                      "output_group": groups[r.isa],
                      "output_matches_all": all(o.output == r.output for o in self.rows)}
                     for r in self.rows]}


def compare(guest: str, images, jobs: int = 1, **options) -> Comparison:
    """Measure each image, on up to `jobs` host processes."""
    from ..safety.parallel import map_items
    return Comparison(guest, map_items(measure, list(images), jobs, **options))
