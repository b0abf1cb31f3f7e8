"""Every `hal` command in the README, run through the command line and through
the Python API: the same output, the same numbers, the same files, the same
exit status.  A command added to the README without its API twin here fails."""
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import elf

import hal

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ROOT / "guests" / "workloads"
GRADING = ROOT / "examples" / "grading"
MULTIFILE = ROOT / "tests" / "multifile"          # copied into the scratch folder


def multifile(tmp: Path) -> list[Path]:
    return [tmp / name for name in ("main.c", "stats.c", "answer.S")]


# Commands that describe halemu itself (tables of ISAs, guests, services): no
# run, no numbers, nothing for the API to agree on.
DESCRIBE = {"hal isas", "hal guests", "hal services", "hal syscalls", "hal setup",
            "hal show fib", "hal exercise list"}


def readme_commands() -> list[str]:
    """The `hal` command lines of the README's sh blocks, comments dropped."""
    text = (ROOT / "README.md").read_text()
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = re.split(r"\s{2,}#", line)[0].strip()
            if re.search(r"(^|\| )hal ", command) or command == "hal":
                found.append(" ".join(command.split()))
    return found


@dataclass
class Expect:
    stdout: str
    status: int = 0
    stderr: str | None = None                       # None: not compared
    files: dict[str, str] = field(default_factory=dict)


def stats(r) -> str:
    share = f"{100 * r.startup / r.retired:.1f}%"
    return (f"{r.guest} on {r.isa}: {r.retired} instructions, {r.hal_calls} HAL calls; "
            f"start-up {r.startup} instructions ({share})\n")


def ran(r) -> Expect:
    return Expect(r.text, r.status)


def runs(rs) -> Expect:
    return Expect(rs.table(), rs.status)


def csv_files(s, tmp: Path) -> dict[str, str]:
    written = s.write_csv(tmp / "api" / "run.csv")
    return {p.name: p.read_text() for p in written}


def graded(g, tmp: Path | None = None) -> Expect:
    files = {}
    if tmp is not None:
        files = {"gradebook.csv": g.to_csv(), "gradebook.json": g.to_json()}
        files.update({f"reports/{p.name}": p.read_text()
                      for p in g.write_reports(tmp / "api" / "reports")})
    return Expect(g.table(), g.status, "", files)


def scheduled(s) -> Expect:
    return Expect(s.table(), 3 if s.faulted or s.deadlock else 0)


# README command -> what the API gives for it, in a scratch folder `tmp` that
# holds my.c (a copy of hello.c) and numbers.txt
API = {
    "hal run fib --isa mips": lambda tmp: ran(hal.run("fib", isa="mips")),
    "hal run fib --isa all": lambda tmp: runs(hal.run_all("fib")),
    "hal run endian": lambda tmp: runs(hal.run_all("endian")),
    "hal run sort --isa ppc --stats": lambda tmp: (
        lambda r: Expect(r.text, r.status, stats(r)))(hal.run("sort", isa="ppc", startup=True)),
    "hal run path/to/guest.elf": lambda tmp: ran(hal.run(elf("hello", "ppc"))),
    "hal run my.c --isa ppc": lambda tmp: ran(hal.run(tmp / "my.c", isa="ppc")),
    "hal build my.c --isa all": lambda tmp: Expect("".join(
        f"{isa:6} {path}\n" for isa, path in hal.build(tmp / "my.c", isa="all").items())),
    "hal run main.c stats.c answer.S -I include --isa all": lambda tmp: runs(hal.run_all(
        multifile(tmp), options=hal.compiler(includes=[tmp / "include"]))),
    "hal run main.c stats.c answer.S -I include -D SCALE=10 -O3 --isa ppc": lambda tmp: ran(
        hal.run(multifile(tmp), isa="ppc", options=hal.compiler(
            includes=[tmp / "include"], defines=["SCALE=10"], optimize="3"))),
    "hal build main.c stats.c answer.S -I include --isa all": lambda tmp: Expect("".join(
        f"{isa:6} {path}\n" for isa, path in hal.build(
            multifile(tmp), isa="all", options=hal.compiler(includes=[tmp / "include"])).items())),
    "hal run hello.c --isa all": lambda tmp: runs(hal.run_all(tmp / "hello.c")),
    "hal trace hello.c --isa mips --syscalls": lambda tmp: Expect(
        hal.syscalls(tmp / "hello.c", isa="mips").text()),
    "hal compare matmul": lambda tmp: Expect(hal.compare("matmul").table()),
    "hal compare matmul --format markdown": lambda tmp: Expect(hal.compare("matmul").to_markdown()),
    "hal compare sort --isa mips,alpha": lambda tmp: Expect(
        hal.compare("sort", isas="mips,alpha").table()),
    "hal compare sort --svg mix.svg": lambda tmp: (lambda c: Expect(
        c.table(), files={"mix.svg": c.svg()}))(hal.compare("sort")),
    "hal compare fib --jobs 1": lambda tmp: Expect(hal.compare("fib", jobs=1).table()),
    "hal compare crc32 --user-only": lambda tmp: Expect(
        hal.compare("crc32", user_only=True).table()),
    "hal compare fib -O0": lambda tmp: Expect(
        hal.compare("fib", options=hal.compiler(optimize="0")).table()),
    "hal profile crc32": lambda tmp: Expect(hal.profile("crc32").table()),
    "hal profile primes --format csv": lambda tmp: Expect(hal.profile("primes").to_csv()),
    "hal disasm fib --function fib": lambda tmp: Expect(hal.disasm("fib", function="fib").text()),
    "hal disasm fib --columns": lambda tmp: Expect(hal.disasm("fib").columns(160)),
    "hal disasm fib --function fib --diff -O0,-O2 --isa x86": lambda tmp: Expect(
        hal.diff("fib", "-O0,-O2", isa="x86", function="fib").text(160)),
    "hal disasm fib --function main --diff x86,mips": lambda tmp: Expect(
        hal.diff("fib", "x86,mips", function="main").text(160)),
    "hal run nbody": lambda tmp: runs(hal.run_all("nbody")),
    "hal compare nbody": lambda tmp: Expect(hal.compare("nbody").table()),
    "hal disasm nbody --function newton_sqrt --isa x86,ppc": lambda tmp: Expect(
        hal.disasm("nbody", isa="x86,ppc", function="newton_sqrt").text()),
    "hal run excess": lambda tmp: runs(hal.run_all("excess")),
    "hal trace excess --isa x86 --function sum_x87 --limit 12": lambda tmp: Expect(
        hal.trace("excess", isa="x86", function="sum_x87", limit=12).text()),
    "hal disasm hello --function hal_trap": lambda tmp: Expect(
        hal.disasm("hello", function="hal_trap").text()),
    "hal disasm fib --function fib --source": lambda tmp: Expect(
        hal.disasm("fib", function="fib", source=True).text()),
    "hal trace hello --isa ppc --limit 20": lambda tmp: Expect(
        hal.trace("hello", isa="ppc", limit=20).text()),
    "hal trace hello --isa mips --function hal_trap --format json": lambda tmp: Expect(
        hal.trace("hello", isa="mips", function="hal_trap").to_json()),
    "hal disasm echo --function hal_uart_putc --isa x86,ppc": lambda tmp: Expect(
        hal.disasm("echo", isa="x86,ppc", function="hal_uart_putc").text()),
    r"printf 'a b\nc\n' | hal run wc --isa ppc": lambda tmp: ran(
        hal.run("wc", isa="ppc", input="a b\nc\n")),
    "hal run sum --isa mips --input numbers.txt": lambda tmp: ran(
        hal.run("sum", isa="mips", input=tmp / "numbers.txt")),
    "hal run echo --isa all < README.md": lambda tmp: runs(
        hal.run_all("echo", input=ROOT / "README.md")),
    "hal schedule fib@mips primes@ppc sleepy@x86 --cores 2": lambda tmp: scheduled(
        hal.schedule(["fib@mips", "primes@ppc", "sleepy@x86"], cores=2)),
    # the file names policies to compare, so the command compares them
    "hal schedule --workload guests/workloads/consolidation.toml": lambda tmp: Expect(
        hal.compare_policies(WORKLOADS / "consolidation.toml").table()),
    "hal schedule --workload guests/workloads/consolidation.toml --compare pinned:8,rr:3":
        lambda tmp: Expect(hal.compare_policies(WORKLOADS / "consolidation.toml",
                                                "pinned:8,rr:3").table()),
    "hal schedule --workload guests/workloads/pipeline.toml": lambda tmp: scheduled(
        hal.schedule(WORKLOADS / "pipeline.toml")),
    "hal schedule collatz@x86:weight=2 collatz@mips sort@ppc:limit=0.2 --policy shares --cores 1":
        lambda tmp: scheduled(hal.schedule(["collatz@x86:weight=2", "collatz@mips",
                                            "sort@ppc:limit=0.2"], policy="shares", cores=1)),
    "hal tour": lambda tmp: Expect(hal.tour().text()),
    "hal tour --html lesson": lambda tmp: Expect("", files={"lesson/index.html": hal.tour().html()}),
    "hal exercise show 1": lambda tmp: Expect(hal.exercise(1).text()),
    "hal exercise answers 1": lambda tmp: Expect(hal.exercise(1).answers().text()),
    "hal exercise check 1 answers.toml": lambda tmp: (lambda g: Expect(g.text(), 0 if g.ok else 1))(
        hal.exercise(1).check(tmp / "answers.toml")),
    "hal schedule fib@mips sleepy@x86 --json run.json --csv run.csv --svg run.svg":
        lambda tmp: (lambda s: Expect(s.table(), files={
            "run.json": s.to_json(), "run.svg": s.svg(), **csv_files(s, tmp)}))(
            hal.schedule(["fib@mips", "sleepy@x86"])),
    "hal grade examples/grading/class --spec examples/grading/tests.toml": lambda tmp: graded(
        hal.grade(GRADING / "class", GRADING / "tests.toml")),
    "hal grade examples/grading/class --spec examples/grading/tests.toml --csv gradebook.csv "
    "--json gradebook.json --report reports": lambda tmp: graded(
        hal.grade(GRADING / "class", GRADING / "tests.toml"), tmp),
    "hal grade examples/grading/class --spec examples/grading/tests.toml --engine dask":
        lambda tmp: graded(hal.grade(GRADING / "class", GRADING / "tests.toml", engine="dask")),
}


def test_every_readme_command_has_its_api_twin():
    commands = readme_commands()
    assert len(commands) > 20
    missing = [c for c in commands if c not in API and c not in DESCRIBE]
    assert not missing, "README commands without an API twin in this test:\n" + "\n".join(missing)
    stale = [c for c in API if c not in commands]
    assert not stale, "commands here that the README no longer shows:\n" + "\n".join(stale)


def cli(command: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a README command line in a shell, with this interpreter's hal, and
    the README's placeholder paths made real."""
    hal_cmd = f"{shlex.quote(sys.executable)} -m hal "
    command = re.sub(r"(^|\| )hal ", lambda m: m.group(1) + hal_cmd, command)
    command = command.replace("path/to/guest.elf", shlex.quote(str(elf("hello", "ppc"))))
    command = command.replace("guests/workloads/", shlex.quote(str(WORKLOADS)) + "/")
    command = command.replace("examples/grading/", shlex.quote(str(GRADING)) + "/")
    command = command.replace("< README.md", "< " + shlex.quote(str(ROOT / "README.md")))
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)


@pytest.mark.parametrize("command", sorted(API))
def test_the_command_line_and_the_api_agree(command, tmp_path):
    shutil.copy(ROOT / "guests" / "hello.c", tmp_path / "my.c")
    shutil.copytree(MULTIFILE, tmp_path, dirs_exist_ok=True)
    shutil.copy(ROOT / "tests" / "libc" / "hello.c", tmp_path / "hello.c")
    (tmp_path / "numbers.txt").write_text("1 2 3\n-4 10\n")
    (tmp_path / "answers.toml").write_text("q1 = true\nq2 = 190\nq3 = 'x86'\nq4 = 5\n")
    (tmp_path / "api").mkdir()
    proc = cli(command, tmp_path)
    assert "Traceback" not in proc.stderr
    want = API[command](tmp_path)
    assert proc.stdout == want.stdout
    assert proc.returncode == want.status, proc.stderr
    if want.stderr is not None:
        assert proc.stderr == want.stderr
    for name, content in want.files.items():
        assert (tmp_path / name).read_text() == content, name
