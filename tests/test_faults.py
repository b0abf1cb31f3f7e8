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
def test_unknown_service_is_reported_at_the_trap(isa):
    from hal.core import registry
    r = runner.run(image("bad_service", isa))
    assert r.fault.reason == "unknown HAL service 99"          # no "ran past the end" remark
    assert r.fault.instruction == registry.get(isa).trap.mnemonic
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
def test_stack_overflow_is_a_named_fault_at_the_guard_page(isa):
    """The stack meets the unmapped guard page above the guest's data before
    it can overwrite the guest's globals."""
    r = runner.run(image("recurse", isa), memory=MemoryMap(64 << 10))
    assert r.fault.reason.startswith("stack overflow: ")
    assert r.fault.reason.endswith(" past the end of the stack")
    img = image("recurse", isa)
    data_end = max(s.vaddr + s.memsz for s in img.segments)
    guard = (data_end + 0xFFF) & ~0xFFF
    assert guard <= r.fault.address < guard + 0x1000


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


@pytest.mark.parametrize("isa", ISAS)
def test_halting_the_cpu_is_named_not_a_jump(isa):
    """x86 hlt, MIPS wait, RISC-V wfi (PowerPC's 32-bit core knows no wait)."""
    r = runner.run(image("halt", isa))
    assert r.output == b"halting\n"
    if isa == "ppc":
        assert r.fault.reason == "illegal instruction (emulation assistance)"
    else:
        assert r.fault.reason.startswith("halted the CPU: a guest ends with hal_exit")
        mnemonic = {"x86": "hlt", "mips": "wait", "alpha": "wfi"}[isa]
        assert r.fault.reason.endswith(f"not with `{mnemonic}`")
        assert r.fault.instruction == mnemonic


@pytest.mark.parametrize("isa", ISAS)
def test_console_input_cannot_be_read_over_code(isa):
    """hal_read respects the guest's own page protections: its code is read-only."""
    import io

    from hal.core import registry
    r = runner.run(image("read_over_code", isa), stdin=io.BytesIO(bytes(600)))
    assert r.fault.reason.startswith("hal_read of 600 bytes writes to read-only memory at address 0x")
    assert r.fault.instruction == registry.get(isa).trap.mnemonic      # reported at the trap
    assert r.output == b""
    quiet = runner.run(image("read_over_code", isa), stdin=io.BytesIO(b""))
    assert (quiet.output, quiet.exit_code) == (b"read 0\n", 1)     # nothing read, nothing written


@pytest.mark.parametrize("isa", ISAS)
def test_services_see_the_guard_page_as_the_guest_does(isa):
    from hal.core.guestmem import GuestMemoryError
    m = Machine(image("hello", isa))
    guard = m.guest_memory.guard
    assert guard is not None
    with pytest.raises(GuestMemoryError, match="reads the stack's guard page at address"):
        m.guest_memory.read(guard - 4, 8, "hal_write of 8 bytes")
    with pytest.raises(GuestMemoryError, match="writes to the stack's guard page"):
        m.guest_memory.write(guard + 0x800, b"x", "hal_read of 1 bytes")
    m.guest_memory.write(guard + 0x1000, b"abcd", "hal_read of 4 bytes")    # the stack above is fine
    assert len(m.guest_memory.ram()) == m.memory.size
    m.close()
    assert m.retired == 0
