"""Every bundled guest on every ISA prints exactly its expected output."""
import io

import pytest
from conftest import BUNDLED, ISAS, image

from hal.core import registry, runner
from hal.toolchain import guests


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("guest", BUNDLED)
def test_exact_output(guest, isa):
    data = guests.expected_input(guest)          # guests that read get fixed input
    result = runner.run(image(guest, isa), stdin=io.BytesIO(data) if data is not None else None)
    expected = guests.expected_output(guest, registry.get(isa).endian, isa)
    assert expected is not None, f"guests/expected/{guest}.out is missing"
    assert result.fault is None
    assert result.output.decode() == expected
    assert result.exit_code == 0
    assert result.retired > 0


def test_every_bundled_guest_has_expected_output():
    for g in BUNDLED:
        assert (guests.expected_output(g, "little") is not None
                and guests.expected_output(g, "big") is not None), g


def test_endian_differs_on_big_endian_only():
    little = guests.expected_output("endian", "little")
    big = guests.expected_output("endian", "big")
    assert "little-endian" in little and "big-endian" in big
    outputs = {isa: runner.run(image("endian", isa)).output for isa in ISAS}
    for isa, out in outputs.items():
        want = big if registry.get(isa).endian == "big" else little
        assert out.decode() == want
    assert outputs["ppc"] != outputs["x86"]


@pytest.mark.parametrize("guest", BUNDLED)
def test_same_input_same_numbers(guest):
    """Determinism: two runs give the same output and the same instruction count."""
    a = runner.run(image(guest, "mips"))
    b = runner.run(image(guest, "mips"))
    assert (a.output, a.retired, a.hal_calls) == (b.output, b.retired, b.hal_calls)
