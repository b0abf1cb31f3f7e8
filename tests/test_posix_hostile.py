"""Hostile system calls: any call number with any arguments, on every ISA,
is answered the way a Linux kernel answers, with a result or an error
number from that ISA's own errno table (or the program ends, as exit and
kill end it); never a Python exception out of the personality, which
would reach the user as exit 70, and never a hang on an absurd length.

The calls are made straight into the dispatcher of a freshly loaded C
library program, its registers set as the trap would leave them, so
hypothesis can try thousands of them; tests/libc/hostile.c makes a few
such calls from a real program through the emulator."""
import signal
from contextlib import contextmanager
from functools import lru_cache

from conftest import ISAS, LIBC_TESTS, c_program
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hal.core import registry
from hal.core.machine import Machine
from hal.personality import abi as abis
from hal.personality.calls import CALLS

# Words a fuzzer should try often: small numbers, page edges, where this
# process has memory (the program, the mmap area, the stack) and the top.
EDGES = [0, 1, 2, 3, 4, 16, 0xFFF, 0x1000, 0x10000, 0x10010, 0x1000000, 0x5000_0000,
         0x7FEF_F000, 0x7FEF_FFF0, 0x7FF0_0000, 0x7FFF_F000, 0x8000_0000, 0xFFFF_F000,
         0xFFFF_FFFF, 1 << 31, 1 << 62, 1 << 63, (1 << 64) - 4096, (1 << 64) - 1]
WORDS = st.one_of(st.sampled_from(EDGES), st.integers(0, (1 << 64) - 1),
                  st.integers(0, 0x2000))
# A call: one of the served ones by its index, or any number at all.
NUMBERS = st.one_of(st.integers(0, len(CALLS) - 1).map(lambda i: ("served", i)),
                    st.integers(0, (1 << 64) - 1).map(lambda n: ("raw", n)))
CALL = st.tuples(NUMBERS, st.lists(WORDS, min_size=6, max_size=6))
MEMORY = ("brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise")
MEMORY_CALL = st.tuples(st.sampled_from(MEMORY).map(lambda n: ("served", list(CALLS).index(n))),
                        st.lists(WORDS, min_size=6, max_size=6))
HANG = 60       # seconds: far beyond what eight calls take, even on a loaded machine


@lru_cache(maxsize=None)
def hello(isa: str):
    return c_program(LIBC_TESTS / "hello.c", isa)


def number_of(abi, how, value) -> int:
    if how == "raw":
        return value
    name = list(CALLS)[value]
    return abi.call_numbers.get(name, 99_999)       # a call this ISA lacks: unknown here


def answer(abi, backend, uc) -> int:
    """The call's result as the C library reads it: negative means -errno."""
    value = uc.reg_read(backend.reg(abi.result)) & backend.word_mask
    if abi.error_flag is not None:
        register, bit = abi.error_flag
        flag = uc.reg_read(backend.reg(register))
        failed = flag & bit if bit is not None else flag
        return -value if failed else value
    return value - (1 << backend.bits) if value >> (backend.bits - 1) else value


@contextmanager
def no_hang():
    """A call that never returns fails the test instead of stalling the suite."""
    def hung(*_):
        raise AssertionError(f"a system call ran for {HANG} s")
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isa=st.sampled_from(ISAS), calls=st.lists(CALL, min_size=1, max_size=8))
def test_any_call_with_any_arguments_is_answered(isa, calls):
    with no_hang():
        make_calls(isa, calls)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isa=st.sampled_from(ISAS), calls=st.lists(MEMORY_CALL, min_size=1, max_size=8))
@example(isa="alpha", calls=[(("served", list(CALLS).index("munmap")),
                               [0x5000_0000, 1 << 62, 0, 0, 0, 0])])
def test_memory_calls_with_absurd_lengths_are_answered_at_once(isa, calls):
    """munmap of 2**62 bytes walks the pages the process has, not the range."""
    with no_hang():
        make_calls(isa, calls)


def make_calls(isa, calls):
    backend = registry.get(isa)
    machine = Machine(hello(isa))
    process, uc = machine.os, machine.uc
    abi = abis.for_backend(backend)
    errnos = {n for n, _ in abi.errno_table.values()}
    for (how, value), args in calls:
        number = number_of(abi, how, value) & backend.word_mask
        uc.reg_write(backend.reg(abi.number), number)
        for register, word in zip(abi.args, args):
            uc.reg_write(backend.reg(register), word & backend.word_mask)
        process.syscall()
        if machine.done or machine.request is not None:
            break                               # exit, a fatal signal, or a sleep to serve
        result = answer(abi, backend, uc)
        name = abi.calls.get(number)
        if name not in CALLS:
            assert result == -abi.errno("ENOSYS"), (name, number)
        elif -4096 < result < 0:
            assert -result in errnos, (name, result)
        assert process.space.mapped <= machine.memory.size
