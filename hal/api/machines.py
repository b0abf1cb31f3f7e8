"""What the machines are: `hal.isas` (the backends, as `hal isas` lists
them) and `hal.devices` (each device register and where each ISA finds it,
as `hal devices` shows).

    >>> [b.name for b in hal.isas()], hal.isas()[1].trap.mnemonic
    >>> hal.devices().where("UART", "DATA", "mips")        # '0x180003f8'
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.isa import Backend
from ..errors import HalError

__all__ = ["Devices", "DeviceRegister", "devices", "isas"]


def isas() -> list[Backend]:
    """Every ISA backend, in `hal isas` order: plain data (name, bits, endian,
    trap, registers, io_base, ...), one line each when printed."""
    from ..core import registry
    return registry.backends()


@dataclass(frozen=True)
class DeviceRegister:
    device: str
    register: str
    port: int
    bits: int
    what: str
    where: dict[str, str]           # ISA -> "port 0x3f8" or "0x180003f8"


@dataclass(frozen=True, repr=False)
class Devices:
    """The registers of every device, and for each ISA how it reaches them."""
    registers: tuple[DeviceRegister, ...]
    how: dict[str, str]             # ISA -> port I/O or memory-mapped, in words

    def where(self, device: str, register: str, isa: str) -> str:
        """Where an ISA finds one register: 'port 0x3f8' or an address '0x180003f8'."""
        for r in self.registers:
            if r.device.lower() == device.lower() and r.register.lower() == register.lower():
                return r.where[isa.lower()]
        raise HalError(f"no register {register} on a device {device} "
                       f"(there are: {', '.join(f'{r.device} {r.register}' for r in self.registers)})")

    def __repr__(self) -> str:
        return f"<Devices: {', '.join(dict.fromkeys(r.device for r in self.registers))}>"


def devices() -> Devices:
    """Each device register, its port, and where each ISA finds it."""
    from ..core import platform, registry
    from ..core.console import Console
    backends = registry.backends()
    rows = []
    for d in platform.make_devices(lambda: 0, Console()):
        for offset, reg, what in d.describe():
            port = d.port + offset
            rows.append(DeviceRegister(d.name, reg, port, d.width * 8, what,
                                       {b.name: platform.where(b, port) for b in backends}))
    return Devices(tuple(rows), {b.name: platform.how(b) for b in backends})
