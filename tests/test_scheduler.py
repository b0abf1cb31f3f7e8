"""The scheduler: deterministic, exact accounting, every policy keeps its invariants."""
import pytest
import schedule_invariants
from conftest import BUNDLED, ISAS, image

from hal.core import registry, runner
from hal.core.memmap import MemoryMap
from hal.paths import GUESTS
from hal.scheduling import metrics, policies, workload
from hal.scheduling.scheduler import GuestConfig, Scheduler
from hal.toolchain import guests

WORKLOADS = GUESTS / "workloads"


def configs(*specs):
    return workload.resolve([workload.parse_spec(s) for s in specs])


def run(cfgs, policy="rr", **kw):
    return metrics.collect(Scheduler(cfgs, policies.make(policy), **kw).run())


def consolidation():
    return workload.resolve(workload.load(WORKLOADS / "consolidation.toml").guests)


def check_invariants(m):
    schedule_invariants.check(m)
    assert sum(g["retired"] for g in m["guest_stats"]) == sum(c["busy"] for c in m["core_stats"])


@pytest.mark.parametrize("policy", policies.POLICIES)
def test_invariants_and_outputs_on_the_demo_workload(policy):
    m = run(consolidation(), policy, cores=3, switch_cost=100)
    check_invariants(m)
    for g in m["guest_stats"]:
        program, isa = g["label"].split("@")
        assert g["fault"] is None and g["exit_code"] == 0
        assert g["output"] == guests.expected_output(program, registry.get(isa).endian, isa)


@pytest.mark.parametrize("policy", policies.POLICIES)
def test_same_workload_same_report(policy):
    a = run(consolidation(), policy, cores=2, switch_cost=50)
    b = run(consolidation(), policy, cores=2, switch_cost=50)
    assert a == b


def test_consolidation_raises_utilization():
    pinned = run(consolidation(), "pinned", cores=8, switch_cost=100)
    rr = run(consolidation(), "rr", cores=3, switch_cost=100)
    assert pinned["mean_utilization"] < 0.35
    assert rr["mean_utilization"] > 0.6
    assert rr["makespan"] < 1.15 * pinned["makespan"]


def test_exact_numbers_one_core():
    """hello retires 153 instructions on x86 and 190 on MIPS; a load costs 10.
    One core, a quantum longer than both: x86 runs first, then MIPS."""
    m = run(configs("hello@x86", "hello@mips"), "rr", cores=1, quantum=1000, switch_cost=10)
    x86, mips = m["guest_stats"]
    assert (x86["retired"], mips["retired"]) == (153, 190)
    assert x86["completion"] == 10 + 153 == 163
    assert x86["ready"] == 10                         # its own switch counts as ready
    assert mips["ready"] == 163 + 10                  # waited while x86 ran, then loaded
    assert mips["completion"] == 163 + 10 + 190 == m["makespan"] == 363
    assert m["core_stats"] == [{"core": 0, "busy": 343, "idle": 0, "switch": 20,
                                "utilization": round(343 / 363, 6)}]
    assert m["throughput"] == round(343 / 363, 6)


def test_exact_numbers_two_cores():
    m = run(configs("hello@x86", "hello@mips"), "rr", cores=2, quantum=1000, switch_cost=10)
    x86, mips = m["guest_stats"]
    assert (x86["completion"], mips["completion"], m["makespan"]) == (163, 200, 200)
    assert [(c["busy"], c["idle"], c["switch"]) for c in m["core_stats"]] == [(153, 37, 10),
                                                                              (190, 0, 10)]
    assert m["mean_utilization"] == round(343 / 400, 6)


def test_slices_with_a_short_quantum_add_up():
    m = run(configs("hello@x86", "hello@mips"), "rr", cores=1, quantum=50, switch_cost=10)
    check_invariants(m)
    x86, mips = m["guest_stats"]
    core = m["core_stats"][0]
    assert core["busy"] == 343 and core["switch"] == 10 * len(
        [s for s in m["timeline"] if s["kind"] == "switch"])
    assert x86["slices"] >= 3 and mips["slices"] >= 4          # 50-tick slices, block-aligned


def test_pinned_with_more_guests_than_cores_says_so():
    m = run(configs("hello@x86", "hello@mips", "hello@ppc"), "pinned", cores=2)
    assert "3 guests on 2 cores" in m["policy_description"]
    assert [g["cores"] for g in m["guest_stats"]] == [[0], [1], [0]]
    assert all(g["migrations"] == 0 for g in m["guest_stats"])


def test_sleep_leaves_a_pinned_core_idle():
    m = run(configs("sleepy@alpha"), "pinned", cores=1)
    g = m["guest_stats"][0]
    assert g["blocked"] == 5 * 100_000
    assert m["core_stats"][0]["idle"] == 5 * 100_000
    assert m["makespan"] == g["retired"] + 5 * 100_000


def test_affinity_counts_migrations_and_prefers_home():
    m = run(consolidation(), "affinity", cores=3)
    rr = run(consolidation(), "rr", cores=3)
    assert sum(g["migrations"] for g in m["guest_stats"]) < sum(g["migrations"] for g in rr["guest_stats"])


def test_shares_divide_contended_cpu_by_weight():
    wl = workload.load(WORKLOADS / "shares.toml")
    m = run(workload.resolve(wl.guests[:2]), "shares", cores=1, quantum=5000)
    light, heavy = m["guest_stats"]
    first_done = min(light["completion"], heavy["completion"])
    ran = {0: 0, 1: 0}
    for s in m["timeline"]:
        if s["kind"] == "run" and s["start"] < first_done:
            ran[s["guest"]] += min(s["end"], first_done) - s["start"]
    assert ran[1] / ran[0] == pytest.approx(2.0, rel=0.03)


def test_limit_caps_a_guest_even_when_cores_idle():
    m = run(configs("sort@ppc:limit=0.2"), "shares", cores=2, quantum=5000)
    g = m["guest_stats"][0]
    assert g["run"] <= 0.2 * g["completion"] + 5000 + 512
    assert g["limited"] > 0
    assert m["mean_utilization"] < 0.11


def test_reservation_is_served_first():
    m = run(configs("collatz@x86:weight=4", "sort@mips:reservation=0.5"), "shares", cores=1)
    sort = m["guest_stats"][1]
    assert sort["run"] >= 0.5 * sort["completion"] - 10_000


def test_pipeline_across_byte_orders():
    wl = workload.load(WORKLOADS / "pipeline.toml")
    m = run(workload.resolve(wl.guests), "rr", cores=2, quantum=5000)
    producer, consumer = m["guest_stats"]
    assert producer["output"] == "producer: sent 20 numbers, sum 24100, then 0x11223344\n"
    assert consumer["output"] == ("consumer: received 20 numbers, sum 24100, min -999, max 7000\n"
                                  "consumer: then 0x11223344 (byte order preserved)\n")


@pytest.mark.parametrize("a, b", [("mips", "alpha"), ("ppc", "x86"), ("alpha", "ppc")])
def test_pingpong_between_isas(a, b):
    m = run(configs(f"pingpong@{a}:arg=0", f"pingpong@{b}:arg=1"), "affinity", cores=2)
    assert [g["output"] for g in m["guest_stats"]] == ["ping: 10 of 10 returns correct\n",
                                                       "pong: returned 10 balls\n"]


def test_wait_returns_the_exit_code():
    cfgs = [GuestConfig("exit42", image("exit42", "ppc")), GuestConfig("waiter", image("waiter", "x86"))]
    m = run(cfgs, "rr", cores=1, quantum=20)
    assert m["guest_stats"][1]["output"] == "guest 0 exited with 42\n"


def test_deadlock_names_who_waits_on_what_and_keeps_the_rest():
    m = run(configs("consumer@x86", "hello@ppc", "consumer@mips"), "rr", cores=2)
    check_invariants(m)
    assert m["deadlock"].startswith("deadlock at tick ")
    assert "consumer@x86 waits in recv on channel 1 (empty)" in m["deadlock"]
    assert "consumer@mips waits in recv on channel 1 (empty)" in m["deadlock"]
    x86, hello, mips = m["guest_stats"]
    assert hello["output"] == guests.expected_output("hello", "big") and hello["exit_code"] == 0
    assert x86["completion"] is None and x86["retired"] > 0
    assert x86["blocked"] == m["makespan"] - x86["retired"] - x86["ready"]


def test_a_message_waits_for_its_receiver_to_catch_up():
    """The receiver blocked late (its core ran ahead); the sender sends earlier
    on a core that is behind.  The receiver gets the value at its own time,
    never before it asked (the old clock woke it in its past: blocked -22)."""
    m = run(configs("pingpong@mips:arg=0", "pingpong@alpha:arg=1"), "affinity", cores=2)
    check_invariants(m)
    ping, pong = m["guest_stats"]
    assert (ping["retired"], ping["completion"]) == (706, 706)
    for e in m["events"]:
        if e["kind"] == "recv":
            sent = next(s for s in m["events"] if s.get("message") == e["message"])
            assert sent["tick"] <= e["tick"]


def test_faulting_guest_does_not_stop_the_others():
    cfgs = [GuestConfig("bad", image("null_deref", "mips")), *configs("crc32@ppc", "fib@x86")]
    m = run(cfgs, "rr", cores=2)
    bad, crc, fib = m["guest_stats"]
    assert bad["fault"].startswith("read from unmapped memory at address 0x0")
    assert crc["output"] == guests.expected_output("crc32", "big")
    assert fib["output"] == guests.expected_output("fib", "little")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("quantum", [1, 13, 1000, 100_000])
def test_any_quantum_same_output_and_count(isa, quantum):
    """The MIPS delay-slot hazard (unicorn#1749) cannot bite: slices end at block
    boundaries, so every guest gives its unsliced output and count."""
    names = [g for g in BUNDLED if g in ("hello", "crc32", "endian")] if quantum < 100 else BUNDLED
    for name in names:
        alone = runner.run(image(name, isa))
        m = run([GuestConfig(name, image(name, isa))], "rr", cores=1, quantum=quantum)
        g = m["guest_stats"][0]
        assert (g["output"].encode(), g["retired"]) == (alone.output, alone.retired), name


@pytest.mark.parametrize("isa", ISAS)
def test_hostile_guests_end_alone_and_siblings_finish(isa):
    """Every kind of misbehaviour at once, among well-behaved guests of all ISAs."""
    hostile = {
        "null_deref": "read from unmapped memory at address 0x0",
        "bad_service": "unknown HAL service 99",
        "jump_null": "jumped to unmapped memory",
        "recurse": "stack overflow: ",
        "spin": "exceeded the instruction limit of 3000000",
        "flood": "console output limit of 4096 bytes exceeded",
        "bad_write": "hal_write of 8 bytes at 0x10 is outside guest RAM",
    }
    cfgs = [GuestConfig(name, image(name, isa)) for name in hostile]
    cfgs += configs("crc32@x86", "sort@mips", "hello@ppc", "fib@alpha")
    s = Scheduler(cfgs, policies.make("rr"), cores=2, quantum=5000,
                  max_instructions=3_000_000, max_output=4096, memory=MemoryMap(64 << 10))
    m = metrics.collect(s.run())
    stats = {g["label"]: g for g in m["guest_stats"]}
    for name, reason in hostile.items():
        assert stats[name]["fault"].startswith(reason), (name, stats[name]["fault"])
    for label in ("crc32@x86", "sort@mips", "hello@ppc", "fib@alpha"):
        program, guest_isa = label.split("@")
        assert stats[label]["fault"] is None
        assert stats[label]["output"] == guests.expected_output(program, registry.get(guest_isa).endian, guest_isa)
    check_invariants(m)
