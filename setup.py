"""Package layout: hal/ and its subpackages, plus arch/ installed as hal.arch
and guests/ as hal.guests data.

setuptools cannot discover a renamed package tree on its own, so list the
arch/ and guests/ folders here: adding an ISA folder needs no edit to this file.
"""
from pathlib import Path

from setuptools import Extension, find_packages, setup

ROOT = Path(__file__).parent

# The native instruction counter (hal/core/native/counter.c), with the TLB fill
# callback (tlbfill.c, for hal/core/datatlb.py), is loaded with
# ctypes, not imported; optional=True lets installation go on without a C
# compiler, and hal/core/counting.py then falls back to the pure-Python counter.
COUNTER = Extension("hal.core._counter",
                    sources=["hal/core/native/counter.c", "hal/core/native/tlbfill.c"],
                    extra_compile_args=["-O2"], optional=True)


def data_packages(top: str, name: str) -> list[str]:
    """Every folder under `top` as a package of data.  setuptools treats each
    folder holding package data as a package and warns when one is not
    listed (target descriptions, exercise sheets, workloads ...), so list
    them all: a new data folder needs no edit here."""
    folders = [p for p in (ROOT / top).rglob("*") if p.is_dir() and p.name != "__pycache__"]
    return [name, *(".".join([name, *p.relative_to(ROOT / top).parts]) for p in sorted(folders))]


DATA = [*data_packages("arch", "hal.arch"), *data_packages("guests", "hal.guests"),
        "hal.core.native"]

setup(
    ext_modules=[COUNTER],
    packages=[*find_packages(include=["hal", "hal.*"]), *DATA],
    package_dir={"hal": "hal", "hal.arch": "arch", "hal.guests": "guests"},
    package_data={"hal": ["py.typed"],   # the API's type hints are for type checkers too (PEP 561)
                  **{package: ["*"] for package in DATA}},
)
