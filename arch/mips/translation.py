"""How Unicorn 2.1.4 translates MIPS code, as data: which words end a
translation block, what each costs, and which words must never run.

Why it matters.  Unicorn's MIPS translator leaks one TCG temporary per
instruction it translates (qemu/target/mips/translate.c, the `dyn_is_slot`
constant in mips_tr_translate_insn; unicorn-engine/unicorn#2240, fix in the
unmerged PR #2305).  TCG has 512 temporaries (TCG_MAX_TEMPS), MIPS spends
about 135 on its globals, and the bound is only a debug assertion, so a
translation block (TB) of about 374 instructions writes past the array and
the whole host process dies with SIGSEGV.  TBs end at a branch (after its
delay slot), at a 4 KiB page boundary, after 512 instructions, or once 4,000
TCG ops are emitted.  Loads and stores emit more than 11 ops each, which is
why a run of them ends early, but mixed with ALU instructions they protect
nothing: `lw, nop` repeated 500 times crashes too.

What halemu does about it (hal/core/codeguard.py).  Before any code runs,
scan() finds every run of code that could become one TB longer than
SAFE_RUN instructions, and the machine puts a native no-op code hook over
it: each hooked instruction then emits about 14 more ops, so the 4,000-op
rule ends every TB inside after at most HOOKED_TB_MAX instructions.
Nothing else changes and code outside the runs is translated as before.

Where the numbers come from.  Unicorn, never capstone: capstone cannot
decode some words Unicorn runs as no-ops, and it calls a never-taken branch
(`bne $x, $x`) a branch where Unicorn translates a no-op that ends nothing.
Every (op, rs, rt, funct) class of a 32-bit word was translated with random
other bits, in the default CPU state and with Status.MX and FR set (which a
guest can set with mtc0, as Unicorn runs it in kernel mode); every 16-bit
MIPS16 halfword and every EXTEND pair likewise.  A word counts as ending a
TB only if it did so in every variant; everything else, including words
that raise Reserved Instruction, counts as straight-line code, which is the
safe direction.  Temporaries were read from TCGContext.nb_temps after
translating 8 and 24 copies of each word: every kind leaks exactly one,
except COP0 MFTR (two).  tests/test_mips_translation.py checks these tables
against the installed Unicorn; another Unicorn version needs them measured
again.

MIPS16.  The default CPU (74Kf) also runs MIPS16e code: a jump to an odd
address switches to 16-bit instructions, so the same page may be read as
halfwords, and 400 MIPS16 no-ops crash the host just as well.  So each
page is scanned in both readings, and a halfword counts as at most one
instruction (EXTEND pairs and 32-bit jumps are two halfwords).
"""
from __future__ import annotations

import re
import struct

from hal.core.isa import CodeScan

PAGE = 0x1000

# Runs of this much weight or less need no guard: a TB holds at most the run,
# the word that ends it and a delay slot, so at most 135 + 256 + 2 (+ up to 6
# short-lived) temporaries of 512, measured to crash from 374 instructions.
SAFE_RUN = 256
# Inside a hooked run a TB ends by the op count after at most 286
# instructions (a run of no-ops; 267 for addu, 222 for sll, 191 for lw),
# in both readings of the page.
HOOKED_TB_MAX = 290
# ...so any HOOKED_TB_MAX consecutive words of a hooked run may weigh at
# most this (135 + 340 + 8 < 512).  Only words weighing 2 can exceed it.
MAX_WINDOW_WEIGHT = 340
# Long runs closer than this are guarded by one hook: one range is cheaper
# to run than two (Unicorn walks every code hook on each hooked instruction).
MERGE_GAP = 32          # bytes

# -- 32-bit MIPS words ----------------------------------------------------------
# j, jal, beq, beql, blezl, jalx: whatever their other bits
ALWAYS_END = frozenset({0x02, 0x03, 0x04, 0x14, 0x16, 0x1D})
SPECIAL_END = frozenset({0x08, 0x09, 0x0C, 0x0D})      # jr, jalr, syscall, break
REGIMM_END = frozenset({0x01, 0x03, 0x10, 0x11, 0x13})  # bgez, bgezl, bltzal, bgezal, bgezall
REGIMM_END_UNLESS_ZERO = frozenset({0x00, 0x02, 0x12})  # bltz, bltzl, bltzall
HEAVY = (0xFFE0_0000, 0x4100_0000, 2)  # COP0 rs=8 (MFTR): two temporaries each


def ends_block(word: int) -> bool:
    """True if Unicorn always ends a TB at this word (or after its delay slot).
    A branch that can never be taken does not: Unicorn translates it as a
    no-op, or, for a branch-likely, skips its delay slot and goes on."""
    op, rs, rt = word >> 26, (word >> 21) & 31, (word >> 16) & 31
    if op in ALWAYS_END:
        return True
    if op == 0x00:
        return word & 63 in SPECIAL_END
    if op == 0x01:                     # REGIMM: "less than zero" of $zero never branches
        return rt in REGIMM_END or (rt in REGIMM_END_UNLESS_ZERO and rs != 0)
    if op in (0x05, 0x15):             # bne, bnel: bne $x, $x never branches
        return rs != rt
    if op == 0x06:                     # blez (rt != 0 is Reserved Instruction)
        return rt == 0
    if op == 0x07:                     # bgtz; bgtz $zero never branches
        return rt == 0 and rs != 0
    if op == 0x17:                     # bgtzl; bgtzl $zero never branches
        return rs != 0
    if op == 0x11:                     # bc1f/bc1t (Coprocessor Unusable without CU1)
        return rs == 0x08
    return False


def weight(word: int) -> int:
    """How many TCG temporaries translating this word leaks."""
    mask, value, heavy = HEAVY
    return heavy if word & mask == value else 1


def may_branch(word: int) -> bool:
    """Could this word be a jump or branch with a delay slot in some CPU state?
    (Broad on purpose: it only decides where a trap needs a second hook.)"""
    op = word >> 26
    if op == 0x00:
        return word & 63 in (0x08, 0x09)
    if op in (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x14, 0x15, 0x16, 0x17,
              0x1D, 0x32, 0x36, 0x3A, 0x3E):
        return True
    return op in (0x10, 0x11, 0x12, 0x13) and 0x08 <= (word >> 21) & 31 <= 0x0F


# SPECIAL funct 5 is PMON, a firmware call of old MIPS boards, which Unicorn
# keeps (op_helper.c, helper_pmon): with sa 6, 7, 24 or 25 it printf()s the
# low byte of $a0 to the host's own stdout, past halemu's console.  A real
# MIPS32 CPU raises Reserved Instruction, and so does halemu (the others are
# harmless: no-ops, or $v0 = -1).
PMON_PRINT_SA = frozenset({6, 7, 24, 25})
PMON_REASON = ("reserved instruction: SPECIAL function 5, which Unicorn would run as a PMON "
               "firmware call printing to the host's terminal")
PMON_SLOT_REASON = ("a branch with SPECIAL function 5 in its delay slot (a reserved instruction "
                    "Unicorn would run as a PMON firmware call printing to the host's terminal)")


def prints_to_host(word: int) -> bool:
    return word & 0xFC00_003F == 0x05 and (word >> 6) & 31 in PMON_PRINT_SA


# -- MIPS16e halfwords ----------------------------------------------------------
# Major opcode (top 5 bits) -> ends a TB for every halfword: b, jal/jalx,
# beqz, bnez, and encodings Unicorn's MIPS32 core rejects (Reserved Instruction)
ALWAYS_END16 = frozenset({2, 3, 4, 5, 7, 15, 23, 31})
_RR_END = frozenset({0, 1, 5, 8, 9, 19, 20, 21, 22, 23, 28, 29, 30, 31})   # jr, jalr, break...
# Major opcode -> (mask, the masked values that end a TB)
END16_IF = {
    6: (0x0003, frozenset({1})),                               # SHIFT: dsll
    8: (0x001F, frozenset(range(16, 32))),                     # RRI-A: 64-bit forms
    12: (0x0700, frozenset({0x000, 0x100, 0x600})),            # I8: bteqz, btnez, 64-bit
    28: (0x0003, frozenset({0, 2})),                           # RRR: 64-bit forms
    29: (0x00FF, frozenset({f | ry << 5 for f in _RR_END for ry in range(8)}
                           | {17 | ry << 5 for ry in (2, 3, 6, 7)})),   # RR
}


def ends_block16(half: int) -> bool:
    """True if Unicorn, in MIPS16 mode, always ends a TB at this halfword, as
    an instruction or as the second half of an EXTEND pair (checked: every
    such pair ends too)."""
    op = half >> 11
    if op in ALWAYS_END16:
        return True
    rule = END16_IF.get(op)
    return rule is not None and half & rule[0] in rule[1]


# -- the scan -------------------------------------------------------------------
# Vectorised over one byte per word (or halfword): bytes.translate() maps a
# byte to a 0/1 flag, and two flag strings combine as big integers.  The
# per-word functions above stay the definition: tests/test_mips_translation.py
# checks that scan() finds exactly what they do, word by word.
def _flags(test) -> bytes:
    return bytes(1 if test(b) else 0 for b in range(256))


def _where(flags: bytes, table: bytes) -> int:
    """The bytes of `flags` that `table` marks, as an integer: one byte each."""
    return int.from_bytes(flags.translate(table), "little")


# little-endian: a word's bytes are [funct..., ..., rs/rt, op/rs]; a halfword's [low, op]
_OP_ENDS = _flags(lambda hb: hb >> 2 in ALWAYS_END)
_OP_SPECIAL = _flags(lambda hb: hb >> 2 == 0x00)
_FUNCT_ENDS = _flags(lambda lo: lo & 63 in SPECIAL_END)
_OP_ASK = _flags(lambda hb: hb >> 2 in (0x01, 0x05, 0x06, 0x07, 0x11, 0x15, 0x17))  # ends_block()
_HEAVY_HB = _flags(lambda hb: hb == HEAVY[1] >> 24)
_HEAVY_B2 = _flags(lambda b2: b2 << 16 & HEAVY[0] & 0x00FF_0000 == HEAVY[1] & 0x00FF_0000)
_PMON_LO = _flags(lambda lo: lo & 0x3F == 0x05)
_OP16_ENDS = _flags(lambda hb: hb >> 3 in ALWAYS_END16
                    or (hb >> 3 in END16_IF and END16_IF[hb >> 3][0] & 0xFF == 0
                        and (hb << 8) & END16_IF[hb >> 3][0] in END16_IF[hb >> 3][1]))
_COND16 = [(_flags(lambda hb, op=op: hb >> 3 == op), _flags(lambda lo, m=m, v=v: lo & m in v))
           for op, (m, v) in END16_IF.items() if m & 0xFF00 == 0]


def scan(start: int, code: bytes) -> CodeScan:
    """Guard ranges, trap words and any refusal for `code`, the executable
    bytes mapped at `start` (page-aligned, a whole number of pages)."""
    n = len(code) // 4
    word = lambda i: struct.unpack_from("<I", code, 4 * i)[0]       # noqa: E731
    lo, b2, hb = code[0::4], code[2::4], code[3::4]
    ends = bytearray((_where(hb, _OP_ENDS) | _where(hb, _OP_SPECIAL) & _where(lo, _FUNCT_ENDS))
                     .to_bytes(n, "little"))
    for m in re.finditer(b"\x01", hb.translate(_OP_ASK)):
        ends[m.start()] = ends_block(word(m.start()))
    heavy = (_where(hb, _HEAVY_HB) & _where(b2, _HEAVY_B2)).to_bytes(n, "little")
    runs = []
    for first, end in _stretches(bytes(ends), PAGE // 4, SAFE_RUN // HEAVY[2] + 1):
        heavies = heavy.count(1, first, end)
        if end - first + (HEAVY[2] - 1) * heavies <= SAFE_RUN:
            continue
        if heavies:
            worst, at = max_window_weight(struct.unpack_from(f"<{end - first}I", code, 4 * first))
            if worst > MAX_WINDOW_WEIGHT:
                return CodeScan(refused=(
                    f"{worst - HOOKED_TB_MAX} COP0 MFTR words among {HOOKED_TB_MAX} from "
                    f"{start + 4 * (first + at):#x}: each costs Unicorn's MIPS translator two TCG "
                    f"temporaries, and with more than {MAX_WINDOW_WEIGHT - HOOKED_TB_MAX} it "
                    f"would run out and crash the host, so this code cannot run here"))
        runs.append((start + 4 * first, start + 4 * end))
    low16, high16 = code[0::2], code[1::2]
    ends16 = _where(high16, _OP16_ENDS)
    for op_flags, low_flags in _COND16:
        ends16 |= _where(high16, op_flags) & _where(low16, low_flags)
    runs += [(start + 2 * first, start + 2 * end)
             for first, end in _stretches(ends16.to_bytes(2 * n, "little"), PAGE // 2,
                                          SAFE_RUN + 1)]
    traps = (_where(lo, _PMON_LO) & _where(hb, _OP_SPECIAL)).to_bytes(n, "little")
    return CodeScan(guard=tuple(merge(runs, MERGE_GAP)), traps=_traps(start, word, traps))


def _stretches(ends: bytes, per_page: int, shortest: int):
    """[first, end) of each stretch of at least `shortest` units with no TB
    end among them, cut at page boundaries (no TB crosses one)."""
    for m in re.finditer(b"\x00{%d,}" % shortest, ends):
        first, end = m.span()
        while first < end:
            cut = min(end, (first // per_page + 1) * per_page)
            if cut - first >= shortest:
                yield first, cut
            first = cut


def max_window_weight(words) -> tuple[int, int]:
    """The most any HOOKED_TB_MAX consecutive words of `words` weigh, and
    the index of the first such window."""
    ws = [weight(w) for w in words]
    best = total = sum(ws[:HOOKED_TB_MAX])
    where = 0
    for i in range(HOOKED_TB_MAX, len(ws)):
        total += ws[i] - ws[i - HOOKED_TB_MAX]
        if total > best:
            best, where = total, i - HOOKED_TB_MAX + 1
    return best, where


def _traps(start: int, word, candidates: bytes) -> tuple[tuple[int, str], ...]:
    """Each word that prints to the host, and each word that could be a branch
    with it in the delay slot (a code hook cannot stop a delay slot's
    instruction, so the branch is stopped instead)."""
    found = {}
    for m in re.finditer(b"\x01", candidates):
        i = m.start()
        if not prints_to_host(word(i)):
            continue
        found[start + 4 * i] = PMON_REASON
        j = i - 1
        while j >= 0 and may_branch(word(j)):
            found.setdefault(start + 4 * j, PMON_SLOT_REASON)
            j -= 1
    return tuple(sorted(found.items()))


def merge(ranges, gap: int) -> list[tuple[int, int]]:
    """Sorted [begin, end) ranges, with those less than `gap` bytes apart joined."""
    out: list[tuple[int, int]] = []
    for begin, end in sorted(ranges):
        if out and begin - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((begin, end))
    return out
