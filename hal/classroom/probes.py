"""What a question measures: a table of probes, each a small function of the
question's `ask` settings that gets its number (or name, or yes/no) from
halemu through the public API.  Nothing here knows an answer; every value is
measured when asked, and measured once per process (the same run serves
every question that needs it).

A question's `ask` names the probe and its settings, e.g.

    ask = { probe = "run", guest = "fib", isa = "mips", field = "retired" }
    ask = { probe = "which", pick = "min", of = { probe = "run", guest = "fib", field = "retired" } }
    ask = { probe = "ratio", a = { ... }, b = { ... } }

`describe()` lists the probes with their settings, for sheet writers.
"""
from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .. import paths
from ..errors import HalError

PROBES: dict[str, Callable[..., Any]] = {}
DOCS: dict[str, str] = {}


def probe(settings: str):
    """Register a probe under its function's name; `settings` documents its keys."""
    def add(fn):
        PROBES[fn.__name__.rstrip("_")] = fn
        DOCS[fn.__name__.rstrip("_")] = f"{settings}: {fn.__doc__.strip()}"
        return fn
    return add


def measure(ask: dict) -> Any:
    """The value a question's `ask` describes, measured now."""
    settings = dict(ask)
    name = settings.pop("probe", None)
    if name not in PROBES:
        raise HalError(f"unknown probe {name!r} (known: {', '.join(sorted(PROBES))})")
    try:
        return PROBES[name](**settings)
    except TypeError as e:
        raise HalError(f"probe {name}: {e} (settings: {DOCS[name].split(':')[0]})") from None


def describe() -> list[str]:
    return [f"{name} {doc}" for name, doc in sorted(DOCS.items())]


def program(guest: str) -> str:
    """A bundled guest's name, or a source beside the sheets (exercises/NAME.c)."""
    if guest.startswith("exercises/"):
        return str(paths.GUESTS / guest)
    return guest


# -- cached measurements through hal.api ---------------------------------------------


@lru_cache(maxsize=None)
def _run(guest: str, isa: str, input: str | None, console: str):
    from ..api.runs import run
    data = None if input is None else (paths.GUESTS / input).read_bytes()
    return run(program(guest), isa=isa, input=data, console=console)


@lru_cache(maxsize=None)
def _runs(guest: str):
    from ..api.runs import run_all
    return run_all(program(guest), jobs=1)


@lru_cache(maxsize=None)
def _compare(guest: str):
    from ..api.comparisons import compare
    return compare(program(guest), jobs=1)


@lru_cache(maxsize=None)
def _disasm(guest: str, function: str):
    from ..api.listings import disasm
    return disasm(program(guest), function=function)


@lru_cache(maxsize=None)
def _schedule(workload: str | None, guests: tuple, policy: str | None, cores: int | None,
              switch_cost: int | None, quantum: int | None):
    from ..api.schedules import schedule
    return schedule(list(guests) if guests else workload, policy=policy, cores=cores,
                    switch_cost=switch_cost, quantum=quantum)


@lru_cache(maxsize=None)
def _snapshot(guest: str, isa: str, at: int):
    from ..api.runs import run, snapshot
    with tempfile.TemporaryDirectory() as tmp:
        saved = snapshot(program(guest), isa, at=at, path=Path(tmp) / "guest.snap")
        resumed = saved.resume()
    return saved, resumed, run(program(guest), isa=isa)


@lru_cache(maxsize=None)
def _conventions(guest: str, function: str, optimize: str | None):
    from ..api.listings import disasm
    from ..api.options import compiler
    options = compiler(optimize=optimize) if optimize else None
    return disasm(program(guest), function=function, options=options).conventions


@lru_cache(maxsize=None)
def _profile(guest: str):
    from ..api.profiles import profile
    return profile(program(guest), jobs=1)


def _isas() -> list[str]:
    from ..api.machines import isas
    return [b.name for b in isas()]


# -- the probes ----------------------------------------------------------------------

RUN_FIELDS = ("retired", "hal_calls", "exit_code", "faulted", "lines", "text")


@probe("guest, isa, field (retired|hal_calls|exit_code|faulted|lines|text), [input, console]")
def run(guest: str, isa: str, field: str, input: str | None = None, console: str = "trap"):
    """one guest run on one ISA, as `hal run GUEST --isa ISA`"""
    r = _run(guest, isa, input, console)
    values = {"retired": r.retired, "hal_calls": r.hal_calls, "exit_code": r.exit_code,
              "faulted": r.fault is not None, "lines": len(r.text.splitlines()), "text": r.text}
    return _field(values, field)


@probe("guest, isa, line (from 1), [word (from 1)]")
def output(guest: str, isa: str, line: int, word: int | None = None):
    """one line of a guest's output (or one word of it)"""
    lines = _run(guest, isa, None, "trap").text.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text if word is None else (text.split() + [""] * word)[word - 1]


@probe("guest")
def same_output(guest: str):
    """whether every ISA printed the same bytes (and none faulted)"""
    runs = _runs(guest)
    return runs.identical_output and not any(r.fault for r in runs)


@probe("guest")
def odd_ones(guest: str):
    """the ISAs whose output differs from what most ISAs printed"""
    groups = _runs(guest).groups
    most = max(groups, key=lambda g: len(g[1]))
    return [isa for out, isas in groups if out != most[0] for isa in isas]


@probe("guest")
def faulted(guest: str):
    """the ISAs on which the guest faulted"""
    return [r.isa for r in _runs(guest) if r.fault]


@probe("guest, isa, field (retired|text_bytes|static_instructions|hal_calls|memory_share|"
       "mix:CLASS|share:CLASS|largest_class)")
def compare(guest: str, isa: str, field: str):
    """one ISA's row of `hal compare GUEST` (shares in percent)"""
    row = _compare(guest)[isa]
    if field.startswith(("mix:", "share:")):
        kind, cls = field.split(":", 1)
        n = row.mix[cls]
        return n if kind == "mix" else round(100 * n / row.retired, 3)
    if field == "largest_class":
        return max(row.mix, key=lambda k: row.mix[k])
    values = {"retired": row.retired, "text_bytes": row.text_bytes,
              "static_instructions": row.static_instructions, "hal_calls": row.hal_calls,
              "memory_share": round(100 * row.memory_share, 3)}
    return _field(values, field)


@probe("guest, function, isa, field (trap|instructions|bytes|mnemonics)")
def disasm(guest: str, function: str, isa: str, field: str):
    """one function's listing on one ISA, as `hal disasm GUEST --function F`"""
    lines = _disasm(guest, function).listings[isa]
    head = re.search(r": (\d+) bytes, (\d+) instructions", lines[0])
    code = [re.match(r"\s+[0-9a-f]{8}:\s+(?:[0-9a-f]{2} )+\s*(\S+)\s*(.*)$", ln) for ln in lines[1:]]
    code = [m for m in code if m]
    if field == "trap":
        found = [f"{m.group(1)} {re.sub(r'<- HAL trap.*$', '', m.group(2))}".strip()
                 for m in code if "<- HAL trap" in m.group(2)]
        return found[0] if found else ""
    if field == "mnemonics":
        return sorted({m.group(1) for m in code})
    return _field({"bytes": int(head.group(1)), "instructions": int(head.group(2))}, field)


@probe("isa, field (bits|endian|trap|service|result|arg1|arg2|arg3|io)")
def machine(isa: str, field: str):
    """what an ISA backend is, as `hal isas` shows it"""
    from ..api.machines import isas
    b = next((b for b in isas() if b.name == isa.lower()), None)
    if b is None:
        raise HalError(f"unknown ISA '{isa}'")
    values = {"bits": b.bits, "endian": b.endian, "trap": b.trap.mnemonic,
              "service": b.regs.service, "result": b.regs.result,
              **{f"arg{i}": r for i, r in enumerate(b.regs.args, 1)},
              "io": "port" if b.io_insns is not None else "memory"}
    return _field(values, field)


@probe("isa, device, register")
def device(isa: str, device: str, register: str):
    """where an ISA finds a device register, as `hal devices` shows it"""
    from ..api.machines import devices
    return devices().where(device, register, isa)


@probe("workload or guests, [policy, cores, switch_cost, quantum], field (makespan|"
       "mean_utilization|throughput|total_ready|total_limited|guest:LABEL:KEY|output:LABEL|"
       "run_before:LABEL:TICK)")
def schedule(field: str, workload: str | None = None, guests: list | None = None,
             policy: str | None = None, cores: int | None = None, switch_cost: int | None = None,
             quantum: int | None = None):
    """a schedule, as `hal schedule`; KEY is a guest's retired, ready, limited,
    blocked, completion, slices, migrations, run or rdy (%RDY, in percent)"""
    s = _schedule(workload, tuple(guests or ()), policy, cores, switch_cost, quantum)
    m = s.metrics
    if field.startswith("guest:"):
        _, label, key = field.split(":")
        g = s.guest(label)
        if key == "rdy":
            life = g["completion"] if g["completion"] is not None else m["makespan"]
            return round(100 * g["ready"] / life, 3)
        return _field(g, key)
    if field.startswith("output:"):
        return s.outputs[field.split(":", 1)[1]]
    if field.startswith("run_before:"):
        _, label, tick = field.split(":")
        gid = s.guest(label)["guest"]
        return sum(max(0, min(seg["end"], int(tick)) - seg["start"]) for seg in m["timeline"]
                   if seg["kind"] == "run" and seg["guest"] == gid)
    values = {"makespan": m["makespan"], "mean_utilization": round(100 * m["mean_utilization"], 3),
              "throughput": m["throughput"],
              "total_ready": sum(g["ready"] for g in m["guest_stats"]),
              "total_limited": sum(g["limited"] for g in m["guest_stats"])}
    return _field(values, field)


@probe("workload, runs (POLICY:CORES,...), pick (min|max), field (as for schedule)")
def best_policy(workload: str, runs: str, pick: str, field: str):
    """the run (POLICY:CORES) with the least or most of a schedule's number"""
    scores = {}
    for run_ in runs.split(","):
        policy, _, cores = run_.partition(":")
        scores[run_] = schedule(field, workload=workload, policy=policy, cores=int(cores))
    return _pick(scores, pick)


@probe("guest, isa, at, field (saved_at|lines_at_save|resumed_retired|same_as_plain)")
def snapshot(guest: str, isa: str, at: int, field: str):
    """a guest saved after `at` instructions and resumed, as `hal run --snapshot-at`"""
    saved, resumed, plain = _snapshot(guest, isa, at)
    values = {"saved_at": saved.retired, "lines_at_save": saved.output.count(b"\n"),
              "resumed_retired": resumed.retired,
              "same_as_plain": (resumed.output, resumed.retired) == (plain.output, plain.retired)}
    return _field(values, field)


@lru_cache(maxsize=None)
def _entry_and_exit(guest: str, function: str, isa: str, limit: int):
    """Register values (as far as the trace shows them written) when the
    function is entered for the first time, and those it wrote before it returned."""
    from ..api.listings import trace
    t = trace(program(guest), isa, limit=limit)
    regs: dict[str, int] = {}
    entry, inside = None, {}
    for step in t.steps:
        here = step.where == function or step.where.startswith(function + "+")
        if here and entry is None:
            entry = dict(regs)
        if entry is not None and not here and inside:
            break
        regs.update(step.writes)
        if here:
            inside.update(step.writes)
    if entry is None:
        raise HalError(f"{guest} never reached {function} on {isa} in {limit} instructions")
    return entry, inside


@probe("guest, function, isa, find (a value), [at (entry|exit), limit]")
def register(guest: str, function: str, isa: str, find: int, at: str = "entry",
             limit: int = 20000):
    """the register holding a value when a function starts (an argument) or
    that the function wrote it to before returning (its result), from `hal trace`"""
    entry, inside = _entry_and_exit(guest, function, isa, limit)
    regs = entry if at == "entry" else inside
    found = [name for name, value in regs.items() if value == find]
    if len(found) != 1:
        raise HalError(f"{function} on {isa}: {len(found)} registers hold {find:#x} at its "
                       f"{at} ({', '.join(found) or 'none'}): give the guest a value only one holds")
    return found[0]


@probe("guest, function, isa, field (abi|follows_abi|result|arg:NAME|abi:NAME), [optimize]")
def convention(guest: str, function: str, isa: str, field: str, optimize: str | None = None):
    """where a function's argument arrives (arg:NAME, from its DWARF location
    info), where the ABI would put it (abi:NAME), where its result goes, and
    whether it follows the ABI, as `hal disasm GUEST --function F` shows;
    optimize ("0".."3", "s") builds at another -O level"""
    c = _conventions(guest, function, optimize).get(isa)
    if c is None:
        raise HalError(f"the debug info does not describe {function} on {isa}")
    kind, _, name = field.partition(":")
    if kind in ("arg", "abi") and name:
        a = next((a for a in c.args if a.name == name), None)
        if a is None:
            raise HalError(f"{function} has no argument {name!r} "
                           f"(it has: {', '.join(x.name for x in c.args) or 'none'})")
        return a.actual if kind == "arg" else a.expected
    result = re.search(r" in (\S+)", c.result)
    values = {"abi": c.abi, "follows_abi": c.follows_abi,
              "result": result.group(1) if result else c.result}
    return _field(values, field)


@probe("guest, isa, field (retired|category:KEY|share:KEY|function:NAME|inlined_into:NAME), "
       "KEY one of user, startup, sdk, libc, runtime")
def profile(guest: str, isa: str, field: str):
    """one ISA's column of `hal profile GUEST`: a function's own retired
    instructions, what it was inlined into, or a category's retired
    instructions (share: in percent of all)"""
    p = _profile(guest)[isa]
    kind, _, name = field.partition(":")
    if kind in ("category", "share"):
        n = _field(p.by_category, name)
        return n if kind == "category" else round(100 * n / p.retired, 3)
    if kind in ("function", "inlined_into"):
        f = next((f for f in p.functions if f.function == name), None)
        if f is None:
            raise HalError(f"no function {name!r} ran in {guest} on {isa}")
        return f.retired if kind == "function" else ", ".join(f.inlined_into)
    return _field({"retired": p.retired}, field)


@probe("pick (min|max), of (a probe without isa)")
def which(pick: str, of: dict):
    """the ISA for which another probe gives the least or the most"""
    return _pick({isa: measure({**of, "isa": isa}) for isa in _isas()}, pick)


@probe("of (a probe without isa), equals (a value)")
def isas_where(of: dict, equals):
    """the ISAs for which another probe gives this value"""
    return [isa for isa in _isas() if measure({**of, "isa": isa}) == equals]


@probe("a, b (two probes)")
def equal(a: dict, b: dict):
    """whether two probes give the same value"""
    return measure(a) == measure(b)


@probe("a, b (two probes)")
def ratio(a: dict, b: dict):
    """a / b"""
    return measure(a) / measure(b)


@probe("a, b (two probes)")
def difference(a: dict, b: dict):
    """a - b"""
    return measure(a) - measure(b)


def _pick(scores: dict, pick: str):
    if pick not in ("min", "max"):
        raise HalError(f"pick is min or max, not {pick!r}")
    best = (min if pick == "min" else max)(scores.values())
    return next(k for k, v in scores.items() if v == best)


def _field(values: dict, field: str):
    if field not in values:
        raise HalError(f"no field {field!r} (there are: {', '.join(values)})")
    return values[field]
