"""Exact stops on Unicorn hooks: breakpoints, single steps and watchpoints.

A position is a retired-instruction count: the state just before the
instruction that would be number position + 1 runs.  Inside a block it is
the count at the block's start plus the instruction's index in the block.

Unicorn calls a code hook before an instruction runs, and stopping there
(Machine.pause) leaves it unrun: breakpoints and steps stop exactly.  A
breakpoint is a code hook on its one address, so the rest of the code is
translated without any call and runs at full speed.  A whole-code hook is
added only for the last few instructions of an exact run (`finish`), and
only the block it needs is translated again (ctl_remove_cache); Unicorn
translates blocks that already ran without a hook added later.

Deleting a code hook works the other way round: a translated block calls
its code hooks straight from the generated code, so a block translated while
a hook was there still calls it after hook_del, whose Python callback is
gone by then: the host process dies (SIGSEGV).  So the blocks that can hold
a hook are dropped before it is deleted: the breakpoint's one address, or
every address a step hook saw (_drop_hook).

Memory hooks differ: stopping inside one leaves the store done and the
instruction to be run again, so a read-modify-write would apply twice.  A
watchpoint's hook only notes the hit, computes its position, and asks the
block counter to stop when the block ends; target.py then goes to the exact
position by re-execution.

MIPS delay slots: Unicorn cannot resume between a branch and its delay slot
(unicorn#1749), and a stop asked for there lands after the slot.  So no stop
is ever made there: a step forward moves past the slot, a step back stops
at the branch.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from ..core import datatlb
from ..core.machine import Machine, Stop


class Mode(enum.Enum):
    OFF = "off"          # hooks say nothing (replaying to a known position)
    STOP = "stop"        # a breakpoint pauses; a watchpoint ends the block
    RECORD = "record"    # every hit is written down and the run goes on (reverse-continue)


@dataclass(frozen=True)
class Hit:
    position: int        # for a breakpoint, where it stops; for a watchpoint, the access's
    kind: str            # "break", "watch" (write), "rwatch" (read) or "awatch" (either)
    address: int         # the breakpoint's, or the data address that was touched
    in_slot: bool = False   # the access was made by a delay-slot instruction


@dataclass
class Watch:
    kind: str
    start: int
    length: int
    handle: int


_WATCH_TYPES = {"watch": ("write",), "rwatch": ("read",), "awatch": ("read", "write")}
_REACH = 7               # an access of up to 8 bytes may start this far before a watch


class Hooks:
    def __init__(self, machine: Machine, run):
        self.m = machine
        self.run = run                       # the machine's own run()
        self.uc = machine.uc
        self.backend = machine.backend
        self.mode = Mode.OFF
        self.skip: int | None = None         # no breakpoint stop at this position (resuming there)
        self.hits: list[Hit] = []            # Mode.RECORD
        self.stopped: Hit | None = None      # what stopped a Mode.STOP run
        self._breaks: dict[int, int] = {}    # address -> hook handle
        self._watches: list[Watch] = []
        self._branch: dict[int, bool] = {}
        self._target = 0
        self._forward = True
        self._after_branch = False
        self._stepped = (0, -1)              # lowest and highest address the step hook saw

    # -- positions ------------------------------------------------------------------
    def position(self, address: int) -> int:
        """The position of the instruction at `address` in the running block."""
        counter = self.m.counter
        block, _, n = counter.last_block
        return counter.retired - n + counter.sizer.count(self.uc, block, address - block)

    def delayed_branch(self, address: int) -> bool:
        """Is the instruction at `address` a branch with a delay slot after it?"""
        if not self.backend.delay_slots:
            return False
        known = self._branch.get(address)
        if known is None:
            from capstone import CS_GRP_BRANCH_RELATIVE, CS_GRP_CALL, CS_GRP_JUMP, CS_GRP_RET
            groups = {CS_GRP_JUMP, CS_GRP_CALL, CS_GRP_RET, CS_GRP_BRANCH_RELATIVE}
            code = bytes(self.uc.mem_read(address, self.backend.insn_width))
            md = _detailed(self.backend)
            # capstone gives some branches no group (MIPS jal); the backend's
            # instruction-mix table names those
            mix = self.backend.mix
            known = any(groups & set(i.groups) or mix.get(i.mnemonic) in ("calls", "branches")
                        for i in md.disasm(code, address, 1))
            self._branch[address] = known
        return known

    def in_delay_slot(self, address: int) -> bool:
        """Statically: does a delayed branch sit right before `address`?"""
        width = self.backend.insn_width or 0
        return bool(width) and self.delayed_branch(address - width)

    # -- breakpoints ----------------------------------------------------------------
    def add_break(self, address: int) -> None:
        from unicorn import UC_HOOK_CODE
        if address in self._breaks:
            return
        self._breaks[address] = self.uc.hook_add(UC_HOOK_CODE, self._on_break,
                                                 begin=address, end=address)
        self.uc.ctl_remove_cache(address, address + 1)     # blocks translated without it

    def remove_break(self, address: int) -> bool:
        handle = self._breaks.pop(address, None)
        if handle is None:
            return False
        self._drop_hook(handle, address, address)
        return True

    def _drop_hook(self, handle: int, low: int, high: int) -> None:
        """Delete a code hook that was on addresses low..high, and first the
        translated blocks there, which call it directly (module docstring)."""
        if low <= high:
            self.uc.ctl_remove_cache(low, high + 1)
        self.uc.hook_del(handle)

    def _on_break(self, uc, address, size, _data):
        if self.mode is Mode.OFF or self.in_delay_slot(address):
            return
        position = self.position(address)
        if position == self.skip:
            return
        hit = Hit(position, "break", address)
        if self.mode is Mode.RECORD:
            self.hits.append(hit)
        elif self.stopped is None:
            self.stopped = hit
            self.m.pause()

    # -- watchpoints ----------------------------------------------------------------
    def add_watch(self, kind: str, start: int, length: int) -> None:
        from unicorn import UC_HOOK_MEM_READ, UC_HOOK_MEM_WRITE
        if any((w.kind, w.start, w.length) == (kind, start, length) for w in self._watches):
            return
        types = 0
        for t in _WATCH_TYPES[kind]:
            types |= UC_HOOK_MEM_READ if t == "read" else UC_HOOK_MEM_WRITE
        handle = self.uc.hook_add(types, self._on_access, kind,
                                  begin=max(0, start - _REACH), end=start + length - 1)
        datatlb.watch_added(self.uc)
        self._watches.append(Watch(kind, start, length, handle))

    def remove_watch(self, kind: str, start: int, length: int) -> bool:
        for w in self._watches:
            if (w.kind, w.start, w.length) == (kind, start, length):
                self._watches.remove(w)
                self.uc.hook_del(w.handle)
                return True
        return False

    def _on_access(self, uc, access, address, size, value, kind):
        if self.mode is Mode.OFF:
            return
        hit = None
        for w in self._watches:
            if w.kind == kind and address < w.start + w.length and address + size > w.start:
                pc = self.m.pc
                hit = Hit(self.position(pc), kind, max(address, w.start), self.in_delay_slot(pc))
                break
        if hit is None:
            return
        if self.mode is Mode.RECORD:
            self.hits.append(hit)
        elif self.stopped is None:
            self.stopped = hit
            counter = self.m.counter
            counter.slice_end = counter.retired      # stop when this block ends

    def remove_all(self) -> None:
        for address in list(self._breaks):
            self.remove_break(address)
        for w in list(self._watches):
            self.remove_watch(w.kind, w.start, w.length)

    # -- the last instructions of an exact run --------------------------------------
    def finish(self, target: int, forward: bool) -> Stop:
        """From a block boundary, run the block that holds `target` one instruction
        at a time and stop exactly there; where `target` is a delay slot, stop
        just after it (forward) or at its branch (not forward)."""
        from unicorn import UC_HOOK_CODE
        m = self.m
        pc = m.pc
        self._target, self._forward, self._after_branch = target, forward, False
        self.uc.ctl_remove_cache(pc, pc + 1)
        self._stepped = (pc, pc)
        handle = self.uc.hook_add(UC_HOOK_CODE, self._on_step)
        try:
            return self.run(budget=target + 2 - m.retired)
        finally:
            self._drop_hook(handle, *self._stepped)

    def _on_step(self, uc, address, size, _data):
        low, high = self._stepped
        self._stepped = (min(low, address), max(high, address + size - 1))
        position = self.position(address)
        in_slot, self._after_branch = self._after_branch, self.delayed_branch(address)
        target = self._target
        if self._forward:
            if position >= target:
                if not in_slot:
                    self.m.pause()
                else:                            # the slot ends the block: stop right after it
                    counter = self.m.counter
                    counter.slice_end = counter.retired
        elif position == target or (position == target - 1 and self._after_branch):
            self.m.pause()


_detailed_md: dict[str, object] = {}


def _detailed(backend):
    """A capstone instance with instruction groups (the shared one has no detail)."""
    md = _detailed_md.get(backend.name)
    if md is None:
        import capstone
        md = capstone.Cs(backend.cs_arch, backend.cs_mode)
        md.detail = True
        _detailed_md[backend.name] = md
    return md

