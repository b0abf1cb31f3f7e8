"""How GDB sees MIPS32 (hal/debugger): tdesc/ holds the target description.

GDB numbers the general registers r0..r31 where Unicorn uses the o32 names,
and calls coprocessor 0's status register plain "status".  Unicorn keeps
each FPU register as 64 bits; o32 code (FR=0) sees the low 32 of each, which
is what the description gives GDB.  badvaddr and cause are not in Unicorn.
"""
from .backend import GPRS

REGISTERS = {**{f"r{i}": name for i, name in enumerate(GPRS)}, "status": "cp0_status",
             "badvaddr": None, "cause": None}

# GDB's MIPS watchpoints report before the access: GDB steps over it itself.
WATCH_BEFORE = True
