"""The Unicorn calls a machine makes on every slice and every HAL call, made
straight through the binding's C library.

The binding's own wrappers cost 0.5 to 1.1 us a call (an x86 register read
passes through several layers of Python), and the scheduler makes two such
calls per 10,000-instruction slice, which raw Unicorn runs in about 50 us.
A HAL call reads the service number and its arguments and writes the result:
through the binding, about 5 us a register on Unicorn 2.1.4, a fifth of the
whole call.
This leans on two internals of the binding pinned in pyproject.toml (the
handle `_uch` and `_hook_exception`); tests/test_ucfast.py guards both.
"""
from __future__ import annotations

import ctypes


class FastCore:
    """Read the PC and general registers, write a register, and start the
    engine, for one Unicorn instance."""

    def __init__(self, uc, pc_register: int):
        from unicorn.unicorn_py3.unicorn import uclib
        self._uc = uc
        self._handle = uc._uch
        self._pc_register = pc_register
        self._buffer = ctypes.c_uint64()
        self._ref = ctypes.byref(self._buffer)
        self._reg_read = uclib.uc_reg_read
        self._reg_write = uclib.uc_reg_write
        self._emu_start = uclib.uc_emu_start

    def pc(self) -> int:
        return self.reg(self._pc_register)

    def reg(self, register: int) -> int:
        """A register of at most 64 bits (the PC, a general register), as
        Uc.reg_read gives it."""
        buffer = self._buffer
        buffer.value = 0                 # a 32-bit core writes only the low half
        err = self._reg_read(self._handle, register, self._ref)
        if err:
            from unicorn import UcError
            raise UcError(err)
        return buffer.value

    def set_reg(self, register: int, value: int) -> None:
        """Write a register of at most 64 bits, as Uc.reg_write does (a 32-bit
        core reads the low half of the little-endian host word)."""
        self._buffer.value = value
        err = self._reg_write(self._handle, register, self._ref)
        if err:
            from unicorn import UcError
            raise UcError(err)

    def start(self, begin: int, until: int) -> int:
        """Run from `begin`; return Unicorn's error code (0: none).  An exception
        raised in a Python hook is re-raised here, as Uc.emu_start does."""
        uc = self._uc
        uc._hook_exception = None
        err = self._emu_start(self._handle, begin, until, 0, 0)
        if uc._hook_exception is not None:
            raise uc._hook_exception
        return err
