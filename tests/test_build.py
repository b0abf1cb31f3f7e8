"""The zig toolchain: cached builds, and compiler errors passed on."""
import pytest
from conftest import TESTS

from hal.core import registry
from hal.errors import BuildError
from hal.toolchain import build, guests


def test_cached_build_is_reused(backend):
    src = guests.source("hello")
    first = build.build(src, backend)
    mtime = first.stat().st_mtime_ns
    assert build.build(src, backend) == first
    assert first.stat().st_mtime_ns == mtime


def test_edited_source_gets_a_new_build(tmp_path):
    src = tmp_path / "tiny.c"
    src.write_text('#include "hal.h"\nint main(void) { return 1; }\n')
    x86 = registry.get("x86")
    a = build.build(src, x86)
    src.write_text('#include "hal.h"\nint main(void) { return 2; }\n')
    b = build.build(src, x86)
    assert a != b and a.is_file() and b.is_file()


def test_bad_source_reports_the_compiler_message():
    with pytest.raises(BuildError) as e:
        build.build(TESTS / "bad_source.c", registry.get("mips"))
    assert "undefined_variable" in str(e.value)
    assert "does not build for mips" in str(e.value)


def test_missing_source():
    with pytest.raises(BuildError, match="no such source file"):
        build.build(TESTS / "nope.c", registry.get("x86"))


def test_alpha_builds_have_no_compressed_instructions():
    """Every Alpha-like instruction is one 32-bit word, as on Alpha."""
    from elftools.elf.elffile import ELFFile
    with open(build.build(guests.source("sort"), registry.get("alpha")), "rb") as f:
        text = ELFFile(f).get_section_by_name(".text").data()
    for off in range(0, len(text), 4):
        assert text[off] & 0b11 == 0b11, f"16-bit instruction at +{off:#x}"


def test_a_header_next_to_the_source_is_part_of_the_cache_key(tmp_path):
    (tmp_path / "n.h").write_text("#define N 1\n")
    src = tmp_path / "uses_header.c"
    src.write_text('#include "hal.h"\n#include "n.h"\nint main(void) { return N; }\n')
    x86 = registry.get("x86")
    a = build.build(src, x86)
    (tmp_path / "n.h").write_text("#define N 2\n")
    b = build.build(src, x86)
    assert a != b
