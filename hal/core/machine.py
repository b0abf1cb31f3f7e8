"""One guest virtual machine: its own Unicorn CPU and memory, the HAL services
it traps into, and exact retired-instruction counting.

A Machine never decides *when* it runs: a driver (hal/core/runner.py alone, the
scheduler for many guests) calls run() with a budget of ticks and gets back
why it stopped.  Blocking services (yield, sleep, send, recv, wait, read) stop
the machine with a Request that the driver answers through complete().  A
debugging session (hal/debugger/session.py) stands in front of run() by
replacing it on the one machine it debugs, so drivers need not know.
"""
from __future__ import annotations

import enum
from typing import Callable, NamedTuple

from ..errors import LoadError
from . import datatlb, faults, fptraps, interrupt, platform, services
from .codeguard import CodeGuard
from .console import Console, ConsoleFull
from .counting import LIMIT, NO_END, SLICE, make_counter
from .engine import OutOfMemory, close_engine, new_engine
from .guestmem import GuestMemory, GuestMemoryError, map_ram
from .loader import Image
from .memmap import DEFAULT_MEMORY, PAGE, STOP_ADDRESS, MemoryMap
from .personality import Personality
from .ucfast import FastCore

# Without a limit of its own, a guest stops after this many instructions: a
# class's runaway loop ends by itself, in about five seconds, with a message
# that says how to raise it (MARS stops at a step limit in the same spirit).
# Every bundled guest retires under 3 million; a limit of 0 means none.
DEFAULT_MAX_INSTRUCTIONS = 1_000_000_000


class Stop(enum.Enum):
    EXITED = "exited"        # hal_exit or return from main
    FAULTED = "faulted"      # see Machine.fault
    LIMIT = "limit"          # ran past max_instructions; see Machine.fault
    BUDGET = "budget"        # used up the ticks it was given; run() again to go on
    BLOCKED = "blocked"      # asked for a blocking service; see Machine.request
    PAUSED = "paused"        # a debugger asked to stop here (pause_at, pause()); run() again to go on


class Request(NamedTuple):
    """A blocking service call waiting for its driver."""
    service: services.Service
    args: tuple[int, ...]


class Machine:
    def __init__(self, image: Image, *, name: str | None = None,
                 memory: MemoryMap | None = None, console: Console | None = None,
                 max_instructions: int | None = None, native: bool | None = None,
                 block_counts: bool = True):
        """max_instructions: the most instructions the guest may retire; None
        for DEFAULT_MAX_INSTRUCTIONS, 0 for no limit at all.  block_counts:
        keep each block's executions, for the instruction mix and the profile
        (counter.blocks()); False counts the same total, faster on an ISA of
        fixed width (hal/core/counting.py)."""
        from unicorn import UC_HOOK_INTR, UcError

        if image.abi != "hal" and image.personality is None:
            raise LoadError(f"{image.path}: a {image.abi} program: its system calls need a "
                            f"personality to serve them, and none is attached")
        if memory is None:      # a HAL guest's RAM, or a personality's own limit
            memory = MemoryMap(getattr(image.personality, "default_memory", DEFAULT_MEMORY))
        self.image = image
        self.backend = b = image.backend
        self.name = name or image.name
        self.memory = memory
        self.console = console or Console()
        if max_instructions is None:
            max_instructions = DEFAULT_MAX_INSTRUCTIONS
        self.max_instructions = max_instructions or None      # None: no limit
        self.extra_ticks = 0             # virtual time that passed without running (sleep)
        self.core_id = 0                 # set by the scheduler
        self.arg = 0                     # what hal_arg() returns; set by the scheduler
        self.clock: Callable[[], int] = lambda: self.retired + self.extra_ticks
        self.exit_code: int | None = None
        self.fault: faults.Fault | None = None
        self.request: Request | None = None
        self.hal_calls = 0
        self.last_service: services.Service | None = None
        self.fp_traps: fptraps.FpTraps | None = None    # once the guest asks (hal_fp_trap)
        self._stop: Stop | None = None
        self._bad_access: int | None = None
        self._pc = b.reg(b.regs.pc)
        self._result = b.reg(b.regs.result)
        self._service = b.reg(b.regs.service)
        self._args = tuple(b.reg(r) for r in b.regs.args)

        self.uc = uc = new_engine(b, memory.size)
        datatlb.use_data_tlb(uc, b)          # guest stores at full speed
        self._bad_access_hooks: datatlb.BadAccessHooks | None = None    # once mapped
        # The operating system a program was built for, served above the HAL
        # (hal/core/personality.py); None for a HAL guest.
        self.os: Personality | None = image.personality(self) if image.personality else None
        self.space = memory if self.os is None else self.os   # what the HAL's services may touch
        # RAM is data: readable and writable, never executable, so a jump into
        # data faults cleanly, with the stack's guard page left unmapped.
        # Code pages hold the ELF's code with the fence instruction in every
        # gap, read/execute only, and guarded before anything runs
        # (codeguard.py says why they must never change).
        guard = None
        try:
            if self.os is None:
                guard = memory.stack_guard(max(s.vaddr + s.memsz for s in image.segments))
                map_ram(uc, memory, guard)
                for seg in image.segments:
                    uc.mem_write(seg.vaddr, seg.data)
            else:
                self.os.map_memory()
                guard = self.os.stack_guard
        except UcError as e:
            close_engine(uc)
            raise OutOfMemory(f"cannot give {self.name} {memory.size >> 10} KiB of RAM: {e}") from None
        except BaseException:
            close_engine(uc)
            raise
        try:
            self.code_guard = CodeGuard(uc, b, self._on_trap_word)
            self._guard_checked = False
            code_runs = _protect(uc, image, self.code_guard)
            self.guest_memory = GuestMemory(uc, self.space, guard, fixed=self.os is None)
            if self.os is None:
                b.enter(uc, image.entry, memory.stack_top)
            else:
                self.os.enter()
        except BaseException:
            close_engine(uc)
            raise
        self.counter = make_counter(b, uc, native, code=_code_range(image.entry, code_runs),
                                    block_counts=block_counts)
        self._core = FastCore(uc, self._pc)
        if self.max_instructions is not None:
            self.counter.limit = self.max_instructions
        uc.hook_add(UC_HOOK_INTR, self._on_interrupt)
        # not on writable memory, where any memory hook slows stores (datatlb.py)
        self._bad_access_hooks = datatlb.BadAccessHooks(uc, self._on_bad_access)
        self._device_fault: tuple[str, int | None, int | None] | None = None
        self._raise_after: BaseException | None = None    # see stop_with()
        self.platform = platform.attach(self)      # the devices (UART, timer)

    # -- the driver's interface ------------------------------------------------
    @property
    def retired(self) -> int:
        """Exact count of the guest instructions retired so far."""
        return self.counter.retired

    @property
    def pc(self) -> int:
        return self._core.pc()

    @property
    def done(self) -> bool:
        return self.exit_code is not None or self.fault is not None

    def run(self, budget: int | None = None, *, pause_at: int | None = None) -> Stop:
        """Run until the guest exits, faults, blocks or hits its limit, or until
        it has retired at least `budget` more instructions.  Slices end at a
        basic-block boundary, so one may overshoot by part of a block; the count
        is exact whatever the budget.  The instruction limit is never exceeded.

        For a debugger (hal/debugger/): with `pause_at`, stop at the last block
        boundary at or before that count instead of passing it; and a hook may
        call pause() to stop before the instruction it is about to run.  Both
        return Stop.PAUSED, with the count exact."""
        if self.exit_code is not None or self.fault is not None:
            return Stop.FAULTED if self.fault else Stop.EXITED
        if self.request is not None:
            raise RuntimeError(f"{self.name}: run() while a {self.request.service.name} is pending")
        if not self._guard_checked:          # whatever mapped code, it runs guarded
            self.code_guard.cover_all(self.name)
            self._guard_checked = True
        counter = self.counter
        counter.arm(NO_END if budget is None else counter.retired + budget)
        interrupt.running = self
        if interrupt.requested:      # after arm(): a request made before it is not lost
            interrupt.check()
        self._stop = None
        core = self._core
        if pause_at is None:
            err = core.start(core.pc(), STOP_ADDRESS)
        else:
            err, paused = self._start_pausing_at(pause_at)
            if paused:
                return Stop.PAUSED
        if self._raise_after is not None:
            e, self._raise_after = self._raise_after, None
            raise e
        if err:
            if self._device_fault is not None:
                return self._report_device_fault()
            self._uncount_rest_of_block()
            self._set_fault(faults.uc_error_reason(err), self._fault_address(err))
            return Stop.FAULTED
        if self._device_fault is not None:
            return self._report_device_fault()
        if self._stop is not None:
            if self._stop is Stop.PAUSED:
                self._uncount_rest_of_block()
            return self._stop
        if counter.stop == SLICE:
            if interrupt.requested:
                interrupt.check()
            return Stop.BUDGET
        if counter.stop == LIMIT:
            self._set_fault(self._limit_reason())
            return Stop.LIMIT
        if self.pc == STOP_ADDRESS:
            self._set_fault("jumped to unmapped memory")
            return Stop.FAULTED
        # emu_start returned on its own elsewhere: an instruction halted the CPU
        self._back_to_halt()
        insn = faults.disassemble_at(self.backend, self.uc, self.pc)
        self._set_fault(f"halted the CPU: a guest ends with hal_exit or by returning "
                        f"from main, not with `{insn}`")
        return Stop.FAULTED

    def pause(self) -> None:
        """From a Unicorn code hook: stop before the instruction about to run
        (a debugger's breakpoint or step); run() returns Stop.PAUSED."""
        self._halt(Stop.PAUSED)

    def _start_pausing_at(self, count: int) -> tuple[int, bool]:
        """Start with the counter's limit brought down to `count` for this run:
        no block that would retire past it starts.  Returns Unicorn's error
        code and whether that bound (not the guest's own limit) stopped it."""
        counter = self.counter
        limit = counter.limit
        ours = count <= limit
        if ours:
            counter.limit = count
        try:
            err = self._core.start(self._core.pc(), STOP_ADDRESS)
        finally:
            counter.limit = limit
        paused = (ours and not err and self._stop is None and self._device_fault is None
                  and counter.stop == LIMIT)
        return err, paused

    def complete(self, result: int | None = None) -> None:
        """Answer the pending blocking request; the guest resumes after its trap."""
        if result is not None:
            self.uc.reg_write(self._result, result & self.backend.word_mask)
        self.request = None

    def fail(self, reason: str) -> None:
        """End the guest with a fault its driver found (e.g. a request it cannot
        answer), reported at the trap that asked (which did retire: its count,
        and so the scheduler's clock, stays as it is)."""
        if self.request is not None:
            address, size, n = self.counter.last_block
            if n:
                self.uc.reg_write(self._pc, self.counter.sizer.last_instruction(self.uc, address, size))
        self.request = None
        self._set_fault(reason)

    def store(self, address: int, data: bytes, what: str) -> bool:
        """Write into guest memory for a service, as the guest itself could:
        False (and the guest faulted) if its pages do not allow it."""
        try:
            self.guest_memory.write(address, data, what)
        except GuestMemoryError as e:
            self.fail(str(e))
            return False
        return True

    def close(self) -> None:
        """Free the engine now (its numbers, output and fault stay readable)."""
        with interrupt.lock:
            if self.uc is not None:
                self.counter.close()
                close_engine(self.uc)
                self.uc = None
                self._core = None

    def device_fault(self, reason: str, address: int | None = None,
                     pc: int | None = None) -> None:
        """Fault the guest from inside a device hook (hal/core/platform.py) and stop.

        The report waits until the core has stopped: inside MMIO callbacks
        Unicorn knows the PC only then.  Port-instruction hooks know the PC
        at once (pass it), but the core runs the rest of the block first."""
        if self._device_fault is None:
            self._device_fault = (reason, address, pc)
        self._halt(Stop.FAULTED)

    def stop_with(self, e: BaseException) -> None:
        """From inside a hook that must not raise into Unicorn (a port read
        must return a number): stop, and raise `e` from run()."""
        if self._raise_after is None:
            self._raise_after = e
        self.uc.emu_stop()

    # -- for a personality's system calls -------------------------------------------------
    def exit(self, code: int) -> None:
        """End the guest with this exit status."""
        self.exit_code = code
        self._halt(Stop.EXITED)

    def kill(self, reason: str) -> None:
        """End the guest with a fault report, as a fatal signal does; the report
        shows the trap that asked for it (the last instruction that ran)."""
        address, size, n = self.counter.last_block
        if n:
            self.uc.reg_write(self._pc, self.counter.sizer.last_instruction(self.uc, address, size))
        self._halt(Stop.FAULTED, reason)

    def block(self, service: str, *args: int) -> None:
        """Stop with a blocking HAL request (sleep, yield) for the driver to answer,
        as the HAL call would; the system call's result is already in place."""
        self.request = Request(services.BY_NAME[service], args)
        self._halt(Stop.BLOCKED)

    # -- Unicorn hooks -----------------------------------------------------------
    def memory_changed(self) -> None:
        """A personality mapped, unmapped or protected memory."""
        if self._bad_access_hooks is not None:
            self._bad_access_hooks.refresh()

    def _fault_address(self, err: int) -> int | None:
        """The address a bad access named, or for a fetch from writable RAM,
        which no hook watches (datatlb.py says why), where the PC says it went."""
        from unicorn import UC_ERR_FETCH_PROT
        if self._bad_access is None and err == UC_ERR_FETCH_PROT:
            return datatlb.fetch_fault_address(self.pc, self._executable)
        return self._bad_access

    def _executable(self, address: int) -> bool:
        from unicorn import UC_PROT_EXEC
        return any(begin <= address <= end and perms & UC_PROT_EXEC
                   for begin, end, perms in self.uc.mem_regions())

    def _on_bad_access(self, uc, access, address, size, value, _data):
        self._bad_access = address
        return False

    def _on_interrupt(self, uc, intno, _data):
        b = self.backend
        if self.os is not None and self.os.claims(intno):
            try:
                self.os.syscall()
            except ConsoleFull as e:
                self._halt(Stop.LIMIT, str(e))
            return
        if intno != b.trap.interrupt:
            self._uncount_rest_of_block(raised=True, raisers=b.raisers.get(intno, ()))
            self._halt(Stop.FAULTED, b.exception_name(intno))
            return
        reg = self._core.reg                 # the binding's reg_read costs 5 us here
        number = reg(self._service)
        if self.os is not None:         # a C library program's HAL calls carry the tag
            number = number & ~services.TAG_MASK if number & services.TAG_MASK == services.LIBC_TAG \
                else -1
        service = services.BY_NUMBER.get(number)
        if service is None:
            self._uncount_rest_of_block(raised=True)     # report it at the trap itself
            self._halt(Stop.FAULTED, f"unknown HAL service {reg(self._service)}")
            return
        self.hal_calls += 1
        self.last_service = service          # for a debugger's tally (hal/debugger/)
        args = tuple(reg(r) for r in self._args[:len(service.args)])
        if service.blocking:
            self.request = Request(service, args)
            self._halt(Stop.BLOCKED)
            return
        try:
            result = getattr(self, "_svc_" + service.name)(*args)
        except ConsoleFull as e:
            self._halt(Stop.LIMIT, str(e))
            return
        except (_GuestMistake, GuestMemoryError) as e:
            self._halt(Stop.FAULTED, str(e))
            return
        if result is not None:
            self._core.set_reg(self._result, result & b.word_mask)

    def _on_trap_word(self, address: int, why: str) -> None:
        """The guest is about to run a word its code guard traps: fault there."""
        self._uncount_rest_of_block()
        self._halt(Stop.FAULTED, why)

    # -- non-blocking services (the blocking ones belong to the driver) ------------
    def _svc_exit(self, code):
        self.exit(signed(code, self.backend.bits))

    def _svc_write(self, buf, length):
        if length and not self.space.in_ram(buf, length):
            raise _GuestMistake(f"hal_write of {length} bytes at {buf:#x} is outside guest RAM")
        self.console.write(self.guest_memory.read(buf, length, f"hal_write of {length} bytes"))
        return length

    def _svc_time(self):
        return self.clock()

    def _svc_core_id(self):
        return self.core_id

    def _svc_isa_id(self):
        return self.backend.isa_id

    def _svc_arg(self):
        return self.arg

    def _svc_fp_trap(self, excepts):
        if excepts & ~fptraps.ALL:
            raise _GuestMistake(f"hal_fp_trap({excepts:#x}): bits outside HAL_FE_* "
                                f"(valid: {fptraps.ALL:#x})")
        if self.fp_traps is None:
            self.fp_traps = fptraps.FpTraps(self)
        return self.fp_traps.set(excepts)

    def fp_exception(self, culprit: int, reason: str) -> None:
        """Stop at a floating-point exception the guest asked to trap on,
        found from a code hook at the next instruction (hal/core/fptraps.py):
        the culprit has completed and counts as retired; the report names it."""
        self._uncount_rest_of_block()       # from this, the next instruction, on
        self._stop = Stop.FAULTED
        self.fault = faults.capture(self.backend, self.uc, reason, pc=culprit)
        self.uc.emu_stop()

    # -- helpers -----------------------------------------------------------------
    def _report_device_fault(self) -> Stop:
        reason, address, pc = self._device_fault
        self._device_fault = None
        self.request = None
        if pc is not None:
            self.uc.reg_write(self._pc, pc)
        self._uncount_rest_of_block(raised=True)   # a MIPS delay slot leaves the PC past it
        self._set_fault(reason, address)
        self._stop = Stop.FAULTED
        return Stop.FAULTED

    def _halt(self, why: Stop, reason: str | None = None) -> None:
        self._stop = why
        if reason is not None:
            self._set_fault(reason)
        self.uc.emu_stop()

    def _limit_reason(self) -> str:
        why = (f"exceeded the instruction limit of {self.max_instructions} "
               f"(retired {self.counter.retired}, next block would pass it)")
        if self.max_instructions == DEFAULT_MAX_INSTRUCTIONS:
            why += "; a runaway loop? That is the default limit: raise it with " \
                   "--max-instructions N (0 for none)"
        return why

    def _set_fault(self, reason: str, address: int | None = None) -> None:
        pc = self.pc
        if self._in_code_gap(pc):
            reason += " (ran past the end of the code into the fence)"
        if self.guest_memory.in_guard(address):
            sp = self.uc.reg_read(self.backend.reg(self.backend.regs.sp))
            if sp < self.guest_memory.guard + 2 * PAGE:
                reason = "stack overflow: " + reason.split(" ")[0] + " past the end of the stack"
            else:
                reason += " (the stack's guard page)"
        self.fault = faults.capture(self.backend, self.uc, reason, address)

    def _in_code_gap(self, pc: int) -> bool:
        """On a code page but in no executable segment: the fence fill."""
        segs = self.image.segments
        on_code_page = any(s.executable and (s.vaddr & ~(PAGE - 1)) <= pc
                           < ((s.vaddr + s.memsz + PAGE - 1) & ~(PAGE - 1)) for s in segs)
        return on_code_page and not any(s.executable and s.vaddr <= pc < s.vaddr + s.memsz
                                        for s in segs)

    def _back_to_halt(self) -> None:
        """Leave the PC on the instruction that halted the CPU (hlt, wait, wfi):
        the one that ends where the PC is, in the last block; count only the
        instructions before it, as for any fault."""
        counter = self.counter
        address, size, n = counter.last_block
        pc = self.pc
        if not n or not address < pc <= address + size:
            self._uncount_rest_of_block(raised=True)
            return
        width = self.backend.counting_width
        culprit = pc - width if width else max(
            a for a in counter.sizer._starts(self.uc, address, size) if a < pc)
        self.uc.reg_write(self._pc, culprit)
        counter.retired -= n - counter.sizer.count(self.uc, address, culprit - address)
        counter.forget_last_block()

    def _uncount_rest_of_block(self, raised: bool = False, raisers: tuple[str, ...] = ()) -> None:
        """A fault stops a block part-way: count only the instructions before it,
        and leave the PC on the faulting instruction for the report.

        Memory faults leave the PC on the faulting instruction (or, for a jump
        to nowhere, on its target, outside the block).  Exceptions an
        instruction `raised` (break, trap, int3) end their block, and some cores
        move the PC past or away from them: then the culprit is the block's
        last instruction, or, for an exception only some mnemonics raise (a
        MIPS conditional trap mid-block), the last of those in the block."""
        counter = self.counter
        address, size, n = counter.last_block
        if not n:
            return
        pc = self.pc
        if not address <= pc < address + max(size, 1):     # an empty block holds its PC
            if not raised:
                return
            pc = self._raiser(address, size, raisers) if raisers else None
            if pc is None:
                pc = counter.sizer.last_instruction(self.uc, address, size)
            self.uc.reg_write(self._pc, pc)
        counter.retired -= n - counter.sizer.count(self.uc, address, pc - address)
        counter.forget_last_block()

    def _raiser(self, address: int, size: int, mnemonics: tuple[str, ...]) -> int | None:
        """The address of the block's last instruction with one of these mnemonics."""
        from .decoders import decoder
        code = bytes(self.uc.mem_read(address, size))
        found = [a for a, _, m, _ in decoder(self.backend).disasm_lite(code, address)
                 if m in mnemonics]
        return found[-1] if found else None


def _protect(uc, image, guard: CodeGuard | None = None) -> list[tuple[int, int]]:
    """Code pages: read/execute, with fenced gaps, and guarded (without a
    guard: bare, as bench/bench.py's raw Unicorn has them).  Other read-only
    segments (constants): read only.  Everything else stays read/write.
    Returns each run of code pages as [start, end)."""
    from unicorn import UC_PROT_EXEC, UC_PROT_READ
    code = set()
    runs = []
    for start, content in image.code_pages():
        if guard is not None:
            guard.map_code(start, content, str(image.path))
        else:
            uc.mem_write(start, content)
            uc.mem_protect(start, len(content), UC_PROT_READ | UC_PROT_EXEC)
        code.update(range(start, start + len(content), PAGE))
        runs.append((start, start + len(content)))
    writable = {p for s in image.segments if s.writable for p in s.pages}
    for s in image.segments:
        if not s.writable:
            for page in set(s.pages) - code - writable:
                uc.mem_protect(page, PAGE, UC_PROT_READ)
    return runs


def _code_range(entry: int, runs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The run of code pages that holds the entry point (else the largest):
    where nearly every block starts, for the counter's direct map."""
    if not runs:
        return None
    return next((r for r in runs if r[0] <= entry < r[1]),
                max(runs, key=lambda r: r[1] - r[0]))


class _GuestMistake(Exception):
    """A service call with impossible arguments: the guest's fault, not ours."""


def signed(value: int, bits: int) -> int:
    """A register's bits read as a two's-complement number."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value
