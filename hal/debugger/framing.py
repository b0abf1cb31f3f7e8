"""The GDB remote protocol's framing: bytes to packets and back.

A packet travels as  $<body>#<two hex digits>,  the digits being the sum of
the body's bytes modulo 256.  Inside the body '}' escapes the next byte
(XOR 0x20), so binary data may carry '$', '#', '}' and '*'.  Outside packets
the client sends '+' (received well), '-' (send again) and the byte 0x03
(Ctrl-C: stop the running guest).

Framer is a small state machine fed whatever bytes arrive, however they are
split; it never raises.  A body longer than MAX_BODY is not kept: the
packet is reported as too long once its checksum arrives, so a client that
sends too much gets an error reply instead of exhausting memory.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

MAX_BODY = 0x4000               # bytes of a packet body we accept (PacketSize in qSupported)
INTERRUPT = 0x03


class Kind(enum.Enum):
    PACKET = "packet"           # a well-formed packet: .body holds it, unescaped
    INTERRUPT = "interrupt"     # Ctrl-C
    ACK = "ack"
    NAK = "nak"                 # the client wants our last reply again
    BAD_CHECKSUM = "bad checksum"
    TOO_LONG = "too long"


@dataclass(frozen=True)
class Event:
    kind: Kind
    body: bytes = b""


class _State(enum.Enum):
    IDLE = 0        # between packets
    BODY = 1        # after '$'
    ESCAPE = 2      # after '}' in a body
    CHECK1 = 3      # after '#'
    CHECK2 = 4      # after the first checksum digit


_HEX = b"0123456789abcdefABCDEF"


class Framer:
    def __init__(self):
        self._state = _State.IDLE
        self._body = bytearray()
        self._sum = 0
        self._overflow = False
        self._check = 0

    def feed(self, data: bytes) -> list[Event]:
        events: list[Event] = []
        for byte in data:
            event = self._step(byte)
            if event is not None:
                events.append(event)
        return events

    def _step(self, byte: int) -> Event | None:
        s = self._state
        if s is _State.IDLE:
            if byte == ord("$"):
                self._start()
            elif byte == INTERRUPT:
                return Event(Kind.INTERRUPT)
            elif byte == ord("+"):
                return Event(Kind.ACK)
            elif byte == ord("-"):
                return Event(Kind.NAK)
            return None                     # noise between packets is ignored
        if s is _State.BODY or s is _State.ESCAPE:
            if byte == ord("$"):            # a new packet: the broken one is dropped
                self._start()
                return None
            if byte == ord("#") and s is _State.BODY:
                self._state = _State.CHECK1
                return None
            self._sum = (self._sum + byte) & 0xFF
            if s is _State.BODY and byte == ord("}"):
                self._state = _State.ESCAPE
                return None
            self._keep(byte ^ 0x20 if s is _State.ESCAPE else byte)
            self._state = _State.BODY
            return None
        if byte not in _HEX:                # a checksum that is not hex: a broken packet
            self._state = _State.IDLE
            if byte == ord("$"):            # ... and perhaps the start of the next one
                self._start()
            return Event(Kind.BAD_CHECKSUM)
        if s is _State.CHECK1:
            self._check = int(chr(byte), 16) << 4
            self._state = _State.CHECK2
            return None
        self._state = _State.IDLE
        if self._check | int(chr(byte), 16) != self._sum:
            return Event(Kind.BAD_CHECKSUM)
        if self._overflow:
            return Event(Kind.TOO_LONG)
        return Event(Kind.PACKET, bytes(self._body))

    def _start(self) -> None:
        self._state = _State.BODY
        self._body.clear()
        self._sum = 0
        self._overflow = False

    def _keep(self, byte: int) -> None:
        if len(self._body) < MAX_BODY:
            self._body.append(byte)
        else:
            self._overflow = True


def encode(body: bytes) -> bytes:
    """A reply as it goes on the wire, with '$', '#', '}' and '*' escaped."""
    out = bytearray()
    for byte in body:
        if byte in b"$#}*":
            out += bytes((ord("}"), byte ^ 0x20))
        else:
            out.append(byte)
    return b"$" + bytes(out) + b"#" + b"%02x" % (sum(out) & 0xFF)
