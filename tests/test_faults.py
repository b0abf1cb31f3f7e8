"""Misbehaving guests end with a clear report, never a host crash."""
import pytest
from conftest import ISAS, image

from hal.core import runner
from hal.core.machine import Machine, Stop
from hal.core.memmap import MemoryMap


@pytest.mark.parametrize("isa", ISAS)
def test_null_read_reports_address_pc_and_instruction(isa):
    r = runner.run(image("null_deref", isa))
    assert r.output == b"about to read address 0\n"
    assert r.fault is not None and r.exit_code is None
    assert r.fault.reason == "read from unmapped memory"
    assert r.fault.address == 0
    line = r.error_line()
    assert line.startswith(f"null_deref on {isa}: read from unmapped memory at address 0x0 (pc 0x")
    assert "?" not in r.fault.instruction          # disassembled, not unknown
    assert r.status == 3


@pytest.mark.parametrize("isa", ISAS)
def test_unknown_service(isa):
    r = runner.run(image("bad_service", isa))
    assert r.fault.reason == "unknown HAL service 99"
    assert r.output == b""


@pytest.mark.parametrize("isa", ISAS)
def test_instruction_limit_stops_a_runaway_exactly(isa):
    r = runner.run(image("spin", isa), max_instructions=50_000)
    assert r.output == b"spinning\n"
    assert r.fault.reason.startswith("exceeded the instruction limit of 50000")
    assert r.retired <= 50_000
    assert r.retired > 50_000 - 512


@pytest.mark.parametrize("isa", ISAS)
def test_exit_code_passes_through(isa):
    r = runner.run(image("exit42", isa))
    assert (r.exit_code, r.status, r.fault) == (42, 42, None)


@pytest.mark.parametrize("isa", ISAS)
def test_write_outside_ram_is_the_guests_fault(isa):
    r = runner.run(image("bad_write", isa))
    assert "hal_write of 8 bytes at 0x10 is outside guest RAM" in r.fault.reason


@pytest.mark.parametrize("isa", ISAS)
def test_jump_to_null(isa):
    r = runner.run(image("jump_null", isa))
    assert r.fault.reason == "jumped to unmapped memory"
    assert r.fault.pc == 0


@pytest.mark.parametrize("isa", ISAS)
def test_stack_overflow_faults_below_ram(isa):
    r = runner.run(image("recurse", isa), memory=MemoryMap(64 << 10))
    # the stack runs down over .bss and .data, then meets the write-protected code
    assert r.fault.reason == "write to read-only memory"
    assert MemoryMap().ram_base <= r.fault.address < MemoryMap().ram_base + 0x1000


@pytest.mark.parametrize("isa", ISAS)
def test_running_past_the_end_of_the_code_hits_the_fence(isa):
    """The rest of the last code page holds the trapping fence instruction."""
    from hal.core import registry
    b = registry.get(isa)
    img = image("hello", isa)
    text = next(s for s in img.segments if s.executable)
    m = Machine(img)
    end = text.vaddr + text.memsz
    m.uc.reg_write(b.reg(b.regs.pc), end)
    assert m.run() is Stop.FAULTED
    assert m.fault.reason.endswith("(ran past the end of the code into the fence)")
    assert m.fault.pc == end
    assert m.retired == 0


@pytest.mark.parametrize("isa", ISAS)
def test_jump_into_data_faults(isa):
    """Data is never executable: the code guard reads code once, before it
    runs, so code a guest wrote must never run (hal/core/codeguard.py); and
    zeroed RAM would be a long run of MIPS nops that nothing guards."""
    from hal.core import registry
    b = registry.get(isa)
    m = Machine(image("hello", isa))
    target = m.memory.ram_end - 0x4000
    m.uc.reg_write(b.reg(b.regs.pc), target)
    assert m.run() is Stop.FAULTED
    assert m.fault.reason == "jumped to non-executable memory"
    assert m.fault.pc == target


@pytest.mark.parametrize("isa", ISAS)
def test_console_input(isa):
    import io
    r = runner.run(image("echo_input", isa), stdin=io.BytesIO(b"abc\ndefghijklmnopqrstuvwxyz\n"))
    assert r.output == b"abc\ndefghijklmnopqrstuvwxyz\nbytes: 28\n"


@pytest.mark.parametrize("isa", ISAS)
def test_a_faulting_guest_leaves_others_untouched(isa):
    bad = runner.run(image("null_deref", isa))
    good = runner.run(image("crc32", isa))
    assert bad.fault and good.fault is None and good.exit_code == 0
