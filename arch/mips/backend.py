"""MIPS32 little-endian (as Windows NT ran on the R4000), o32 ABI.

HAL calls use "syscall": service number in $v0, arguments in $a0..$a2,
result in $v0.  Fixed 4-byte instructions; every branch has a delay slot.
"""
import unicorn as uc

from hal.core.fpu import Fpu, RegisterFile
from hal.core.isa import Backend, CallingConvention, Registers, Trap
from hal.core.registry import register

from . import translation

GPRS = ("zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
        "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
        "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
        "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra")

STATUS_CU1, STATUS_FR = 1 << 29, 1 << 26     # coprocessor 1 usable; 64-bit FPU registers

MIPS = register(Backend(
    name="mips",
    title="MIPS32 R4000-style, o32 ABI",
    isa_id=2,
    core="Unicorn MIPS32 (QEMU mipsel)",
    uc_arch=uc.UC_ARCH_MIPS, uc_mode=uc.UC_MODE_MIPS32 | uc.UC_MODE_LITTLE_ENDIAN,
    cs_arch=2, cs_mode=1 << 2,              # CS_ARCH_MIPS, CS_MODE_MIPS32 | CS_MODE_LITTLE_ENDIAN
    bits=32, endian="little", elf_machine=8,   # EM_MIPS
    regs=Registers(pc="pc", sp="sp", result="v0", service="v0", args=("a0", "a1", "a2"),
                   dump=GPRS[1:] + ("hi", "lo", "pc")),
    trap=Trap(mnemonic="syscall", interrupt=17),
    fence=b"\x0d\x00\x00\x00",                 # break
    nop=b"\x00\x00\x00\x00",                # nop (sll $zero, $zero, 0)
    insn_width=4,
    uc_const="mips_const", uc_reg_prefix="UC_MIPS_REG_",
    zig_target="mipsel-freestanding-eabihf",     # o32, hard float in coprocessor 1
    zig_flags=("-mcpu=mips32r2", "-mno-abicalls", "-fno-pic", "-Wl,-e,_start"),
    libc_target="mipsel-linux-musleabihf",
    delay_slots=True,
    scan_code=translation.scan,     # long straight runs crash Unicorn 2.1.4 (arch/mips/translation.py)
    io_base=0x1800_0000,        # as on the MIPS Malta board: COM1 at 0x1800_03F8
    mix={"jal": "calls", "jalr": "calls", "bal": "calls", "jr $ra": "calls",   # capstone gives jal no group
         "cfc1": "fp", "ctc1": "fp",            # capstone names FCSR ($31) as if it were $ra
         **dict.fromkeys(("mul", "mult", "multu", "div", "divu", "mfhi", "mflo",
                          "madd", "maddu", "msub", "msubu"), "muldiv")},
    store_prefix="s",                           # sb, sh, sw, swl, swr, sc; loads start with l
    exceptions={12: "address error (load)", 13: "address error (store)", 16: "debug breakpoint",
                17: "syscall", 18: "break", 19: "coprocessor unusable",
                20: "reserved instruction", 21: "arithmetic overflow", 22: "trap",
                23: "floating-point exception (enabled in FCSR)"},
    # Conditional traps (teq, tne, ...) raise "trap" mid-block; clang guards
    # every division with "teq divisor, $zero, 7" (7: the MIPS ABI's
    # divide-by-zero break code), since MIPS div itself never faults
    raisers={22: ("teq", "tne", "tge", "tgeu", "tlt", "tltu",
                  "teqi", "tnei", "tgei", "tgeiu", "tlti", "tltiu")},
    fault_notes=((r"^teq \S+, \$zero, 7$", "the compiler's divide-by-zero check (code 7): "
                  "the divisor is 0, and MIPS div would not fault by itself"),),
    # Coprocessor 1 usable (Unicorn sets CU1), FR=0: 32-bit FPU registers,
    # a double in an even/odd pair, as o32 expects; FCSR 0: round to nearest,
    # every exception masked
    fpu=Fpu(summary="coprocessor 1: 32 flat 32-bit registers $f0-$f31 (FR=0: a double "
                    "takes an even/odd pair), fcsr",
            control=(("fcsr", 32),),
            files=(RegisterFile(tuple(f"f{i}" for i in range(32)), 32, "bits"),),
            operand_names=tuple(f"fcc{i}" for i in range(8)),     # condition bits in fcsr
            reset=(("cp0_status", STATUS_FR, STATUS_CU1), ("fcsr", 0xFFFF_FFFF, 0)),
            # FCSR's flags: invalid (V), divide by zero (Z), overflow, underflow, inexact
            flags=("fcsr", ((1, 0x40), (2, 0x20), (4, 0x10), (8, 0x08), (16, 0x04)))),
    abi=CallingConvention(
        name="o32", arg_regs=("$a0", "$a1", "$a2", "$a3"), result=("$v0", "$v1"), stack_offset=0,
        fp_result="$f0",
        slots_for_all=True, pairs_aligned=True,
        dwarf_regs=(*(f"${r}" for r in GPRS), *(f"$f{i}" for i in range(32)), "$hi", "$lo")),
    notes="fixed 32-bit words; branch delay slots; $zero register; no flags",
))
