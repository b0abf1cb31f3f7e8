"""How GDB sees the i386 (hal/debugger): tdesc/ holds the target description.

GDB names the x87 registers as the FPU's own manual does; Unicorn names
them after its fields.  And GDB's st0..st7 are the register *stack*, top
first, while Unicorn's fp0..fp7 are the eight physical registers: stN is
fp((TOP + N) mod 8), TOP being bits 11-13 of the status word.
"""

# GDB name -> Unicorn name (by the backend's rule), where they differ
REGISTERS = {"fctrl": "fpcw", "fstat": "fpsw", "ftag": "fptag", "fiseg": "fcs",
             "fioff": "fip", "foseg": "fds", "fooff": "fdp", "fop": "fop"}

# GDB's i386 watchpoints report after the access (the debug registers trap
# after the instruction); it evaluates the expression at once.
WATCH_BEFORE = False


def stack_register(name: str, read) -> str | None:
    """The Unicorn name behind an x87 stack register (st0..st7), given a
    function that reads a register by Unicorn name; None for the others."""
    if name.startswith("st") and name[2:].isdigit():
        top = (read("fpsw") >> 11) & 7
        return f"fp{(top + int(name[2:])) & 7}"
    return None
