"""The floating-point unit: the state a guest finds at reset, on every ISA."""
from conftest import image

from hal.core import runner
from hal.core.machine import Machine

# What each ISA's own instruction reads from its FPU control registers at reset
# (tests/guests/fpu_reset.c): exceptions masked, round to nearest, and on x86
# 64-bit x87 precision (0x037F) and SSE's 0x1F80, as real hardware resets.
CONTROL_AT_RESET = {
    "x86": "fpcw 0x037f mxcsr 0x1f80",
    "mips": "fcsr 0x00000000",
    "ppc": "fpscr 0x00000000",
    "alpha": "fcsr 0x00000000",
}


def test_reset_leaves_the_fpu_as_the_backend_says(backend):
    m = Machine(image("fpu_reset", backend.name))
    assert backend.fpu.reset, "every ISA here has an FPU to set up"
    for name, clear, set_ in backend.fpu.reset:
        value = m.uc.reg_read(backend.reg(name))
        assert value & (clear | set_) == set_, f"{name}={value:#x}"


def test_guest_reads_the_reset_control_registers(backend):
    r = runner.run(image("fpu_reset", backend.name))
    assert r.fault is None
    assert r.output.decode() == (f"{CONTROL_AT_RESET[backend.name]}\n"
                                 "sqrt(2) * 1e9 = 1414213562\n"
                                 "sqrt(2) * 1e9 = 1414213562\n")
