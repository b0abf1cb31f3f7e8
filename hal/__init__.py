"""halemu: an educational hardware-abstraction-layer emulator.

One C program runs unchanged on x86, MIPS, PowerPC and an Alpha-like RISC,
each on a Unicorn CPU core, behind one thin HAL (hal.core); a scheduler
multiplexes many guests over emulated cores (hal.scheduling).

From Python (a notebook, a script, a grader), use the public API; the `hal`
command is a thin layer on it, so both give the same numbers:

    import hal
    hal.run("fib", isa="mips")            # -> Run: output, exit_code, retired, hal_calls, fault
    hal.run_all("endian")                 # -> Runs: the same guest on every ISA
    hal.build("my.c", isa="all")          # -> {isa: ELF path}
    hal.run(["main.c", "util.c"], isa="x86",    # several files, and -I, -D, -O
            options=hal.compiler(includes=["inc"], defines=["N=3"], optimize="3"))
    hal.compare("matmul")                 # -> Comparison: .table() .to_markdown() .to_json() .svg()
    hal.schedule("consolidation")         # -> Schedule: metrics, Gantt chart, outputs
    hal.compare_policies("consolidation", "pinned:8,rr:3")
    hal.profile("primes")                 # -> Profile: retired instructions per function
    hal.disasm("hello", function="hal_trap")
    hal.diff("fib", "-O0,-O2", isa="x86", function="fib")
    hal.trace("hello", isa="ppc", limit=20)
    hal.syscalls("hello.c", isa="mips")   # a C library program's system calls, as strace shows them
    hal.debug("fib", isa="mips", gdb="1234")   # serve gdb-multiarch, reverse execution included
    hal.snapshot("fib", isa="mips", at=10_000, path="fib.snap").resume()
    hal.exercise(1).check("answers.toml")      # exercise sheets that check themselves
    hal.tour().write_html("lesson/")      # the first lesson, as one web page
    hal.grade("class/", "tests.toml")     # -> Grades: a gradebook of every student, test and ISA

Names are loaded on first use, so `import hal` (and `hal run`) stays fast.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

# public name -> the module under hal.api that defines it
_API = {
    "run": "runs", "run_all": "runs", "build": "runs", "resume": "runs", "Run": "runs",
    "Runs": "runs",
    "load": "options", "compiler": "options",
    "compare": "comparisons", "Comparison": "comparisons",
    "schedule": "schedules", "compare_policies": "schedules", "Schedule": "schedules",
    "Schedules": "schedules",
    "disasm": "listings", "trace": "listings", "syscalls": "listings",
    "syscall_table": "listings", "Disassembly": "listings", "Trace": "listings",
    "diff": "listings", "Diff": "listings",
    "profile": "profiles", "Profile": "profiles",
    "debug": "debugging", "debug_schedule": "debugging",
    "snapshot": "runs", "Snapshot": "runs", "isas": "machines", "devices": "machines",
    "exercises": "lessons", "exercise": "lessons", "tour": "lessons",
    "grade": "grades", "Grades": "grades",
}
_ERRORS = ("HalError", "BuildError", "LoadError", "GuestError")

__all__ = sorted([*_API, *_ERRORS])

if TYPE_CHECKING:       # what type checkers and editors see; at run time, __getattr__
    from .api.comparisons import Comparison, compare
    from .api.debugging import debug, debug_schedule
    from .api.grades import Grades, grade
    from .api.lessons import exercise, exercises, tour
    from .api.listings import (Diff, Disassembly, Trace, diff, disasm, syscall_table, syscalls,
                               trace)
    from .api.machines import devices, isas
    from .api.options import compiler, load
    from .api.profiles import Profile, profile
    from .api.runs import Run, Runs, Snapshot, build, resume, run, run_all, snapshot
    from .api.schedules import Schedule, Schedules, compare_policies, schedule
    from .errors import BuildError, GuestError, HalError, LoadError


def __getattr__(name: str):
    import importlib
    if name in _API:
        value = getattr(importlib.import_module(f"{__name__}.api.{_API[name]}"), name)
    elif name in _ERRORS:
        value = getattr(importlib.import_module(f"{__name__}.errors"), name)
    else:
        raise AttributeError(f"module 'hal' has no attribute '{name}'")
    globals()[name] = value          # found once; later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
