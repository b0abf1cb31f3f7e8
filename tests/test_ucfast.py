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
