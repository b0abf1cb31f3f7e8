"""A class folder: one submission per student, each one .c file or one folder
of sources.

    class/
      alice.c            student "alice": one file
      bob/               student "bob": every .c, .S and .s file under bob/, headers beside them
        main.c
        list.c
        list.h
      notes.txt          not a submission: skipped, and said so

Hidden entries (a leading '.') are left alone.  Students come out sorted by
name, so every gradebook lists them in the same order.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import HalError

SOURCE_SUFFIXES = (".c", ".S", ".s")
MAX_SUBMISSIONS = 10_000
MAX_FILES = 1_000                   # files in one submission's folder
MAX_FILE_BYTES = 1 << 20            # one source or header
MAX_TOTAL_BYTES = 16 << 20          # one submission in all


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path                      # the .c file, or the folder
    sources: tuple[Path, ...]       # what is compiled, sorted; empty if there is nothing

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()

    @property
    def root(self) -> Path:
        """The folder everything it reads must lie in (a lone file's own folder,
        where it may still read nothing but itself)."""
        return self.path if self.is_folder else self.path.parent

    def files(self) -> list[Path]:
        """Every regular file of the submission, sources and headers alike."""
        if not self.is_folder:
            return [self.path]
        found = []
        for dirpath, dirnames, filenames in os.walk(self.path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
            if len(found) > MAX_FILES:
                break
        return found


def find(folder: str | os.PathLike) -> tuple[list[Submission], list[str]]:
    """The submissions in `folder`, sorted by student, and the names of entries
    that are not submissions (skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise HalError(f"{folder}: no such folder of submissions")
    subs: dict[str, Submission] = {}
    skipped = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as e:
        raise HalError(f"{folder}: cannot list: {e.strerror}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            student, sources = entry.name, _sources(entry)
        elif entry.suffix == ".c" and entry.is_file():
            student, sources = entry.stem, (entry,)
        else:
            skipped.append(entry.name)
            continue
        if student in subs:
            raise HalError(f"{folder}: two submissions for '{student}' "
                           f"({subs[student].path.name} and {entry.name}); keep one")
        subs[student] = Submission(student, entry, sources)
        if len(subs) > MAX_SUBMISSIONS:
            raise HalError(f"{folder}: more than {MAX_SUBMISSIONS:,} submissions")
    if not subs:
        raise HalError(f"{folder}: no submissions (a .c file or a folder of sources per student)")
    return [subs[s] for s in sorted(subs)], skipped


def _sources(folder: Path) -> tuple[Path, ...]:
    sub = Submission(folder.name, folder, ())
    return tuple(sorted((f for f in sub.files() if f.suffix in SOURCE_SUFFIXES),
                        key=lambda p: p.relative_to(folder).as_posix()))
