"""The GDB remote protocol server: a state machine over the packet table.

While the guest is stopped, `serve` reads events from the client and answers
each packet through packets.TABLE, until a packet resumes the guest (an
Action for motion.py), or kills or detaches it.  While the guest runs, the
only thing a client may send is Ctrl-C, which `interrupted` polls for.
Every reply is a packet; a broken packet is answered with a NAK (or, when
the client has turned acks off, ignored), an oversized one with E01.

Error replies: E01 a malformed packet, E02 a value out of range (register,
length, thread), E03 memory or a register that cannot be read or written,
E04 a request that needs a live guest.
"""
from __future__ import annotations

import enum

from . import queries, signals
from .framing import MAX_BODY, Kind
from .motion import Action, Outcome
from .packets import lookup
from .target import Target
from .transport import Transport

THREAD = 1                 # the guest is process 1, thread 1


class Control(enum.Enum):
    KILL = "kill"              # k or vKill: end the guest
    DETACH = "detach"          # D: let it run on without us
    LOST = "lost"              # the client went away


_OUR_THREADS = {"-1", "0", "1", "p1", "p1.1", "p1.-1", "p-1", "p-1.-1"}


class Server(queries.Queries):
    def __init__(self, target: Target, transport: Transport, image, title: str):
        super().__init__(target, image, title)
        self.t = target
        self.io = transport
        self.acks_off = False
        self.last_stop = f"S{signals.SIGTRAP:02x}"
        self._last_wire = b""
        self._acks_off_next = False

    # -- the two states: stopped (serve) and running (interrupted) -------------------
    def serve(self) -> Action | Control:
        """Answer packets until the client resumes, kills or detaches the guest."""
        while True:
            event = self.io.next_event()
            if event.kind is Kind.PACKET:
                if not self.acks_off:
                    self.io.send_raw(b"+")
                answer = self.dispatch(event.body)
                if isinstance(answer, (Action, Control)):
                    if answer is Control.DETACH:
                        self.reply("OK")
                    return answer
                self.reply(answer)
            elif event.kind is Kind.TOO_LONG:
                if not self.acks_off:
                    self.io.send_raw(b"+")
                self.reply("E01")
            elif event.kind is Kind.BAD_CHECKSUM:
                if not self.acks_off:
                    self.io.send_raw(b"-")
            elif event.kind is Kind.NAK and self._last_wire:
                self.io.send_raw(self._last_wire)
            # ACK needs nothing; Ctrl-C while stopped changes nothing

    def interrupted(self) -> bool:
        """While running: has the client sent Ctrl-C?  (Other packets wait.)"""
        while True:
            event = self.io.poll()
            if event is None:
                return False
            if event.kind is Kind.INTERRUPT:
                return True
            if event.kind is Kind.PACKET:     # all-stop: nothing else is expected now
                self.io.push_back(event)
                return False

    def reply(self, body: str | bytes) -> None:
        data = body.encode("latin-1") if isinstance(body, str) else body
        self._last_wire = self.io.send(data)
        if self._acks_off_next:
            self.acks_off, self._acks_off_next = True, False

    def report(self, outcome: Outcome) -> None:
        """Tell the client why the guest stopped, or how it ended."""
        self.last_stop = stop_reply(outcome)
        self.reply(self.last_stop)

    def dispatch(self, body: bytes):
        row, fields = lookup(body.decode("latin-1"))
        if row is None:
            return ""
        if fields is None:
            return "E01"
        return getattr(self, row.handler)(**fields)

    # -- stop state, registers, memory -------------------------------------------------
    def stop_reason(self):
        return self.last_stop

    def read_registers(self):
        return self.t.registers.read_all()

    def write_registers(self, data):
        regs = self.t.registers.split(data)
        if regs is None:
            return "E02"
        for reg, value in regs:
            if value is not None and reg.uc_name is not None and self.t.registers.read(reg) != value:
                if self.t.write_register(reg.number, value):
                    return "E03"
        return "OK"

    def read_register(self, reg):
        r = self.t.d.by_number.get(int(reg, 16))
        if r is None:
            return "E02"
        data = self.t.registers.read(r)
        return "xx" * r.size if data is None else data.hex()

    def write_register(self, reg, data):
        return "E03" if self.t.write_register(int(reg, 16), bytes.fromhex(data)) else "OK"

    def read_memory(self, addr, length):
        n = int(length, 16)
        if n > MAX_BODY // 2:
            n = MAX_BODY // 2                  # a shorter reply is allowed
        data = self.t.read_memory(int(addr, 16), n)
        return "E03" if n and not data else data.hex()

    def write_memory(self, addr, length, data):
        payload = bytes.fromhex(data)
        if len(payload) != int(length, 16):
            return "E02"
        return self._write(int(addr, 16), payload)

    def write_binary(self, addr, length, data):
        payload = data.encode("latin-1")
        if len(payload) != int(length, 16):
            return "E02"
        return self._write(int(addr, 16), payload) if payload else "OK"

    def _write(self, address: int, payload: bytes) -> str:
        return "E03" if self.t.write_memory(address, payload) else "OK"

    # -- running ------------------------------------------------------------------------
    def cont(self, addr=None):
        return self._resume("continue", None, addr)

    def cont_signal(self, sig, addr=None):
        return self._resume("continue", int(sig, 16), addr)

    def step(self, addr=None):
        return self._resume("step", None, addr)

    def step_signal(self, sig, addr=None):
        return self._resume("step", int(sig, 16), addr)

    def vcont_actions(self):
        return "vCont;c;C;s;S"

    def vcont(self, actions):
        for action in actions[1:].split(";"):
            what, _, thread = action.partition(":")
            if thread and thread not in _OUR_THREADS:
                if not _valid_thread(thread):
                    return "E02"
                continue                       # for another thread: there is none
            kind = "continue" if what[0] in "cC" else "step"
            return self._resume(kind, int(what[1:], 16) if len(what) > 1 else None, None)
        return "E02"

    def reverse_continue(self):
        return self._resume("reverse-continue", None, None)

    def reverse_step(self):
        return self._resume("reverse-step", None, None)

    def _resume(self, kind: str, signal: int | None, addr):
        if self.t.m.exit_code is not None:
            return "E04"
        if addr is not None:
            pc = self.pc_register
            value = int(addr, 16).to_bytes(pc.size, self.t.m.backend.endian, signed=False) \
                if int(addr, 16) < 1 << pc.bits else None
            if value is None or self.t.write_register(pc.number, value):
                return "E03"
        return Action(kind, signal or None)

    def insert_point(self, type, addr, kind):
        address, size = int(addr, 16), int(kind, 16)
        if type in "01":
            if not 0 < size <= 16:
                return "E02"
            self.t.hooks.add_break(address)
        else:
            if not 0 < size <= 0x10000 or address + size > 1 << self.t.m.backend.bits:
                return "E02"
            self.t.hooks.add_watch({"2": "watch", "3": "rwatch", "4": "awatch"}[type],
                                   address, size)
        return "OK"

    def remove_point(self, type, addr, kind):
        address = int(addr, 16)
        if type in "01":
            self.t.hooks.remove_break(address)
        else:
            self.t.hooks.remove_watch({"2": "watch", "3": "rwatch", "4": "awatch"}[type],
                                      address, int(kind, 16))
        return "OK"

    def kill(self, pid=None):
        if pid is not None:                    # vKill wants an answer; k does not
            self.reply("OK")
        return Control.KILL

    def detach(self, pid=None):
        return Control.DETACH

    # -- threads ------------------------------------------------------------------------
    def set_thread(self, op, thread):
        return "OK" if thread in _OUR_THREADS else "E02"

    def thread_alive(self, thread):
        return "OK" if thread in _OUR_THREADS - {"-1", "0", "p-1", "p-1.-1"} else "E02"

    def current_thread(self):
        return f"QC{THREAD:x}"

    def first_threads(self):
        return f"m{THREAD:x}"

    def next_threads(self):
        return "l"

    def thread_info(self, thread):
        return self.title.encode().hex()

    def attached(self, pid=None):
        return "0"                             # we started the guest: quitting GDB kills it

    def no_ack(self):
        self._acks_off_next = True            # after this reply, which is still acked
        return "OK"

    def symbols_done(self):
        return "OK"

    def empty(self):
        return ""


def _valid_thread(thread: str) -> bool:
    return all(c in "0123456789abcdefABCDEFp.-" for c in thread)


def stop_reply(o: Outcome) -> str:
    """The stop-reply packet for an outcome."""
    if o.kind == "exited":
        return f"W{o.code & 0xFF:02x}"
    if o.kind == "terminated":
        return f"X{o.signal:02x}"
    reason = {"break": "swbreak:;", "begin": "replaylog:begin;"}.get(o.reason, "")
    if o.reason in ("watch", "rwatch", "awatch"):
        reason = f"{o.reason}:{o.address:x};"
    return f"T{o.signal:02x}{reason}thread:{THREAD:x};"
