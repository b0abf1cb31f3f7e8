"""The POSIX personality: each ISA's Linux ABI, the calls it serves, what a
program may see of the host, and every bad input, in one clear line."""

import re

import pytest
from conftest import LIBC_TESTS, c_program
from test_cli import hal, one_error_line

from hal.core import registry, runner
from hal.personality import abi as abis
from hal.personality.calls import CALLS, numbers


@pytest.mark.parametrize("isa, write, exit_group, enosys, ebadf", [
    ("x86", 4, 252, 38, 9), ("mips", 4004, 4246, 89, 9), ("ppc", 4, 234, 38, 9),
    ("alpha", 64, 94, 38, 9)])
def test_each_isa_numbers_its_calls_and_errors_its_own_way(isa, write, exit_group, enosys, ebadf):
    """Read from the kernel's own headers that zig carries, not typed in."""
    a = abis.for_backend(registry.get(isa))
    assert (a.call_numbers["write"], a.call_numbers["exit_group"]) == (write, exit_group)
    assert (a.errno("ENOSYS"), a.errno("EBADF")) == (enosys, ebadf)
    assert a.signal_table["SIGABRT"] == 6
    assert a.calls[write] == "write"


def test_mips_numbers_its_signals_its_own_way():
    mips, x86 = (abis.for_backend(registry.get(i)) for i in ("mips", "x86"))
    assert (mips.signal_table["SIGBUS"], x86.signal_table["SIGBUS"]) == (10, 7)
    assert mips.signal_name(6) == "SIGABRT"


def test_every_served_call_exists_on_some_isa_and_its_handler_takes_its_arguments():
    import inspect
    table = dict(numbers())
    for name, call in CALLS.items():
        assert any(n is not None for n in table[name].values()), name
        params = list(inspect.signature(call.handler).parameters.values())[1:]
        if not any(p.kind is p.VAR_POSITIONAL for p in params):
            required = [p for p in params if p.default is p.empty]
            assert len(required) <= call.arity <= len(params), name


def test_a_printf_program_runs_and_says_which_calls_it_made(backend):
    image = c_program(LIBC_TESTS / "hello.c", backend.name)
    result = runner.run(image)
    assert (result.output, result.exit_code, result.hal_calls) == (b"Hello, world! 42\n", 0, 0)
    a = abis.for_backend(backend)
    made = {name: (number, count) for name, number, count, served in result.system_calls}
    assert made["exit_group"] == (a.call_numbers["exit_group"], 1)
    assert made["ioctl"] == (a.call_numbers["ioctl"], 1)        # musl asks: is stdout a terminal?
    assert all(served for *_, served in result.system_calls)


def test_the_thread_pointer_is_set_each_isas_way(backend):
    """i386 asks for a GDT entry, MIPS for its UserLocal register; PowerPC
    and RISC-V set r2 and tp themselves, without a call."""
    result = runner.run(c_program(LIBC_TESTS / "hello.c", backend.name))
    names = [name for name, *_ in result.system_calls]
    assert ("set_thread_area" in names) == (backend.name in ("x86", "mips"))


def test_hal_calls_and_the_c_library_share_one_program(backend):
    result = runner.run(c_program(LIBC_TESTS / "both.c", backend.name))
    assert result.fault is None
    isa_id = backend.isa_id
    assert result.output.decode() == (f"printf says hello\nhal_puts says hello\n"
                                      f"hal_isa_id {isa_id}, ticks counted: 1\n")
    assert result.hal_calls == 4          # hal_puts writes twice, hal_isa_id, hal_time


def test_printf_and_hal_send_share_a_program_under_hal_schedule(backend):
    """The issue's example: the C library and the HAL's channels in one program,
    a sender on this ISA and a receiver on another, multiplexed on one core."""
    import hal
    other = "ppc" if backend.name == "x86" else "x86"
    relay = LIBC_TESTS / "relay.c"
    for isa in (backend.name, other):
        c_program(relay, isa)           # built here, so that MIPS's guard is an expected failure
    s = hal.schedule([f"{relay}@{backend.name}:arg=0", f"{relay}@{other}:arg=1"], cores=1)
    assert not s.faulted and s.deadlock is None
    assert s.outputs == {f"relay@{backend.name}": "sent 1\nsent 4\nsent 9\nsent 16\nsent 25\n",
                         f"relay@{other}": "received, largest first: 25 16 9 4 1\n"}
    assert [g["exit_code"] for g in s.guests] == [0, 0]


def test_a_program_reads_only_the_files_it_was_given(backend, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("line one\nline two\nthird\n")
    image = c_program(LIBC_TESTS / "files.c", backend.name, args=(str(notes),))
    result = runner.run(image)
    assert result.output.decode() == (
        f"{notes}: 3 lines, 24 bytes\nftell at the end: 24\nfirst line: line one\n"
        f"fstat: 0, regular 1, size 24\nopen for writing: -1 (Read-only file system)\n"
        f"/etc/passwd: not there (No such file or directory)\nstdin is a terminal: 0\n")


def test_unserved_calls_are_enosys_and_executable_memory_is_refused(backend):
    result = runner.run(c_program(LIBC_TESTS / "unserved.c", backend.name))
    assert result.output == b"chdir: -1, ENOSYS\nexecutable memory: refused (EACCES)\n"
    unserved = [name for name, _, _, served in result.system_calls if not served]
    assert unserved == ["chdir"]


def test_memory_past_the_limit_is_a_null_from_malloc(backend):
    from hal.core.memmap import MemoryMap
    image = c_program(LIBC_TESTS / "greedy.c", backend.name)
    small = runner.run(image, memory=MemoryMap(2 << 20))
    assert small.output == b"4 MiB: NULL\n1 MiB: ok, last byte 1\n"
    roomy = runner.run(image)                       # 64 MiB by default
    assert roomy.output == b"4 MiB: ok, last byte 1\n1 MiB: ok, last byte 1\n"


def test_abort_is_a_one_line_fault_report(backend):
    result = runner.run(c_program(LIBC_TESTS / "abort.c", backend.name))
    assert result.output == b"about to abort\n"
    assert result.status == 3
    assert result.fault.reason == "killed by SIGABRT (signal 6), from abort()"


def test_a_crash_is_the_usual_fault_report(backend):
    result = runner.run(c_program(LIBC_TESTS / "crash.c", backend.name))
    assert result.output == b"about to crash\n"
    assert result.status == 3
    assert (result.fault.reason, result.fault.address) == ("read from unmapped memory", 0)


def test_a_failed_assert_says_so_in_glibcs_words_and_aborts(backend, monkeypatch):
    """__FILE__ is the source as named, from where it was named, as with gcc."""
    monkeypatch.chdir(LIBC_TESTS)
    result = runner.run(c_program("assertion.c", backend.name))
    assert result.errors == b"assertion: assertion.c:8: main: Assertion `1 + 1 == 3' failed.\n"
    assert result.fault.reason == "killed by SIGABRT (signal 6), from abort()"


@pytest.mark.parametrize("args, message", [
    (("run", str(LIBC_TESTS / "abort.c"), "--isa", "x86"),
     "abort on x86: killed by SIGABRT (signal 6), from abort() (pc "),
    (("run", "hello", "--isa", "x86", "--", "an-argument"),
     "hello is a HAL guest: program arguments and files are for C library programs"),
    (("run", str(LIBC_TESTS / "hello.c"), "--isa", "ppc", "--file", "/no/such/file"),
     "--file /no/such/file: no such file"),
    (("run", str(LIBC_TESTS / "hello.c"), "--isa", "ppc", "--file", "/dev/zero"),
     "--file /dev/zero: not a regular file"),
    (("run", str(LIBC_TESTS / "hello.c"), "--isa", "mips", "--memory", "64K", "--",
      *map(str, range(3000))), "hello: its 3000 arguments need 25 KiB of its 8 KiB stack"),
    (("run", str(LIBC_TESTS / "hello.c"), "--isa", "alpha", "--snapshot-at", "100",
      "--snapshot", "/tmp/halemu-never-written.snap"),
     "hello is a C library program: a snapshot holds a HAL guest's state"),
])
def test_bad_input_is_one_line(args, message):
    code, _, err = hal(*args)
    assert code in (2, 3) and message in one_error_line(err)


def test_a_c_library_program_that_does_not_compile_shows_the_compilers_message(tmp_path):
    src = tmp_path / "typo.c"
    src.write_text("#include <stdio.h>\nint main(void) { printf(\"%d\\n\", missing); }\n")
    code, _, err = hal("run", str(src), "--isa", "x86")
    assert code == 2
    assert f"{src}:2:33: error: use of undeclared identifier 'missing'" in err
    assert "hal_" not in err


def test_stats_list_the_calls_by_name_and_number_on_that_isa():
    code, out, err = hal("run", str(LIBC_TESTS / "unserved.c"), "--isa", "mips", "--stats")
    assert code == 0
    lines = err.splitlines()
    assert re.fullmatch(r"unserved on mips: \d+ instructions, 0 HAL calls, 8 system calls; "
                        r"start-up \d+ instructions \(\d+\.\d%\)", lines[0]), lines[0]
    assert lines[1].split() == ["system", "call", "mips", "number", "calls"]
    assert any(line.split() == ["chdir", "4012", "1", "not", "served:", "ENOSYS"] for line in lines)
    assert any(line.split() == ["exit_group", "4246", "1"] for line in lines)


def test_trace_lists_the_calls_as_strace_would(backend):
    code, out, err = hal("trace", str(LIBC_TESTS / "hello.c"), "--isa", backend.name, "--syscalls")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-2:] == ["exit_group(0) = ?", "+++ exited with 0 +++"]
    assert 'iov_base="Hello, world! 42", iov_len=16}, {iov_base="\\n", iov_len=1}' in out
    assert any(line.startswith("ioctl(1, TIOCGWINSZ, 0x") and
               line.endswith(" = -1 ENOTTY (Not a typewriter)") for line in lines)


def test_the_syscall_table_command_shows_each_isas_numbers():
    code, out, _ = hal("syscalls", "--markdown")
    assert code == 0
    assert "| `write` | 4 | 4004 | 4 | 64 |" in out.splitlines()
    assert "| `mmap2` | 192 | 4210 | 192 | - |" in out.splitlines()


def test_the_readme_shows_the_table_the_command_prints():
    from conftest import TESTS
    code, out, _ = hal("syscalls", "--markdown")
    assert code == 0 and out in (TESTS.parent / "README.md").read_text()


def test_console_input_is_never_written_over_a_programs_code(backend):
    """Every service that writes guest memory respects the program's own page
    protections: read() says EFAULT, the HAL's hal_read faults at its trap."""
    import io
    image = c_program(LIBC_TESTS / "read_over_code.c", backend.name)
    result = runner.run(image, stdin=io.BytesIO(bytes(600)))
    assert result.output == b"read: -1 EFAULT\nvictim(2): 7\n"
    assert result.fault.reason.startswith("hal_read of 600 bytes writes to read-only memory at ")
    assert result.fault.instruction == backend.trap.mnemonic


def test_a_c_library_programs_stack_overflow_is_named(backend):
    """Recursion without end meets the unmapped page below the stack, and says so."""
    result = runner.run(c_program(LIBC_TESTS / "recurse.c", backend.name))
    assert result.output == b"going down\n"
    assert result.fault.reason.startswith("stack overflow: write past the end of the stack"), \
        result.fault.reason


def test_a_named_file_is_read_once_up_to_a_size_and_never_from_a_pipe(tmp_path, monkeypatch):
    """A file grown past the limit is EFBIG, one swapped for a FIFO after it was
    named is EACCES (never a hang), and a file opened 64 times is held once."""
    import os

    from hal.personality import files
    notes = tmp_path / "notes.txt"
    notes.write_text("line one\nline two\nthird\n")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    image = c_program(LIBC_TESTS / "files.c", "ppc", args=(str(notes),))
    assert runner.run(image).output.decode() == f"cannot open {notes}: File too large\n"
    notes.unlink()
    os.mkfifo(notes)
    assert runner.run(image).output.decode() == f"cannot open {notes}: Permission denied\n"
    table = files.FileTable({"/a": tmp_path / "a"})
    (tmp_path / "a").write_bytes(b"12345")
    fds = [table.open("/a", False) for _ in range(3)]
    assert len({id(table.get(fd).data) for fd in fds}) == 1
