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
    refuse(tmp_path / "none.snap", "no such file")


def test_not_a_regular_file(tmp_path):
    import os
    refuse("/dev/zero", "not a regular file")
    os.mkfifo(tmp_path / "fifo.snap")
    refuse(tmp_path / "fifo.snap", "not a regular file")          # not a hang


def rewrite(good, tmp_path, name, change_header=None, ram=None):
    """The good snapshot with its header (or compressed RAM) changed and its
    checksum recomputed, as a hostile student would."""
    import hashlib
    import json
    import struct
    blob = good.read_bytes()[:-32]
    parts, pos = [], 8
    for _ in range(4):
        (n,) = struct.unpack_from("<Q", blob, pos)
        parts.append(blob[pos + 8:pos + 8 + n])
        pos += 8 + n
    if change_header is not None:
        header = json.loads(parts[0])
        parts[0] = change_header(header) if callable(change_header) else \
            json.dumps(dict(header, **change_header)).encode()
    if ram is not None:
        parts[2] = ram
    body = blob[:8] + b"".join(struct.pack("<Q", len(x)) + x for x in parts)
    p = tmp_path / f"{name}.snap"
    p.write_bytes(body + hashlib.sha256(body).digest())
    return p


def _deep(header):
    return b'{"a": ' * 100_000 + b"1" + b"}" * 100_000


@pytest.mark.parametrize("change, fragment", [
    ({"memory": 12345}, "memory size 12345 is impossible"),
    ({"registers": {"eax": 1}}, "registers do not match"),
    ({"retired": -5}, "'retired' -5 is impossible"),
    ({"retired": 2**64}, "'retired' 18446744073709551616 is impossible"),
    ({"retired": True}, "'retired' is missing or not int"),
    ({"extra_ticks": 2**70}, "'extra_ticks'"),
    ({"console_limit": 2**64}, "'console_limit'"),
    ({"max_instructions": 0}, "'max_instructions' is impossible"),
    ({"max_instructions": True}, "'max_instructions' is impossible"),
    ({"max_instructions": 2**64}, "'max_instructions' is impossible"),
    ({"arg": 2**40}, "'arg' 1099511627776 does not fit a 32-bit word"),
    ({"isa": "x86"}, "header says x86 but the guest is ppc"),
    ({"request": {"service": 9, "args": []}}, "pending request in the snapshot is damaged"),
    ({"request": {"service": 8, "args": [1]}}, "pending request in the snapshot is damaged"),
    ({"request": {"service": 2, "args": [1, 2]}}, "pending request in the snapshot is damaged"),
    ({"request": {"service": True, "args": [1]}}, "pending request in the snapshot is damaged"),
    ({"request": {"service": 9, "args": [2**32]}}, "pending request in the snapshot is damaged"),
    ({"request": {"service": 9, "args": [True]}}, "pending request in the snapshot is damaged"),
    ({"devices": {"timer": {"_latched_hi": 2**64}, "uart": {}}}, "device state"),
    (_deep, "snapshot header is not valid JSON"),
], ids=lambda x: x.__name__ if callable(x) else None)
def test_lying_header_is_caught_even_with_a_good_checksum(good, tmp_path, change, fragment):
    """A snapshot rewritten with a valid checksum but impossible contents."""
    refuse(rewrite(good, tmp_path, "lying", change), fragment)


def test_a_compression_bomb_is_refused_before_it_goes_off(good, tmp_path):
    """A few megabytes that would inflate to 4 GiB: decompression stops at the
    RAM size the header gives, so memory never grows by more than that."""
    import resource
    import zlib
    d = zlib.compressobj(9)
    bomb = b"".join(d.compress(bytes(1 << 24)) for _ in range(256)) + d.flush()
    assert len(bomb) < 5 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refuse(rewrite(good, tmp_path, "bomb", ram=bomb), "guest memory is larger than")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 64 << 10                     # far from 4 GiB
    refuse(rewrite(good, tmp_path, "short", ram=zlib.compress(bytes(4096))), "guest memory is 4096 bytes")
    refuse(rewrite(good, tmp_path, "garbage", ram=b"not zlib at all"), "guest memory is damaged")


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
