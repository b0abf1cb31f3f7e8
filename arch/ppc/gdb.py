"""How GDB sees PowerPC 32 (hal/debugger): tdesc/ holds the target description.

The backend already maps r0..r31 to Unicorn's numbered registers; only the
floating-point registers are named differently (f0 here, FPR0 in Unicorn).
"""
REGISTERS = {f"f{i}": f"fpr{i}" for i in range(32)}

# GDB's PowerPC watchpoints report before the access: GDB steps over it itself.
WATCH_BEFORE = True
