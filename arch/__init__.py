"""One folder per ISA, as in Linux's arch/: its Python backend and its guest side.

Installed as hal.arch (see setup.py), so `arch` never shadows the PyPI package
of that name.
"""
