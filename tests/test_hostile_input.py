"""The hostile inputs of issue 13, one test each, through the `hal` command:
each ends in one line and exit status 2 or 3 (or runs correctly), never a
hang, a crash or exit 70."""
import os
import subprocess
import sys
import time

import pytest
from conftest import TEST_GUESTS, elf

from hal.paths import GUESTS


def hal(*args, stdin=subprocess.DEVNULL, timeout=120):
    proc = subprocess.run([sys.executable, "-m", "hal", *args], stdin=stdin, capture_output=True,
                          timeout=timeout)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err
    return proc.returncode, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hal: error: "), err
    return lines[0]


@pytest.mark.parametrize("command", [("run",), ("disasm",), ("trace", "--isa", "x86"),
                                     ("compare",)])
def test_dev_zero_as_a_guest_is_refused_at_once(command):
    code, _, err = hal(*command[:1], "/dev/zero", *command[1:], timeout=60)
    assert code == 2 and "/dev/zero: not a regular file" in one_line(err)


def test_a_fifo_is_no_guest_snapshot_or_workload(tmp_path):
    for name, args in (("g.elf", ("run",)), ("s.snap", ("resume",)),
                       ("w.toml", ("schedule", "--workload"))):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        code, _, err = hal(*args, str(fifo), timeout=60)     # opening it would block for ever
        assert code == 2 and "not a regular file" in one_line(err), name


def test_isa_all_does_not_wait_for_input_nobody_reads():
    """stdin an open pipe that never ends: hello reads no input, so hal ends."""
    proc = subprocess.Popen([sys.executable, "-m", "hal", "run", "hello", "--isa", "all"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None:
            assert time.monotonic() < deadline, "hal run --isa all waited for stdin"
            time.sleep(0.1)
        assert proc.returncode == 0
        assert b"identical output on all 4 ISAs" in proc.stdout.read()
    finally:
        proc.stdin.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_isa_all_gives_every_isa_the_whole_input_as_it_comes():
    proc = subprocess.run([sys.executable, "-m", "hal", "run", str(TEST_GUESTS / "echo_input.c"),
                           "--isa", "all", "--jobs", "2"], input=b"line one\nline two\n",
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert b"identical output on all 4 ISAs" in proc.stdout
    assert b"line one\nline two\nbytes: 18\n" in proc.stdout


@pytest.mark.parametrize("option", ["--json", "--csv", "--svg"])
def test_schedule_output_into_a_missing_folder_fails_before_the_run(tmp_path, option):
    code, out, err = hal("schedule", "collatz@x86", option, str(tmp_path / "no" / "such.out"))
    assert code == 2 and out == ""
    assert f"{option} {tmp_path / 'no' / 'such.out'}: no such directory" in one_line(err)


def test_snapshot_into_a_missing_folder_fails_before_the_run(tmp_path):
    code, out, err = hal("run", "sort", "--isa", "mips", "--snapshot-at", "1000",
                         "--snapshot", str(tmp_path / "no" / "s.snap"))
    assert code == 2 and out == "" and "no such directory" in one_line(err)


@pytest.mark.parametrize("args, fragment", [
    (("run", "hello", "--isa", "x86", "--max-instructions", str(2**64)), "'--max-instructions'"),
    (("run", "hello", "--isa", "x86", "--max-instructions", str(2**64 + 1000)),
     "'--max-instructions'"),
    (("run", "hello", "--isa", "x86", "--snapshot-at", str(2**64), "--snapshot", "x.snap"),
     "'--snapshot-at'"),
    (("schedule", "hello@x86", "--quantum", str(2**64)), "'--quantum'"),
    (("schedule", "hello@x86:limit=5e-324", "--policy", "shares"), "'limit' is a fraction"),
    (("schedule", "hello@x86:limit=1e-12", "--policy", "shares"), "'limit' is a fraction"),
    (("schedule", "hello@x86:weight=nan", "--policy", "shares"), "'weight' must be a number"),
    (("schedule", "hello@x86:arg=4294967296"), "does not fit a 32-bit word"),
])
def test_numbers_that_would_wrap_or_break_are_refused(args, fragment):
    code, _, err = hal(*args, timeout=60)
    assert code == 2 and fragment in one_line(err)


@pytest.mark.parametrize("setting, fragment", [
    ("channel_capacity = 0", "'channel_capacity' must be 1 to"),
    ("channel_capacity = -3", "'channel_capacity' must be 1 to"),
    ("max_instructions = -1", "'max_instructions' must be 0 to"),
    ("quantum = 18446744073709551616", "'quantum' must be 1 to"),
    ("quantum = 9223372036854775807", "'quantum' must be 1 to"),
    ("switch_cost = -1", "'switch_cost' must be 0 to"),
])
def test_workload_numbers_are_checked_where_they_enter(tmp_path, setting, fragment):
    path = tmp_path / "w.toml"
    path.write_text(f"[schedule]\n{setting}\n[[guest]]\nprogram = \"hello\"\nisa = \"x86\"\n")
    code, _, err = hal("schedule", "--workload", str(path), timeout=60)
    assert code == 2 and fragment in one_line(err)


def test_a_deadlock_keeps_every_guests_output_and_statistics():
    code, out, err = hal("schedule", "consumer@x86", "hello@mips", "crc32@ppc")
    assert code == 3 and "deadlock at tick" in one_line(err)
    assert "Hello from a halemu guest!" in out and "crc32" in out
    assert "deadlocked" in out                                   # the table is there


def test_the_default_instruction_limit_ends_a_runaway_and_says_how_to_raise_it():
    """A class's for(;;): it ends by itself (1e9 instructions, a few seconds)."""
    code, out, err = hal("run", str(elf("spin", "alpha")), "--no-isolate", timeout=600)
    assert code == 3 and out == "spinning\n"
    line = err.strip().splitlines()[0]
    assert "exceeded the instruction limit of 1000000000" in line
    assert "raise it with --max-instructions N (0 for none)" in line


def test_a_workload_file_is_not_read_without_end(tmp_path):
    code, _, err = hal("schedule", "--workload", "/dev/zero", timeout=60)
    assert code == 2 and "not a regular file" in one_line(err)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (2 << 20))
    code, _, err = hal("schedule", "--workload", str(big), timeout=60)
    assert code == 2 and "too large" in one_line(err)


def test_bundled_workloads_still_run():
    code, _, err = hal("schedule", "--workload", str(GUESTS / "workloads" / "pipeline.toml"),
                       "--no-output")
    assert code == 0, err


@pytest.mark.parametrize("text, fragment", [
    ('#include "/dev/zero"\nint main(void) { return 0; }\n', '#include /dev/zero: not a regular file'),
    ('#include "pipe.h"\nint main(void) { return 0; }\n', 'pipe.h: not a regular file'),
])
def test_a_source_that_includes_a_device_or_a_pipe_is_refused_at_once(tmp_path, text, fragment):
    """The compiler would read /dev/zero without end, or wait on the pipe for ever."""
    os.mkfifo(tmp_path / "pipe.h")
    (tmp_path / "evil.c").write_text(text)
    code, _, err = hal("run", str(tmp_path / "evil.c"), "--isa", "x86", timeout=60)
    assert code == 2 and fragment in one_line(err)


def test_assembly_that_incbins_a_device_is_refused_and_a_pipe_as_source_is_named(tmp_path):
    (tmp_path / "main.c").write_text("int main(void) { return 0; }\n")
    (tmp_path / "blob.S").write_text('.data\n.incbin "/dev/zero"\n')
    code, _, err = hal("build", str(tmp_path / "main.c"), str(tmp_path / "blob.S"), "--isa", "x86",
                       timeout=60)
    assert code == 2 and "blob.S: .incbin /dev/zero: not a regular file" in one_line(err)
    os.mkfifo(tmp_path / "fifo.c")
    code, _, err = hal("run", str(tmp_path / "fifo.c"), "--isa", "x86", timeout=60)
    assert code == 2 and "fifo.c: not a regular file" in one_line(err)


@pytest.mark.parametrize("source, text, limit, fragment", [
    # a macro hides the name from the scan: only the limits stop the compiler
    ("blob.S", '#define F "/dev/zero"\n.data\n.incbin F\n', "COMPILER_MEMORY",
     "the compiler ran out of memory"),
    ("wait.c", '#define F "pipe.h"\n#include F\nint main(void) { return 0; }\n',
     "COMPILER_SECONDS", "the compiler ran for more than 5 seconds"),
])
def test_a_compiler_that_reads_without_end_is_stopped(tmp_path, monkeypatch, source, text, limit,
                                                      fragment):
    from hal.core import registry
    from hal.errors import BuildError
    from hal.toolchain import build
    monkeypatch.setattr(build, "COMPILER_MEMORY", 1 << 30)
    monkeypatch.setattr(build, "COMPILER_SECONDS", 5 if limit == "COMPILER_SECONDS" else 120)
    os.mkfifo(tmp_path / "pipe.h")
    (tmp_path / "main.c").write_text("int main(void) { return 0; }\n")
    (tmp_path / source).write_text(text)
    sources = [tmp_path / source] if source.endswith(".c") else [tmp_path / "main.c", tmp_path / source]
    start = time.monotonic()
    with pytest.raises(BuildError, match=fragment):
        build.build(sources, registry.get("x86"))
    assert time.monotonic() - start < 100
