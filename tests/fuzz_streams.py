"""Random instruction streams: random words as guest code, run under an
instruction limit.  Every stream must end in a reported outcome; none may take
the host down.

    python tests/fuzz_streams.py ISA COUNT SEED PROGRESS_FILE
    python tests/fuzz_streams.py --replay CORPUS_FILE

Run in a subprocess by tests/test_fuzz.py, so that a crash inside Unicorn
fails the test (and names the stream) instead of killing pytest.  Before each
stream the worker writes it to PROGRESS_FILE: after a crash, that file holds
the input that caused it, ready to go into tests/corpus/.
"""
from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hal.core import loader, registry
from hal.core.codecheck import check_code  # noqa: E402
from hal.core.loader import Image, Segment  # noqa: E402
from hal.core.machine import Machine, Stop  # noqa: E402
from hal.core.memmap import MemoryMap  # noqa: E402
from hal.errors import LoadError  # noqa: E402
from hal.toolchain import build, guests  # noqa: E402

MEMORY = MemoryMap(64 << 10)
CODE_AT = MEMORY.ram_base + 0x8000      # a code page of its own, clear of hello's segments
LIMIT = 2_000
PF_RX = 5


def run_stream(base, code: bytes) -> str:
    """Run `code` as guest code, as if an ELF had brought it (so the loader's
    code check applies); return the outcome in a few words.  The native and
    the pure-Python counter must agree on it, to the instruction."""
    b = base.backend
    image = Image(base.path, b, CODE_AT, base.segments + (Segment(CODE_AT, code, len(code), PF_RX),))
    try:
        check_code(image)
    except LoadError:
        return "refused by the loader"
    m, stop = start(image, native=True)
    other, other_stop = start(image, native=False)
    assert (stop, m.retired, m.fault and m.fault.summary()) == \
        (other_stop, other.retired, other.fault and other.fault.summary()), code.hex()
    if stop is Stop.BLOCKED:
        return "blocked"
    if stop is Stop.FAULTED:
        assert m.fault is not None and m.fault.reason
        return "fault: " + m.fault.reason.split(" (")[0].split(" at ")[0]
    return stop.value


def start(image: Image, native: bool) -> tuple[Machine, Stop]:
    m = Machine(image, memory=MEMORY, max_instructions=LIMIT, native=native)
    m.uc.reg_write(image.backend.reg(image.backend.regs.pc), CODE_AT)
    return m, m.run()


def stream(rng: random.Random, width: int) -> bytes:
    words = rng.randrange(1, 64)
    return bytes(rng.getrandbits(8) for _ in range(words * (width or 4)))


def fuzz(isa: str, count: int, seed: int, progress: Path) -> Counter:
    image = loader.load(build.build(guests.source("hello"), registry.get(isa)), MEMORY)
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    for i in range(count):
        code = stream(rng, image.backend.insn_width)
        progress.write_text(json.dumps({"isa": isa, "seed": seed, "index": i, "code": code.hex()}))
        outcomes[run_stream(image, code)] += 1
    return outcomes


def replay(entry: Path) -> str:
    data = json.loads(entry.read_text())
    image = loader.load(build.build(guests.source("hello"), registry.get(data["isa"])), MEMORY)
    return run_stream(image, bytes.fromhex(data["code"]))


if __name__ == "__main__":
    if sys.argv[1] == "--replay":
        print(json.dumps({"outcome": replay(Path(sys.argv[2]))}))
    else:
        isa, count, seed, progress = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
        print(json.dumps(dict(fuzz(isa, count, seed, progress))))
