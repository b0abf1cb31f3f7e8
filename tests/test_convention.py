"""Calling conventions made visible: where `hal disasm --function F` says F's
arguments and result live on each ISA (DWARF location info beside the ABI's
rule), the function clang gave its own convention flagged, and a clear
message for a function the compiler inlined away."""
import pytest
from conftest import ISAS, image
from test_cli import hal, one_error_line

from hal.inspection.convention import describe
from hal.inspection.disasm import find
from hal.inspection.origins import Origins
from hal.inspection.symbols import NoSuchFunction, Program
from hal.toolchain import build, guests
from hal.toolchain.options import BuildOptions
from hal.core import loader, registry


def convention(guest: str, isa: str, function: str, opt: str = "2"):
    from conftest import TEST_GUESTS
    test_source = TEST_GUESTS / f"{guest}.c"
    source = test_source if test_source.is_file() else guests.source(guest)
    options = BuildOptions(optimize=opt)
    program = Program(loader.load(build.build(source, registry.get(isa), options=options)))
    try:
        debug = Origins(program).debug
        f = find(program, function, debug)
        return describe(program.backend, debug, function, f.start)
    finally:
        program.close()


# args.c's mixed(int a, long long b), global and never inlined: where each ABI
# puts them (a pair starts on an even register on o32 and PowerPC; the high
# word comes first on big-endian PowerPC) and DWARF agrees
MIXED = {
    "x86": ("[esp+4]", "[esp+8] (8 bytes)", "edx:eax"),
    "mips": ("$a0", "$a3:$a2 (high:low)", "$v1:$v0"),
    "ppc": ("r3", "r5:r6 (high:low)", "r3:r4"),
    "alpha": ("a0", "a1", "a0"),
}


@pytest.mark.parametrize("isa", ISAS)
def test_each_abi_places_an_int_and_a_long_long(isa):
    c = convention("args", isa, "mixed")
    a, b = c.args
    assert (a.name, a.type, b.name, b.type) == ("a", "int", "b", "long long")
    assert (a.expected, b.expected) == MIXED[isa][:2]
    assert a.agrees is True and b.agrees is True
    assert c.result.startswith(f"long long in {MIXED[isa][2]} ")
    assert c.follows_abi is True and not c.static
    assert c.signature == "long long mixed(int a, long long b)"


def test_fib_on_x86_gets_its_argument_in_ecx():
    """The label says cdecl, but clang passes a static function's argument in ecx."""
    c = convention("fib", "x86", "fib")
    [n] = c.args
    assert (n.actual, n.expected, n.agrees) == ("ecx", "[esp+4]", False)
    assert c.follows_abi is False and c.static
    assert "fastcc" in c.reason and "static" in c.reason


@pytest.mark.parametrize("isa", ["mips", "ppc", "alpha"])
def test_fib_elsewhere_follows_the_abi(isa):
    c = convention("fib", isa, "fib")
    assert c.follows_abi is True
    assert c.args[0].actual == c.args[0].expected == registry.get(isa).abi.arg_regs[0]


def test_at_O0_fib_on_x86_follows_cdecl():
    c = convention("fib", "x86", "fib", opt="0")
    assert (c.args[0].actual, c.follows_abi) == ("[esp+4]", True)


def test_a_spilled_argument_is_not_flagged():
    """At -O0 MIPS keeps n in its frame: DWARF says where, not where it arrived."""
    c = convention("fib", "mips", "fib", opt="0")
    assert c.args[0].actual.startswith("its frame at [") and c.args[0].agrees is None
    assert c.follows_abi is None or c.follows_abi is True


@pytest.mark.parametrize("isa", ISAS)
def test_every_sdk_function_with_arguments_follows_its_abi(isa):
    """The SDK's global functions are called from other files: they must follow the ABI."""
    program = Program(image("hello", isa))
    debug = Origins(program).debug
    checked = 0
    for f in program.functions:
        c = describe(program.backend, debug, f.name, f.start)
        if c is not None and not c.static and c.args:
            assert c.follows_abi is not False, "\n".join(c.lines())
            checked += c.follows_abi is True
    program.close()
    assert checked >= 4


def test_cli_shows_the_convention_and_flags_the_difference():
    code, out, err = hal("disasm", "fib", "--function", "fib", "--isa", "x86,mips")
    assert code == 0 and err == ""
    x86, mips = out.split("\n\n")
    assert "  long fib(long n)  (static; ABI cdecl; places from DWARF location info)" in x86
    assert "    n         long  ecx       [esp+4]  <- differs" in x86
    assert "  ! fib does not follow cdecl: n arrives in ecx, where cdecl puts it at [esp+4]." in x86
    assert "result: long in eax" in x86
    assert "<- differs" not in mips and "does not follow" not in mips
    assert "    n         long  $a0       $a0" in mips


def test_no_convention_block_for_assembly():
    """hal_trap is assembly: DWARF describes no arguments, so none are shown."""
    code, out, _ = hal("disasm", "hello", "--function", "hal_trap", "--isa", "ppc")
    assert code == 0 and "ABI" not in out.splitlines()[2]     # under the two-line heading


def test_an_inlined_function_says_where_it_went():
    code, out, err = hal("disasm", "crc32", "--function", "crc32_bitwise", "--isa", "mips")
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "the compiler inlined it into main (1 copy, called at crc32.c:" in line
    assert "build with -O0 (-O1 inlines less" in line and "__attribute__((noinline))" in line
    code, out, _ = hal("disasm", "crc32", "--function", "crc32_bitwise", "--isa", "mips", "-O0")
    assert code == 0 and out.startswith("crc32_bitwise on mips: ")


def test_a_function_merged_away_is_found_in_the_source(backend):
    with pytest.raises(NoSuchFunction, match=r"args\.c:\d+ defines it, but the compiler inlined "
                                             r"it into its callers or found it unneeded"):
        find(Program(image("args", backend.name)), "square")


def test_an_unknown_function_still_lists_the_functions():
    code, _, err = hal("disasm", "hello", "--function", "nope", "--isa", "ppc")
    assert code == 2 and "(functions: _start, " in one_error_line(err)



# Where each ABI returns a double: in the FPU, even on x86, whose arithmetic
# is SSE2's (cdecl returns it on the x87 stack)
FP_RESULT = {"x86": "st(0)", "mips": "$f0", "ppc": "f1", "alpha": "fa0"}


@pytest.mark.parametrize("isa", ISAS)
def test_a_double_result_is_in_the_fpu_register_the_abi_names(isa):
    c = convention("args", isa, "halve")
    assert c.result.startswith(f"double in {FP_RESULT[isa]} (")
    assert "static" not in c.result
    own = convention("nbody", isa, "newton_sqrt")      # static: clang may choose otherwise
    assert own.result.startswith(f"double in {FP_RESULT[isa]} (") and "static" in own.result
