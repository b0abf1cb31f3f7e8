"""`hal devices`: where each device register lives on each ISA."""
from __future__ import annotations

import click


@click.command()
def devices():
    """Show the devices behind the HAL (UART, timer) and where each ISA finds them.

    The registers are the same everywhere; x86 reaches them as I/O ports with
    in/out, the other ISAs as memory at an address their backend chooses."""
    from rich.text import Text

    from ..core import platform, registry
    from ..core.console import Console as GuestConsole
    from ..render.tables import Column, print_table
    from .common import console

    backends = registry.backends()
    rows = []
    for d in platform.make_devices(lambda: 0, GuestConsole()):
        for i, (offset, reg, what) in enumerate(d.describe()):
            port = d.port + offset
            rows.append([d.name if i == 0 else "", reg, str(d.width * 8),
                         *(platform.where(b, port) for b in backends), what])
    con = console()
    print_table(con, "Devices behind the HAL (guests/include/hal_devices.h)",
                [Column(c, "left") for c in ("device", "register", "bits",
                                             *(b.name for b in backends), "what it does")],
                rows, keep=2)
    for b in backends:
        con.print(Text.assemble((b.name, "bold"), f": {platform.how(b)}"))
    con.print("A wrong access (no device at that port, a register that is not there, the wrong "
              "width, a write to a read-only register) faults the guest; a jump into the "
              "device window faults too.")

