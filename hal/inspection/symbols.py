"""What the debugger knows about a guest ELF: its .text, its functions (from
the symbol table) and which C line each address came from (DWARF line info;
guests are built with -g).  Used by `hal disasm`, `hal trace` and `hal compare`.

The loader checks only what running a guest needs (the ELF header and
program headers), so a file `hal run` accepts may still have section
headers, a symbol table or DWARF that pyelftools cannot parse, and pyelftools
reports damage with all sorts of exceptions.  So every read here is guarded:
damaged section headers or symbols are one clear error; damaged DWARF only
means no source lines.
"""
from __future__ import annotations

import bisect
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..core.loader import Image, oversized_section
from ..errors import HalError


@dataclass(frozen=True)
class Function:
    name: str
    start: int
    end: int            # one past the last byte

    def __contains__(self, address: int) -> bool:
        return self.start <= address < self.end


class NoSuchFunction(HalError):
    """A function name the ELF's symbol table does not have."""


class DamagedElf(HalError):
    """Section headers or a symbol table that cannot be read."""


class Program:
    """One loaded guest's ELF, read for its symbols and line table."""

    def __init__(self, image: Image):
        import io

        from elftools.elf.elffile import ELFFile
        self.image = image
        self.backend = image.backend
        self._file = io.BytesIO(image.data)      # the bytes the loader checked, not the path again
        with self._reading("its section headers"):
            self.elf = ELFFile(self._file)
            bad = oversized_section(self.elf)
            if bad:
                raise DamagedElf(f"{image.path}: {bad}, more than the file could hold")
            text = self.elf.get_section_by_name(".text")
            if text is None:
                raise DamagedElf(f"{image.path}: no .text section")
            self.text_address = text["sh_addr"]
            self.text = text.data()
            if not isinstance(self.text_address, int) or len(self.text) > len(image.data):
                raise DamagedElf(f"{image.path}: the .text section header is impossible")

    def close(self) -> None:
        self._file.close()

    @contextmanager
    def _reading(self, what: str):
        try:
            yield
        except HalError:
            raise
        except Exception as e:          # pyelftools: ELFError, struct.error, KeyError, ...
            detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
            raise DamagedElf(f"{self.image.path}: cannot read {what} ({detail})") from None

    @property
    def text_end(self) -> int:
        return self.text_address + len(self.text)

    # -- functions -------------------------------------------------------------
    @cached_property
    def functions(self) -> list[Function]:
        """Functions by address: C functions (STT_FUNC, with sizes) and assembly
        labels in code (STT_NOTYPE: they run to the next symbol)."""
        with self._reading("its symbol table"):
            return self._functions()

    def _functions(self) -> list[Function]:
        symtab = self.elf.get_section_by_name(".symtab")
        if symtab is None:
            return []
        code = {i for i, s in enumerate(self.elf.iter_sections()) if s["sh_flags"] & 4}  # SHF_EXECINSTR
        found: dict[int, tuple[str, int, tuple[bool, bool, bool]]] = {}
        for s in symtab.iter_symbols():
            kind = s["st_info"]["type"]
            if kind not in ("STT_FUNC", "STT_NOTYPE") or s["st_shndx"] not in code:
                continue
            if not s.name or s.name.startswith(("$", ".L")):     # mapping symbols, local labels
                continue
            if kind == "STT_NOTYPE" and s["st_info"]["bind"] == "STB_LOCAL":
                continue
            # one name per address: a function over a label, a global name over a
            # local alias, a C name over a Zig one (compiler_rt has both
            # "__udivdi3" and "compiler_rt.int.__udivdi3")
            rank = (kind == "STT_FUNC", s["st_info"]["bind"] != "STB_LOCAL", "." not in s.name)
            prev = found.get(s["st_value"])
            if prev is None or rank > prev[2]:
                found[s["st_value"]] = (s.name, s["st_size"] if kind == "STT_FUNC" else 0, rank)
        starts = sorted(found)
        out = []
        for i, start in enumerate(starts):
            name, size, _ = found[start]
            end = starts[i + 1] if i + 1 < len(starts) else self.text_end
            if not size:    # an assembly label: stop where its source file's code ends
                end = min([end, *(e for s, e in self.sequences if s <= start < e)])
            out.append(Function(name, start, start + size if size else end))
        return out

    def function(self, name: str) -> Function:
        for f in self.functions:
            if f.name == name:
                return f
        known = ", ".join(sorted(f.name for f in self.functions))
        raise NoSuchFunction(f"no function '{name}' in {self.image.name} on {self.backend.name} "
                             + (f"(functions: {known})" if known else "(it has no symbol table)"))

    @cached_property
    def _starts(self) -> list[int]:
        return [f.start for f in self.functions]

    def function_at(self, address: int) -> Function | None:
        i = bisect.bisect_right(self._starts, address) - 1
        if i >= 0 and address in self.functions[i]:
            return self.functions[i]
        return None

    def code(self, f: Function) -> bytes:
        lo, hi = f.start - self.text_address, f.end - self.text_address
        return self.text[max(lo, 0):max(hi, 0)]

    # -- source lines ----------------------------------------------------------
    @cached_property
    def lines(self) -> dict[int, tuple[Path, int]]:
        """Address -> (source file, line) for every row of the DWARF line table."""
        return self._line_table[0]

    @cached_property
    def _row_addresses(self) -> list[int]:
        return sorted(self.lines)

    def line_at(self, address: int, since: int = 0) -> tuple[Path, int] | None:
        """The source line an instruction belongs to: the line table's last row
        at or before it, if that row is at `since` or later (None: no row)."""
        rows = self._row_addresses
        i = bisect.bisect_right(rows, address) - 1
        return self.lines[rows[i]] if i >= 0 and rows[i] >= since else None

    @cached_property
    def sequences(self) -> list[tuple[int, int]]:
        """The address ranges the line table covers: code, without the padding between files."""
        return self._line_table[1]

    @cached_property
    def _line_table(self):
        """Damaged DWARF: no lines (the code itself is still listed)."""
        try:
            return self._read_line_table()
        except Exception:               # pyelftools: DWARFError, struct.error, KeyError, ...
            return {}, []

    def _read_line_table(self):
        rows: dict[int, tuple[Path, int]] = {}
        sequences: list[tuple[int, int]] = []
        if not self.elf.has_dwarf_info():
            return rows, sequences
        dwarf = self.elf.get_dwarf_info()
        for cu in dwarf.iter_CUs():
            if _zig_code(cu):
                continue
            prog = dwarf.line_program_for_CU(cu)
            if prog is None:
                continue
            files = file_names(cu, prog)
            first = None
            for entry in prog.get_entries():
                st = entry.state
                if st is None:
                    continue
                if st.end_sequence:
                    if first is not None:
                        sequences.append((first, st.address))
                    first = None
                    continue
                first = st.address if first is None else first
                if st.file in files and st.line:        # line 0: made up by the compiler
                    rows.setdefault(st.address, (files[st.file], st.line))
        return rows, sequences


def _zig_code(cu) -> bool:
    """A unit zig compiled from Zig (its compiler_rt, its C library glue): a
    C program's disasm and profile need no lines of it, and reading them
    costs seconds (compiler_rt's line program has some 47,000 rows)."""
    producer = cu.get_top_DIE().attributes.get("DW_AT_producer")
    value = producer.value if producer is not None else b""
    return (value.decode(errors="replace") if isinstance(value, bytes) else str(value)) \
        .startswith("zig ")


def file_names(cu, prog) -> dict[int, Path]:
    """A line program's file numbers -> paths (DWARF 4 counts from 1, 5 from 0)."""
    top = cu.get_top_DIE()
    comp_dir = top.attributes.get("DW_AT_comp_dir")
    comp = Path(comp_dir.value.decode(errors="replace")) if comp_dir else Path(".")
    v5 = prog.header.version >= 5
    dirs = [d.decode(errors="replace") if isinstance(d, bytes) else d.name.decode(errors="replace")
            for d in prog.header.include_directory]
    dirs = dirs if v5 else [str(comp), *dirs]
    files = {}
    for i, f in enumerate(prog.header.file_entry, start=0 if v5 else 1):
        name = f.name.decode(errors="replace")
        d = dirs[f.dir_index] if f.dir_index < len(dirs) else str(comp)
        files[i] = comp / d / name
    return files


class SourceCache:
    """Source lines for --source, read once per file (missing files give nothing)."""

    def __init__(self):
        self._files: dict[Path, list[str]] = {}

    def line(self, path: Path, number: int) -> str | None:
        if path not in self._files:
            try:
                self._files[path] = path.read_text(errors="replace").splitlines()
            except OSError:
                self._files[path] = []
        text = self._files[path]
        return text[number - 1] if 0 < number <= len(text) else None
