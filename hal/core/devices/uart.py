"""A UART: the part of a 16550 serial port a guest needs to print and read.

Registers are one byte wide, at COM1's port 0x3F8 as on a PC:

    +0  DATA  read: RBR, the received byte;  write: THR, the byte to send
    +5  LSR   line status, read-only:
                bit 0  DR    data ready: a received byte waits in RBR
                bit 4  BI    break: here, the input has ended (no byte will come)
                bit 5  THRE  transmit holding register empty: ready for a byte
                bit 6  TEMT  transmitter empty
    +7  SCR   scratch: a byte that keeps what was written (real 16550s have it too)

Output is instantaneous, so THRE and TEMT are always set.  Input comes
from the machine's console, the same source hal_read uses.  When no byte
waits, reading LSR (or RBR) fetches the next one, waiting for the host if
it must; virtual time does not pass meanwhile, so runs stay repeatable.
At the end of input LSR shows BI instead of DR, and RBR reads 0: a guest
polling for input sees the break and stops, instead of spinning forever.
"""
from __future__ import annotations

from ..console import Console

COM1 = 0x3F8

DATA, LSR, SCR = 0, 5, 7
LSR_DR, LSR_BI, LSR_THRE, LSR_TEMT = 0x01, 0x10, 0x20, 0x40


class Uart:
    name = "UART"
    port = COM1
    width = 1
    registers = {DATA: "DATA", LSR: "LSR", SCR: "SCR"}
    read_only = frozenset({LSR})
    state = ("_rbr", "_ended", "_scratch")

    def __init__(self, console: Console):
        self.console = console
        self._rbr: int | None = None     # the received byte waiting, if any
        self._ended = False
        self._scratch = 0

    def _receive(self) -> None:
        if self._rbr is None and not self._ended:
            byte = self.console.read(1)
            if byte:
                self._rbr = byte[0]
            else:
                self._ended = True

    def read(self, offset: int, size: int) -> int:
        if offset == LSR:
            self._receive()
            if self._rbr is not None:
                return LSR_THRE | LSR_TEMT | LSR_DR
            return LSR_THRE | LSR_TEMT | LSR_BI
        if offset == DATA:
            self._receive()
            byte, self._rbr = self._rbr, None
            return byte or 0
        return self._scratch

    def write(self, offset: int, size: int, value: int) -> None:
        if offset == DATA:
            self.console.write(bytes([value]))
        else:
            self._scratch = value

    def describe(self):
        return [(DATA, "DATA", "read: the received byte (RBR); write: send a byte (THR)"),
                (LSR, "LSR", "line status: DR 0x01 byte waiting, BI 0x10 input ended, "
                             "THRE 0x20 / TEMT 0x40 ready to send"),
                (SCR, "SCR", "scratch byte")]
