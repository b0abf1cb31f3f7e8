"""Virtual time never runs backwards: every invariant of a schedule holds for
random workloads of every ISA, under every policy, at any quantum and switch
cost, and for every bundled workload file."""
import json

import pytest
import schedule_invariants
from conftest import ISAS, image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hal.paths import GUESTS
from hal.scheduling import metrics, policies, workload
from hal.scheduling.scheduler import Scheduler
from hal.scheduling.state import GuestConfig

# Small guests: the actor (a random life from its seed) and bundled ones
# that sleep, talk over channels and wait for each other.
PROGRAMS = ["actor"] * 6 + ["hello", "sleepy", "exit42", "waiter", "pingpong", "pair"]
PAIRS = [("pingpong", 0, "pingpong", 1), ("producer", 0, "consumer", 0)]


@st.composite
def guest(draw, program=None, arg=None):
    program = program or draw(st.sampled_from(PROGRAMS))
    if program == "pair":             # two guests that talk to each other
        a, a_arg, b, b_arg = draw(st.sampled_from(PAIRS))
        return [draw(guest(a, a_arg))[0], draw(guest(b, b_arg))[0]]
    if arg is None:
        arg = draw({"actor": st.integers(0, 2**31 - 1), "sleepy": st.integers(1, 2),
                    "pingpong": st.integers(0, 1)}.get(program, st.just(0)))
    shares = draw(st.sampled_from(["none", "weight", "reservation", "limit"]))
    weight, reservation, limit = 1.0, 0.0, None
    if shares == "weight":
        weight = draw(st.sampled_from([0.5, 1.0, 2.0, 7.0]))
    elif shares == "reservation":
        reservation = draw(st.sampled_from([0.1, 0.5, 1.0]))
    elif shares == "limit":
        limit = draw(st.sampled_from([0.05, 0.3, 0.75, 1.0]))
    isa = draw(st.sampled_from(ISAS))
    return [GuestConfig(f"{program}@{isa}", image(program, isa), weight, reservation, limit, arg)]


@st.composite
def schedule(draw):
    return dict(
        configs=sum(draw(st.lists(guest(), min_size=1, max_size=5)), []),
        policy=draw(st.sampled_from(policies.POLICIES)),
        cores=draw(st.integers(1, 4)),
        quantum=draw(st.one_of(st.integers(1, 60), st.integers(61, 100_000))),
        switch_cost=draw(st.sampled_from([0, 1, 7, 100, 5000])),
        channel_capacity=draw(st.integers(1, 3)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedule())
def test_every_invariant_holds_for_random_workloads(w):
    s = Scheduler(w["configs"], policies.make(w["policy"]), cores=w["cores"],
                  quantum=w["quantum"], switch_cost=w["switch_cost"],
                  channel_capacity=w["channel_capacity"], max_instructions=2_000_000)
    schedule_invariants.check(metrics.collect(s.run()))


def test_sleepers_due_together_wake_in_time_order():
    """Found by the property test: two sleepers due by the same tick were
    woken in list order, not in the order of their wake-up times."""
    cfgs = [GuestConfig("actor@x86", image("actor", "x86"), arg=a)
            for a in (0, 1, 2565, 45586, 20686203)]
    s = Scheduler(cfgs, policies.make("pinned"), cores=1, quantum=27, switch_cost=100,
                  channel_capacity=1)
    schedule_invariants.check(metrics.collect(s.run()))


WORKLOADS = sorted((GUESTS / "workloads").glob("*.toml"))


@pytest.mark.parametrize("path", WORKLOADS, ids=lambda p: p.stem)
def test_every_bundled_workload_keeps_every_invariant(path, tmp_path):
    """As `hal schedule --workload F --json out.json` writes it, and under each
    policy it compares (or its own) at a short quantum with a switch cost."""
    from click.testing import CliRunner

    from hal.cli.main import cli
    wl = workload.load(path)
    runs = workload.parse_compare(wl.settings.get("compare", wl.settings.get("policy", "rr")),
                                  wl.settings.get("cores", 2))
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["schedule", "--workload", str(path), "--no-output",
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    for m in data.get("runs", [data]):
        schedule_invariants.check(m)
    configs = workload.resolve(wl.guests)
    for name, cores in runs:
        s = Scheduler(configs, policies.make(name), cores=cores, quantum=997, switch_cost=37)
        schedule_invariants.check(metrics.collect(s.run()))


def _pingpong_report() -> dict:
    wl = workload.load(GUESTS / "workloads" / "pingpong.toml")
    s = Scheduler(workload.resolve(wl.guests), policies.make("rr"), cores=2, quantum=50,
                  switch_cost=5)
    return json.loads(json.dumps(metrics.collect(s.run())))


def _two_places(m):
    """What the old clock did: the same guest on core 1 while it ran on core 0."""
    a = next(s for s in m["timeline"] if s["kind"] == "run" and s["core"] == 0)
    b = next(s for s in m["timeline"] if s["kind"] == "run" and s["core"] == 1
             and s["guest"] != a["guest"] and s["start"] < a["end"] and s["end"] > a["start"])
    b["guest"] = a["guest"]


def _early_receipt(m):
    recv = next(e for e in m["events"] if e["kind"] == "recv")
    send = next(e for e in m["events"] if e["kind"] == "send" and e["message"] == recv["message"])
    send["tick"], recv["tick"] = recv["tick"] + 1, send["tick"]
    m["events"].sort(key=lambda e: e["tick"])


def _negative_blocked(m):
    g = m["guest_stats"][1]
    g["blocked"], g["ready"] = -22, g["ready"] + g["blocked"] + 22


def _unbalanced_core(m):
    m["core_stats"][0]["idle"] += 1


@pytest.mark.parametrize("break_it", [_two_places, _early_receipt, _negative_blocked,
                                      _unbalanced_core])
def test_the_checker_catches_what_the_old_clock_did(break_it):
    """The invariants can fail: each bug of the old clock, planted in a good report."""
    m = _pingpong_report()
    schedule_invariants.check(m)
    break_it(m)
    with pytest.raises(AssertionError):
        schedule_invariants.check(m)
