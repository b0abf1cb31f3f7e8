"""The HAL proper: the one portable layer every guest runs on.

The backend interface (isa.py) and its registry, the service table, the
memory map, the ELF loader, one guest machine (a Unicorn CPU, its memory, the
HAL services it traps into, exact instruction counting), the platform and its
devices, and the driver that runs one lone guest to its end (runner.py).

May import: hal.errors, hal.paths, unicorn, capstone, pyelftools.  Nothing
else of halemu: every other subsystem is built on this one.  Nothing here
names an ISA; each ISA lives in arch/<isa>/ and registers itself.
"""
