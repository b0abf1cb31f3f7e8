"""Shared capstone instances, one per ISA and setting.

Making a capstone instance costs about 0.2 ms, more than decoding a basic
block (about 4 us); every machine, report and fault reuses these instead.
"""
from __future__ import annotations

_decoders: dict[tuple[str, bool, bool], object] = {}


def decoder(backend, *, detail: bool = False, skipdata: bool = False):
    """capstone.Cs for this backend; `skipdata` steps over bytes it cannot
    decode (padding) instead of stopping there.  Do not change its settings."""
    key = (backend.name, detail, skipdata)
    md = _decoders.get(key)
    if md is None:
        import capstone
        md = capstone.Cs(backend.cs_arch, backend.cs_mode)
        md.detail = detail
        md.skipdata = skipdata
        _decoders[key] = md
    return md
