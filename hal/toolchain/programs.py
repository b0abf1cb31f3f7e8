"""What a user names on the command line, made into loaded images: a bundled
guest's name, a C source, or an ELF path."""
from __future__ import annotations

from pathlib import Path

from ..core import loader, registry
from ..core.loader import Image
from ..core.memmap import MemoryMap
from ..errors import HalError
from . import build, guests


def resolve(guest: str, isa: str | None, defines: tuple[str, ...] = (),
            memory: MemoryMap = MemoryMap()) -> list[Image]:
    """A bundled guest's name, a C source or an ELF path -> loaded images, one per
    ISA asked for.  isa is a backend name, "all", or None (ELF: its own ISA;
    bundled guest or source: all).  defines pick a build variant (build.py);
    the images are checked against `memory`, the machine they will run in."""
    path = Path(guest)
    if path.suffix == ".c":
        source = path
    elif path.suffix == ".elf" or path.is_file() or "/" in guest:
        if defines:
            raise HalError(f"{path} is already built: a build variant "
                           f"({', '.join(defines)}) needs its C source or a bundled guest")
        image = loader.load(path, memory)
        if isa not in (None, "all", image.backend.name):
            raise HalError(f"{path} is a {image.backend.name} ELF file, not {isa}")
        return [image]
    else:
        source = guests.source(guest)
    backends = registry.backends() if isa in (None, "all") else [registry.get(isa)]
    return [loader.load(elf, memory) for elf in build.build_all(source, backends, defines)]
