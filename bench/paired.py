"""`hal run` against raw Unicorn (or the empty-block-hook floor against raw),
timed in many ABBA pairs of adjacent runs, with a 95% bootstrap interval.

    python bench/paired.py [--isa x86] [--guest nbody] [--steps 20000]
                           [--pairs 400] [--against raw|floor] [--tlb default|data]

bench.py's tables take a few dozen pairs so that `make bench` stays short;
on this shared machine that leaves an interval of several per cent.  This
takes as many as asked: 400 pairs of nbody at 20,000 steps (about six
minutes on x86) put the median within about half a per cent, enough to judge
a 0.95 target.  The ratio is raw's time over the other's: 1.0 is as fast as
raw.  --against floor times raw with an empty C block hook instead of `hal
run`, the floor that the target falls back to where it is lower.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--isa", default="x86")
    ap.add_argument("--guest", default="nbody", help="a bundled guest or a C source")
    ap.add_argument("--steps", type=int, default=20000, help="nbody's STEPS (ignored otherwise)")
    ap.add_argument("--pairs", type=int, default=400)
    ap.add_argument("--against", choices=("raw", "floor"), default="raw",
                    help="time `hal run` (raw) or the empty-hook floor (floor) against raw")
    ap.add_argument("--tlb", choices=("default", "data"), default=None,
                    help="raw in Unicorn's default TLB mode (a HAL guest's default), or in "
                         "halemu's (data; always, for a C library program)")
    args = ap.parse_args()
    import bench
    from measuring import guest_source, median_interval, paired

    from hal.core import registry
    from hal.errors import HalError
    from hal.toolchain import build, programs
    try:
        backend = registry.get(args.isa)
        source, defines = guest_source(args.guest, args.steps)
        image = programs.load(build.build(source, backend, defines))
    except HalError as e:
        raise SystemExit(f"paired: {e}") from None
    if image.abi != "hal":
        if args.tlb == "default":
            raise SystemExit("paired: --tlb default is for HAL guests: a C library program's "
                             "raw is a halemu machine without counting, in halemu's TLB mode")
        args.tlb = "data"
    raw, floor = bench.ceilings(image, data_tlb=args.tlb == "data")
    ratios = paired(bench.run if args.against == "raw" else floor, image, raw, args.pairs)
    low, high = median_interval(ratios)
    what = "`hal run`" if args.against == "raw" else "empty-hook floor"
    against = "raw in halemu's TLB mode" if args.tlb == "data" else "raw"
    print(f"{' '.join((Path(source).name, *defines))} on {args.isa}: {what} against {against}, "
          f"{args.pairs} ABBA pairs: median {statistics.median(ratios):.4f} "
          f"(95% interval {low:.4f} to {high:.4f})")


if __name__ == "__main__":
    main()
