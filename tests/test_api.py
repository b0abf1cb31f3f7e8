"""The public Python API (`import hal`): the same numbers as the internals
and the command line, every argument form read the same way, short reprs,
notebook displays that parse, and an `import hal` that stays light."""
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ISAS, TEST_GUESTS, elf, image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hal
from hal.core import runner
from hal.toolchain import guests

ROOT = Path(__file__).resolve().parent.parent
CONSOLIDATION = ROOT / "guests" / "workloads" / "consolidation.toml"


def test_import_hal_loads_no_emulator():
    """`import hal` must stay as light as before (it runs before every `hal run`):
    the API's modules, Unicorn and capstone load on first use only."""
    code = ("import sys, hal; print(sorted(m for m in sys.modules if m.startswith("
            "('hal.', 'unicorn', 'capstone', 'elftools', 'rich'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names_are_documented_and_resolve():
    for name in hal.__all__:
        obj = getattr(hal, name)
        assert obj.__doc__ and len(obj.__doc__.strip()) > 20, name
    assert "run" in dir(hal)
    with pytest.raises(AttributeError):
        hal.no_such_name


# -- hal.run, hal.run_all ------------------------------------------------------


def test_run_gives_what_the_runner_gives(backend):
    r = hal.run("hello", isa=backend.name)
    base = runner.run(image("hello", backend.name))
    assert (r.output, r.retired, r.hal_calls, r.exit_code, r.fault) == \
        (base.output, base.retired, base.hal_calls, base.exit_code, None)
    assert r.text == guests.expected_output("hello", backend.endian)
    assert r.ok and r.status == 0
    assert repr(r) == (f"<Run hello on {backend.name}: exit 0, {r.retired:,} instructions, "
                       f"{r.hal_calls} HAL calls>")


def test_run_needs_one_isa_for_a_bundled_guest():
    with pytest.raises(hal.HalError, match="hal.run runs one ISA: give isa='NAME'"):
        hal.run("hello")


def test_run_of_an_elf_takes_its_isa(backend):
    r = hal.run(elf("exit42", backend.name))
    assert (r.isa, r.exit_code, r.status, r.text) == (backend.name, 42, 42, "exiting with 42\n")


def test_a_fault_is_a_result_not_an_exception(backend):
    r = hal.run(elf("null_deref", backend.name), isolate=False)
    assert r.fault is not None and r.exit_code is None and r.status == 3
    assert r.text == "about to read address 0\n"
    assert "read from unmapped memory at address 0x0" in repr(r.fault)
    assert len(repr(r.fault)) < 200
    assert "about to read address 0" in r._repr_html_()


def test_limits_stop_a_guest(backend):
    r = hal.run("fib", isa=backend.name, max_instructions=1000)
    assert r.fault is not None and r.retired <= 1000
    assert "instruction limit of 1000" in r.fault.reason


@pytest.mark.parametrize("kwargs, message", [
    (dict(memory="12Q"), "not a memory size"),
    (dict(max_instructions=-1), "max_instructions must be an integer from 0 to"),
    (dict(max_instructions=2**64), "max_instructions must be an integer from 0 to"),
    (dict(max_output=-1), "max_output must be an integer from 0 to"),
    (dict(console="serial"), "unknown console 'serial'"),
    (dict(isa="arm"), "unknown ISA 'arm'"),
])
def test_bad_arguments_are_hal_errors(kwargs, message):
    kwargs.setdefault("isa", "x86")
    with pytest.raises(hal.HalError, match=message):
        hal.run("hello", **kwargs)


@pytest.mark.parametrize("isa", ISAS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_every_form_of_input_is_read_the_same(isa, data, tmp_path_factory):
    """bytes, str, a Path and a file object are one input; wc counts it exactly."""
    path = tmp_path_factory.mktemp("input") / "in.txt"
    path.write_bytes(data)
    spaces = b" \n\t\r\v\f"            # wc's is_space()
    count, in_word = 0, False
    for byte in data:
        if byte in spaces:
            in_word = False
        elif not in_word:
            in_word, count = True, count + 1
    want = f"{data.count(10)} {count} {len(data)}\n"
    forms = [data, path, io.BytesIO(data)]
    try:
        forms.append(data.decode())
    except UnicodeDecodeError:
        pass
    for form in forms:
        assert hal.run("wc", isa=isa, input=form).text == want


def test_echo_takes_binary_and_text_streams(backend):
    binary, text = io.BytesIO(), io.StringIO()
    r = hal.run("hello", isa=backend.name, echo=binary)
    assert binary.getvalue() == r.output
    assert hal.run("hello", isa=backend.name, echo=text) == r and text.getvalue() == r.text


@given(text=st.text(), cuts=st.lists(st.integers(min_value=0, max_value=400)))
def test_a_text_echo_decodes_utf8_split_anywhere(text, cuts):
    from hal.api.options import echo_stream
    data, out = text.encode(), io.StringIO()
    echo = echo_stream(out)
    points = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    for a, b in zip(points, points[1:]):
        echo.write(data[a:b])
    assert out.getvalue() == text


def test_run_all_is_every_isa_in_order():
    rs = hal.run_all("endian", jobs=1)
    assert rs.isas == ISAS and len(rs) == 4
    assert not rs.identical_output
    assert [isas for _, isas in rs.groups] == [["x86", "mips", "alpha"], ["ppc"]]
    assert rs["ppc"] is rs[2]
    assert repr(rs) == "<Runs endian on x86, mips, ppc, alpha: 2 different outputs>"
    for r in rs:
        assert r == hal.run("endian", isa=r.isa)
    assert "outputs differ: 2 versions" in rs.table() and "outputs differ" in rs._repr_html_()


def test_run_all_some_isas_and_jobs_agree():
    one = hal.run_all("sort", isas="mips,alpha", jobs=1)
    two = hal.run_all("sort", isas=["mips", "alpha"], jobs=2)
    assert one.isas == ["mips", "alpha"] and one == two


def test_build_returns_each_isas_elf():
    built = hal.build("hello", isa="all")
    assert list(built) == ISAS
    assert all(path == elf("hello", isa) for isa, path in built.items())
    assert list(hal.build(TEST_GUESTS / "exit42.c", isa="ppc")) == ["ppc"]
    assert hal.build([TEST_GUESTS / "exit42.c"], isa="ppc") == hal.build(TEST_GUESTS / "exit42.c", "ppc")
    with pytest.raises(hal.BuildError, match="does not build for x86"):
        hal.build(ROOT / "tests" / "bad_source.c", isa="x86")


def test_a_loaded_guest_prints_in_one_line(backend):
    img = hal.load("matmul", backend.name)[0]
    assert "\n" not in repr(img) and len(repr(img)) < 200
    assert len(repr(img.segments)) < 300 and len(repr(img.backend)) < 100


# -- hal.compare ----------------------------------------------------------------


def test_compare_formats_are_the_renderers():
    from hal.render import charts, text
    c = hal.compare("crc32", jobs=1)
    assert c.isas == ISAS and c.identical_output and not c.faulted
    assert c["mips"].retired == hal.run("crc32", isa="mips").retired
    assert json.loads(c.to_json()) == c.to_dict() and c.to_dict()["schema"] == "halemu.compare/1"
    assert c.to_markdown() == text.to_markdown(c) and c.to_csv() == text.to_csv(c)
    assert c.svg() == charts.mix(c) == c._repr_svg_()
    ET.fromstring(c.svg())
    assert "retired instructions" in c.table() and "retired instructions" in c._repr_html_()
    assert repr(c) == "<Comparison crc32 on x86, mips, ppc, alpha: identical output>"


def test_compare_user_only_and_levels():
    c = hal.compare("crc32", "x86", user_only=True, jobs=1)
    assert c.user_only and repr(c).endswith("identical output, your code only>")
    assert c["x86"].user.retired < c["x86"].retired
    assert c["x86"].build["opt"] == "-O2"
    assert hal.compare("crc32", "x86", options=hal.compiler(optimize="1"),
                       jobs=1)["x86"].build["opt"] == "-O1"


# -- hal.profile -----------------------------------------------------------------


def test_profile_result():
    p = hal.profile("primes", "x86,alpha", jobs=1)
    assert p.isas == ["x86", "alpha"] and not p.faulted
    x86 = p["x86"]
    assert x86.retired == hal.run("primes", isa="x86").retired
    assert x86["main"].category == "user" and x86["hal_cstart"].category == "startup"
    assert sum(x86.by_category.values()) == x86.retired
    assert json.loads(p.to_json()) == p.to_dict() and p.to_dict()["schema"] == "halemu.profile/1"
    assert p.to_csv().startswith("guest,isa,category,function,retired")
    assert "your code" in p.table() and "start-up" in p._repr_html_()
    user = x86.by_category["user"]
    assert repr(p).startswith(f"<Profile primes: your code's instructions of all: x86 {user:,}/")
    with pytest.raises(KeyError, match="profiled: x86, alpha"):
        p["mips"]


# -- hal.schedule ---------------------------------------------------------------


def test_schedule_applies_the_workload_files_settings(monkeypatch, tmp_path):
    """The README's consolidation numbers (rr on 3 cores, switch cost 100 from
    the file): the trap a first user fell into, where the switch cost was lost."""
    s = hal.schedule(CONSOLIDATION)
    assert (s.policy, s.cores, s.quantum, s.switch_cost) == ("rr", 3, 10_000, 100)
    assert s.makespan == 591_735 and round(s.mean_utilization, 3) == 0.655
    assert hal.schedule("consolidation").metrics == s.metrics      # a bundled workload by name
    monkeypatch.chdir(tmp_path)         # the README's path, from a notebook in another folder
    assert hal.schedule("guests/workloads/consolidation.toml").metrics == s.metrics
    assert hal.schedule(CONSOLIDATION, switch_cost=0).makespan != s.makespan
    assert repr(s) == ("<Schedule rr on 3 cores, 8 guests: makespan 591,735 ticks, "
                       "utilization 65.5%>")


def test_schedule_results():
    s = hal.schedule(["fib@mips", "sleepy@x86"], cores=2)
    assert s.outputs["fib@mips"].endswith("fib(24) = 46368\n")
    assert s.guest("sleepy@x86")["isa"] == "x86" and not s.faulted
    assert json.loads(s.to_json()) == s.to_dict() == s.metrics
    ET.fromstring(s.svg())
    assert s._repr_svg_() == s.svg() and "<svg" in s._repr_html_()
    assert "fib@mips output" in s.table() and "fib@mips output" not in s.table(outputs=False)


def test_compare_policies_uses_the_workloads_list_by_default():
    ss = hal.compare_policies(CONSOLIDATION, "pinned:8,rr:3")
    assert [(s.policy, s.cores, s.makespan) for s in ss] == [("pinned", 8, 560_614),
                                                             ("rr", 3, 591_735)]
    assert ss[1].metrics == hal.schedule(CONSOLIDATION).metrics
    assert [(s.policy, s.cores) for s in hal.compare_policies(CONSOLIDATION, [("rr", 2)])] == \
        [("rr", 2)]
    assert json.loads(ss.to_json())["runs"][0]["policy"] == "pinned"
    assert "the same workload under each policy" in ss.table() and "<svg" in ss._repr_html_()


def test_a_deadlock_is_a_result_not_an_exception():
    s = hal.schedule(["consumer@x86", "hello@ppc"])
    assert s.deadlock.startswith("deadlock at tick ") and "consumer@x86 waits in recv" in s.deadlock
    assert s.outputs["hello@ppc"] == "Hello from a halemu guest!\n"
    assert s.deadlock in s._repr_html_()


@pytest.mark.parametrize("kwargs, message", [
    (dict(cores=0), "--cores must be 1 to 256, not 0"),
    (dict(quantum=0), "quantum must be an integer from 1 to"),
    (dict(quantum=2**64), "quantum must be an integer from 1 to"),
    (dict(switch_cost=-1), "switch_cost must be an integer from 0 to"),
    (dict(policy="fifo"), "unknown policy 'fifo'"),
])
def test_bad_schedule_arguments_are_hal_errors(kwargs, message):
    with pytest.raises(hal.HalError, match=message):
        hal.schedule(["hello@x86"], **kwargs)


@pytest.mark.parametrize("runs, message", [
    (None, "no policies to compare: give runs such as 'pinned:4,rr:2'"),
    ([("rr",)], "a run is 'POLICY:CORES' or \\(POLICY, CORES\\), not \\('rr',\\)"),
    ("rr:0", "--compare: rr needs 1 to 256 cores, not 0"),
    ([("fifo", 2)], "unknown policy 'fifo'"),
])
def test_bad_policy_lists_are_hal_errors(runs, message):
    with pytest.raises(hal.HalError, match=message):
        hal.compare_policies(["hello@x86"], runs)


# -- hal.disasm, hal.trace --------------------------------------------------------


def test_disasm_and_trace(backend):
    d = hal.disasm("hello", backend.name, function="hal_trap")
    assert list(d.listings) == [backend.name] and "<- HAL trap" in d[backend.name]
    assert str(d) == d.text() and "HAL trap" in d._repr_html_()
    t = hal.trace("hello", isa=backend.name, limit=7)
    assert len(t.steps) == 7 and t.end == "limit"
    assert json.loads(t.to_json()) == t.to_dict() and t.text().count("\n") == 9
    assert repr(t) == f"<Trace hello on {backend.name}: 7 instructions, limit>"


def test_disasm_conventions_columns_and_diff():
    d = hal.disasm("fib", "x86,mips", function="fib")
    assert d.conventions["x86"].follows_abi is False and d.conventions["mips"].follows_abi
    assert d.columns(120).splitlines()[0].startswith("line  guests/fib.c")
    diff = hal.diff("fib", ["-O0", "-O2"], isa="mips", function="fib")
    assert diff.side_by_side.labels == ["mips -O0", "mips -O2"]
    assert str(diff) == diff.text() and "mips -O0" in diff._repr_html_()
    with pytest.raises(hal.HalError, match="unknown optimisation level '-O9'"):
        hal.diff("fib", "-O0,-O9", isa="x86")


def test_the_readmes_python_example_runs():
    readme = (ROOT / "README.md").read_text()
    code = readme.split("### Using halemu from Python", 1)[1].split("```python\n", 1)[1]
    code = code.split("```", 1)[0]
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert "fib(24) = 46368" in out.stdout and "2 3 6" in out.stdout
    assert "<Schedules makespans: pinned:8 560,614, rr:3 591,735>" in out.stdout
