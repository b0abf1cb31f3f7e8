"""The debugger's engine without GDB: every stop, forwards or backwards, lands
on exactly the state a plain run has at that instruction count, on every ISA.

The reference is a plain machine with a hook on every instruction, which
records the registers and the console's length before each one: state k is
the guest after k retired instructions."""
from __future__ import annotations

import io
from functools import lru_cache

import pytest
from conftest import ISAS, image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unicorn import UC_HOOK_CODE, UC_HOOK_MEM_WRITE

from hal.core import runner
from hal.core.machine import Stop
from hal.debugger.checkpoints import Store
from hal.debugger.motion import Action, perform
from hal.debugger.target import Target
from hal.debugger.tdesc import describe
from hal.inspection.symbols import Program


@lru_cache(maxsize=None)
def reference(guest: str, isa: str, stdin: bytes | None = None):
    """(pc, registers, console length) before every instruction, and the output."""
    img = image(guest, isa)
    m = runner.new_machine(img, stdin=io.BytesIO(stdin) if stdin is not None else None)
    b = img.backend
    ids = [b.reg(r) for r in b.regs.dump]
    states = []
    m.uc.hook_add(UC_HOOK_CODE, lambda uc, a, s, d: states.append(
        (a, tuple(uc.reg_read(r) for r in ids), m.console._size)))
    result = runner.finish(m)
    return states, result.output


def state_at(guest: str, isa: str, position: int):
    """(pc, registers) after `position` instructions of a plain run, for guests
    too long to keep every state of: a hook stops it there."""
    img = image(guest, isa)
    m = runner.new_machine(img)
    b = img.backend
    count = [0]

    def hook(uc, a, s, d):
        if count[0] == position:
            uc.emu_stop()
        count[0] += 1
    m.uc.hook_add(UC_HOOK_CODE, hook)
    m.counter.limit = position + 512         # the run ends near there at the latest
    m.run()
    return m.pc, tuple(m.uc.reg_read(b.reg(r)) for r in b.regs.dump)


def plain_output(guest: str, isa: str) -> bytes:
    return runner.run(image(guest, isa)).output


def debugged(guest: str, isa: str, stdin: bytes | None = None, budget: int | None = None):
    m = runner.new_machine(image(guest, isa), echo=io.BytesIO(),
                           stdin=io.BytesIO(stdin) if stdin is not None else None)
    t = Target(m, describe(m.backend))
    if budget is not None:
        t.store.budget = budget
    return t


def drive(t: Target, kind: str):
    """One GDB command, with the lone runner answering blocking requests."""
    action = Action(kind)
    while True:
        out = perform(t, action, lambda: False)
        if out.kind != "driver":
            return out
        if out.stop is Stop.BLOCKED:
            runner.answer(t.m)
        t.enter_run(None)


def assert_at_reference(t: Target, guest: str, stdin: bytes | None = None):
    states, _ = reference(guest, t.m.backend.name, stdin)
    b = t.m.backend
    pc, regs, console = states[t.position]
    assert t.m.pc == pc, f"pc at {t.position}"
    assert tuple(t.m.uc.reg_read(b.reg(r)) for r in b.regs.dump) == regs, f"registers at {t.position}"
    assert len(t.m.console.output) == console


def function(guest: str, isa: str, name: str) -> int:
    return next(f.start for f in Program(image(guest, isa)).functions if f.name == name)


@pytest.mark.parametrize("isa", ISAS)
def test_breakpoints_forwards_and_backwards_land_on_the_reference(isa):
    t = debugged("debugme", isa)
    square = function("debugme", isa, "square")
    t.hooks.add_break(square)
    hits = []
    for _ in range(5):
        assert drive(t, "continue").reason == "break"
        assert t.m.pc == square
        assert_at_reference(t, "debugme")
        hits.append(t.position)
    states, _ = reference("debugme", isa)
    assert hits == [k for k, s in enumerate(states) if s[0] == square]
    for expected in reversed(hits[:-1]):
        assert drive(t, "reverse-continue").reason == "break"
        assert t.position == expected
        assert_at_reference(t, "debugme")
    assert drive(t, "reverse-continue").reason == "begin"
    assert t.position == 0
    t.hooks.remove_break(square)
    out = drive(t, "continue")
    assert (out.kind, out.code) == ("exited", 55)


@pytest.mark.parametrize("isa", ISAS)
def test_reverse_steps_retrace_every_instruction(isa):
    """Step 60 instructions forward, then back to the start one at a time: each
    stop matches the reference, and the two walks visit the same positions."""
    t = debugged("debugme", isa)
    forward = [t.position]
    for _ in range(60):
        assert drive(t, "step").reason == "step"
        assert_at_reference(t, "debugme")
        forward.append(t.position)
    backward = [t.position]
    while t.position > 0:
        assert drive(t, "reverse-step").reason == "step"
        assert_at_reference(t, "debugme")
        backward.append(t.position)
    assert backward == forward[::-1]
    assert drive(t, "reverse-step").reason == "begin"


def stores_to(guest: str, isa: str, address: int, length: int) -> list[int]:
    """The positions of the instructions that write into [address, +length)."""
    m = runner.new_machine(image(guest, isa))
    count, found = [0], []

    def store(uc, access, a, size, value, data):
        if a < address + length and a + size > address and count[0] - 1 not in found:
            found.append(count[0] - 1)
    m.uc.hook_add(UC_HOOK_CODE, lambda uc, a, s, d: count.__setitem__(0, count[0] + 1))
    m.uc.hook_add(UC_HOOK_MEM_WRITE, store)
    runner.finish(m)
    return found


@pytest.mark.parametrize("isa", ISAS)
def test_watchpoints_stop_where_gdb_expects(isa):
    """A write watchpoint on `counter`: after the store on i386, before it where
    GDB steps over the store itself (MIPS, PowerPC, RISC-V); backwards, the mirror."""
    t = debugged("debugme", isa)
    img = image("debugme", isa)
    address = next(s["st_value"] for s in Program(img).elf.get_section_by_name(".symtab")
                   .iter_symbols() if s.name == "counter")
    width = img.backend.word_bytes
    stores = stores_to("debugme", isa, address, width)
    assert len(stores) >= 5          # the start-up code clears .bss first, on some ISAs
    before = describe(img.backend).watch_before
    t.hooks.add_watch("watch", address, img.backend.word_bytes)
    for w in stores:
        out = drive(t, "continue")
        assert out.reason == "watch" and address <= out.address < address + width
        assert t.position == (w if before else w + 1)
        assert_at_reference(t, "debugme")
        if before:                       # as GDB does: step over the store, watchpoints off
            t.hooks.remove_watch("watch", address, width)
            drive(t, "step")
            t.hooks.add_watch("watch", address, width)
    for w in reversed(stores):
        out = drive(t, "reverse-continue")
        assert out.reason == "watch" and address <= out.address < address + width
        assert t.position == (w + 1 if before else w)
        assert_at_reference(t, "debugme")
        if before:                       # ... and backwards, step back over it
            t.hooks.remove_watch("watch", address, width)
            drive(t, "reverse-step")
            t.hooks.add_watch("watch", address, width)
        assert t.position == w
    assert drive(t, "reverse-continue").reason == "begin"


@pytest.mark.parametrize("isa", ISAS)
def test_rewound_output_is_not_printed_twice(isa):
    t = debugged("fib", isa)
    t.hooks.add_break(function("fib", isa, "fib"))
    for _ in range(200):
        drive(t, "continue")
    printed = t.m.console.echo.echo.getvalue()
    for _ in range(150):
        drive(t, "reverse-continue")
    assert t.m.console.echo.echo.getvalue() == printed
    t.hooks.remove_all()
    assert drive(t, "continue").kind == "exited"
    assert t.m.console.echo.echo.getvalue() == plain_output("fib", isa)


@pytest.mark.parametrize("guest,stdin", [("echo", b"one line\nand another\n"),
                                         ("sum", b"3 4 5\n"), ("sleepy", None)])
@pytest.mark.parametrize("isa", ISAS)
def test_replay_gives_back_what_came_from_outside(guest, stdin, isa):
    """Console input (UART and hal_read), sleeps and the clock come from the
    journal when re-executed: going back and forth over them is exact."""
    t = debugged(guest, isa, stdin)
    states, output = reference(guest, isa, stdin)
    total = len(states)
    for target in (total // 3, 2 * total // 3, total - 2):
        while t.position < target:
            out = drive(t, "step") if target - t.position < 3 else _run_to(t, target)
            assert out.kind == "stopped"
        assert_at_reference(t, guest, stdin)
        for _ in range(3):
            drive(t, "reverse-step")
            assert_at_reference(t, guest, stdin)
        t.goto(total // 5)
        assert_at_reference(t, guest, stdin)
        t.goto(t.frontier)
    assert drive(t, "continue").kind == "exited"
    assert t.m.console.echo.echo.getvalue() == output


def _run_to(t: Target, target: int):
    t.goto(min(target, t.frontier)) if target <= t.frontier else None
    while t.position < target:
        out = drive(t, "step")
    return out


def test_checkpoint_memory_stays_within_its_budget():
    """A small budget: checkpoints thin out, and reverse execution still works."""
    t = debugged("fib", "mips", budget=400 << 10)
    t.hooks.add_break(function("fib", "mips", "fib"))
    t.interval = 20_000
    for _ in range(1500):
        drive(t, "continue")
    assert t.store.peak <= t.store.budget
    assert len(t.store.points) >= 2
    here = t.position
    assert drive(t, "reverse-continue").reason == "break"
    assert t.position < here
    b = t.m.backend
    assert (t.m.pc, tuple(t.m.uc.reg_read(b.reg(r)) for r in b.regs.dump)) == \
        state_at("fib", "mips", t.position)


def test_the_store_keeps_the_first_checkpoint_and_evens_out_gaps():
    m = runner.new_machine(image("fib", "x86"))
    store = Store(m, budget=1)
    from hal.debugger.journal import Cursors
    for n in range(1, 9):
        m.run(budget=1000 * n)
        store.take(Cursors(0, 0, 0, 0))
    assert store.points[0].position > 0 and len(store.points) == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isa=st.sampled_from(ISAS),
       moves=st.lists(st.sampled_from(["step", "reverse-step", "continue", "reverse-continue",
                                       "goto"]), min_size=1, max_size=12),
       where=st.lists(st.integers(min_value=0, max_value=10**6), min_size=12, max_size=12))
def test_any_sequence_of_moves_lands_on_the_reference(isa, moves, where):
    """Property: whatever GDB asks, in any order, the guest is where a plain run
    would be at the same count."""
    t = debugged("debugme", isa)
    square = function("debugme", isa, "square")
    t.hooks.add_break(square)
    for move, w in zip(moves, where):
        if t.m.done:
            break
        if move == "goto":
            t.goto(t.start + w % (t.frontier - t.start + 1))
        else:
            drive(t, move)
        if not t.m.done:
            assert_at_reference(t, "debugme")


@pytest.mark.parametrize("isa", ISAS)
def test_going_back_before_hal_fp_trap_forgets_it(isa):
    """A checkpoint holds the floating-point exceptions asked for: back at the
    start the division the guest leaves masked gives infinity again, and going
    forward stops at the trapped one, at the same instruction as the first time."""
    t = debugged("fp_trap", isa, b"z")
    first = drive(t, "continue")
    assert (first.kind, first.reason) == ("stopped", "signal"), first
    trapped_at, first_reason = t.position, t.m.fault.reason
    assert b"masked: inf" in t.m.console.output
    assert drive(t, "reverse-continue").reason == "begin"
    again = drive(t, "continue")
    assert (again.reason, again.signal, t.position) == ("signal", first.signal, trapped_at)
    assert "divide by zero" in t.m.fault.reason
    assert drive(t, "reverse-step").reason == "step"      # before the division (MIPS:
    assert t.position < trapped_at and t.m.fault is None  # at the branch of its slot)
    while t.position < trapped_at:                        # it runs; the report comes
        assert drive(t, "step").reason == "step"          # before the next instruction,
    assert drive(t, "step").reason == "signal"            # as in a plain run
    assert (t.position, t.m.fault.reason) == (trapped_at, first_reason)
