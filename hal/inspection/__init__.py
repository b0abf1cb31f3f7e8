"""Looking inside guests, for comparing ISAs: `hal compare` (sizes, exact
counts, the dynamic instruction mix, your code apart from the rest), `hal
profile` (exact counts per function), `hal disasm` (listings, calling
conventions, builds side by side), `hal trace`, and what the ELF's symbols
and DWARF say (symbols.py, dwarf.py, origins.py).

May import: hal.core, hal.safety, hal.toolchain (how a guest was built),
hal.errors, hal.paths.  Results are plain data; drawing them belongs to
hal.render.
"""
