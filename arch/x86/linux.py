"""i386 Linux system calls, as the kernel's 32-bit int 0x80 entry takes them.

Number in eax, arguments in ebx, ecx, edx, esi, edi, ebp; the result in eax,
an error as -errno.  The HAL keeps its own vector, int 0x2e, so the two
traps never meet.

The thread pointer is %gs.  The C library asks set_thread_area for a GDT
entry (a user_desc: base, limit, flags) and loads %gs with it, so the
process gets a GDT: flat code and data for the processor's own segment
registers (%ds, %es and %ss are loaded from it, as a kernel does), and
three TLS entries the program may fill, with DPL 3 as Linux gives them.
"""
import unicorn.x86_const as k

from hal.core.isa import Trap
from hal.personality.abi import LinuxAbi

GDT_ADDRESS = 0x7FFE_0000       # above the stack (hal/personality/space.py)
GDT_ENTRIES = 9
TLS_FIRST, TLS_LAST = 6, 8      # GDT_ENTRY_TLS_MIN..MAX on i386
CODE, DATA = 1, 2               # our flat segments, ring 0 like Unicorn's own start
ACCESS_CODE, ACCESS_DATA = 0x9B, 0x93       # present, ring 0, code r/x or data r/w, accessed
FLAGS_4G_32BIT = 0xC                        # 4 KiB granularity, 32-bit


def descriptor(base: int, limit: int, access: int, flags: int) -> bytes:
    """One 8-byte segment descriptor, in the processor's scattered layout."""
    d = ((limit & 0xFFFF) | (base & 0xFFFFFF) << 16 | access << 40
         | ((limit >> 16) & 0xF) << 48 | flags << 52 | ((base >> 24) & 0xFF) << 56)
    return d.to_bytes(8, "little")


class I386(LinuxAbi):
    def start(self, process):
        uc = process.uc
        process.space.reserve(GDT_ADDRESS, GDT_ENTRIES * 8)
        table = bytearray(GDT_ENTRIES * 8)
        table[CODE * 8:CODE * 8 + 8] = descriptor(0, 0xFFFFF, ACCESS_CODE, FLAGS_4G_32BIT)
        table[DATA * 8:DATA * 8 + 8] = descriptor(0, 0xFFFFF, ACCESS_DATA, FLAGS_4G_32BIT)
        uc.mem_write(GDT_ADDRESS, bytes(table))
        uc.reg_write(k.UC_X86_REG_GDTR, (0, GDT_ADDRESS, GDT_ENTRIES * 8 - 1, 0))
        for reg in (k.UC_X86_REG_DS, k.UC_X86_REG_ES, k.UC_X86_REG_SS):
            uc.reg_write(reg, DATA * 8)

    def set_thread_area(self, process, address):
        """struct user_desc {entry_number, base_addr, limit, flags}; entry -1 picks one."""
        raw = process.read(address, 16)
        if raw is None:
            return process.error("EFAULT")
        entry, base, limit, flags = (int.from_bytes(raw[i:i + 4], "little") for i in (0, 4, 8, 12))
        if entry == 0xFFFF_FFFF:
            entry = TLS_FIRST
            process.write(address, entry.to_bytes(4, "little"))
        if not TLS_FIRST <= entry <= TLS_LAST:
            return process.error("EINVAL")
        present = not flags & 0x20                        # seg_not_present
        writable = not flags & 0x08                       # read_exec_only
        access = (0x80 if present else 0) | 0x60 | 0x10 | (0x3 if writable else 0x1)  # DPL 3 data
        granularity = (0x8 if flags & 0x10 else 0) | (0x4 if flags & 0x01 else 0)
        process.uc.mem_write(GDT_ADDRESS + entry * 8, descriptor(base, limit, access, granularity))
        return 0


ABI = I386(
    isa="x86",
    trap=Trap(mnemonic="int 0x80", interrupt=0x80),
    number="eax", args=("ebx", "ecx", "edx", "esi", "edi", "ebp"), result="eax",
    numbers="x86-linux-any/asm/unistd_32.h",
    errnos=("any-linux-any/asm-generic/errno-base.h", "any-linux-any/asm-generic/errno.h"),
    signals="x86-linux-any/asm/signal.h",
    machine="i686", platform="i686",
    sigaction_size=20,          # handler, flags, restorer, mask[2]
    ioctls={0x5401: "TCGETS", 0x5413: "TIOCGWINSZ"},
)
