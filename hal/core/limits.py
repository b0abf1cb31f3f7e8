"""The largest numbers halemu accepts, checked wherever a number comes in
(command line, workload files, snapshots, the Python API), so that none can
wrap in the native counter's 64-bit arithmetic.

A count or a tick stays below 2^62: the counter adds a slice budget to a
count, and the sum must still fit in 64 bits.  At a few hundred million
instructions a second that is some 300 years of guest time.
"""
from __future__ import annotations

import math

MAX_COUNT = 1 << 62            # instructions, ticks, bytes of output
MAX_CORES = 256                # emulated cores in a schedule
MAX_CHANNEL_CAPACITY = 1 << 20  # values one channel may hold
MIN_FRACTION = 0.001           # the smallest reservation or limit: 0.1% of a core
MAX_WEIGHT = 1_000_000         # shares, as ESX allows them


def count_ok(value, least: int = 0) -> bool:
    """An integer (not a bool) from `least` to MAX_COUNT."""
    return isinstance(value, int) and not isinstance(value, bool) and least <= value <= MAX_COUNT


def fraction_ok(value) -> bool:
    """A finite fraction of one core, MIN_FRACTION to 1."""
    return _real(value) and MIN_FRACTION <= value <= 1


def weight_ok(value) -> bool:
    """Finite shares, MIN_FRACTION to MAX_WEIGHT."""
    return _real(value) and MIN_FRACTION <= value <= MAX_WEIGHT


def _real(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
