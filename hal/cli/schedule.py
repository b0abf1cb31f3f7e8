"""`hal schedule`: multiplex guests over emulated cores and report what happened."""
from __future__ import annotations

import click

from .common import GDB_WAIT_HELP, LIMIT_HELP, check_output, console, count


@click.command()
@click.argument("guests", nargs=-1)
@click.option("--workload", "workload_file", type=click.Path(dir_okay=False),
              help="a TOML workload file, or a bundled one's name (see guests/workloads/)")
@click.option("--cores", type=int, default=None, help="emulated cores [default 2]")
@click.option("--quantum", type=count(1), default=None, help="ticks per slice [default 10000]")
@click.option("--switch-cost", type=count(0), default=None,
              help="ticks a context switch costs [default 0]")
@click.option("--policy", default=None, help="pinned, rr, affinity or shares [default rr]")
@click.option("--compare", "compare_spec", default=None,
              help="run under several policies, e.g. pinned:4,rr:2 (POLICY[:CORES],...)")
@click.option("--max-instructions", type=count(0), default=None, help=LIMIT_HELP)
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="write metrics and timeline as JSON")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False),
              help="write NAME.guests.csv, NAME.cores.csv and NAME.timeline.csv (with --compare: "
                   "NAME.csv, one row per run, and those three per run as NAME.POLICY-CORES.*.csv)")
@click.option("--svg", "svg_file", type=click.Path(dir_okay=False),
              help="write the Gantt chart as SVG (with --compare: the policies side by side, and "
                   "each run's Gantt chart as NAME.POLICY-CORES.svg)")
@click.option("--png", "png_file", type=click.Path(dir_okay=False),
              help="the same pictures as --svg, as 1920x1080 PNG files")
@click.option("--no-output", is_flag=True, help="do not print the guests' console output")
@click.option("--memory", default=None,
              help="RAM of each guest, e.g. 256K [default: 1M; a C library program: "
                   "64M of address space]")
@click.option("--max-output", type=count(0), default=None,
              help="console bytes each guest may write [default 1 MiB]")
@click.option("--isolate/--no-isolate", default=True, show_default=True,
              help="run the whole schedule in a worker process: an emulator crash is reported, "
                   "not suffered")
@click.option("--gdb", "gdb_spec", metavar="GUEST=[HOST:]PORT", default=None,
              help="debug one guest (its label, as the report shows it, or its number) with "
                   "GDB while the others run on virtual time; the port is on 127.0.0.1 unless "
                   "HOST is named")
@click.option("--gdb-wait", is_flag=True, help=GDB_WAIT_HELP)
def schedule(guests, workload_file, cores, quantum, switch_cost, policy, compare_spec,
             max_instructions, json_file, csv_file, svg_file, png_file, no_output, memory,
             max_output, isolate, gdb_spec, gdb_wait):
    """Run several guests, of any ISAs, on emulated cores.

    Guests are PROGRAM@ISA (bundled name or .c file) or ELF paths, with
    optional settings: fib@mips:weight=2,limit=0.5,arg=3.  Example:

        hal schedule fib@mips primes@ppc sleepy@x86 --cores 2 --policy rr
    """
    from ..api import schedules as api
    from ..errors import GuestError
    from ..render import terminal
    from .common import say_written, write_file

    for option, path in (("--json", json_file), ("--csv", csv_file), ("--svg", svg_file)):
        check_output(option, path)
    wl = api.load_workload(workload_file) if workload_file else None
    compare_spec = compare_spec or (wl.settings.get("compare") if wl else None)
    common = dict(workload=wl, cores=cores, quantum=quantum, switch_cost=switch_cost,
                  max_instructions=max_instructions, memory=memory, max_output=max_output,
                  isolate=isolate)
    if gdb_spec is not None or gdb_wait:
        result = _debugged(guests, gdb_spec, gdb_wait, compare_spec, policy, common)
        results = [result]
    elif compare_spec:
        result = api.compare_policies(guests, compare_spec, **common)
        results = list(result)
    else:
        result = api.schedule(guests, policy=policy, **common)
        results = [result]
    con = console()
    if not compare_spec:
        terminal.print_report(con, results[0].metrics, outputs=not no_output)
    else:
        terminal.compared_schedules(con, [s.metrics for s in results])
    if json_file:
        write_file(json_file, result.to_json())
        say_written(("metrics and timeline" + (" of every run" if compare_spec else ""),
                     [json_file]))
    if csv_file:
        _write_csv(csv_file, result, results, bool(compare_spec))
    for path, kind in ((svg_file, "svg"), (png_file, "png")):
        if path:
            _write_pictures(path, kind, result, results, bool(compare_spec))
    stuck = [s for s in results if s.deadlock]
    if stuck:           # after the report: every guest's output and statistics are kept
        from ..render.text import plural
        where = "" if not compare_spec else f"{stuck[0].policy} on {plural(stuck[0].cores, 'core')}: "
        raise GuestError(where + stuck[0].deadlock)
    raise SystemExit(3 if any(s.faulted for s in results) else 0)


def _debugged(guests, spec, wait, compare_spec, policy, common):
    """One schedule with one guest under GDB (hal.debug_schedule)."""
    from ..api.debugging import debug_schedule
    from ..errors import HalError
    if spec is None:
        raise HalError("--gdb-wait goes with --gdb")
    from .run import _given
    if compare_spec or common.pop("isolate") and _given("isolate"):   # isolated by default
        raise HalError("--gdb debugs one schedule in this process: not with --compare or --isolate")
    name, sep, address = spec.partition("=")
    if not sep or not name:
        raise HalError(f"--gdb wants GUEST=[HOST:]PORT (a label or a number: 1=1234), "
                       f"not '{spec}'")
    return debug_schedule(guests, guest=name, gdb=address, wait=wait, policy=policy, **common)


def _write_csv(path: str, result, results: list, compared: bool) -> None:
    from pathlib import Path

    from .common import say_written, write_file
    if not compared:
        say_written(("guests, cores, timeline", result.write_csv(path)))
        return
    write_file(path, result.to_csv())
    per_run = [p for s in results for p in s.write_csv(_suffixed(path, s.metrics))]
    say_written(("one row per run", [Path(path)]),
                ("each run's guests, cores and timeline", per_run))


def _write_pictures(path: str, kind: str, result, results: list, compared: bool) -> None:
    from .common import say_written, write_file
    if not compared:
        write_file(path, result.chart(kind))
        say_written(("the Gantt chart", [path]))
        return
    write_file(path, result.chart(kind))
    gantts = [_suffixed(path, s.metrics) for s in results]
    for s, name in zip(results, gantts):
        write_file(name, s.chart(kind))
    say_written(("the policies side by side", [path]), ("each run's Gantt chart", gantts))


def _suffixed(path: str, m: dict) -> str:
    """One file per run of --compare: out.svg -> out.rr-2.svg."""
    from pathlib import Path
    p = Path(path)
    return str(p.with_name(f"{p.stem}.{m['policy']}-{m['cores']}{p.suffix}"))
