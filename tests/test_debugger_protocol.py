"""The protocol side of the stub: framing, the packet table, target
descriptions, fault signals, and a server that survives bad clients
(malformed and oversized packets, bad checksums, unmapped memory, fuzz)."""
from __future__ import annotations

import re

import pytest
from conftest import elf
from gdbclient import Client
from gdbsession import Hal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hal.core import faults, registry
from hal.core.machine import Machine
from hal.debugger import signals
from hal.debugger.framing import MAX_BODY, Framer, Kind, encode
from hal.debugger.packets import TABLE, lookup
from hal.debugger.tdesc import RegisterFile, describe

# -- framing ------------------------------------------------------------------------------


@given(st.binary(max_size=300), st.integers(min_value=1, max_value=50))
def test_framing_round_trips_any_body_however_it_is_split(body, cut):
    wire = encode(body)
    framer = Framer()
    events = []
    for i in range(0, len(wire), cut):
        events += framer.feed(wire[i:i + cut])
    assert [(e.kind, e.body) for e in events] == [(Kind.PACKET, body)]


def test_framing_reports_acks_interrupts_bad_checksums_and_oversized_packets():
    f = Framer()
    events = f.feed(b"+-\x03$m0,4#00$g#67")
    assert [e.kind for e in events] == [Kind.ACK, Kind.NAK, Kind.INTERRUPT, Kind.BAD_CHECKSUM,
                                        Kind.PACKET]
    big = b"M0," + b"0" * (MAX_BODY + 10)
    assert [e.kind for e in f.feed(encode(big))] == [Kind.TOO_LONG]
    assert [e.kind for e in f.feed(b"$g#zz$g#67")] == [Kind.BAD_CHECKSUM, Kind.PACKET]


@given(st.binary(max_size=2000))
def test_framing_never_raises_on_noise(noise):
    Framer().feed(noise)


# -- the table ------------------------------------------------------------------------------

GOOD = ["?", "g", "G" + "00" * 4, "p1f", "P1f=deadbeef", "m10000,40", "M10000,2:beef",
        "X10000,2:ab", "c", "c10000", "C0b", "s", "S05;10000", "vCont?", "vCont;c", "vCont;s:1",
        "vCont;C0b:p1.1;c", "bc", "bs", "Z0,10000,4", "z2,10000,8", "k", "vKill;1", "D", "D;1",
        "Hg0", "Hc-1", "Hgp1.1", "T1", "qC", "qfThreadInfo", "qsThreadInfo",
        "qThreadExtraInfo,1", "qAttached", "qAttached:1", "qSupported",
        "qSupported:multiprocess+;swbreak+", "QStartNoAckMode",
        "qXfer:features:read:target.xml:0,fff", "qXfer:exec-file:read::0,fff",
        "qRcmd,69636f756e74", "qSymbol::", "vMustReplyEmpty", "vFile:setfs:0",
        "vFile:open:2f6574632f706173737764,0,1c0", "vFile:pread:3,1000,0", "vFile:close:3",
        "vFile:fstat:3"]
MALFORMED = ["gx", "G0", "p", "pzz", "P1f", "P1f=zz", "m10000", "m,4", "m10000,", "mx,4",
             "m12345678901234567,4", "M10000,2", "M10000,2:abc", "Cz", "Z9,10000,4",
             "Z0,10000", "vCont;x", "vCont", "Hx1", "qXfer:features:read:../x:0,1",
             "qRcmd,6", "vFile:open:zz,0,0", "D;", "T"]
UNKNOWN = ["", "qCRC:0,4", "qOffsets", "qTStatus", "vRun;", "Q", "!", "A1,1,0", "vContinue",
           "qSupportedX"]


@pytest.mark.parametrize("body", GOOD)
def test_every_well_formed_packet_finds_its_row(body):
    row, fields = lookup(body)
    assert row is not None and fields is not None, body


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_fields_are_caught_by_the_row(body):
    row, fields = lookup(body)
    assert row is not None and fields is None, body


@pytest.mark.parametrize("body", UNKNOWN)
def test_packets_no_row_names_are_unknown(body):
    assert lookup(body) == (None, None)


def test_every_row_has_a_handler():
    from hal.debugger.server import Server
    for row in TABLE:
        assert callable(getattr(Server, row.handler, None)), row.handler


# -- target descriptions and signals --------------------------------------------------------

FEATURES = {"x86": {"org.gnu.gdb.i386.core", "org.gnu.gdb.i386.sse"},
            "mips": {"org.gnu.gdb.mips.cpu", "org.gnu.gdb.mips.cp0", "org.gnu.gdb.mips.fpu"},
            "ppc": {"org.gnu.gdb.power.core", "org.gnu.gdb.power.fpu"},
            "alpha": {"org.gnu.gdb.riscv.cpu", "org.gnu.gdb.riscv.fpu"}}


def test_each_description_has_the_features_gdb_needs(backend):
    d = describe(backend)
    names = {m for data in d.files.values()
             for m in re.findall(r'<feature name="([^"]+)"', data.decode())}
    assert names == FEATURES[backend.name]
    numbers = [r.number for r in d.registers]
    assert len(set(numbers)) == len(numbers)
    assert any(r.uc_name == backend.regs.pc for r in d.registers)


def test_every_register_reads_and_writes_back(backend):
    from conftest import image
    m = Machine(image("hello", backend.name))
    m.run(budget=50)
    rf = RegisterFile(describe(backend), m.uc)
    g = rf.read_all()
    for reg, value in rf.split(g):
        if value is not None:
            assert rf.write(reg, value), reg.name
    assert rf.read_all() == g
    assert len(g) == 2 * sum(r.size for r in describe(backend).registers)


def test_every_fault_reason_has_a_signal_rule():
    reasons = list(faults.UC_ERRORS.values())
    reasons += [name for b in registry.backends() for name in b.exceptions.values()]
    reasons += ["exceeded the instruction limit of 5", "unknown HAL service 99",
                "console output limit of 10 bytes exceeded", "killed by the debugger",
                "floating-point exception: inexact result"]
    missing = [r for r in reasons if signals.matching_rule(r) is None]
    assert missing == []
    assert signals.for_reason("floating-point exception: invalid operation") == signals.SIGFPE
    assert signals.for_reason("read from unmapped memory") == signals.SIGSEGV
    assert signals.for_reason("divide error") == signals.SIGFPE
    assert signals.for_reason("invalid instruction") == signals.SIGILL


# -- a live server and a bad client -----------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    hal = Hal("run", str(elf("spin", "mips")), "--gdb", "127.0.0.1:0")
    client = Client(hal.address)
    yield client
    client.send(b"vKill;1")
    client.close()
    hal.finish()


def test_the_server_answers_what_gdb_asks(server):
    c = server
    assert b"ReverseContinue+" in c.ask(b"qSupported:swbreak+")
    assert c.ask(b"?").startswith(b"S05")
    assert c.ask(b"qC") == b"QC1"
    assert c.ask(b"qXfer:features:read:target.xml:0,1000").startswith(b"l<?xml")
    assert c.ask(b"qXfer:features:read:nonexistent.xml:0,10") == b"E00"
    assert c.ask(b"qXfer:exec-file:read::0,1000").endswith(b"spin.elf")
    assert len(c.ask(b"g")) == 2 * sum(r.size for r in describe(registry.get("mips")).registers)
    assert c.ask(b"qCRC:0,4") == b""


def test_bad_requests_get_error_replies(server):
    c = server
    assert c.ask(b"m0,4") == b"E03"                   # nothing is mapped at 0
    assert c.ask(b"m18000000,4") == b"E03"            # the device window is never read
    assert c.ask(b"mzz,4") == b"E01"
    assert c.ask(b"p999") == b"E02"
    assert c.ask(b"M0,2:beef") == b"E03"
    assert c.ask(b"M10000,4:beef") == b"E02"           # length does not match the data
    assert c.ask(b"Z0,10000,99") == b"E02"
    assert c.ask(b"vFile:open:2f6574632f706173737764,0,0") == b"F-1,2"   # /etc/passwd: no
    assert c.ask(b"Hg99") == b"E02"


def test_checksums_and_oversized_packets(server):
    c = server
    c.send_raw(b"$qC#00")                             # a wrong checksum: the server NAKs it
    c.sock.settimeout(5)
    nak = c.sock.recv(1)
    while nak == b"+":
        nak = c.sock.recv(1)
    assert nak == b"-"
    c.send_raw(b"-")                                  # and on our NAK it says its last again
    assert c.packet() == b"E02"
    c.send(b"M10000," + b"0" * (2 * MAX_BODY))
    assert c.packet() == b"E01"
    assert c.ask(b"qC") == b"QC1"


def test_continue_then_ctrl_c_stops_at_an_exact_count(server):
    c = server
    c.send(b"c")
    import time
    time.sleep(0.5)
    c.send_raw(b"\x03")
    assert c.packet().startswith(b"T02")
    assert re.match(rb"^\d+ instructions retired", bytes.fromhex(c.ask(b"qRcmd,69636f756e74")[1:].decode()))
    assert c.packet() == b"OK"


_PACKET_NAMES = [r.name for r in TABLE if r.name[0] not in "cCsSbkD" and not r.name.startswith(
    ("vCont", "vKill", "qRcmd"))]                    # no resuming, killing or snapshot files


@st.composite
def fuzz_packet(draw):
    kind = draw(st.integers(0, 3))
    if kind == 0:                                      # a real name, random fields
        return encode(draw(st.sampled_from(_PACKET_NAMES)).encode() + draw(st.binary(max_size=40)))
    if kind == 1:                                      # a valid frame of anything
        body = draw(st.binary(max_size=80))
        if body[:1] in (b"c", b"C", b"s", b"S", b"b", b"k", b"D", b"v") or body.startswith(b"qR"):
            body = b"q" + body
        return encode(body)
    if kind == 2:                                      # a wrong checksum
        return b"$" + draw(st.binary(max_size=30)).replace(b"$", b"").replace(b"#", b"") + b"#00"
    return draw(st.binary(max_size=60)).replace(b"\x03", b"")   # noise


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(packets=st.lists(fuzz_packet(), max_size=6))
def test_fuzzed_packets_leave_the_server_answering(server, packets):
    for p in packets:
        server.send_raw(p)
    server.send_raw(b"#00")                            # close whatever the noise left open
    server.send(b"qC")
    for _ in range(50):                                # replies to the fuzz come first
        if server.packet() == b"QC1":
            break
    else:
        raise AssertionError("no answer to qC")
