"""The debugger's TCP connection: one listening socket, one client at a time.

It binds 127.0.0.1 unless told another address, so a guest is not exposed
to the network by accident.  Reading is either blocking (the guest is
stopped: wait for the next packet) or a poll that returns at once (the
guest is running: has Ctrl-C arrived?).
"""
from __future__ import annotations

import select
import socket
from collections import deque

from ..errors import HalError
from .framing import Event, Framer, encode

DEFAULT_HOST = "127.0.0.1"


class Disconnected(Exception):
    """The client closed the connection (or it broke)."""


def parse_address(text: str) -> tuple[str, int]:
    """[HOST:]PORT -> (host, port); HOST may be [v6].  Port 0 picks a free one."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host = DEFAULT_HOST
    elif host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise HalError(f"--gdb wants [HOST:]PORT with a port from 0 to 65535, not '{text}'")
    return host, int(port)


class Transport:
    def __init__(self, host: str, port: int):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as e:
            raise HalError(f"--gdb: cannot resolve '{host}': {e.strerror}") from None
        family, kind, proto, _, address = infos[0]
        self._listener = socket.socket(family, kind, proto)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._listener.bind(address)
            self._listener.listen(1)
        except OSError as e:
            self._listener.close()
            raise HalError(f"--gdb: cannot listen on {host}:{port}: {e.strerror}") from None
        self.host = host
        self.port = self._listener.getsockname()[1]
        self._conn: socket.socket | None = None
        self._framer = Framer()
        self._events: deque[Event] = deque()

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def accept(self) -> str:
        """Wait for a client; returns its address in words."""
        conn, peer = self._listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._conn = conn
        self._framer = Framer()
        self._events.clear()
        return f"{peer[0]}:{peer[1]}"

    def next_event(self) -> Event:
        """The next event from the client, waiting for it if need be."""
        while not self._events:
            self._receive()
        return self._events.popleft()

    def poll(self) -> Event | None:
        """An event that has already arrived, or None; never waits."""
        if not self._events:
            ready, _, _ = select.select([self._conn], [], [], 0)
            if ready:
                self._receive()
        return self._events.popleft() if self._events else None

    def push_back(self, event: Event) -> None:
        """Keep an event for the next read (it arrived while the guest ran)."""
        self._events.appendleft(event)

    def _receive(self) -> None:
        try:
            data = self._conn.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.drop()
            raise Disconnected()
        self._events.extend(self._framer.feed(data))

    def send_raw(self, data: bytes) -> None:
        try:
            self._conn.sendall(data)
        except OSError:
            self.drop()
            raise Disconnected() from None

    def send(self, body: bytes) -> bytes:
        """Send one packet; returns it as sent (to send again on a NAK)."""
        wire = encode(body)
        self.send_raw(wire)
        return wire

    def drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def wait_closed(self, seconds: float) -> None:
        """After the last reply: give the client a moment to hang up first."""
        if self._conn is None:
            return
        try:
            while select.select([self._conn], [], [], seconds)[0]:
                if not self._conn.recv(65536):
                    break
        except OSError:
            pass
        self.drop()

    def close(self) -> None:
        self.drop()
        self._listener.close()
