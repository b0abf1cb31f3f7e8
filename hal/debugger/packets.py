"""The packets the stub understands: one table, one row per packet.

Each row names the packet, gives a pattern that its fields must match in
full, and the server method that answers it.  Hex fields have bounded
widths, so no number is larger than the protocol allows; the handler then
checks what a pattern cannot (a length against the packet size, a register
number against the target description).  A packet no row names gets the
empty reply, which tells GDB "not supported"; a packet a row names but
whose fields do not match gets E01.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEX = "[0-9a-fA-F]"
ADDR = f"(?P<addr>{HEX}{{1,16}})"
LEN = f"(?P<length>{HEX}{{1,8}})"
THREAD = f"(?P<thread>-1|{HEX}{{1,16}}|p(?:-1|{HEX}{{1,8}})(?:\\.(?:-1|{HEX}{{1,8}}))?)"
ACTION = f"(?:[cs]|[CS]{HEX}{{2}})(?::(?:-1|{HEX}{{1,16}}|p{HEX}{{1,8}}(?:\\.(?:-1|{HEX}{{1,8}}))?))?"
XFER = f"(?P<offset>{HEX}{{1,8}}),(?P<length>{HEX}{{1,8}})"


@dataclass(frozen=True)
class Row:
    name: str
    fields: str           # a pattern for everything after the name ("" = nothing)
    handler: str          # the Server method that answers


TABLE: tuple[Row, ...] = (
    # -- stop state, registers and memory --------------------------------------------
    Row("?", "", "stop_reason"),
    Row("g", "", "read_registers"),
    Row("G", f"(?P<data>(?:{HEX}{{2}}|xx)+)", "write_registers"),
    Row("p", f"(?P<reg>{HEX}{{1,4}})", "read_register"),
    Row("P", f"(?P<reg>{HEX}{{1,4}})=(?P<data>(?:{HEX}{{2}}){{1,64}})", "write_register"),
    Row("m", f"{ADDR},{LEN}", "read_memory"),
    Row("M", f"{ADDR},{LEN}:(?P<data>(?:{HEX}{{2}})*)", "write_memory"),
    Row("X", f"{ADDR},{LEN}:(?P<data>.*)", "write_binary"),
    # -- running, forwards and backwards -----------------------------------------------
    Row("c", f"{ADDR}?", "cont"),
    Row("C", f"(?P<sig>{HEX}{{2}})(?:;{ADDR})?", "cont_signal"),
    Row("s", f"{ADDR}?", "step"),
    Row("S", f"(?P<sig>{HEX}{{2}})(?:;{ADDR})?", "step_signal"),
    Row("vCont?", "", "vcont_actions"),
    Row("vCont", f"(?P<actions>(?:;{ACTION})+)", "vcont"),
    Row("bc", "", "reverse_continue"),
    Row("bs", "", "reverse_step"),
    Row("Z", f"(?P<type>[0-4]),{ADDR},(?P<kind>{HEX}{{1,8}})", "insert_point"),
    Row("z", f"(?P<type>[0-4]),{ADDR},(?P<kind>{HEX}{{1,8}})", "remove_point"),
    Row("k", "", "kill"),
    Row("vKill;", f"(?P<pid>{HEX}{{1,8}})", "kill"),
    Row("D", f"(?:;(?P<pid>{HEX}{{1,8}}))?", "detach"),
    # -- threads: one guest is one thread ---------------------------------------------
    Row("H", f"(?P<op>[gcm]){THREAD}", "set_thread"),
    Row("T", THREAD, "thread_alive"),
    Row("qC", "", "current_thread"),
    Row("qfThreadInfo", "", "first_threads"),
    Row("qsThreadInfo", "", "next_threads"),
    Row("qThreadExtraInfo,", THREAD, "thread_info"),
    Row("qAttached", f"(?::(?P<pid>{HEX}{{1,8}}))?", "attached"),
    # -- what GDB asks about the target ------------------------------------------------
    Row("qSupported", "(?::(?P<features>[ -~]{0,1024}))?", "supported"),
    Row("QStartNoAckMode", "", "no_ack"),
    Row("qXfer:features:read:", f"(?P<annex>[A-Za-z0-9_.-]{{1,64}}):{XFER}", "features"),
    Row("qXfer:exec-file:read:", f"(?P<annex>{HEX}{{0,8}}):{XFER}", "exec_file"),
    Row("qRcmd,", f"(?P<command>(?:{HEX}{{2}}){{0,512}})", "monitor"),
    Row("qSymbol::", "", "symbols_done"),
    Row("vMustReplyEmpty", "", "empty"),
    # -- files: GDB reads the guest's ELF through these ---------------------------------
    Row("vFile:setfs:", f"(?P<pid>{HEX}{{1,8}})", "file_setfs"),
    Row("vFile:open:", f"(?P<name>(?:{HEX}{{2}}){{1,1024}}),(?P<flags>{HEX}{{1,8}}),"
                       f"(?P<mode>{HEX}{{1,8}})", "file_open"),
    Row("vFile:pread:", f"(?P<fd>{HEX}{{1,8}}),(?P<count>{HEX}{{1,8}}),(?P<offset>{HEX}{{1,16}})",
        "file_pread"),
    Row("vFile:fstat:", f"(?P<fd>{HEX}{{1,8}})", "file_fstat"),
    Row("vFile:close:", f"(?P<fd>{HEX}{{1,8}})", "file_close"),
)

_BY_LENGTH = sorted(TABLE, key=lambda r: -len(r.name))
_COMPILED = {r.name: re.compile(r.fields, re.DOTALL) for r in TABLE}


def lookup(body: str) -> tuple[Row | None, dict | None]:
    """The row for a packet and its fields (None if they do not match), or
    (None, None) for a packet no row names."""
    for row in _BY_LENGTH:
        name = row.name
        if not body.startswith(name):
            continue
        rest = body[len(name):]
        # a longer name of another packet ("qCRC" after "qC") is not this one
        if len(name) > 1 and name[-1] not in ":,;" and rest and rest[0] not in ":,;":
            continue
        match = _COMPILED[name].fullmatch(rest)
        return row, (match.groupdict() if match else None)
    return None, None
