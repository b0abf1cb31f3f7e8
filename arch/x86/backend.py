"""x86: i386 in 32-bit flat mode, little-endian, cdecl.

HAL calls use "int 0x2e", the vector Windows NT used for system services:
service number in eax, arguments in ebx, ecx, edx, result in eax.
Instructions are 1 to 15 bytes long, so counting them needs a disassembler.
"""
import unicorn as uc

from hal.core.fpu import Fpu, RegisterFile
from hal.core.isa import Backend, CallingConvention, Registers, Trap
from hal.core.registry import register

CR0_MP, CR0_EM, CR0_TS, CR0_NE = 0x2, 0x4, 0x8, 0x20   # monitor, emulate, task switched, native errors
CR4_OSFXSR, CR4_OSXMMEXCPT = 0x200, 0x400              # the OS supports SSE state and SSE exceptions

class X86(Backend):
    # Unicorn's SSE never sets MXCSR's flags (unicorn-engine/unicorn#2006), so
    # for a guest that traps on FP exceptions, sse.py works out what each
    # scalar SSE instruction raised; the x87's own flags say the rest
    # (sse.py is imported only by a guest that traps on FP exceptions)
    def fp_note(self, uc, address, size):
        from . import sse
        return sse.note(self, uc, address, size)

    def fp_raised(self, uc, noted):
        from . import sse
        return super().fp_raised(uc, noted) | (sse.raised(self, uc, noted) if noted else 0)

    def fpu_view(self, uc, skip_zero=False):
        """The x87 is a stack, not a file: show its contents top first, as
        st(0), st(1)...  The top is a field of the status word, and each
        physical register is tagged empty or not."""
        from hal.core import fpu
        state = fpu.read(self, uc)
        top, tags = state["fpsw"] >> 11 & 7, state["fptag"]
        stack = []
        for i in range(8):
            physical = (top + i) & 7
            if tags >> (2 * physical) & 3 == 3:         # empty: the stack ends here
                break
            stack.append(fpu.extended(state[f"fp{physical}"]))
        shown = [("fpcw", f"{state['fpcw']:04x}"), ("fpsw", f"{state['fpsw']:04x}"),
                 ("mxcsr", f"{state['mxcsr']:08x}"), ("x87", "[" + ", ".join(stack) + "]")]
        shown += [(f"xmm{i}", f"{state[f'xmm{i}']:032x}") for i in range(8)
                  if state[f"xmm{i}"] or not skip_zero]
        return tuple(shown)


X86 = register(X86(
    name="x86",
    title="i386, 32-bit flat, cdecl",
    isa_id=1,
    core="Unicorn x86 (QEMU i386)",
    uc_arch=uc.UC_ARCH_X86, uc_mode=uc.UC_MODE_32,
    cs_arch=3, cs_mode=1 << 2,              # CS_ARCH_X86, CS_MODE_32
    bits=32, endian="little", elf_machine=3,   # EM_386
    regs=Registers(
        pc="eip", sp="esp", result="eax", service="eax", args=("ebx", "ecx", "edx"),
        dump=("eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "eflags"),
    ),
    trap=Trap(mnemonic="int 0x2e", interrupt=0x2E),
    fence=b"\x0f\x0b",                          # ud2
    nop=b"\x90",                                # nop
    insn_width=None,
    io_insns=(uc.x86_const.UC_X86_INS_IN, uc.x86_const.UC_X86_INS_OUT),   # COM1 at port 0x3F8
    # capstone gives operand access on x86, so memory operands sort loads from
    # stores; push/pop/leave touch the stack with no memory operand shown, and
    # capstone marks lea's address operand as read though lea reads no memory
    # device I/O counts as memory traffic, as MMIO loads and stores do on the others
    mix={"push": "stores", "pop": "loads", "leave": "loads", "lea": "alu",
         "in": "loads", "out": "stores", "wait": "fp",   # wait (fwait): for the x87
         **dict.fromkeys(("mul", "imul", "div", "idiv"), "muldiv")},
    # capstone 5 says these read the memory they store to
    stores_to_first_operand=frozenset(("fst", "fstp", "fist", "fistp", "fisttp", "fnstcw",
                                       "fstcw", "stmxcsr", "movlpd", "movhpd", "movlps",
                                       "movhps")),
    uc_const="x86_const", uc_reg_prefix="UC_X86_REG_",
    # doubles in SSE2 registers, rounded exactly as on the other ISAs (not in the
    # x87's 80-bit registers: the excess guest shows those); no auto-vectorizing,
    # which only x86 could do here: scalar code on every ISA
    zig_target="x86-freestanding",
    zig_flags=("-mcpu=i686+sse2", "-fno-vectorize", "-fno-slp-vectorize"),
    # musl's target: zig's baseline CPU for it is the Pentium 4, so SSE2 too
    libc_target="x86-linux-musl", libc_flags=("-fno-vectorize", "-fno-slp-vectorize"),
    exceptions={0: "divide error", 1: "debug", 3: "breakpoint (int3)", 4: "overflow",
                5: "bound range", 6: "invalid opcode", 13: "general protection fault",
                14: "page fault", 16: "x87 floating-point error (#MF)",
                19: "SIMD floating-point exception (#XM)"},
    # As a real reset and the NT HAL leave it: x87 control word 0x037F (64-bit
    # precision, round to nearest, every exception masked; Unicorn starts it
    # at 0), an empty x87 stack, MXCSR 0x1F80 (the same for SSE), and
    # CR0/CR4 set for the FPU to report its own errors and for SSE
    fpu=Fpu(
        summary="x87: a stack of eight 80-bit registers st(0)-st(7), fpcw/fpsw; "
                "SSE2: eight flat 128-bit xmm0-7, mxcsr (doubles live here)",
        control=(("fpcw", 16), ("fpsw", 16), ("fptag", 16), ("mxcsr", 32)),
        files=(RegisterFile(tuple(f"fp{i}" for i in range(8)), 80, "extended"),   # physical
               RegisterFile(tuple(f"xmm{i}" for i in range(8)), 128, "bits")),
        operand_names=tuple(f"st({i})" for i in range(8)),
        reset=(("fpcw", 0xFFFF, 0x037F), ("fpsw", 0xFFFF, 0), ("fptag", 0, 0xFFFF),
                   ("mxcsr", 0xFFFF_FFFF, 0x1F80),
                   ("cr0", CR0_EM | CR0_TS, CR0_MP | CR0_NE),
                   ("cr4", 0, CR4_OSFXSR | CR4_OSXMMEXCPT)),
        # the x87's flags in its status word (IE, ZE, OE, UE, PE); SSE's in
        # MXCSR stay 0 on Unicorn's core, so X86.fp_raised works those out
        flags=("fpsw", ((1, 0x01), (2, 0x04), (4, 0x08), (8, 0x10), (16, 0x20)))),
    abi=CallingConvention(
        name="cdecl", arg_regs=(), result=("eax", "edx"), stack_offset=4,   # [esp] is the return address
        fp_result="st(0)",             # even when the arithmetic is SSE2's
        dwarf_regs=("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "",
                    *(f"st({i})" for i in range(8)), "", "", *(f"xmm{i}" for i in range(8))),
        frame_pointer="ebp", frame_pointer_below_entry_sp=4),
    notes="variable-length instructions (1-15 bytes); two-operand; flags register",
))
