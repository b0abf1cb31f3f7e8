"""`hal compare`: one guest on several ISAs, as numbers a student can compare.

Static numbers come from the ELF (.text bytes, instructions in its functions);
dynamic ones from one ordinary run per ISA, whose block counts give the mix
(hal/inspection/mix.py), so retired instructions are exactly those of `hal run`.
Each instruction is also labelled with whose code it is (origins.py), so the
same run gives the user's own code's numbers apart from start-up, the SDK,
the C library and the compiler runtime (`--user-only` shows only those), and
each row says how its ELF was built (the compiler, its version, the flags).

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
        "output_matches_all": bool,
        "by_category": {category: int, ...},   # retired per owner (hal.profile's categories:
                                       # user, startup, sdk, libc, runtime, other); adds up to retired
        "user": {"text_bytes": int,    # the user's own code alone: bytes of its instructions,
                 "static_instructions": int, "retired": int,
                 "mix": {class: int, ...}},     # adds up to user.retired
        "build": {"compiler", "version", "producer", "opt", "flags"}}, ...],
     "user_only": bool}                # the table showed the user's code alone (--user-only)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.runner import output_groups
from .mix import CLASSES
from .origins import CATEGORIES

SCHEMA = "halemu.compare/1"


@dataclass(frozen=True)
class Code:
    """Numbers for a part of the program (the user's own code)."""
    text_bytes: int
    static_instructions: int
    retired: int
    mix: dict[str, int]

    @property
    def memory_share(self) -> float:
        return (self.mix["loads"] + self.mix["stores"]) / self.retired if self.retired else 0.0


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
    by_category: dict[str, int] = field(default_factory=dict)
    user: Code | None = None
    build: dict = field(default_factory=dict, repr=False)

    @property
    def memory_share(self) -> float:
        return (self.mix["loads"] + self.mix["stores"]) / self.retired if self.retired else 0.0


def measure(image, *, stdin: bytes | None = None, max_instructions: int | None = None) -> Row:
    """Run one image to its end, counting its mix per owner, and read its static numbers."""
    from ..toolchain import provenance
    from . import drive
    from .blocks import weigh
    from .disasm import static_count
    from .mix import INDEX, Classifier
    from .origins import Origins
    from .symbols import Program

    machine = drive.machine(image, stdin=stdin, max_instructions=max_instructions)
    drive.to_end(machine)
    program = Program(image)
    try:
        origins = Origins(program)
        classify, sizer = Classifier(image.backend).block, machine.counter.sizer

        def label(address: int, code: bytes):
            owners = origins.owners(sizer.starts(code, address))
            return [(cls, o.category) for cls, o in zip(classify(code, address), owners)]

        counts = weigh(machine, label)
        text, static = len(program.text), static_count(program)
        user_bytes, user_static = _user_static(program, origins)
    finally:
        program.close()
        machine.close()          # its engine now, not when the collector gets to it
    mix = {c: sum(n for (k, _), n in counts.items() if k == INDEX[c]) for c in CLASSES}
    user_mix = {c: counts[INDEX[c], "user"] for c in CLASSES}
    categories = dict.fromkeys(CATEGORIES, 0)
    for (_, cat), n in counts.items():
        categories[cat] += n
    b = image.backend
    return Row(b.name, b.bits, b.endian, text, static, machine.retired, mix, machine.hal_calls,
               machine.exit_code, machine.fault.summary() if machine.fault else None,
               machine.console.output, categories,
               Code(user_bytes, user_static, sum(user_mix.values()), user_mix),
               provenance.of(image.path))


def _user_static(program, origins) -> tuple[int, int]:
    """Bytes and instructions of the user's own code, instruction by instruction
    (code inlined from an SDK header into a user's function is the SDK's)."""
    from .disasm import disassembler
    md = disassembler(program.backend)
    size = count = 0
    for f in program.functions:
        insns = [(a, n) for a, n, mnemonic, _ in md.disasm_lite(program.code(f), f.start)
                 if mnemonic != ".byte"]
        for (_, n), owner in zip(insns, origins.owners([a for a, _ in insns])):
            if owner.category == "user":
                size += n
                count += 1
    return size, count


@dataclass(frozen=True)
class Comparison:
    guest: str
    rows: list[Row]
    user_only: bool = False             # tables show the user's own code alone

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
                      "output_matches_all": all(o.output == r.output for o in self.rows),
                      "by_category": dict(r.by_category),
                      "user": None if r.user is None else {
                          "text_bytes": r.user.text_bytes,
                          "static_instructions": r.user.static_instructions,
                          "retired": r.user.retired, "mix": dict(r.user.mix)},
                      "build": r.build}
                     for r in self.rows],
            "user_only": self.user_only}


def compare(guest: str, images, jobs: int = 1, user_only: bool = False, **options) -> Comparison:
    """Measure each image, on up to `jobs` host processes."""
    from ..safety.parallel import map_items
    return Comparison(guest, map_items(measure, list(images), jobs, **options), user_only)
