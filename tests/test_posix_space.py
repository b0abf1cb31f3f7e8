"""The address space of a POSIX process: whatever a program asks of brk,
mmap, munmap, mprotect and mremap, hypothesis checks that Unicorn maps
exactly the pages the personality records, with the rights it records,
within the memory limit, and that nothing the program maps is executable."""
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TESTS

from hal.core import loader
from hal.core.machine import _protect
from hal.core.memmap import PAGE
from hal.personality.space import MMAP_BASE, R, W, X, AddressSpace

LIMIT = 4 << 20
IMAGE = loader.load(TESTS / "foreign" / "tiny.i686")

pages = st.integers(min_value=0, max_value=300)
rights = st.sampled_from([0, R, R | W, R | W | X, R | X])
op = st.one_of(
    st.tuples(st.just("mmap"), pages, pages, rights, st.booleans()),
    st.tuples(st.just("munmap"), pages, pages),
    st.tuples(st.just("mprotect"), pages, pages, rights),
    st.tuples(st.just("brk"), st.integers(min_value=-10, max_value=600)),
    st.tuples(st.just("mremap"), pages, pages, pages, st.booleans()),
)


def fresh() -> AddressSpace:
    import unicorn
    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_32)
    space = AddressSpace(uc, IMAGE, LIMIT)
    space.map_program()
    _protect(uc, IMAGE)                     # as the machine does next
    return space


def apply(space: AddressSpace, step) -> None:
    kind, *a = step
    at = lambda n: MMAP_BASE + n * PAGE                     # noqa: E731
    if kind == "mmap":
        space.mmap(at(a[0]), (a[1] + 1) * PAGE - a[0] % 3, a[2], a[3])
    elif kind == "munmap":
        space.unmap(at(a[0]), (a[1] + 1) * PAGE)
    elif kind == "mprotect":
        space.protect(at(a[0]), (a[1] + 1) * PAGE, a[2])
    elif kind == "brk":
        space.set_brk(space.brk_start + a[0] * PAGE)
    else:
        space.remap(at(a[0]), (a[1] + 1) * PAGE, (a[2] + 1) * PAGE, a[3])


def unicorn_pages(space: AddressSpace) -> dict[int, int]:
    from unicorn import UC_PROT_READ, UC_PROT_WRITE
    found = {}
    for start, end, perms in space.uc.mem_regions():
        for p in range(start, end + 1, PAGE):
            found[p] = (R if perms & UC_PROT_READ else 0) | (W if perms & UC_PROT_WRITE else 0)
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(op, max_size=25))
def test_unicorn_holds_exactly_the_pages_recorded_and_nothing_new_executes(steps):
    space = fresh()
    code = {p for p, r in space.pages.items() if r & X}
    for step in steps:
        apply(space, step)
        assert space.mapped <= LIMIT
        assert {p for p, r in space.pages.items() if r & X} == code
        mapped = unicorn_pages(space)
        assert set(mapped) == set(space.pages)
        for p, r in space.pages.items():
            assert mapped[p] == r & (R | W), hex(p)
            assert space.in_ram(p, PAGE) == bool(r & R)
        assert space.brk_start <= space.brk <= space.brk_limit
