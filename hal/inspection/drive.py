"""Run a Machine to its end as `hal run` does, for tools (`hal compare`,
`hal trace`) that attach their own Unicorn hooks to it first."""
from __future__ import annotations

import io

from ..core import runner
from ..core.machine import Machine, Stop


def machine(image, *, stdin: bytes | None = None, max_instructions: int | None = None) -> Machine:
    """A fresh machine whose console input is `stdin` (none if None)."""
    return runner.new_machine(image, stdin=io.BytesIO(stdin) if stdin is not None else None,
                              max_instructions=max_instructions)


def to_end(m: Machine, keep_going=lambda: True) -> Stop:
    """Run until the guest exits, faults or hits a limit (or keep_going() says stop),
    answering blocking services with `hal run`'s answers."""
    while (stop := m.run()) is Stop.BLOCKED and keep_going():
        runner.answer(m)
    return stop
