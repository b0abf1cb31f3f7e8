"""Workload specs and files: good ones parse, bad ones are named precisely."""
import json
import xml.etree.ElementTree as ET

import pytest
from test_cli import hal, one_error_line

from hal.paths import GUESTS
from hal.scheduling import workload
from hal.scheduling.workload import WorkloadError


def test_spec_with_settings():
    s = workload.parse_spec("fib@mips:weight=2,limit=0.5,arg=3")
    assert (s.program, s.isa, s.weight, s.limit, s.arg, s.label) == ("fib", "mips", 2, 0.5, 3, "fib@mips")


@pytest.mark.parametrize("text, fragment", [
    ("fib@mips:speed=2", "unknown setting 'speed'"),
    ("fib@mips:weight=heavy", "'weight' needs a number"),
    ("fib@mips:weight=0", "'weight' must be a number from 0.001 to 1,000,000, not 0.0"),
    ("fib@mips:limit=1.5", "'limit' is a fraction of one core"),
    ("fib@mips:reservation=0.6,limit=0.5", "'reservation' 0.6 exceeds 'limit' 0.5"),
    ("@mips", "no program"),
])
def test_bad_specs(text, fragment):
    with pytest.raises(WorkloadError, match=fragment.replace("(", r"\(")):
        workload.parse_spec(text)


@pytest.mark.parametrize("toml, fragment", [
    ('[schedule]\ncores = "two"\n[[guest]]\nprogram = "fib"\nisa = "x86"\n', "'cores' must be int"),
    ('[schedule]\nspeed = 1\n[[guest]]\nprogram = "fib"\nisa = "x86"\n', "unknown key 'speed'"),
    ('[[guest]]\nprogram = "fib"\nisa = "x86"\ncolour = "red"\n', "guest 1: unknown key 'colour'"),
    ('[[guest]]\nisa = "x86"\n', "guest 1: missing 'program'"),
    ('[[guest]]\nprogram = "fib"\nweight = true\n', "'weight' must be a number"),
    ('[[guest]]\nprogram = "fib"\ncount = 0\n', "'count' must be 1 to 1024"),
    ('[[guest]]\nprogram = "fib"\nlimit = -1\n', "'limit' is a fraction"),
    ('[schedule]\ncores = 2\n', "no [[guest]] entries"),
    ('[guests]\n', "unknown table 'guests'"),
    ('this is not toml', "not valid TOML"),
])
def test_bad_workload_files_name_the_key(tmp_path, toml, fragment):
    p = tmp_path / "w.toml"
    p.write_text(toml)
    with pytest.raises(WorkloadError) as e:
        workload.load(p)
    assert fragment in str(e.value)


def test_shipped_workloads_parse():
    for p in (GUESTS / "workloads").glob("*.toml"):
        assert workload.load(p).guests, p


def test_count_copies_and_labels():
    wl = workload.load(GUESTS / "workloads" / "consolidation.toml")
    labels = [c.label for c in workload.resolve(wl.guests + wl.guests[:1])]
    assert labels[-1] == "sleepy@x86#2"


# -- the command ---------------------------------------------------------------

def test_schedule_report_is_deterministic(tmp_path):
    a = hal("schedule", "fib@mips", "sleepy@x86", "primes@ppc", "--cores", "2",
            "--json", str(tmp_path / "a.json"))
    b = hal("schedule", "fib@mips", "sleepy@x86", "primes@ppc", "--cores", "2",
            "--json", str(tmp_path / "b.json"))
    assert a[:2] == b[:2] and a[0] == 0     # stderr names each run's own file
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    data = json.loads((tmp_path / "a.json").read_text())
    assert data["schema"] == 2 and data["policy"] == "rr" and len(data["guest_stats"]) == 3


def test_schedule_writes_csv_and_svg(tmp_path):
    code, out, _ = hal("schedule", "hello@x86", "hello@ppc", "--csv", str(tmp_path / "run.csv"),
                       "--svg", str(tmp_path / "run.svg"))
    assert code == 0
    assert (tmp_path / "run.guests.csv").read_text().startswith("guest,label,isa,")
    assert (tmp_path / "run.timeline.csv").read_text().startswith("core,start,end,kind,guest")
    ET.fromstring((tmp_path / "run.svg").read_text())
    assert "core 0" in out and "legend:" in out


def test_compare_policies_with_their_own_core_counts():
    code, out, _ = hal("schedule", "--workload", str(GUESTS / "workloads" / "consolidation.toml"),
                       "--compare", "pinned:8,rr:3")
    assert code == 0
    assert "the same workload under each policy" in out
    rows = [line for line in out.splitlines() if line.startswith(("│ pinned", "│ rr"))]
    assert len(rows) == 2         # each policy with its own core count, as it was given
    assert rows[0].startswith("│ pinned:8 ") and rows[1].startswith("│ rr:3 ")
    assert "policy:cores" in out


@pytest.mark.parametrize("args, fragment", [
    (("schedule", "nope@x86"), "no such file or bundled guest 'nope'"),
    (("schedule", "fib"), "guest 'fib' needs an ISA: write fib@ISA"),
    (("schedule", "fib@x86", "--policy", "fastest"), "unknown policy 'fastest'"),
    (("schedule", "fib@x86", "--cores", "0"), "--cores must be 1 to 256, not 0"),
    (("schedule",), "no guests"),
    (("schedule", "consumer@x86"), "deadlock at tick"),
])
def test_schedule_bad_input(args, fragment):
    code, _, err = hal(*args)
    assert code in (2, 3)
    assert fragment in one_error_line(err)
