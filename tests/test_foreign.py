"""Static Linux executables built by another toolchain (Debian's cross gcc,
with glibc or with no C library at all) run on all four ISAs, where their
linker put them: 0x08048000, 0x400000, 0x10000000, 0x10000.  They were
built once by tests/foreign/build.sh; the tests only run them."""
import lzma
import struct

import pytest
from conftest import TESTS
from test_cli import hal, one_error_line

from hal.core import runner
from hal.errors import LoadError
from hal.toolchain import programs

FOREIGN = TESTS / "foreign"
GNU = {"x86": "i686", "mips": "mipsel", "ppc": "powerpc", "alpha": "riscv64"}
LOADED_AT = {"x86": 0x0804_8000, "mips": 0x40_0000, "ppc": 0x1000_0000, "alpha": 0x1_0000}


def test_a_program_with_no_c_library_runs_each_isas_system_calls(backend):
    """tiny.c makes its calls by hand, and a write to a closed descriptor comes
    back as each ISA's kernel says: -9 in the result, or 9 with the MIPS a3
    flag, or 9 with PowerPC's CR0.SO."""
    image = programs.load(FOREIGN / f"tiny.{GNU[backend.name]}")
    assert image.abi == "linux" and min(s.vaddr for s in image.segments) == LOADED_AT[backend.name]
    result = runner.run(image)
    assert result.output == (b"hello from a program with no C library\n"
                             b"writing to descriptor 99: error 9\n")
    assert result.exit_code == 7


def test_its_system_calls_as_strace_shows_them(backend):
    code, out, _ = hal("trace", str(FOREIGN / f"tiny.{GNU[backend.name]}"), "--syscalls")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == 'write(1, "hello from a program with no C l"..., 39) = 39'
    assert lines[1].startswith("write(99, ") and lines[1].endswith(
        ", 1) = -1 EBADF (Bad file number)")
    assert lines[-2:] == ["exit_group(7) = ?", "+++ exited with 7 +++"]


def test_a_glibc_program_runs(backend, tmp_path):
    path = tmp_path / f"hello.{GNU[backend.name]}"
    path.write_bytes(lzma.decompress((FOREIGN / f"hello.{GNU[backend.name]}.xz").read_bytes()))
    image = programs.load(path, args=("one",))
    result = runner.run(image)
    assert result.output == f"hello from {path.stem} with 1 argument; 1.500\n".encode()
    assert result.exit_code == 0
    names = {name for name, *_ in result.system_calls}
    assert {"brk", "set_tid_address", "exit_group"} <= names     # glibc's malloc uses brk


def test_a_dynamic_executable_is_one_line():
    code, _, err = hal("run", str(FOREIGN / "hello-dynamic.i686"))
    assert code == 2
    assert one_error_line(err).endswith(
        "hello-dynamic.i686: a dynamically linked executable (it needs the program interpreter "
        "/lib/ld-linux.so.2); halemu runs static executables: link with -static")


def test_a_position_independent_executable_is_one_line(tmp_path):
    data = bytearray((FOREIGN / "tiny.riscv64").read_bytes())
    struct.pack_into("<H", data, 16, 3)                      # e_type = ET_DYN
    path = tmp_path / "pie.riscv64"
    path.write_bytes(data)
    code, _, err = hal("run", str(path))
    assert code == 2 and "a position-independent executable (ET_DYN" in one_error_line(err)


def test_a_program_in_the_device_window_is_refused(tmp_path):
    """A MIPS program's segment where the MIPS device window is (0x1800_0000)."""
    data = bytearray((FOREIGN / "tiny.mipsel").read_bytes())
    phoff = struct.unpack_from("<I", data, 28)[0]
    for i in range(struct.unpack_from("<H", data, 44)[0]):
        at = phoff + 32 * i
        if struct.unpack_from("<I", data, at)[0] == 1:       # PT_LOAD: move it
            vaddr = struct.unpack_from("<I", data, at + 8)[0]
            struct.pack_into("<II", data, at + 8, vaddr + 0x17C0_0000, vaddr + 0x17C0_0000)
    entry = struct.unpack_from("<I", data, 24)[0]
    struct.pack_into("<I", data, 24, entry + 0x17C0_0000)
    path = tmp_path / "window.mipsel"
    path.write_bytes(data)
    with pytest.raises(LoadError, match="collides with the mips device window at 0x18000000"):
        programs.load(path)
