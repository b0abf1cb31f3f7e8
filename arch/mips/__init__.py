"""MIPS32 little-endian: backend.py, start.S, trap.S, link.ld."""
