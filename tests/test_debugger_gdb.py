"""The real client: gdb-multiarch debugging guests on every ISA through
`hal run --gdb`, forwards and backwards, checking the values GDB prints."""
from __future__ import annotations

import re

import pytest
from conftest import ISAS, TEST_GUESTS, elf
from gdbsession import Hal, icounts, need_gdb, source_line

DEBUGME = TEST_GUESTS / "debugme.c"
FPU = {"x86": "$st0", "mips": "$f0", "ppc": "$f0", "alpha": "$ft0.double"}   # an FP register


@pytest.fixture(autouse=True)
def _gdb():
    need_gdb()


@pytest.mark.parametrize("isa", ISAS)
def test_a_debugging_session_forwards_and_backwards(isa):
    body = source_line(DEBUGME, "square-body")
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb(
        "break main", "continue", "print counter",
        "monitor icount", "stepi", "monitor icount", "reverse-stepi", "monitor icount",
        f"break debugme.c:{body}", "continue", "print x", "finish",
        "watch counter", "continue", "reverse-continue", "print counter",
        "next", "step", "print x", f"print {FPU[isa]}", "reverse-finish",
        "monitor hal", "delete", "continue")
    assert re.search(r"Breakpoint 1, main \(\) at \S*debugme\.c:\d+", out), out
    assert "$1 = 0" in out
    a, b, back = icounts(out)
    assert b > a and back == a, out                  # reverse-stepi undoes stepi exactly
    assert re.search(rf"Breakpoint 2, square \(x=(x@entry=)?1\) at \S*debugme\.c:{body}", out), out
    assert "$2 = 1" in out
    assert re.search(r"Value returned is \$3 = 1", out), out
    assert re.search(r"Old value = 1\s+New value = 2", out), out          # forwards
    assert re.search(r"Old value = 2\s+New value = 1", out), out          # backwards
    assert "$4 = 1" in out
    assert re.search(r"square \(x=(x@entry=)?2\)", out), out              # stepped into
    assert "$5 = 2" in out
    assert "$6 = 0" in out                                                  # the FPU is there
    after = out[out.index("$6 = 0"):]                                      # reverse-finish:
    assert re.search(r"main \(\) at \S*debugme\.c", after), out             # back in the caller
    assert re.search(r"^\d+ HAL calls", out, re.M), out
    assert "exited with code 067" in out                                    # 55
    status, stdout, _ = hal.finish()
    assert status == 55
    assert stdout == "total 55\n"                     # printed once, however often rewound


@pytest.mark.parametrize("isa", ISAS)
def test_reverse_continue_goes_back_to_the_previous_breakpoint(isa):
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break square", "continue", "continue", "continue", "monitor icount",
                  "reverse-continue", "print x", "reverse-continue", "print x",
                  "reverse-continue", "continue", "print x", "monitor icount", "kill")
    xs = [int(v) for v in re.findall(r"^\$\d+ = (\d+)$", out, re.M)]
    assert xs == [2, 1, 1], out                      # from the start, forwards: x=1 again
    first, again = icounts(out)[0], icounts(out)[1]
    assert first > again                               # forwards again: an earlier hit
    assert "No more reverse-execution history." in out, out
    status, _, err = hal.finish()
    assert status == 3 and "killed by the debugger" in err


@pytest.mark.parametrize("isa", ISAS)
def test_memory_and_registers_can_be_changed(isa):
    """Back in the caller after square(1), the result register says 100: the
    guest's total follows.  Memory writes read back."""
    result = {"x86": "eax", "mips": "v0", "ppc": "r3", "alpha": "a0"}[isa]
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break square", "continue", "delete", "finish", f"set var ${result} = 100",
                  f"print ${result}", "set var counter = 42", "print counter",
                  "x/1dw &counter", "continue")
    assert re.search(r"Value returned is \$1 = 1", out), out
    assert "$2 = 100" in out and "$3 = 42" in out, out
    assert re.search(r"<counter>:\s+42", out), out
    assert "exited with code 032" in out, out        # 100 + 4 + 9 + 16 + 25 = 154; & 0x7f
    status, stdout, _ = hal.finish()
    assert (status, stdout) == (26, "total 154\n")


@pytest.mark.parametrize("isa", ISAS)
def test_a_fault_is_a_signal_at_the_faulting_instruction(isa):
    hal = Hal("run", str(elf("null_deref", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("continue", "print $pc", "monitor icount", "reverse-stepi", "monitor icount",
                  "continue", "continue")
    assert "Program received signal SIGSEGV" in out, out
    at, before = icounts(out)
    assert before < at
    assert "Program terminated with signal SIGSEGV" in out, out
    status, _, err = hal.finish()
    pc = int(re.search(r"\$1 = .*0x([0-9a-f]+)", out).group(1), 16)
    assert status == 3 and f"pc {pc:#x}" in err, err


@pytest.mark.parametrize("isa", ["x86", "mips"])
def test_a_bare_target_remote_finds_the_symbols(isa):
    """No ELF on GDB's command line: it asks for the executable (qXfer:exec-file)
    and reads it through the stub (vFile)."""
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break square", "continue", "print x", "kill", elf=False)
    assert re.search(r"Breakpoint 1, square \(x=(x@entry=)?1\)", out), out
    hal.finish()


def test_ctrl_c_interrupts_a_running_guest():
    hal = Hal("run", str(elf("spin", "ppc")), "--gdb", "127.0.0.1:0")
    out = hal.gdb("continue", "monitor icount", "kill", interrupt_after=3)
    assert "Program received signal SIGINT" in out, out
    assert icounts(out)[0] > 1000
    status, _, _ = hal.finish()
    assert status == 3


def test_detach_lets_the_guest_run_on():
    hal = Hal("run", str(elf("debugme", "alpha")), "--gdb", "127.0.0.1:0")
    hal.gdb("break square", "continue", "reverse-stepi", "detach")
    status, stdout, err = hal.finish()
    assert (status, stdout) == (55, "total 55\n")
    assert "GDB detached" in err


def test_a_vanished_client_ends_the_guest_cleanly():
    hal = Hal("run", str(elf("debugme", "x86")), "--gdb", "127.0.0.1:0")
    hal.gdb("break square", "continue", "disconnect")
    status, _, err = hal.finish()
    assert status == 3 and "the debugger disconnected" in err and "Traceback" not in err


def test_gdb_wait_keeps_the_guest_for_the_next_client():
    hal = Hal("run", str(elf("debugme", "mips")), "--gdb", "127.0.0.1:0", "--gdb-wait")
    first = hal.gdb("break square", "continue", "continue", "print x", "disconnect")
    assert "$1 = 2" in first
    second = hal.gdb("print x", "break square", "reverse-continue", "print x", "delete", "continue")
    assert "$1 = 2" in second and "$2 = 1" in second, second
    status, stdout, _ = hal.finish()
    assert (status, stdout) == (55, "total 55\n")


def test_one_guest_of_a_schedule_under_gdb():
    """The consumer of the pipeline workload, debugged while the producer runs:
    values received from the channel replay exactly when going back."""
    from hal import paths
    hal = Hal("schedule", "--workload", str(paths.GUESTS / "workloads" / "pipeline.toml"),
              "--gdb", "consumer@x86=127.0.0.1:0")
    line = source_line(paths.GUESTS / "consumer.c", "sum += v;", marked=False)
    out = hal.gdb(f"break consumer.c:{line}", "continue", "print v", "continue", "print v",
                  "reverse-continue", "print v", "delete", "continue")
    first, second, again = [int(v) for v in re.findall(r"^\$\d+ = (-?\d+)$", out, re.M)]
    assert again == first != second, out
    assert "exited normally" in out
    status, stdout, _ = hal.finish()
    assert status == 0 and "(byte order preserved)" in stdout


@pytest.mark.parametrize("isa", ["x86", "ppc"])        # after the access, and before it
def test_read_and_access_watchpoints(isa):
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break main", "continue", "delete", "rwatch counter", "continue", "continue",
                  "reverse-continue", "print counter", "delete", "awatch counter", "continue",
                  "continue", "reverse-continue", "print counter", "kill")
    reads = re.findall(r"read watchpoint \d+: counter\s+Value = (\d+)", out)
    assert reads == ["1", "2", "2"], out
    assert re.search(r"access \(read/write\) watchpoint \d+: counter\s+Value = 2", out), out
    assert re.search(r"Old value = 2\s+New value = 3", out), out
    assert re.search(r"Old value = 3\s+New value = 2", out), out
    assert re.findall(r"^\$\d+ = (\d+)$", out, re.M) == ["2", "2"], out
    hal.finish()


@pytest.mark.parametrize("isa", ["x86", "ppc", "alpha"])
def test_reverse_step_and_next_walk_back_through_the_source(isa):
    call, store = source_line(DEBUGME, "call"), source_line(DEBUGME, "store")
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break square", "continue", "continue", "monitor icount", "reverse-step",
                  "monitor icount", "reverse-step", "monitor icount", "reverse-next",
                  "monitor icount", "kill")
    at_square, back1, back2, back3 = icounts(out)
    assert at_square > back1 > back2 > back3, out
    tail = out[out.index("square (x=x@entry=2)" if "x@entry=2" in out else "square (x=2)"):]
    assert re.search(rf"main \(\) at \S*debugme\.c:{call}", tail), out
    assert re.search(rf"^{store}\t", tail, re.M), out
    hal.finish()


def test_monitor_snapshot_resumes_to_the_same_end(tmp_path):
    import subprocess
    import sys
    snap = tmp_path / "here.hal"
    hal = Hal("run", str(elf("debugme", "mips")), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break square", "continue", "continue", "reverse-stepi",
                  f"monitor snapshot {snap}", "kill")
    assert f"to {snap} (continue with: hal resume {snap})" in out, out
    hal.finish()
    resumed = subprocess.run([sys.executable, "-m", "hal", "resume", str(snap)],
                             capture_output=True, text=True, timeout=120)
    assert (resumed.returncode, resumed.stdout) == (55, "total 55\n")


@pytest.mark.parametrize("isa", ISAS)
def test_the_guest_runs_on_after_its_hooks_are_gone(isa):
    """Translated blocks call code hooks directly: a block left translated with
    a deleted breakpoint's or step's hook in it made the next `continue` call
    a freed callback, and the host died (SIGSEGV on x86)."""
    hal = Hal("run", str(elf("debugme", isa)), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break square", "continue", "delete", "finish", "continue")
    assert "exited with code 067" in out, out          # 1 + 4 + 9 + 16 + 25 = 55
    assert hal.finish()[:2] == (55, "total 55\n")


def test_x86_doubles_show_in_the_sse_registers():
    """halemu's i386 builds compute doubles in SSE2: GDB sees xmm0..xmm7 and
    MXCSR (org.gnu.gdb.i386.sse), and an argument clang passes in xmm0
    (newton_sqrt is static, so it gets clang's own convention) prints."""
    hal = Hal("run", str(elf("nbody", "x86")), "--gdb", "127.0.0.1:0")
    out = hal.gdb("break newton_sqrt", "continue", "print a", "print $xmm0.v2_double[0]",
                  "print $mxcsr", "kill")
    hal.finish()
    a = re.search(r"\$1 = ([0-9.]+)", out)
    assert a and f"$2 = {a.group(1)}" in out, out
    assert "$3 = [ IM DM ZM OM UM PM ]" in out, out        # 0x1F80: every exception masked
