"""The floating-point unit: the state a guest finds at reset, on every ISA."""
import os
import re
from functools import lru_cache

import pytest
from conftest import ISAS, TEST_GUESTS, elf, image

from hal.core import runner
from hal.core.machine import Machine
from hal.toolchain import guests, native

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


# Guests that compute in float and double; each prints the same on every ISA
# as in the host's own build (gcc or clang, SSE2 on x86-64: IEEE 754 with no
# excess precision), because every ISA here now rounds every operation the
# same way, in hardware.
FP_GUESTS = ["nbody", "fpmath"]
SOFT_FLOAT = re.compile(r"__(add|sub|mul|div|neg)[sd]f3|__(eq|ne|lt|le|gt|ge|un|cmp)[sd]f2"
                        r"|__extendsfdf2|__truncdfsf2|__fix(uns)?[sd]fsi|__float(un)?si[sd]f")
needs_cc = pytest.mark.skipif(native.compiler() is None and os.environ.get("CI") != "true",
                              reason="no host C compiler (cc) for the native reference build")


def _source(guest):
    test_source = TEST_GUESTS / f"{guest}.c"
    return test_source if test_source.is_file() else guests.source(guest)


@lru_cache(maxsize=None)
def _native(guest):
    return native.run(_source(guest))


@needs_cc
@pytest.mark.parametrize("guest", FP_GUESTS)
def test_same_output_as_the_host_native_build(guest, backend):
    host = _native(guest)
    assert host.exit_code == 0
    r = runner.run(image(guest, backend.name))
    assert r.fault is None and r.exit_code == 0
    assert r.output.decode() == host.output.decode()


@pytest.mark.parametrize("guest", FP_GUESTS)
def test_no_software_floating_point(guest, backend):
    """compiler-rt's soft-float routines (__adddf3 and friends) are gone: the
    FPU does the arithmetic.  (64-bit integer conversions on the 32-bit ISAs
    may still call __floatdidf, which itself runs on the FPU.)"""
    from elftools.elf.elffile import ELFFile
    with open(elf(guest, backend.name), "rb") as f:
        names = {s.name for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}
    assert not {n for n in names if SOFT_FLOAT.fullmatch(n)}


def test_nbody_counts_within_three_times_x86():
    """The floating-point guest: each ISA retires at most 3x what x86 does (with
    soft float, MIPS took 75x)."""
    counts = {isa: runner.run(image("nbody", isa)).retired for isa in ISAS}
    assert all(n <= 3 * counts["x86"] for n in counts.values()), counts
