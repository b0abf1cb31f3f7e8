"""A bare GDB remote-protocol client for tests: packets in and out, nothing
more, so a test can send what no real GDB would."""
from __future__ import annotations

import socket

from hal.debugger.framing import encode


class Client:
    def __init__(self, address: str, timeout: float = 20):
        host, _, port = address.rpartition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        self.buffer = b""

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send(self, body: bytes) -> None:
        self.send_raw(encode(body))

    def packet(self) -> bytes:
        """The next packet from the server (acks skipped), checked and unescaped."""
        while True:
            start = self.buffer.find(b"$")
            end = self.buffer.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buffer) >= end + 3:
                raw = self.buffer[start + 1:end]
                checksum = int(self.buffer[end + 1:end + 3], 16)
                self.buffer = self.buffer[end + 3:]
                assert sum(raw) & 0xFF == checksum, raw
                out, escape = bytearray(), False
                for b in raw:
                    if escape:
                        out.append(b ^ 0x20)
                        escape = False
                    elif b == ord("}"):
                        escape = True
                    else:
                        out.append(b)
                return bytes(out)
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the server hung up")
            self.buffer += data

    def ask(self, body: bytes) -> bytes:
        self.send(body)
        return self.packet()

    def close(self) -> None:
        self.sock.close()
