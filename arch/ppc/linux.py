"""PowerPC 32 Linux system calls, through the same `sc` as HAL calls.

Number in r0, arguments in r3..r8; the result in r3, and the summary-overflow
bit of condition field 0 (CR0.SO) says whether it is an error, with a
positive errno in r3.  Linux numbers start at 0 here, as HAL numbers do, so
a C library program's HAL calls carry a tag (hal/core/services.py).

The thread pointer is r2, which the C library sets itself: no call needed.
"""
from hal.core.isa import Trap
from hal.personality.abi import LinuxAbi

CR0_SO = 0x1000_0000
PPC_FEATURE_32, PPC_FEATURE_HAS_FPU, PPC_FEATURE_HAS_MMU = 0x8000_0000, 0x0800_0000, 0x0400_0000

ABI = LinuxAbi(
    isa="ppc",
    trap=Trap(mnemonic="sc", interrupt=8),
    number="r0", args=("r3", "r4", "r5", "r6", "r7", "r8"), result="r3",
    error_flag=("cr", CR0_SO),
    numbers="powerpc-linux-any/asm/unistd_32.h",
    errnos=("any-linux-any/asm-generic/errno-base.h", "any-linux-any/asm-generic/errno.h",
            "powerpc-linux-any/asm/errno.h"),
    signals="powerpc-linux-any/asm/signal.h",
    machine="ppc", platform="ppc",
    hwcap=PPC_FEATURE_32 | PPC_FEATURE_HAS_FPU | PPC_FEATURE_HAS_MMU,
    sigaction_size=20,          # handler, flags, restorer, mask[2]
    ioctls={0x402C7413: "TCGETS", 0x40087468: "TIOCGWINSZ"},
)
