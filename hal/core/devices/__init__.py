"""The devices behind the HAL, each described once, the same for every ISA.

A device answers a small range of I/O ports.  How a guest reaches those
ports is the backend's business (hal/core/platform.py wires it up): x86 has its
own port space and in/out instructions; the other ISAs see the same ports
memory-mapped, port p at the backend's io_base + p.  Either way the device
sees the same calls, shaped like Unicorn's MMIO callbacks.
"""
from __future__ import annotations

from typing import Protocol


class DeviceError(Exception):
    """A guest used a device wrongly (hal/core/platform.py checks): the guest's fault."""


class Device(Protocol):
    name: str                      # for humans: "UART (16550 subset)"
    port: int                      # the first port it answers
    width: int                     # bytes per register; any other access width faults
    registers: dict[int, str]      # offset from port -> register name
    read_only: frozenset[int]      # offsets of registers a write to faults
    state: tuple[str, ...]         # attributes that hold its state (saved in snapshots)

    # The platform has checked offset, size (always width) and read_only first.
    def read(self, offset: int, size: int) -> int:
        """The value of the register at offset."""

    def write(self, offset: int, size: int, value: int) -> None:
        """Store value into the register at offset."""

    def describe(self) -> list[tuple[int, str, str]]:
        """(offset, register, what it does) rows for `hal devices`."""
