"""Package layout: arch/ installs as hal.arch, guests/ as hal.guests data.

setuptools cannot discover a renamed package tree on its own, so list the
arch/<isa> folders here: adding an ISA folder needs no edit to this file.
"""
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
ISAS = sorted(p.name for p in (ROOT / "arch").iterdir() if (p / "backend.py").is_file())

setup(
    packages=["hal", "hal.arch", *[f"hal.arch.{isa}" for isa in ISAS], "hal.guests"],
    package_dir={"hal": "hal", "hal.arch": "arch", "hal.guests": "guests"},
    package_data={
        **{f"hal.arch.{isa}": ["*.S", "*.ld"] for isa in ISAS},
        "hal.guests": ["*.c", "include/*.h", "lib/*.c", "lib/*.ld", "expected/*.out",
                       "workloads/*.toml"],
    },
)
