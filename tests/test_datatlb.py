"""The data TLB (hal/core/datatlb.py): guest stores take Unicorn's fast path,
and nothing a hook or a fault report relied on is lost by it."""
from __future__ import annotations

import pytest
from conftest import ISAS, LIBC_TESTS, c_program, image
from hypothesis import given
from hypothesis import strategies as st
from unicorn import UC_HOOK_MEM_WRITE, UC_PROT_READ, UC_PROT_WRITE

from hal.core import datatlb, runner
from hal.core.machine import Machine, Stop
from hal.inspection.symbols import Program


class _Regions:
    def __init__(self, regions):
        self.regions = regions

    def mem_regions(self):
        return iter(self.regions)


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20), st.booleans()),
                max_size=8))
def test_the_bad_access_hook_covers_exactly_what_is_not_writable(spans):
    """Every address is in a writable region or in one of the ranges, never both."""
    regions, at = [], 0
    for gap, pages, writable in spans:
        begin = at + gap * 0x1000
        end = begin + pages * 0x1000 - 1
        regions.append((begin, end, UC_PROT_READ | (UC_PROT_WRITE if writable else 0)))
        at = end + 1
    ranges = datatlb.unwatched_ranges(_Regions(regions))
    assert all(b <= e for b, e in ranges)
    assert all(e1 < b2 for (_, e1), (b2, _) in zip(ranges, ranges[1:]))
    probes = {0, datatlb.WHOLE} | {a + d for b, e, _ in regions for a in (b, e) for d in (-1, 0, 1)}
    for a in sorted(p for p in probes if 0 <= p <= datatlb.WHOLE):
        writable = any(b <= a <= e and p & UC_PROT_WRITE for b, e, p in regions)
        watched = sum(b <= a <= e for b, e in ranges)
        assert watched == (0 if writable else 1), hex(a)


def test_a_fetch_fault_names_the_jump_target_or_the_page_it_ran_into():
    code = {0x1000}
    executable = lambda a: a & ~0xFFF in code          # noqa: E731
    assert datatlb.fetch_fault_address(0x5008, executable) == 0x5008
    assert datatlb.fetch_fault_address(0x1FF0, executable) == 0x2000


@pytest.mark.parametrize("isa", ISAS)
def test_jumping_into_data_names_the_address(isa):
    """Writable RAM has no bad-access hook; the fault still names where the
    jump went, as the hook did."""
    m = Machine(image("hello", isa))
    target = m.memory.ram_end - 0x4000
    m.uc.reg_write(m.backend.reg(m.backend.regs.pc), target)
    assert m.run() is Stop.FAULTED
    assert (m.fault.reason, m.fault.address, m.fault.pc) == \
        ("jumped to non-executable memory", target, target)


@pytest.mark.parametrize("isa", ISAS)
def test_a_write_watch_added_mid_run_sees_every_later_store(isa):
    """Stores to `counter` made before the watch leave its page on the fast
    path, in code translated without the hook; watch_added retranslates, so
    the hook sees every store after it, as many as a hook there from the start."""
    img = image("debugme", isa)
    address = next(s["st_value"] for s in Program(img).elf.get_section_by_name(".symtab")
                   .iter_symbols() if s.name == "counter")

    def watch(m):
        seen = []           # the count at the start of each storing block
        m.uc.hook_add(UC_HOOK_MEM_WRITE, lambda uc, _a, a, _s, _v, _d: seen.append(m.retired),
                      None, address, address + img.backend.word_bytes - 1)
        datatlb.watch_added(m.uc)
        return seen

    m = runner.new_machine(img)
    everything = watch(m)
    runner.finish(m)
    total, half = len(everything), everything[1] + 1
    assert total >= 5
    m = runner.new_machine(img)
    assert m.run(half) is Stop.BUDGET
    later = watch(m)
    runner.finish(m)
    m2 = runner.new_machine(img)
    early = watch(m2)
    assert m2.run(half) is Stop.BUDGET
    assert 0 < len(later) == total - len(early) < total


@pytest.mark.parametrize("isa", ISAS)
def test_without_the_native_library_python_fills_the_tlb_alike(isa, monkeypatch):
    """The same output, count and faults when Python fills the TLB."""
    native = runner.run(image("hello", isa))
    monkeypatch.setattr(datatlb, "native_library", lambda: None)
    python = runner.run(image("hello", isa))
    assert (python.output, python.retired) == (native.output, native.retired)
    test_jumping_into_data_names_the_address(isa)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("how, reason", [("protect", "write to read-only memory"),
                                         ("unmap", "write to unmapped memory")])
def test_a_page_stored_to_then_protected_or_unmapped_faults_at_the_next_store(isa, how, reason):
    """A C library program's stores clear its page's TLB entry for the fast
    path; mprotect or munmap must take that back (BadAccessHooks.refresh)."""
    r = runner.run(c_program(LIBC_TESTS / "protect_after_store.c", isa, args=(how,)))
    assert r.output == (b"page[5] = 5\n" if how == "protect" else b"page[5] = -1\n")
    assert (r.fault.reason, r.fault.address) == (reason, 0x5000_0007)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", ["sort", "matmul"])
def test_tlb_misses_anywhere_leave_the_run_as_it_was(isa, guest):
    """In virtual TLB mode Unicorn restores the CPU's state at every miss; a
    TLB flushed every third block puts misses everywhere, delay slots
    included.  On MIPS this changed counts and output until the machine kept
    delay-slot ISAs out of the mode (datatlb.py says why)."""
    from unicorn import UC_CTL_IO_WRITE, UC_CTL_TLB_FLUSH, UC_HOOK_BLOCK
    reference = runner.run(image_of(guest, isa))
    m = runner.new_machine(image_of(guest, isa))
    blocks = [0]

    def flush(uc, _address, _size, _data):
        blocks[0] += 1
        if blocks[0] % 3 == 0:
            uc.ctl(UC_CTL_TLB_FLUSH, UC_CTL_IO_WRITE)
    m.uc.hook_add(UC_HOOK_BLOCK, flush)
    flushed = runner.finish(m)
    assert blocks[0] > 1000
    assert (flushed.output, flushed.retired, flushed.exit_code) == \
        (reference.output, reference.retired, reference.exit_code)


def image_of(guest: str, isa: str):
    """A bundled guest (guests/), built for `isa`."""
    from hal.core import registry
    from hal.toolchain import build, guests, programs
    return programs.load(build.build(str(guests.source(guest)), registry.get(isa)))
