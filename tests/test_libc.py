"""Standard C programs, built with the C library (musl) and run by the POSIX
personality, print exactly what the host's own build prints (gcc and
glibc: the .out files beside them), on every ISA."""
import os
import shutil
import subprocess

import pytest
from conftest import LIBC_TESTS, c_program

from hal.core import runner
from hal.toolchain.options import BuildOptions

# program -> its exit status
PROGRAMS = {"formats": 0, "strings": 0, "stdlib": 3, "maths": 0, "control": 4, "sha256": 0,
            "hostile": 0}
MATH = BuildOptions(libraries=("m",))


@pytest.mark.parametrize("program", PROGRAMS)
def test_standard_c_prints_what_the_hosts_build_prints(program, backend):
    image = c_program(LIBC_TESTS / f"{program}.c", backend.name, MATH)
    result = runner.run(image)
    assert result.fault is None, result.error_line()
    assert result.output.decode() == (LIBC_TESTS / f"{program}.out").read_text()
    assert result.exit_code == PROGRAMS[program]


def host_compiler() -> str | None:
    found = shutil.which(os.environ.get("CC", "cc"))
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("CI needs the system C compiler (the README's prerequisite)")
    return found


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_expected_outputs_are_the_hosts_own(program, tmp_path):
    """The .out files are what the host's native build prints, not what we hoped."""
    cc = host_compiler()
    if cc is None:
        pytest.skip("no C compiler on this host to check the expected outputs against")
    exe = tmp_path / program
    subprocess.run([cc, "-O2", "-o", str(exe), str(LIBC_TESTS / f"{program}.c"), "-lm"], check=True)
    native = subprocess.run([str(exe)], cwd=tmp_path, capture_output=True, text=True)
    assert native.stdout == (LIBC_TESTS / f"{program}.out").read_text()
    assert native.returncode == PROGRAMS[program]


def test_a_program_in_several_files_reads_its_input(backend):
    folder = LIBC_TESTS / "wordfreq"
    image = c_program([folder / "main.c", folder / "table.c"], backend.name, args=("12",))
    result = runner.run(image, stdin=open(folder / "input.txt", "rb"))
    assert result.output.decode() == (folder / "expected.out").read_text()


def test_runs_repeat_exactly(backend):
    """Virtual time and "random" bytes: the same on every run."""
    image = c_program(LIBC_TESTS / "clock.c", backend.name)
    first, second = runner.run(image), runner.run(image)
    assert first.output == second.output and first.retired == second.retired
    lines = first.output.decode().splitlines()
    assert lines[0] == "time 946684800"            # 2000-01-01: less than a second has passed
    assert lines[1].startswith("monotonic ") and lines[1].endswith("slept at least 250 us: 1")
    assert lines[2] == "random d2 2f 9a cb a0 bc 2a 62"     # the same on every ISA
