"""How much computing `hal tour` takes (issue 14: under 5 s in all), as CPU
seconds of the process and its children (user + system), so other work on a
shared machine does not count; the median of 5 runs, after one to fill the
build cache.  Also the web page (`hal tour --html`), which adds the charts."""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile

TARGET = 5.0


def cpu(args: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "hal", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "80"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        measures = {"hal tour --no-pause": ["tour", "--no-pause"],
                    "hal tour --html DIR": ["tour", "--html", tmp]}
        for label, args in measures.items():
            cpu(args)                                   # build cache, font cache
            times = [cpu(args) for _ in range(5)]
            median = statistics.median(times)
            verdict = "met   " if median < TARGET else "MISSED"
            print(f"{verdict} {label:22} median {median:.2f} s of CPU (min {min(times):.2f}, "
                  f"max {max(times):.2f}); target: under {TARGET:.0f} s")


if __name__ == "__main__":
    main()
