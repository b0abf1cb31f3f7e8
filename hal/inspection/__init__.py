"""Looking inside guests, for comparing ISAs: `hal compare` (sizes, exact
counts, the dynamic instruction mix), `hal disasm`, `hal trace`, and what the
ELF's symbols and DWARF say (symbols.py).

May import: hal.core, hal.safety, hal.errors, hal.paths.  Results are plain
data; drawing them belongs to hal.render.
"""
