"""Fuzzing the ways in that once broke halemu: numbers at the boundaries on the
command line and in workload files, snapshots rewritten with a good checksum,
compression bombs, and ELF files whose section headers, symbols or DWARF are
damaged (which `hal run` never reads, but `disasm`, `trace`, `compare` and
`profile` do).

Whatever the input, the outcome is a result or one HalError line: never
another exception (exit 70), a crash or a hang."""
import hashlib
import io
import json
import math
import random
import struct
import zlib
from pathlib import Path

import pytest
from conftest import ISAS, elf, image
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hal.core import loader
from hal.core.machine import Machine
from hal.errors import HalError

BOUNDARIES = [0, -1, 2**31, 2**32, 2**63, 2**64, math.nan, math.inf, 5e-324]


def cli(capsys, *args) -> tuple[int, str, str]:
    """`hal ARGS` in this process (fast enough to try hundreds of inputs)."""
    import sys

    from hal.cli.main import main
    from hal.safety import signals
    old, install, stdin = sys.argv, signals.install, sys.stdin
    sys.argv = ["hal", *args]
    signals.install = lambda: None          # leave pytest's own Ctrl-C alone
    # as from a shell with an empty pipe: commands read stdin when it is not a
    # terminal, and pytest's own stdin refuses to be read while it captures
    sys.stdin = io.TextIOWrapper(io.BytesIO())
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    finally:
        sys.argv, signals.install, sys.stdin = old, install, stdin
    out, err = capsys.readouterr()
    return code, out, err


def clean(code: int, err: str) -> None:
    assert code in (0, 2, 3), (code, err)
    assert "internal error" not in err and "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("hal: error:")]
    assert len(errors) <= 1, err


def number(v) -> str:
    return repr(v) if isinstance(v, float) else str(v)


# -- command-line numbers ---------------------------------------------------------

OPTIONS = [
    ("run", "hello", "--isa", "x86", "--max-instructions"),
    ("run", "hello", "--isa", "x86", "--max-output"),
    ("run", "hello", "--isa", "x86", "--memory"),
    ("run", "hello", "--isa", "mips", "--snapshot", "{tmp}/s.snap", "--snapshot-at"),
    ("run", "hello", "--isa", "all", "--jobs"),
    ("schedule", "hello@x86", "hello@ppc", "--no-output", "--quantum"),
    ("schedule", "hello@x86", "hello@ppc", "--no-output", "--switch-cost"),
    ("schedule", "hello@x86", "--no-output", "--cores"),
    ("schedule", "hello@x86", "--no-output", "--max-instructions"),
    ("schedule", "hello@x86", "--no-output", "--max-output"),
    ("compare", "hello", "--isa", "alpha", "--max-instructions"),
    ("compare", "hello", "--isa", "alpha", "--jobs"),
    ("trace", "hello", "--isa", "ppc", "--limit"),
    ("profile", "hello", "--isa", "mips", "--max-instructions"),
    ("profile", "hello", "--isa", "mips", "--jobs"),
    ("disasm", "hello", "--isa", "x86", "--columns", "--width"),
]


@pytest.mark.parametrize("value", BOUNDARIES, ids=number)
@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: f"{o[0]}{o[-1]}")
def test_command_line_numbers_at_the_boundaries(capsys, tmp_path, option, value):
    args = [a.replace("{tmp}", str(tmp_path)) for a in option]
    code, _, err = cli(capsys, *args, number(value))
    clean(code, err)


SETTINGS = ["weight", "reservation", "limit", "arg"]


@pytest.mark.parametrize("value", BOUNDARIES, ids=number)
@pytest.mark.parametrize("key", SETTINGS)
def test_guest_settings_at_the_boundaries(capsys, tmp_path, key, value):
    out = tmp_path / "s.json"
    code, _, err = cli(capsys, "schedule", f"hello@mips:{key}={number(value)}", "--json", str(out),
                       "--policy", "shares", "--no-output")
    clean(code, err)
    if code == 0:
        json.loads(out.read_text(), parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))


SCHEDULE_NUMBERS = ["cores", "quantum", "switch_cost", "channel_capacity", "max_instructions"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(["schedule", "guest"]),
       key=st.sampled_from(SCHEDULE_NUMBERS + SETTINGS + ["count"]),
       value=st.sampled_from(BOUNDARIES + [1, 0.5, 1e300]))
def test_workload_numbers_at_the_boundaries(capsys, tmp_path_factory, table, key, value):
    text = {math.nan: "nan", math.inf: "inf"}.get(value, number(value)) if isinstance(value, float) \
        else str(value)
    path = tmp_path_factory.mktemp("w") / "w.toml"
    body = f"{key} = {text}\n"
    path.write_text(("[schedule]\n" + body if table == "schedule" else "") +
                    "[[guest]]\nprogram = \"hello\"\nisa = \"alpha\"\n" +
                    (body if table == "guest" else ""))
    code, _, err = cli(capsys, "schedule", "--workload", str(path), "--no-output")
    clean(code, err)


def test_a_workload_nested_5000_deep_is_refused(capsys, tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = cli(capsys, "schedule", "--workload", str(path))
    assert code == 2 and "not valid TOML" in err
    clean(code, err)


# -- snapshots, rewritten with a good checksum -------------------------------------

@pytest.fixture(scope="module")
def snapshot_parts(tmp_path_factory):
    from hal.safety import snapshot
    m = Machine(image("sort", "x86"))
    m.run(budget=5000)
    p = tmp_path_factory.mktemp("s") / "good.snap"
    snapshot.save(m, p)
    blob = p.read_bytes()[:-32]
    parts, pos = [], 8
    for _ in range(4):
        (n,) = struct.unpack_from("<Q", blob, pos)
        parts.append(blob[pos + 8:pos + 8 + n])
        pos += 8 + n
    return blob[:8], parts


def _sealed(head: bytes, parts: list[bytes]) -> bytes:
    body = head + b"".join(struct.pack("<Q", len(x)) + x for x in parts)
    return body + hashlib.sha256(body).digest()


JSONISH = st.recursive(st.none() | st.booleans() | st.sampled_from(BOUNDARIES[:6]) |
                       st.integers() | st.text(max_size=5),
                       lambda inner: st.lists(inner, max_size=3) |
                       st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_snapshots_load_cleanly_or_are_refused(snapshot_parts, tmp_path_factory, data):
    from hal.core import runner
    from hal.safety import snapshot
    head, parts = snapshot_parts
    parts = list(parts)
    header = json.loads(parts[0])
    what = data.draw(st.sampled_from(["field", "register", "request", "device", "bytes"]))
    if what == "field":
        header[data.draw(st.sampled_from(sorted(header) + ["extra"]))] = data.draw(JSONISH)
    elif what == "register":
        header["registers"][data.draw(st.sampled_from(sorted(header["registers"])))] = \
            data.draw(st.sampled_from(BOUNDARIES[:6] + [True, None, 2**32 - 1]))
    elif what == "request":
        header["request"] = {"service": data.draw(st.integers(-1, 14) | st.booleans()),
                             "args": data.draw(st.lists(st.sampled_from(BOUNDARIES[:6] + [1, True]),
                                                        max_size=4))}
    elif what == "device":
        header["devices"] = data.draw(JSONISH)
    parts[0] = json.dumps(header).encode()
    if what == "bytes":
        index = data.draw(st.integers(0, 3))
        part = bytearray(parts[index])
        for _ in range(data.draw(st.integers(1, 8))):
            if part:
                part[data.draw(st.integers(0, len(part) - 1))] = data.draw(st.integers(0, 255))
        parts[index] = bytes(part)
    path = tmp_path_factory.mktemp("m") / "m.snap"
    path.write_bytes(_sealed(head, parts))
    try:
        m = snapshot.load(path, stdin=io.BytesIO(b"some input\n"))
    except HalError as e:
        assert "\n" not in str(e)
        return
    m.max_instructions = m.counter.limit = 200_000    # whatever it holds, not for long
    if m.request is not None:
        runner.answer(m)
    runner.finish(m)
    m.close()


@pytest.mark.parametrize("bomb_mib", [16, 4096])
def test_compression_bombs_in_snapshots(snapshot_parts, tmp_path, bomb_mib):
    import resource

    from hal.safety import snapshot
    head, parts = snapshot_parts
    d = zlib.compressobj(9)
    bomb = b"".join(d.compress(bytes(1 << 24)) for _ in range(bomb_mib // 16)) + d.flush()
    path = tmp_path / "bomb.snap"
    path.write_bytes(_sealed(head, [parts[0], parts[1], bomb, parts[3]]))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(HalError, match="guest memory is larger than"):
        snapshot.load(path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 << 10   # KiB


# -- ELF files with damaged section headers, symbols and DWARF ------------------------

def _regions(blob: bytes) -> list[tuple[int, int]]:
    """Where the section headers, symbols, strings and DWARF lie in a good ELF:
    what `hal run` never reads and the inspection tools do."""
    from elftools.elf.elffile import ELFFile
    f = ELFFile(io.BytesIO(blob))
    h = f.header
    out = [(h["e_shoff"], h["e_shoff"] + h["e_shnum"] * h["e_shentsize"])]
    shfields = (0x20, 0x34) if f.elfclass == 32 else (0x28, 0x40)      # e_shoff .. e_shstrndx
    out.append(shfields)
    for s in f.iter_sections():
        if s.name.startswith((".debug", ".symtab", ".strtab", ".shstrtab")) and s["sh_size"]:
            out.append((s["sh_offset"], s["sh_offset"] + s["sh_size"]))
    return out


ELVES = {isa: elf("hello", isa).read_bytes() for isa in ISAS}
REGIONS = {isa: _regions(blob) for isa, blob in ELVES.items()}


@settings(max_examples=200, deadline=None)
@given(isa=st.sampled_from(ISAS), seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40))
def test_damaged_sections_and_dwarf_for_disasm_trace_and_compare(isa, seed, flips):
    from hal.inspection import compare, disasm, symbols, trace
    rng = random.Random(seed)
    data = bytearray(ELVES[isa])
    regions = REGIONS[isa]
    for _ in range(flips):
        lo, hi = rng.choice(regions)
        pos = rng.randrange(lo, max(lo + 1, min(hi, len(data))))
        if rng.random() < 0.3:        # a whole word of 0xff: offsets and counts go wild
            data[pos:pos + 4] = b"\xff\xff\xff\xff"[:len(data) - pos]
        else:
            data[pos] = rng.randrange(256)
    try:
        img = loader.parse(bytes(data), Path(f"fuzz-{isa}.elf"))
    except HalError:
        return
    for step in ("disasm", "trace", "compare"):
        try:
            if step == "disasm":
                program = symbols.Program(img)
                try:
                    fn = program.function("main")
                    disasm.listing(program, fn, source=True, sources=symbols.SourceCache())
                finally:
                    program.close()
            elif step == "trace":
                trace.trace(img, limit=50, function=None)
            else:
                compare.measure(img)
        except HalError as e:
            assert "\n" not in str(e), (step, str(e))


@pytest.mark.parametrize("command", ["disasm", "trace", "compare", "profile"])
def test_broken_section_headers_are_one_line_for_each_tool(capsys, tmp_path, command):
    """The section header table pointed past the end of the file: `hal run`
    runs it (it needs only program headers); the tools say what is wrong."""
    data = bytearray(ELVES["mips"])
    struct.pack_into("<I", data, 0x20, len(data) + 4096)          # e_shoff (32-bit)
    bad = tmp_path / "bad.elf"
    bad.write_bytes(bytes(data))
    code, out, _ = cli(capsys, "run", str(bad), "--no-isolate")
    assert (code, out) == (0, "Hello from a halemu guest!\n")
    code, _, err = cli(capsys, command, str(bad))
    assert code == 2 and "cannot read its section headers" in err
    clean(code, err)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(isa=st.sampled_from(ISAS), seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40))
def test_damaged_dwarf_for_profile_conventions_and_columns(capsys, tmp_path_factory, isa, seed,
                                                          flips):
    """The readers of DWARF's units, functions and argument places (`hal
    profile`, `disasm`'s conventions and --columns): one line or a result."""
    rng = random.Random(seed)
    data = bytearray(ELVES[isa])
    for _ in range(flips):
        lo, hi = rng.choice(REGIONS[isa])
        pos = rng.randrange(lo, max(lo + 1, min(hi, len(data))))
        data[pos:pos + 4] = (b"\xff\xff\xff\xff" if rng.random() < 0.3
                             else bytes([rng.randrange(256)]))[:len(data) - pos]
    path = tmp_path_factory.mktemp("dwarf") / f"fuzz-{isa}.elf"
    path.write_bytes(bytes(data))
    for args in (("profile", str(path), "--jobs", "1"), ("disasm", str(path), "--source"),
                 ("disasm", str(path), "--columns", "--width", "120")):
        code, _, err = cli(capsys, *args)
        clean(code, err)


@pytest.mark.parametrize("command", ["disasm", "profile", "compare"])
def test_a_debug_section_that_claims_a_terabyte_is_refused_before_it_is_made(capsys, tmp_path,
                                                                            command):
    """pyelftools makes a NOBITS section's data as zeros of the size it claims:
    a .debug_info header rewritten so would have it allocate 1 TiB."""
    from elftools.elf.elffile import ELFFile
    data = bytearray(ELVES["alpha"])
    f = ELFFile(io.BytesIO(bytes(data)))
    index = next(i for i, s in enumerate(f.iter_sections()) if s.name == ".debug_info")
    header = f.header["e_shoff"] + index * f.header["e_shentsize"]
    struct.pack_into("<I", data, header + 4, 8)                  # sh_type = SHT_NOBITS
    struct.pack_into("<Q", data, header + 32, 1 << 40)           # sh_size (64-bit)
    bad = tmp_path / "terabyte.elf"
    bad.write_bytes(bytes(data))
    code, _, err = cli(capsys, command, str(bad), "--isa", "alpha")
    assert code == 2 and "section .debug_info claims 1,099,511,627,776 bytes" in err
    clean(code, err)
