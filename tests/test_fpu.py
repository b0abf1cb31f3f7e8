"""The floating-point unit: the state a guest finds at reset, on every ISA."""
import os
import re
from functools import lru_cache

import pytest
from conftest import ISAS, TEST_GUESTS, elf, image

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
