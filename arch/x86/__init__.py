"""x86 (i386, 32-bit flat): backend.py, start.S, trap.S, link.ld."""
