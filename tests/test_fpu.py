"""The floating-point unit: the state a guest finds at reset, on every ISA."""
import importlib
import io
import os
import re
import struct
from functools import lru_cache

import pytest
from conftest import ISAS, LIBC_TESTS, TEST_GUESTS, TESTS, c_program, elf, image
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.core import fpu, registry, runner
from hal.core.machine import Machine, Stop
from hal.safety import snapshot
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


def test_the_c_library_is_hard_float_too(backend):
    """A C library program (musl, <math.h>) computes on the FPU as well: no
    soft-float routine is linked, and its mix has floating-point work."""
    from elftools.elf.elffile import ELFFile

    from hal.inspection.compare import measure
    from hal.toolchain.options import BuildOptions
    program = c_program(LIBC_TESTS / "maths.c", backend.name, BuildOptions(libraries=("m",)))
    with open(program.path, "rb") as f:
        names = {s.name for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}
    assert not {n for n in names if SOFT_FLOAT.fullmatch(n)}
    row = measure(program)
    assert row.fault is None and sum(row.mix.values()) == row.retired
    assert row.mix["fp"] > row.retired // 50        # printf is most of it: integer work


def test_nbody_counts_within_three_times_x86():
    """The floating-point guest: each ISA retires at most 3x what x86 does (with
    soft float, MIPS took 75x)."""
    counts = {isa: runner.run(image("nbody", isa)).retired for isa in ISAS}
    assert all(n <= 3 * counts["x86"] for n in counts.values()), counts


# -- floating-point state wherever registers appear ---------------------------------

def _data_registers(backend, uc):
    state = fpu.read(backend, uc)
    return {n: state[n] for f in backend.fpu.files for n in f.names}


def _run_to(m, point):
    while m.retired < point:
        assert m.run(budget=point - m.retired) is Stop.BUDGET


def test_snapshot_in_the_middle_of_floating_point_work(backend, tmp_path):
    """nbody stopped half-way, with live values in its FPU registers, saved,
    restored in a new machine: the same output and count as a run that never
    stopped.  (Without the FPU in the snapshot, the restored run goes wrong.)"""
    whole = runner.run(image("nbody", backend.name))
    m = Machine(image("nbody", backend.name))
    _run_to(m, whole.retired // 2)
    while sum(1 for v in _data_registers(backend, m.uc).values() if v) < 2:
        assert m.run(budget=1) is Stop.BUDGET
    saved = fpu.read(backend, m.uc)
    snapshot.save(m, tmp_path / "nbody.snap")
    restored = snapshot.load(tmp_path / "nbody.snap")
    assert fpu.read(backend, restored.uc) == saved
    assert restored.run(budget=whole.retired) is Stop.EXITED    # a wrong FPU can loop forever
    assert restored.console.output == whole.output
    assert restored.retired == whole.retired


def test_snapshot_with_values_on_the_x87_stack(tmp_path):
    """x86: the x87 copy of excess's sum keeps its running total on the x87
    stack; a snapshot taken there restores the stack, its top and its tags."""
    b = registry.get("x86")
    whole = runner.run(image("excess", "x86"))
    m = Machine(image("excess", "x86"))
    while dict(b.fpu_view(m.uc))["x87"] == "[]" or m.retired < whole.retired // 2:
        assert m.run(budget=1) is Stop.BUDGET
    stack = dict(b.fpu_view(m.uc))["x87"]
    snapshot.save(m, tmp_path / "x87.snap")
    restored = snapshot.load(tmp_path / "x87.snap")
    assert dict(b.fpu_view(restored.uc))["x87"] == stack
    assert restored.run(budget=whole.retired) is Stop.EXITED
    assert (restored.console.output, restored.retired) == (whole.output, whole.retired)


def test_damaged_fpu_state_in_a_snapshot_is_refused(tmp_path):
    import hashlib
    import json

    from hal.safety.snapshot import SnapshotError, _LEN
    m = Machine(image("nbody", "ppc"))
    m.run(budget=1000)
    path = tmp_path / "a.snap"
    snapshot.save(m, path)
    blob = path.read_bytes()
    (n,) = _LEN.unpack_from(blob, 8)
    header = json.loads(blob[16:16 + n])
    header["fpu"]["f0"] = 1 << 64                       # wider than the register
    new = json.dumps(header, sort_keys=True).encode()
    body = blob[:8] + _LEN.pack(len(new)) + new + blob[16 + n:-32]
    path.write_bytes(body + hashlib.sha256(body).digest())
    with pytest.raises(SnapshotError, match="floating-point registers do not match"):
        snapshot.load(path)


# Values fp_fault holds in its FPU when it faults: as numbers where the register
# format is fixed, as bits elsewhere (the high word of a MIPS pair, an xmm register)
FAULT_VALUES = {"1.5", "2.25", "3.375", "3ff80000", "40020000", "400b0000"}


def test_fault_report_shows_the_fpu_after_the_integer_registers(backend):
    r = runner.run(image("fp_fault", backend.name))
    assert r.fault.reason == "read from unmapped memory"
    names = [n for n, _ in r.fault.fpu]
    assert names[0] == backend.fpu.control[0][0]
    assert any(v in text for _, text in r.fault.fpu for v in FAULT_VALUES), r.fault.fpu_dump()


def test_fault_report_fpu_line_on_the_command_line():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "hal", "run", str(TEST_GUESTS / "fp_fault.c"),
                           "--isa", "ppc"], capture_output=True, text=True)
    lines = proc.stderr.splitlines()
    assert proc.returncode == 3
    assert lines[0].startswith("hal: error: fp_fault on ppc: read from unmapped memory")
    assert lines[1].startswith("  registers: r0=")
    assert lines[2].startswith("  fpu: fpscr=00000000 ") and "f0=1.5" in lines[2]


def test_trace_shows_floating_point_register_writes(backend):
    from hal.inspection.trace import trace
    t = trace(image("nbody", backend.name), limit=40, function="newton_sqrt")
    data = {n for f in backend.fpu.files for n in f.names}
    written = [(s.text, dict(s.fpu)) for s in t.steps if set(dict(s.fpu)) & data]
    assert written, "no FPU register write in newton_sqrt"
    assert any(st["fpu"] for st in t.to_dict()["steps"])


def test_trace_shows_the_x87_stack_change():
    from hal.inspection.trace import trace
    t = trace(image("excess", "x86"), limit=30, function="sum_x87")
    stacks = [dict(s.fpu)["x87"] for s in t.steps if "x87" in dict(s.fpu)]
    assert "[0.0]" in stacks                            # fldz: the running sum pushed
    assert any(s.startswith("[0.1") for s in stacks)    # after the first addition
    lines = "\n".join(t.lines())
    assert "x87=[0.0]" in lines


def test_mix_has_a_floating_point_class(backend):
    from hal.inspection.compare import measure
    row = measure(image("nbody", backend.name))
    assert sum(row.mix.values()) == row.retired
    assert row.mix["fp"] > row.retired // 4          # n-body is mostly floating point
    assert measure(image("fib", backend.name)).mix["fp"] == 0


# -- floating-point exceptions ----------------------------------------------------------

# tests/guests/fp_trap.c: the input picks the exception; masked, the result IEEE 754
# gives; asked for with hal_fp_trap, a fault at the arithmetic instruction
TRAPS = {"i": ("invalid operation", "nan", "div"), "z": ("divide by zero", "inf", "div"),
         "o": ("overflow", "inf", "mul"), "u": ("underflow", "0.000", "mul"),
         "x": ("inexact result", "0.333", "div")}


@pytest.mark.parametrize("which", sorted(TRAPS))
def test_masked_by_default_then_trapped_when_asked(which, backend):
    name, masked, op = TRAPS[which]
    r = runner.run(image("fp_trap", backend.name), stdin=io.BytesIO(which.encode()))
    assert r.output.decode() == f"masked: {masked}\nprevious traps: 0\n"
    assert r.fault is not None and r.status == 3
    assert r.fault.reason == f"floating-point exception: {name}"
    assert op in r.fault.instruction.split()[0], r.fault.instruction     # divsd, div.d, fdiv...
    assert r.error_line().startswith(f"fp_trap on {backend.name}: floating-point exception: "
                                     f"{name} (pc {r.fault.pc:#x}: ")


def test_code_that_ran_before_the_trap_is_watched_too(backend):
    """A function translated before hal_fp_trap still stops at its division
    (Unicorn calls a hook only from blocks translated after it came), and
    turning the trap on and off many times leaves the guest running."""
    r = runner.run(image("fp_trap_late", backend.name))
    assert r.output.decode() == "26.667\ninf\n"
    assert r.fault is not None and r.fault.reason == "floating-point exception: divide by zero"
    assert "div" in r.fault.instruction.split()[0], r.fault.instruction


def test_the_trapped_count_and_mix_agree(backend):
    """The instruction that raised it has completed and counts; the mix still
    sums to the count, though the guest stopped one instruction past it."""
    from hal.inspection.compare import measure
    r = runner.run(image("fp_trap", backend.name), stdin=io.BytesIO(b"z"))
    row = measure(image("fp_trap", backend.name), stdin=b"z")
    assert row.retired == r.retired and sum(row.mix.values()) == row.retired


def test_unknown_exception_bits_are_the_guests_mistake(backend, tmp_path):
    source = tmp_path / "badtrap.c"
    source.write_text('#include "hal.h"\nint main(void) { hal_fp_trap(64); return 0; }\n')
    from hal.core import loader
    from hal.toolchain import build
    r = runner.run(loader.load(build.build(source, backend)))
    assert r.fault.reason == "hal_fp_trap(0x40): bits outside HAL_FE_* (valid: 0x1f)"


def test_trapping_survives_a_snapshot(backend, tmp_path):
    whole = runner.run(image("fp_trap", backend.name), stdin=io.BytesIO(b"z"))
    m = runner.new_machine(image("fp_trap", backend.name), stdin=io.BytesIO(b"z"))
    while m.fp_traps is None or not m.fp_traps.mask:
        assert m.run(budget=1) is Stop.BUDGET
    snapshot.save(m, tmp_path / "t.snap")
    restored = snapshot.load(tmp_path / "t.snap")
    assert restored.run() is Stop.FAULTED
    assert (restored.fault.reason, restored.fault.pc, restored.retired) == \
        (whole.fault.reason, whole.fault.pc, whole.retired)


def test_one_line_report_on_the_command_line():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "hal", "run", str(TEST_GUESTS / "fp_trap.c"),
                           "--isa", "x86"], input=b"z", capture_output=True)
    err = proc.stderr.decode().splitlines()
    assert proc.returncode == 3
    assert proc.stdout == b"masked: inf\nprevious traps: 0\n"
    assert re.fullmatch(r"hal: error: fp_trap on x86: floating-point exception: divide by zero "
                        r"\(pc 0x[0-9a-f]+: divsd xmm\d, .*\) after \d+ instructions", err[0])


# The SSE oracle (arch/x86/sse.py) against a core whose flags are right: QEMU's
# RISC-V, which rounds the same way and detects tininess after rounding too.
OPS = {"add": 0x02000053, "sub": 0x0A000053, "mul": 0x12000053, "div": 0x1A000053,
       "sqrt": 0x5A000053}            # fadd.d .. fsqrt.d fa2, fa0, fa1 (rm = dynamic: nearest)


@lru_cache(maxsize=None)
def _riscv():
    import unicorn
    b = registry.get("alpha")
    uc = unicorn.Uc(b.uc_arch, b.uc_mode)
    uc.mem_map(0x10000, 0x1000)
    b.enter(uc, 0x10000, 0x11000)
    return b, uc


def _riscv_flags(op: str, a: int, b: int, single: bool) -> tuple[int, int]:
    backend, uc = _riscv()
    word = OPS[op] & ~(1 << 25 if single else 0) | 12 << 7 | 10 << 15 | 7 << 12 \
        | (0 if op == "sqrt" else 11 << 20)
    box = 0xFFFF_FFFF_0000_0000 if single else 0          # a float is NaN-boxed
    uc.mem_write(0x10000, word.to_bytes(4, "little"))
    uc.reg_write(backend.reg("fa0"), box | a)
    uc.reg_write(backend.reg("fa1"), box | b)
    uc.reg_write(backend.reg("fcsr"), 0)
    uc.emu_start(0x10000, 0x10004)
    return fpu.raised(backend, uc), uc.reg_read(backend.reg("fa2")) & ~box


specials = [0, 1 << 63, 0x7FF0 << 48, 0x7FF4 << 48, 0x7FF8 << 48, 1, 0x0010 << 48,
            0x3FF0 << 48, 0x7FEF_FFFF_FFFF_FFFF]


@st.composite
def operands(draw):
    """A format, and two values of it: any bits, ordinary numbers, or the edge cases."""
    single = draw(st.booleans())
    if single:
        value = st.one_of(st.integers(0, 2**32 - 1), st.floats(width=32).map(
            lambda v: struct.unpack("<I", struct.pack("<f", v))[0]),
            st.sampled_from([0, 1 << 31, 0x7F80_0000, 0x7FA0_0000, 1, 0x0080_0000, 0x3F80_0000]))
    else:
        value = st.one_of(st.integers(0, 2**64 - 1), st.floats(width=64).map(
            lambda v: struct.unpack("<Q", struct.pack("<d", v))[0]), st.sampled_from(specials))
    return single, draw(value), draw(value)


@settings(max_examples=1000, deadline=None)
@given(op=st.sampled_from(sorted(OPS)), values=operands())
def test_sse_exceptions_worked_out_as_a_real_fpu_raises_them(op, values):
    """Property: for add, sub, mul, div and sqrt in either precision, on any
    operands, arch/x86/sse.py names exactly the exceptions QEMU's RISC-V FPU flags."""
    sse = importlib.import_module("hal.arch.x86.sse")
    single, a, b = values
    fmt = sse.SINGLE if single else sse.DOUBLE
    flags, result = _riscv_flags(op, a, b, single)
    mine = sse.square_root(a, result, fmt) if op == "sqrt" else sse.binary(op, a, b, fmt)
    assert mine == flags, (op, single, hex(a), hex(b))


@needs_cc
def test_print_double_prints_what_printf_prints(tmp_path):
    """guests/lib/double.c against the host's printf("%.*f"), natively."""
    import subprocess

    from hal import paths
    exe = tmp_path / "print_double"
    subprocess.run([native.compiler(), "-O2", "-std=c11", "-fno-builtin", "-w",
                    "-I", str(paths.INCLUDE), "-I", str(native.HOST),
                    str(TESTS / "native" / "print_double.c"), str(paths.LIB / "hal.c"),
                    str(paths.LIB / "double.c"), "-o", str(exe), "-lm"], check=True)
    out = subprocess.run([str(exe), "300000"], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1].startswith("0 of "), out


def test_hal_isas_names_each_fpu():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "hal", "isas"], capture_output=True,
                         text=True, check=True).stdout
    flat = " ".join(out.split())                      # rich wraps long lines
    for b in registry.backends():
        assert f"{b.name}: {b.fpu.summary}" in flat
    assert "a stack of eight 80-bit registers" in flat          # the x87
    for control in ("fcsr", "fpscr", "mxcsr"):
        assert control in flat
