"""The native counter and the pure-Python fallback give the same numbers."""
import pytest
from conftest import BUNDLED, ISAS, image

from hal.core import counting
from hal.core.machine import Machine, Stop
from hal.paths import GUESTS
from hal.scheduling import metrics, policies, workload
from hal.scheduling.scheduler import Scheduler


def test_native_counter_is_built():
    """The package build compiles hal/core/native/counter.c (make test needs a C compiler)."""
    assert counting.native_library() is not None


def finish(m, quantum=None):
    """Run to the end, answering sleeps at once."""
    while (stop := m.run(budget=quantum)) in (Stop.BUDGET, Stop.BLOCKED):
        if stop is Stop.BLOCKED:
            m.complete()
    return m


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("quantum", [None, 7, 1000])
def test_same_counts_native_and_python(isa, quantum):
    guests = BUNDLED if quantum != 7 else ["hello", "crc32", "endian"]
    for g in guests:
        native = finish(Machine(image(g, isa), native=True), quantum)
        python = finish(Machine(image(g, isa), native=False), quantum)
        assert native.counter.native and not python.counter.native
        assert native.retired == python.retired, g
        assert native.console.output == python.console.output
        assert native.counter.blocks() == python.counter.blocks(), g


@pytest.mark.parametrize("isa", ISAS)
def test_same_limit_and_fault_counts(isa):
    for g, limit in (("spin", 12_345), ("null_deref", None), ("recurse", None)):
        a = finish(Machine(image(g, isa), native=True, max_instructions=limit))
        b = finish(Machine(image(g, isa), native=False, max_instructions=limit))
        assert a.retired == b.retired and a.fault.summary() == b.fault.summary()


def test_scheduler_reports_do_not_change_without_the_native_helper(monkeypatch):
    cfgs = workload.resolve(workload.load(GUESTS / "workloads" / "consolidation.toml").guests)
    fast = metrics.collect(Scheduler(cfgs, policies.make("shares"), cores=3, switch_cost=100).run())
    monkeypatch.setenv("HALEMU_NATIVE", "0")
    slow = metrics.collect(Scheduler(cfgs, policies.make("shares"), cores=3, switch_cost=100).run())
    assert fast == slow


@pytest.mark.parametrize("isa", ISAS)
def test_new_blocks_are_decoded_in_c_not_asked_of_python(isa):
    """Where instruction widths vary, the C counter decodes each new block
    through capstone's C library itself; fixed widths need no decoding."""
    for g in BUNDLED:
        m = finish(Machine(image(g, isa), native=True))
        decoded, asked = m.counter.new_block_sources()
        if m.backend.counting_width:
            assert (decoded, asked) == (0, 0)
        else:
            assert asked == 0 and decoded >= len(m.counter.blocks()), g


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("direct", [counting._DIRECT_MAX, 8])
def test_the_last_block_is_the_same_from_the_direct_map_and_the_table(isa, direct, monkeypatch):
    """Fault corrections read the last block counted.  A direct-map slot keeps
    no address (its index implies it), a table entry does: with a direct map
    of 8 block starts, nearly every block lives in the table instead."""
    monkeypatch.setattr(counting, "_DIRECT_MAX", direct)
    a, b = Machine(image("crc32", isa), native=True), Machine(image("crc32", isa), native=False)
    seen = set()
    while True:
        stop = a.run(budget=997)
        assert b.run(budget=997) is stop and a.retired == b.retired
        last = a.counter.last_block
        assert last == b.counter.last_block and last != (0, 0, 0)
        seen.add(last[0])
        if stop is Stop.BLOCKED:
            a.complete()
            b.complete()
        elif stop is not Stop.BUDGET:
            break
    assert a.counter.blocks() == b.counter.blocks() and len(seen) > 3
