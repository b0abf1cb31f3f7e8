"""`hal exercise` and `hal tour`: the classroom kit on the command line."""
from __future__ import annotations

import sys

import click


@click.group()
def exercise():
    """Exercise sheets that check their own answers (guests/exercises/).

    Every answer is measured by halemu when asked, from the guests: `show N`
    prints sheet N, `check N FILE` grades an answer file (exit 1 if any answer
    is wrong), `answers N` prints the solutions, each with a one-line why."""


@exercise.command("list")
def list_():
    """List the exercise sheets."""
    from ..api.lessons import exercises
    from ..render.tables import Column, print_table
    from .common import console
    rows = [[str(s.number), s.title, ", ".join(s.topics), str(len(s.questions))]
            for s in exercises()]
    print_table(console(), "exercise sheets (hal exercise show N)",
                [Column("N"), Column("title", "left"), Column("topics", "left"),
                 Column("questions")], rows)


@exercise.command()
@click.argument("number")
def show(number):
    """Print sheet NUMBER: the questions, a command to try for each, and an
    answer file to fill in."""
    from ..api.lessons import exercise as find
    from ..render.terminal import columns
    click.echo(find(number).text(min(columns() or 80, 100)), nl=False)


@exercise.command()
@click.argument("number")
@click.argument("answers", type=click.Path(dir_okay=False))
def check(number, answers):
    """Grade ANSWERS (a TOML file: q1 = ..., q2 = ...) against sheet NUMBER:
    right or wrong per question; exit status 1 if any is wrong."""
    from ..api.lessons import exercise as find
    grade = find(number).check(answers)
    click.echo(grade.text(), nl=False)
    sys.exit(0 if grade.ok else 1)


@exercise.command()
@click.argument("number")
def answers(number):
    """Print sheet NUMBER's answers, measured now, each with a one-line why
    (an answer file that `hal exercise check` accepts)."""
    from ..api.lessons import exercise as find
    click.echo(find(number).answers().text(), nl=False)


@click.command()
@click.option("--no-pause", is_flag=True, help="run every step without waiting for Enter (for scripts)")
@click.option("--step", "start", type=click.IntRange(min=1), default=1, show_default=True,
              help="start at this step (1 portability, 2 devices, 3 comparison, 4 consolidation)")
@click.option("--html", "html_dir", type=click.Path(file_okay=False),
              help="write the lesson as one self-contained web page, DIR/index.html, instead")
def tour(no_pause, start, html_dir):
    """A guided first lesson in four steps: portability, devices, comparison,
    consolidation.  Each step explains what to look at, shows the command
    (type it yourself to repeat it) and its output, in 80 columns; between
    steps it waits for Enter when run on a terminal."""
    from ..api.lessons import tour as make
    from ..render.terminal import console as make_console
    from ..errors import HalError
    lesson = make()
    total = len(lesson.steps)
    if start > total:
        raise HalError(f"--step {start}: the tour has {total} steps")
    if html_dir:
        path = lesson.write_html(html_dir)
        click.echo(f"hal: wrote {path} (the lesson as one web page: open it in a browser)",
                   err=True)
        return
    con = make_console()
    width = min(con.width, 80)
    color = con.is_terminal
    for n in range(start, total + 1):
        click.echo(lesson.step_text(n, width, color=color), nl=False)
        if n < total and not no_pause and sys.stdin is not None and sys.stdin.isatty():
            click.echo(f"\n[Enter: step {n + 1} of {total}, {lesson.steps[n].name}; q: stop] ",
                       nl=False)
            answer = sys.stdin.readline()
            if answer.strip().lower().startswith("q") or not answer:
                break
        elif n < total:
            click.echo()
