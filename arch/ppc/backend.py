"""PowerPC 32-bit big-endian, System V ABI.

HAL calls use "sc": service number in r0, arguments in r3..r5, result in r3.
Fixed 4-byte instructions; the only big-endian ISA here, which the endian
guest makes visible.
"""
import unicorn as uc

from hal.core.fpu import Fpu, RegisterFile
from hal.core.isa import Backend, CallingConvention, Registers, Trap
from hal.core.registry import register


class PowerPC(Backend):
    def uc_reg_suffix(self, name: str) -> str:
        # capstone says r3 and f3, Unicorn says UC_PPC_REG_3 and UC_PPC_REG_FPR3
        if name[0] == "r" and name[1:].isdigit():
            return name[1:]
        if name[0] == "f" and name[1:].isdigit():
            return "FPR" + name[1:]
        return name.upper()


MSR_FP, MSR_FE0, MSR_FE1 = 0x2000, 0x800, 0x100   # FP available; FP exception mode

PPC = register(PowerPC(
    name="ppc",
    title="PowerPC 32, System V ABI",
    isa_id=3,
    core="Unicorn PPC32 (QEMU ppc)",
    uc_arch=uc.UC_ARCH_PPC, uc_mode=uc.UC_MODE_PPC32 | uc.UC_MODE_BIG_ENDIAN,
    cs_arch=4, cs_mode=1 << 2 | 1 << 31,    # CS_ARCH_PPC, CS_MODE_32 | CS_MODE_BIG_ENDIAN
    bits=32, endian="big", elf_machine=20,   # EM_PPC
    regs=Registers(pc="pc", sp="r1", result="r3", service="r0", args=("r3", "r4", "r5"),
                   dump=tuple(f"r{i}" for i in range(32)) + ("lr", "ctr", "cr", "xer", "pc")),
    trap=Trap(mnemonic="sc", interrupt=8),
    fence=b"\x7f\xe0\x00\x08",                 # trap (tw 31,0,0)
    nop=b"\x60\x00\x00\x00",                # nop (ori 0, 0, 0)
    insn_width=4,
    io_base=0x4000_0000,        # COM1 at 0x4000_03F8 (PReP boards used 0x8000_0000)
    mix={**dict.fromkeys(("bl", "bla", "blr", "blrl", "bctrl", "beqlr", "bnelr", "bltlr",
                          "bgtlr", "blelr", "bgelr"), "calls"),    # capstone: only "jump"
         "bctr": "branches",
         **dict.fromkeys(("mtfsb0", "mtfsb1", "mtfsfi", "mcrfs"), "fp"),   # FPSCR: no register operand
         **dict.fromkeys(("mullw", "mulhw", "mulhwu", "mulli", "divw", "divwu"), "muldiv"),
         # indexed (X-form) loads and stores name no memory operand in capstone
         **dict.fromkeys(("lbzx", "lhzx", "lhax", "lwzx", "lbzux", "lhzux", "lhaux", "lwzux",
                          "lhbrx", "lwbrx"), "loads"),
         **dict.fromkeys(("stbx", "sthx", "stwx", "stbux", "sthux", "stwux", "sthbrx",
                          "stwbrx"), "stores")},
    store_prefix="st",                          # stw, stwu, stb, sth, stmw; loads start with l
    uc_const="ppc_const", uc_reg_prefix="UC_PPC_REG_",
    zig_target="powerpc-freestanding-eabihf", zig_flags=(),    # hard float
    libc_target="powerpc-linux-musleabihf",
    exceptions={1: "machine check", 2: "data storage", 3: "instruction storage",
                5: "alignment", 6: "program (illegal instruction, trap or enabled FP exception)",
                7: "floating-point unavailable", 8: "system call",
                96: "illegal instruction (emulation assistance)"},
    # Unicorn starts with MSR.FP clear, so the first fadd raises "FP
    # unavailable"; FE0=FE1=0: FP exceptions never interrupt; FPSCR 0: round
    # to nearest, every exception disabled
    fpu=Fpu(summary="32 flat 64-bit registers f0-f31, always in double format, fpscr",
            control=(("fpscr", 32),),
            files=(RegisterFile(tuple(f"f{i}" for i in range(32)), 64, "double"),),
            reset=(("msr", MSR_FE0 | MSR_FE1, MSR_FP), ("fpscr", 0xFFFF_FFFF, 0)),
            # FPSCR: VX and the invalid-operation details under it, ZX, OX, UX, XX
            flags=("fpscr", ((1, 0x21F8_0700), (2, 0x0400_0000), (4, 0x1000_0000),
                             (8, 0x0800_0000), (16, 0x0200_0000)))),
    abi=CallingConvention(
        name="SysV", arg_regs=tuple(f"r{i}" for i in range(3, 11)), result=("r3", "r4"), fp_result="f1",
        stack_offset=8, pairs_aligned=True,                 # back chain and LR save word first
        dwarf_regs=(*(f"r{i}" for i in range(32)), *(f"f{i}" for i in range(32)))),
    notes="fixed 32-bit words; big-endian; condition register; link register",
))
