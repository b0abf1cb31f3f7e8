"""`hal devices`: where each device register lives on each ISA."""
from __future__ import annotations

import click


@click.command()
def devices():
    """Show the devices behind the HAL (UART, timer) and where each ISA finds them.

    The registers are the same everywhere; x86 reaches them as I/O ports with
    in/out, the other ISAs as memory at an address their backend chooses."""
    from rich.text import Text

    from ..api.machines import devices as describe
    from ..api.machines import isas
    from ..render.tables import Column, print_table
    from .common import console

    names = [b.name for b in isas()]
    found = describe()
    rows, last = [], None
    for r in found.registers:
        rows.append([r.device if r.device != last else "", r.register, str(r.bits),
                     *(r.where[n] for n in names), r.what])
        last = r.device
    con = console()
    print_table(con, "Devices behind the HAL (guests/include/hal_devices.h)",
                [Column(c, "left") for c in ("device", "register", "bits", *names,
                                             "what it does")], rows, keep=2)
    for n in names:
        con.print(Text.assemble((n, "bold"), f": {found.how[n]}"))
    con.print("A wrong access (no device at that port, a register that is not there, the wrong "
              "width, a write to a read-only register) faults the guest; a jump into the "
              "device window faults too.")

