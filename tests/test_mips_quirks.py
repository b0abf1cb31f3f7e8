"""MIPS quirks of Unicorn 2.1.4, and how halemu keeps them from the host.

The crash is real: run in a child process, raw Unicorn dies with SIGSEGV.
halemu must refuse or contain the same code instead."""
import subprocess
import sys

import pytest
from conftest import image

from hal.core.codecheck import check_code
from hal.core.loader import Image, Segment
from hal.errors import LoadError

NOP, BREAK = bytes(4), b"\x0d\x00\x00\x00"
JALR_T9 = b"\x09\xf8\x20\x03"                     # jalr $t9 (a branch with a delay slot)

RAW = r"""
import sys
from unicorn import *
code = bytes.fromhex(sys.argv[1]); next_page = sys.argv[2]; start = int(sys.argv[3])
uc = Uc(UC_ARCH_MIPS, UC_MODE_MIPS32 | UC_MODE_LITTLE_ENDIAN)
uc.mem_map(0x10000, 0x1000, UC_PROT_READ | UC_PROT_EXEC)
if next_page == "data":
    uc.mem_map(0x11000, 0x1000, UC_PROT_READ | UC_PROT_WRITE)
uc.mem_write(0x10000, code)
uc.hook_add(UC_HOOK_INTR, lambda u, n, d: u.emu_stop())
try:
    uc.emu_start(0x10000 + start, 0x7fff0000)
except UcError:
    pass
"""


def raw_unicorn_survives(code: bytes, next_page: str = "data", start: int = 0) -> bool:
    return subprocess.run([sys.executable, "-c", RAW, code.hex(), next_page, str(start)],
                          capture_output=True).returncode == 0


def mips_image(code: bytes) -> Image:
    base = image("hello", "mips")
    return Image(base.path, base.backend, 0x18000,
                 base.segments + (Segment(0x18000, code, len(code), 5),))


def test_a_long_straight_block_crashes_raw_unicorn():
    assert raw_unicorn_survives(NOP * 300 + BREAK)
    assert not raw_unicorn_survives(NOP * 400 + BREAK)


def test_a_branch_whose_delay_slot_cannot_be_fetched_is_survived():
    """Not a crash without emu_start(count=...): no guard needed for it."""
    for next_page in ("data", "unmapped"):
        assert raw_unicorn_survives(BREAK * 1013 + NOP * 10 + JALR_T9, next_page, start=0xfd4)


def test_loader_refuses_long_straight_blocks():
    check_code(mips_image(NOP * 256 + BREAK))
    with pytest.raises(LoadError, match="257 instructions in a row without a branch at 0x18000"):
        check_code(mips_image(NOP * 300 + BREAK))


def test_short_code_is_fenced_so_it_passes():
    """Code that ends mid-page is followed by fence words, which end blocks."""
    check_code(mips_image(NOP * 200))


def test_bundled_mips_guests_pass_the_check():
    from conftest import BUNDLED
    for g in BUNDLED:
        check_code(image(g, "mips"))


CONTAINED = r"""
import sys
sys.path.insert(0, "tests")
from test_mips_quirks import mips_image, NOP
from hal.core.machine import Machine
m = Machine(mips_image(NOP * 250))
m.uc.reg_write(m.backend.reg("pc"), 0x18000)
m.run()
print(m.fault.summary())
"""


def test_the_longest_allowed_block_runs_safely():
    out = subprocess.run([sys.executable, "-c", CONTAINED], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("break (ran past the end of the code into the fence)")
