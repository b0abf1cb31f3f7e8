"""Refuse a submission that reaches for files outside its own folder: another
student's solution (#include "../bob/main.c"), the teacher's tests.toml, or
anything else on the grader's machine.  It is refused before the compiler
ever opens the file, so not even a compiler message can show a line of it.

The sources are read as the C preprocessor reads them (line splices joined,
comments removed, trigraphs and digraphs turned back into '#'), then:

  - every #include, #include_next, #import and #embed, and every
    __has_include / __has_embed, must name its file literally ("x.h" or <x.h>):
    a path built by a macro is refused, since no one can see what it reads;
  - a "name" may reach only the submission's own files (a one-file submission:
    none but itself), a <name> may not climb with '..', and neither may be
    absolute; names the submission does not have go to the toolchain's headers;
  - the assembler directives that read files (.incbin, .include) are refused
    anywhere, and so is inline assembly beside a macro that pastes or
    stringizes (# or ##), which could spell them where no scan can see;
  - a symbolic link inside a submission may not lead out of it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .submissions import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, Submission

_STRING = r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
_TOKENS = re.compile(rf'//[^\n]*|/\*.*?(?:\*/|\Z)|{_STRING}', re.S)
_DIRECTIVE = re.compile(r'^[ \t]*#[ \t]*(include_next|include|import|embed)\b[ \t]*(.*)$', re.M)
_HAS = re.compile(r'\b(__has_include_next|__has_include|__has_embed)\b[ \t]*(\(?)[ \t]*(.?)')
_LITERAL = re.compile(r'"([^"\n]*)"|<([^>\n]*)>')
_FILE_DIRECTIVES = re.compile(r'\.[ \t]*(incbin|include)\b', re.I)
_ASM = re.compile(r'\b(asm|__asm__|__asm)\b')
_PASTING = re.compile(r'^[ \t]*#[ \t]*define\b.*(#)', re.M)


def normalize(text: str) -> str:
    """The source as the preprocessor's directive parser sees it, strings kept."""
    text = text.replace("??=", "#").replace("??/", "\\")
    text = re.sub(r"\\[ \t]*\r?\n", "", text)
    text = _TOKENS.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else " ", text)
    return re.sub(r"%:", "#", text)


def check(sub: Submission) -> str | None:
    """Why `sub` is refused, in one line; None if it keeps to its folder."""
    files = sub.files()
    if len(files) > MAX_FILES:
        return f"more than {MAX_FILES:,} files"
    problem = _links(sub)
    if problem:
        return problem
    total = 0
    own = {os.path.normpath(f) for f in files}
    for f in files:
        try:
            size = f.stat().st_size
        except OSError as e:
            return f"{_name(sub, f)}: cannot read: {e.strerror}"
        total += size
        if f.suffix not in (".c", ".h", ".S", ".s", ".inc"):
            continue
        if size > MAX_FILE_BYTES:
            return f"{_name(sub, f)} is larger than {MAX_FILE_BYTES >> 20} MiB"
        try:
            text = normalize(f.read_text(errors="replace"))
        except OSError as e:
            return f"{_name(sub, f)}: cannot read: {e.strerror}"
        problem = _scan(sub, f, text, own)
        if problem:
            return f"{_name(sub, f)}: {problem}"
    if total > MAX_TOTAL_BYTES:
        return f"larger than {MAX_TOTAL_BYTES >> 20} MiB in all"
    return None


def _scan(sub: Submission, f: Path, text: str, own: set[str]) -> str | None:
    for m in _DIRECTIVE.finditer(text):
        problem = _operand(sub, f, m.group(1), m.group(2).strip(), own)
        if problem:
            return problem
    for m in _HAS.finditer(text):
        if not m.group(2):
            continue                    # `defined __has_include`: asks only if it exists
        rest = text[m.start(3):]
        lit = _LITERAL.match(rest)
        problem = _operand(sub, f, m.group(1), lit.group(0) if lit else rest[:40], own)
        if problem:
            return problem
    flat = _DIRECTIVE.sub("", text)
    places = [flat] if f.suffix in (".S", ".s") else _literals(flat)
    for place in places:
        m = _FILE_DIRECTIVES.search(place)
        if m:
            return (f"the assembler directive .{m.group(1).lower()} reads files; "
                    f"it is not allowed in a submission")
    if _ASM.search(text) and _PASTING.search(text):
        return ("inline assembly beside a macro that uses # or ##: the grader cannot "
                "see what the assembler would be given, so it is refused")
    return None


def _literals(text: str) -> list[str]:
    """The string literals of C code, adjacent ones joined (".inc" "bin" is ".incbin")."""
    joined: list[str] = []
    last_end = -1
    for m in re.finditer(_STRING, text):            # strings and chars, in order
        if m.group(0)[0] != '"':
            last_end = -1
            continue
        if last_end >= 0 and not text[last_end:m.start()].strip():
            joined[-1] += m.group(0)[1:-1]
        else:
            joined.append(m.group(0)[1:-1])
        last_end = m.end()
    return joined


def _operand(sub: Submission, f: Path, kind: str, operand: str, own: set[str]) -> str | None:
    lit = _LITERAL.match(operand)
    shown = f"#{kind}" if not kind.startswith("__") else kind
    if not lit:
        return (f"{shown} {operand[:40]}: the file is named by a macro; "
                f"name it literally (\"file.h\" or <file.h>)")
    quoted, angled = lit.group(1), lit.group(2)
    name = quoted if quoted is not None else angled
    if not name or name.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", name):
        return f"{shown} {lit.group(0)}: an absolute path reaches outside the submission"
    if angled is not None:
        if ".." in Path(name).parts:
            return f"{shown} {lit.group(0)}: '..' climbs out of the include folders"
        return None
    target = os.path.normpath(f.parent / name)
    root = os.path.normpath(sub.root)
    if not sub.is_folder:
        if target != os.path.normpath(f) and (os.path.lexists(target) or ".." in Path(name).parts):
            return (f"{shown} {lit.group(0)}: a one-file submission may include only the "
                    f"toolchain's headers, not other files")
        return None
    if os.path.commonpath([root, target]) != root:
        return f"{shown} {lit.group(0)}: reaches outside the submission's folder"
    return None


def _links(sub: Submission) -> str | None:
    """A symbolic link in a submission's folder that leads out of it."""
    if not sub.is_folder:
        return None
    root = os.path.realpath(sub.root)
    for dirpath, dirnames, filenames in os.walk(sub.path):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                real = os.path.realpath(p)
                if os.path.commonpath([root, real]) != root:
                    return f"{_name(sub, p)} is a link to a file outside the submission"
    return None


def _name(sub: Submission, f: Path) -> str:
    return f.relative_to(sub.root).as_posix() if sub.is_folder else f.name
