"""hal/core/ucfast.py calls Unicorn's C library directly; it must behave like the binding."""
import pytest
from conftest import ISAS, image

from hal.core.machine import Machine, Stop


@pytest.mark.parametrize("isa", ISAS)
def test_pc_reads_as_the_binding_reads_it(isa):
    m = Machine(image("fib", isa))
    for _ in range(5):
        assert m.pc == m.uc.reg_read(m._pc)
        assert m.run(budget=1000) in (Stop.BUDGET, Stop.BLOCKED)
        if m.request is not None:
            m.complete()


def test_an_exception_in_a_python_hook_is_raised_not_swallowed():
    m = Machine(image("hello", "x86"))

    def broken(*_):
        raise ValueError("a bug in a service")
    m._svc_write = broken
    with pytest.raises(ValueError, match="a bug in a service"):
        m.run()


def test_engines_are_sized_and_freed_through_the_binding_internals_we_use():
    """hal/core/engine.py: the TCG buffer is set before anything is mapped, and
    close() runs the binding's own finalizer (`_Uc__finalizer`), so the
    garbage collector's later call does nothing."""
    from hal.core.engine import TCG_BUFFER
    m = Machine(image("hello", "mips"))
    uc = m.uc
    assert uc.ctl_get_tcg_buffer_size() == TCG_BUFFER
    assert uc._Uc__finalizer.alive
    m.run()
    m.close()
    assert not uc._Uc__finalizer.alive and m.uc is None
    assert m.retired == 190 and m.exit_code == 0          # the numbers stay
    m.close()                                             # twice is harmless


@pytest.mark.parametrize("isa", ISAS)
def test_registers_read_and_write_as_the_binding_does(isa):
    """A HAL call's registers go through FastCore.reg/set_reg: full-width
    values, the top bit set, and 32-bit cores keeping only their word."""
    m = Machine(image("fib", isa))
    b, core = m.backend, m._core
    top = 1 << (b.bits - 1)
    for r in (m._service, m._result, *m._args):
        for value in (0, 1, top | 0x1234, b.word_mask):
            core.set_reg(r, value)
            assert m.uc.reg_read(r) == value == core.reg(r)
            m.uc.reg_write(r, value ^ b.word_mask)
            assert core.reg(r) == value ^ b.word_mask
