"""Snapshots: save a guest part-way, restore it, and get the same end."""
import pytest
from conftest import BUNDLED, ISAS, image

from hal.core.console import Console
from hal.core.machine import Machine, Stop
from hal.safety import snapshot
from hal.safety.snapshot import SnapshotError


def finish(m):
    """Run to the end, answering sleeps at once (as `hal run` does)."""
    while (stop := m.run()) is Stop.BLOCKED:
        m.complete()
    return stop


def snapshot_points(total):
    return sorted({1, total // 7, total // 3, total // 2, total - total // 5})


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", BUNDLED)
def test_restore_at_several_points_gives_the_same_end(guest, isa, tmp_path):
    whole = Machine(image(guest, isa))
    finish(whole)
    for point in snapshot_points(whole.retired):
        m = Machine(image(guest, isa))
        while m.retired < point:
            stop = m.run(budget=point - m.retired)
            if stop is Stop.BLOCKED and m.retired < point:
                m.complete()
            elif stop is not Stop.BUDGET:
                break
        path = tmp_path / f"{guest}-{point}.snap"
        snapshot.save(m, path)
        del m
        restored = snapshot.load(path)
        if restored.request is not None:
            restored.complete()
        assert finish(restored) is Stop.EXITED
        assert restored.console.output == whole.console.output, point
        assert restored.retired == whole.retired, point
        assert restored.hal_calls == whole.hal_calls, point


def test_snapshot_of_a_snapshot(tmp_path):
    m = Machine(image("fib", "mips"))
    m.run(budget=10_000)
    snapshot.save(m, tmp_path / "a.snap")
    r = snapshot.load(tmp_path / "a.snap")
    r.run(budget=10_000)
    snapshot.save(r, tmp_path / "b.snap")
    last = snapshot.load(tmp_path / "b.snap")
    finish(last)
    whole = Machine(image("fib", "mips"))
    finish(whole)
    assert (last.console.output, last.retired) == (whole.console.output, whole.retired)


@pytest.fixture
def good(tmp_path):
    m = Machine(image("sort", "ppc"))
    m.run(budget=5000)
    p = tmp_path / "good.snap"
    snapshot.save(m, p)
    return p


def refuse(path, fragment):
    with pytest.raises(SnapshotError) as e:
        snapshot.load(path)
    assert fragment in str(e.value) and "\n" not in str(e.value)


def test_damaged_byte_is_caught(good):
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x40
    good.write_bytes(bytes(data))
    refuse(good, "checksum mismatch")


def test_truncated(good):
    good.write_bytes(good.read_bytes()[:100])
    refuse(good, "checksum mismatch")


def test_not_a_snapshot(tmp_path):
    p = tmp_path / "x.snap"
    p.write_bytes(b"\x7fELF" + bytes(100))
    refuse(p, "not a halemu snapshot")


def test_missing(tmp_path):
    refuse(tmp_path / "none.snap", "cannot read snapshot")


def test_lying_header_is_caught_even_with_a_good_checksum(good, tmp_path):
    """A snapshot rewritten with a valid checksum but impossible contents."""
    import hashlib
    import json
    import struct
    blob = good.read_bytes()[:-32]
    (n,) = struct.unpack_from("<Q", blob, 8)
    header = json.loads(blob[16:16 + n])
    for key, value, fragment in (("memory", 12345, "memory size 12345 is impossible"),
                                 ("registers", {"eax": 1}, "registers do not match"),
                                 ("retired", -5, "negative counts"),
                                 ("isa", "x86", "header says x86 but the guest is ppc")):
        bad = dict(header, **{key: value})
        hb = json.dumps(bad).encode()
        body = blob[:8] + struct.pack("<Q", len(hb)) + hb + blob[16 + n:]
        p = tmp_path / f"{key}.snap"
        p.write_bytes(body + hashlib.sha256(body).digest())
        refuse(p, fragment)


def test_finished_guest_cannot_be_snapshotted(tmp_path):
    m = Machine(image("hello", "x86"))
    finish(m)
    with pytest.raises(SnapshotError, match="already ended"):
        snapshot.save(m, tmp_path / "x.snap")


@pytest.mark.parametrize("isa", ISAS)
def test_device_state_survives_a_snapshot(isa, tmp_path):
    """echo reads its input through the UART: a snapshot taken mid-input, with
    a byte waiting in the UART, resumes to the same output."""
    import io
    data = b"the quick brown fox jumps over the lazy dog\n" * 3
    whole = Machine(image("echo", isa), console=Console(input=io.BytesIO(data)))
    finish(whole)
    src = io.BytesIO(data)
    m = Machine(image("echo", isa), console=Console(input=src))
    while m.retired < whole.retired // 2 and m.run(budget=97) is not Stop.EXITED:
        if m.request is not None:
            m.complete()
    snapshot.save(m, tmp_path / "echo.snap")
    restored = snapshot.load(tmp_path / "echo.snap", stdin=src)
    finish(restored)
    assert restored.console.output == whole.console.output
    assert restored.retired == whole.retired
