"""Where a function's arguments and result live, on each ISA: the ABI's rule
(Backend.abi) set beside what the DWARF location info says the compiled code
really does.

The two usually agree.  They do not when the compiler chose another
convention: clang gives a static function whose address never escapes its
own faster one (LLVM's "fastcc"), so on x86, whose cdecl passes everything on
the stack, fib's argument arrives in ecx.  A calling-convention exercise
built on the ABI's word alone would teach the wrong thing, so `hal disasm
--function F` shows both and flags the difference.

Only integer and pointer arguments of one or two words are placed by the
ABI's rule here; from the first other argument (a float, a struct) on, the
ABI column says "not checked" rather than guess.  DWARF does not record where
a result goes, so the result is the ABI's register for its type.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.isa import Backend, CallingConvention
from .dwarf import DW_CC_NOCALL, Debug, Location, Param, Subprogram

Piece = tuple[str, object]          # ("reg", "ecx"), ("stack", 4 = bytes above sp on entry), ("frame", "[$fp+8]")


@dataclass(frozen=True)
class Argument:
    name: str
    type: str
    actual: str                     # where DWARF says it is on entry ("not recorded" if it does not say)
    expected: str                   # where the ABI puts it ("not checked" when this tool cannot say)
    agrees: bool | None             # None: nothing to compare
    later: tuple[str, ...] = ()     # where it moves to in the body, in order


@dataclass(frozen=True)
class Convention:
    """One function's arguments and result on one ISA."""
    function: str
    isa: str
    abi: str
    signature: str                  # "long fib(long n)"
    static: bool
    args: tuple[Argument, ...]
    result: str
    follows_abi: bool | None        # None: nothing could be checked
    reason: str = ""                # why it does not, in words

    def lines(self) -> list[str]:
        """The block `hal disasm --function F` prints under its heading: a small
        table of each argument's place on entry (DWARF) beside the ABI's."""
        scope = "static" if self.static else "global"
        about = f"({scope}; ABI {self.abi}; places from DWARF location info)"
        out = [f"  {self.signature}  {about}"]
        if len(out[0]) > 80:            # an 80-column terminal: what it is on a line of its own
            out = [f"  {self.signature}", f"    {about}"]
        rows = [("argument", "type", "on entry", f"{self.abi} puts it", "later in the body")]
        for a in self.args:
            mark = "  <- differs" if a.agrees is False else ""
            rows.append((a.name, a.type, a.actual, a.expected + mark, ", ".join(a.later)))
        if len(rows) > 1:
            widths = [max(len(r[i]) for r in rows) for i in range(4)]
            out += ["    " + "  ".join(c.ljust(w) for c, w in zip(r, widths + [0])).rstrip()
                    for r in rows]
        else:
            out.append("    no arguments")
        out.append(f"    result: {self.result}")
        if self.follows_abi is False:
            import textwrap
            out += textwrap.wrap(f"{self.function} does not follow {self.abi}: {self.reason}",
                                 width=100, initial_indent="  ! ", subsequent_indent="    ")
        return out

    def to_dict(self) -> dict:
        return {"function": self.function, "isa": self.isa, "abi": self.abi,
                "signature": self.signature, "static": self.static,
                "arguments": [{"name": a.name, "type": a.type, "at_entry": a.actual,
                               "abi": a.expected, "agrees": a.agrees, "later": list(a.later)}
                              for a in self.args],
                "result": self.result, "follows_abi": self.follows_abi, "reason": self.reason}


def describe(backend: Backend, debug: Debug, name: str, entry: int) -> Convention | None:
    """The convention of the function `name` whose code starts at `entry`
    (None when DWARF does not describe it or the backend names no ABI)."""
    abi = backend.abi
    sub = next((s for s in debug.subprograms if s.name == name and s.entry == entry), None)
    if abi is None or sub is None:
        return None
    expected = _abi_places(abi, backend, sub.params)
    args = []
    for param, places in zip(sub.params, expected):
        actual, first = _arrival(backend, sub, param, entry)
        shown = _show(backend, actual, param)
        args.append(Argument(param.name, param.type.name, shown,
                             _show(backend, places, param) if places else "not checked",
                             _agrees(actual, places),
                             _later(backend, sub, param, first, shown)))
    signature = f"{sub.result.name} {name}(" + \
        ", ".join(f"{p.type.name} {p.name}" for p in sub.params) + ")"
    follows, reason = _verdict(abi, sub, args)
    return Convention(name, backend.name, abi.name, signature.replace("* ", "*"),
                      not sub.external, tuple(args), _result(abi, backend, sub), follows, reason)


def _arrival(backend: Backend, sub: Subprogram, param: Param, entry: int):
    """Where the argument is on entry, and the location that says so.  A stack
    slot described only from the end of the prologue (x86's [ebp+8], once ebp
    is set up) is still where the argument arrived: stack arguments do not move."""
    loc = param.at(entry)
    if loc is None and param.locations:
        first = min(param.locations, key=lambda x: x.ranges[0][0] if x.ranges else entry)
        pieces = _pieces(backend, sub, first)
        if pieces and all(p is not None and p[0] == "stack" for p in pieces):
            return pieces, first
        return None, None
    return _pieces(backend, sub, loc), loc


def _abi(backend: Backend) -> CallingConvention:
    assert backend.abi is not None, f"{backend.name} names no ABI"
    return backend.abi


def _words(param: Param, backend: Backend) -> int | None:
    t = param.type
    if t.kind in ("int", "pointer") and 0 < t.size <= 2 * backend.word_bytes:
        return 1 if t.size <= backend.word_bytes else 2
    return None


def _abi_places(abi: CallingConvention, backend: Backend, params) -> list[tuple[Piece, ...] | None]:
    """Where the ABI puts each parameter: its pieces, low word first."""
    out: list[tuple[Piece, ...] | None] = []
    reg = slot = 0
    word = backend.word_bytes
    for p in params:
        n = _words(p, backend)
        if n is None or (out and out[-1] is None):
            out.append(None)
            continue
        if n == 2 and abi.pairs_aligned and reg % 2 and reg < len(abi.arg_regs):
            reg += 1
            slot += 1 if abi.slots_for_all else 0
        if reg + n <= len(abi.arg_regs):
            regs = abi.arg_regs[reg:reg + n]
            if backend.endian == "big":
                regs = regs[::-1]
            out.append(tuple(("reg", r) for r in regs))
            reg += n
            slot += n if abi.slots_for_all else 0
        else:
            reg = len(abi.arg_regs)
            if n == 2 and abi.pairs_aligned and slot % 2:
                slot += 1
            offsets = [abi.stack_offset + word * (slot + i) for i in range(n)]
            if backend.endian == "big":
                offsets = offsets[::-1]
            out.append(tuple(("stack", o) for o in offsets))
            slot += n
    return out


def _pieces(backend: Backend, sub: Subprogram, loc: Location | None) -> tuple | None:
    """A DWARF location as pieces, low word first (None: not recorded there).
    LLVM lists a value's pieces from its least significant bits, on either byte order."""
    if loc is None or not loc.ops:
        return None
    # sp is the caller's only where the location starts at the entry point
    entry = loc.ranges is not None and loc.ranges[0][0] == sub.entry
    pieces: list[Piece | None] = []
    current: list[tuple[str, tuple]] = []
    for op, args in loc.ops:
        if op == "DW_OP_piece":
            pieces.append(_one(backend, sub, current, entry))
            current = []
        else:
            current.append((op, args))
    if current or not pieces:
        pieces.append(_one(backend, sub, current, entry))
    return tuple(pieces)


def _one(backend: Backend, sub: Subprogram, ops, entry: bool) -> Piece | None:
    regs = _abi(backend).dwarf_regs
    if not ops:
        return None                                  # this piece is not recorded
    op, args = ops[0]
    if len(ops) == 1 and op.startswith("DW_OP_reg"):
        n = args[0] if op == "DW_OP_regx" else int(op[len("DW_OP_reg"):])
        return ("reg", regs[n] if n < len(regs) and regs[n] else f"dwarf-reg{n}")
    if len(ops) == 1 and op.startswith("DW_OP_breg") and op != "DW_OP_bregx":
        n, off = int(op[len("DW_OP_breg"):]), args[0]
        name = regs[n] if n < len(regs) else f"dwarf-reg{n}"
        if name.lstrip("$") == backend.regs.sp.lstrip("$") and entry:
            return ("stack", off)
        if name == _abi(backend).frame_pointer and _frame_base(backend, sub) == name:
            return ("stack", off - _abi(backend).frame_pointer_below_entry_sp)
        return ("frame", f"[{name}{_offset(off)}]")
    if len(ops) == 1 and op == "DW_OP_fbreg":
        off, base = args[0], _frame_base(backend, sub)
        if base is not None and base == _abi(backend).frame_pointer:
            return ("stack", off - _abi(backend).frame_pointer_below_entry_sp)
        return ("frame", f"[{base or 'frame'}{_offset(off)}]")
    return ("value", "a computed value")


def _frame_base(backend: Backend, sub: Subprogram) -> str | None:
    """The register DWARF's frame base is, if it is one."""
    ops = sub.frame_base
    if len(ops) == 1 and ops[0][0].startswith("DW_OP_reg") and ops[0][0] != "DW_OP_regx":
        n = int(ops[0][0][len("DW_OP_reg"):])
        regs = _abi(backend).dwarf_regs
        return regs[n] if n < len(regs) else None
    return None


def _show(backend: Backend, pieces, param: Param) -> str:
    if pieces is None:
        return "not recorded at entry"
    sp = next((r for r in _abi(backend).dwarf_regs if r.lstrip("$") == backend.regs.sp.lstrip("$")),
              backend.regs.sp)
    shown = []
    for p in reversed(pieces):                       # high word first, as hi:lo
        if p is None:
            shown.append("?")
        elif p[0] == "stack":
            shown.append(f"[{sp}{_offset(p[1])}]")
        else:
            shown.append(str(p[1]))
    if len(pieces) == 2 and all(p is not None and p[0] == "stack" for p in pieces):
        return f"{shown[-1]} ({param.type.size} bytes)"
    if pieces and all(p is not None and p[0] == "frame" for p in pieces):
        return f"its frame at {shown[-1]}"
    return ":".join(shown) + (" (high:low)" if len(pieces) == 2 else "")


def _offset(n: int) -> str:
    """+4, +0x10, -8: as capstone writes displacements (decimal below 10)."""
    sign = "-" if n < 0 else "+"
    return f"{sign}{abs(n)}" if abs(n) < 10 else f"{sign}{abs(n):#x}"


def _agrees(actual, expected) -> bool | None:
    if actual is None or expected is None:
        return None
    compared = False
    for a, e in zip(actual, expected):
        if a is None or a[0] in ("frame", "value"):
            continue
        if a != e:
            return False
        compared = True
    return True if compared else None


def _later(backend: Backend, sub: Subprogram, param: Param, first: Location | None,
           arrival: str) -> tuple[str, ...]:
    """The other places the argument is kept in, in address order, each once."""
    out: list[str] = []
    for loc in param.locations:
        if loc is first or loc.ranges is None:
            continue
        pieces = _pieces(backend, sub, loc)
        if pieces is None or any(p is not None and p[0] == "value" for p in pieces):
            continue
        text = _show(backend, pieces, param)
        if text != arrival and text not in out:
            out.append(text)
    return tuple(out)


def _result(abi: CallingConvention, backend: Backend, sub: Subprogram) -> str:
    t = sub.result
    if t.kind == "void":
        return "none (void)"
    rule = f"{abi.name}'s rule; DWARF does not record where results go"
    if t.kind in ("int", "pointer") and t.size <= backend.word_bytes:
        return f"{t.name} in {abi.result[0]} ({rule})"
    if t.kind == "int" and t.size <= 2 * backend.word_bytes and len(abi.result) > 1:
        lo, hi = abi.result if backend.endian == "little" else abi.result[::-1]
        return f"{t.name} in {hi}:{lo} (high:low; {rule})"
    if t.kind == "float" and t.size <= 8 and abi.fp_result and "complex" not in t.name:
        own = "" if sub.external else "; a static function may get clang's own"
        return f"{t.name} in {abi.fp_result} ({rule}{own})"
    return f"{t.name}: a {t.kind} of {t.size} bytes, returned as {abi.name} says (not shown here)"


def _verdict(abi: CallingConvention, sub: Subprogram, args) -> tuple[bool | None, str]:
    wrong = [a for a in args if a.agrees is False]
    if sub.calling_convention == DW_CC_NOCALL:
        return False, ("the compiler marks it DW_CC_nocall: callers must not assume the ABI "
                       "(it changed the function's signature or convention)")
    if wrong:
        a = wrong[0]
        why = (f"{a.name} arrives in {a.actual}, where {abi.name} puts it at {a.expected}. ")
        if not sub.external:
            why += ("The function is static and every call is in this file, so clang was free "
                    "to give it its own faster convention (LLVM's fastcc); build at -O0 or "
                    "take its address to see the ABI's.")
        else:
            why += "The compiler chose another convention for it."
        return False, why
    checked = [a for a in args if a.agrees is not None]
    if not checked:
        return (None, "") if args else (True, "")
    return True, ""
