"""`hal tour`: the first lesson in four steps, for a teacher in front of a
class or a student on their own.

Each step says in two or three sentences what to look at, shows the `hal`
command to type (so anyone can repeat it) and what that command prints:
drawn here by the same API calls and renderers the command uses, so the two
never differ.  The text fits an 80-column projector terminal; `html()`
gives the same lesson as one self-contained web page, with its pictures
inlined.  All of it takes a couple of seconds of computing.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Callable

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


def steps(r: Results) -> list[Step]:
    from ..render import terminal

    def side_by_side(guest):
        return lambda con: terminal.side_by_side(con, r.runs(guest).runs)

    def listing(guest, function, isa=None):
        return lambda con: con.out(r.disasm(guest, function, isa).text(), end="")

    consolidation = ("consolidation", "pinned:8,rr:3")
    return [
        Step("portability", "One source, four ISAs",
             "A guest is written once in C against hal.h and built for four ISAs, as Windows "
             "NT's one code base ran on x86, MIPS, PowerPC and Alpha. Only the last instruction "
             "of each HAL call differs: the trap, marked in each ISA's disassembly. The endian "
             "guest is the exception that proves the rule: PowerPC is big-endian, so the same "
             "bytes come out in another order.",
             (Command("hal run hello --isa all", side_by_side("hello")),
              Command("hal disasm hello --function hal_trap", listing("hello", "hal_trap")),
              Command("hal run endian --isa all", side_by_side("endian")))),
        Step("devices", "Devices: port I/O against memory-mapped I/O",
             "NT's HAL existed mostly to hide how each machine reaches its devices. x86 has a "
             "separate port space and reaches the UART with in and out; MIPS, PowerPC and Alpha "
             "map device registers into memory and use ordinary loads and stores (on MIPS, lbu "
             "and sb at an address built with lui and ori). The same C function, "
             "hal_uart_putc, becomes both.",
             (Command("hal disasm echo --function hal_uart_putc --isa x86,mips",
                      listing("echo", "hal_uart_putc", "x86,mips")),)),
        Step("comparison", "Comparing ISAs: sizes, counts, the mix",
             "halemu counts every retired instruction exactly and sorts each into a class. "
             "x86 needs about half as many instructions as MIPS for the same matrix product, "
             "because one x86 instruction can load and compute at once; the RISCs spend theirs "
             "on separate loads, stores and ALU work.",
             (Command("hal compare matmul",
                      lambda con: terminal.print_table(con, r.compare("matmul")),
                      lambda: [("the mix, each bar 100%", r.compare("matmul").svg()),
                               ("the same to scale (hal compare matmul --svg mix.svg "
                                "--absolute)", r.compare("matmul").svg(absolute=True))]),)),
        Step("consolidation", "Consolidation: pinned against shared cores",
             "A thin layer under many guests lets one machine run them all, as VMware ESX does. "
             "Pinned, each of the 8 guests owns a core and the sleepers leave theirs idle; "
             "shared, 3 cores finish nearly as soon at more than twice the utilization. The "
             "price is waiting: the ticks a guest is ready to run but has no core (total ready; "
             "as a share of the guests' lives, ESX's %RDY).",
             (Command("hal schedule --workload consolidation --compare pinned:8,rr:3",
                      lambda con: terminal.compared_schedules(
                          con, [s.metrics for s in r.policies(*consolidation)]),
                      lambda: [("the policies side by side (--svg FILE with --compare)",
                                r.policies(*consolidation).svg()),
                               *((f"{s.policy} on {s.cores} cores: the Gantt chart", s.svg())
                                 for s in r.policies(*consolidation))]),)),
    ]


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
