"""The code guard (hal/core/codeguard.py): every page a machine can execute is
read before its first instruction, however it was mapped."""
import struct
import subprocess
import sys

import pytest
from conftest import image

from hal.core.machine import Machine
from hal.core.memmap import PAGE
from hal.errors import LoadError

ELSEWHERE = 0x0800_0000          # between guest RAM and the device window: mapped by hand here


def test_each_code_page_is_read_when_the_machine_is_made(backend):
    m = Machine(image("hello", backend.name))
    code = [(start, start + len(c)) for start, c in m.image.code_pages()]
    assert m.code_guard.covered == code


def test_code_mapped_another_way_is_read_before_the_first_run(backend):
    """A loader that makes memory executable without map_code (as a foreign
    program's loader might) is still covered: run() reads it first."""
    from unicorn import UC_PROT_EXEC, UC_PROT_READ
    m = Machine(image("hello", backend.name))
    m.uc.mem_map(ELSEWHERE, PAGE, UC_PROT_READ | UC_PROT_EXEC)
    assert (ELSEWHERE, ELSEWHERE + PAGE) not in m.code_guard.covered
    m.run()
    assert (ELSEWHERE, ELSEWHERE + PAGE) in m.code_guard.covered


RUN_ELSEWHERE = r"""
import struct, sys
sys.path.insert(0, "tests")
from conftest import image
from unicorn import UC_PROT_EXEC, UC_PROT_READ
from hal.core.machine import Machine
m = Machine(image("hello", "mips"))
m.uc.mem_map(0x08000000, 0x1000, UC_PROT_READ | UC_PROT_EXEC)
m.uc.mem_write(0x08000000, bytes(4 * 1023) + struct.pack("<I", 0x0D))     # 1,023 nops, break
m.uc.reg_write(m.backend.reg("pc"), 0x08000000)
m.run()
print(m.retired, m.fault.reason, m.code_guard.guarded[-1] == (0x08000000, 0x08001000))
"""


def test_long_code_mapped_another_way_runs_guarded():
    """In a child: unguarded, these 1,023 nops kill the process."""
    out = subprocess.run([sys.executable, "-c", RUN_ELSEWHERE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "1023 break True\n"


def test_code_no_guard_can_save_is_refused_where_it_is_mapped():
    m = Machine(image("hello", "mips"))
    mftr = struct.pack("<I", 0x41102800) * 1024
    from unicorn import UC_PROT_READ, UC_PROT_WRITE
    m.uc.mem_map(ELSEWHERE, PAGE, UC_PROT_READ | UC_PROT_WRITE)
    with pytest.raises(LoadError, match=r"^heavy: 290 COP0 MFTR words among 290 from 0x8000000"):
        m.code_guard.map_code(ELSEWHERE, mftr, "heavy")
