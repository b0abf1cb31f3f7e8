"""The Alpha-like 64-bit RISC on Unicorn's RISC-V 64 core: backend.py, start.S, trap.S, link.ld."""
