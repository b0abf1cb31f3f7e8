"""What a user names on the command line, made into loaded images: a bundled
guest's name, C and assembly sources (one or several), or an ELF path."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence, Union

from ..core import loader, registry
from ..core.loader import Image
from ..core.memmap import MemoryMap
from ..errors import HalError, LoadError
from . import build, guests
from .options import DEFAULT, BuildOptions

Guest = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]


def sources(guest: Guest) -> list[Path] | None:
    """The source files `guest` names (a bundled guest's name stands for its
    source), or None if it names an ELF file."""
    items = [guest] if isinstance(guest, (str, os.PathLike)) else list(guest)
    if len(items) == 1:
        text = os.fspath(items[0])
        path = Path(text)
        if path.suffix in build.SUFFIXES:
            return [path]
        if path.suffix == ".elf" or path.is_file() or os.sep in text or "/" in text:
            return None
        return [guests.source(text)]
    paths = [Path(i) for i in items]
    odd = [str(p) for p in paths if p.suffix not in build.SUFFIXES]
    if odd:
        raise HalError(f"{odd[0]}: several files are built together only if each is a C or "
                       f"assembly source (.c, .S); run an ELF file on its own")
    return paths


def resolve(guest: Guest, isa: str | None, defines: tuple[str, ...] = (),
            memory: MemoryMap | None = None, options: BuildOptions = DEFAULT,
            args: tuple[str, ...] = (), files: tuple[str, ...] = ()) -> list[Image]:
    """A bundled guest's name, sources or an ELF path -> loaded images, one per
    ISA asked for.  isa is a backend name, "all", or None (ELF: its own ISA;
    bundled guest or sources: all).  defines pick a build variant and options
    are the user's (build.py); the images are checked against `memory`, the
    machine they will run in (None: the default).  A C library program gets
    the POSIX personality, with `args` as its arguments and the host `files`
    it may read (posix.adopt)."""
    sources_ = sources(guest)
    if sources_ is None:
        path = Path(os.fspath(guest if isinstance(guest, (str, os.PathLike)) else guest[0]))
        if defines:
            raise HalError(f"{path} is already built: a build variant "
                           f"({', '.join(defines)}) needs its C source or a bundled guest")
        if options != DEFAULT:
            raise HalError(f"{path} is already built: build options "
                           f"({' '.join(options.flags)}) need its sources or a bundled guest")
        image = load(path, memory, args, files)
        if isa not in (None, "all", image.backend.name):
            raise HalError(f"{path} is a {image.backend.name} ELF file, not {isa}")
        return [image]
    backends = registry.backends() if isa in (None, "all") else [registry.get(isa)]
    images = []
    named = sources_[0] if len(sources_) == 1 else ", ".join(map(str, sources_))
    for backend, elf in zip(backends, build.build_all(sources_, backends, defines, options)):
        try:
            images.append(load(elf, memory, args, files))
        except LoadError as e:      # name what the user gave, not the build cache's file
            raise LoadError(str(e).replace(str(elf), f"{named} (built for {backend.name})")) \
                from None
    return images


def load(path: str | os.PathLike, memory: MemoryMap | None = None, args: tuple[str, ...] = (),
         files: tuple[str, ...] = ()) -> Image:
    """An ELF file, checked and ready for a machine: a Linux program gets the
    POSIX personality, which serves its system calls (imported only then: a
    HAL guest's run never needs its tables)."""
    image = loader.load(path, memory or MemoryMap())
    if image.abi == "hal" and not (args or files):
        return image
    from ..personality import posix
    return posix.adopt(image, args, files)
