"""What a guest's DWARF debug info says beyond line numbers (symbols.py has
those): its compile units, its functions with their parameters and where
each parameter lives, and the inlined copies of functions inside others.

`hal profile` needs the inlined copies (an inlined function's instructions
are counted for it, not for the function it was inlined into) and the units
(a function's source file decides whether it is the user's code, the SDK's,
the C library's or the compiler runtime's).  `hal disasm` needs the
parameters' locations to show a function's calling convention.

Read with pyelftools; everything comes out as plain frozen records.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

DW_CC_NORMAL, DW_CC_NOCALL = 1, 3        # DW_AT_calling_convention values (DWARF 5, 7.15)


def _parse_errors() -> tuple[type[BaseException], ...]:
    """What pyelftools raises on malformed debug info."""
    import struct

    from elftools.common.exceptions import DWARFError, ELFError
    from elftools.construct import ConstructError
    # DWARFError is no ELFError ("refaddr ... not in DIE range" came from a
    # fuzzed file); DIEs nested without end run out of recursion.
    return (ELFError, DWARFError, ConstructError, struct.error, ValueError, KeyError, IndexError,
            TypeError, AttributeError, AssertionError, ArithmeticError, RecursionError, MemoryError)


@dataclass(frozen=True)
class Unit:
    """One compile unit: a C file (or the compiler runtime) and its code ranges."""
    name: str                            # DW_AT_name: a path, or e.g. "compiler_rt"
    producer: str
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Type:
    name: str                            # as C spells it: "long", "const char *"
    kind: str                            # "int", "pointer", "float", "aggregate" or "void"
    size: int                            # bytes (0 for void)


VOID = Type("void", "void", 0)


@dataclass(frozen=True)
class Location:
    """Where a value lives over some addresses: DWARF operations, e.g.
    (("DW_OP_reg1", ()),) for a register, (("DW_OP_fbreg", (8,)),) for a stack slot."""
    ranges: tuple[tuple[int, int], ...] | None     # None: wherever the function runs
    ops: tuple[tuple[str, tuple], ...]


@dataclass(frozen=True)
class Param:
    name: str
    type: Type
    locations: tuple[Location, ...]     # empty: the compiler kept no trace of it

    def at(self, address: int) -> Location | None:
        """The location valid at `address` (a single expression is valid everywhere)."""
        for loc in self.locations:
            if loc.ranges is None or any(lo <= address < hi for lo, hi in loc.ranges):
                return loc
        return None


@dataclass(frozen=True)
class Subprogram:
    """A function as DWARF describes it.  An inline-only function (every call
    inlined, no code of its own) has no ranges."""
    name: str
    unit: str                            # the compile unit's name
    decl_file: str | None
    decl_line: int | None
    ranges: tuple[tuple[int, int], ...]
    params: tuple[Param, ...]
    result: Type
    external: bool
    calling_convention: int | None       # DW_AT_calling_convention, when the compiler says
    frame_base: tuple[tuple[str, tuple], ...] = ()     # DW_AT_frame_base: what DW_OP_fbreg counts from

    @property
    def entry(self) -> int | None:
        return self.ranges[0][0] if self.ranges else None


@dataclass(frozen=True)
class InlinedCopy:
    """One inlined call: `name`'s body copied into `caller` at call_file:call_line."""
    name: str
    decl_file: str | None                # the inlined function's own source file
    caller: str                          # the out-of-line function that holds the copy
    ranges: tuple[tuple[int, int], ...]
    depth: int                           # 1 for a copy directly in `caller`, 2 inside that, ...
    call_file: str | None
    call_line: int | None


class Debug:
    """The DWARF of one ELF (an elftools ELFFile), read once.  `read(unit)`
    says which compile units to read function by function; the others only
    give their name and ranges (the compiler runtime's DWARF is 50 times the
    size of a guest's, and reading it costs seconds)."""

    def __init__(self, elf, read=lambda unit: True):
        self.units: list[Unit] = []
        self.subprograms: list[Subprogram] = []
        self.inlined: list[InlinedCopy] = []
        self.damaged: str | None = None      # why the debug info could not be read, if so
        try:
            self._read(elf, read)
        except _parse_errors() as e:            # a guest from anywhere: bad DWARF is no DWARF
            self.units, self.subprograms, self.inlined = [], [], []
            self.damaged = f"{type(e).__name__}: {e}"

    def _read(self, elf, read) -> None:
        if not elf.has_dwarf_info():
            return
        dwarf = elf.get_dwarf_info()
        from elftools.dwarf.dwarf_expr import DWARFExprParser
        from elftools.dwarf.locationlists import LocationParser
        self._expr = DWARFExprParser(dwarf.structs)
        self._locs = LocationParser(dwarf.location_lists())
        self._ranges = dwarf.range_lists()
        from .symbols import file_names
        for cu in dwarf.iter_CUs():
            top = cu.get_top_DIE()
            base = _attr(top, "DW_AT_low_pc") or 0
            unit = Unit(_text(top, "DW_AT_name") or "?", _text(top, "DW_AT_producer") or "",
                        self._die_ranges(top, cu, base))
            self.units.append(unit)
            if read(unit):
                prog = dwarf.line_program_for_CU(cu)
                files = {i: str(p) for i, p in file_names(cu, prog).items()} if prog else {}
                _Reader(self, cu, files, base, unit).walk(top)

    # -- lookups ----------------------------------------------------------------
    @cached_property
    def _unit_index(self) -> tuple[list[int], list[tuple[int, Unit]]]:
        spans = sorted((lo, hi, u) for u in self.units for lo, hi in u.ranges if hi > lo)
        return [lo for lo, _, _ in spans], [(hi, u) for _, hi, u in spans]

    def unit_at(self, address: int) -> Unit | None:
        starts, rest = self._unit_index
        i = bisect.bisect_right(starts, address) - 1
        if i >= 0 and address < rest[i][0]:
            return rest[i][1]
        return None

    def inline_at(self, addresses: list[int]) -> dict[int, InlinedCopy]:
        """For each of the sorted `addresses` inside an inlined copy, the innermost copy."""
        found: dict[int, InlinedCopy] = {}
        for copy in sorted(self.inlined, key=lambda c: c.depth):     # deeper ones overwrite
            for lo, hi in copy.ranges:
                for i in range(bisect.bisect_left(addresses, lo), bisect.bisect_left(addresses, hi)):
                    found[addresses[i]] = copy
        return found

    def subprogram(self, name: str) -> Subprogram | None:
        """The function called `name` with code of its own (else its inline-only record)."""
        named = [s for s in self.subprograms if s.name == name]
        return next((s for s in named if s.ranges), named[0] if named else None)

    def copies_of(self, name: str) -> list[InlinedCopy]:
        return [c for c in self.inlined if c.name == name]

    # -- reading ----------------------------------------------------------------
    def _die_ranges(self, die, cu, base: int) -> tuple[tuple[int, int], ...]:
        low = _attr(die, "DW_AT_low_pc")
        high = die.attributes.get("DW_AT_high_pc")
        if low is not None and high is not None:
            end = high.value if high.form == "DW_FORM_addr" else low + high.value
            return ((low, end),)
        offset = _attr(die, "DW_AT_ranges")
        if offset is None or self._ranges is None:
            return ()
        out = []
        for entry in self._ranges.get_range_list_at_offset(offset, cu=cu):
            if hasattr(entry, "base_address"):
                base = entry.base_address
            elif entry.begin_offset < entry.end_offset:
                shift = 0 if entry.is_absolute else base
                out.append((entry.begin_offset + shift, entry.end_offset + shift))
        return tuple(out)

    def _location(self, die, cu, base: int, name: str = "DW_AT_location") -> tuple[Location, ...]:
        attr = die.attributes.get(name)
        if attr is None:
            return ()
        try:
            parsed = self._locs.parse_from_attribute(attr, cu.header.version, die)
        except ValueError:                      # a form that holds no location
            return ()
        from elftools.dwarf.locationlists import BaseAddressEntry, LocationEntry, LocationExpr
        if isinstance(parsed, LocationExpr):         # one expression, valid throughout
            return (Location(None, self._ops(parsed.loc_expr)),)
        out = []
        for entry in parsed:
            if isinstance(entry, BaseAddressEntry):
                base = entry.base_address
            elif isinstance(entry, LocationEntry):
                shift = 0 if entry.is_absolute else base
                out.append(Location(((entry.begin_offset + shift, entry.end_offset + shift),),
                                    self._ops(entry.loc_expr)))
        return tuple(out)

    def _ops(self, expr) -> tuple[tuple[str, tuple], ...]:
        return tuple((op.op_name, tuple(op.args)) for op in self._expr.parse_expr(expr))


class _Reader:
    """Walks one compile unit's DIEs into the Debug's lists."""

    def __init__(self, debug: Debug, cu, files: dict[int, str], base: int, unit: Unit):
        self.debug, self.cu, self.files, self.base, self.unit = debug, cu, files, base, unit

    def walk(self, die, function: str | None = None, depth: int = 0) -> None:
        for child in die.iter_children():
            tag = child.tag
            if tag == "DW_TAG_subprogram":
                sub = self.subprogram(child)
                if sub is not None:
                    self.debug.subprograms.append(sub)
                    self.walk(child, sub.name if sub.ranges else None, 0)
            elif tag == "DW_TAG_inlined_subroutine" and function is not None:
                origin = _origin(child)
                ranges = self.debug._die_ranges(child, self.cu, self.base)
                if origin is not None and ranges:
                    self.debug.inlined.append(InlinedCopy(
                        _text(origin, "DW_AT_name") or "?", self.file(origin, "DW_AT_decl_file"),
                        function, ranges, depth + 1, self.file(child, "DW_AT_call_file"),
                        _attr(child, "DW_AT_call_line")))
                self.walk(child, function, depth + 1)
            elif tag == "DW_TAG_lexical_block" and function is not None:
                self.walk(child, function, depth)

    def file(self, die, attr: str) -> str | None:
        index = _attr(die, attr)
        return self.files.get(index) if index is not None else None

    def subprogram(self, die) -> Subprogram | None:
        origin = _origin(die) or die
        name = _text(die, "DW_AT_name") or _text(origin, "DW_AT_name")
        if name is None or _attr(die, "DW_AT_declaration"):
            return None
        params = []
        for child in die.iter_children():
            if child.tag != "DW_TAG_formal_parameter":
                continue
            head = _origin(child) or child
            params.append(Param(_text(head, "DW_AT_name") or "?", type_of(head),
                                self.debug._location(child, self.cu, self.base)))
        cc = _attr(die, "DW_AT_calling_convention")
        if cc is None:
            cc = _attr(origin, "DW_AT_calling_convention")
        frame = self.debug._location(die, self.cu, self.base, "DW_AT_frame_base")
        return Subprogram(name, self.unit.name, self.file(origin, "DW_AT_decl_file"),
                          _attr(origin, "DW_AT_decl_line"),
                          self.debug._die_ranges(die, self.cu, self.base), tuple(params),
                          type_of(origin), bool(_attr(origin, "DW_AT_external")), cc,
                          frame[0].ops if len(frame) == 1 and frame[0].ranges is None else ())


def type_of(die) -> Type:
    """The type of a variable, parameter or function (its result) as C spells it."""
    if "DW_AT_type" not in die.attributes:
        return VOID
    return _type(die.get_DIE_from_attribute("DW_AT_type"), 0)


def _type(die, depth: int) -> Type:
    if depth > 16:
        return Type("?", "aggregate", 0)
    tag, name, size = die.tag, _text(die, "DW_AT_name"), _attr(die, "DW_AT_byte_size") or 0
    inner = _type(die.get_DIE_from_attribute("DW_AT_type"), depth + 1) \
        if "DW_AT_type" in die.attributes else VOID
    if tag == "DW_TAG_base_type":
        encoding = _attr(die, "DW_AT_encoding")
        kind = "float" if encoding in (0x4, 0x3) else "int"      # DW_ATE_float, DW_ATE_complex_float
        return Type(name or "?", kind, size)
    if tag == "DW_TAG_pointer_type":
        return Type(inner.name + " *", "pointer", size or 0)
    if tag in ("DW_TAG_const_type", "DW_TAG_volatile_type"):
        word = "const" if tag == "DW_TAG_const_type" else "volatile"
        return Type(f"{word} {inner.name}", inner.kind, inner.size)
    if tag == "DW_TAG_typedef":
        return Type(name or inner.name, inner.kind, inner.size)
    if tag == "DW_TAG_enumeration_type":
        return Type(f"enum {name or ''}".strip(), "int", size)
    if tag in ("DW_TAG_structure_type", "DW_TAG_union_type"):
        word = "struct" if tag == "DW_TAG_structure_type" else "union"
        return Type(f"{word} {name or ''}".strip(), "aggregate", size)
    return Type(name or inner.name, "aggregate", size or inner.size)


def _origin(die):
    for attr in ("DW_AT_abstract_origin", "DW_AT_specification"):
        if attr in die.attributes:
            return die.get_DIE_from_attribute(attr)
    return None


def _attr(die, name: str):
    a = die.attributes.get(name)
    return a.value if a is not None else None


def _text(die, name: str) -> str | None:
    value = _attr(die, name)
    if value is None:
        return None
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
