"""Where the instructions go: `hal.profile` and its result, `Profile`.

    >>> p = hal.profile("primes")
    >>> p["x86"]["main"].retired            # exact, self count
    >>> p["alpha"].by_category["startup"]   # start-up's share, apart from your code
    >>> print(p.table())                    # what `hal profile primes` prints
"""
from __future__ import annotations

from dataclasses import dataclass

from ..inspection import profile as inspection
from ..toolchain.options import BuildOptions
from .options import Input, Isas, Program, input_bytes, load, positive

__all__ = ["Profile", "profile"]


@dataclass(frozen=True, repr=False)
class Profile(inspection.Profiles):
    """One guest's retired instructions per function on each ISA: `profiles`
    holds one inspection.profile.Profile per ISA (isa, retired, functions,
    by_category, hal_calls, exit_code, fault, build); index it by ISA name.
    Each function's count is a self count, with its category ("user",
    "startup", "sdk", "libc", "runtime", "other"); they add up to `retired`."""

    def __getitem__(self, isa: str) -> inspection.Profile:
        for p in self.profiles:
            if p.isa == isa:
                return p
        raise KeyError(f"no profile for '{isa}' (profiled: {', '.join(self.isas)})")

    @property
    def isas(self) -> list[str]:
        return [p.isa for p in self.profiles]

    @property
    def faulted(self) -> bool:
        return any(p.fault for p in self.profiles)

    def table(self) -> str:
        """What `hal profile` prints (--format table)."""
        from ..render import terminal
        return terminal.as_text(terminal.print_profile, self)

    def to_json(self) -> str:
        """--format json: the "halemu.profile/1" document (as a dict: to_dict())."""
        from ..render import text
        return text.profile_json(self)

    def to_csv(self) -> str:
        """--format csv: one row per function per ISA."""
        from ..render import text
        return text.profile_csv(self)

    def __repr__(self) -> str:
        mine = ", ".join(f"{p.isa} {p.by_category['user']:,}/{p.retired:,}" for p in self.profiles)
        return f"<Profile {self.guest}: your code's instructions of all: {mine}>"

    def _repr_html_(self) -> str:
        from ..render import html
        return html.profile(self)


def profile(program: Program, isas: Isas = None, *, input: Input = None,
            max_instructions: int | None = None, jobs: int | None = None,
            options: BuildOptions | None = None) -> Profile:
    """Count one guest's retired instructions per function on every ISA (or
    those in `isas`), as `hal profile` does: exact, from the machine's block
    counts, each function's own instructions (an inlined function's copies
    count for it, where DWARF says so), grouped into your code, start-up,
    the HAL SDK, the C library and the compiler runtime.  The counts add up
    to the run's retired total exactly.  Each ISA runs once, on up to `jobs`
    host processes; `options` says how sources are built (`hal.compiler(...)`)."""
    from ..safety.parallel import default_jobs
    limit = positive("max_instructions", max_instructions)
    jobs = positive("jobs", jobs) or default_jobs()
    images = load(program, isas, options=options)
    p = inspection.profile(images[0].name, images, jobs=jobs, stdin=input_bytes(input),
                           max_instructions=limit)
    return Profile(p.guest, p.profiles)
