"""x86: i386 in 32-bit flat mode, little-endian, cdecl.

HAL calls use "int 0x2e", the vector Windows NT used for system services:
service number in eax, arguments in ebx, ecx, edx, result in eax.
Instructions are 1 to 15 bytes long, so counting them needs a disassembler.
"""
import capstone as cs
import unicorn as uc

from hal.core.isa import Backend, Registers, Trap
from hal.core.registry import register

X86 = register(Backend(
    name="x86",
    title="i386, 32-bit flat, cdecl",
    isa_id=1,
    core="Unicorn x86 (QEMU i386)",
    uc_arch=uc.UC_ARCH_X86, uc_mode=uc.UC_MODE_32,
    cs_arch=cs.CS_ARCH_X86, cs_mode=cs.CS_MODE_32,
    bits=32, endian="little", elf_machine="EM_386",
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
         "in": "loads", "out": "stores",
         **dict.fromkeys(("mul", "imul", "div", "idiv"), "muldiv")},
    uc_const="x86_const", uc_reg_prefix="UC_X86_REG_",
    zig_target="x86-freestanding", zig_flags=("-mcpu=i686",),
    exceptions={0: "divide error", 1: "debug", 3: "breakpoint (int3)", 4: "overflow",
                5: "bound range", 6: "invalid opcode", 13: "general protection fault",
                14: "page fault"},
    notes="variable-length instructions (1-15 bytes); two-operand; flags register",
))
