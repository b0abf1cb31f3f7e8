"""MIPS o32 Linux system calls, through the same `syscall` as HAL calls.

Numbers start at 4000 (__NR_Linux), in $v0; arguments in $a0..$a3, the fifth
and sixth on the caller's stack at 16($sp) and 20($sp), past the argument
save area every o32 caller leaves.  The result comes back in $v0 and $a3
says whether it is an error: 0, or 1 with a positive errno in $v0.  HAL
numbers are small and tagged in a C library program, so they never meet.

The thread pointer is the UserLocal register of coprocessor 0, which user
code reads with `rdhwr $3, $29`; set_thread_area writes it.
"""
import unicorn.mips_const as k

from hal.core.isa import Trap
from hal.personality.abi import LinuxAbi


class MipsO32(LinuxAbi):
    def set_thread_area(self, process, address):
        process.uc.reg_write(k.UC_MIPS_REG_CP0_USERLOCAL, address)
        return 0


ABI = MipsO32(
    isa="mips",
    trap=Trap(mnemonic="syscall", interrupt=17),
    number="v0", args=("a0", "a1", "a2", "a3"), result="v0", stack_args=16,
    error_flag=("a3", None),
    numbers="mips-linux-any/asm/unistd_o32.h", number_base=4000,
    errnos=("any-linux-any/asm-generic/errno-base.h", "mips-linux-any/asm/errno.h"),
    signals="mips-linux-any/asm/signal.h",
    machine="mips",
    sigaction_size=24,          # flags, handler, mask[4]
    sigaction_handler_at=4,
    map_anonymous=0x800,        # MIPS numbers its mmap flags its own way
    ioctls={0x540D: "TCGETS", 0x40087468: "TIOCGWINSZ"},
)
