"""One ISA's Linux system-call ABI, as small data: arch/<isa>/linux.py makes one.

Like qiling's syscall ABIs and musl's arch/<isa>/syscall_arch.h, an ABI says
only where things are: the trap, which register holds the call number, the
arguments and the result, and how an error comes back.  The numbers, errno
values and signal numbers are not typed in here: they are read from the
Linux kernel's own headers that the `ziglang` package carries for every
target (include/<arch>-linux-any/asm/unistd*.h, errno.h, signal.h), the
same headers musl was built against.

A few calls need an ISA's own hand (set_thread_area: a GDT entry on i386,
the UserLocal register on MIPS); an ABI subclass overrides those methods.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ..core.isa import Backend, Trap
from ..errors import LoadError

_NR = re.compile(r"^#define\s+__NR_(\w+)\s+\(?\s*(?:__NR_Linux\s*\+\s*)?(\d+)\s*\)?", re.M)
_ERRNO = re.compile(r"^#define\s+(E[A-Z0-9]+)\s+(\w+)\s*(?:/\*\s*(.*?)\s*\*/)?", re.M)
_SIGNAL = re.compile(r"^#define\s+(SIG[A-Z0-9]+)\s+(\w+)", re.M)


@lru_cache(maxsize=None)
def kernel_headers() -> Path:
    """zig's copy of the kernel's user-space headers, for every target."""
    import ziglang
    return Path(ziglang.__file__).resolve().parent / "lib" / "libc" / "include"


@dataclass(frozen=True)
class LinuxAbi:
    isa: str                        # the backend it serves
    trap: Trap                      # the system-call instruction and Unicorn's interrupt for it
    number: str                     # register with the call number
    args: tuple[str, ...]           # argument registers, in order
    result: str                     # where the result goes
    numbers: str                    # header with the __NR_ names (under kernel_headers())
    errnos: tuple[str, ...]         # headers with the E* values, later ones winning
    signals: str                    # header with the SIG* numbers
    machine: str                    # what uname() says the machine is
    sigaction_size: int             # bytes of the kernel's struct sigaction
    sigaction_handler_at: int = 0   # where in it the handler is
    number_base: int = 0            # MIPS o32 numbers start at __NR_Linux = 4000
    stack_args: int | None = None   # arguments past the registers sit at sp + this (MIPS o32)
    # An error comes back as -errno in the result register, unless a flag
    # says so: (register, bit) set on error with a positive errno in the
    # result, clear on success; bit None means the whole register is 1 or 0.
    error_flag: tuple[str, int | None] | None = None
    hwcap: int = 0                  # AT_HWCAP: what the CPU has, as the C library asks
    platform: str = ""              # AT_PLATFORM
    map_anonymous: int = 0x20       # MAP_ANONYMOUS (asm/mman.h)
    ioctls: dict[int, str] = field(default_factory=dict)   # names, for traces
    # struct stat of the old stat calls where this ISA has them without a
    # 64-bit twin: (size, {field: (offset, bytes)}); None: only statx
    kstat: tuple[int, dict[str, tuple[int, int]]] | None = None

    # -- the kernel's tables, read once ------------------------------------------
    @cached_property
    def calls(self) -> dict[int, str]:
        """Call number -> name, for every call this ISA's kernel has."""
        text = (kernel_headers() / self.numbers).read_text()
        return {self.number_base + int(n): name for name, n in _NR.findall(text)}

    @cached_property
    def call_numbers(self) -> dict[str, int]:
        return {name: n for n, name in self.calls.items()}

    @cached_property
    def errno_table(self) -> dict[str, tuple[int, str]]:
        """E-name -> (number, what it means), aliases resolved."""
        found: dict[str, tuple[str, str]] = {}
        for header in self.errnos:
            for name, value, text in _ERRNO.findall((kernel_headers() / header).read_text()):
                found[name] = (value, text)
        return {name: _resolve(name, found) for name in found}

    @cached_property
    def errno_names(self) -> dict[int, str]:
        names: dict[int, str] = {}
        for name, (n, _) in self.errno_table.items():
            names.setdefault(n, name)
        return names

    @cached_property
    def signal_table(self) -> dict[str, int]:
        found = {name: (value, "") for name, value
                 in _SIGNAL.findall((kernel_headers() / self.signals).read_text())}
        out = {}
        for name in found:
            try:
                out[name] = _resolve(name, found)[0]
            except ValueError:
                pass                # SIG_DFL and friends are casts, not numbers
        return out

    def errno(self, name: str) -> int:
        return self.errno_table[name][0]

    def signal_name(self, number: int) -> str:
        return next((n for n, v in self.signal_table.items()
                     if v == number and n not in ("SIGIOT", "SIGPOLL", "SIGCLD", "SIGUNUSED")),
                    f"signal {number}")

    # -- a call's arguments and result -----------------------------------------------
    def arguments(self, uc, backend: Backend, count: int = 6) -> list[int]:
        """The call's first `count` arguments (registers, then the stack)."""
        values = [uc.reg_read(backend.reg(r)) for r in self.args[:count]]
        if len(values) < count and self.stack_args is not None:
            sp = uc.reg_read(backend.reg(backend.regs.sp))
            width = backend.word_bytes
            for i in range(count - len(values)):
                try:
                    raw = uc.mem_read(sp + self.stack_args + i * width, width)
                except Exception:   # an unmapped stack: the call sees garbage, as on Linux
                    raw = bytes(width)
                values.append(int.from_bytes(raw, backend.endian))
        return values + [0] * (count - len(values))

    def set_result(self, uc, backend: Backend, value: int) -> None:
        """Return `value` (negative: -errno) as this ISA's kernel does."""
        failed = -4096 < value < 0
        if self.error_flag is not None:
            register, bit = self.error_flag
            reg = backend.reg(register)
            if bit is None:
                uc.reg_write(reg, int(failed))
            else:
                old = uc.reg_read(reg)
                uc.reg_write(reg, (old | bit) if failed else (old & ~bit))
            if failed:
                value = -value
        uc.reg_write(backend.reg(self.result), value & backend.word_mask)

    # -- what an ISA does its own way ----------------------------------------------------
    def start(self, process) -> None:
        """Anything the ISA's processor needs before the program's first instruction."""

    def set_thread_area(self, process, argument: int) -> int:
        """The call that sets the thread pointer, on ISAs that have one."""
        return -self.errno("ENOSYS")


def _resolve(name: str, found: dict[str, tuple[str, str]]) -> tuple[int, str]:
    """A value that names another (#define EWOULDBLOCK EAGAIN), followed."""
    value, text = found[name]
    for _ in range(8):
        if value.isdigit():
            return int(value), text
        if value not in found:
            break
        value, text = found[value][0], text or found[value][1]
    raise ValueError(f"{name} is not a number")


def for_backend(backend: Backend) -> LinuxAbi:
    """The Linux ABI arch/<isa>/linux.py gives this backend."""
    name = f"hal.arch.{backend.name}.linux"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:
            raise
        raise LoadError(f"halemu has no Linux system-call ABI for {backend.name} "
                        f"(arch/{backend.name}/linux.py)") from None
    return module.ABI
