"""Devices behind the HAL: the UART and the timer, reached with in/out on x86
and with loads and stores at the backend's io_base elsewhere."""
import io
import re
import subprocess
import sys

import capstone
import pytest
from conftest import BUNDLED, ISAS, elf, image
from elftools.elf.elffile import ELFFile
from unicorn import UC_HOOK_CODE, UC_HOOK_INSN, UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE
from unicorn.x86_const import UC_X86_INS_OUT

from hal import paths
from hal.core import loader, registry, runner
from hal.core.console import Console
from hal.core.devices import timer, uart
from hal.core.machine import Machine, Stop
from hal.core.memmap import IO_WINDOW, io_window_fits
from hal.toolchain import build, guests

UART_VIA = ("HAL_CONSOLE_UART",)
MMIO = [b.name for b in registry.backends() if b.io_base is not None]


def uart_image(guest, isa):
    """A bundled guest built with its console helpers writing to the UART."""
    return loader.load(build.build(guests.source(guest), registry.get(isa), UART_VIA))


def fixed_input(guest):
    data = guests.expected_input(guest)
    return io.BytesIO(data) if data is not None else None


def probe(isa, text):
    """Run tests/guests/devprobe.c; its input's first byte picks the probe."""
    return runner.run(image("devprobe", isa), stdin=io.BytesIO(text))


def function(elf_path, name):
    """(address, code) of a function, found by its ELF symbol."""
    with open(elf_path, "rb") as f:
        e = ELFFile(f)
        sym = e.get_section_by_name(".symtab").get_symbol_by_name(name)[0]
        start, size = sym["st_value"], sym["st_size"]
        for seg in e.iter_segments():
            off = start - seg["p_vaddr"]
            if seg["p_type"] == "PT_LOAD" and 0 <= off < seg["p_filesz"]:
                return start, seg.data()[off:off + size]
    raise AssertionError(f"{name} not found")


def disassemble(backend, start, code):
    md = capstone.Cs(backend.cs_arch, backend.cs_mode)
    return [(i.address, i.mnemonic, i.op_str) for i in md.disasm(code, start)]


# -- one description, two places ------------------------------------------------------
def test_header_agrees_with_the_device_models():
    text = (paths.INCLUDE / "hal_devices.h").read_text()
    defines = {m[1]: int(m[2], 0) for m in re.finditer(r"#define\s+(\w+)\s+\(?(-?\w+)\)?", text)
               if m[1] != "HAL_DEVICES_H"}
    assert defines == {
        "HAL_PORT_TIMER": timer.PORT, "HAL_TIMER_LO": timer.LO, "HAL_TIMER_HI": timer.HI,
        "HAL_PORT_UART": uart.COM1, "HAL_UART_DATA": uart.DATA, "HAL_UART_LSR": uart.LSR,
        "HAL_UART_SCR": uart.SCR, "HAL_LSR_DR": uart.LSR_DR, "HAL_LSR_BI": uart.LSR_BI,
        "HAL_LSR_THRE": uart.LSR_THRE, "HAL_LSR_TEMT": uart.LSR_TEMT, "HAL_EOF": -1,
    }


def test_each_backend_reaches_devices_one_way(backend):
    assert (backend.io_insns is None) != (backend.io_base is None)
    if backend.io_base is not None:
        assert io_window_fits(backend.io_base), f"{backend.io_base:#x}"


def test_device_windows_are_each_isas_own():
    bases = [b.io_base for b in registry.backends() if b.io_base is not None]
    assert len(bases) == len(set(bases)) == 3


# -- the UART path prints what the trap path prints --------------------------------------
@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", BUNDLED)
def test_uart_console_prints_the_same_as_the_trap(guest, isa):
    trap = runner.run(image(guest, isa), stdin=fixed_input(guest))
    via_uart = runner.run(uart_image(guest, isa), stdin=fixed_input(guest))
    assert via_uart.output == trap.output
    assert (via_uart.exit_code, via_uart.fault) == (trap.exit_code, trap.fault)
    if trap.output and guest != "echo":   # (echo uses the UART in both builds)
        assert via_uart.hal_calls < trap.hal_calls    # the UART, not the write service


def test_uart_console_really_uses_the_device(backend):
    m = Machine(uart_image("hello", backend.name))
    assert m.run() is Stop.EXITED
    text = b"Hello from a halemu guest!\n"
    assert m.console.output == text
    assert m.hal_calls == 1                                   # hal_exit only
    assert m.platform.accesses == 2 * len(text)               # LSR, then DATA, per byte


# -- guest input: stdin or --input, through the UART ------------------------------------------
def hal(*args, input=None):
    proc = subprocess.run([sys.executable, "-m", "hal", *args], capture_output=True,
                          input=input, timeout=300)
    assert b"Traceback" not in proc.stderr
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


@pytest.mark.parametrize("isa", ISAS)
def test_wc_counts_stdin(isa):
    assert hal("run", "wc", "--isa", isa, input=b"a b\nc\n") == (0, "2 3 6\n", "")


@pytest.mark.parametrize("isa", ISAS)
def test_sum_reads_an_input_file(isa, tmp_path):
    p = tmp_path / "numbers.txt"
    p.write_bytes(b"10 20\n-5\n")
    assert hal("run", "sum", "--isa", isa, "--input", str(p)) == (0, "25\n", "")


@pytest.mark.parametrize("guest", ["echo", "wc", "sum"])
def test_input_guests_at_end_of_input_do_not_spin(guest, backend):
    """At the end of input LSR shows break (BI), so polling stops at once."""
    r = runner.run(image(guest, backend.name), stdin=None, max_instructions=5_000)
    assert r.fault is None and r.exit_code == 0
    assert r.output == {"echo": b"", "wc": b"0 0 0\n", "sum": b"0\n"}[guest]


@pytest.mark.parametrize("isa", ISAS)
def test_hal_read_and_the_uart_share_one_input(isa):
    r = runner.run(image("mixed_input", isa), stdin=io.BytesIO(b"abcdef"))
    assert r.output == b"hal_read: abc\nuart: def\n"


# -- the same C, different machine code ----------------------------------------------------
def test_x86_uart_routine_uses_out():
    b = registry.get("x86")
    start, code = function(elf("echo", "x86"), "hal_uart_putc")
    insns = disassemble(b, start, code)
    assert ("out", "dx, al") in [(m, o) for _, m, o in insns]
    assert ("in", "al, dx") in [(m, o) for _, m, o in insns]       # polls LSR first
    # ...and the out reaches COM1's data port, from inside hal_uart_putc
    m = Machine(image("echo", "x86"), console=Console(input=io.BytesIO(b"A")))
    outs = []
    m.uc.hook_add(UC_HOOK_INSN, lambda uc, port, size, value, _: outs.append(
        (m.pc, port, size, value)), None, 1, 0, UC_X86_INS_OUT)
    assert m.run() is Stop.EXITED
    assert [(port, size, value) for pc, port, size, value in outs] == [(0x3F8, 1, ord("A"))]
    assert start <= outs[0][0] < start + len(code)


@pytest.mark.parametrize("isa", MMIO)
def test_mmio_uart_routine_stores_to_the_documented_address(isa):
    b = registry.get(isa)
    start, code = function(elf("echo", isa), "hal_uart_putc")
    mnemonics = [mn for _, mn, _ in disassemble(b, start, code)]
    assert not {"in", "out"} & set(mnemonics)
    assert {"sb", "stb"} & set(mnemonics)               # a byte store...
    # ...whose effective address, resolved by running it, is COM1's data register
    m = Machine(image("echo", isa), console=Console(input=io.BytesIO(b"A")))
    seen = []
    for kind in (UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE):
        m.uc.hook_add(kind, lambda uc, access, address, size, value, _, kind=kind: seen.append(
            (kind, uc.reg_read(b.reg(b.regs.pc)), address, size)), None,
            b.io_base, b.io_base + IO_WINDOW - 1)
    assert m.run() is Stop.EXITED
    assert m.console.output == b"A"
    stores = [(pc, address, size) for kind, pc, address, size in seen
              if kind == UC_HOOK_MEM_WRITE]
    assert len(stores) == 1
    pc, address, size = stores[0]
    assert (address, size) == (b.io_base + 0x3F8, 1)
    assert start <= pc < start + len(code)
    loads = [address for kind, pc, address, size in seen
             if kind == UC_HOOK_MEM_READ and start <= pc < start + len(code)]
    assert loads == [b.io_base + 0x3FD]                 # one poll of LSR: ready at once


# -- the registers read right, big-endian PowerPC included -----------------------------------------
@pytest.mark.parametrize("isa", ISAS)
def test_line_status_register(isa):
    """LSR: DR while a byte waits, BI at the end of input, THRE|TEMT always;
    single-byte registers read the same on little- and big-endian ISAs."""
    r = probe(isa, b"sab")
    assert r.output == b" lsr=0x61 got=a lsr=0x61 got=b lsr=0x70 scr=0xa5\nstill here\n"


@pytest.mark.parametrize("isa", ISAS)
def test_timer_reads_the_virtual_clock(isa):
    """Two 32-bit reads, LO then HI: a byte-swapped value on PowerPC would fail this."""
    assert probe(isa, b"t").output == b"timer follows hal_time\nstill here\n"


def test_timer_latches_the_high_word():
    ticks = iter([0x1_FFFF_FFFF, 0x2_0000_0001])
    t = timer.Timer(lambda: next(ticks))
    assert (t.read(timer.LO, 4), t.read(timer.HI, 4)) == (0xFFFF_FFFF, 1)
    assert (t.read(timer.LO, 4), t.read(timer.HI, 4)) == (1, 2)


# -- wrong accesses are guest faults, with PC and port (and address) ----------------------------------
WRONG = {
    b"p": ("write to unmapped port 0x80", 0x80),
    b"w": ("32-bit read of the UART's 8-bit DATA register, port 0x3f8", 0x3F8),
    b"b": ("8-bit read of the timer's 32-bit LO register, port 0x40", 0x40),
    b"r": ("write to the UART's read-only LSR register, port 0x3fd", 0x3FD),
}


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("which", list(WRONG))
def test_wrong_access_is_a_clear_fault(isa, which):
    b = registry.get(isa)
    reason, port = WRONG[which]
    r = probe(isa, which)
    assert r.output == b"" and r.exit_code is None and r.status == 3
    assert r.fault.reason == reason
    assert r.fault.address == (None if b.io_base is None else b.io_base + port)
    mnemonic = r.fault.instruction.split()[0]
    if b.io_insns is not None:
        assert mnemonic in ("in", "out")
    else:
        assert mnemonic[0] in "ls"                      # the load or store itself
    assert r.error_line().startswith(f"devprobe on {isa}: {reason}")


@pytest.mark.parametrize("isa", ISAS)
def test_fault_count_stops_before_the_faulting_access(isa):
    """Exact counts: the faulting access does not retire (on x86 the core finishes
    the block after an in/out hook; the count and PC are still the access's)."""
    m = Machine(image("devprobe", isa), console=Console(input=io.BytesIO(b"w")))
    trace = []
    m.uc.hook_add(UC_HOOK_CODE, lambda uc, address, size, _: trace.append(address))
    assert m.run() is Stop.FAULTED
    assert m.fault.pc in trace
    assert m.retired == trace.index(m.fault.pc)
    assert m.pc == m.fault.pc


PROBE_WINDOW = """
import sys
from hal.core import loader, registry
from hal.core.machine import Machine, Stop
from hal.core.memmap import IO_WINDOW, PAGE
elf, isa = sys.argv[1], sys.argv[2]
b = registry.get(isa)
for target in (b.io_base, b.io_base + 0x3F8, b.io_base + IO_WINDOW - 4,
               b.io_base - 4, b.io_base + IO_WINDOW, b.io_base - PAGE):
    m = Machine(loader.load(elf))
    m.uc.reg_write(b.reg(b.regs.pc), target)
    print(hex(target), m.run().value, m.fault.reason, m.fault.instruction, sep="|")
"""


@pytest.mark.parametrize("isa", MMIO)
def test_jumping_into_the_device_window_faults_cleanly(isa):
    """Run in a child process: if the core crashed (unicorn#2134 on MIPS), the
    test would fail instead of taking pytest down."""
    proc = subprocess.run([sys.executable, "-c", PROBE_WINDOW, str(elf("hello", isa)), isa],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [line.split("|") for line in proc.stdout.splitlines()]
    assert len(lines) == 6
    for target, stop, reason, instruction in lines[:3]:
        assert (stop, reason) == ("faulted", "jumped to non-executable memory"), target
        assert "device window" in instruction
    for target, stop, reason, _ in lines[3:]:
        assert (stop, reason) == ("faulted", "jumped to unmapped memory"), target


@pytest.mark.parametrize("isa", ISAS)
def test_a_guest_calling_through_a_device_pointer_faults(isa):
    r = probe(isa, b"j")
    b = registry.get(isa)
    if b.io_base is None:               # no window to jump into: the probe does nothing
        assert r.output == b"still here\n"
    else:
        assert r.fault.reason == "jumped to non-executable memory"
        assert r.fault.pc == b.io_base + 0x3F8


# -- exact counts and slicing with devices ---------------------------------------------------
@pytest.mark.parametrize("isa", ISAS)
def test_device_accesses_are_just_instructions(isa):
    """Block counts stay exact with devices, and slicing (down to one instruction)
    changes neither the output nor the count."""
    def fresh():
        return Machine(uart_image("hello", isa), console=Console())
    hooked = fresh()
    steps = [0]
    hooked.uc.hook_add(UC_HOOK_CODE, lambda uc, a, s, d: steps.__setitem__(0, steps[0] + 1))
    assert hooked.run() is Stop.EXITED
    assert hooked.retired == steps[0]
    for quantum in (1, 3, 50):
        m = fresh()
        while (stop := m.run(budget=quantum)) is Stop.BUDGET:
            pass
        assert stop is Stop.EXITED
        assert (m.console.output, m.retired) == (hooked.console.output, hooked.retired)


# -- the command line ------------------------------------------------------------------------------
def test_hal_devices_shows_every_isa():
    code, out, _ = hal("devices")
    assert code == 0
    for b in registry.backends():
        assert b.name in out
        if b.io_base is not None:
            assert f"{b.io_base + 0x3F8:#010x}" in out
    assert "port 0x3f8" in out and "in/out" in out


def test_console_uart_option(tmp_path):
    code, out, err = hal("run", "hello", "--isa", "ppc", "--console", "uart", "--stats")
    assert (code, out) == (0, "Hello from a halemu guest!\n")
    assert ", 1 HAL calls; start-up " in err


def test_console_uart_needs_a_source():
    code, _, err = hal("run", str(elf("hello", "x86")), "--console", "uart")
    assert code == 2
    assert err.startswith("hal: error:") and "needs its C source" in err


def test_device_code_never_names_an_isa():
    """hal/core/devices/ is held to the rule test_interface.py applies to hal/*.py."""
    import ast

    from test_interface import _code_words
    names = registry.names() + ["i386", "mipsel", "powerpc", "riscv", "UC_ARCH_", "CS_ARCH_"]
    pattern = re.compile(r"(?<![a-z])(" + "|".join(names) + r")(?![a-z])", re.IGNORECASE)
    offenders = [f"{f.name}:{line}: {word!r}"
                 for f in sorted((paths.PACKAGE / "devices").glob("*.py"))
                 for line, word in _code_words(ast.parse(f.read_text()))
                 if pattern.search(word)]
    assert offenders == []
