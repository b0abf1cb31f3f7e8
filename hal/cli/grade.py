"""`hal grade`: a whole class, every test on every ISA, into a gradebook."""
from __future__ import annotations

import sys

import click

from .common import console, write_file


@click.command()
@click.argument("submissions", type=click.Path(file_okay=False))
@click.option("--spec", "spec", required=True, type=click.Path(dir_okay=False),
              help="the tests: stdin, expected stdout (exact or a regular expression), ISAs, "
                   "limits and points (TOML; see the README)")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), default=None,
              help="write the gradebook as CSV: one row per student, points per test and ISA")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), default=None,
              help="write the gradebook as JSON (schema halemu.gradebook/1)")
@click.option("--report", "report_dir", type=click.Path(file_okay=False), default=None,
              help="write one report per student into this folder: diffs, faults, compiler messages")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="what to print on stdout")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local worker processes, or a Dask distributed cluster")
@click.option("--scheduler", default=None,
              help="with --engine dask: the scheduler's address, tcp://HOST:8786 "
                   "[default: a LocalCluster on this machine]")
@click.option("--jobs", type=click.IntRange(min=1, max=4096), default=None,
              help="worker processes (local, or the LocalCluster's) and parallel builds "
                   "[default: all cores]")
def grade(submissions, spec, csv_file, json_file, report_dir, fmt, engine, scheduler, jobs):
    """Grade a class: SUBMISSIONS holds one .c file or one folder of sources per student.

    Each submission is built once per ISA, every test runs on each of its ISAs,
    and every student gets a row, whatever their program does.  Exit status 0
    when every test passed for everyone, 1 when anything failed, 2 for bad input."""
    from ..api.grades import grade as grade_class
    from ..render.terminal import ProgressBar
    from ..errors import HalError
    if scheduler is not None and engine != "dask":
        raise HalError("--scheduler is for --engine dask")
    options = dict(engine=engine, jobs=jobs, scheduler=scheduler)
    if sys.stderr.isatty():
        with ProgressBar() as bar:
            grades = grade_class(submissions, spec, progress=bar, **options)
    else:
        grades = grade_class(submissions, spec, **options)
    for name in grades.skipped:
        click.echo(f"hal: skipped {name}: not a .c file or a folder", err=True)
    if csv_file:
        write_file(csv_file, grades.to_csv())
    if json_file:
        write_file(json_file, grades.to_json())
    if report_dir:
        grades.write_reports(report_dir)
    if fmt == "csv":
        click.echo(grades.to_csv(), nl=False)
    elif fmt == "json":
        click.echo(grades.to_json(), nl=False)
    else:
        from ..render.terminal import gradebook
        gradebook(console(), grades.gradebook)
    sys.exit(grades.status)
