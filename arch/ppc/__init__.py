"""PowerPC 32-bit big-endian: backend.py, start.S, trap.S, link.ld."""
