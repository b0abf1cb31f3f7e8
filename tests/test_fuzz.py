"""Fuzzing: hostile files and random code never take the host down.

Random instruction streams run in a child process per ISA (a third of them
long runs of words capstone and the core disagree on: tests/fuzz_streams.py);
if the child crashes, the stream that did it is saved to tests/corpus/ and the
test fails.
Everything in tests/corpus/ is replayed on every run."""
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ISAS, elf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hal.core import loader
from hal.errors import LoadError
from hal.scheduling import workload
from hal.scheduling.workload import WorkloadError

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
STREAMS_PER_ISA = 2500


@pytest.mark.parametrize("isa", ISAS)
def test_random_instruction_streams(isa, tmp_path):
    seed = 20261124
    progress = tmp_path / "progress.json"
    proc = subprocess.run([sys.executable, str(TESTS / "fuzz_streams.py"), isa,
                           str(STREAMS_PER_ISA), str(seed), str(progress)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        crash = json.loads(progress.read_text())
        saved = CORPUS / f"{isa}-seed{seed}-{crash['index']}.json"
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        crash["note"] = f"failed the fuzz worker (exit {proc.returncode}: {last}); found by test_fuzz"
        saved.write_text(json.dumps(crash))
        pytest.fail(f"stream {crash['index']} failed on {isa} (exit {proc.returncode}: {last}): "
                    f"saved to {saved}")
    outcomes = json.loads(proc.stdout)
    assert outcomes.pop("disagreeing words found") > 0      # the long runs had words to use
    assert sum(outcomes.values()) == STREAMS_PER_ISA
    assert all(o.startswith(("fault: ", "limit", "blocked", "exited", "refused")) for o in outcomes)


@pytest.mark.parametrize("entry", sorted(CORPUS.glob("*.json")), ids=lambda p: p.stem)
def test_corpus_streams_replay_safely(entry):
    proc = subprocess.run([sys.executable, str(TESTS / "fuzz_streams.py"), "--replay", str(entry)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"]


GOOD = {isa: elf("hello", isa).read_bytes() for isa in ISAS}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isa=st.sampled_from(ISAS), seed=st.integers(0, 2**32 - 1),
       flips=st.integers(1, 24), cut=st.one_of(st.none(), st.integers(0, 20000)))
def test_mutated_elfs_are_loaded_or_refused_cleanly(isa, seed, flips, cut):
    rng = random.Random(seed)
    data = bytearray(GOOD[isa])
    for _ in range(flips):
        # mostly in the headers, where a lie does the most damage
        pos = rng.randrange(min(len(data), 256)) if rng.random() < 0.8 else rng.randrange(len(data))
        data[pos] = rng.randrange(256)
    if cut is not None:
        data = data[:cut]
    try:
        img = loader.parse(bytes(data), Path(f"fuzz-{isa}.elf"))
    except LoadError as e:
        assert "\n" not in str(e)
    else:
        assert img.segments and any(s.executable for s in img.segments)


KEYS = ["program", "isa", "weight", "reservation", "limit", "arg", "count", "colour"]
VALUES = st.one_of(st.integers(-5, 2000), st.floats(-2, 3, allow_nan=False), st.booleans(),
                   st.sampled_from(["fib", "x86", "mips", "nope", ""]))


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    return repr(v)


@settings(max_examples=300, deadline=None)
@given(schedule=st.dictionaries(st.sampled_from(["cores", "quantum", "policy", "speed"]), VALUES,
                                max_size=3),
       guests=st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=5), max_size=3))
def test_random_workload_files_parse_or_name_the_problem(tmp_path_factory, schedule, guests):
    text = "[schedule]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in schedule.items())
    for g in guests:
        text += "[[guest]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in g.items())
    path = tmp_path_factory.mktemp("w") / "w.toml"
    path.write_text(text)
    try:
        wl = workload.load(path)
    except WorkloadError as e:
        assert str(e).startswith(str(path)) and "\n" not in str(e)
    else:
        assert wl.guests and all(g.weight > 0 for g in wl.guests)
