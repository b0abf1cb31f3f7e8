"""`hal schedule`: multiplex guests over emulated cores and report what happened."""
from __future__ import annotations

import json

import click

from .common import console


@click.command()
@click.argument("guests", nargs=-1)
@click.option("--workload", "workload_file", type=click.Path(dir_okay=False),
              help="a TOML workload file (see guests/workloads/)")
@click.option("--cores", type=int, default=None, help="emulated cores [default 2]")
@click.option("--quantum", type=int, default=None, help="ticks per slice [default 10000]")
@click.option("--switch-cost", type=int, default=None, help="ticks a context switch costs [default 0]")
@click.option("--policy", default=None, help="pinned, rr, affinity or shares [default rr]")
@click.option("--compare", "compare_spec", default=None,
              help="run under several policies, e.g. pinned:4,rr:2 (POLICY[:CORES],...)")
@click.option("--max-instructions", type=click.IntRange(min=1), default=None,
              help="per-guest instruction limit")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="write metrics and timeline as JSON")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False),
              help="write NAME.guests.csv, NAME.cores.csv and NAME.timeline.csv")
@click.option("--svg", "svg_file", type=click.Path(dir_okay=False), help="write the Gantt chart as SVG")
@click.option("--no-output", is_flag=True, help="do not print the guests' console output")
@click.option("--memory", default="1M", show_default=True, help="RAM of each guest, e.g. 256K")
@click.option("--max-output", type=click.IntRange(min=0), default=None,
              help="console bytes each guest may write [default 1 MiB]")
@click.option("--isolate", is_flag=True,
              help="run the whole schedule in a worker process: an emulator crash is reported, "
                   "not suffered")
def schedule(guests, workload_file, cores, quantum, switch_cost, policy, compare_spec,
             max_instructions, json_file, csv_file, svg_file, no_output, memory, max_output,
             isolate):
    """Run several guests, of any ISAs, on emulated cores.

    Guests are PROGRAM@ISA (bundled name or .c file) or ELF paths, with
    optional settings: fib@mips:weight=2,limit=0.5,arg=3.  Example:

        hal schedule fib@mips primes@ppc sleepy@x86 --cores 2 --policy rr
    """
    from ..core import memmap
    from ..errors import GuestError, HalError
    from ..render import svg, terminal, text
    from ..scheduling import metrics, policies, workload
    from ..scheduling.scheduler import DEFAULT_QUANTUM

    wl = workload.load(workload_file) if workload_file else workload.Workload([])
    specs = wl.guests + [workload.parse_spec(g) for g in guests]
    if not specs:
        raise HalError("no guests: name some as PROGRAM@ISA, or give --workload FILE")
    cfg = wl.settings
    cores = cores if cores is not None else cfg.get("cores", 2)
    quantum = quantum if quantum is not None else cfg.get("quantum", DEFAULT_QUANTUM)
    switch_cost = switch_cost if switch_cost is not None else cfg.get("switch_cost", 0)
    policy = policy or cfg.get("policy", "rr")
    compare_spec = compare_spec or cfg.get("compare")
    max_instructions = max_instructions or cfg.get("max_instructions")
    if not 1 <= cores <= 256:
        raise HalError(f"--cores must be 1 to 256, not {cores}")
    if quantum < 1:
        raise HalError(f"--quantum must be at least 1 tick, not {quantum}")
    if switch_cost < 0:
        raise HalError(f"--switch-cost cannot be negative ({switch_cost})")
    configs = workload.resolve(specs)
    runs = workload.parse_compare(compare_spec, cores) if compare_spec else [(policy, cores)]
    for name, n in runs:
        policies.make(name)
        if not 1 <= n <= 256:
            raise HalError(f"--compare: {name} needs 1 to 256 cores, not {n}")

    try:
        mem = memmap.MemoryMap(memmap.parse_size(memory))
    except ValueError as e:
        raise HalError(str(e)) from None
    settings = dict(quantum=quantum, switch_cost=switch_cost, max_instructions=max_instructions,
                    channel_capacity=cfg.get("channel_capacity", 8), memory=mem,
                    max_output=max_output)
    if isolate:
        from ..safety import isolation
        results, died = isolation.call_isolated(_run_all, configs, runs, settings)
        if results is None:
            raise HalError(isolation.crashed_fault(died).reason)
    else:
        results = _run_all(configs, runs, settings)
    con = console()
    if len(results) == 1:
        terminal.print_report(con, results[0], outputs=not no_output)
    else:
        for m in results:
            con.rule(text.summary_line(m))
            terminal.gantt(con, m)
        terminal.comparison(con, results)
    data = results[0] if len(results) == 1 else {"schema": metrics.SCHEMA_VERSION, "runs": results}
    if json_file:
        with open(json_file, "w") as f:
            json.dump(data, f, indent=1)
    if csv_file:
        for m in results:
            text.write_csv(_suffixed(csv_file, m, len(results)), m)
    if svg_file:
        for m in results:
            with open(_suffixed(svg_file, m, len(results)), "w") as f:
                f.write(svg.gantt_chart(m))
    stuck = [m for m in results if m["deadlock"]]
    if stuck:           # after the report: every guest's output and statistics are kept
        where = "" if len(results) == 1 else f"{stuck[0]['policy']} on {stuck[0]['cores']} cores: "
        raise GuestError(where + stuck[0]["deadlock"])
    faulted = any(g["fault"] for m in results for g in m["guest_stats"])
    raise SystemExit(3 if faulted else 0)


def _run_all(configs, runs, settings) -> list[dict]:
    """Each (policy, cores) run of the same guests, as metrics."""
    from ..scheduling import metrics, policies
    from ..scheduling.scheduler import Scheduler
    return [metrics.collect(Scheduler(configs, policies.make(name), cores=n, **settings).run())
            for name, n in runs]


def _suffixed(path: str, m: dict, runs: int) -> str:
    """With several runs, one file per policy: out.svg -> out.rr-2.svg."""
    if runs == 1:
        return path
    from pathlib import Path
    p = Path(path)
    return str(p.with_name(f"{p.stem}.{m['policy']}-{m['cores']}{p.suffix}"))
