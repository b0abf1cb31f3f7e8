"""Slide-ready pictures (hal/render/charts.py): 1920x1080 PNG and SVG on a
white background, the same bytes every time; a Gantt chart without seams,
coloured by ISA family, with a time axis and whole legend entries; the
policies side by side; the mix in percent or to scale; shares that read 2:1."""
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

import hal
from hal.render import charts
from hal.render.terminal import as_text, gantt


@pytest.fixture(scope="module")
def shares():
    return hal.schedule("shares")


@pytest.fixture(scope="module")
def policies():
    return hal.compare_policies("consolidation", "pinned:8,rr:3")


@pytest.fixture(scope="module")
def matmul():
    return hal.compare("matmul", jobs=1)


def png(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_pictures_are_1920x1080_on_white_and_repeatable(shares, policies, matmul):
    for draw in (lambda f: shares.chart(f), lambda f: policies.chart(f),
                 lambda f: matmul.chart(f), lambda f: matmul.chart(f, absolute=True)):
        data = draw("png")
        im = png(data)
        assert im.size == (1920, 1080)
        rgba = im.convert("RGBA")
        assert all(rgba.getpixel(xy) == (255, 255, 255, 255)
                   for xy in ((0, 0), (1919, 0), (0, 1079), (1919, 1079)))
        assert draw("png") == data and draw("svg") == draw("svg")
        ET.fromstring(draw("svg"))


def test_gantt_slices_of_one_guest_are_one_bar(shares):
    m = shares.metrics
    merged = charts.merged(m["timeline"])
    runs = [s for s in merged if s["kind"] == "run"]
    assert len(runs) < len([s for s in m["timeline"] if s["kind"] == "run"])
    for a, b in zip(merged, merged[1:]):
        if a["core"] == b["core"] and a["end"] == b["start"] and a["kind"] == b["kind"] == "run":
            assert a["guest"] != b["guest"], (a, b)
    ticks = sum(s["end"] - s["start"] for s in runs)
    assert ticks == sum(g["run"] for g in m["guest_stats"])


def test_gantt_colours_one_family_per_isa(policies):
    m = policies[1].metrics
    colours = charts.guest_colours(m)
    by_isa = {}
    for g in m["guest_stats"]:
        by_isa.setdefault(g["isa"], []).append(colours[g["guest"]])
    import colorsys
    hues = {isa: [colorsys.rgb_to_hsv(*c[:3])[0] for c in shades] for isa, shades in by_isa.items()}
    for isa, hs in hues.items():
        assert len(set(by_isa[isa])) == len(by_isa[isa]), isa      # a shade per guest
        assert max(hs) - min(hs) < 0.09, isa                      # one family of hues
    centres = sorted(sum(hs) / len(hs) for hs in hues.values())
    assert min(b - a for a, b in zip(centres, centres[1:])) > 0.1    # families apart


def test_gantt_has_a_time_axis_and_whole_legend_entries(policies):
    m = policies[1].metrics
    words = texts(policies[1].svg())
    assert "virtual time (ticks: retired instructions)" in words
    assert sum(bool(re.fullmatch(r"\d+(\.\d+)?k", w)) for w in words) >= 4   # ticks: 100k, ...
    for g in m["guest_stats"]:
        label = g["label"] + ("*" if g["isa"] == "alpha" else "")
        assert label in words
    assert any("runs RISC-V RV64IMFD code" in w for w in words)


def test_shares_read_two_to_one(shares):
    words = texts(shares.svg())
    assert "collatz@mips (weight 2)" in words and "collatz@x86 (weight 1)" in words
    assert any(w.startswith("up close: the first") for w in words)
    assert "run ticks so far" in words
    # the text chart shows every guest, and while both run, mips twice as often as x86
    text = as_text(gantt, shares.metrics)
    row = next(line for line in text.splitlines() if line.startswith("core 0"))[9:]
    assert {"0", "1", "2"} <= set(row)
    contended = row[:row.rindex("1")]
    assert 1.7 < contended.count("1") / contended.count("0") < 2.3


def test_policies_side_by_side(policies):
    words = texts(policies.svg())
    shown = [f"{100 * s.metrics['mean_utilization']:.1f}%" for s in policies]
    for title in ("mean utilization", "makespan (ticks)", "total ready ticks", "pinned:8", "rr:3",
                  *shown):
        assert title in words, title


def test_mix_in_percent_and_to_scale(matmul):
    words = texts(matmul.svg())
    assert "share of retired instructions" in words and "alpha*" in words
    row = matmul["mips"]
    assert f"{round(100 * row.mix['alu'] / row.retired)}%" in words
    scaled = texts(matmul.svg(absolute=True))
    assert "retired instructions" in scaled
    for r in matmul.rows:
        assert f"  {r.retired:,}" in scaled
    titles = re.findall(r"<title>(.*?)</title>", matmul.svg())
    assert f"x86 loads: {matmul['x86'].mix['loads']:,} (" in " ".join(titles)


def test_cli_writes_png_and_svg(tmp_path):
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "hal", "compare", "hello", "--png",
                           str(tmp_path / "mix.png"), "--absolute", "--format", "csv"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert png((tmp_path / "mix.png").read_bytes()).size == (1920, 1080)
    assert f"hal: wrote {tmp_path / 'mix.png'} (the instruction mix, to scale)" in proc.stderr
