"""`hal tour`: the first lesson in four steps, for a teacher in front of a
class or a student on their own.

Each step says in two or three sentences what to look at, shows the `hal`
command to type (so anyone can repeat it) and what that command prints:
drawn here by the same API calls and renderers the command uses, so the two
never differ.  The lesson itself (texts and commands) is data, in
guests/tour/lesson.toml: a teacher may change it without touching code.  The text fits an 80-column projector terminal; `html()`
gives the same lesson as one self-contained web page, with its pictures
inlined.  All of it takes a couple of seconds of computing.
"""
from __future__ import annotations

import io
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import paths
from ..errors import HalError

WIDTH = 80                 # columns of a projector terminal: the tour never uses more


@dataclass(frozen=True)
class Command:
    line: str                                       # what to type
    draw: Callable                                  # draw(console): what `hal ...` prints
    pictures: Callable = lambda: []                 # [(caption, svg)] for the web page


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    text: str                                       # two or three sentences
    commands: tuple[Command, ...]


class Results:
    """What the lesson measures, each once: the text and the web page share it."""

    def __init__(self):
        self._cache: dict = {}

    def get(self, key: str, make: Callable):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def runs(self, guest):
        from ..api.runs import run_all
        return self.get(f"runs {guest}", lambda: run_all(guest, jobs=1))

    def disasm(self, guest, function, isa=None):
        from ..api.listings import disasm
        return self.get(f"disasm {guest} {function} {isa}",
                        lambda: disasm(guest, isa, function=function))

    def compare(self, guest):
        from ..api.comparisons import compare
        return self.get(f"compare {guest}", lambda: compare(guest, jobs=1))

    def policies(self, workload, runs):
        from ..api.schedules import compare_policies
        return self.get(f"policies {workload} {runs}", lambda: compare_policies(workload, runs))


LESSON = paths.GUESTS / "tour" / "lesson.toml"
STEP_KEYS = {"name", "title", "text", "commands"}


def steps(r: Results, lesson: Path = LESSON) -> list[Step]:
    """The lesson's steps as guests/tour/lesson.toml writes them, each command
    made into what draws its output (and its pictures, for the web page)."""
    try:
        data = tomllib.loads(lesson.read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise HalError(f"{lesson}: cannot read the tour: {e}") from None
    found = []
    for n, step in enumerate(data.get("step", []), 1):
        if set(step) != STEP_KEYS:
            raise HalError(f"{lesson}: step {n} needs exactly {', '.join(sorted(STEP_KEYS))}")
        found.append(Step(step["name"], step["title"], " ".join(step["text"].split()),
                          tuple(command(line, r, lesson) for line in step["commands"])))
    if not found:
        raise HalError(f"{lesson}: no [[step]] in the tour")
    return found


def command(line: str, r: Results, lesson: Path = LESSON) -> Command:
    """One `hal ...` line of the lesson, with what draws its output: the same
    API call and renderer as the command itself, so the two never differ."""
    from ..render import terminal
    words = shlex.split(line)
    verb = words[1] if len(words) > 1 and words[0] == "hal" else None
    if verb not in SHOWN:
        raise HalError(f"{lesson}: the tour cannot show {line!r}; it shows "
                       + ", ".join(f"`hal {v} {SHOWN[v].usage}`" for v in SHOWN))
    form = SHOWN[verb]
    args, options = _parse(words[2:], line, lesson)
    if len(args) != form.arguments or not form.required <= set(options) \
            or not set(options) <= form.required | form.optional:
        raise HalError(f"{lesson}: {line!r}: the tour shows `hal {verb} {form.usage}`")
    if verb == "run":
        if options["--isa"] != "all":
            raise HalError(f"{lesson}: {line!r}: the tour shows runs side by side: --isa all")
        return Command(line, lambda con: terminal.side_by_side(con, r.runs(args[0]).runs))
    if verb == "disasm":
        guest, function, isa = args[0], options["--function"], options.get("--isa")
        return Command(line, lambda con: con.out(r.disasm(guest, function, isa).text(), end=""))
    if verb == "compare":
        guest = args[0]
        return Command(line, lambda con: terminal.print_table(con, r.compare(guest)),
                       lambda: [("the mix, each bar 100%", r.compare(guest).svg()),
                                (f"the same to scale (hal compare {guest} --svg mix.svg "
                                 "--absolute)", r.compare(guest).svg(absolute=True))])
    workload, runs = options["--workload"], options["--compare"]
    return Command(line, lambda con: terminal.compared_schedules(
                       con, [s.metrics for s in r.policies(workload, runs)]),
                   lambda: [("the policies side by side (--svg FILE with --compare)",
                             r.policies(workload, runs).svg()),
                            *((f"{s.policy} on {s.cores} cores: the Gantt chart", s.svg())
                              for s in r.policies(workload, runs))])


@dataclass(frozen=True)
class Form:
    """The shape of a command the tour can show."""
    usage: str
    arguments: int
    required: frozenset = frozenset()
    optional: frozenset = frozenset()


SHOWN = {"run": Form("GUEST --isa all", 1, frozenset({"--isa"})),
         "disasm": Form("GUEST --function F [--isa I]", 1, frozenset({"--function"}),
                        frozenset({"--isa"})),
         "compare": Form("GUEST", 1),
         "schedule": Form("--workload W --compare POLICIES", 0,
                          frozenset({"--workload", "--compare"}))}


def _parse(words: list[str], line: str, lesson: Path) -> tuple[list[str], dict[str, str]]:
    """A command's words -> (arguments, {--option: value})."""
    args, options = [], {}
    it = iter(words)
    for word in it:
        if word.startswith("--"):
            value = next(it, None)
            if value is None:
                raise HalError(f"{lesson}: {line!r}: {word} needs a value")
            options[word] = value
        else:
            args.append(word)
    return args, options


@dataclass
class Tour:
    """The guided first lesson: `steps`, each with its text and commands;
    text() for a terminal, html() and write_html(DIR) for a projector."""
    results: Results = field(default_factory=Results)

    @property
    def steps(self) -> list[Step]:
        return steps(self.results)

    def step_text(self, n: int, width: int = WIDTH, color: bool = False) -> str:
        """Step n (from 1) as the terminal shows it."""
        import textwrap
        step = self.steps[n - 1]
        out = io.StringIO()
        con = _console(out, width, color)
        head = f"Step {n} of {len(self.steps)}: {step.title}"
        con.rule(head if len(head) <= width - 6 else f"Step {n} of {len(self.steps)}")
        con.out(textwrap.fill(step.text, width))
        for c in step.commands:
            con.out("")
            con.print(f"$ {c.line}", style="bold", highlight=False)
            c.draw(con)
        return out.getvalue()

    def text(self, width: int = WIDTH, start: int = 1) -> str:
        """Every step from `start`, as `hal tour --no-pause` prints them."""
        return "\n".join(self.step_text(n, width) for n in range(start, len(self.steps) + 1))

    def html(self) -> str:
        """The same lesson as one self-contained web page: no file, font or
        script from anywhere else; the pictures are inline SVG."""
        from ..render import page
        sections = []
        for n, step in enumerate(self.steps, 1):
            blocks = [(c.line, _html_output(c, WIDTH), c.pictures()) for c in step.commands]
            sections.append((step.name, f"{n}. {step.title}", step.text, blocks))
        return page.lesson("halemu: the first lesson", sections)

    def write_html(self, folder) -> "Path":  # noqa: F821
        """Write html() to FOLDER/index.html (the folder is made if need be)."""
        from pathlib import Path

        from ..errors import HalError
        path = Path(folder) / "index.html"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.html())
        except OSError as e:
            raise HalError(f"{folder}: cannot write the lesson there: {e.strerror}") from None
        return path

    def __repr__(self) -> str:
        return f"<Tour: {', '.join(s.name for s in self.steps)}>"

    def _repr_html_(self) -> str:
        return self.html()


def _console(out, width: int, color: bool):
    from rich.console import Console
    return Console(file=out, width=width, highlight=False, soft_wrap=False, record=True,
                   color_system="standard" if color else None, force_terminal=color,
                   force_jupyter=False, force_interactive=False)


def _html_output(command: Command, width: int) -> str:
    """What a command prints, as HTML with the terminal's colours."""
    con = _console(io.StringIO(), width, True)
    command.draw(con)
    return con.export_html(inline_styles=True, code_format="{code}")
