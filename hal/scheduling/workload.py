"""Workloads: which guests to schedule, and how, from the command line or a TOML file.

On the command line a guest is `program@isa`, optionally with settings:
`fib@mips:weight=2,limit=0.5` (program is a bundled guest, a .c file or an
.elf file; an ELF needs no @isa).  A workload file says the same in TOML:

    [schedule]              # all optional
    cores = 2
    quantum = 10000
    switch_cost = 50
    policy = "rr"
    compare = "pinned:8,rr:2"

    [[guest]]
    program = "fib"
    isa = "mips"
    weight = 2              # shares
    reservation = 0.25      # fraction of one core
    limit = 0.5             # fraction of one core
    arg = 3                 # what hal_arg() returns
    count = 2               # this many copies
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.limits import (MAX_CHANNEL_CAPACITY, MAX_CORES, MAX_COUNT, MAX_WEIGHT, MIN_FRACTION,
                           fraction_ok, weight_ok)
from ..errors import HalError

GUEST_KEYS = {"program": str, "isa": str, "weight": (int, float), "reservation": (int, float),
              "limit": (int, float), "arg": int, "count": int}
SCHEDULE_KEYS = {"cores": int, "quantum": int, "switch_cost": int, "policy": str,
                 "compare": str, "channel_capacity": int, "max_instructions": int}
# The ranges of the numbers in [schedule] (first, last): nothing may wrap in
# the native counter, and a channel holds at least one value
SCHEDULE_RANGES = {"cores": (1, MAX_CORES), "quantum": (1, MAX_COUNT), "switch_cost": (0, MAX_COUNT),
                   "channel_capacity": (1, MAX_CHANNEL_CAPACITY), "max_instructions": (0, MAX_COUNT)}
MAX_WORKLOAD_BYTES = 1 << 20
MAX_ARG = (1 << 64) - 1         # hal_arg() is one machine word: checked per ISA in resolve()


class WorkloadError(HalError):
    pass


@dataclass
class GuestSpec:
    program: str
    isa: str | None = None
    weight: float = 1.0
    reservation: float = 0.0
    limit: float | None = None
    arg: int = 0

    @property
    def label(self) -> str:
        stem = Path(self.program).stem if self.program.endswith((".c", ".elf")) else self.program
        return f"{stem}@{self.isa}" if self.isa else stem


@dataclass
class Workload:
    guests: list[GuestSpec]
    settings: dict = field(default_factory=dict)


def _check(where: str, key: str, value, kinds) -> None:
    if isinstance(value, bool) or not isinstance(value, kinds):
        want = kinds.__name__ if isinstance(kinds, type) else "a number"
        raise WorkloadError(f"{where}: '{key}' must be {want}, not {value!r}")


def _validate_guest(where: str, spec: GuestSpec) -> GuestSpec:
    if not weight_ok(spec.weight):
        raise WorkloadError(f"{where}: 'weight' must be a number from {MIN_FRACTION} to "
                            f"{MAX_WEIGHT:,}, not {spec.weight}")
    if spec.reservation != 0 and not fraction_ok(spec.reservation):
        raise WorkloadError(f"{where}: 'reservation' is a fraction of one core, 0 or "
                            f"{MIN_FRACTION} to 1, not {spec.reservation}")
    if spec.limit is not None and not fraction_ok(spec.limit):
        raise WorkloadError(f"{where}: 'limit' is a fraction of one core, {MIN_FRACTION} to 1, "
                            f"not {spec.limit}")
    if not -(1 << 63) <= spec.arg <= MAX_ARG:
        raise WorkloadError(f"{where}: 'arg' {spec.arg} does not fit a machine word")
    if spec.limit is not None and spec.reservation > spec.limit:
        raise WorkloadError(f"{where}: 'reservation' {spec.reservation} exceeds 'limit' {spec.limit}")
    return spec


def parse_spec(text: str) -> GuestSpec:
    """'fib@mips:weight=2,arg=3' -> GuestSpec."""
    head, _, opts = text.partition(":")
    program, _, isa = head.partition("@")
    if not program:
        raise WorkloadError(f"guest '{text}': no program (write program@isa)")
    spec = GuestSpec(program, isa.lower() or None)       # ISA names in any case
    for item in filter(None, opts.split(",")):
        key, eq, value = item.partition("=")
        if key not in GUEST_KEYS or key in ("program", "isa", "count"):
            raise WorkloadError(f"guest '{text}': unknown setting '{key}' "
                                f"(use weight, reservation, limit or arg)")
        try:
            number = int(value) if key == "arg" else float(value)
        except ValueError:
            raise WorkloadError(f"guest '{text}': '{key}' needs a number, not '{value}'") from None
        if not eq:
            raise WorkloadError(f"guest '{text}': write {key}=VALUE")
        setattr(spec, key, number)
    return _validate_guest(f"guest '{text}'", spec)


def load(path: str | Path) -> Workload:
    from ..paths import read_file
    path = Path(path)
    blob = read_file(path, MAX_WORKLOAD_BYTES, WorkloadError, "a workload file")
    try:
        data = tomllib.loads(blob.decode())
    except UnicodeDecodeError as e:
        raise WorkloadError(f"{path}: cannot read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise WorkloadError(f"{path}: not valid TOML: {e}") from None
    except RecursionError:
        raise WorkloadError(f"{path}: not valid TOML: nested too deeply") from None
    unknown = set(data) - {"schedule", "guest"}
    if unknown:
        raise WorkloadError(f"{path}: unknown table '{sorted(unknown)[0]}' (use [schedule] and [[guest]])")
    settings = data.get("schedule", {})
    if not isinstance(settings, dict):
        raise WorkloadError(f"{path}: 'schedule' must be a table")
    for key, value in settings.items():
        if key not in SCHEDULE_KEYS:
            raise WorkloadError(f"{path}: [schedule] has unknown key '{key}' "
                                f"(known: {', '.join(SCHEDULE_KEYS)})")
        _check(f"{path}: [schedule]", key, value, SCHEDULE_KEYS[key])
        if key in SCHEDULE_RANGES:
            first, last = SCHEDULE_RANGES[key]
            if not first <= value <= last:
                raise WorkloadError(f"{path}: [schedule] '{key}' must be {first} to {last:,}, "
                                    f"not {value}")
    entries = data.get("guest", [])
    if not isinstance(entries, list) or not entries:
        raise WorkloadError(f"{path}: no [[guest]] entries")
    guests = []
    for i, entry in enumerate(entries, 1):
        where = f"{path}: guest {i}"
        if not isinstance(entry, dict):
            raise WorkloadError(f"{where}: must be a table")
        for key, value in entry.items():
            if key not in GUEST_KEYS:
                raise WorkloadError(f"{where}: unknown key '{key}' (known: {', '.join(GUEST_KEYS)})")
            _check(where, key, value, GUEST_KEYS[key])
        if "program" not in entry:
            raise WorkloadError(f"{where}: missing 'program'")
        count = entry.get("count", 1)
        if not 1 <= count <= 1024:
            raise WorkloadError(f"{where}: 'count' must be 1 to 1024, not {count}")
        isa = entry["isa"].lower() if "isa" in entry else None    # ISA names in any case
        spec = GuestSpec(entry["program"], isa, float(entry.get("weight", 1)),
                         float(entry.get("reservation", 0)),
                         None if "limit" not in entry else float(entry["limit"]), entry.get("arg", 0))
        guests += [_validate_guest(where, spec)] * count
    return Workload(guests, settings)


def parse_compare(text: str, default_cores: int) -> list[tuple[str, int]]:
    """'pinned:4,rr:2' -> [("pinned", 4), ("rr", 2)]; a policy without :N uses default_cores."""
    out = []
    for item in filter(None, (t.strip() for t in text.split(","))):
        name, _, n = item.partition(":")
        try:
            cores = int(n) if n else default_cores
        except ValueError:
            raise WorkloadError(f"--compare: '{item}' should be POLICY or POLICY:CORES") from None
        out.append((name, cores))
    if not out:
        raise WorkloadError("--compare needs at least one policy")
    return out


def resolve(specs: list[GuestSpec]):
    """Build and load each guest once per (program, ISA); give every guest a unique label."""
    from ..toolchain.programs import resolve as resolve_program
    from .state import GuestConfig

    images: dict[tuple[str, str | None], object] = {}
    configs, seen = [], {}
    for spec in specs:
        key = (spec.program, spec.isa)
        if key not in images:
            is_elf = spec.program.endswith(".elf")
            if spec.isa is None and not is_elf:
                raise WorkloadError(f"guest '{spec.program}' needs an ISA: write {spec.program}@ISA")
            if spec.isa == "all":
                raise WorkloadError(f"guest '{spec.label}': pick one ISA per guest, not 'all'")
            images[key] = resolve_program(spec.program, spec.isa)[0]
        image = images[key]
        label = spec.label if spec.isa else f"{spec.label}@{image.backend.name}"
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label}#{seen[label]}"
        bits = image.backend.bits
        if not -(1 << (bits - 1)) <= spec.arg < 1 << bits:
            raise WorkloadError(f"guest '{label}': 'arg' {spec.arg} does not fit a {bits}-bit word")
        configs.append(GuestConfig(label, image, spec.weight, spec.reservation, spec.limit, spec.arg))
    return configs
