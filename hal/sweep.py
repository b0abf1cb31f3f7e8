"""Where instructions start in a run of code pages, found once, before the
guest runs, by a linear sweep with capstone.

The native counter must know how many instructions a block holds the first
time the block runs.  On ISAs whose instructions vary in width that used to
mean decoding the block then, in the middle of the run, with capstone's
tables long gone from the CPU's caches: about 1% of fib(27) on x86, for only
29 blocks.  With these tables a new block costs two subtractions, whenever it
starts and ends on instruction boundaries of the sweep with no undecodable
byte between; any other block is decoded as before.  So the sweep never
changes a count, only when the work is done.
"""
from __future__ import annotations

from array import array
from itertools import accumulate

from .decoders import decoder

_CHUNK = 4096          # bytes handed to capstone at a time
_LONGEST = 16          # no instruction is longer (x86: 15 bytes)
_tables: dict[tuple[str, int, bytes], tuple[array, array]] = {}
_TABLES_MAX = 64


def prefix_tables(backend, start: int, code: bytes) -> tuple[array, array]:
    """(starts, bad): starts[i] is how many instructions of the sweep begin in
    code[:i], bad[i] how many bytes in code[:i] capstone could not decode (the
    sweep steps over each); both have len(code) + 1 entries.  Cached: every
    machine of one program shares them."""
    key = (backend.name, start, code)
    tables = _tables.get(key)
    if tables is None:
        if len(_tables) >= _TABLES_MAX:
            _tables.clear()
        tables = _tables[key] = _sweep(backend, start, code)
    return tables


def _sweep(backend, start: int, code: bytes) -> tuple[array, array]:
    md = decoder(backend)
    is_start = bytearray(len(code))
    bad = bytearray(len(code))
    offset = 0
    while offset < len(code):
        end = min(offset + _CHUNK, len(code))
        # instructions that end near the chunk's end are decoded again in the
        # next chunk, in case capstone saw only part of the one after them
        safe = end if end == len(code) else end - _LONGEST
        resume = offset
        for address, size, _, _ in md.disasm_lite(code[offset:end], start + offset):
            at = address - start
            if at >= safe:
                break
            is_start[at] = 1
            resume = at + size
        if resume == offset:                    # nothing decodes here: step over one byte
            bad[offset] = 1
            resume = offset + 1
        elif resume < safe:                     # capstone stopped at an undecodable byte
            bad[resume] = 1
            resume += 1
        offset = resume
    return array("I", accumulate(is_start, initial=0)), array("I", accumulate(bad, initial=0))
