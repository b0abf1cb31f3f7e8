"""Alpha-like 64-bit RISC, running on Unicorn's RISC-V 64 core.

Unicorn has no Alpha core.  RV64IMFD built without the compressed extension
keeps what made Alpha Alpha: fixed 32-bit instruction words, a hard-wired
zero register, no condition flags, no branch delay slots, 64-bit words,
little-endian, and a separate file of 32 floating-point registers (the F
and D extensions: hardware float and double, as Alpha had).  It differs in encodings and names (Alpha had no integer
divide; RISC-V has one).  HAL calls use "ecall" in the role of Alpha's
"call_pal": service number in a7, arguments in a0..a2, result in a0.
"""
import unicorn as uc

from hal.core.fpu import Fpu, RegisterFile
from hal.core.isa import Backend, CallingConvention, Registers, Trap
from hal.core.registry import register

GPRS = ("ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
        "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
        "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
        "t3", "t4", "t5", "t6")

FPRS = ("ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1",   # f0..f31
        "fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7",
        "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11",
        "ft8", "ft9", "ft10", "ft11")

MSTATUS_FS, MSTATUS_FS_INITIAL = 0x6000, 0x2000   # FPU state: off, initial, clean, dirty

ALPHA = register(Backend(
    name="alpha",
    title="Alpha-like 64-bit RISC, RISC-V RV64IMFD code",
    isa_id=4,
    core="Unicorn RISC-V 64 (QEMU riscv64) as RV64IMFD",
    uc_arch=uc.UC_ARCH_RISCV, uc_mode=uc.UC_MODE_RISCV64,
    cs_arch=15, cs_mode=1 << 1 | 1 << 2,    # CS_ARCH_RISCV, CS_MODE_RISCV64 | CS_MODE_RISCVC
    bits=64, endian="little", elf_machine=243,   # EM_RISCV
    regs=Registers(pc="pc", sp="sp", result="a0", service="a7", args=("a0", "a1", "a2"),
                   dump=GPRS + ("pc",)),
    trap=Trap(mnemonic="ecall", interrupt=8),
    fence=b"\x73\x00\x10\x00",                 # ebreak
    nop=b"\x13\x00\x00\x00",                # nop (addi zero, zero, 0)
    insn_width=4,
    count_by_decoding=True,     # the core also runs 16-bit compressed code, which we never build
    insn_align=2,               # ... so an instruction may start on any halfword
    io_base=0x2000_0000,        # COM1 at 0x2000_03F8
    # capstone puts "j" (jal zero) in the call group and "jal" in none; a jalr
    # that links nothing (zero) is a jump: a tail call
    mix={"j": "branches", "jr": "branches", "jalr zero": "branches",
         "jal": "calls", "jalr": "calls", "ret": "calls",
         # fcsr reads and writes: capstone shows only the integer register
         **dict.fromkeys(("frcsr", "fscsr", "frrm", "fsrm", "fsrmi", "frflags", "fsflags",
                          "fsflagsi"), "fp"),
         **dict.fromkeys(("mul", "mulh", "mulhu", "mulhsu", "mulw", "div", "divu", "divw",
                          "divuw", "rem", "remu", "remw", "remuw"), "muldiv")},
    store_prefix=("s", "fs", "c.s", "c.fs"),    # sb..sd, fsw, fsd (and compressed); loads: l, fl
    uc_const="riscv_const", uc_reg_prefix="UC_RISCV_REG_",
    zig_target="riscv64-freestanding", zig_flags=("-mcpu=generic_rv64+m+f+d+relax-c",),   # RV64IMFD, lp64d
    # no compressed code in the C library either: -c alone leaves Zca and Zcd on
    libc_target="riscv64-linux-musl", libc_flags=("-mcpu=baseline_rv64-c-zca-zcd",),
    exceptions={0: "instruction address misaligned", 1: "instruction access fault",
                2: "illegal instruction", 3: "breakpoint (ebreak)", 4: "load address misaligned",
                5: "load access fault", 6: "store address misaligned", 7: "store access fault",
                8: "ecall from U-mode", 11: "ecall from M-mode"},
    # Unicorn starts with mstatus.FS off, so the first fadd.d is an illegal
    # instruction; FS=Initial turns the FPU on; fcsr 0: round to nearest even
    # (RISC-V never traps on FP exceptions, it only sets flags)
    fpu=Fpu(summary="F and D: 32 flat 64-bit registers f0-f31 (ft0.., fs0.., fa0..; "
                    "a float is NaN-boxed), fcsr",
            control=(("fcsr", 32),),
            files=(RegisterFile(FPRS, 64, "float or double"),),
            reset=(("mstatus", MSTATUS_FS, MSTATUS_FS_INITIAL), ("fcsr", 0xFF, 0)),
            # fflags, the low bits of fcsr: NV, DZ, OF, UF, NX
            flags=("fcsr", ((1, 0x10), (2, 0x08), (4, 0x04), (8, 0x02), (16, 0x01)))),
    abi=CallingConvention(
        name="lp64", arg_regs=tuple(f"a{i}" for i in range(8)), result=("a0", "a1"), fp_result="fa0",
        stack_offset=0,
        dwarf_regs=("zero", *GPRS[:31],
                    *(f"ft{i}" for i in range(8)), "fs0", "fs1", *(f"fa{i}" for i in range(8)),
                    *(f"fs{i}" for i in range(2, 12)), *(f"ft{i}" for i in range(8, 12)))),
    stand_in="runs RISC-V RV64IMFD code on Unicorn's RISC-V core, so its counts are "
             "RISC-V's, not a real Alpha's",
    pc_relative=("j", "jal", "b*"),     # capstone prints "jal -0x34", "blt a0, a1, 0x24"
    notes=("Unicorn has no Alpha core, so this runs on RISC-V RV64IMFD without compressed "
           "instructions: like Alpha, fixed 32-bit words, a zero register, no flags, no delay slots"),
))
