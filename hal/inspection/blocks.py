"""Retired instructions sorted by any label, from the machine's block counts.

The machine's block counter already knows how often each basic block ran
(Machine.counter.blocks(), in C when the native counter is built).  A tool
labels each instruction of a block once (the instruction mix labels it with
its class, the profile with the function it belongs to), and the labels are
weighted by the block's executions: no extra hook, and the total is exactly
the machine's retired count.  A fault part-way through a block is reconciled
by dropping that block's unexecuted tail, from the faulting instruction on,
as the machine does.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Hashable, Sequence

Labeller = Callable[[int, bytes], Sequence[Hashable]]
"""(block address, block code) -> one label per instruction, in order."""


def weigh(machine, label: Labeller) -> Counter:
    """Retired instructions per label, after (or between) runs of `machine`;
    they add up to machine.retired exactly.  Blocks are read back from guest
    memory, which holds the same code: code pages are write-protected."""
    uc = machine.uc
    counts: Counter = Counter()
    blocks = {}
    for address, size, n, runs in machine.counter.blocks():
        labels = blocks[address, size] = tuple(label(address, bytes(uc.mem_read(address, size))))
        if len(labels) != n:
            raise AssertionError(f"block at {address:#x}: {len(labels)} instructions, "
                                 f"the counter says {n}")
        for one in labels:
            counts[one] += runs
    excess = sum(counts.values()) - machine.retired
    if excess:
        for one in _unexecuted_tail(machine, blocks, excess):
            counts[one] -= 1
    if sum(counts.values()) != machine.retired:
        raise AssertionError(f"labels add up to {sum(counts.values())}, "
                             f"the machine retired {machine.retired}")
    return counts


def _unexecuted_tail(machine, blocks, excess: int) -> tuple:
    """The labels of the instructions the machine uncounted after a fault: those
    from the faulting instruction to the end of a block that holds it."""
    pc = machine.pc if machine.fault is not None else None   # where it stopped: usually the
                                                             # culprit; after a trapped FP
                                                             # exception, the next instruction
    for (address, size), labels in blocks.items():
        if pc is not None and address <= pc < address + size:
            tail = labels[len(labels) - excess:]
            done = labels[:len(labels) - excess]
            if len(tail) == excess and _ends_before(machine, address, size, len(done), pc):
                return tail
    raise AssertionError(f"{excess} counted instructions do not match a fault's block")


def _ends_before(machine, address: int, size: int, done: int, pc: int) -> bool:
    """Whether exactly `done` instructions of the block lie before pc."""
    return machine.counter.sizer.count(machine.uc, address, pc - address) == done
