"""The platform: the devices every machine has, and how its ISA reaches them.

The devices (hal/core/devices/) are the same everywhere; only the wiring differs,
and the backend says which, in two plain fields:

  io_insns  the ISA has a port space of its own (x86's in/out): Unicorn
            calls us back for every in and out instruction (UC_HOOK_INSN)
  io_base   otherwise the ports are memory-mapped, port p at io_base + p,
            one page of them (Unicorn mmio_map; see hal/core/memmap.py)

An access is just an instruction: it retires like any other, and nothing
stops.  A wrong one (no device at that port, a register that is not there,
the wrong width, a write to a read-only register) faults the guest with a
report naming the port and, if memory-mapped, the address.
"""
from __future__ import annotations

from .console import ConsoleFull
from .devices import Device, DeviceError
from .devices.timer import Timer
from .devices.uart import Uart
from .memmap import IO_WINDOW


def make_devices(clock, console) -> list[Device]:
    """The devices of one machine, in port order: its clock, its console."""
    return [Timer(clock), Uart(console)]


class Platform:
    def __init__(self, machine):
        self.machine = machine
        self.devices = make_devices(lambda: machine.clock(), machine.console)
        self.accesses = 0                # device register reads and writes so far
        self._dead = False               # faulted: the rest of the block touches nothing

    def reset(self) -> None:
        """Forget a device fault: a debugger took the machine back to before it."""
        self._dead = False

    # -- the bus: port -> device, with every check on the way ---------------------
    def _find(self, port: int, size: int, verb: str) -> tuple[Device, int]:
        """The device and register offset for an access, or a DeviceError whose
        words end with the port (a fault report adds the address after them)."""
        for d in self.devices:
            offset = port - d.port
            if 0 <= offset < max(d.registers) + d.width:
                break
        else:
            to = "to" if verb == "write" else "from"
            raise DeviceError(f"{verb} {to} unmapped port {port:#x}")
        if offset not in d.registers:
            raise DeviceError(f"{verb} of a register the {d.name} does not have "
                              f"(it has {', '.join(d.registers.values())}), port {port:#x}")
        name = d.registers[offset]
        if size != d.width:
            raise DeviceError(f"{size * 8}-bit {verb} of the {d.name}'s {d.width * 8}-bit "
                              f"{name} register, port {port:#x}")
        if verb == "write" and offset in d.read_only:
            raise DeviceError(f"write to the {d.name}'s read-only {name} register, port {port:#x}")
        return d, offset

    def read(self, port: int, size: int) -> int:
        d, offset = self._find(port, size, "read")
        self.accesses += 1
        return d.read(offset, size) & ((1 << (8 * size)) - 1)

    def write(self, port: int, size: int, value: int) -> None:
        d, offset = self._find(port, size, "write")
        self.accesses += 1
        d.write(offset, size, value & ((1 << (8 * size)) - 1))

    # -- wiring to the Unicorn core ------------------------------------------------
    def wire(self, uc, backend) -> None:
        if backend.io_insns is not None:
            from unicorn import UC_HOOK_INSN
            insn_in, insn_out = backend.io_insns
            uc.hook_add(UC_HOOK_INSN, self._on_in, None, 1, 0, insn_in)
            uc.hook_add(UC_HOOK_INSN, self._on_out, None, 1, 0, insn_out)
        elif backend.io_base is not None:
            uc.mmio_map(backend.io_base, IO_WINDOW, self._on_mmio_read, None,
                        self._on_mmio_write, None)

    def _on_in(self, uc, port, size, _data):
        return self._guarded(lambda: self.read(port, size), None)

    def _on_out(self, uc, port, size, value, _data):
        self._guarded(lambda: self.write(port, size, value), None)

    def _on_mmio_read(self, uc, offset, size, _data):
        return self._guarded(lambda: self.read(offset, size), offset)

    def _on_mmio_write(self, uc, offset, size, value, _data):
        self._guarded(lambda: self.write(offset, size, value), offset)

    def _guarded(self, access, offset: int | None) -> int:
        """Do one access; a mistake faults the guest (and never raises into Unicorn).

        Inside port hooks Unicorn knows the PC of the in/out, but finishes
        the block before it stops; inside MMIO callbacks it knows the PC only
        once stopped (and stops at once).  So port faults pass the PC along."""
        if self._dead:
            return 0
        try:
            return access() or 0
        except (DeviceError, ConsoleFull) as e:
            self._dead = True
            m = self.machine
            if offset is None:
                m.device_fault(str(e), pc=m.pc)
            else:
                m.device_fault(str(e), address=m.backend.io_base + offset)
            return 0
        except BaseException as e:      # Ctrl-C while waiting for input, or a bug of ours:
            self.machine.stop_with(e)   # raised by run(), not lost inside a ctypes callback
            return 0


def attach(machine) -> Platform:
    """Give a new machine its devices, wired the way its ISA reaches them."""
    platform = Platform(machine)
    platform.wire(machine.uc, machine.backend)
    return platform


def where(backend, port: int) -> str:
    """Where a guest on this backend finds a port: a port number or an address."""
    if backend.io_insns is not None:
        return f"port {port:#x}"
    if backend.io_base is not None:
        return f"{backend.io_base + port:#010x}"
    return "-"


def how(backend) -> str:
    """How a guest on this backend reaches its devices, in words."""
    if backend.io_insns is not None:
        return "port I/O: in/out instructions, a separate 64 KiB port space"
    if backend.io_base is not None:
        return (f"memory-mapped I/O: port p at {backend.io_base:#010x} + p, "
                "with ordinary loads and stores")
    return "no devices"
