"""A machine that keeps only its total (block_counts=False, as `hal run`
makes it) counts exactly what one that keeps every block does: the same
retired count at every slice's end, the same last block for fault
corrections, the same limits and faults, natively and in Python."""
import pytest
from conftest import BUNDLED, ISAS, image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hal.core import counting, runner
from hal.core.machine import Machine, Stop

FAULTY = (("spin", 12_345), ("null_deref", None), ("recurse", None), ("spin", 1))


def both(g, isa, native, **kwargs):
    return (Machine(image(g, isa), native=native, **kwargs),
            Machine(image(g, isa), native=native, block_counts=False, **kwargs))


def in_step(blocks, totals, budgets):
    """Run both machines slice by slice, the budgets in turn, and check that
    they agree at every stop; returns how they ended."""
    i = 0
    while True:
        budget = budgets[i % len(budgets)] if budgets else None
        i += 1
        stop = blocks.run(budget=budget)
        assert totals.run(budget=budget) is stop
        assert totals.retired == blocks.retired
        assert totals.counter.last_block == blocks.counter.last_block
        if stop is Stop.BLOCKED:
            blocks.complete()
            totals.complete()
        elif stop is not Stop.BUDGET:
            assert totals.console.output == blocks.console.output
            assert totals.exit_code == blocks.exit_code
            assert (totals.fault and totals.fault.summary()) == (blocks.fault and blocks.fault.summary())
            return stop


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("native", [True, False])
@pytest.mark.parametrize("quantum", [None, 7, 1000])
def test_totals_only_count_what_the_blocks_count(isa, native, quantum):
    guests = BUNDLED if quantum != 7 else ["hello", "crc32", "endian"]
    for g in guests:
        blocks, totals = both(g, isa, native)
        assert in_step(blocks, totals, [quantum] if quantum else []) is Stop.EXITED, g


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("native", [True, False])
def test_totals_only_stop_at_the_same_limits_and_faults(isa, native):
    for g, limit in FAULTY:
        blocks, totals = both(g, isa, native, max_instructions=limit)
        assert in_step(blocks, totals, []) in (Stop.FAULTED, Stop.LIMIT), g


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isa=st.sampled_from(ISAS), guest=st.sampled_from(["crc32", "sort", "fpmath", "null_deref"]),
       budgets=st.lists(st.integers(1, 5000), min_size=1, max_size=6))
def test_any_slicing_keeps_totals_and_blocks_in_step(isa, guest, budgets):
    """Property: whatever the slices, the two counters never drift apart."""
    blocks, totals = both(guest, isa, True)
    in_step(blocks, totals, budgets)


@pytest.mark.parametrize("isa", ISAS)
def test_fixed_widths_count_by_size_without_looking_blocks_up(isa):
    """Where a block's count is its size / 4, the totals-only counter uses the
    C hook that only adds (hal_count_total_4); elsewhere the block hooks."""
    m = Machine(image("crc32", isa), native=True, block_counts=False)
    assert m.counter.by_size is (m.backend.counting_width == 4)
    assert not Machine(image("crc32", isa), native=True).counter.by_size


@pytest.mark.parametrize("native", [True, False])
def test_a_totals_only_machine_has_no_blocks_to_weigh(native):
    m = Machine(image("hello", "ppc"), native=native, block_counts=False)
    m.run()
    with pytest.raises(counting.BlocksNotKept, match="block_counts=True"):
        m.counter.blocks()


@pytest.mark.parametrize("isa", ISAS)
def test_hal_run_counts_totals_only_and_the_same(isa, monkeypatch):
    """runner.run (`hal run`, grading) closes its machine, so it keeps no blocks."""
    made = []
    real = runner.Machine
    monkeypatch.setattr(runner, "Machine", lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    result = runner.run(image("sort", isa))
    assert made[0].counter.block_counts is False
    whole = Machine(image("sort", isa))
    assert whole.run() is Stop.EXITED
    assert result.retired == whole.retired and result.output == whole.console.output
