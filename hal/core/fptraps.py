"""Floating-point exceptions a guest asked to trap on (the fp_trap service).

Every FPU here starts with its exceptions masked, as real hardware resets:
1.0 / 0.0 gives infinity and sets a sticky flag.  A guest that calls
hal_fp_trap(HAL_FE_DIVBYZERO | ...) asks for the other IEEE 754 choice: stop
at the instruction that raises one.  The cores cannot all do that for us:

  - RISC-V has no trap enables at all, only flags (so neither has the
    Alpha-like core);
  - Unicorn's SSE (x86 doubles) neither traps nor sets MXCSR's flags
    (unicorn-engine/unicorn#2006), and its x87 raises #MF only at the next
    fwait, where real hardware raises it at the next x87 instruction;
  - MIPS and PowerPC do trap (exception 23; a program exception with
    FPSCR.FEX), but Unicorn's MIPS core does not say where (the PC reads 0).

So halemu watches instead, the same way on every ISA: while any exception is
asked for, a code hook looks, before each instruction, at what the previous
one raised -- the FPU's sticky flags (Backend.fpu.flags), and on x86 what the
backend works out for an SSE instruction (Backend.fp_raised) -- and ends the
guest at that instruction with a report that names the exception.  The
instruction has completed (its result is in its register), and counts as
retired.  This costs a Python call per instruction, so only guests that ask
pay it.  Exceptions stay masked in the hardware all along.

Unicorn calls a code hook only from blocks translated after it was added,
and a block translated with it calls it until the block is dropped.  So
adding or removing the hook flushes the translated code (the service runs
from the trap's interrupt hook, between blocks): otherwise a function that
ran before hal_fp_trap would go on unwatched, and trap late at the wrong
instruction or never.
"""
from __future__ import annotations

# The guest's names for the five IEEE 754 exceptions (HAL_FE_* in hal.h)
EXCEPTIONS = (("invalid operation", 1), ("divide by zero", 2), ("overflow", 4),
              ("underflow", 8), ("inexact result", 16))
ALL = 31


def restore(machine, mask: int, last: tuple[int, object] | None = None) -> None:
    """Put a saved trap set back on a machine (a snapshot's, a debugger
    checkpoint's), making its watcher if it has none yet."""
    if mask or machine.fp_traps is not None:
        if machine.fp_traps is None:
            machine.fp_traps = FpTraps(machine)
        machine.fp_traps.restore(mask, last)


def names(raised: int) -> str:
    return ", ".join(name for name, bit in EXCEPTIONS if raised & bit)


class FpTraps:
    """The exceptions one machine traps on, and the hook that watches for them."""

    def __init__(self, machine):
        self.machine = machine
        self.mask = 0
        self._hook = None
        self._last: tuple[int, object] | None = None     # the previous instruction, and what
                                                         # the backend noted before it ran

    def set(self, mask: int, clear_flags: bool = True) -> int:
        """Trap on `mask` (HAL_FE_* bits) from now on; returns the previous mask.
        The flags of the exceptions asked for are cleared first, so that one
        raised before the call does not trap at once (a snapshot being
        restored keeps them)."""
        from unicorn import UC_HOOK_CODE
        machine, old = self.machine, self.mask
        backend, uc = machine.backend, machine.uc
        if clear_flags:
            backend.fp_clear_flags(uc, mask)
        self.mask = mask
        self._last = None
        if mask and self._hook is None:
            self._hook = uc.hook_add(UC_HOOK_CODE, self._on_code)
            uc.ctl_flush_tb()       # code that ran before would go on unwatched
        elif not mask and self._hook is not None:
            uc.ctl_flush_tb()       # blocks that call the hook must go before it does
            uc.hook_del(self._hook)
            self._hook = None
        return old

    @property
    def last(self) -> tuple[int, object] | None:
        """The instruction the next one's hook will look at, with what the
        backend noted before it ran (None: none yet)."""
        return self._last

    def restore(self, mask: int, last: tuple[int, object] | None) -> None:
        """Be as a checkpoint found this watcher: the same exceptions asked
        for, the flags as the restored FPU holds them, and the same
        instruction pending (a reverse step lands between the culprit and
        the instruction that reports it)."""
        self.set(mask, clear_flags=False)
        self._last = last

    def _on_code(self, uc, address, size, _data):
        backend = self.machine.backend
        if self._last is not None and self._last[0] != address:
            # (the same address again is the same instruction, not yet run:
            # the run stopped in a hook before it -- a pause, a slice's end --
            # and resumed there, so note it afresh and judge nothing yet)
            culprit, noted = self._last
            raised = backend.fp_raised(uc, noted) & self.mask
            if raised:
                self._last = None
                self.machine.fp_exception(culprit, f"floating-point exception: {names(raised)}")
                return
        self._last = (address, backend.fp_note(uc, address, size))
