"""Under a memory limit (`ulimit -v`), halemu runs what fits and refuses what
does not with one line: Unicorn's own "Could not allocate dynamic translator
buffer" (and exit status 1) never reaches the user.  Each engine reserves a
4 MiB translation buffer instead of Unicorn's 1 GiB (hal/core/engine.py)."""
import resource
import subprocess
import sys

import pytest

from hal.paths import GUESTS

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="needs RLIMIT_AS")


def hal_limited(limit_bytes: int, *args) -> tuple[int, str]:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    proc = subprocess.run([sys.executable, "-m", "hal", *args], capture_output=True, text=True,
                          preexec_fn=limit, timeout=600)
    assert "Traceback" not in proc.stderr and "translator buffer" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stderr


def test_the_readme_demo_runs_under_ulimit_v_8g():
    code, err = hal_limited(8 << 30, "schedule", "--workload",
                            str(GUESTS / "workloads" / "consolidation.toml"), "--no-output")
    assert code == 0, err


def test_fifty_compared_runs_free_their_engines():
    """--compare keeps each run's numbers, not its engines."""
    runs = ",".join(["rr:1"] * 50)
    code, err = hal_limited(1 << 30, "schedule", "hello@mips", "hello@x86", "--compare", runs,
                            "--no-output")
    assert code == 0, err


def test_too_many_guests_for_the_limit_is_one_clean_line():
    guests = ["hello@x86", "hello@mips", "hello@ppc", "hello@alpha"] * 100
    code, err = hal_limited(1 << 30, "schedule", *guests, "--no-output")
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert lines[0].startswith("hal: error: out of memory: no room for another emulated machine")
