"""arch/mips/translation.py against the installed Unicorn, and its scan
against the word-by-word rules it is built from.

The tables are facts about Unicorn 2.1.4's MIPS translator: which words end
a translation block, and how many TCG temporaries each leaks.  These tests
ask Unicorn itself (translating without running, through ctl_request_cache,
and reading TCGContext.nb_temps), so another Unicorn version fails here
rather than somewhere in a student's run.  Anything that could crash if the
guard were wrong runs in a forked child."""
from __future__ import annotations

import ctypes
import os
import pickle
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.arch.mips import translation as t

BASE = 0x10000
BREAK, NOP = 0x0000000D, 0
NOP16, BREAK16, EXTEND = 0x6500, 0xE805, 0xF000
MFTR = 0x41102800                                   # COP0 MFTR, rt 16, rd 5: two temporaries


def engine(mips16: bool = False, size: int = 0x10000):
    from unicorn import (UC_ARCH_MIPS, UC_MODE_LITTLE_ENDIAN, UC_MODE_MIPS32, UC_PROT_EXEC,
                         UC_PROT_READ, Uc)
    from unicorn.mips_const import UC_MIPS_REG_PC
    uc = Uc(UC_ARCH_MIPS, UC_MODE_MIPS32 | UC_MODE_LITTLE_ENDIAN)
    uc.mem_map(BASE, size, UC_PROT_READ | UC_PROT_EXEC)
    uc.reg_write(UC_MIPS_REG_PC, BASE | mips16)     # an odd PC puts the core in MIPS16 mode
    return uc


def words(*ws) -> bytes:
    return struct.pack(f"<{len(ws)}I", *ws)


def halves(*hs) -> bytes:
    return struct.pack(f"<{len(hs)}H", *hs)


def block_lengths(uc, probes: list[bytes], slot: int) -> list[int]:
    """How many instructions Unicorn puts in the block starting at each probe."""
    uc.ctl_flush_tb()
    uc.mem_write(BASE, b"".join(p.ljust(slot, b"\0") for p in probes))
    return [uc.ctl_request_cache(BASE + slot * i)[1] for i in range(len(probes))]


class Temps:
    """TCGContext.nb_temps, found by its neighbours: the context starts with
    five pointers, then nb_labels, nb_globals (130 on MIPS), nb_temps
    (qemu/include/tcg/tcg.h).  Reading it translates nothing."""

    def __init__(self, uc, mips16: bool = False):
        maps = []
        with open("/proc/self/maps") as f:
            for line in f:
                span, perms = line.split()[:2]
                if perms.startswith("r"):
                    maps.append(tuple(int(x, 16) for x in span.split("-")))
        readable = lambda a, n: any(lo <= a and a + n <= hi for lo, hi in maps)   # noqa: E731
        uc.mem_write(BASE, halves(BREAK16) if mips16 else words(BREAK))
        uc.ctl_request_cache(BASE)                    # (zeros after it are MIPS16 no-ops)
        base = uc._uch.value if hasattr(uc._uch, "value") else uc._uch
        for off in range(0, 0x4000, 8):
            if not readable(base + off, 8):
                break
            p = ctypes.c_uint64.from_address(base + off).value
            if p and readable(p, 64) and ctypes.c_int32.from_address(p + 44).value == 130 \
                    and 130 <= ctypes.c_int32.from_address(p + 48).value <= 600:
                self.address = p + 48
                return
        raise AssertionError("TCGContext not found: another Unicorn? Measure the tables again")

    def __call__(self) -> int:
        return ctypes.c_int32.from_address(self.address).value


def in_child(fn):
    """fn()'s result, computed in a forked child: a crash fails the test, not pytest."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            data = pickle.dumps(("ok", fn()))
        except BaseException as e:                       # noqa: BLE001 - sent to the parent
            data = pickle.dumps(("error", repr(e)))
        with os.fdopen(write, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and data, f"the child died (status {status:#x})"
    kind, value = pickle.loads(data)
    assert kind == "ok", value
    return value


# -- which words end a block --------------------------------------------------------
def test_every_mips16_halfword_said_to_end_a_block_does():
    """Exhaustive: each of the 65,536 halfwords, alone and as the second half
    of an EXTEND pair, in MIPS16 mode."""
    uc = engine(mips16=True)
    enders = [h for h in range(1 << 16) if t.ends_block16(h)]
    assert len(enders) > 20000                     # the table is not empty by mistake
    for prefix in ((), (EXTEND,), (EXTEND | 0x7FF,)):
        for i in range(0, len(enders), 2048):
            probes = [halves(*prefix, h, *[NOP16] * 6, BREAK16) for h in enders[i:i + 2048]]
            lengths = block_lengths(uc, probes, 32)
            assert max(lengths) < 8, [hex(h) for h, n in zip(enders[i:], lengths) if n >= 8][:5]


def _word_classes(rnd: random.Random) -> list[int]:
    """Every (rs, rt) of the opcodes whose answer depends on them, every
    SPECIAL function, and a sample of the rest, with random other bits."""
    out = []
    for op in range(64):
        if op in (0x01, 0x05, 0x06, 0x07, 0x11, 0x15, 0x17):
            out += [op << 26 | f << 16 | rnd.getrandbits(16) for f in range(1024) for _ in range(4)]
        else:
            out += [op << 26 | rnd.getrandbits(26) for _ in range(256)]
    out += [rnd.getrandbits(20) << 6 | fn for fn in range(64) for _ in range(32)]   # SPECIAL
    return out


def test_every_mips32_word_said_to_end_a_block_does():
    uc = engine()
    enders = [w for w in _word_classes(random.Random(7)) if t.ends_block(w)]
    for i in range(0, len(enders), 4096):
        probes = [words(w, NOP, NOP, BREAK) for w in enders[i:i + 4096]]
        lengths = block_lengths(uc, probes, 16)
        assert max(lengths) <= 2, [hex(w) for w, n in zip(enders[i:], lengths) if n > 2][:5]


@pytest.mark.parametrize("word, what", [
    (0x15080003, "bne $t0, $t0: never taken, a no-op"),
    (0x04000003, "bltz $zero: never taken, a no-op"),
    (0x1C000003, "bgtz $zero: never taken, a no-op"),
    (0x04020003, "bltzl $zero: never taken, its delay slot skipped"),
    (0x55080003, "bnel $t0, $t0: never taken, its delay slot skipped"),
    (0x5C000003, "bgtzl $zero: never taken, its delay slot skipped"),
    (0x00200000, "sll with rs set: capstone cannot decode it"),
    (0x7C03E83B, "rdhwr $v1, $29"),
])
def test_words_capstone_misjudges_do_not_end_a_block(word, what):
    """Why the tables come from Unicorn: capstone calls these branches
    branches and cannot decode the sll; Unicorn's block goes on past all of
    them (a never-taken branch-likely skips its delay slot), and so does the
    scan's run."""
    assert not t.ends_block(word)
    assert block_lengths(engine(), [words(word, NOP, NOP, BREAK)], 16)[0] >= 3


# -- what each word costs -----------------------------------------------------------
def _leak(uc, temps, unit: bytes, end: bytes) -> int:
    """Temporaries one more copy of `unit` costs, from 8 and 24 copies."""
    counts = []
    for n in (8, 24):
        uc.ctl_flush_tb()
        uc.mem_write(BASE, unit * n + end)
        assert uc.ctl_request_cache(BASE)[1] == n + 1, unit.hex()
        counts.append(temps())
    return (counts[1] - counts[0]) // 16


def test_weights_match_unicorn():
    """Each straight kind leaks what weight() says: one temporary, two for MFTR."""
    import long_runs
    rnd = random.Random(3)
    uc = engine()
    temps = Temps(uc)
    sample = [MFTR, MFTR | 0x7, 0x41102805] + long_runs.UNDECODABLE + [
        w for w in (rnd.getrandbits(32) for _ in range(4000))
        if block_lengths(uc, [words(w, NOP, NOP, BREAK)], 16) == [4]][:300]
    for w in sample:
        assert _leak(uc, temps, words(w), words(BREAK)) == t.weight(w), hex(w)
    uc16 = engine(mips16=True)
    temps16 = Temps(uc16, mips16=True)
    straight16 = [h for h in rnd.sample(range(1 << 16), 3000) if not t.ends_block16(h)
                  and h >> 11 not in (3, 30)][:300]
    for h in straight16:
        if block_lengths(uc16, [halves(h, NOP16, NOP16, BREAK16)], 16) == [4]:
            assert _leak(uc16, temps16, halves(h), halves(BREAK16)) == 1, hex(h)


@pytest.mark.parametrize("unit, mips16", [
    (words(NOP), False), (words(0x00431021), False), (words(0x00021040), False),
    (words(0x8E080000), False), (words(0xAE080004), False), (words(0x00200000), False),
    (words(MFTR, NOP, NOP, NOP, NOP, NOP), False),
    (halves(NOP16), True), (halves(0x4000), True), (halves(EXTEND, 0x4000), True),
], ids=["nop", "addu", "sll", "lw", "sw", "undecodable", "mftr-dense", "mips16-nop",
        "mips16-addiu", "mips16-extended"])
def test_guarded_blocks_stay_short(unit, mips16):
    """Under the guard's no-op code hook, a block inside a 1,023-word run
    ends by the op count within HOOKED_TB_MAX instructions, far below the
    temporaries that crash (translated in a child, in case it does not)."""
    from unicorn import UC_HOOK_BLOCK
    from hal.core.codeguard import CodeGuard
    from hal.core import registry

    def translate():
        uc = engine(mips16=mips16, size=0x1000)
        temps = Temps(uc, mips16)
        uc.ctl_flush_tb()
        code = (unit * 4096)[:0xFFC] + (halves(BREAK16, BREAK16) if mips16 else words(BREAK))
        uc.hook_add(UC_HOOK_BLOCK, lambda *a: None)      # as the machine's counter
        guard = CodeGuard(uc, registry.get("mips"), lambda *a: None)
        guard.map_code(BASE, code)
        return guard.guarded, uc.ctl_request_cache(BASE)[1], temps()

    guarded, length, temps = in_child(translate)
    assert guarded[0][0] == BASE and guarded[0][1] >= BASE + 0xFFC, guarded
    assert length <= t.HOOKED_TB_MAX and temps < 500, (length, temps)     # of 512


# -- the scan -----------------------------------------------------------------------
def reference_scan(start: int, code: bytes) -> tuple[list, dict]:
    """The scan written the slow way, straight from the word rules."""
    ranges = []
    for unit, ends, weigh, count in ((4, t.ends_block, t.weight, len(code) // 4),
                                     (2, t.ends_block16, lambda h: 1, len(code) // 2)):
        units = struct.unpack(f"<{count}{'I' if unit == 4 else 'H'}", code)
        first, total = 0, 0
        for i, u in enumerate(units):
            if i * unit % t.PAGE == 0 and i != first:
                if total > t.SAFE_RUN:
                    ranges.append((start + unit * first, start + unit * i))
                first, total = i, 0
            if ends(u):
                if total > t.SAFE_RUN:
                    ranges.append((start + unit * first, start + unit * i))
                first, total = i + 1, 0
            else:
                total += weigh(u)
        if total > t.SAFE_RUN:
            ranges.append((start + unit * first, start + len(code)))
    ws = struct.unpack(f"<{len(code) // 4}I", code)
    traps = {}
    for i, w in enumerate(ws):
        if t.prints_to_host(w):
            traps[start + 4 * i] = t.PMON_REASON
            j = i - 1
            while j >= 0 and t.may_branch(ws[j]):
                traps.setdefault(start + 4 * j, t.PMON_SLOT_REASON)
                j -= 1
    return t.merge(ranges, t.MERGE_GAP), traps


PALETTE = [NOP, 0x00431021, 0x24420001, 0x0000000D, 0x03E00008, 0x10000004, 0x15080003,
           0x14A40003, 0x04000003, 0x04110003, 0x1C000003, 0x1C800003, 0x45000003, MFTR,
           0x00000185, 0x000001C5, 0x00000005, 0x00200000, 0x10001000, 0xE8206500, 0x65006500]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PALETTE + [None]), st.integers(1, 700)), max_size=12),
       st.integers(1, 3), st.randoms(use_true_random=False))
def test_scan_finds_what_the_word_rules_find(pieces, pages, rnd):
    code = b"".join(words(*(w if w is not None else rnd.getrandbits(32) for _ in range(n)))
                    for w, n in pieces)
    code = (code + words(BREAK) * (1024 * pages))[:0x1000 * pages]
    found = t.scan(0x20000, code)
    if found.refused:
        assert "COP0 MFTR" in found.refused
        return
    ranges, traps = reference_scan(0x20000, code)
    assert list(found.guard) == ranges
    assert dict(found.traps) == traps


def page(code: bytes, fill: int = BREAK) -> bytes:
    """`code` filled out to a whole page with `fill` words."""
    return code + words(fill) * ((0x1000 - len(code)) // 4)


BEQ = 0x10001000          # beq $zero, $zero: ends a block, and so do both its halves
ADDU = 0x00431021         # addu $v0, $v0, $v1: its low half is a MIPS16 branch


def test_short_runs_are_not_guarded_and_long_ones_are():
    assert t.scan(BASE, page(words(ADDU) * 256, fill=BEQ)).guard == ()
    assert t.scan(BASE, page(words(ADDU) * 257, fill=BEQ)).guard == ((BASE, BASE + 257 * 4),)
    assert t.scan(BASE, page(words(MFTR) * 129, fill=BEQ)).guard == ((BASE, BASE + 129 * 4),)


def test_mips16_runs_are_guarded_too():
    """The break fence reads as MIPS16 no-ops, so a fenced gap is a long
    MIPS16 run: guarded, though only a hostile jump ever gets there."""
    assert t.scan(BASE, page(b"")).guard == ((BASE, BASE + 0x1000),)
    code = page(words(BEQ) * 100 + words(0x65006500) * 200, fill=BEQ)
    assert t.scan(BASE, code).guard == ((BASE + 400, BASE + 1200),)


def test_code_too_dense_in_heavy_words_is_refused_and_a_little_is_not():
    ok = t.scan(BASE, page(words(MFTR) * 50 + words(NOP) * 700))
    assert ok.refused is None and ok.guard
    found = t.scan(BASE, page(words(NOP) * 100 + words(MFTR, NOP) * 150))
    assert found.refused.startswith("145 COP0 MFTR words among 290 from 0x1018c: ")
