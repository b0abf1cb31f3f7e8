"""Package layout: hal/ and its subpackages, plus arch/ installed as hal.arch
and guests/ as hal.guests data.

setuptools cannot discover a renamed package tree on its own, so list the
arch/<isa> folders here: adding an ISA folder needs no edit to this file.
"""
from pathlib import Path

from setuptools import Extension, find_packages, setup

ROOT = Path(__file__).parent
ISAS = sorted(p.name for p in (ROOT / "arch").iterdir() if (p / "backend.py").is_file())

# The native instruction counter (hal/core/native/counter.c) is loaded with
# ctypes, not imported; optional=True lets installation go on without a C
# compiler, and hal/core/counting.py then falls back to the pure-Python counter.
COUNTER = Extension("hal.core._counter", sources=["hal/core/native/counter.c"],
                    extra_compile_args=["-O2"], optional=True)

setup(
    ext_modules=[COUNTER],
    packages=[*find_packages(include=["hal", "hal.*"]), "hal.arch",
              *[f"hal.arch.{isa}" for isa in ISAS], "hal.guests"],
    package_dir={"hal": "hal", "hal.arch": "arch", "hal.guests": "guests"},
    package_data={
        "hal": ["py.typed"],            # the API's type hints are for type checkers too (PEP 561)
        "hal.core": ["native/*.c"],
        **{f"hal.arch.{isa}": ["*.S", "*.ld", "*.h", "*.c", "tdesc/*.xml"] for isa in ISAS},
        "hal.guests": ["*.c", "include/*.h", "lib/*.c", "lib/*.ld", "libc/*.c",
                       "expected/*.out", "expected/*.in", "workloads/*.toml"],
    },
)
