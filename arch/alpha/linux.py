"""RISC-V 64 Linux system calls on the Alpha-like core, through the same
`ecall` as HAL calls.

Number in a7 (the generic table every new Linux port shares), arguments in
a0..a5, the result in a0, an error as -errno.  Linux numbers start at 0,
as HAL numbers do, so a C library program's HAL calls carry a tag
(hal/core/services.py).  The thread pointer is tp, set by the C library.
"""
from hal.core.isa import Trap
from hal.personality.abi import LinuxAbi

HWCAP = sum(1 << (ord(c) - ord("A")) for c in "IMAFD")     # one bit per base extension letter

ABI = LinuxAbi(
    isa="alpha",
    trap=Trap(mnemonic="ecall", interrupt=8),
    number="a7", args=("a0", "a1", "a2", "a3", "a4", "a5"), result="a0",
    numbers="riscv-linux-any/asm/unistd_64.h",
    errnos=("any-linux-any/asm-generic/errno-base.h", "any-linux-any/asm-generic/errno.h"),
    signals="any-linux-any/asm-generic/signal.h",
    machine="riscv64",
    hwcap=HWCAP,
    sigaction_size=24,          # handler, flags, mask
    ioctls={0x5401: "TCGETS", 0x5413: "TIOCGWINSZ"},
    # asm-generic struct stat, for fstat and newfstatat (64-bit ISAs have no statx-only C library)
    kstat=(128, {"dev": (0, 8), "ino": (8, 8), "mode": (16, 4), "nlink": (20, 4), "uid": (24, 4),
                 "gid": (28, 4), "rdev": (32, 8), "size": (48, 8), "blksize": (56, 4),
                 "blocks": (64, 8)}),
)
