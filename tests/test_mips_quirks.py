"""MIPS quirks of Unicorn 2.1.4, and how halemu keeps them from the host.

The crashes are real: run in a child process, raw Unicorn dies with SIGSEGV
on long branch-free runs, in MIPS32 and in MIPS16 code, and a PMON word
prints to the host's stdout.  halemu runs the same code (in a child too,
so that a regression fails the test instead of killing pytest) without
either (arch/mips/translation.py, hal/core/codeguard.py)."""
import struct
import subprocess
import sys

import pytest
from conftest import image

from hal.core.codecheck import check_code
from hal.core.loader import Image, Segment
from hal.errors import LoadError

NOP, BREAK = bytes(4), b"\x0d\x00\x00\x00"
JALR_T9 = b"\x09\xf8\x20\x03"                     # jalr $t9 (a branch with a delay slot)
UNDECODABLE = b"\x00\x00\x20\x00"                 # sll $zero, $zero, 0 with rs = 1
MIPS16_NOP, MIPS16_BREAK = b"\x00\x65", b"\x05\xe8"
MFTR = struct.pack("<I", 0x41102800)              # COP0 MFTR: two TCG temporaries each
PMON_PUTCHAR = struct.pack("<I", 0x00000185)      # SPECIAL function 5, sa 6

RAW = r"""
import sys
from unicorn import *
from unicorn.mips_const import UC_MIPS_REG_A0
code = bytes.fromhex(sys.argv[1]); next_page = sys.argv[2]; start = int(sys.argv[3])
uc = Uc(UC_ARCH_MIPS, UC_MODE_MIPS32 | UC_MODE_LITTLE_ENDIAN)
uc.mem_map(0x10000, 0x1000, UC_PROT_READ | UC_PROT_EXEC)
if next_page == "data":
    uc.mem_map(0x11000, 0x1000, UC_PROT_READ | UC_PROT_WRITE)
uc.mem_write(0x10000, code)
uc.reg_write(UC_MIPS_REG_A0, ord("X"))
uc.hook_add(UC_HOOK_INTR, lambda u, n, d: u.emu_stop())
try:
    uc.emu_start(0x10000 + start, 0x7fff0000)
except UcError:
    pass
"""


def raw_unicorn(code: bytes, next_page: str = "data", start: int = 0):
    """Bare Unicorn runs `code` in a child: its exit status and stdout."""
    return subprocess.run([sys.executable, "-c", RAW, code.hex(), next_page, str(start)],
                          capture_output=True)


def raw_unicorn_survives(code: bytes, next_page: str = "data", start: int = 0) -> bool:
    return raw_unicorn(code, next_page, start).returncode == 0


def mips_image(code: bytes) -> Image:
    base = image("hello", "mips")
    return Image(base.path, base.backend, 0x18000,
                 base.segments + (Segment(0x18000, code, len(code), 5),))


CONTAINED = r"""
import sys
sys.path.insert(0, "tests")
from test_mips_quirks import mips_image
from hal.core.machine import Machine
m = Machine(mips_image(bytes.fromhex(sys.argv[1])))
m.uc.reg_write(m.backend.reg("pc"), 0x18000 + int(sys.argv[2]))
m.run()
print(f"{m.retired} {m.fault.summary()}")
"""


def halemu(code: bytes, start: int = 0) -> str:
    """halemu runs `code` at 0x18000 (in a child): instructions, and the fault."""
    out = subprocess.run([sys.executable, "-c", CONTAINED, code.hex(), str(start)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_a_long_straight_block_crashes_raw_unicorn():
    assert raw_unicorn_survives(NOP * 300 + BREAK)
    assert not raw_unicorn_survives(NOP * 400 + BREAK)
    assert not raw_unicorn_survives(UNDECODABLE * 400 + BREAK)     # what capstone cannot read


ADDIU = struct.pack("<I", 0x24420001)             # addiu $v0, $v0, 1


@pytest.mark.parametrize("body", [NOP * 1000, UNDECODABLE * 400, ADDIU * 1020],
                         ids=["nop", "undecodable", "addiu"])
def test_halemu_runs_what_crashes_raw_unicorn(body):
    count, fault = halemu(body + BREAK).split(" ", 1)
    assert int(count) == len(body) // 4            # the break faults: not retired
    assert fault.startswith("break (pc 0x")


def test_loads_do_not_protect_a_run():
    """A load emits many ops, so a run of loads alone ends early by the op
    count; mixed with no-ops, or loading into $zero, they protect nothing
    (the old guard thought loads did not count)."""
    lw, lw_zero = struct.pack("<I", 0x8E080000), struct.pack("<I", 0x8C000000)
    assert raw_unicorn_survives(lw * 1000 + BREAK)                # lw $t0, 0($s0)
    assert not raw_unicorn_survives((lw + NOP) * 500 + BREAK)
    assert not raw_unicorn_survives(lw_zero * 1000 + BREAK)        # lw $zero, 0($zero)
    assert halemu(lw_zero * 1000 + BREAK).startswith("0 read from unmapped memory at address 0x0")


def test_mips16_code_crashes_raw_unicorn_and_runs_under_halemu():
    """A jump to an odd address switches the 74Kf core to MIPS16e: 16-bit
    instructions, read from the same page as halfwords."""
    def jump(base):                               # lui $t9, hi; ori $t9, lo | 1; jr $t9; nop
        target = base + 16 + 1
        return struct.pack("<4I", 0x3C190000 | target >> 16, 0x37390000 | target & 0xFFFF,
                           0x03200008, 0)
    body = MIPS16_NOP * 1000 + MIPS16_BREAK
    assert raw_unicorn_survives(jump(0x10000) + MIPS16_NOP * 300 + MIPS16_BREAK)
    assert not raw_unicorn_survives(jump(0x10000) + body)
    assert "break" in halemu(jump(0x18000) + body)


def test_a_branch_whose_delay_slot_cannot_be_fetched_is_survived():
    """Not a crash without emu_start(count=...): no guard needed for it."""
    for next_page in ("data", "unmapped"):
        assert raw_unicorn_survives(BREAK * 1013 + NOP * 10 + JALR_T9, next_page, start=0xfd4)


def test_pmon_prints_to_the_hosts_stdout_in_raw_unicorn_but_faults_in_halemu():
    out = raw_unicorn(PMON_PUTCHAR + BREAK)
    assert out.returncode == 0 and out.stdout == b"X"
    count, fault = halemu(NOP * 3 + PMON_PUTCHAR + BREAK).split(" ", 1)
    assert count == "3" and fault.startswith("reserved instruction: SPECIAL function 5")
    assert "pc 0x1800c" in fault


def test_mftr_dense_code_crashes_raw_unicorn_and_is_refused():
    assert not raw_unicorn_survives(MFTR * 200 + BREAK)
    check_code(mips_image(MFTR * 50 + NOP * 600 + BREAK))
    with pytest.raises(LoadError, match="290 from 0x18000: each costs Unicorn's MIPS translator"):
        check_code(mips_image(MFTR * 200 + BREAK))


def test_bundled_mips_guests_pass_the_check():
    from conftest import BUNDLED
    for g in BUNDLED:
        check_code(image(g, "mips"))
