"""Driving the real GDB (Debian's gdb-multiarch) against `hal run --gdb`.

A test starts hal as a user would, reads the address it announces, runs
gdb-multiarch in batch mode with the test's commands, and gets both sides'
output.  Where gdb-multiarch is missing the test is skipped with its
reason, except under CI=true, where .ci/run installs it and a missing one
is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

GDB = shutil.which("gdb-multiarch")
ROOT = Path(__file__).resolve().parent.parent


def need_gdb() -> str:
    if GDB:
        return GDB
    if os.environ.get("CI") == "true":
        pytest.fail("gdb-multiarch is missing: .ci/run installs it (apt-get install gdb-multiarch)")
    pytest.skip("gdb-multiarch is not installed (apt-get install gdb-multiarch)")


def source_line(path: Path, marker: str, marked: bool = True) -> int:
    """The line of a `LINE:marker` comment in a guest's source (or, not
    `marked`, the first line holding the text)."""
    needle = f"LINE:{marker}" if marked else marker
    for n, text in enumerate(path.read_text().splitlines(), 1):
        if needle in text:
            return n
    raise AssertionError(f"no {needle} in {path}")


class Hal:
    """`hal ... --gdb 127.0.0.1:0` running, waiting for GDB."""

    def __init__(self, *args: str, stdin: bytes | None = None):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "hal", *args],
                                     stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        if stdin is not None:
            self.proc.stdin.write(stdin)
            self.proc.stdin.close()
        self.announced = self._read_announcement()
        found = re.search(r"gdb-multiarch -q (\S+) -ex 'target remote (\S+)'", self.announced)
        assert found, self.announced
        self.elf, self.address = found.group(1), found.group(2)

    def _read_announcement(self) -> str:
        lines = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline().decode()
            if not line:
                break
            lines.append(line)
            if "target remote" in line:
                return "".join(lines)
        self.proc.kill()
        raise AssertionError("hal did not announce a GDB port:\n" + "".join(lines))

    def gdb(self, *commands: str, elf: bool = True, timeout: float = 180,
            interrupt_after: float | None = None) -> str:
        """Run gdb-multiarch in batch mode: connect, then each command."""
        argv = [need_gdb(), "-q", "-batch", "-nx", "-ex", "set pagination off",
                "-ex", "set confirm off", *([self.elf] if elf else []),
                "-ex", f"target remote {self.address}"]
        for c in commands:
            argv += ["-ex", c]
        gdb = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            gdb.send_signal(signal.SIGINT)
        try:
            out, _ = gdb.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            gdb.kill()
            out, _ = gdb.communicate()
            raise AssertionError("gdb timed out:\n" + out.decode(errors="replace"))
        return out.decode(errors="replace")

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        """hal's exit status, stdout and the rest of its stderr."""
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError("hal did not end:\n" + err.decode(errors="replace"))
        return self.proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def icounts(text: str) -> list[int]:
    """Every `monitor icount` answer in a GDB transcript."""
    return [int(n) for n in re.findall(r"^(\d+) instructions retired$", text, re.M)]
