"""The ELF loader refuses bad files with one clear reason each."""
import struct

import pytest
from conftest import elf

from hal.core import loader
from hal.core.memmap import MemoryMap
from hal.errors import LoadError


def good_bytes(isa="x86") -> bytearray:
    return bytearray(elf("hello", isa).read_bytes())


def write(tmp_path, data, name="bad.elf"):
    p = tmp_path / name
    p.write_bytes(bytes(data))
    return p


def refuse(path, *fragments):
    with pytest.raises(LoadError) as e:
        loader.load(path)
    msg = str(e.value)
    assert "\n" not in msg
    for f in fragments:
        assert f in msg, msg
    return msg


# offsets in a 32-bit ELF header
E_MACHINE, E_ENTRY, E_PHOFF, E_PHENTSIZE, E_PHNUM = 18, 24, 28, 42, 44


def phdr(data, i=0):
    phoff = struct.unpack_from("<I", data, E_PHOFF)[0]
    return phoff + i * 32


def first_load(data):
    for i in range(struct.unpack_from("<H", data, E_PHNUM)[0]):
        if struct.unpack_from("<I", data, phdr(data, i))[0] == 1:
            return phdr(data, i)
    raise AssertionError


def test_missing_file(tmp_path):
    refuse(tmp_path / "nope.elf", "no such file")


def test_directory(tmp_path):
    refuse(tmp_path, "is a directory")


def test_not_an_elf(tmp_path):
    refuse(write(tmp_path, b"#!/bin/sh\necho hi\n" * 10), "not an ELF file")


def test_empty(tmp_path):
    refuse(write(tmp_path, b""), "not an ELF file")


def test_truncated_header(tmp_path):
    refuse(write(tmp_path, good_bytes()[:40]), "truncated ELF header")


def test_truncated_segments(tmp_path):
    data = good_bytes()
    off = struct.unpack_from("<I", data, first_load(data) + 4)[0]
    refuse(write(tmp_path, data[:off + 8]), "past the end of the file")


def test_lying_program_header_offset(tmp_path):
    data = good_bytes()
    struct.pack_into("<I", data, E_PHOFF, len(data) + 1000)
    refuse(write(tmp_path, data), "program headers lie past the end of the file")


@pytest.mark.parametrize("fmt, field, value, fragments", [
    ("<H", E_PHNUM, 60000, ("60000 program headers is absurd",)),
    ("<H", E_PHNUM, 0, ("no program headers",)),
    ("<H", E_PHENTSIZE, 7, ("program header size 7 is wrong",)),
    ("<I", E_ENTRY, 0x0050_0000, ("entry point 0x500000 is not inside an executable segment",)),
    ("<H", E_MACHINE, 40, ("unsupported ISA EM_ARM", "supported: x86")),     # EM_ARM
], ids=["absurd_program_header_count", "zero_program_headers", "wrong_program_header_size",
        "entry_outside_code", "unsupported_isa"])
def test_one_bad_header_field(tmp_path, fmt, field, value, fragments):
    data = good_bytes()
    struct.pack_into(fmt, data, field, value)
    refuse(write(tmp_path, data), *fragments)


def test_segment_outside_guest_memory(tmp_path):
    data = good_bytes()
    struct.pack_into("<I", data, first_load(data) + 8, 0x4000_0000)    # p_vaddr
    refuse(write(tmp_path, data), "lies outside guest memory")


def test_huge_segment(tmp_path):
    data = good_bytes()
    struct.pack_into("<I", data, first_load(data) + 20, 0x7000_0000)   # p_memsz
    refuse(write(tmp_path, data), "lies outside guest memory")


def test_file_size_larger_than_memory_size(tmp_path):
    data = good_bytes()
    ph = first_load(data)
    struct.pack_into("<I", data, ph + 16, struct.unpack_from("<I", data, ph + 20)[0] + 4)
    refuse(write(tmp_path, data), "file size")


def test_wrong_byte_order_for_machine(tmp_path):
    data = good_bytes("mips")
    data[5] = 2                                        # claim big-endian
    refuse(write(tmp_path, data), "unsupported ISA")


def test_overlapping_segments(tmp_path):
    data = good_bytes()
    phnum = struct.unpack_from("<H", data, E_PHNUM)[0]
    loads = [phdr(data, i) for i in range(phnum)
             if struct.unpack_from("<I", data, phdr(data, i))[0] == 1]
    if len(loads) < 2:   # make a second PT_LOAD out of another header
        other = next(phdr(data, i) for i in range(phnum) if phdr(data, i) != loads[0])
        data[other:other + 32] = data[loads[0]:loads[0] + 32]
    else:
        a, b = loads[:2]
        struct.pack_into("<I", data, b + 8, struct.unpack_from("<I", data, a + 8)[0])
    refuse(write(tmp_path, data), "overlap")


def test_segments_must_fit_the_guests_memory_size():
    """primes has a 20 KB .bss: it fits in the default RAM, not in 8 KB."""
    loader.load(elf("primes", "x86"))
    refuse_with_memory = pytest.raises(LoadError, match="lies outside guest memory")
    with refuse_with_memory:
        loader.load(elf("primes", "x86"), MemoryMap(8 << 10))


def test_good_files_load_on_every_isa(backend):
    img = loader.load(elf("hello", backend.name))
    assert img.backend is backend
    assert any(s.executable for s in img.segments)
