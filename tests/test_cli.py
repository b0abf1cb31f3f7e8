"""The `hal` command end to end: exit codes, one-line errors, no tracebacks."""
import subprocess
import sys

import pytest
from conftest import ISAS, TEST_GUESTS, elf


def hal(*args, input=None):
    proc = subprocess.run([sys.executable, "-m", "hal", *args], capture_output=True,
                          input=input, timeout=300)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in err
    return proc.returncode, out, err


def one_error_line(err):
    lines = [line for line in err.splitlines() if line.startswith("hal: error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_run_single_isa_prints_exact_output():
    code, out, err = hal("run", "fib", "--isa", "mips")
    assert code == 0 and err == ""
    assert out.endswith("fib(24) = 46368\n")


def test_run_all_isas_side_by_side():
    code, out, _ = hal("run", "crc32", "--isa", "all")
    assert code == 0
    for isa in ISAS:
        assert isa in out
    assert "identical output on all 4 ISAs" in out
    assert out.count("bitwise and table methods agree") == 1


def test_run_all_marks_differences():
    code, out, _ = hal("run", "endian")
    assert code == 0
    assert "outputs differ: 2 versions (A: x86, mips, alpha; B: ppc)" in out


def test_run_elf_path_detects_isa():
    code, out, _ = hal("run", str(elf("hello", "ppc")), "--stats")
    assert (code, out) == (0, "Hello from a halemu guest!\n")


def test_stats_goes_to_stderr():
    code, out, err = hal("run", "hello", "--isa", "alpha", "--stats")
    assert err == "hello on alpha: 181 instructions, 3 HAL calls; start-up 14 instructions (7.7%)\n"


def test_exit_status_is_the_guests():
    code, out, _ = hal("run", str(elf("exit42", "x86")))
    assert (code, out) == (42, "exiting with 42\n")


def test_run_is_deterministic():
    assert hal("run", "sort") == hal("run", "sort")


@pytest.mark.parametrize("args, fragment", [
    (("run", "no_such_guest"), "no such file or bundled guest 'no_such_guest'"),
    (("run", "/nonexistent/guest.elf"), "no such file"),
    (("run", "fib", "--isa", "arm"), "unknown ISA 'arm' (supported: x86, mips, ppc, alpha)"),
    (("run", "fib", "--memory", "12Q"), "not a memory size"),
    (("build", "tests/bad_source.c", "--isa", "x86"), "does not build for x86"),
])
def test_bad_input_is_one_clear_line(args, fragment):
    code, _, err = hal(*args)
    assert code == 2
    assert fragment in one_error_line(err)


def test_not_an_elf(tmp_path):
    p = tmp_path / "notes.elf"
    p.write_text("hello")
    code, _, err = hal("run", str(p))
    assert code == 2 and "not an ELF file" in one_error_line(err)


def test_elf_of_another_isa_than_asked():
    code, _, err = hal("run", str(elf("hello", "x86")), "--isa", "mips")
    assert code == 2 and "is a x86 ELF file, not mips" in one_error_line(err)


def test_fault_reports_pc_instruction_and_registers():
    code, out, err = hal("run", str(elf("null_deref", "mips")))
    assert code == 3
    line = one_error_line(err)
    assert "null_deref on mips: read from unmapped memory at address 0x0 (pc 0x" in line
    assert "lw " in line
    assert "registers: at=" in err and " ra=" in err


def test_instruction_limit_message():
    code, out, err = hal("run", str(elf("spin", "ppc")), "--max-instructions", "10000")
    assert code == 3
    assert "exceeded the instruction limit of 10000" in one_error_line(err)


def test_compiler_message_is_shown():
    code, _, err = hal("build", str(TEST_GUESTS.parent / "bad_source.c"), "--isa", "ppc")
    assert code == 2 and "undefined_variable" in err


def test_isas_lists_cores_and_traps():
    code, out, _ = hal("isas")
    assert code == 0
    for word in ("int 0x2e", "syscall", "sc", "ecall", "RISC-V", "big", "64-bit"):
        assert word in out


def test_input_file(tmp_path):
    p = tmp_path / "in.txt"
    p.write_bytes(b"one\ntwo\n")
    code, out, _ = hal("run", str(elf("echo_input", "x86")), "--input", str(p))
    assert out == "one\ntwo\nbytes: 8\n"


def test_stdin_input():
    code, out, _ = hal("run", str(elf("echo_input", "alpha")), input=b"xyz")
    assert out == "xyzbytes: 3\n"
