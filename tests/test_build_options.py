"""Builds as people write code: several files, -I, -D, -O, -l m, the C
library chosen from the sources, and compiler errors passed on clean."""
import pytest
from conftest import TESTS
from elftools.elf.elffile import ELFFile
from test_cli import hal, one_error_line

from hal.core import loader, registry, runner
from hal.errors import BuildError, HalError
from hal.toolchain import build, guests, libc, sources
from hal.toolchain.options import BuildOptions

MULTI = TESTS / "multifile"
FILES = [MULTI / "main.c", MULTI / "stats.c", MULTI / "answer.S"]
INCLUDE = BuildOptions(includes=(MULTI / "include",))


def run(elf):
    return runner.run(loader.load(elf))


def test_several_files_and_a_header_folder_build_into_one_guest(backend):
    result = run(build.build(FILES, backend, options=INCLUDE))
    assert (result.exit_code, result.output) == (0, b"sum 31, max 9, scaled 31, answer 42\n")


def test_a_define_reaches_the_code_and_makes_its_own_build(backend):
    plain = build.build(FILES, backend, options=INCLUDE)
    scaled = build.build(FILES, backend, options=BuildOptions(
        includes=(MULTI / "include",), defines=("SCALE=10",)))
    assert plain != scaled
    assert run(scaled).output == b"sum 31, max 9, scaled 310, answer 42\n"


@pytest.mark.parametrize("level", ["0", "1", "3", "s"])
def test_every_optimisation_level_builds_and_runs_the_same(level):
    x86 = registry.get("x86")
    default = build.build(FILES, x86, options=INCLUDE)
    other = build.build(FILES, x86, options=BuildOptions(includes=(MULTI / "include",),
                                                         optimize=level))
    assert other != default
    assert run(other).output == run(default).output


def test_the_default_optimisation_is_unchanged():
    """The bundled guests' counts in the README were measured at -O2."""
    assert BuildOptions().optimize == "2"
    assert runner.run(loader.load(build.build(guests.source("hello"), registry.get("x86")))
                      ).retired == 153


def test_a_header_reached_through_minus_i_is_part_of_the_cache_key(tmp_path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "n.h").write_text("#define N 1\n")
    src = tmp_path / "n.c"
    src.write_text('#include "hal.h"\n#include <n.h>\nint main(void) { return N; }\n')
    options = BuildOptions(includes=(tmp_path / "inc",))
    x86 = registry.get("x86")
    a = build.build(src, x86, options=options)
    (tmp_path / "inc" / "n.h").write_text("#define N 2\n")
    b = build.build(src, x86, options=options)
    assert a != b and run(b).exit_code == 2


def test_the_scan_follows_headers_and_tells_the_c_library_from_the_sdk(tmp_path):
    (tmp_path / "a.h").write_text('#include "b.h"\n#include <stdint.h>\n')
    (tmp_path / "b.h").write_text("#include <stdio.h>\n")
    (tmp_path / "p.c").write_text('#include "a.h"\n#include "hal.h"\n')
    scan = sources.scan((tmp_path / "p.c",))
    assert [h.name for h in scan.headers] == ["a.h", "b.h"]
    assert scan.toolchain == {"stdint.h", "stdio.h", "hal.h"}
    assert scan.wants_libc and scan.uses_hal
    (tmp_path / "b.h").write_text("#include <stdbool.h>\n")
    assert not sources.scan((tmp_path / "p.c",)).wants_libc


def test_the_bundled_guests_are_hal_guests_and_stdio_asks_for_the_c_library(tmp_path):
    x86 = registry.get("x86")
    assert not build.plan(guests.source("hello"), x86).libc
    src = tmp_path / "hello.c"
    src.write_text("#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n")
    assert build.plan(src, x86).libc
    assert not build.plan(src, x86, BuildOptions(libc=False)).libc
    assert build.plan(guests.source("hello"), x86, BuildOptions(libraries=("m",))).libc


def test_a_hal_guest_is_marked_standalone_and_a_c_library_program_is_not(tmp_path):
    src = tmp_path / "hello.c"
    src.write_text("#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n")
    x86 = registry.get("x86")
    for path, osabi, abi in ((build.build(guests.source("hello"), x86), "ELFOSABI_STANDALONE", "hal"),
                             (build.build(src, x86), "ELFOSABI_SYSV", "linux")):
        with open(path, "rb") as f:
            assert ELFFile(f).header.e_ident["EI_OSABI"] == osabi
        assert loader.load(path).abi == abi


def test_setting_up_the_c_library_says_what_it_does(tmp_path, monkeypatch):
    monkeypatch.setenv("HALEMU_CACHE", str(tmp_path))
    lines = []
    x86 = registry.get("x86")
    assert not libc.ready(x86)
    assert libc.ensure(x86, report=lines.append)
    assert lines[0] == "hal: building the C library (musl) for x86, once: about half a minute..."
    assert lines[1].startswith("hal: C library for x86 ready (")
    assert libc.ready(x86) and not libc.ensure(x86, report=lines.append) and len(lines) == 2


@pytest.mark.parametrize("options, message", [
    (dict(optimize="9"), "-O9: optimisation is one of -O0, -O1, -O2, -O3, -Os"),
    (dict(defines=("1X=2",)), "-D 1X=2: a define is NAME or NAME=VALUE"),
    (dict(libraries=("pthread",)), "-l pthread: only the C library's own parts can be linked"),
    (dict(libraries=("m",), libc=False), "-l m needs the C library, but --no-libc was given"),
    (dict(includes=("/no/such/folder",)), "-I /no/such/folder: no such folder"),
])
def test_bad_options_are_one_clear_error(options, message):
    with pytest.raises(HalError) as e:
        BuildOptions(**options)
    assert str(e.value).startswith(message)


def test_bad_sources_are_one_clear_error(tmp_path):
    x86 = registry.get("x86")
    with pytest.raises(BuildError, match="nope.c: no such source file"):
        build.build([MULTI / "main.c", tmp_path / "nope.c"], x86)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(BuildError, match="notes.txt: not a C or assembly source"):
        build.build(tmp_path / "notes.txt", x86)


def test_a_compile_error_is_the_compilers_message_and_nothing_of_the_sdk(tmp_path):
    src = tmp_path / "typo.c"
    src.write_text('#include "hal.h"\nint main(void)\n{\n    return undefined_variable;\n}\n')
    with pytest.raises(BuildError) as e:
        build.build(src, registry.get("mips"))
    message = str(e.value)
    assert message.startswith("typo does not build for mips:\n"), message
    assert f"{src}:4:12: error: use of undeclared identifier 'undefined_variable'" in message
    for sdk in ("warning", "hal_devices.h", "hal.h", "/*"):
        assert sdk not in message, message


def test_the_command_line_takes_several_files_and_compiler_options():
    code, out, err = hal("run", *map(str, FILES), "-I", str(MULTI / "include"), "-D", "SCALE=3",
                         "-O1", "--isa", "alpha")
    assert (code, out, err) == (0, "sum 31, max 9, scaled 93, answer 42\n", "")
    code, out, err = hal("build", *map(str, FILES), "-I", str(MULTI / "include"), "--isa", "ppc")
    assert code == 0 and out.startswith("ppc    ") and out.strip().endswith("/main.elf")


@pytest.mark.parametrize("args, message", [
    (("run", "hello", "-O9", "--isa", "x86"), "Invalid value for '-O'"),
    (("run", "hello", "-l", "ssl", "--isa", "x86"), "-l ssl: only the C library's own parts"),
    (("run", "hello", "-I", "/no/such", "--isa", "x86"), "-I /no/such: no such folder"),
    (("build", str(TESTS / "conftest.py")), "conftest.py: not a C or assembly source"),
    (("build", "nothing-here.txt"), "no such file or bundled guest 'nothing-here.txt'"),
])
def test_bad_build_options_on_the_command_line(args, message):
    code, _, err = hal(*args)
    assert code == 2 and message in err


def test_an_elf_file_takes_no_build_options():
    from conftest import elf
    code, _, err = hal("run", str(elf("hello", "x86")), "-D", "X=1")
    assert code == 2
    assert "is already built: build options (-DX=1 -O2) need its sources" in one_error_line(err)


def test_the_python_api_takes_the_same_files_and_options():
    import hal
    options = hal.compiler(includes=[MULTI / "include"], defines=["SCALE=2"], optimize="1")
    built = hal.build(FILES, isa="ppc", options=options)
    assert list(built) == ["ppc"] and built["ppc"].name == "main.elf"
    run_ = hal.run(FILES, isa="ppc", options=options)
    assert run_.text == "sum 31, max 9, scaled 62, answer 42\n"
    assert hal.run_all(FILES, options=options).identical_output
