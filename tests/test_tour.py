"""`hal tour`: four steps that fit 80 columns, whose commands print what the
tour shows, that wait for Enter on a terminal; and the same lesson as one
self-contained web page, rendered by a real browser (headless Chromium)."""
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser import Page, chromium

import hal as api

STEPS = ["One source, four ISAs", "Devices: port I/O against memory-mapped I/O",
         "Comparing ISAs: sizes, counts, the mix", "Consolidation: pinned against shared cores"]


def hal80(*args, stdin=subprocess.DEVNULL):
    proc = subprocess.run([sys.executable, "-m", "hal", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}, stdin=stdin, timeout=600)
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture(scope="module")
def tour_text():
    proc = hal80("tour", "--no-pause")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_four_steps_in_80_columns(tour_text):
    lines = tour_text.splitlines()
    assert max(len(line) for line in lines) <= 80
    heads = [line.strip("─ ") for line in lines if line.startswith("─") and "Step " in line]
    assert heads == [f"Step {n} of 4: {t}" for n, t in enumerate(STEPS, 1)]
    for step in api.tour().steps:          # two or three sentences, each step
        assert 2 <= len(re.findall(r"[.!?](\s|$)", step.text)) <= 3, step.name


def test_each_command_prints_what_the_tour_shows(tour_text):
    """A student who types the command sees the tour's output (at 80 columns)."""
    commands = re.findall(r"^\$ (hal .*)$", tour_text, re.M)
    assert len(commands) == 6
    for command in commands:
        proc = hal80(*command.split()[1:])
        assert proc.returncode == 0, command
        assert f"$ {command}\n{proc.stdout}" in tour_text, command


def test_step_jumps_to_a_step():
    proc = hal80("tour", "--no-pause", "--step", "3")
    assert proc.returncode == 0
    heads = re.findall(r"Step (\d) of 4", proc.stdout)
    assert heads == ["3", "4"] and proc.stdout.startswith("─")
    proc = hal80("tour", "--step", "5")
    assert proc.returncode == 2 and "hal: error:" in proc.stderr or "Error" in proc.stderr


def test_waits_for_enter_on_a_terminal_and_q_stops():
    primary, secondary = pty.openpty()
    try:
        os.write(primary, b"\nq\n")        # Enter after step 1, then q after step 2
        proc = subprocess.run([sys.executable, "-m", "hal", "tour"], stdin=secondary,
                              capture_output=True, text=True, timeout=600,
                              env={**os.environ, "COLUMNS": "80"})
    finally:
        os.close(primary)
        os.close(secondary)
    assert proc.returncode == 0
    assert "[Enter: step 2 of 4, devices; q: stop]" in proc.stdout
    assert "[Enter: step 3 of 4, comparison; q: stop]" in proc.stdout
    assert re.findall(r"Step (\d) of 4:", proc.stdout) == ["1", "2"]


def test_no_pause_without_a_terminal(tour_text):
    assert "[Enter:" not in tour_text


# -- the web page ---------------------------------------------------------------------


def browser_or_skip():
    if chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lesson")
    proc = hal80("tour", "--html", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and f"wrote {folder / 'index.html'}" in proc.stderr
    return folder / "index.html"


def test_the_page_is_self_contained_and_the_same_lesson(page, tour_text):
    html = page.read_text()
    assert not re.search(r"<(script|link|img|iframe)\b|\bsrc=|url\((?!#)|@import", html)
    assert not re.search(r"""href=["'](?!#)""", html)       # links only within the page
    assert html.count("<section") == 4 and html.count("<svg") == 5
    for title in STEPS:
        assert title in html
    for command in re.findall(r"^\$ (hal .*)$", tour_text, re.M):
        assert f"$ {command}" in html


def non_blank(png: Path) -> tuple[int, int]:
    """(pixels that are not white, distinct colours) of a screenshot."""
    from PIL import Image
    with Image.open(png) as im:
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        white = sum(n for n, c in colours if min(c) >= 250)
        return rgb.width * rgb.height - white, len(colours)


def test_chromium_renders_the_page_without_errors(page, tmp_path):
    browser_or_skip()
    with Page(page.as_uri()) as p:
        shot = p.screenshot(tmp_path / "lesson.png")
        sections = p.evaluate("document.querySelectorAll('section').length")
        drawn = p.evaluate("Array.from(document.querySelectorAll('svg'))"
                           ".filter(s => s.getBoundingClientRect().width > 600).length")
        errors = p.errors
    assert errors == []
    assert (sections, drawn) == (4, 5)
    inked, colours = non_blank(shot)
    assert inked > 0.02 * 1280 * 1600 and colours > 16


def test_the_browser_check_can_fail(tmp_path):
    """The same check on a broken page: it sees the errors."""
    browser_or_skip()
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><p>x</p><img src="nowhere.png"><script>nosuch()</script>')
    with Page(bad.as_uri()) as p:
        shot = p.screenshot(tmp_path / "bad.png")
        errors = p.errors
    assert any("nowhere.png" in e or "ERR_FILE_NOT_FOUND" in e for e in errors)
    assert any("nosuch" in e for e in errors)
    assert non_blank(shot)[0] < 0.02 * 1280 * 1600


# -- the lesson is data ------------------------------------------------------------------


def test_the_lesson_is_read_from_its_data_file():
    from hal.classroom import tour
    assert tour.LESSON.parent.parent.name == "guests"
    assert [s.name for s in tour.steps(tour.Results())] == \
        ["portability", "devices", "comparison", "consolidation"]


@pytest.mark.parametrize("commands, says", [
    ('["hal trace hello"]', "the tour cannot show 'hal trace hello'"),
    ('["hal run hello --isa x86"]', "the tour shows runs side by side: --isa all"),
    ('["hal disasm hello"]', "the tour shows `hal disasm GUEST --function F [--isa I]`"),
    ('["hal compare matmul --jobs"]', "--jobs needs a value"),
])
def test_a_lesson_with_a_command_the_tour_cannot_show_says_which(tmp_path, commands, says):
    from hal.classroom import tour
    from hal.errors import HalError
    lesson = tmp_path / "lesson.toml"
    lesson.write_text(f'[[step]]\nname = "x"\ntitle = "X"\ntext = "One. Two."\n'
                      f'commands = {commands}\n')
    with pytest.raises(HalError, match=re.escape(says)):
        tour.steps(tour.Results(), lesson)


def test_a_lesson_without_steps_or_with_a_missing_key_is_refused(tmp_path):
    from hal.classroom import tour
    from hal.errors import HalError
    lesson = tmp_path / "lesson.toml"
    lesson.write_text("")
    with pytest.raises(HalError, match="no \\[\\[step\\]\\]"):
        tour.steps(tour.Results(), lesson)
    lesson.write_text('[[step]]\nname = "x"\ntext = "One."\ncommands = []\n')
    with pytest.raises(HalError, match="needs exactly commands, name, text, title"):
        tour.steps(tour.Results(), lesson)
