"""How GDB sees the Alpha-like core (hal/debugger): it is RISC-V 64, so the
target description in tdesc/ is RV64's, and GDB debugs it as riscv:rv64.

The integer registers have the same ABI names in GDB and Unicorn.  Unicorn
calls x8 s0, GDB fp; the FPU registers go by their ABI names in both.
"""
REGISTERS = {"fp": "s0"}

# GDB's RISC-V watchpoints report before the access: GDB steps over it itself.
WATCH_BEFORE = True


def hidden(name: str, read) -> bool:
    """Unicorn reads the FP control registers as CSRs, which fail (and hand
    back garbage) while mstatus.FS says the FPU is off: then GDB is told
    they are unavailable rather than shown noise."""
    return name in ("fflags", "frm", "fcsr") and not (read("mstatus") >> 13) & 3
