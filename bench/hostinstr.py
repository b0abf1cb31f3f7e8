"""`hal run` against raw Unicorn in host instructions, which do not depend on
what else the machine is doing.

    python bench/hostinstr.py [--guest nbody] [--steps 2000] [--isa all]

On a shared machine, time ratios move by 5 to 10% from one run of bench.py to
the next.  This counts instead the host instructions executed inside
Unicorn's emulation loop (valgrind's callgrind, collecting only inside
vm_start, so neither Python's start-up nor loading counts), for the three
measurements of bench.py: raw Unicorn, raw with an empty C block hook (the
floor), and `hal run`; and raw and floor again in the TLB mode halemu uses
(raw*, floor*: hal/core/datatlb.py), the like-for-like ceiling.  The counts
repeat to within a few hundred thousand instructions; their ratios are what
the time ratios would be if every host instruction cost the same, which they
do not quite (a hook's call costs more time than its instruction count
suggests), so this is a cross-check of where the cost lies, not a replacement
for the timed benchmark.  Needs valgrind (Debian: `apt-get install
valgrind`); about 10 s a measurement at 2,000 steps.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

KINDS = ("raw", "floor", "run", "raw*", "floor*")


def child(isa: str, kind: str, source: str, defines: tuple[str, ...]) -> None:
    """One measurement, run once (under valgrind)."""
    import bench
    from hal.core import registry
    from hal.toolchain import build, programs
    image = programs.load(build.build(source, registry.get(isa), defines))
    raw, floor = bench.ceilings(image)
    tlb_raw, tlb_floor = bench.ceilings(image, data_tlb=True)
    {"raw": raw, "floor": floor, "run": bench.run, "raw*": tlb_raw,
     "floor*": tlb_floor}[kind](image)


def count(isa: str, kind: str, source: str, defines: tuple[str, ...]) -> int:
    """Host instructions inside Unicorn's vm_start for one measurement."""
    with tempfile.TemporaryDirectory(prefix="halemu-hostinstr-") as tmp:
        out = Path(tmp) / "callgrind.out"
        cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=vm_start*",
               "--smc-check=all-non-file", f"--callgrind-out-file={out}",
               sys.executable, __file__, "--child", isa, kind, source, *defines]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"hostinstr: valgrind failed:\n{done.stderr[-2000:]}")
        found = re.search(r"Collected : (\d+)", done.stderr)
        return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guest", default="nbody", help="a bundled guest or a C source")
    ap.add_argument("--steps", type=int, default=2000, help="nbody's STEPS (ignored otherwise)")
    ap.add_argument("--isa", default="all")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        isa, kind, source, *defines = args.child
        child(isa, kind, source, tuple(defines))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("hostinstr: needs valgrind (apt-get install valgrind)")
    from measuring import guest_source

    from hal.core import registry
    source, defines = guest_source(args.guest, args.steps)
    isas = [b.name for b in registry.backends()] if args.isa == "all" else args.isa.split(",")
    print(f"{Path(source).name} {' '.join(defines)}: host instructions inside Unicorn (callgrind)")
    print(f"{'ISA':6} {'raw':>14} {'floor':>14} {'run':>14} {'run/raw':>8} {'floor/raw':>9} "
          f"{'raw*':>14} {'floor*':>14} {'run/raw*':>9} {'floor*/raw*':>11}")
    for isa in isas:
        n = {kind: count(isa, kind, source, defines) for kind in KINDS}
        print(f"{isa:6} {n['raw']:>14,} {n['floor']:>14,} {n['run']:>14,} "
              f"{n['raw'] / n['run']:>8.3f} {n['raw'] / n['floor']:>9.3f} "
              f"{n['raw*']:>14,} {n['floor*']:>14,} {n['raw*'] / n['run']:>9.3f} "
              f"{n['raw*'] / n['floor*']:>11.3f}", flush=True)


if __name__ == "__main__":
    main()
