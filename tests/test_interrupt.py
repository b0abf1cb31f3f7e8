"""Ctrl-C stops a runaway guest at once, however it runs: one line saying how
far it got (instructions and PC), exit status 130.  (How fast is measured in
bench/bench.py, not here: this machine is shared.)"""
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import TEST_GUESTS, elf

from hal.core import interrupt
from hal.core.machine import Machine
from hal.core.memmap import MemoryMap

LINE = re.compile(r"hal: interrupted: (\S+) on (\w+) after [\d,]+ instructions, at pc 0x[0-9a-f]+")
pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads /proc (Linux)")


def cpu_seconds(group: int) -> float:
    """CPU time used so far by every process in a process group."""
    total = 0
    for stat in os.listdir("/proc"):
        if stat.isdigit():
            try:
                fields = open(f"/proc/{stat}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group:                 # pgrp
                total += int(fields[11]) + int(fields[12])   # utime + stime
    return total / os.sysconf("SC_CLK_TCK")


def ctrl_c(*args, group=True, stdin=subprocess.DEVNULL, busy=1.0, waiting=False):
    """Start `hal ARGS`, wait until its processes have spent `busy` seconds of
    CPU (inside the guest's loop by then), or, if `waiting`, until they stop
    using CPU at all (blocked on input), then send SIGINT (to the process
    group, as a terminal does, or to hal alone); return (status, stdout, stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "hal", *args], stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        last = -1.0
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "hal never got there"
            used = cpu_seconds(proc.pid)
            if (used == last and used > 0.1) if waiting else used >= busy:
                break
            last = used
            time.sleep(0.5 if waiting else 0.05)
        if group:
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    err = err.decode()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    return proc.returncode, out.decode(), err


def spin(isa):
    return str(elf("spin", isa))


def the_line(err):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert LINE.fullmatch(lines[0].split("; ")[0]), lines[0]
    return lines[0]


@pytest.mark.parametrize("isa", ["x86", "mips"])
def test_ctrl_c_stops_hal_run(isa):
    code, out, err = ctrl_c("run", spin(isa), "--no-isolate", "--max-instructions", "0")
    assert code == 130 and out == "spinning\n"
    assert the_line(err).startswith(f"hal: interrupted: spin on {isa} after ")


def test_ctrl_c_stops_an_isolated_run():
    code, _, err = ctrl_c("run", spin("ppc"), "--isolate", "--max-instructions", "0")
    assert code == 130 and the_line(err).startswith("hal: interrupted: spin on ppc after ")


@pytest.mark.parametrize("group", [True, False], ids=["terminal", "parent-only"])
def test_ctrl_c_stops_every_worker_of_isa_all(group):
    code, _, err = ctrl_c("run", str(TEST_GUESTS / "spin.c"), "--isa", "all", "--jobs", "2",
                          "--max-instructions", "0", group=group, busy=2.0)
    assert code == 130
    first, *more = the_line(err).removeprefix("hal: interrupted: ").split("; ")
    assert more, err                          # both workers said how far they got
    for part in (first, *more):
        assert LINE.fullmatch("hal: interrupted: " + part), part


def test_ctrl_c_stops_hal_schedule():
    code, out, err = ctrl_c("schedule", str(TEST_GUESTS / "spin.c") + "@mips", "hello@x86",
                            "--max-instructions", "0")
    assert code == 130 and the_line(err).startswith("hal: interrupted: spin@mips on mips after ")
    code, out, err = ctrl_c("schedule", str(TEST_GUESTS / "spin.c") + "@ppc", "--isolate",
                            "--max-instructions", "0")
    assert code == 130 and the_line(err).startswith("hal: interrupted: spin@ppc on ppc after ")


def test_ctrl_c_while_the_guest_waits_for_input():
    """Blocked reading the UART from an open pipe, inside a port hook on x86."""
    code, _, err = ctrl_c("run", "echo", "--isa", "x86", stdin=subprocess.PIPE, waiting=True)
    assert code == 130 and the_line(err).startswith("hal: interrupted: echo on x86 after ")


def test_a_request_stops_the_running_machine_at_its_next_block():
    """What the watcher thread does, in-process: the count stays exact."""
    import threading
    from conftest import image
    m = Machine(image("spin", "alpha"), max_instructions=0, memory=MemoryMap())
    timer = threading.Timer(0.3, interrupt.request)
    timer.start()
    try:
        with pytest.raises(interrupt.Interrupted, match=r"spin on alpha after [\d,]+ instructions"):
            while True:
                m.run(budget=None)
                if m.request is not None:
                    m.complete()
    finally:
        timer.join()
        interrupt.requested = False
        interrupt.running = None
    assert m.retired > 1000 and m.fault is None


def test_ctrl_c_while_a_c_library_program_waits_in_read():
    """Blocked in the personality's read(), inside the trap's hook."""
    from conftest import LIBC_TESTS, c_program
    c_program(LIBC_TESTS / "echo.c", "ppc")     # built first: a build in progress uses no CPU here
    code, _, err = ctrl_c("run", str(LIBC_TESTS / "echo.c"), "--isa", "ppc",
                          stdin=subprocess.PIPE, waiting=True)
    assert code == 130 and the_line(err).startswith("hal: interrupted: echo on ppc after ")
