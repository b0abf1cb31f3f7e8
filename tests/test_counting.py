"""Retired-instruction counts are exact: checked against a per-instruction hook,
and unchanged however the run is sliced (MIPS delay slots included)."""
import pytest
from conftest import BUNDLED, ISAS, image
from unicorn import UC_HOOK_CODE

from hal.core.machine import Machine, Stop

SMALL = ["hello", "crc32", "endian", "matmul", "fpmath"]


def drive(m, quantum=None):
    """Run to the end in slices, answering sleeps at once; returns the slice count."""
    slices = 0
    while (stop := m.run(budget=quantum)) in (Stop.BUDGET, Stop.BLOCKED):
        if stop is Stop.BLOCKED:
            assert m.request.service.name == "sleep"
            m.complete()
        slices += 1
    assert stop is Stop.EXITED
    return slices


def run_sliced(img, quantum):
    m = Machine(img)
    return m, drive(m, quantum)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", SMALL)
def test_block_count_equals_instruction_hook(guest, isa):
    img = image(guest, isa)
    m = Machine(img)
    steps = [0]
    m.uc.hook_add(UC_HOOK_CODE, lambda uc, a, s, d: steps.__setitem__(0, steps[0] + 1))
    assert m.run() is Stop.EXITED
    assert m.retired == steps[0]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("quantum", [1, 2, 3, 7, 100, 9_999, 100_000])
def test_slicing_keeps_output_and_count(isa, quantum):
    """Any quantum: the same output and the same exact count as one unsliced run."""
    guests = BUNDLED if quantum >= 100 else SMALL[:2]
    for guest in guests:
        img = image(guest, isa)
        whole = Machine(img)
        drive(whole)
        sliced, slices = run_sliced(img, quantum)
        assert sliced.console.output == whole.console.output, guest
        assert sliced.retired == whole.retired, guest
        if quantum < 100:
            assert slices >= whole.retired // 64, "slices should be short"


@pytest.mark.parametrize("isa", ISAS)
def test_slices_end_near_the_quantum(isa):
    """A slice ends at the first block boundary at or past its budget."""
    m = Machine(image("fib", isa))
    before = 0
    while m.run(budget=1000) is Stop.BUDGET:
        ran = m.retired - before
        assert 1000 <= ran < 1000 + 512   # QEMU blocks hold at most 512 instructions
        before = m.retired
